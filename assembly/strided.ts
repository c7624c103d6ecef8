// Row walks over a broadcast of several strided operands into a contiguous output, for the
// kernels of compare.ts and math.ts. The table at `dims` (i32 words) holds the shape
// [ndim], then each of the `k` operands' strides [ndim each] (elements, 0 where it
// broadcasts), then scratch: the multi-index of the outer dims [ndim] and the operands'
// current offsets [k]. A kernel calls startRows, then for each row reads rowOffset(j) and
// calls nextRow.

@inline function word(dims: usize, i: i32): usize {
  return dims + (<usize>i << 2);
}

/** Length of the innermost dim: one row. */
@inline export function rowLength(ndim: i32, dims: usize): i32 {
  return load<i32>(word(dims, ndim - 1));
}

/** Operand j's stride along the innermost dim. */
@inline export function rowStride(ndim: i32, dims: usize, j: i32): i32 {
  return load<i32>(word(dims, (1 + j) * ndim + ndim - 1));
}

/** Operand j's element offset at the start of the current row. */
@inline export function rowOffset(ndim: i32, dims: usize, k: i32, j: i32): i32 {
  return load<i32>(word(dims, (k + 2) * ndim + j));
}

/** Zeroes the multi-index and offsets; returns the number of rows (0 if the output is empty). */
export function startRows(ndim: i32, dims: usize, k: i32): i32 {
  let rows = 1;
  for (let d = 0; d < ndim - 1; d++) rows *= load<i32>(word(dims, d));
  if (rowLength(ndim, dims) == 0) return 0;
  for (let d = 0; d < ndim + k; d++) store<i32>(word(dims, (k + 1) * ndim + d), 0);
  return rows;
}

/** Steps the multi-index over the outer dims by one row, carrying, and moves every offset. */
export function nextRow(ndim: i32, dims: usize, k: i32): void {
  const idx = (k + 1) * ndim, off = (k + 2) * ndim;
  for (let d = ndim - 2; d >= 0; d--) {
    const v = load<i32>(word(dims, idx + d)) + 1;
    if (v < load<i32>(word(dims, d))) {
      store<i32>(word(dims, idx + d), v);
      for (let j = 0; j < k; j++) {
        const p = word(dims, off + j);
        store<i32>(p, load<i32>(p) + load<i32>(word(dims, (1 + j) * ndim + d)));
      }
      return;
    }
    store<i32>(word(dims, idx + d), 0);
    for (let j = 0; j < k; j++) {
      const p = word(dims, off + j);
      store<i32>(p, load<i32>(p) - load<i32>(word(dims, (1 + j) * ndim + d)) * (v - 1));
    }
  }
}
