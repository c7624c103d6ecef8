// Element-wise ops with PyTorch broadcasting, and their backwards.
import { Tensor, type Operand } from "../tensor.js";
import { K } from "../runtime/wasm.js";
import { F32, I32, scratch, SCRATCH_MAX_DIMS } from "../runtime/memory.js";
import { newStorage } from "../runtime/storage.js";
import { needsGrad, isGradEnabled, record, recordInPlace } from "../autograd.js";
import { Bin, Un } from "./codes.js";
import { broadcastShapes, broadcastStrides, fmt, numelOf, sameShape, type Shape } from "../shape.js";

/** An uninitialised tensor of `shape`. */
export function empty(shape: Shape): Tensor {
  return new Tensor(newStorage(numelOf(shape) * 4), shape);
}

export function fill(shape: Shape, value: number): Tensor {
  const t = empty(shape);
  K.unary(Un.FILL, t._ptr, t._ptr, t._size, value);
  return t;
}

/** Throws the "disposed" error of a tensor whose storage was freed (before anything is allocated). */
export function live(t: Tensor): void {
  if (t._storage === null) t._ptr;
}

/** A copy outside the graph. */
export function clone(src: Tensor): Tensor {
  live(src);
  const t = empty(src.shape);
  K.unary(Un.COPY, src._ptr, t._ptr, src._size, 0);
  return t;
}

/** torch.clone: a copy, in the graph. */
export function cloneOp(x: Tensor): Tensor {
  const out = clone(x);
  if (needsGrad(x)) record(out, "CloneBackward0", [x], (g) => [clone(g)]);
  return out;
}

/** A new handle on the same storage (no copy). */
export function viewAs(src: Tensor, shape: Shape): Tensor {
  live(src);
  return new Tensor(src._storage!, shape);
}

// Collapses a broadcast into the fewest dims: drops size-1 dims and merges neighbours
// that are contiguous in every operand. Returns [shape, ...strides per operand].
function coalesce(shape: Shape, strides: number[][]): [number[], number[][]] {
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    const last = outShape.length - 1;
    if (last >= 0 && strides.every((s, k) => outStrides[k][last] === s[d] * shape[d])) {
      outShape[last] *= shape[d];
      strides.forEach((s, k) => { outStrides[k][last] = s[d]; });
    } else {
      outShape.push(shape[d]);
      strides.forEach((s, k) => outStrides[k].push(s[d]));
    }
  }
  if (outShape.length === 0) { outShape.push(1); strides.forEach((_, k) => outStrides[k].push(1)); }
  return [outShape, outStrides];
}

function writeTable(values: number[]): number {
  if (values.length > SCRATCH_MAX_DIMS * 4) throw new Error("torchlet: tensors of more than 32 dims are not supported");
  I32().set(values, scratch >>> 2);
  return scratch;
}

/** out = a op b with broadcasting, into a fresh contiguous tensor of the broadcast shape. */
export function binaryRaw(op: Bin, a: Tensor, b: Tensor, outShape: Shape, into?: Tensor, aStrides?: number[]): Tensor {
  live(a); live(b); // a disposed input throws before anything is allocated
  const out = into ?? empty(outShape);
  if (out._size === 0) return out;
  if (aStrides !== undefined) {
    // a strided read of a (b unread): transposes
    const [shape, [sa]] = coalesce(outShape, [aStrides]);
    K.binary(op, a._ptr, a._ptr, out._ptr, shape.length, writeTable([...shape, ...sa, ...sa]));
    return out;
  }
  if (sameShape(a.shape, b.shape) && a._size === out._size) {
    K.binaryFlat(op, a._ptr, b._ptr, out._ptr, out._size);
    return out;
  }
  const [shape, [sa, sb]] = coalesce(outShape, [broadcastStrides(a.shape, outShape), broadcastStrides(b.shape, outShape)]);
  const table = writeTable([...shape, ...sa, ...sb]);
  K.binary(op, a._ptr, b._ptr, out._ptr, shape.length, table);
  return out;
}

/** Writes one value into a tensor of one element. */
export function setScalar(t: Tensor, v: number): void {
  const p = t._ptr; // before F32(): reading the pointer can bring the storage back (and grow memory)
  F32()[p >>> 2] = v;
}

/** Sums a gradient of the broadcast shape down to `shape` (the reverse of broadcasting). */
export function reduceTo(g: Tensor, shape: Shape): Tensor {
  if (sameShape(g.shape, shape)) return clone(g);
  const out = fill(shape, 0);
  if (g._size === 0) return out;
  if (out._size === 1) {
    setScalar(out, K.sumRow(g._ptr, g._size));
    return out;
  }
  const [cs, [sd]] = coalesce(g.shape, [broadcastStrides(shape, g.shape)]);
  // coalesce merged dims contiguous in dst; the source is contiguous in g's own order,
  // which those merges preserve.
  const table = writeTable([...cs, ...sd]);
  K.sumToStrided(g._ptr, out._ptr, cs.length, table);
  return out;
}

function asTensor(x: Operand, op: string): Tensor {
  if (x instanceof Tensor) return x;
  throw new Error(`${op}: expected a Tensor or a number, got ${x === null ? "null" : typeof x}`);
}

const NAMES = ["AddBackward0", "SubBackward0", "MulBackward0", "DivBackward0"];
/** The operands a binary op's backward reads: a's grad needs b, b's grad needs a (and b, for div). */
function binaryReads(op: Bin, a: Tensor, b: Tensor): Tensor[] {
  if (op === Bin.ADD || op === Bin.SUB) return [];
  const reads: Tensor[] = [];
  if (a._requiresGrad || (op === Bin.DIV && b._requiresGrad)) reads.push(b);
  if (b._requiresGrad) reads.push(a);
  return reads;
}

export function binary(op: Bin, a: Tensor, bIn: Operand, name: string): Tensor {
  if (typeof bIn === "number") {
    switch (op) {
      case Bin.ADD: return unary(Un.ADDS, a, bIn);
      case Bin.SUB: return unary(Un.ADDS, a, -bIn);
      case Bin.MUL: return unary(Un.MULS, a, bIn);
      default: return unary(Un.DIVS, a, bIn);
    }
  }
  const b = asTensor(bIn, name);
  const outShape = sameShape(a.shape, b.shape) ? a.shape : broadcastShapes(a.shape, b.shape, name);
  const out = binaryRaw(op, a, b, outShape);
  if (needsGrad(a, b)) record(out, NAMES[op], [a, b], (g) => binaryBackward(op, a, b, g), binaryReads(op, a, b));
  return out;
}

function binaryBackward(op: Bin, a: Tensor, b: Tensor, g: Tensor): (Tensor | null)[] {
  let ga: Tensor | null = null;
  let gb: Tensor | null = null;
  switch (op) {
    case Bin.ADD:
      if (a.requiresGrad) ga = reduceTo(g, a.shape);
      if (b.requiresGrad) gb = reduceTo(g, b.shape);
      break;
    case Bin.SUB:
      if (a.requiresGrad) ga = reduceTo(g, a.shape);
      if (b.requiresGrad) gb = scaleInPlace(reduceTo(g, b.shape), -1);
      break;
    case Bin.MUL:
      if (a.requiresGrad) ga = productReduced(g, b, a.shape, Bin.MUL);
      if (b.requiresGrad) gb = productReduced(g, a, b.shape, Bin.MUL);
      break;
    case Bin.DIV: {
      if (a.requiresGrad) ga = productReduced(g, b, a.shape, Bin.DIV);
      if (b.requiresGrad) {
        // PyTorch: -grad * self / (other * other)
        const ng = unaryRaw(Un.NEG, g, 0);
        const t = binaryRaw(Bin.MUL, ng, a, g.shape);
        ng.dispose();
        const bb = binaryRaw(Bin.MUL, b, b, b.shape);
        const q = binaryRaw(Bin.DIV, t, bb, g.shape);
        t.dispose(); bb.dispose();
        gb = reduceTo(q, b.shape);
        q.dispose();
      }
      break;
    }
  }
  return [ga, gb];
}

function productReduced(g: Tensor, other: Tensor, shape: Shape, op: Bin): Tensor {
  const t = binaryRaw(op, g, other, g.shape);
  if (sameShape(t.shape, shape)) return t;
  const r = reduceTo(t, shape);
  t.dispose();
  return r;
}

function scaleInPlace(t: Tensor, s: number): Tensor {
  K.unary(Un.MULS, t._ptr, t._ptr, t._size, s);
  return t;
}

export function unaryRaw(op: Un, x: Tensor, p: number): Tensor {
  live(x); // a disposed input throws before anything is allocated
  const out = empty(x.shape);
  K.unary(op, x._ptr, out._ptr, x._size, p);
  return out;
}

const UNARY_NAMES: Record<number, string> = {
  [Un.NEG]: "NegBackward0", [Un.EXP]: "ExpBackward0", [Un.LOG]: "LogBackward0", [Un.SQRT]: "SqrtBackward0",
  [Un.ABS]: "AbsBackward0", [Un.RELU]: "ReluBackward0", [Un.SIGMOID]: "SigmoidBackward0",
  [Un.TANH]: "TanhBackward0", [Un.POW]: "PowBackward0", [Un.ADDS]: "AddBackward0", [Un.MULS]: "MulBackward0",
  [Un.RSUB]: "RsubBackward1", [Un.RDIV]: "DivBackward0", [Un.DIVS]: "DivBackward0",
};

const READS_X = new Set<Un>([Un.LOG, Un.ABS, Un.POW, Un.RDIV]);
const READS_Y = new Set<Un>([Un.EXP, Un.SQRT, Un.RELU, Un.SIGMOID, Un.TANH]);

export function unary(op: Un, x: Tensor, p: number): Tensor {
  if (!(x instanceof Tensor)) throw new Error(`expected a Tensor, got ${x === null ? "null" : typeof x}`);
  const out = unaryRaw(op, x, p);
  if (needsGrad(x)) {
    const readsX = READS_X.has(op), readsY = READS_Y.has(op);
    record(out, UNARY_NAMES[op], [x], (g) => {
      const gx = empty(x.shape);
      // Pass only what the op's derivative reads (so relu's input may be gone, as in PyTorch).
      K.unaryBackward(op, readsX ? x._ptr : 0, readsY ? out._ptr : 0, g._ptr, gx._ptr, gx._size, p);
      return [gx];
    }, readsX ? [x] : readsY ? [out] : []);
  }
  return out;
}

// ---- in place ----------------------------------------------------------------------------
//
// A leaf that requires grad may only change inside noGrad (PyTorch: "a leaf Variable that
// requires grad is being used in an in-place operation"). A non-leaf in a graph may change:
// its old version moves to a new handle that keeps the old node, and the tensor gets a node
// over that handle, as PyTorch rebases the grad_fn of a modified tensor.

function checkInPlace(t: Tensor, op: string, operand?: Tensor): boolean {
  live(t);
  if (!isGradEnabled()) return false;
  if (t.requiresGrad && t.isLeaf) {
    // PyTorch: "a leaf Variable that requires grad is being used in an in-place operation."
    throw new Error(`${op}: a leaf Variable that requires grad is being used in an in-place operation ` +
      `(shape ${fmt(t.shape)}); do it inside torch.noGrad(() => …)`);
  }
  if (operand !== undefined && operand.requiresGrad) {
    throw new Error(`${op}: in-place ops with an operand that requires grad are not supported; use the out-of-place form`);
  }
  return t.requiresGrad;
}

export function fillInPlace(t: Tensor, value: number, op: string): void {
  const tracked = checkInPlace(t, op);
  K.unary(Un.FILL, t._ptr, t._ptr, t._size, value);
  t._bumpVersion();
  if (tracked) recordInPlace(t, "FillBackward0", () => null);
}

/** Broadcasts `src` to `dst`'s shape; returns src or a temporary expanded copy. */
function expandTo(src: Tensor, shape: Shape, op: string): Tensor {
  if (sameShape(src.shape, shape)) return src;
  const b = broadcastShapes(shape, src.shape, op);
  if (!sameShape(b, shape)) {
    throw new Error(`${op}: the operand of shape ${fmt(src.shape)} cannot be broadcast to the tensor's shape ${fmt(shape)}`);
  }
  return binaryRaw(Bin.TAKE_A, src, src, shape);
}

export function copyInPlace(t: Tensor, src: Tensor | ArrayLike<number>): void {
  if (src instanceof Tensor) {
    const tracked = checkInPlace(t, "copy_", src);
    const e = expandTo(src, t.shape, "copy_");
    K.unary(Un.COPY, e._ptr, t._ptr, t._size, 0);
    if (e !== src) e.dispose();
    t._bumpVersion();
    if (tracked) recordInPlace(t, "CopyBackwards", () => null);
    return;
  }
  live(t);
  if (src === null || typeof src !== "object" || typeof src.length !== "number") {
    throw new Error(`copy_: src must be a Tensor or an array of numbers, got ${src === null ? "null" : typeof src}`);
  }
  if (src.length !== t._size) {
    throw new Error(`copy_: src has ${src.length} values but the tensor of shape ${fmt(t.shape)} has ${t._size}`);
  }
  const tracked = checkInPlace(t, "copy_");
  const p = t._ptr; // before F32(): reading the pointer can bring the storage back (and grow memory)
  F32().set(src, p >>> 2);
  t._bumpVersion();
  if (tracked) recordInPlace(t, "CopyBackwards", () => null);
}

/** t = t + alpha·other (ADD), t · other (MUL), t / other (DIV). */
export function binaryInPlace(op: Bin, t: Tensor, other: Operand, alpha: number, name: string): void {
  if (typeof other === "number") {
    const tracked = checkInPlace(t, name);
    const un = op === Bin.ADD ? Un.ADDS : op === Bin.MUL ? Un.MULS : Un.DIVS;
    const p = op === Bin.ADD ? other * alpha : other;
    K.unary(un, t._ptr, t._ptr, t._size, p);
    t._bumpVersion();
    if (tracked) {
      recordInPlace(t, NAMES[op], (g) => {
        const gx = empty(g.shape);
        K.unaryBackward(un, 0, 0, g._ptr, gx._ptr, gx._size, p);
        return gx;
      });
    }
    return;
  }
  const o = asTensor(other, name);
  const tracked = checkInPlace(t, name, o);
  let e = expandTo(o, t.shape, name);
  if (op === Bin.ADD && alpha !== 1) {
    const scaled = unaryRaw(Un.MULS, e, alpha);
    if (e !== o) e.dispose();
    e = scaled;
  }
  K.binaryFlat(op, t._ptr, e._ptr, t._ptr, t._size);
  t._bumpVersion();
  if (tracked) {
    if (op === Bin.ADD) {
      if (e !== o) e.dispose();
      recordInPlace(t, NAMES[op], (g) => clone(g));
    } else {
      const factor = e === o ? clone(o) : e; // the operand as it was, for the backward
      recordInPlace(t, NAMES[op], (g) => {
        const gx = binaryRaw(op, g, factor, g.shape);
        factor.dispose();
        return gx;
      });
    }
  } else if (e !== o) e.dispose();
}
