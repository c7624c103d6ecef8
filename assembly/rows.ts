// Shared row helpers for the reduction kernels. A contiguous tensor is viewed as
// [outer, n, inner]: row (o, i) is the n elements x[o, 0..n, i], `inner` apart, and its
// result goes to out[o·inner + i]. Rows with inner == 1 are contiguous and run in SIMD;
// the others are read through their stride, so reducing a leading dim needs no transpose.

/** The first element of row (o, i), for elements of 1 << shift bytes. */
@inline export function rowAt(x: usize, o: i32, i: i32, n: i32, inner: i32, shift: i32): usize {
  return x + ((<usize>o * <usize>n * <usize>inner + <usize>i) << shift);
}

/** Element k of a float row of stride s. */
@inline export function at(p: usize, k: i32, s: i32): usize {
  return p + (<usize>k * <usize>s << 2);
}

/** The upper two lanes of an f32x4, promoted to f64x2. */
@inline export function promoteHigh(v: v128): v128 {
  return f64x2.promote_low_f32x4(f32x4.shuffle(v, v, 2, 3, 2, 3));
}

@inline function lanes(acc: v128): f64 {
  return f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
}

/** Σ x over a row, accumulated in f64 (f32 lanes promoted in pairs when contiguous). */
export function sumF64(p: usize, n: i32, s: i32): f64 {
  let i = 0;
  let total: f64 = 0;
  if (s == 1) {
    let a0 = f64x2.splat(0), a1 = f64x2.splat(0);
    for (; i + 4 <= n; i += 4) {
      const v = v128.load(p + (<usize>i << 2));
      a0 = f64x2.add(a0, f64x2.promote_low_f32x4(v));
      a1 = f64x2.add(a1, promoteHigh(v));
    }
    total = lanes(a0) + lanes(a1);
  }
  for (; i < n; i++) total += <f64>load<f32>(at(p, i, s));
  return total;
}

/** Σ (x − mean)² over a row, in f64. */
export function sqDevF64(p: usize, n: i32, s: i32, mean: f64): f64 {
  let i = 0;
  let total: f64 = 0;
  if (s == 1) {
    const mv = f64x2.splat(mean);
    let a0 = f64x2.splat(0), a1 = f64x2.splat(0);
    for (; i + 4 <= n; i += 4) {
      const v = v128.load(p + (<usize>i << 2));
      const d0 = f64x2.sub(f64x2.promote_low_f32x4(v), mv);
      const d1 = f64x2.sub(promoteHigh(v), mv);
      a0 = f64x2.add(a0, f64x2.mul(d0, d0));
      a1 = f64x2.add(a1, f64x2.mul(d1, d1));
    }
    total = lanes(a0) + lanes(a1);
  }
  for (; i < n; i++) {
    const d = <f64>load<f32>(at(p, i, s)) - mean;
    total += d * d;
  }
  return total;
}

/**
 * The max (isMax) or min of a float row of n ≥ 1 elements, NaN if any element is NaN (as
 * PyTorch's reductions propagate it). `abs` takes |x|. The SIMD body uses pmax/pmin (one
 * instruction) and tracks NaN apart: wasm's NaN-propagating f32x4.max compiles to a long
 * sequence whose latency, in a loop-carried accumulator, made it 4× slower.
 */
export function extremeF32(isMax: bool, abs: bool, p: usize, n: i32, s: i32): f32 {
  let i = 1;
  let m = load<f32>(p);
  if (abs) m = Mathf.abs(m);
  if (s == 1 && n >= 8) {
    let acc = v128.load(p);
    if (abs) acc = f32x4.abs(acc);
    let nan = f32x4.ne(acc, acc);
    for (i = 4; i + 4 <= n; i += 4) {
      let v = v128.load(p + (<usize>i << 2));
      if (abs) v = f32x4.abs(v);
      acc = isMax ? f32x4.pmax(acc, v) : f32x4.pmin(acc, v);
      nan = v128.or(nan, f32x4.ne(v, v));
    }
    if (v128.any_true(nan)) return NaN;
    const a = f32x4.extract_lane(acc, 0), b = f32x4.extract_lane(acc, 1);
    const c = f32x4.extract_lane(acc, 2), d = f32x4.extract_lane(acc, 3);
    m = isMax ? max(max(a, b), max(c, d)) : min(min(a, b), min(c, d));
  }
  for (; i < n; i++) {
    let v = load<f32>(at(p, i, s));
    if (abs) v = Mathf.abs(v);
    m = isMax ? max(m, v) : min(m, v);
  }
  return m;
}
