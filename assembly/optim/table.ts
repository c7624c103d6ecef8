// The table a fused optimizer step walks: one row of i32s per param, written by the host
// (writeRows in src/optim/fused.ts): numel, param, grad, then the optimizer's state tensors
// in its order (0 for one it does not have), then an optional per-row extra. Pointers are
// byte addresses of f32 data.

/** The address of row `r` of a table whose rows are `width` i32s. */
@inline export function tableRow(table: usize, r: i32, width: i32): usize {
  return table + (<usize>(r * width) << 2);
}

/** Column `c` of a row, as an address (or a flag). */
@inline export function rowColumn(row: usize, c: i32): usize {
  return <usize>load<i32>(row + (<usize>c << 2));
}

@inline export function rowNumel(row: usize): i32 {
  return load<i32>(row);
}

@inline export function rowParam(row: usize): usize {
  return <usize>load<i32>(row, 4);
}

@inline export function rowGrad(row: usize): usize {
  return <usize>load<i32>(row, 8);
}

/** The pointer of the row's `k`-th state tensor (0 for the first). */
@inline export function rowState(row: usize, k: i32): usize {
  return rowColumn(row, 3 + k);
}
