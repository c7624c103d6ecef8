// var and std along one dimension ([outer, n, inner], see rows.ts), two-pass in f64 as
// PyTorch's CPU kernels accumulate (mean, then the sum of squared deviations), and their
// backward.
import { at, rowAt, sqDevF64, sumF64 } from "./rows";

/**
 * out = Σ(x − mean)² / max(0, n − correction) per row, its square root when takeSqrt.
 * An empty row, or n ≤ correction with no spread, gives NaN (0/0); spread with
 * n ≤ correction gives inf — PyTorch's values.
 */
export function varDim(x: usize, out: usize, outer: i32, n: i32, inner: i32, correction: f64, takeSqrt: i32): void {
  const dof = max<f64>(0, <f64>n - correction);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const p = rowAt(x, o, i, n, inner, 2);
      const mean = sumF64(p, n, inner) / <f64>n;
      const v = sqDevF64(p, n, inner, mean) / dof;
      store<f32>(out + (<usize>(o * inner + i) << 2), <f32>(takeSqrt ? Math.sqrt(v) : v));
    }
  }
}

/**
 * PyTorch's var_backward / std_backward: gx = (2 / (n − correction)) · g · (x − mean), where
 * for std g is first g / (2·std) (0 where std is 0). A reduction over everything
 * (`full`) with n ≤ correction gives g · (x == mean ? NaN : inf) instead, as PyTorch does.
 */
export function varBackward(x: usize, y: usize, g: usize, gx: usize, outer: i32, n: i32, inner: i32,
  correction: f64, isStd: i32, full: i32): void {
  const dof = <f64>n - correction;
  const scale = <f32>(2 / dof);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const j = <usize>(o * inner + i) << 2;
      const p = rowAt(x, o, i, n, inner, 2), r = rowAt(gx, o, i, n, inner, 2);
      let gv = load<f32>(g + j);
      if (isStd) {
        const sd = load<f32>(y + j);
        gv = sd == 0 ? 0 : gv / (sd * 2);
      }
      const mean = <f32>(sumF64(p, n, inner) / <f64>n);
      if (full && dof <= 0) {
        for (let k = 0; k < n; k++) {
          store<f32>(at(r, k, inner), gv * (load<f32>(at(p, k, inner)) == mean ? NaN : Infinity));
        }
        continue;
      }
      const sg = scale * gv;
      for (let k = 0; k < n; k++) store<f32>(at(r, k, inner), sg * (load<f32>(at(p, k, inner)) - mean));
    }
  }
}
