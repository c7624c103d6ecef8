// gather, scatter (and scatter_), scatterAdd (and scatterAdd_), indexSelect: PyTorch's
// checks (ScatterGatherChecks.h), then one walk of assembly/indexing.ts each. Indices are
// int32 tensors (torchlet's int64); out-of-range ones are refused with the dim and size.
import { Tensor } from "../tensor.js";
import { checkInPlaceTarget, isGradEnabled, needsGrad, record } from "../autograd.js";
import { defineMethods } from "../methods.js";
import { fmt, normDim, numelOf, stridesOf } from "../shape.js";
import { clone, dense, empty, fill, live } from "./layout.js";
import { viewOf } from "./views.js";
import { ACCUMULATE, GATHER, PUT, indexedCopy, outOfBounds, outOfRange } from "./indexed_copy.js";

declare module "../tensor.js" {
  interface Tensor {
    /**
     * Values along `dim` at `index` (int32, as many dims as t), as PyTorch's `gather`:
     * `out[i][j] = t[i][index[i][j]]` for dim 1. Differentiable for t.
     *
     * ```ts
     * const x = torch.tensor([[1, 2, 3], [4, 5, 6]]);
     * x.gather(1, torch.tensor([[0], [2]], { dtype: "int32" })); // one column per row: tensor([[1.], [6.]])
     * ```
     */
    gather(dim: number, index: Tensor): Tensor;
    /**
     * A copy of t with `src` (a tensor, or one number) written at `index` along `dim`, as
     * PyTorch's `scatter`: `out[i][index[i][j]] = src[i][j]` for dim 1. Differentiable for t
     * and src.
     *
     * ```ts
     * const labels = torch.tensor([[2], [0]], { dtype: "int32" });
     * torch.zeros([2, 3]).scatter(1, labels, 1); // one-hot rows: tensor([[0., 0., 1.], [1., 0., 0.]])
     * ```
     */
    scatter(dim: number, index: Tensor, src: Tensor | number): Tensor;
    /**
     * `scatter` in place; returns t (PyTorch's `scatter_`).
     *
     * ```ts
     * const labels = torch.tensor([1, 0, 2], { dtype: "int32" });
     * const onehot = torch.zeros([3, 3]);
     * onehot.scatter_(1, labels.unsqueeze(1), 1); // tensor([[0., 1., 0.], [1., 0., 0.], [0., 0., 1.]])
     * ```
     */
    scatter_(dim: number, index: Tensor, src: Tensor | number): this;
    /**
     * A copy of t with `src` added at `index` along `dim`; repeated indices add up (PyTorch's
     * `scatter_add`).
     *
     * ```ts
     * torch.zeros([3]).scatterAdd(0, torch.tensor([0, 0, 2], { dtype: "int32" }), torch.ones([3])); // tensor([2., 0., 1.])
     * ```
     */
    scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor;
    /**
     * `scatterAdd` in place; returns t (PyTorch's `scatter_add_`).
     *
     * ```ts
     * const labels = torch.tensor([1, 3, 1, 1], { dtype: "int32" });
     * const counts = torch.zeros([4], { dtype: "int32" });
     * counts.scatterAdd_(0, labels, torch.onesLike(labels)); // a histogram: tensor([0, 3, 0, 1])
     * ```
     */
    scatterAdd_(dim: number, index: Tensor, src: Tensor): this;
    /**
     * The entries of `dim` at `index` (a 1-D int32 tensor), in that order, as PyTorch's
     * `index_select`.
     *
     * ```ts
     * const x = torch.tensor([[1, 2], [3, 4], [5, 6]]);
     * x.indexSelect(0, torch.tensor([2, 0], { dtype: "int32" })); // rows 2 and 0: tensor([[5., 6.], [1., 2.]])
     * ```
     */
    indexSelect(dim: number, index: Tensor): Tensor;
  }
}

function checkIndexTensor(index: unknown, op: string): Tensor {
  if (!(index instanceof Tensor)) throw new TypeError(`${op}: index must be an int32 Tensor, got ${index === null ? "null" : typeof index}`);
  live(index);
  if (index.dtype !== "int32" && index._size > 0) {
    throw new TypeError(`${op}: Expected dtype int32/int64 for index, got ${index.dtype} (torchlet's int64 is int32)`);
  }
  return index;
}

/** Rank as PyTorch's ensure_nonempty_dim (a 0-dim tensor counts as 1-D of size 1). */
const rankOf = (t: Tensor): number => Math.max(t.shape.length, 1);
const sizeAt = (t: Tensor, d: number): number => (t.shape.length === 0 ? 1 : t.shape[d]);
/** A 0-dim tensor seen as 1-D of size 1 (a new handle; the caller disposes it). */
const as1d = (t: Tensor): Tensor => viewOf(t, t.shape.length === 0 ? [1] : t.shape, t.shape.length === 0 ? [1] : t._strides, t._offset);

/** t[…index…] walks: A = `a` (t, 0-dim as 1-D) with dim d indexed by `idx`, over index's shape. */
function walkAlong(mode: number, a: Tensor, d: number, idx: Tensor, b: Tensor, bStrides: readonly number[]): void {
  const aStrides = a._strides.slice();
  aStrides[d] = 0;
  const shape = idx.shape.length === 0 ? [1] : idx.shape;
  indexedCopy(mode, a, aStrides, b, bStrides, shape, [{ values: idx, strides: stridesOf(shape), size: a.shape[d], aStride: a._strides[d] }]);
}

/** The gradient input's values at index (out of the index's shape), for scatter's src and gather. */
function gatherRaw(x: Tensor, d: number, index: Tensor): Tensor {
  const out = empty(index.shape, x.dtype);
  const a = as1d(x), b = as1d(out);
  walkAlong(GATHER, a, d, index, b, b._strides);
  a.dispose(); b.dispose();
  return out;
}

/** x.gather(dim, index). */
export function gather(x: Tensor, dim: number, indexIn: Tensor): Tensor {
  const op = "gather()";
  live(x);
  const index = checkIndexTensor(indexIn, op);
  const d = normDim(dim, x.shape.length, op);
  if (rankOf(x) !== rankOf(index)) {
    throw new RangeError(`${op}: Index tensor must have the same number of dimensions as input tensor (index ${fmt(index.shape)}, input ${fmt(x.shape)})`);
  }
  for (let i = 0; i < rankOf(x); i++) {
    if (i !== d && sizeAt(index, i) > sizeAt(x, i)) {
      throw new RangeError(`${op}: Size does not match at dimension ${i} expected index ${fmt(index.shape)} to be no larger than self ${fmt(x.shape)} apart from dimension ${d}`);
    }
  }
  const idx = dense(index);
  const bad = outOfRange(idx, 0, sizeAt(x, d));
  if (bad !== null) {
    if (idx !== index) idx.dispose();
    throw outOfBounds(op, bad, d, sizeAt(x, d));
  }
  const out = gatherRaw(x, d, idx);
  if (needsGrad(x)) {
    record(out, "GatherBackward0", [x], (g) => [addAlong(fill(x.shape, 0), d, idx, g)], idx === index ? [index] : [], idx === index ? [] : [idx]);
  } else if (idx !== index) idx.dispose();
  return out;
}

/** target[…index…] += src along d, in place (no checks, no version bump); returns target. */
function addAlong(target: Tensor, d: number, idx: Tensor, src: Tensor): Tensor {
  const a = as1d(target), b = as1d(src);
  walkAlong(ACCUMULATE, a, d, idx, b, b._strides);
  a.dispose(); b.dispose();
  return target;
}

interface ScatterArgs { d: number; index: Tensor; idx: Tensor; src: Tensor | null; value: number }

/** scatter's and scatterAdd's checks; the dense index (a temporary if index is a view). */
function checkScatter(x: Tensor, dim: number, indexIn: Tensor, srcIn: unknown, op: string, allowValue: boolean): ScatterArgs {
  live(x);
  const index = checkIndexTensor(indexIn, op);
  const d = normDim(dim, x.shape.length, op);
  let src: Tensor | null = null;
  let value = 0;
  if (srcIn instanceof Tensor) { live(srcIn); src = srcIn; }
  else if (allowValue && (typeof srcIn === "number" || typeof srcIn === "boolean")) value = Number(srcIn);
  else throw new TypeError(`${op}: src must be a Tensor${allowValue ? " or a number" : ""}, got ${srcIn === null ? "null" : typeof srcIn}`);
  if (src !== null && src.dtype !== x.dtype) {
    throw new TypeError(`${op}: Expected self.dtype to be equal to src.dtype (self ${x.dtype}, src ${src.dtype})`);
  }
  if (index._size > 0) {
    if (rankOf(x) !== rankOf(index)) {
      throw new RangeError(`${op}: Index tensor must have the same number of dimensions as self tensor (index ${fmt(index.shape)}, self ${fmt(x.shape)})`);
    }
    if (src !== null && rankOf(src) !== rankOf(index)) {
      throw new RangeError(`${op}: Index tensor must have the same number of dimensions as src tensor (index ${fmt(index.shape)}, src ${fmt(src.shape)})`);
    }
    let wrong = false;
    for (let i = 0; i < rankOf(x); i++) {
      if ((i !== d && sizeAt(index, i) > sizeAt(x, i)) || (src !== null && sizeAt(index, i) > sizeAt(src, i))) wrong = true;
    }
    if (wrong) {
      throw new RangeError(`${op}: Expected index ${fmt(index.shape)} to be no larger than self ${fmt(x.shape)} apart from dimension ${d}` +
        (src !== null ? ` and to be no larger size than src ${fmt(src.shape)}` : ""));
    }
  }
  const idx = dense(index);
  const bad = outOfRange(idx, 0, sizeAt(x, d));
  if (bad !== null) {
    if (idx !== index) idx.dispose();
    throw outOfBounds(op, bad, d, sizeAt(x, d));
  }
  return { d, index, idx, src, value };
}

/** Writes (or adds) src or value into t at index along d; bumps t's version. */
function scatterInto(t: Tensor, s: ScatterArgs, mode: number): void {
  if (s.index._size > 0) {
    const a = as1d(t);
    if (s.src !== null) {
      const srcIsT = s.src._storage === t._storage;
      const src = srcIsT ? clone(s.src) : s.src; // t.scatter_(…, t): read a copy
      const b = as1d(src);
      walkAlong(mode, a, s.d, s.idx, b, b._strides);
      b.dispose();
      if (srcIsT) src.dispose();
    } else {
      const v = fill([], s.value, t.dtype);
      walkAlong(mode, a, s.d, s.idx, v, new Array<number>(Math.max(s.idx.shape.length, 1)).fill(0));
      v.dispose();
    }
    a.dispose();
  }
  t._bumpVersion();
}

/** src's grad: g at index (index's shape), zero-padded where src is larger than index. */
function srcGrad(g: Tensor, d: number, idx: Tensor, src: Tensor): Tensor {
  const picked = gatherRaw(g, d, idx);
  if (numelOf(picked.shape) === src._size) return picked.shape.length === src.shape.length ? picked : reshaped(picked, src.shape);
  const out = fill(src.shape, 0);
  const region = viewOf(out, picked.shape, out._strides, out._offset);
  indexedCopy(PUT, region, region._strides, picked, picked._strides, picked.shape, []);
  region.dispose(); picked.dispose();
  return out;
}

function reshaped(t: Tensor, shape: readonly number[]): Tensor {
  const v = viewOf(t, shape, stridesOf(shape), t._offset);
  t.dispose();
  return v;
}

/** Records scatter's node on `out`: t's grad is g with the scattered places zeroed (not for add), src's is g at index. */
function recordScatter(out: Tensor, name: string, t: Tensor, tGrad: boolean, s: ScatterArgs, add: boolean): void {
  const src = s.src !== null && s.src.requiresGrad ? s.src : null;
  if (!isGradEnabled() || out.dtype !== "float32" || (!tGrad && src === null)) {
    if (s.idx !== s.index) s.idx.dispose();
    return;
  }
  const { d, idx } = s;
  record(out, name, src !== null ? [t, src] : [t], (g) => {
    let gt: Tensor | null = null;
    if (tGrad) {
      gt = clone(g);
      if (!add) scatterInto(gt, { ...s, src: null, value: 0 }, PUT);
    }
    return src !== null ? [gt, srcGrad(g, d, idx, src)] : [gt];
  }, idx === s.index ? [s.index] : [], idx === s.index ? [] : [idx]);
}

/** scatter, scatter_, scatterAdd, scatterAdd_: checks, the write (into a copy unless in place), the node. */
function scatterOp(x: Tensor, dim: number, index: Tensor, src: unknown, add: boolean, inPlace: boolean): Tensor {
  const op = `scatter${add ? "Add" : ""}${inPlace ? "_" : ""}()`;
  live(x);
  if (inPlace) checkInPlaceTarget(x, op);
  const s = checkScatter(x, dim, index, src, op, !add);
  const tGrad = x.requiresGrad;
  const out = inPlace ? x : clone(x);
  scatterInto(out, s, add ? ACCUMULATE : PUT);
  recordScatter(out, add ? "ScatterAddBackward0" : "ScatterBackward0", x, tGrad, s, add);
  return out;
}

export const scatter = (x: Tensor, dim: number, index: Tensor, src: Tensor | number): Tensor => scatterOp(x, dim, index, src, false, false);
export const scatter_ = (x: Tensor, dim: number, index: Tensor, src: Tensor | number): Tensor => scatterOp(x, dim, index, src, false, true);
export const scatterAdd = (x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor => scatterOp(x, dim, index, src, true, false);
export const scatterAdd_ = (x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor => scatterOp(x, dim, index, src, true, true);

/** x.indexSelect(dim, index): a copy with dim's entries at index (1-D or 0-dim int32). */
export function indexSelect(x: Tensor, dim: number, indexIn: Tensor): Tensor {
  const op = "indexSelect()";
  live(x);
  const index = checkIndexTensor(indexIn, op);
  if (index.dtype !== "int32") throw new TypeError(`${op}: Expected dtype int32 or int64 for index, got ${index.dtype}`);
  const d = normDim(dim, x.shape.length, op);
  if (index.shape.length > 1) throw new RangeError(`${op}: Index is supposed to be a vector, got index of shape ${fmt(index.shape)}`);
  if (x.shape.length === 0 && index._size !== 1) {
    throw new RangeError(`${op}: Index to scalar can have only 1 value, got ${index._size} value(s)`);
  }
  const size = sizeAt(x, d);
  const idx = dense(index);
  const bad = outOfRange(idx, 0, size);
  if (bad !== null) {
    if (idx !== index) idx.dispose();
    throw new RangeError(`${op}: index out of range in self: index ${bad} for dimension ${d} with size ${size}`);
  }
  const shape = x.shape.slice();
  if (shape.length > 0) shape[d] = index._size;
  const out = empty(shape, x.dtype);
  const walk = (mode: number, a: Tensor, b: Tensor): void => {
    const a1 = as1d(a), b1 = as1d(b);
    const aStrides = a1._strides.slice();
    aStrides[d] = 0;
    const idxStrides = b1.shape.map((_, i) => (i === d ? 1 : 0));
    indexedCopy(mode, a1, aStrides, b1, b1._strides, b1.shape, [{ values: idx, strides: idxStrides, size, aStride: a1._strides[d] }]);
    a1.dispose(); b1.dispose();
  };
  walk(GATHER, x, out);
  if (needsGrad(x)) {
    record(out, "IndexSelectBackward0", [x], (g) => {
      const gx = fill(x.shape, 0);
      walk(ACCUMULATE, gx, g);
      return [gx];
    }, idx === index ? [index] : [], idx === index ? [] : [idx]);
  } else if (idx !== index) idx.dispose();
  return out;
}

/** PyTorch's scatter(…, reduce=) is deprecated there and not offered here: refused rather than ignored. */
export function noReduce(rest: unknown[], op: string): void {
  if (rest.length > 0) {
    throw new TypeError(`${op}: takes (dim, index, src); the reduce argument is not supported (use scatterAdd for reduce="add")`);
  }
}

defineMethods({
  gather(this: Tensor, dim: number, index: Tensor) { return gather(this, dim, index); },
  scatter(this: Tensor, dim: number, index: Tensor, src: Tensor | number, ...rest: unknown[]) {
    noReduce(rest, "scatter()");
    return scatter(this, dim, index, src);
  },
  scatter_(this: Tensor, dim: number, index: Tensor, src: Tensor | number, ...rest: unknown[]) {
    noReduce(rest, "scatter_()");
    return scatter_(this, dim, index, src);
  },
  scatterAdd(this: Tensor, dim: number, index: Tensor, src: Tensor) { return scatterAdd(this, dim, index, src); },
  scatterAdd_(this: Tensor, dim: number, index: Tensor, src: Tensor) { return scatterAdd_(this, dim, index, src); },
  indexSelect(this: Tensor, dim: number, index: Tensor) { return indexSelect(this, dim, index); },
});
