// Shared element-wise pieces of the Adam-family and SGD kernels, rounded like PyTorch's
// CPU ops: f32, one rounding per operation, in PyTorch's operand order. One difference is
// left: PyTorch's AVX2/AVX-512 kernels fuse the multiply-add of add(alpha=), lerp and
// addcmul (one rounding where we round twice; wasm SIMD has no FMA), so a value can differ
// from PyTorch's by an ulp per such op (about 80% of the fixtures' values come out
// bit-identical after 12 steps; the worst is 1% of the test tolerance).

// Flag bits shared by the kernels in this folder that use them.
export const MAXIMIZE: i32 = 1;     // step along +grad (grad negated first)
export const WEIGHT_DECAY: i32 = 2; // coupled L2: grad = grad + weightDecay·param

/** All-ones lanes where `on`: xor with it flips the sign bit (maximize: grad → −grad, exactly). */
@inline export function signMask(flags: i32): v128 {
  return i32x4.splat((flags & MAXIMIZE) != 0 ? 0x80000000 : 0);
}

@inline export function signBit(flags: i32): u32 {
  return (flags & MAXIMIZE) != 0 ? 0x80000000 : 0;
}

@inline export function flipS(x: f32, bit: u32): f32 {
  return reinterpret<f32>(reinterpret<u32>(x) ^ bit);
}

/**
 * PyTorch's lerp_(end, w) on CPU: |w| < 0.5 ? self + w·(end − self) : end − (end − self)·(1 − w).
 * Written as base + c·(end − self) with base = self, c = w (small) or base = end, c = w − 1:
 * (end − self)·(w − 1) is exactly −((end − self)·(1 − w)), so the rounding is the same.
 * `small` is an all-ones mask when |w| < 0.5.
 */
@inline export function lerpV(self: v128, end: v128, c: v128, small: v128): v128 {
  return f32x4.add(v128.bitselect(self, end, small), f32x4.mul(c, f32x4.sub(end, self)));
}

@inline export function lerpS(self: f32, end: f32, c: f32, small: bool): f32 {
  return (small ? self : end) + c * (end - self);
}

/** The lerp coefficient for a weight `w`: w when |w| < 0.5, else w − 1 (exact in f32). */
@inline export function lerpCoef(w: f32): f32 {
  return Mathf.abs(w) < 0.5 ? w : w - 1;
}

@inline export function lerpSmall(w: f32): bool {
  return Mathf.abs(w) < 0.5;
}
