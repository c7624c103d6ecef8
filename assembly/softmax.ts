// softmax, log_softmax and logsumexp along one dimension ([outer, n, inner], see rows.ts),
// fused and numerically stable (the row max is subtracted before exp), and their backwards.
import { at, extremeF32, promoteHigh, rowAt } from "./rows";

const EXP_HI: f32 = 88.72283935546875; // ln(FLT_MAX): above it exp overflows to inf
const EXP_LO: f32 = -104;               // below it exp is 0 in float32

/**
 * exp of four floats: Cephes' expf (2ⁿ·e^r with |r| ≤ ln2/2 and a degree-6 polynomial,
 * about 1 ulp). 2ⁿ is applied in two halves, each built by adding a magic number (its
 * bits hold the biased exponent), so results stay right down to the subnormals; above
 * ln(FLT_MAX) gives inf. The clamps are pmin/pmax, which keep a NaN input NaN.
 */
function expV(x: v128): v128 {
  const over = f32x4.gt(x, f32x4.splat(EXP_HI));
  const xc = f32x4.pmin(f32x4.pmax(x, f32x4.splat(EXP_LO)), f32x4.splat(EXP_HI));
  const n = f32x4.nearest(f32x4.mul(xc, f32x4.splat(1.44269504088896341)));
  let r = f32x4.sub(xc, f32x4.mul(n, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(-2.12194440e-4)));
  let y = f32x4.splat(1.9875691500e-4);
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(1.3981999507e-3));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(8.3334519073e-3));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(4.1665795894e-2));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(1.6666665459e-1));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(5.0000001201e-1));
  y = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(y, r), r), r), f32x4.splat(1));
  // 2^half and 2^(n − half): 1.5·2²³ + 127 + k has k + 127 in its low mantissa bits
  const half = f32x4.floor(f32x4.mul(n, f32x4.splat(0.5)));
  const magic = f32x4.splat(12582912.0 + 127.0);
  y = f32x4.mul(y, i32x4.shl(f32x4.add(half, magic), 23));
  y = f32x4.mul(y, i32x4.shl(f32x4.add(f32x4.sub(n, half), magic), 23));
  return v128.bitselect(f32x4.splat(Infinity), y, over);
}

/** exp of one float through expV's lanes (the same rounding as the SIMD body). */
@inline function expS(x: f32): f32 {
  return f32x4.extract_lane(expV(f32x4.splat(x)), 0);
}

/** Σ exp(x − m) over a row in f64; when `dst` ≠ 0 each exp is also stored there (same stride). */
function expSum(p: usize, dst: usize, n: i32, s: i32, m: f32): f64 {
  let k = 0;
  let total: f64 = 0;
  if (s == 1) {
    const mv = f32x4.splat(m);
    let a0 = f64x2.splat(0), a1 = f64x2.splat(0);
    for (; k + 4 <= n; k += 4) {
      const e = expV(f32x4.sub(v128.load(p + (<usize>k << 2)), mv));
      if (dst != 0) v128.store(dst + (<usize>k << 2), e);
      a0 = f64x2.add(a0, f64x2.promote_low_f32x4(e));
      a1 = f64x2.add(a1, promoteHigh(e));
    }
    total = f64x2.extract_lane(a0, 0) + f64x2.extract_lane(a0, 1) + f64x2.extract_lane(a1, 0) + f64x2.extract_lane(a1, 1);
  }
  for (; k < n; k++) {
    const e = expS(load<f32>(at(p, k, s)) - m);
    if (dst != 0) store<f32>(at(dst, k, s), e);
    total += <f64>e;
  }
  return total;
}

/**
 * softmax (log 0): out = exp(x − max)·(1/Σ), or log_softmax (log 1): out = x − max − log Σ,
 * per row, as PyTorch's vectorised CPU kernels. out may be x.
 */
export function softmaxDim(log: i32, x: usize, out: usize, outer: i32, n: i32, inner: i32): void {
  if (n == 0) return;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const p = rowAt(x, o, i, n, inner, 2), q = rowAt(out, o, i, n, inner, 2);
      const m = extremeF32(true, false, p, n, inner);
      if (log) {
        const ls = <f32>Math.log(expSum(p, 0, n, inner, m));
        for (let k = 0; k < n; k++) store<f32>(at(q, k, inner), (load<f32>(at(p, k, inner)) - m) - ls);
        continue;
      }
      const inv = <f32>(1 / expSum(p, q, n, inner, m));
      let k = 0;
      if (inner == 1) {
        const iv = f32x4.splat(inv);
        for (; k + 4 <= n; k += 4) v128.store(q + (<usize>k << 2), f32x4.mul(v128.load(q + (<usize>k << 2)), iv));
      }
      for (; k < n; k++) store<f32>(at(q, k, inner), load<f32>(at(q, k, inner)) * inv);
    }
  }
}

/**
 * Backward of softmaxDim from its output y: softmax gx = y·(g − Σ g·y); log_softmax
 * gx = g − exp(y)·Σ g (PyTorch's _softmax_backward_data / _log_softmax_backward_data).
 */
export function softmaxBackward(log: i32, y: usize, g: usize, gx: usize, outer: i32, n: i32, inner: i32): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const py = rowAt(y, o, i, n, inner, 2), pg = rowAt(g, o, i, n, inner, 2), r = rowAt(gx, o, i, n, inner, 2);
      let acc: f64 = 0;
      for (let k = 0; k < n; k++) {
        const gv = <f64>load<f32>(at(pg, k, inner));
        acc += log ? gv : gv * <f64>load<f32>(at(py, k, inner));
      }
      const a = <f32>acc;
      let k = 0;
      if (inner == 1) {
        const av = f32x4.splat(a);
        for (; k + 4 <= n; k += 4) {
          const o4 = <usize>k << 2;
          const yv = v128.load(py + o4), gv = v128.load(pg + o4);
          v128.store(r + o4, log ? f32x4.sub(gv, f32x4.mul(expV(yv), av)) : f32x4.mul(yv, f32x4.sub(gv, av)));
        }
      }
      for (; k < n; k++) {
        const yv = load<f32>(at(py, k, inner)), gv = load<f32>(at(pg, k, inner));
        store<f32>(at(r, k, inner), log ? gv - expS(yv) * a : yv * (gv - a));
      }
    }
  }
}

/**
 * out = log Σ exp(x − m) + m per row, where m is the row max, taken as 0 when it is ±inf
 * (PyTorch's logsumexp: a row of -inf gives -inf, a row holding +inf gives inf, NaN stays
 * NaN). An empty row gives -inf.
 */
export function logsumexpDim(x: usize, out: usize, outer: i32, n: i32, inner: i32): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const p = rowAt(x, o, i, n, inner, 2);
      let m: f32 = n > 0 ? extremeF32(true, false, p, n, inner) : 0;
      if (Mathf.abs(m) == Infinity) m = 0;
      store<f32>(out + (<usize>(o * inner + i) << 2), <f32>Math.log(expSum(p, 0, n, inner, m)) + m);
    }
  }
}

/** Backward of logsumexpDim: gx = g · exp(x − y). */
export function logsumexpBackward(x: usize, y: usize, g: usize, gx: usize, outer: i32, n: i32, inner: i32): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const j = <usize>(o * inner + i) << 2;
      const p = rowAt(x, o, i, n, inner, 2), r = rowAt(gx, o, i, n, inner, 2);
      const yv = load<f32>(y + j), gv = load<f32>(g + j);
      let k = 0;
      if (inner == 1) {
        const yvv = f32x4.splat(yv), gvv = f32x4.splat(gv);
        for (; k + 4 <= n; k += 4) {
          const o4 = <usize>k << 2;
          v128.store(r + o4, f32x4.mul(gvv, expV(f32x4.sub(v128.load(p + o4), yvv))));
        }
      }
      for (; k < n; k++) store<f32>(at(r, k, inner), gv * expS(load<f32>(at(p, k, inner)) - yv));
    }
  }
}
