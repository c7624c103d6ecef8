// Shared element-wise pieces of the fused optimizer kernels, rounded like PyTorch's CPU
// ops: f32, one rounding per operation, in PyTorch's operand order. One difference is
// left: PyTorch's AVX2/AVX-512 kernels fuse the multiply-add of add(alpha=), lerp and
// addcmul (one rounding where we round twice; wasm SIMD has no FMA), so a value can differ
// from PyTorch's by an ulp per such op (about 80% of the SGD and Adam-family fixture values
// come out bit-identical after 12 steps; the worst is 1% of the test tolerance).

import { MAXIMIZE } from "./table";

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
 * The gradient a step uses: grad with its sign flipped by `sign` (maximize), then coupled
 * weight decay when `wd`: g + wd·p (PyTorch's grad.add(param, alpha=wd), unfused).
 */
@inline export function gradV(grad: v128, p: v128, sign: v128, wdV: v128, wd: bool): v128 {
  let g = v128.xor(grad, sign);
  if (wd) g = f32x4.add(g, f32x4.mul(wdV, p));
  return g;
}

@inline export function gradS(grad: f32, p: f32, bit: u32, weightDecay: f32, wd: bool): f32 {
  let g = flipS(grad, bit);
  if (wd) g = g + weightDecay * p;
  return g;
}

/**
 * A running average of squares, v·β + ((1 − β)·g)·g: PyTorch's v.mul_(β).addcmul_(g, g,
 * value=1 − β) (Adam's expAvgSq, RMSprop's squareAvg, Adadelta's squareAvg and accDelta).
 */
@inline export function emaSqV(v: v128, beta: v128, oneMinusBeta: v128, g: v128): v128 {
  return f32x4.add(f32x4.mul(v, beta), f32x4.mul(f32x4.mul(oneMinusBeta, g), g));
}

@inline export function emaSqS(v: f32, beta: f32, oneMinusBeta: f32, g: f32): f32 {
  return v * beta + oneMinusBeta * g * g;
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

/** `lerpSmall` as the all-ones (or all-zeros) lane mask that lerpV takes. */
@inline export function lerpSmallMask(small: bool): v128 {
  return i32x4.splat(small ? -1 : 0);
}
