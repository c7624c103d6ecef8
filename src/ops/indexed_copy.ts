// The host side of assembly/indexing.ts: one strided walk for advanced indexing,
// index_put, gather, scatter, scatter_add and index_select; index range checks; and the
// coordinates of a bool mask's true entries (nonzero).
import { Tensor } from "../tensor.js";
import { K } from "../runtime/wasm.js";
import { I32, tableScratch } from "../runtime/memory.js";
import { dtypeCode } from "../dtype.js";
import { numelOf, type Shape } from "../shape.js";
import { coalesce, empty } from "./layout.js";
import { viewOf } from "./views.js";

const k = K as unknown as {
  indexedCopy(a: number, b: number, ndim: number, dims: number, nIdx: number, idx: number, mode: number, kind: number): void;
  indexCheck(p: number, n: number, lo: number, hi: number): number;
  maskCount(m: number, n: number): number;
  nonzero(m: number, n: number, ndim: number, dims: number, out: number, count: number): void;
};

/** What the walk does with A (the indexed side) and B: B = A[…], A[…] = B, or A[…] += B. */
export const GATHER = 0, PUT = 1, ACCUMULATE = 2;

/** One index tensor of a walk: contiguous int32 values read through `strides` over the walk's shape. */
export interface IndexOperand {
  values: Tensor;
  strides: readonly number[];
  /** Size of the dim it indexes (negative indices wrap by it). */
  size: number;
  /** A's stride of the dim it indexes. */
  aStride: number;
}

/**
 * Walks `shape`: A at Σ i·aStrides + Σ index·aStride, B at Σ i·bStrides, and copies or adds
 * between them by `mode`. A and B have the same dtype; indices were checked (checkRange).
 * Bumps no version: the caller does, for the tensor it wrote.
 */
export function indexedCopy(mode: number, a: Tensor, aStrides: readonly number[], b: Tensor, bStrides: readonly number[],
  shape: Shape, indices: readonly IndexOperand[]): void {
  if (numelOf(shape) === 0) return;
  const [dims, strides] = coalesce(shape, [aStrides, bStrides, ...indices.map((ix) => ix.strides)]);
  const nd = dims.length;
  const table = [...dims, ...strides[0], ...strides[1], ...new Array<number>(nd).fill(0)];
  const pa = a._ptr, pb = b._ptr; // no allocation sweeps from here to the call (restores and tables never do)
  const idx: number[] = [];
  indices.forEach((ix, j) => idx.push(ix.values._ptr, ix.size, ix.aStride, ...strides[2 + j]));
  for (let j = 0; j < indices.length; j++) idx.push(0);
  const p = tableScratch((table.length + idx.length) * 4);
  const words = I32();
  words.set(table, p >>> 2);
  words.set(idx, (p >>> 2) + table.length);
  k.indexedCopy(pa, pb, nd, p, indices.length, p + table.length * 4, mode, dtypeCode(a.dtype));
}

/** The first value of a contiguous int32 tensor outside [lo, hi), or null when all are inside. */
export function outOfRange(values: Tensor, lo: number, hi: number): number | null {
  if (values._size === 0) return null;
  const at = k.indexCheck(values._ptr, values._size, lo, hi);
  if (at < 0) return null;
  return I32()[(values._ptr >>> 2) + at];
}

/** PyTorch's message for an index outside its dim. */
export function outOfBounds(op: string, index: number, dim: number, size: number): RangeError {
  return new RangeError(`${op}: index ${index} is out of bounds for dimension ${dim} with size ${size}`);
}

/**
 * The coordinates of a contiguous bool mask's true entries, one int32 tensor of the count
 * per mask dim (views of one storage; the caller disposes each).
 */
export function nonzero(mask: Tensor): Tensor[] {
  const nd = mask.shape.length;
  const count = mask._size === 0 ? 0 : k.maskCount(mask._ptr, mask._size);
  const all = empty([nd, count], "int32");
  if (count > 0) {
    const p = tableScratch(nd * 8);
    I32().set(mask.shape, p >>> 2);
    k.nonzero(mask._ptr, mask._size, nd, p, all._ptr, count);
  }
  const rows = mask.shape.map((_, d) => viewOf(all, [count], [1], d * count));
  all.dispose();
  return rows;
}
