// The table a fused optimizer step walks, and the flags word every step takes. Each kernel
// file defines its own state columns and flag bits next to its loop, as exported constants;
// the host reads all of them from the instance's exports (src/optim/fused.ts), typed by the
// bindings asc generates, so the layout is written once, here and in the kernels.
//
// A row is i32s: numel, param, grad (the columns below), then the kernel's state columns.
// Pointers are byte addresses of f32 data. A state column the call's flags say is unused
// holds 0 and is never read.

export const ROW_NUMEL: i32 = 0;
export const ROW_PARAM: i32 = 1;
export const ROW_GRAD: i32 = 2;

// Flag bits shared by every fused step; a kernel's own bits start at 4.
export const MAXIMIZE: i32 = 1;     // step along +grad (the grad's sign flipped first, exactly)
export const WEIGHT_DECAY: i32 = 2; // coupled L2: grad = grad + weightDecay·param

/** The address of row `r` of a table whose rows are `width` i32s. */
@inline export function tableRow(table: usize, r: i32, width: i32): usize {
  return table + (<usize>(r * width) << 2);
}

/** Column `c` of a row, as an address. */
@inline export function rowColumn(row: usize, c: i32): usize {
  return <usize>load<i32>(row + (<usize>c << 2));
}

@inline export function rowNumel(row: usize): i32 {
  return load<i32>(row + (<usize>ROW_NUMEL << 2));
}

@inline export function rowParam(row: usize): usize {
  return rowColumn(row, ROW_PARAM);
}

@inline export function rowGrad(row: usize): usize {
  return rowColumn(row, ROW_GRAD);
}
