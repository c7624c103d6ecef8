// Fused multiply-add as PyTorch's CPU kernels compute it (x86-64 builds with AVX2/FMA, and
// aarch64): add(other, alpha), addcmul and lerp round a·b + c once. Used where it makes a
// kernel bit-identical to PyTorch (ASGD, LBFGS's axpy); the kernels with a sqrt cannot be
// (PyTorch's float32 sqrt on CPU is MKL's, not correctly rounded) and skip the cost. wasm has no FMA outside
// relaxed SIMD (off in Node 20, and not deterministic), so it is emulated exactly: the
// product of two f32 is exact in f64, and the f64 sum is then rounded to f32 (the double
// rounding can differ from a true fma only when the sum lies within 2⁻⁵³ of an f32
// midpoint; never seen in the fixtures).

/** a·b + c, rounded once, per lane. */
@inline export function fmaV(a: v128, b: v128, c: v128): v128 {
  const lo = f64x2.add(f64x2.mul(f64x2.promote_low_f32x4(a), f64x2.promote_low_f32x4(b)), f64x2.promote_low_f32x4(c));
  const ah = v128.shuffle<f32>(a, a, 2, 3, 2, 3), bh = v128.shuffle<f32>(b, b, 2, 3, 2, 3), ch = v128.shuffle<f32>(c, c, 2, 3, 2, 3);
  const hi = f64x2.add(f64x2.mul(f64x2.promote_low_f32x4(ah), f64x2.promote_low_f32x4(bh)), f64x2.promote_low_f32x4(ch));
  return v128.shuffle<f32>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
}

/** a·b + c, rounded once, per lane, for a scalar `a` given as an f64x2 splat (saves its widening). */
@inline export function fmaSplatV(a: v128, b: v128, c: v128): v128 {
  const lo = f64x2.add(f64x2.mul(a, f64x2.promote_low_f32x4(b)), f64x2.promote_low_f32x4(c));
  const bh = v128.shuffle<f32>(b, b, 2, 3, 2, 3), ch = v128.shuffle<f32>(c, c, 2, 3, 2, 3);
  const hi = f64x2.add(f64x2.mul(a, f64x2.promote_low_f32x4(bh)), f64x2.promote_low_f32x4(ch));
  return v128.shuffle<f32>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
}

/** a·b + c, rounded once. */
@inline export function fmaS(a: f32, b: f32, c: f32): f32 {
  return <f32>(<f64>a * <f64>b + <f64>c);
}

/**
 * PyTorch's lerp with a scalar weight on CPU, one rounding per result as its kernels compute it
 * (fmadd(coeff, end − self, base)): coefficient c and base chosen by lerpCoef and lerpSmall
 * (moments.ts): |w| < 0.5 ? self + w·(end − self) : end + (w − 1)·(end − self).
 */
@inline export function lerpFmaV(self: v128, end: v128, c: v128, small: v128): v128 {
  return fmaV(c, f32x4.sub(end, self), v128.bitselect(self, end, small));
}

@inline export function lerpFmaS(self: f32, end: f32, c: f32, small: bool): f32 {
  return fmaS(c, end - self, small ? self : end);
}
