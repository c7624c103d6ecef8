// Joining and splitting: torch.cat and torch.stack copy each input into its slice of one
// new tensor (strided copies; dtypes promoted as PyTorch's cat does); split and chunk
// return views (narrow) of the input.
import { Tensor } from "../tensor.js";
import { needsGrad, record } from "../autograd.js";
import { defineMethods } from "../methods.js";
import { promoteTypes, type DType } from "../dtype.js";
import { fmt, normDim, sameShape } from "../shape.js";
import { castTo, clone, copyInto, empty, live } from "./layout.js";
import { narrow, viewOf } from "./views.js";

declare module "../tensor.js" {
  interface Tensor {
    /**
     * Views of t along `dim` (default 0): pieces of `splitSize` (the last may be smaller), or of
     * the given sizes (which must add up to the dim's size), as PyTorch's `split`.
     *
     * ```ts
     * torch.arange(5).split(2).map((p) => p.numel());   // [2, 2, 1]
     * const x = torch.zeros([2, 4]);
     * x.split([1, 3], 1).map((p) => p.shape);          // [[2, 1], [2, 3]]
     * ```
     */
    split(splitSizeOrSections: number | readonly number[], dim?: number): Tensor[];
    /**
     * `chunks` views of t along `dim` (default 0), each of ceil(size / chunks) (fewer when they
     * run out), as PyTorch's `chunk`.
     *
     * ```ts
     * torch.arange(6).chunk(4).map((p) => p.tolist()); // [[0, 1], [2, 3], [4, 5]]
     * ```
     */
    chunk(chunks: number, dim?: number): Tensor[];
  }
}

function tensorList(tensors: unknown, op: string): Tensor[] {
  if (!Array.isArray(tensors)) {
    throw new TypeError(`${op}: argument 'tensors' must be an array of Tensors, not ${tensors instanceof Tensor ? "a Tensor" : tensors === null ? "null" : typeof tensors}`);
  }
  if (tensors.length === 0) throw new RangeError(`${op}: expected a non-empty list of Tensors`);
  tensors.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new TypeError(`${op}: expected Tensor as element ${i} in argument 0, but got ${t === null ? "null" : typeof t}`);
    live(t);
  });
  return tensors as Tensor[];
}

/** The dtype of a cat: PyTorch's promotion over every input. */
function resultType(ts: readonly Tensor[]): DType {
  return ts.reduce<DType>((d, t) => promoteTypes(d, t.dtype), "bool");
}

/** Copies each input into its region of `out` (cast to out's dtype first); gradients are the same regions of g. */
function joinInto(out: Tensor, parts: readonly Tensor[], region: (t: Tensor, i: number) => Tensor, name: string): Tensor {
  parts.forEach((p, i) => {
    const r = region(out, i);
    const src = p.dtype === out.dtype ? p : castTo(p, out.dtype);
    copyInto(r, src);
    if (src !== p) src.dispose();
    r.dispose();
  });
  if (out.dtype === "float32" && parts.some((p) => needsGrad(p))) {
    record(out, name, parts, (g) => parts.map((p, i) => {
      if (!p.requiresGrad || p.dtype !== "float32") return null;
      const r = region(g, i);
      const gi = clone(r);
      r.dispose();
      return gi;
    }));
  }
  return out;
}

/**
 * Concatenates tensors along `dim` (default 0), as `torch.cat`. They must have the same
 * shape except in `dim`; 1-D empty tensors are skipped, as PyTorch does; dtypes are
 * promoted.
 *
 * ```ts
 * const a = torch.tensor([[1, 2]]), b = torch.tensor([[3, 4]]);
 * torch.cat([a, b]);      // rows of a, then rows of b: tensor([[1., 2.], [3., 4.]])
 * torch.cat([a, b], 1);   // side by side: tensor([[1., 2., 3., 4.]])
 * ```
 */
export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  const op = "cat()";
  const all = tensorList(tensors, op);
  const zeroDim = all.findIndex((t) => t.shape.length === 0);
  if (zeroDim >= 0) throw new RangeError(`${op}: zero-dimensional tensor (at position ${zeroDim}) cannot be concatenated`);
  // PyTorch's legacy rule: 1-D tensors of size 0 take no part (they may have any other rank)
  const parts = all.filter((t) => !(t.shape.length === 1 && t.shape[0] === 0));
  const dtype = resultType(all);
  if (parts.length === 0) {
    normDim(dim, 1, op);
    return empty([0], dtype);
  }
  const first = parts[0];
  const d = normDim(dim, first.shape.length, op);
  let total = 0;
  all.forEach((t, i) => {
    if (t.shape.length === 1 && t.shape[0] === 0) return;
    if (t.shape.length !== first.shape.length) {
      throw new RangeError(`${op}: Tensors must have same number of dimensions: got ${first.shape.length} and ${t.shape.length}`);
    }
    t.shape.forEach((s, j) => {
      if (j !== d && s !== first.shape[j]) {
        throw new RangeError(`${op}: Sizes of tensors must match except in dimension ${d}. Expected size ${first.shape[j]} ` +
          `but got size ${s} for tensor number ${i} in the list.`);
      }
    });
    total += t.shape[d];
  });
  const shape = first.shape.slice();
  shape[d] = total;
  const starts: number[] = [];
  let at = 0;
  for (const p of parts) { starts.push(at); at += p.shape[d]; }
  return joinInto(empty(shape, dtype), parts, (t, i) => {
    const s = t.shape.slice();
    s[d] = parts[i].shape[d];
    return viewOf(t, s, t._strides, t._offset + starts[i] * t._strides[d]);
  }, "CatBackward0");
}

/**
 * Stacks tensors of one shape along a new dim `dim` (default 0), as `torch.stack`; dtypes
 * are promoted.
 *
 * ```ts
 * const a = torch.zeros([2, 3]), b = torch.ones([2, 3]);
 * torch.stack([a, b]).shape;     // [2, 2, 3]
 * torch.stack([a, b], -1).shape; // [2, 3, 2]
 * ```
 */
export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  const op = "stack()";
  const all = tensorList(tensors, op);
  const shape = all[0].shape;
  const d = normDim(dim, shape.length + 1, op);
  all.forEach((t, i) => {
    if (!sameShape(t.shape, shape)) {
      throw new RangeError(`${op}: stack expects each tensor to be equal size, but got ${fmt(shape)} at entry 0 and ${fmt(t.shape)} at entry ${i}`);
    }
  });
  const outShape = shape.slice();
  outShape.splice(d, 0, all.length);
  return joinInto(empty(outShape, resultType(all)), all, (t, i) => {
    const s = t.shape.slice(), st = t._strides.slice();
    s.splice(d, 1); st.splice(d, 1);
    return viewOf(t, s, st, t._offset + i * t._strides[d]);
  }, "StackBackward0");
}

/** Views of x along dim with the given sizes; each gets PyTorch's grad_fn name. */
function pieces(x: Tensor, d: number, sizes: readonly number[], name: string): Tensor[] {
  let at = 0;
  return sizes.map((n) => {
    const p = narrow(x, d, at, n);
    at += n;
    if (p._node !== null) (p._node as { name: string }).name = name;
    return p;
  });
}

function checkSplitDim(x: Tensor, dim: number, op: string): number {
  live(x);
  if (x.shape.length === 0) throw new RangeError(`${op}: split expects at least a 1-dimensional tensor`);
  if (!Number.isInteger(dim)) throw new TypeError(`${op}: dim must be an integer, got ${dim}`);
  return normDim(dim, x.shape.length, op);
}

/** x.split(splitSize | sizes, dim). */
export function split(x: Tensor, splitSizeOrSections: number | readonly number[], dim = 0): Tensor[] {
  const op = "split()";
  const d = checkSplitDim(x, dim, op);
  const size = x.shape[d];
  if (Array.isArray(splitSizeOrSections)) {
    const sizes = splitSizeOrSections as readonly number[];
    if (sizes.some((s) => typeof s !== "number" || !Number.isInteger(s))) {
      throw new TypeError(`${op}: split sizes must be integers, got ${JSON.stringify(sizes)}`);
    }
    if (sizes.some((s) => s < 0)) {
      throw new RangeError(`${op}: split_with_sizes expects split_sizes have only non-negative entries, but got split_sizes=${fmt(sizes)}`);
    }
    const sum = sizes.reduce((a, b) => a + b, 0);
    if (sum !== size) {
      throw new RangeError(`${op}: split_with_sizes expects split_sizes to sum exactly to ${size} (input tensor's size at dimension ${d}), but got split_sizes=${fmt(sizes)}`);
    }
    return pieces(x, d, sizes, "SplitWithSizesBackward0");
  }
  const n = splitSizeOrSections as number;
  if (typeof n !== "number" || !Number.isInteger(n)) {
    throw new TypeError(`${op}: split_size must be an integer or an array of integers, got ${typeof n === "number" ? n : typeof n}`);
  }
  if (n < 0) throw new RangeError(`${op}: split expects split_size be non-negative, but got split_size=${n}`);
  if (n === 0 && size !== 0) throw new RangeError(`${op}: split_size can only be 0 if dimension size is 0, but got dimension size of ${size}`);
  const count = size === 0 ? 1 : Math.ceil(size / n);
  const sizes = Array.from({ length: count }, (_, i) => Math.min(n, size - i * n));
  return pieces(x, d, sizes, "SplitBackward0");
}

/** x.chunk(chunks, dim): split into pieces of ceil(size / chunks). */
export function chunk(x: Tensor, chunks: number, dim = 0): Tensor[] {
  const op = "chunk()";
  const d = checkSplitDim(x, dim, op);
  if (typeof chunks !== "number" || !Number.isInteger(chunks)) throw new TypeError(`${op}: chunks must be an integer, got ${String(chunks)}`);
  if (chunks <= 0) throw new RangeError(`${op}: chunk expects \`chunks\` to be greater than 0, got: ${chunks}`);
  const size = x.shape[d];
  const step = Math.ceil(size / chunks);
  // PyTorch: a dim of size 0 gives `chunks` empty pieces
  if (size === 0) return pieces(x, d, new Array<number>(chunks).fill(0), "SplitWithSizesBackward0");
  return split(x, step, d);
}

defineMethods({
  split(this: Tensor, sizes: number | readonly number[], dim?: number) { return split(this, sizes, dim); },
  chunk(this: Tensor, chunks: number, dim?: number) { return chunk(this, chunks, dim); },
});
