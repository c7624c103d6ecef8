// Reductions over one dimension of a contiguous tensor viewed as [outer, n, inner].
import { sumRow } from "./elementwise";

// out[o, i] = Σ_d x[o, d, i]
export function sumDim(x: usize, out: usize, outer: i32, n: i32, inner: i32): void {
  if (inner == 1) {
    for (let o = 0; o < outer; o++) {
      store<f32>(out + (<usize>o << 2), sumRow(x + (<usize>(o * n) << 2), n));
    }
    return;
  }
  for (let o = 0; o < outer; o++) {
    const dst = out + (<usize>(o * inner) << 2);
    const src = x + (<usize>(o * n * inner) << 2);
    let i = 0;
    for (; i + 4 <= inner; i += 4) {
      let acc = f32x4.splat(0);
      for (let d = 0; d < n; d++) acc = f32x4.add(acc, v128.load(src + (<usize>(d * inner + i) << 2)));
      v128.store(dst + (<usize>i << 2), acc);
    }
    for (; i < inner; i++) {
      let s: f32 = 0;
      for (let d = 0; d < n; d++) s += load<f32>(src + (<usize>(d * inner + i) << 2));
      store<f32>(dst + (<usize>i << 2), s);
    }
  }
}

// The backward of sumDim: out[o, d, i] = g[o, i] · scale (scale = 1/n for a mean).
export function expandDim(g: usize, out: usize, outer: i32, n: i32, inner: i32, scale: f32): void {
  const sv = f32x4.splat(scale);
  for (let o = 0; o < outer; o++) {
    const src = g + (<usize>(o * inner) << 2);
    for (let d = 0; d < n; d++) {
      const dst = out + (<usize>((o * n + d) * inner) << 2);
      let i = 0;
      if (inner == 1) { store<f32>(dst, load<f32>(src) * scale); continue; }
      for (; i + 4 <= inner; i += 4) {
        const q = <usize>i << 2;
        v128.store(dst + q, f32x4.mul(v128.load(src + q), sv));
      }
      for (; i < inner; i++) {
        const q = <usize>i << 2;
        store<f32>(dst + q, load<f32>(src + q) * scale);
      }
    }
  }
}

export function dot(a: usize, b: usize, n: i32): f64 {
  let total: f64 = 0;
  let i = 0;
  while (i < n) {
    const end = min(n, i + 1024);
    let acc = f32x4.splat(0);
    for (; i + 4 <= end; i += 4) {
      const o = <usize>i << 2;
      acc = f32x4.add(acc, f32x4.mul(v128.load(a + o), v128.load(b + o)));
    }
    let s: f64 = <f64>f32x4.extract_lane(acc, 0) + <f64>f32x4.extract_lane(acc, 1) +
      <f64>f32x4.extract_lane(acc, 2) + <f64>f32x4.extract_lane(acc, 3);
    for (; i < end; i++) {
      const o = <usize>i << 2;
      s += <f64>(load<f32>(a + o) * load<f32>(b + o));
    }
    total += s;
  }
  return total;
}
