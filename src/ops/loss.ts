// Loss functions (nn.functional and the nn loss modules call these).
import { Tensor } from "../tensor.js";
import { K } from "../runtime/wasm.js";
import { I32 } from "../runtime/memory.js";
import { isGradEnabled, needsGrad, record } from "../autograd.js";
import { binary, unary } from "./elementwise.js";
import { clone, copyInto, dense, dropTemp, empty, fill, live, setScalar } from "./layout.js";
import { viewOf } from "./views.js";
import { sum } from "./reduce.js";
import { Bin, Un } from "./codes.js";
import { fmt, sameShape, stridesOf } from "../shape.js";

/**
 * How a loss combines its per-element (or per-row) terms, PyTorch's `reduction`: `"mean"`
 * (the default everywhere), `"sum"`, or `"none"` (the terms themselves).
 *
 * ```ts
 * const r: nn.Reduction = "none";
 * F.mseLoss(torch.tensor([1, 2]), torch.tensor([0, 0]), { reduction: r }); // tensor([1., 4.])
 * ```
 */
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

/**
 * Options of `nn.CrossEntropyLoss` and `F.crossEntropy` (PyTorch's keyword arguments, their
 * defaults).
 *
 * ```ts
 * const opts: nn.CrossEntropyOptions = { weight: torch.tensor([1, 3]), ignoreIndex: -1 };
 * F.crossEntropy(torch.tensor([[0, 0], [0, 0]]), [1, -1], opts); // tensor(0.6931)
 * ```
 */
export interface CrossEntropyOptions {
  /** A rescaling weight per class, shape [C]. */
  weight?: Tensor | null;
  /** Rows whose class index is this value add nothing to the loss or the mean's denominator (default −100). */
  ignoreIndex?: number;
  /** ε in [0, 1]: the target mixes (1 − ε) of itself with a uniform ε/C (default 0). */
  labelSmoothing?: number;
  /** `"mean"` (default; weighted by the class weights of the rows counted), `"sum"` or `"none"`. */
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

/**
 * The target of `crossEntropy` and `nllLoss`: class indices (an int32 tensor [N], an
 * Int32Array or a number[]), or for cross entropy class probabilities (a float32 tensor
 * shaped as the input).
 *
 * ```ts
 * const logits = torch.tensor([[1, 0], [0, 1]]);
 * const targets: nn.Target[] = [[0, 1], new Int32Array([0, 1]), torch.tensor([0, 1], { dtype: "int32" }), torch.eye(2)];
 * targets.map((t) => F.crossEntropy(logits, t).item()); // [0.3133, 0.3133, 0.3133, 0.3133]
 * ```
 */
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

/**
 * Options of `nn.BCEWithLogitsLoss` and `F.binaryCrossEntropyWithLogits`.
 *
 * ```ts
 * const opts: nn.BCEWithLogitsOptions = { posWeight: torch.tensor([3]), reduction: "sum" };
 * F.binaryCrossEntropyWithLogits(torch.tensor([0, 2]), torch.tensor([0, 1]), opts); // tensor(1.0739)
 * ```
 */
export interface BCEWithLogitsOptions {
  /** A rescaling weight per element, broadcast to the input's shape. */
  weight?: Tensor | null;
  /** A weight on the positive term per class, broadcast to the input's shape (e.g. [C] over [N, C]). */
  posWeight?: Tensor | null;
  /** `"mean"` (default), `"sum"` or `"none"`. */
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

function checkBroadcastsTo(w: Tensor | null, shape: readonly number[], name: string, where = "binaryCrossEntropyWithLogits"): void {
  const off = shape.length - (w?.shape.length ?? 0);
  if (w !== null && (off < 0 || w.shape.some((d, i) => d !== 1 && d !== shape[off + i]))) {
    throw new Error(`${where}: ${name} of shape ${fmt(w.shape)} must broadcast to the input's shape ${fmt(shape)}`);
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

// ---- nll_loss and the element-wise losses ---------------------------------------------------

const PK = K as unknown as {
  nll(x: number, target: number, weight: number, hasWeight: number, loss: number, N: number, C: number): number;
  nllBackward(target: number, weight: number, hasWeight: number, g: number, gStride: number, scale: number,
    dx: number, N: number, C: number): void;
  pointwiseLoss(op: number, x: number, y: number, weight: number, hasWeight: number, out: number, n: number, p: number): void;
  pointwiseLossBackward(op: number, x: number, y: number, weight: number, hasWeight: number, g: number, gStride: number,
    scale: number, dx: number, n: number, p: number): void;
};

/**
 * Options of `nn.NLLLoss` and `F.nllLoss`.
 *
 * ```ts
 * const opts: nn.NLLLossOptions = { reduction: "sum" };
 * F.nllLoss(torch.tensor([[-1, -2], [-3, -4]]), [0, 1], opts); // tensor(5.)
 * ```
 */
export interface NLLLossOptions {
  /** A rescaling weight per class, shape [C] (default none). */
  weight?: Tensor | null;
  /** Rows whose class index is this value add nothing to the loss or the mean's denominator (default −100). */
  ignoreIndex?: number;
  /** `"mean"` (default; divided by the total weight of the rows counted), `"sum"` or `"none"`. */
  reduction?: Reduction;
}

/**
 * PyTorch's nll_loss over log-probabilities [N, C] (or [C], or [N, C, d…]) and class
 * indices: −w_t·input[i, t]; a mean divides by the total weight of the rows not ignored.
 */
export function nllLoss(input: Tensor, target: Target, options: NLLLossOptions = {}): Tensor {
  const where = "nllLoss";
  const weight = optionalTensor(options.weight, where, "weight", "one weight per class, shape [C]");
  const ignoreIndex = options.ignoreIndex ?? -100;
  if (typeof ignoreIndex !== "number" || !Number.isSafeInteger(ignoreIndex)) {
    throw new TypeError(`${where}: ignoreIndex must be an integer, got ${show(ignoreIndex)}`);
  }
  const r = checkReduction(options.reduction ?? "mean", where);
  if (!(input instanceof Tensor) || input.isDisposed) throw new TypeError(`${where}: input must be a Tensor of log-probabilities [N, C], got ${show(input)}`);
  if (input.dtype !== "float32") throw new TypeError(`${where}: input must be float32, got ${input.dtype}`);
  if (input.shape.length < 1) throw new Error(`${where}: input must have a class dim ([C], [N, C] or [N, C, d…]), got ${fmt(input.shape)}`);
  refuseGradOf(weight, where, "weight");
  // [C] and [N, C, d…] as rows of C: the class dim moved last
  const C = input.shape.length === 1 ? input.shape[0] : input.shape[1];
  if (weight !== null && (weight.shape.length !== 1 || weight.shape[0] !== C)) {
    throw new Error(`${where}: weight tensor should be defined either for all ${C} classes or no classes but got weight tensor of shape: ${fmt(weight.shape)}`);
  }
  const outShape = input.shape.length === 1 ? [] : [input.shape[0], ...input.shape.slice(2)];
  const rows = outShape.reduce((a, b) => a * b, 1);
  if (!(target instanceof Tensor) && !Array.isArray(target) && !(target instanceof Int32Array)) {
    throw new TypeError(`${where}: target must be class indices (a Tensor, an Int32Array or a number[]), got ${show(target)}`);
  }
  if (target instanceof Tensor && target.shape.length !== outShape.length) {
    throw new Error(`${where}: target of shape ${fmt(target.shape)} must have shape ${fmt(outShape)} (input ${fmt(input.shape)})`);
  }
  const idx = classIndices(target, rows, C, ignoreIndex);
  // rows of C values: [C] and [N, C] as they are; [N, C, d…] with the class dim moved last
  const xd = dense(input);
  let x = xd;
  const spatial = input.shape.length > 2;
  if (spatial) {
    const r = input.shape.length;
    const perm = [0, ...Array.from({ length: r - 2 }, (_, i) => i + 2), 1];
    const moved = viewOf(xd, perm.map((p) => xd.shape[p]), perm.map((p) => xd._strides[p]), xd._offset);
    x = clone(moved);
    moved.dispose();
    dropTemp(xd, input);
  }
  const w = weight === null ? null : dense(weight);
  const tgt = empty([rows], "int32");
  const tp = tgt._ptr; // before I32(): see storage_access.ts on pointers
  I32().set(idx, tp >>> 2);
  const per = empty([rows]);
  const denom = PK.nll(x._ptr, tgt._ptr, w !== null ? w._ptr : x._ptr, w ? 1 : 0, per._ptr, rows, C);
  if (x !== input) x.dispose();
  let out: Tensor;
  if (r === "none") {
    out = viewOf(per, outShape, stridesOf(outShape), 0);
    per.dispose();
  } else {
    out = reduceFused(per, r, denom);
    per.dispose();
  }
  const saved = [tgt, ...(w !== null && w !== weight ? [w] : [])];
  if (needsGrad(input)) {
    record(out, "NllLossBackward0", [input], (g) => {
      const dx2 = fill([rows, C], 0);
      const gd = dense(g);
      PK.nllBackward(tgt._ptr, w !== null ? w._ptr : gd._ptr, w ? 1 : 0, gd._ptr, r === "none" ? 1 : 0,
        r === "mean" ? 1 / denom : 1, dx2._ptr, rows, C);
      dropTemp(gd, g);
      if (!spatial) return [viewAsShape(dx2, input.shape)];
      // back to [N, C, d…] from rows [N, d…] × C
      const rk = input.shape.length;
      const rowsShape = [input.shape[0], ...input.shape.slice(2), C];
      const rs = stridesOf(rowsShape);
      const perm = [0, rk - 1, ...Array.from({ length: rk - 2 }, (_, i) => i + 1)];
      const back = viewOf(dx2, perm.map((p) => rowsShape[p]), perm.map((p) => rs[p]), 0);
      const c = clone(back);
      back.dispose(); dx2.dispose();
      return [c];
    }, weight !== null && w === weight ? [weight] : [], saved);
  } else for (const t of saved) t.dispose();
  return out;
}

/** A contiguous tensor's storage under another shape of the same size (no graph), handing over the handle. */
function viewAsShape(t: Tensor, shape: readonly number[]): Tensor {
  const v = viewOf(t, shape, stridesOf(shape), t._offset);
  t.dispose();
  return v;
}

const enum PW { BCE = 0, HUBER = 1, SMOOTH_L1 = 2, KL_DIV = 3, KL_DIV_LOG = 4 }
const PW_NAMES = ["BinaryCrossEntropyBackward0", "HuberLossBackward0", "SmoothL1LossBackward0", "KlDivBackward0", "KlDivBackward0"];

/**
 * An element-wise loss of input against a target of the same shape, one fused kernel each
 * way; `weight` (BCE) broadcast to the input's shape; reductions "none", "sum", "mean" and
 * KL's "batchmean" (the sum over the batch size).
 */
function pointwise(op: PW, where: string, input: Tensor, target: Tensor, reduction: Reduction | "batchmean",
  p: number, weight: Tensor | null): Tensor {
  checkSameShape(input, target, where);
  if (input.dtype !== "float32" || target.dtype !== "float32") {
    throw new TypeError(`${where}: input and target must be float32, got ${input.dtype} and ${target.dtype}`);
  }
  if (needsGrad(target)) {
    throw new Error(`${where}: gradients with respect to the target are not supported; detach() it`);
  }
  refuseGradOf(weight, where, "weight");
  checkBroadcastsTo(weight, input.shape, "weight", where);
  const x = dense(input), y = dense(target);
  let w: Tensor | null = null;
  if (weight !== null) { w = empty(input.shape); copyInto(w, weight); }
  const n = input._size;
  const per = empty(input.shape);
  if (n > 0) PK.pointwiseLoss(op, x._ptr, y._ptr, w !== null ? w._ptr : x._ptr, w ? 1 : 0, per._ptr, n, p);
  let out: Tensor, scale = 1;
  if (reduction === "none") out = per;
  else {
    const denom = reduction === "mean" ? n : reduction === "batchmean" ? (input.shape.length > 0 ? input.shape[0] : 1) : 1;
    out = reduceFused(per, reduction === "sum" ? "sum" : "mean", denom);
    per.dispose();
    scale = 1 / denom;
  }
  const saved = [x !== input ? x : null, y !== target ? y : null, w].filter((t): t is Tensor => t !== null);
  if (needsGrad(input)) {
    record(out, PW_NAMES[op], [input], (g) => {
      const dx = empty(input.shape);
      if (n > 0) {
        PK.pointwiseLossBackward(op, x._ptr, y._ptr, w !== null ? w._ptr : x._ptr, w ? 1 : 0, g._ptr,
          reduction === "none" ? 1 : 0, reduction === "none" ? 1 : scale, dx._ptr, n, p);
      }
      return [dx];
    }, [input, target], saved);
  } else for (const t of saved) t.dispose();
  return out;
}

/** PyTorch's binary_cross_entropy over probabilities, logs clamped at −100 as PyTorch does. */
export function binaryCrossEntropy(input: Tensor, target: Tensor, options: { weight?: Tensor | null; reduction?: Reduction } = {}): Tensor {
  const weight = optionalTensor(options.weight, "binaryCrossEntropy", "weight", "broadcastable to the input's shape");
  const r = checkReduction(options.reduction ?? "mean", "binaryCrossEntropy");
  return pointwise(PW.BCE, "binaryCrossEntropy", input, target, r, 0, weight);
}

function positive(where: string, name: string, v: unknown, allowZero: boolean): number {
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0 || (!allowZero && v === 0)) {
    throw new RangeError(`${where}: ${name} must be a ${allowZero ? "non-negative" : "positive"} number, got ${show(v)}`);
  }
  return v;
}

/** PyTorch's huber_loss: ½d² where |d| < delta, delta·(|d| − ½delta) beyond (default delta 1). */
export function huberLoss(input: Tensor, target: Tensor, options: { reduction?: Reduction; delta?: number } = {}): Tensor {
  const r = checkReduction(options.reduction ?? "mean", "huberLoss");
  return pointwise(PW.HUBER, "huberLoss", input, target, r, positive("huberLoss", "delta", options.delta ?? 1, false), null);
}

/** PyTorch's smooth_l1_loss: ½d²/beta where |d| < beta, |d| − ½beta beyond (default beta 1; 0 is L1). */
export function smoothL1Loss(input: Tensor, target: Tensor, options: { reduction?: Reduction; beta?: number } = {}): Tensor {
  const r = checkReduction(options.reduction ?? "mean", "smoothL1Loss");
  return pointwise(PW.SMOOTH_L1, "smoothL1Loss", input, target, r, positive("smoothL1Loss", "beta", options.beta ?? 1, true), null);
}

/**
 * PyTorch's kl_div(input, target): input holds log-probabilities; target probabilities
 * (or log-probabilities with `logTarget`). Reductions "mean" (over elements, PyTorch's
 * default), "batchmean" (the mathematically right one), "sum", "none".
 */
export function klDiv(input: Tensor, target: Tensor, options: { reduction?: Reduction | "batchmean"; logTarget?: boolean } = {}): Tensor {
  const red = options.reduction ?? "mean";
  const r = red === "batchmean" ? "batchmean" : checkReduction(red, "klDiv");
  const logTarget = options.logTarget ?? false;
  if (typeof logTarget !== "boolean") throw new TypeError(`klDiv: logTarget must be a boolean, got ${show(logTarget)}`);
  return pointwise(logTarget ? PW.KL_DIV_LOG : PW.KL_DIV, "klDiv", input, target, r, 0, null);
}
