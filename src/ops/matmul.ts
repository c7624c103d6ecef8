// matmul with PyTorch's rules for 1-D, 2-D and batched operands; linear (x·Wᵀ + b) fused.
import { Tensor } from "../tensor.js";
import { K } from "../runtime/wasm.js";
import { needsGrad, record } from "../autograd.js";
import { binaryRaw } from "./elementwise.js";
import { clone, dense, dropTemp, empty, live } from "./layout.js";
import { viewOf } from "./views.js";
import { Bin } from "./codes.js";
import { fmt, numelOf, broadcastShapes } from "../shape.js";

const NN = 0, TN = 1, NT = 2;

/** A product's backward reads b for a's grad and a for b's grad. */
function gradReads(a: Tensor, b: Tensor): Tensor[] {
  const reads: Tensor[] = [];
  if (a.requiresGrad) reads.push(b);
  if (b.requiresGrad) reads.push(a);
  return reads;
}

/**
 * How the kernel reads an operand: its own contiguous data, or (`trans`) the contiguous
 * data of its transpose — a 2-D transposed view costs no copy, as the kernel multiplies by
 * a transposed matrix directly. Anything else is copied to a contiguous temporary.
 */
interface Operand2 { data: Tensor; trans: boolean }

function operandOf(t: Tensor, allowTrans: boolean): Operand2 {
  if (t._contiguous) return { data: t, trans: false };
  if (allowTrans && t.shape.length === 2 && t._strides[0] === 1 && t._strides[1] === t.shape[0]) {
    return { data: viewOf(t, [t.shape[1], t.shape[0]], [t.shape[0], 1], t._offset), trans: true };
  }
  return { data: clone(t), trans: false };
}

function dropOperand(op: Operand2, of: Tensor): void {
  if (op.data !== of) op.data.dispose();
}

export function matmul(a: Tensor, b: Tensor): Tensor {
  if (!(a instanceof Tensor) || !(b instanceof Tensor)) {
    const bad = a instanceof Tensor ? b : a;
    throw new TypeError(`matmul: both arguments must be Tensors, got ${bad === null ? "null" : typeof bad}`);
  }
  if (a.dtype !== "float32" || b.dtype !== "float32") {
    throw new TypeError(`matmul: both arguments must be float32, got ${a.dtype} and ${b.dtype} (convert with .float())`);
  }
  if (a.shape.length === 0 || b.shape.length === 0) {
    throw new Error(`matmul: both arguments need at least 1 dimension, got ${fmt(a.shape)} and ${fmt(b.shape)}`);
  }
  // Promote 1-D operands as PyTorch does, remembering which dims to drop afterwards.
  const aVec = a.shape.length === 1, bVec = b.shape.length === 1;
  const as = aVec ? [1, a.shape[0]] : a.shape.slice();
  const bs = bVec ? [b.shape[0], 1] : b.shape.slice();
  const M = as[as.length - 2], Ka = as[as.length - 1];
  const Kb = bs[bs.length - 2], N = bs[bs.length - 1];
  if (Ka !== Kb) {
    throw new Error(`matmul: shapes ${fmt(a.shape)} and ${fmt(b.shape)} cannot be multiplied (${Ka} vs ${Kb} in the inner dimension)`);
  }
  const batchA = as.slice(0, -2), batchB = bs.slice(0, -2);
  const batchShape = broadcastShapes(batchA, batchB, "matmul (batch dims)");
  const batch = numelOf(batchShape);
  const nA = numelOf(batchA), nB = numelOf(batchB);
  if ((nA !== batch && nA !== 1) || (nB !== batch && nB !== 1)) {
    throw new Error(`matmul: batch dims ${fmt(batchA)} and ${fmt(batchB)}: only equal batches or a batch against one matrix are supported`);
  }
  const sA = nA === 1 ? 0 : M * Ka, sB = nB === 1 ? 0 : Ka * N;
  const outShape = [...batchShape, ...(aVec ? [] : [M]), ...(bVec ? [] : [N])];
  live(a); live(b); // a disposed input throws before anything is allocated
  const A = operandOf(a, true);
  const B = operandOf(b, !A.trans); // both transposed: B is copied
  const out = empty(outShape);
  if (A.trans) K.matmul(TN, A.data._ptr, B.data._ptr, out._ptr, M, Ka, N, 1, 0, 0, 0);
  else if (B.trans) K.matmul(NT, A.data._ptr, B.data._ptr, out._ptr, M, Ka, N, 1, 0, 0, 0);
  else K.matmul(NN, A.data._ptr, B.data._ptr, out._ptr, M, Ka, N, batch, sA, sB, M * N);
  if (!needsGrad(a, b)) {
    dropOperand(A, a); dropOperand(B, b);
    return out;
  }
  const saved = [A.data, B.data].filter((t, i) => t !== (i === 0 ? a : b));
  record(out, batch > 1 ? "BmmBackward0" : "MmBackward0", [a, b], (g) => {
    let ga: Tensor | null = null, gb: Tensor | null = null;
    if (a.requiresGrad) {
      ga = empty(a.shape);
      if (B.trans) K.matmul(NN, g._ptr, B.data._ptr, ga._ptr, M, N, Ka, 1, 0, 0, 0); // Bᵀ is B's data
      else if (sA === 0 && batch > 1) {
        // gA = g·Bᵀ per batch, summed over the batch where A was broadcast
        const tmp = empty([batch, M, Ka]);
        K.matmul(NT, g._ptr, B.data._ptr, tmp._ptr, M, N, Ka, batch, M * N, sB, M * Ka);
        K.sumDim(tmp._ptr, ga._ptr, 1, batch, M * Ka);
        tmp.dispose();
      } else K.matmul(NT, g._ptr, B.data._ptr, ga._ptr, M, N, Ka, batch, M * N, sB, M * Ka);
    }
    if (b.requiresGrad) {
      gb = empty(b.shape);
      if (A.trans) K.matmul(NN, A.data._ptr, g._ptr, gb._ptr, Ka, M, N, 1, 0, 0, 0); // Aᵀ is A's data
      // Σ_t A_tᵀ·g_t = (A as [batch·M, K])ᵀ · (g as [batch·M, N]): one call
      else if (sB === 0 && batch > 1) K.matmul(TN, A.data._ptr, g._ptr, gb._ptr, Ka, batch * M, N, 1, 0, 0, 0);
      else K.matmul(TN, A.data._ptr, g._ptr, gb._ptr, Ka, M, N, batch, sA, M * N, Ka * N);
    }
    return [ga, gb];
  }, gradReads(a, b), saved);
  return out;
}

/** y = x·Wᵀ + b for x [..., in], W [out, in], b [out]: one NT product, no transpose made. */
export function linear(x: Tensor, w: Tensor, bias: Tensor | null | undefined): Tensor {
  for (const [name, t] of [["input", x], ["weight", w]] as const) {
    if (!(t instanceof Tensor)) throw new TypeError(`linear: ${name} must be a Tensor, got ${t === null ? "null" : Array.isArray(t) ? "an array" : typeof t}`);
  }
  if (bias !== null && bias !== undefined && !(bias instanceof Tensor)) {
    throw new TypeError(`linear: bias must be a Tensor or null, got ${Array.isArray(bias) ? "an array" : typeof bias}`);
  }
  if (w.shape.length !== 2) throw new Error(`linear: weight must be 2-D [out, in], got ${fmt(w.shape)}`);
  const [O, I] = w.shape;
  if (x.shape.length === 0 || x.shape[x.shape.length - 1] !== I) {
    throw new Error(`linear: input of shape ${fmt(x.shape)} does not end in in_features=${I} (weight ${fmt(w.shape)})`);
  }
  if (bias && (bias.shape.length !== 1 || bias.shape[0] !== O)) {
    throw new Error(`linear: bias must have shape [${O}], got ${fmt(bias.shape)}`);
  }
  if (x.dtype !== "float32") throw new TypeError(`linear: input must be float32, got ${x.dtype} (convert with .float())`);
  const rows = x._size / I;
  if (bias) live(bias);
  const xd = dense(x), wd = dense(w); // a disposed input throws here, before the output is allocated
  const y = empty([...x.shape.slice(0, -1), O]);
  K.matmul(NT, xd._ptr, wd._ptr, y._ptr, rows, I, O, 1, 0, 0, 0);
  if (bias) binaryRaw(Bin.ADD, y, bias, y.shape, y); // in place: a row broadcast
  if (!needsGrad(x, w, bias)) {
    dropTemp(xd, x); dropTemp(wd, w);
    return y;
  }
  const saved = [xd, wd].filter((t, i) => t !== (i === 0 ? x : w));
  record(y, bias ? "AddmmBackward0" : "MmBackward0", bias ? [x, w, bias] : [x, w], (g) => {
    let gx: Tensor | null = null, gw: Tensor | null = null, gbias: Tensor | null = null;
    if (x.requiresGrad) {
      gx = empty(x.shape);
      K.matmul(NN, g._ptr, wd._ptr, gx._ptr, rows, O, I, 1, 0, 0, 0);
    }
    if (w.requiresGrad) {
      gw = empty(w.shape);
      K.matmul(TN, g._ptr, xd._ptr, gw._ptr, O, rows, I, 1, 0, 0, 0);
    }
    if (bias && bias.requiresGrad) {
      gbias = empty([O]);
      K.sumDim(g._ptr, gbias._ptr, 1, rows, O);
    }
    return bias ? [gx, gw, gbias] : [gx, gw];
  }, gradReads(x, w), saved);
  return y;
}
