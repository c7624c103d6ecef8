// Loss functions (nn.functional and the nn loss modules call these).
import { Tensor } from "../tensor.js";
import { K } from "../runtime/wasm.js";
import { I32 } from "../runtime/memory.js";
import { isGradEnabled, needsGrad, record } from "../autograd.js";
import { binary, unary } from "./elementwise.js";
import { copyInto, dense, dropTemp, empty, live, setScalar } from "./layout.js";
import { sum } from "./reduce.js";
import { Bin, Un } from "./codes.js";
import { fmt, sameShape } from "../shape.js";

export type Reduction = "mean" | "sum" | "none";

export function checkReduction(reduction: unknown, where: string): Reduction {
  if (reduction === "mean" || reduction === "sum" || reduction === "none") return reduction;
  throw new Error(`${where}: ${JSON.stringify(reduction)} is not a valid value for reduction ` +
    `(expected "mean", "sum" or "none")`);
}

function reduce(t: Tensor, reduction: Reduction): Tensor {
  if (reduction === "none") return t;
  return sum(t, undefined, false, reduction === "mean");
}

function checkSameShape(input: Tensor, target: Tensor, where: string): void {
  for (const [name, t] of [["input", input], ["target", target]] as const) {
    if (!(t instanceof Tensor) || t.isDisposed) throw new TypeError(`${where}: ${name} must be a Tensor, got ${show(t)}`);
  }
  if (!sameShape(input.shape, target.shape)) {
    throw new Error(`${where}: target shape ${fmt(target.shape)} must match input shape ${fmt(input.shape)}`);
  }
}

/** One fused op (PyTorch's mse_loss): a training step's loss is one node, not three. */
export function mseLoss(input: Tensor, target: Tensor, reduction: Reduction = "mean"): Tensor {
  const r = checkReduction(reduction, "mseLoss");
  checkSameShape(input, target, "mseLoss");
  const x = dense(input), y = dense(target);
  const n = input._size;
  const out = empty(r === "none" ? input.shape : []);
  const total = K.mse(x._ptr, y._ptr, out._ptr, n, r === "none" ? 1 : 0);
  if (r !== "none") setScalar(out, r === "mean" ? total / n : total);
  if (!needsGrad(input, target)) {
    dropTemp(x, input); dropTemp(y, target);
    return out;
  }
  record(out, "MseLossBackward0", [input, target], (g) => {
    const dx = empty(input.shape);
    K.mseBackward(x._ptr, y._ptr, g._ptr, r === "none" ? 1 : 0, r === "mean" ? 2 / n : 2, dx._ptr, n);
    let dy: Tensor | null = null;
    if (target.requiresGrad) dy = unary(Un.NEG, dx, 0);
    if (!input.requiresGrad) { dx.dispose(); return [null, dy]; }
    return [dx, dy];
  }, [input, target], [x, y].filter((t, i) => t !== (i === 0 ? input : target)));
  return out;
}

export function l1Loss(input: Tensor, target: Tensor, reduction: Reduction = "mean"): Tensor {
  const r = checkReduction(reduction, "l1Loss");
  checkSameShape(input, target, "l1Loss");
  return reduce(unary(Un.ABS, binary(Bin.SUB, input, target, "l1Loss"), 0), r);
}

/**
 * The reduction step shared by fused losses: per-row/element values → output. A mean
 * divides by `denom` (the element count, or cross entropy's total weight).
 */
function reduceFused(perItem: Tensor, reduction: Reduction, denom = perItem._size): Tensor {
  if (reduction === "none") return perItem;
  const out = empty([]);
  const s = K.sumRow(perItem._ptr, perItem._size);
  setScalar(out, reduction === "mean" ? s / denom : s);
  return out;
}

// The loss kernels with their arguments. An absent weight is passed as hasWeight 0 with
// another live pointer in its place, which the kernel does not read.
const LK = K as unknown as {
  crossEntropy(x: number, target: number, kind: number, weight: number, hasWeight: number, smoothing: number,
    loss: number, prob: number, N: number, C: number): number;
  crossEntropyBackward(prob: number, target: number, kind: number, weight: number, hasWeight: number, smoothing: number,
    g: number, gStride: number, scale: number, dx: number, N: number, C: number): void;
  bceWithLogits(x: number, y: number, weight: number, hasWeight: number, wInner: number, wPeriod: number,
    posWeight: number, hasPosWeight: number, pInner: number, pPeriod: number, out: number, n: number): void;
  bceWithLogitsBackward(x: number, y: number, weight: number, hasWeight: number, wInner: number, wPeriod: number,
    posWeight: number, hasPosWeight: number, pInner: number, pPeriod: number,
    g: number, gStride: number, scale: number, dx: number, n: number): void;
};

function show(v: unknown): string {
  if (v instanceof Tensor) return v.isDisposed ? "a disposed Tensor" : `a Tensor of shape ${fmt(v.shape)}`;
  if (typeof v === "string") return JSON.stringify(v);
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (v !== null && typeof v === "object") return `a ${v.constructor?.name ?? "object"}`;
  return String(v);
}

/** An optional tensor option (weight, posWeight): null/undefined, or a live Tensor that needs no grad. */
function optionalTensor(v: unknown, where: string, name: string, expected: string): Tensor | null {
  if (v === undefined || v === null) return null;
  if (!(v instanceof Tensor) || v.isDisposed) throw new TypeError(`${where}: ${name} must be a Tensor (${expected}) or null, got ${show(v)}`);
  return v;
}

function refuseGradOf(t: Tensor | null, where: string, name: string): void {
  if (t !== null && isGradEnabled() && t.requiresGrad) {
    throw new Error(`${where}: ${name} requires grad, but the loss is not differentiable with respect to ${name} ` +
      "(as in PyTorch); pass a tensor that does not require grad, e.g. .detach()");
  }
}

export interface CrossEntropyOptions {
  /** A rescaling weight per class, shape [C]. */
  weight?: Tensor | null;
  /** Rows whose class index is this value add nothing to the loss or the mean's denominator (default −100). */
  ignoreIndex?: number;
  /** ε in [0, 1]: the target mixes (1 − ε) of itself with a uniform ε/C (default 0). */
  labelSmoothing?: number;
  reduction?: Reduction;
}

/** Checks cross entropy's option values (not against an input yet) and fills PyTorch's defaults. */
export function checkCrossEntropyOptions(where: string, o: CrossEntropyOptions): Required<CrossEntropyOptions> {
  const weight = optionalTensor(o.weight, where, "weight", "one weight per class, shape [C]");
  if (weight !== null && weight.shape.length !== 1) {
    throw new Error(`${where}: weight must be 1-D, one weight per class (shape [C]), got shape ${fmt(weight.shape)}`);
  }
  const ignoreIndex = o.ignoreIndex ?? -100;
  if (typeof ignoreIndex !== "number" || !Number.isSafeInteger(ignoreIndex)) {
    throw new TypeError(`${where}: ignoreIndex must be an integer (a class index, or −100 for none), got ${show(ignoreIndex)}`);
  }
  const labelSmoothing = o.labelSmoothing ?? 0;
  // PyTorch raises above 1 and silently uses 0 for a negative value; both are refused here.
  if (typeof labelSmoothing !== "number" || !(labelSmoothing >= 0 && labelSmoothing <= 1)) {
    throw new RangeError(`${where}: labelSmoothing must be a number between 0.0 and 1.0, got ${show(labelSmoothing)}`);
  }
  return { weight, ignoreIndex, labelSmoothing, reduction: checkReduction(o.reduction ?? "mean", where) };
}

export type Target = Tensor | Int32Array | readonly number[];

const TARGET_FORMS = "class indices (a Tensor of shape [N], an Int32Array or a number[]) or class probabilities (a Tensor of shape [N, C])";

/** Class indices as i32 with ignored rows mapped to −1, checked before anything is allocated. */
function classIndices(target: Tensor | ArrayLike<number>, N: number, C: number, ignoreIndex: number): number[] {
  const idx = Array.from(target instanceof Tensor ? target.toArray() : target);
  if (idx.length !== N) {
    throw new Error(`crossEntropy: target has ${idx.length} class indices but input has ${N} rows (one index per row)`);
  }
  for (let i = 0; i < N; i++) {
    const v = idx[i];
    if (v === ignoreIndex) { idx[i] = -1; continue; }
    if (typeof v !== "number" || !Number.isInteger(v)) {
      throw new Error(`crossEntropy: target[${i}] is ${show(v)}; class indices must be whole numbers in 0 to ${C - 1} (or ignoreIndex ${ignoreIndex})`);
    }
    if (v < 0 || v >= C) {
      throw new Error(`crossEntropy: Target ${v} is out of bounds: target[${i}] must be a class index in 0 to ${C - 1} (or ignoreIndex ${ignoreIndex})`);
    }
  }
  return idx;
}

/**
 * PyTorch's cross_entropy over logits [N, C]: log_softmax and the (weighted, smoothed)
 * negative log likelihood fused into one kernel, forward and backward. A weighted mean
 * divides by the total weight of the rows not ignored (nll_loss's denominator); with
 * class probabilities it divides by N.
 */
export function crossEntropy(input: Tensor, target: Target, options: CrossEntropyOptions = {}): Tensor {
  const { weight, ignoreIndex, labelSmoothing, reduction: r } = checkCrossEntropyOptions("crossEntropy", options);
  if (!(input instanceof Tensor) || input.isDisposed) throw new TypeError(`crossEntropy: input must be a Tensor of logits [N, C], got ${show(input)}`);
  if (input.shape.length !== 2) throw new Error(`crossEntropy: input must be logits of shape [N, C], got ${fmt(input.shape)}`);
  const [N, C] = input.shape;
  if (weight !== null && weight.shape[0] !== C) {
    throw new Error(`crossEntropy: weight tensor should be defined either for all ${C} classes or no classes but got weight tensor of shape: ${fmt(weight.shape)}`);
  }
  refuseGradOf(weight, "crossEntropy", "weight");
  const probTarget = target instanceof Tensor && target.shape.length === 2;
  let idx: number[] | null = null;
  if (probTarget) {
    if (target.isDisposed) throw new TypeError("crossEntropy: target was disposed");
    if (!sameShape(target.shape, input.shape)) {
      throw new Error(`crossEntropy: class-probability target must have the input's shape ${fmt(input.shape)}, got ${fmt(target.shape)}`);
    }
    if (ignoreIndex >= 0) {
      throw new Error(`crossEntropy: ignoreIndex is not supported for class-probability targets (got ignoreIndex ${ignoreIndex}); leave it at −100`);
    }
    if (needsGrad(target)) {
      throw new Error("crossEntropy: gradients with respect to a probability target are not supported; detach() it");
    }
  } else {
    const isIndexArray = Array.isArray(target) || target instanceof Int32Array;
    if (!(target instanceof Tensor && target.shape.length === 1 && !target.isDisposed) && !isIndexArray) {
      throw new TypeError(`crossEntropy: target must be ${TARGET_FORMS}, got ${show(target)}`);
    }
    idx = classIndices(target as Tensor | ArrayLike<number>, N, C, ignoreIndex);
  }
  const kind = probTarget ? 1 : 0;
  const x = dense(input);
  const w = weight === null ? null : dense(weight);
  let tgt: Tensor;
  if (idx !== null) {
    tgt = empty([N], "int32"); // class indices, ignored rows as −1
    const tp = tgt._ptr; // before I32(): see storage_access.ts on pointers
    I32().set(idx, tp >>> 2);
  } else tgt = dense(target as Tensor);
  const perRow = empty([N]);
  const prob = empty([N, C]);
  const denom = LK.crossEntropy(x._ptr, tgt._ptr, kind, w !== null ? w._ptr : x._ptr, w ? 1 : 0,
    labelSmoothing, perRow._ptr, prob._ptr, N, C);
  const out = reduceFused(perRow, r, denom);
  if (out !== perRow) perRow.dispose();
  dropTemp(x, input);
  // what the backward reads and the engine owns: freed with the graph (or now, with no graph)
  const saved = [prob, ...(tgt !== target ? [tgt] : []), ...(w !== null && w !== weight ? [w] : [])];
  if (needsGrad(input)) {
    record(out, "NllLossBackward0", [input], (g) => {
      const dx = empty(input.shape);
      LK.crossEntropyBackward(prob._ptr, tgt._ptr, kind, w !== null ? w._ptr : prob._ptr, w ? 1 : 0, labelSmoothing,
        g._ptr, r === "none" ? 1 : 0, r === "mean" ? 1 / denom : 1, dx._ptr, N, C);
      return [dx];
    }, [tgt, ...(w !== null ? [w] : [])].filter((t) => t === target || t === weight), saved);
  } else {
    for (const s of saved) s.dispose();
  }
  return out;
}

export interface BCEWithLogitsOptions {
  /** A rescaling weight per element, broadcast to the input's shape. */
  weight?: Tensor | null;
  /** A weight on the positive term per class, broadcast to the input's shape (e.g. [C] over [N, C]). */
  posWeight?: Tensor | null;
  reduction?: Reduction;
}

/** Checks binaryCrossEntropyWithLogits' option values (not against an input yet) and fills the defaults. */
export function checkBCEWithLogitsOptions(where: string, o: BCEWithLogitsOptions): Required<BCEWithLogitsOptions> {
  return {
    weight: optionalTensor(o.weight, where, "weight", "broadcastable to the input's shape"),
    posWeight: optionalTensor(o.posWeight, where, "posWeight", "broadcastable to the input's shape, e.g. [C] for input [N, C]"),
    reduction: checkReduction(o.reduction ?? "mean", where),
  };
}

/** How a weight is read broadcast over `shape` by the kernel: at (i / inner) % period. */
interface Broadcast { t: Tensor; inner: number; period: number; expanded: boolean }

/**
 * The kernel's read of `w` broadcast to `shape` (PyTorch multiplies it in place into a loss
 * of the input's shape, so `w` must broadcast to exactly that shape). When `w`'s
 * non-broadcast dims are one block of `shape`'s, it is read where it is; otherwise it is
 * expanded to `shape` first.
 */
function broadcastRead(w: Tensor, shape: readonly number[]): Broadcast {
  const off = shape.length - w.shape.length;
  let kept = false, gap = false, inner = 1;
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    if (d >= off && w.shape[d - off] === shape[d]) {
      if (gap) return expanded(w, shape);
      kept = true;
      inner = 1;
    } else {
      if (kept) gap = true;
      inner *= shape[d];
    }
  }
  return { t: w, inner: kept ? inner : 1, period: w._size, expanded: false };
}

function checkBroadcastsTo(w: Tensor | null, shape: readonly number[], name: string): void {
  const off = shape.length - (w?.shape.length ?? 0);
  if (w !== null && (off < 0 || w.shape.some((d, i) => d !== 1 && d !== shape[off + i]))) {
    throw new Error(`binaryCrossEntropyWithLogits: ${name} of shape ${fmt(w.shape)} must broadcast to the input's shape ${fmt(shape)}`);
  }
}

function expanded(w: Tensor, shape: readonly number[]): Broadcast {
  const t = empty(shape);
  copyInto(t, w);
  return { t, inner: 1, period: t._size, expanded: true };
}

/**
 * PyTorch's binary_cross_entropy_with_logits, fused (forward and backward in one kernel
 * each), with `weight` and `posWeight` broadcast to the input's shape; a mean divides by
 * the element count.
 */
export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, options: BCEWithLogitsOptions = {}): Tensor {
  const { weight, posWeight, reduction: r } = checkBCEWithLogitsOptions("binaryCrossEntropyWithLogits", options);
  checkSameShape(input, target, "binaryCrossEntropyWithLogits");
  refuseGradOf(weight, "binaryCrossEntropyWithLogits", "weight");
  refuseGradOf(posWeight, "binaryCrossEntropyWithLogits", "posWeight");
  if (needsGrad(target)) {
    throw new Error("binaryCrossEntropyWithLogits: gradients with respect to the target are not supported; detach() it");
  }
  const shape = input.shape;
  checkBroadcastsTo(weight, shape, "weight");
  checkBroadcastsTo(posWeight, shape, "posWeight");
  const w = weight === null ? null : broadcastRead(dense(weight), shape);
  const pw = posWeight === null ? null : broadcastRead(dense(posWeight), shape);
  const x = dense(input), y = dense(target);
  const n = input._size;
  const perItem = empty(shape);
  LK.bceWithLogits(x._ptr, y._ptr, w !== null ? w.t._ptr : x._ptr, w ? 1 : 0, w?.inner ?? 1, w?.period ?? 1,
    pw !== null ? pw.t._ptr : x._ptr, pw ? 1 : 0, pw?.inner ?? 1, pw?.period ?? 1, perItem._ptr, n);
  const out = reduceFused(perItem, r);
  if (out !== perItem) perItem.dispose();
  // engine-owned copies the backward reads: freed with the graph (or now, with no graph)
  const saved = [x !== input ? x : null, y !== target ? y : null, w !== null && w.t !== weight ? w.t : null,
    pw !== null && pw.t !== posWeight ? pw.t : null].filter((t): t is Tensor => t !== null);
  if (needsGrad(input)) {
    record(out, "BinaryCrossEntropyWithLogitsBackward0", [input], (g) => {
      const dx = empty(shape);
      LK.bceWithLogitsBackward(x._ptr, y._ptr, w !== null ? w.t._ptr : x._ptr, w ? 1 : 0, w?.inner ?? 1, w?.period ?? 1,
        pw !== null ? pw.t._ptr : x._ptr, pw ? 1 : 0, pw?.inner ?? 1, pw?.period ?? 1,
        g._ptr, r === "none" ? 1 : 0, r === "mean" ? 1 / n : 1, dx._ptr, n);
      return [dx];
    }, [input, target, weight, posWeight].filter((t): t is Tensor => t !== null), saved);
  } else {
    for (const s of saved) s.dispose();
  }
  return out;
}
