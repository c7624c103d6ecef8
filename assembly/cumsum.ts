// Cumulative sums along one dimension ([outer, n, inner], see rows.ts): float32 rows
// accumulate in f64, as PyTorch's CPU cumsum does (its accumulator type for float is
// double); int32 rows wrap at 2³¹. `reverse` runs from the end: the backward of cumsum.
import { rowAt } from "./rows";

export function cumsumDim(dtype: i32, reverse: i32, x: usize, out: usize, outer: i32, n: i32, inner: i32): void {
  const step = <isize>inner << 2;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let p = rowAt(x, o, i, n, inner, 2), q = rowAt(out, o, i, n, inner, 2);
      let d = step;
      if (reverse && n > 0) {
        p += <usize>(n - 1) * <usize>step;
        q += <usize>(n - 1) * <usize>step;
        d = -step;
      }
      if (dtype == 1) {
        let acc: i32 = 0;
        for (let k = 0; k < n; k++, p += d, q += d) { acc += load<i32>(p); store<i32>(q, acc); }
      } else {
        let acc: f64 = 0;
        for (let k = 0; k < n; k++, p += d, q += d) { acc += <f64>load<f32>(p); store<f32>(q, <f32>acc); }
      }
    }
  }
}
