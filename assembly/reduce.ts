// Sums and products over one dimension of a contiguous tensor viewed as [outer, n, inner]
// (see rows.ts), and their backwards.
import { sumRow } from "./elementwise";
import { at, promoteHigh, rowAt } from "./rows";

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
    // four columns at a time, accumulated in f64 pairs: a long column sum stays close to
    // PyTorch's cascade summation
    for (; i + 4 <= inner; i += 4) {
      let a0 = f64x2.splat(0), a1 = f64x2.splat(0);
      for (let d = 0; d < n; d++) {
        const v = v128.load(src + (<usize>(d * inner + i) << 2));
        a0 = f64x2.add(a0, f64x2.promote_low_f32x4(v));
        a1 = f64x2.add(a1, promoteHigh(v));
      }
      v128.store(dst + (<usize>i << 2), f32x4.shuffle(f32x4.demote_f64x2_zero(a0), f32x4.demote_f64x2_zero(a1), 0, 1, 4, 5));
    }
    for (; i < inner; i++) {
      let s: f64 = 0;
      for (let d = 0; d < n; d++) s += <f64>load<f32>(src + (<usize>(d * inner + i) << 2));
      store<f32>(dst + (<usize>i << 2), <f32>s);
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

// int32 sums (wrapping at 2³¹, where PyTorch's int64 would not): out[o, i] = Σ_d x[o, d, i].
export function sumDimInt(x: usize, out: usize, outer: i32, n: i32, inner: i32): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const p = rowAt(x, o, i, n, inner, 2);
      let k = 0;
      let s: i32 = 0;
      if (inner == 1) {
        let acc = i32x4.splat(0);
        for (; k + 4 <= n; k += 4) acc = i32x4.add(acc, v128.load(p + (<usize>k << 2)));
        s = i32x4.extract_lane(acc, 0) + i32x4.extract_lane(acc, 1) + i32x4.extract_lane(acc, 2) + i32x4.extract_lane(acc, 3);
      }
      for (; k < n; k++) s += load<i32>(at(p, k, inner));
      store<i32>(out + (<usize>(o * inner + i) << 2), s);
    }
  }
}

// Products: float32 (dtype 0) accumulated in f64, or int32 (dtype 1, wrapping). An empty
// row gives 1.
export function prodDim(dtype: i32, x: usize, out: usize, outer: i32, n: i32, inner: i32): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const p = rowAt(x, o, i, n, inner, 2);
      const q = out + (<usize>(o * inner + i) << 2);
      if (dtype == 1) {
        let r: i32 = 1;
        for (let k = 0; k < n; k++) r *= load<i32>(at(p, k, inner));
        store<i32>(q, r);
        continue;
      }
      let k = 0;
      let r: f64 = 1;
      if (inner == 1) {
        let a0 = f64x2.splat(1), a1 = f64x2.splat(1);
        for (; k + 4 <= n; k += 4) {
          const v = v128.load(p + (<usize>k << 2));
          a0 = f64x2.mul(a0, f64x2.promote_low_f32x4(v));
          a1 = f64x2.mul(a1, promoteHigh(v));
        }
        r = f64x2.extract_lane(a0, 0) * f64x2.extract_lane(a0, 1) * f64x2.extract_lane(a1, 0) * f64x2.extract_lane(a1, 1);
      }
      for (; k < n; k++) r *= <f64>load<f32>(at(p, k, inner));
      store<f32>(q, <f32>r);
    }
  }
}

// The backward of prodDim (float32), PyTorch's prod_backward: a row without zeros gets
// g·(y/x); a row with zeros gets g times the product of the other elements (exclusive
// prefix and suffix products, exact however many zeros there are).
export function prodBackward(x: usize, y: usize, g: usize, gx: usize, outer: i32, n: i32, inner: i32): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const p = rowAt(x, o, i, n, inner, 2), r = rowAt(gx, o, i, n, inner, 2);
      const j = <usize>(o * inner + i) << 2;
      const gv = load<f32>(g + j), yv = load<f32>(y + j);
      let zeros = false;
      for (let k = 0; k < n; k++) if (load<f32>(at(p, k, inner)) == 0) { zeros = true; break; }
      if (!zeros) {
        for (let k = 0; k < n; k++) store<f32>(at(r, k, inner), gv * (yv / load<f32>(at(p, k, inner))));
        continue;
      }
      let before: f64 = 1;
      for (let k = 0; k < n; k++) {
        store<f32>(at(r, k, inner), <f32>before);
        before *= <f64>load<f32>(at(p, k, inner));
      }
      let after: f64 = 1;
      for (let k = n - 1; k >= 0; k--) {
        const e = at(r, k, inner);
        store<f32>(e, gv * <f32>(<f64>load<f32>(e) * after));
        after *= <f64>load<f32>(at(p, k, inner));
      }
    }
  }
}
