// Storage-level helpers every op uses: new tensors of a dtype, contiguous copies of views,
// strided copies into views, dtype casts, and the stride tables kernels read.
import { Tensor } from "../tensor.js";
import { K } from "../runtime/wasm.js";
import { F32, I32, U8, scratch, SCRATCH_MAX_DIMS } from "../runtime/memory.js";
import { newStorage } from "../runtime/storage.js";
import { type DType, dtypeCode, itemSize } from "../dtype.js";
import { Un } from "./codes.js";
import { broadcastShapes, broadcastStrides, fmt, numelOf, sameShape, type Shape } from "../shape.js";

const k = K as unknown as {
  stridedCopy(src: number, dst: number, ndim: number, dims: number, elemBytes: number): void;
  cast(kind: number, src: number, dst: number, n: number): void;
};

/** An uninitialised contiguous tensor of `shape`. */
export function empty(shape: Shape, dtype: DType = "float32"): Tensor {
  return new Tensor(newStorage(numelOf(shape) * itemSize(dtype)), shape, dtype);
}

/** Throws the "disposed" error of a tensor whose storage was freed (before anything is allocated). */
export function live(t: Tensor): void {
  if (t._storage === null) t._ptr;
}

/** A tensor of `shape` filled with `value` (as the dtype holds it: int32 truncates, bool is value ≠ 0). */
export function fill(shape: Shape, value: number, dtype: DType = "float32"): Tensor {
  const t = empty(shape, dtype);
  if (t._size === 0) return t;
  if (dtype === "float32") K.unary(Un.FILL, t._ptr, t._ptr, t._size, value);
  else if (dtype === "int32") { const p = t._ptr; I32().fill(Math.trunc(value) | 0, p >>> 2, (p >>> 2) + t._size); }
  else { const p = t._ptr; U8().fill(value !== 0 ? 1 : 0, p, p + t._size); }
  return t;
}

/** Writes one float32 value into a tensor of one element. */
export function setScalar(t: Tensor, v: number): void {
  const p = t._ptr; // before F32(): reading the pointer can bring the storage back (and grow memory)
  F32()[p >>> 2] = v;
}

// Collapses a broadcast into the fewest dims: drops size-1 dims and merges neighbours
// that are contiguous in every operand. Returns [shape, strides per operand].
export function coalesce(shape: Shape, strides: readonly (readonly number[])[]): [number[], number[][]] {
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    const last = outShape.length - 1;
    if (last >= 0 && strides.every((s, j) => outStrides[j][last] === s[d] * shape[d])) {
      outShape[last] *= shape[d];
      strides.forEach((s, j) => { outStrides[j][last] = s[d]; });
    } else {
      outShape.push(shape[d]);
      strides.forEach((s, j) => outStrides[j].push(s[d]));
    }
  }
  if (outShape.length === 0) { outShape.push(1); strides.forEach((_, j) => outStrides[j].push(1)); }
  return [outShape, outStrides];
}

/** Writes a kernel's shape/stride table (with room for its index scratch) into the scratch block. */
export function writeTable(values: readonly number[]): number {
  if (values.length > SCRATCH_MAX_DIMS * 4) throw new Error("torchlet: tensors of more than 32 dims are not supported");
  I32().set(values, scratch >>> 2);
  return scratch;
}

/** Strides of `t` seen inside a broadcast to `shape` (0 where it broadcasts). */
export function stridesIn(t: Tensor, shape: Shape): number[] {
  const rank = shape.length, off = rank - t.shape.length;
  const s = new Array<number>(rank).fill(0);
  for (let i = 0; i < t.shape.length; i++) s[off + i] = t.shape[i] === 1 && shape[off + i] !== 1 ? 0 : t._strides[i];
  return s;
}

/**
 * dst[...] = src broadcast to dst's shape, through both tensors' strides (any layout, same
 * dtype). Outside autograd; bumps dst's version.
 */
export function copyInto(dst: Tensor, src: Tensor): void {
  live(src); live(dst);
  if (dst._size === 0) return;
  if (src.dtype !== dst.dtype) throw new Error(`torchlet: internal error: copyInto ${src.dtype} → ${dst.dtype}`);
  const [shape, [ss, sd]] = coalesce(dst.shape, [stridesIn(src, dst.shape), dst._strides]);
  const table = writeTable([...shape, ...ss, ...sd]);
  k.stridedCopy(src._ptr, dst._ptr, shape.length, table, itemSize(dst.dtype));
  dst._bumpVersion();
}

/** A contiguous copy of any layout, outside autograd. */
export function clone(src: Tensor): Tensor {
  live(src);
  const t = empty(src.shape, src.dtype);
  if (t._size === 0) return t;
  if (src._contiguous) {
    const from = src._ptr, to = t._ptr; // read before U8(): see storage_access.ts on pointers
    U8().copyWithin(to, from, from + t._size * itemSize(t.dtype));
  } else copyInto(t, src);
  return t;
}

/** `t` itself when contiguous, else a contiguous copy (the caller disposes it when done). */
export function dense(t: Tensor): Tensor {
  live(t);
  return t._contiguous ? t : clone(t);
}

/** Disposes `t` if it is a temporary made for `of` (by dense or castTo). */
export function dropTemp(t: Tensor, of: Tensor): void {
  if (t !== of) t.dispose();
}

/** A contiguous tensor of `dtype` with x's values (x itself if it already is one). Outside autograd. */
export function castTo(x: Tensor, dtype: DType): Tensor {
  if (x.dtype === dtype) return dense(x);
  const src = dense(x);
  const out = empty(x.shape, dtype);
  if (out._size > 0) k.cast(3 * dtypeCode(x.dtype) + dtypeCode(dtype), src._ptr, out._ptr, out._size);
  dropTemp(src, x);
  return out;
}

/** The broadcast shape of two tensors' shapes (PyTorch's message on a mismatch). */
export function broadcastPair(a: Tensor, b: Tensor, op: string): number[] {
  return sameShape(a.shape, b.shape) ? a.shape.slice() : broadcastShapes(a.shape, b.shape, op);
}

export { broadcastStrides, fmt };
