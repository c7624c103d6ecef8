// max/min along one dimension ([outer, n, inner], see rows.ts): values and first indices,
// for float32, int32 and bool, and the two backwards PyTorch uses.
import { at, extremeF32, rowAt } from "./rows";

/** The index of the first element of a float row equal to m (or the first NaN when m is NaN). */
function firstF32(p: usize, n: i32, s: i32, m: f32): i32 {
  if (m != m) {
    for (let k = 0; k < n; k++) { const v = load<f32>(at(p, k, s)); if (v != v) return k; }
  } else {
    for (let k = 0; k < n; k++) if (load<f32>(at(p, k, s)) == m) return k;
  }
  return 0;
}

/** The index of the first max (or min) of an int row, elements of type T. */
function bestInt<T>(isMax: bool, p: usize, n: i32, s: i32): i32 {
  const size = <usize>sizeof<T>();
  let best = 0;
  let bv = load<T>(p);
  for (let k = 1; k < n; k++) {
    const v = load<T>(p + <usize>k * <usize>s * size);
    if (isMax ? v > bv : v < bv) { best = k; bv = v; }
  }
  return best;
}

/**
 * Per row: the max (op 0) or min (op 1) into `vals` (of x's dtype: 0 float32, 1 int32,
 * 2 bool) and its index into `idx` (int32); either pointer may be 0 to skip it. A NaN
 * beats every number and the first NaN gives the index; among equal values the first
 * index wins — what PyTorch's CPU kernels return. The value written is the element at
 * that index (so max of [-0, 0] is the -0 at index 0). Rows are non-empty (the host
 * refuses an empty reduction).
 */
export function extremaDim(op: i32, dtype: i32, x: usize, vals: usize, idx: usize, outer: i32, n: i32, inner: i32): void {
  const isMax = op == 0;
  const shift = dtype == 2 ? 0 : 2;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const j = <usize>(o * inner + i);
      const p = rowAt(x, o, i, n, inner, shift);
      let k: i32;
      if (dtype == 0) k = firstF32(p, n, inner, extremeF32(isMax, false, p, n, inner));
      else if (dtype == 1) k = bestInt<i32>(isMax, p, n, inner);
      else k = bestInt<u8>(isMax, p, n, inner);
      if (idx != 0) store<i32>(idx + (j << 2), k);
      if (vals == 0) continue;
      if (dtype == 2) store<u8>(vals + j, load<u8>(p + <usize>k * <usize>inner));
      else store<u32>(vals + (j << 2), load<u32>(p + (<usize>k * <usize>inner << 2)));
    }
  }
}

/**
 * Gradient of a value reduction (float32) spread over the elements equal to the result y
 * of their row. mode 0, amax/amin (PyTorch's scale_grad_by_count): (g / count) · mask, so
 * a NaN result (no element equal to it) gives NaN everywhere in its row. mode 1, full
 * max()/min() (evenly_distribute_backward): the mask is "x is NaN" when y is NaN, and
 * elements outside it get 0.
 */
export function extremaBackward(mode: i32, x: usize, y: usize, g: usize, gx: usize, outer: i32, n: i32, inner: i32): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const j = <usize>(o * inner + i) << 2;
      const p = rowAt(x, o, i, n, inner, 2), r = rowAt(gx, o, i, n, inner, 2);
      const yv = load<f32>(y + j);
      const nanMask = mode == 1 && yv != yv;
      let count = 0;
      for (let k = 0; k < n; k++) {
        const v = load<f32>(at(p, k, inner));
        if (nanMask ? v != v : v == yv) count++;
      }
      const share = load<f32>(g + j) / <f32>count;
      for (let k = 0; k < n; k++) {
        const v = load<f32>(at(p, k, inner));
        const hit = nanMask ? v != v : v == yv;
        store<f32>(at(r, k, inner), mode == 0 ? share * (hit ? <f32>1 : <f32>0) : (hit ? share : 0));
      }
    }
  }
}

/** Gradient of max(dim)/min(dim): zeros, with g[o, i] at x[o, idx[o, i], i]. */
export function scatterDim(g: usize, idx: usize, gx: usize, outer: i32, n: i32, inner: i32): void {
  memory.fill(gx, 0, <usize>outer * <usize>n * <usize>inner << 2);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const j = <usize>(o * inner + i) << 2;
      store<f32>(at(rowAt(gx, o, i, n, inner, 2), load<i32>(idx + j), inner), load<f32>(g + j));
    }
  }
}
