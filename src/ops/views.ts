// Views: tensors over the same storage with another shape, strides or offset (view,
// reshape when it can, transpose, permute, t, expand, unsqueeze, squeeze, flatten, narrow,
// select) and contiguous(). An in-place write through a view is seen in its base and the
// reverse, as in PyTorch. Backwards return contiguous gradients.
import { Tensor } from "../tensor.js";
import { hooks, needsGrad, record } from "../autograd.js";
import { clone, copyInto, empty, fill, live } from "./layout.js";
import { reduceTo } from "./elementwise.js";
import { fmt, normDim, numelOf, stridesOf } from "../shape.js";

/** A view of x with the given geometry (no copy). */
Object.assign(hooks, {
  viewOf: (x: Tensor, shape: readonly number[], strides: readonly number[], offset: number) => viewOf(x, shape, strides, offset),
  zeros: (shape: readonly number[]) => fill(shape, 0),
  clone,
  copyInto,
  fillZero: (t: Tensor) => { const z = fill([], 0, t.dtype); copyInto(t, z); z.dispose(); },
});

export function viewOf(x: Tensor, shape: readonly number[], strides: readonly number[], offset: number): Tensor {
  live(x);
  const v = new Tensor(x._storage!, shape, x.dtype, strides, offset);
  v._base = x._base ?? x; // autograd: an in-place write through v reaches the base's graph
  v._nodeVersion = x._storage!.version;
  return v;
}

/** Resolves one -1 and checks the element count, with PyTorch's message. */
function inferShape(x: Tensor, shape: readonly number[], op: string): number[] {
  let infer = -1;
  let known = 1;
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (d === -1 && infer < 0) { infer = i; continue; }
    if (!Number.isInteger(d) || d < 0) throw new Error(`${op}: invalid shape ${fmt(shape)}: dims must be non-negative integers (one may be -1)`);
    known *= d;
  }
  const out = shape.slice();
  if (infer >= 0) {
    if (known === 0 || x._size % known !== 0) throw new Error(`${op}: shape '${fmt(shape)}' is invalid for input of size ${x._size}`);
    out[infer] = x._size / known;
  } else if (known !== x._size) {
    throw new Error(`${op}: shape '${fmt(shape)}' is invalid for input of size ${x._size}`);
  }
  return out;
}

/**
 * Strides for viewing x as `shape` without a copy, or null when x's layout does not allow
 * it (PyTorch's computeStride: chunks of x's dims that are contiguous among themselves).
 */
function viewStrides(x: Tensor, shape: readonly number[]): number[] | null {
  if (x._contiguous) return stridesOf(shape);
  if (x._size === 0) return stridesOf(shape);
  const oldShape = x.shape, oldStrides = x._strides;
  const newStrides = new Array<number>(shape.length);
  let viewD = shape.length - 1;
  let chunkBase = oldStrides[oldShape.length - 1];
  let tensorNumel = 1, viewNumel = 1;
  for (let d = oldShape.length - 1; d >= 0; d--) {
    tensorNumel *= oldShape[d];
    if (d === 0 || (oldShape[d - 1] !== 1 && oldStrides[d - 1] !== tensorNumel * chunkBase)) {
      while (viewD >= 0 && (viewNumel < tensorNumel || shape[viewD] === 1)) {
        newStrides[viewD] = viewNumel * chunkBase;
        viewNumel *= shape[viewD];
        viewD--;
      }
      if (viewNumel !== tensorNumel) return null;
      if (d > 0) { chunkBase = oldStrides[d - 1]; tensorNumel = 1; viewNumel = 1; }
    }
  }
  if (viewD !== -1) return null;
  return newStrides;
}

/** t.view(shape): a view, or PyTorch's error when the layout does not allow one. */
export function view(x: Tensor, shape: readonly number[]): Tensor {
  const out = inferShape(x, shape, "view");
  const strides = viewStrides(x, out);
  if (strides === null) {
    throw new Error("view size is not compatible with input tensor's size and stride (at least one dimension spans " +
      "across two contiguous subspaces). Use .reshape(...) instead.");
  }
  return reshaped(x, out, strides);
}

/** t.reshape(shape): a view when the layout allows, else a copy (as PyTorch). */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const out = inferShape(x, shape, "reshape");
  const strides = viewStrides(x, out);
  if (strides !== null) return reshaped(x, out, strides);
  // PyTorch's _unsafe_view of a contiguous clone: a new tensor (no view of an intermediate
  // the program never sees, which would hold the storage until the cache moved it out)
  const y = withShape(clone(x), out);
  if (needsGrad(x)) record(y, "UnsafeViewBackward0", [x], (g) => [reshapeGrad(g, x.shape)]);
  return y;
}

function reshaped(x: Tensor, shape: number[], strides: readonly number[]): Tensor {
  const y = viewOf(x, shape, strides, x._offset);
  if (needsGrad(x)) record(y, "ViewBackward0", [x], (g) => [reshapeGrad(g, x.shape)]);
  return y;
}

/** A contiguous gradient reshaped (g is contiguous: a view suffices, sharing g's storage). */
function reshapeGrad(g: Tensor, shape: readonly number[]): Tensor {
  if (!g._contiguous) return withShape(clone(g), shape);
  return new Tensor(g._storage!, shape, g.dtype, undefined, g._offset);
}

/** A fresh contiguous tensor `c` under another shape: its storage handed to the result, `c` released. */
function withShape(c: Tensor, shape: readonly number[]): Tensor {
  const y = new Tensor(c._storage!, shape, c.dtype, undefined, c._offset);
  c.dispose();
  return y;
}

/** contiguous(): x itself when contiguous, else a contiguous copy (in the graph). */
export function contiguous(x: Tensor): Tensor {
  live(x);
  if (x._contiguous) return x;
  const y = clone(x);
  if (needsGrad(x)) record(y, "CloneBackward0", [x], (g) => [clone(g)]);
  return y;
}

/** t.permute(dims): a view with the dims reordered. */
export function permute(x: Tensor, dims: readonly number[]): Tensor {
  const r = x.shape.length;
  if (!Array.isArray(dims) || dims.length !== r) {
    throw new Error(`permute: number of dims don't match in permute: the tensor has ${r} dims but dims is ${JSON.stringify(dims)}`);
  }
  const perm = dims.map((d) => normDim(d, r, "permute"));
  if (new Set(perm).size !== r) throw new Error(`permute: repeated dim in permute: ${JSON.stringify(dims)}`);
  const y = viewOf(x, perm.map((p) => x.shape[p]), perm.map((p) => x._strides[p]), x._offset);
  if (needsGrad(x)) {
    const inv = new Array<number>(r);
    perm.forEach((p, i) => { inv[p] = i; });
    record(y, "PermuteBackward0", [x], (g) => {
      const back = viewOf(g, inv.map((p) => g.shape[p]), inv.map((p) => g._strides[p]), g._offset);
      const gx = clone(back);
      back.dispose(); // else the handle keeps g's storage alive after the engine frees g
      return [gx];
    });
  }
  return y;
}

export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  const r = x.shape.length;
  const d0 = normDim(dim0, r, "transpose"), d1 = normDim(dim1, r, "transpose");
  const perm = x.shape.map((_, i) => i);
  if (r >= 2) { perm[d0] = d1; perm[d1] = d0; }
  const y = permute(x, perm);
  if (y._node !== null) (y._node as { name: string }).name = "TransposeBackward0";
  return y;
}

export function t(x: Tensor): Tensor {
  if (x.shape.length > 2) {
    throw new Error(`t() expects a tensor with <= 2 dimensions, but self is ${x.shape.length}D (shape ${fmt(x.shape)}); use transpose(dim0, dim1)`);
  }
  return transpose(x, 0, x.shape.length < 2 ? 0 : 1);
}

/** t.expand(shape): size-1 dims repeated by stride 0; -1 keeps a dim; new leading dims allowed. */
export function expand(x: Tensor, shape: readonly number[]): Tensor {
  const r = x.shape.length, n = shape.length;
  if (n < r) {
    throw new Error(`expand: the number of sizes provided (${n}) must be greater or equal to the number of dimensions in the tensor (${r})`);
  }
  const outShape = new Array<number>(n), strides = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const j = i - (n - r);
    const want = shape[i];
    if (!Number.isInteger(want) || want < -1) throw new Error(`expand: invalid size ${want} at dim ${i} of ${fmt(shape)}`);
    if (j < 0) {
      if (want === -1) throw new Error(`expand: -1 is not allowed in a leading, non-existing dimension (dim ${i} of ${fmt(shape)})`);
      outShape[i] = want; strides[i] = 0;
      continue;
    }
    const have = x.shape[j];
    if (want === -1 || want === have) { outShape[i] = have; strides[i] = x._strides[j]; }
    else if (have === 1) { outShape[i] = want; strides[i] = 0; }
    else {
      throw new Error(`expand: the expanded size of the tensor (${want}) must match the existing size (${have}) at ` +
        `non-singleton dimension ${i}. Target sizes: ${fmt(shape)}. Tensor sizes: ${fmt(x.shape)}`);
    }
  }
  const y = viewOf(x, outShape, strides, x._offset);
  if (needsGrad(x)) record(y, "ExpandBackward0", [x], (g) => [reduceTo(g, x.shape)]);
  return y;
}

export function unsqueeze(x: Tensor, dim: number): Tensor {
  const r = x.shape.length;
  const d = normDim(dim, r + 1, "unsqueeze");
  const shape = x.shape.slice(), strides = x._strides.slice();
  shape.splice(d, 0, 1);
  strides.splice(d, 0, d < r ? x._strides[d] * x.shape[d] : 1);
  return reshapedView(x, shape, strides, "UnsqueezeBackward0");
}

export function squeeze(x: Tensor, dim?: number | readonly number[]): Tensor {
  const r = x.shape.length;
  let drop: Set<number>;
  if (dim === undefined || dim === null) drop = new Set(x.shape.flatMap((s, i) => (s === 1 ? [i] : [])));
  else {
    const dims = typeof dim === "number" ? [dim] : dim;
    drop = new Set(dims.map((d) => normDim(d, r, "squeeze")).filter((d) => r > 0 && x.shape[d] === 1));
  }
  const shape: number[] = [], strides: number[] = [];
  x.shape.forEach((s, i) => { if (!drop.has(i)) { shape.push(s); strides.push(x._strides[i]); } });
  return reshapedView(x, shape, strides, "SqueezeBackward0");
}

/** A view that only adds or drops size-1 dims; its gradient is g reshaped. */
function reshapedView(x: Tensor, shape: number[], strides: number[], name: string): Tensor {
  const y = viewOf(x, shape, strides, x._offset);
  if (needsGrad(x)) record(y, name, [x], (g) => [reshapeGrad(g, x.shape)]);
  return y;
}

export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  const r = x.shape.length;
  if (r === 0) return reshape(x, [1]);
  const s = normDim(startDim, r, "flatten"), e = normDim(endDim, r, "flatten");
  if (s > e) throw new Error(`flatten() has invalid args: start_dim (${startDim}) cannot come after end_dim (${endDim})`);
  const shape = [...x.shape.slice(0, s), numelOf(x.shape.slice(s, e + 1)), ...x.shape.slice(e + 1)];
  return reshape(x, shape);
}

/** Gradient of a view into a region of x: zeros of x's shape with g written into that region. */
export function regionGrad(x: Tensor, g: Tensor, region: (base: Tensor) => Tensor): Tensor {
  const gx = fill(x.shape, 0);
  const target = region(gx);
  copyInto(target, g);
  target.dispose();
  return gx;
}

/** x.narrow(dim, start, length): a view of `length` entries of dim from `start`. */
export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  const r = x.shape.length;
  if (r === 0) throw new Error("narrow() cannot be applied to a 0-dim tensor.");
  const d = normDim(dim, r, "narrow");
  const size = x.shape[d];
  if (!Number.isInteger(start) || !Number.isInteger(length)) throw new Error(`narrow(): start and length must be integers, got ${start} and ${length}`);
  const s = start < 0 ? start + size : start;
  if (s < 0 || s > size) throw new Error(`narrow(): start (${start}) is out of range for dimension ${d} of size ${size}`);
  if (length < 0 || s + length > size) throw new Error(`narrow(): start (${start}) + length (${length}) exceeds dimension size (${size}).`);
  const geometry = (t: Tensor): Tensor => {
    const shape = t.shape.slice();
    shape[d] = length;
    return viewOf(t, shape, t._strides, t._offset + s * t._strides[d]);
  };
  const y = geometry(x);
  if (needsGrad(x)) record(y, "NarrowBackward0", [x], (g) => [regionGrad(x, g, geometry)]);
  return y;
}

/** x.select(dim, index): the view with `dim` removed at `index` (negative counts from the end). */
export function select(x: Tensor, dim: number, index: number): Tensor {
  const r = x.shape.length;
  if (r === 0) throw new Error("select() cannot be applied to a 0-dim tensor.");
  const d = normDim(dim, r, "select");
  const size = x.shape[d];
  if (!Number.isInteger(index) || index < -size || index >= size) {
    throw new Error(`select(): index ${index} is out of range for dimension ${d} with size ${size}`);
  }
  const i = index < 0 ? index + size : index;
  const geometry = (t: Tensor): Tensor => {
    const shape = t.shape.slice(), strides = t._strides.slice();
    shape.splice(d, 1); strides.splice(d, 1);
    return viewOf(t, shape, strides, t._offset + i * t._strides[d]);
  };
  const y = geometry(x);
  if (needsGrad(x)) record(y, "SelectBackward0", [x], (g) => [regionGrad(x, g, geometry)]);
  return y;
}

/** x[start:stop:step] along one dim, as a view (step ≥ 1, bounds already clamped). */
export function sliceDim(x: Tensor, dim: number, start: number, stop: number, step: number): Tensor {
  const length = Math.max(0, Math.ceil((stop - start) / step));
  const geometry = (t: Tensor): Tensor => {
    const shape = t.shape.slice(), strides = t._strides.slice();
    shape[dim] = length;
    strides[dim] = t._strides[dim] * step;
    return viewOf(t, shape, strides, t._offset + (length > 0 ? start * t._strides[dim] : 0));
  };
  const y = geometry(x);
  if (needsGrad(x)) record(y, "SliceBackward0", [x], (g) => [regionGrad(x, g, geometry)]);
  return y;
}

export { empty };
