// LAMB: one call steps a param group, in two passes per parameter: the moments and the
// update's norm, then the update scaled by the trust ratio. pytorch_optimizer's Lamb
// (optimizer/lamb.py), per element, in its op order, each op rounded as PyTorch's CPU kernel
// rounds it (add with alpha fused):
//
//   g = maximize ? −grad : grad;  preNorm: g = g / gradNorm       (the host's global norm factor)
// its foreach path (every group without rectify):
//   coupled wd:  g = fma(wd, p, g);  decoupled wd:  p = p·decay   (only when wd ≠ 0)
//   m = fma(β3, g, m·β1);  v = v·β2 + ((1 − β2)·g)·g
//   u = m · (1 / (sqrt(v) + eps))                                 (sqrt, add, reciprocal, mul)
//   p = fma(−stepSize·r, u, p)
// its per-parameter path (rectify):
//   m, v as above (a coupled weight decay is not applied there);  weightDecouple: p = p·decay
//   ρ_t ≥ threshold:  d = sqrt(v) + eps;  u = p + (s·m)/d;  p = p + (s·r·m)/d     (addcdiv)
//   else:             u = fma(s, m, p);   p = fma(s·r, m, p)                       (s = −stepSize)
// with the trust ratio r = 1 when ‖p‖ or ‖u‖ is 0, else min(‖p‖, 10) / (‖u‖ + eps) (adam:
// r = 1 in the update, the ratio still reported). ‖·‖ accumulates in f64 (PyTorch in f32, in
// its own order: the norms agree to an ulp). The step size times r is an f64 product rounded
// to f32 on the foreach path (a Python float there), of −stepSize rounded to f32 first on the
// per-parameter path (a 0-d float32 tensor there).
//
// Each row's ‖p‖ (clamped), ‖u‖ and r are written to out[3·row …] for the state.
import { signBit, flipS, signMask, emaSqV, emaSqS } from "./moments";
import { fmaS, fmaSplatV } from "./fma";
import { WEIGHT_DECAY, tableRow, rowColumn, rowNumel, rowParam, rowGrad } from "./table";

// The row: numel, param, grad (table.ts), then
export const LAMB_EXP_AVG: i32 = 3;
export const LAMB_EXP_AVG_SQ: i32 = 4;
export const LAMB_ROW: i32 = 5;
// Flags, besides MAXIMIZE and WEIGHT_DECAY (coupled, foreach path only; table.ts)
export const LAMB_PRE_NORM: i32 = 4;   // divide the grads by gradNorm
export const LAMB_RECTIFY: i32 = 8;    // the per-parameter path
export const LAMB_ADAPTIVE: i32 = 16;  // rectify with ρ_t ≥ the threshold: divide by sqrt(v) + eps
export const LAMB_ADAM: i32 = 32;      // trust ratio 1 in the update
/** ‖p‖ is clamped to this (Lamb.clamp). */
const CLAMP: f32 = 10;

export function lambStep(table: usize, count: i32, gradNorm: f32, weightDecay: f32, decay: f32, beta1: f32, beta3: f32,
  beta2: f32, oneMinusBeta2: f32, eps: f32, negStepSize: f64, flags: i32, out: usize): void {
  if ((flags & LAMB_RECTIFY) == 0) {
    if ((flags & WEIGHT_DECAY) != 0) lambRows(table, count, gradNorm, weightDecay, decay, beta1, beta3, beta2, oneMinusBeta2, eps, negStepSize, flags, out, true, false, false);
    else lambRows(table, count, gradNorm, weightDecay, decay, beta1, beta3, beta2, oneMinusBeta2, eps, negStepSize, flags, out, false, false, false);
  } else {
    if ((flags & LAMB_ADAPTIVE) != 0) lambRows(table, count, gradNorm, weightDecay, decay, beta1, beta3, beta2, oneMinusBeta2, eps, negStepSize, flags, out, false, true, true);
    else lambRows(table, count, gradNorm, weightDecay, decay, beta1, beta3, beta2, oneMinusBeta2, eps, negStepSize, flags, out, false, true, false);
  }
}

@inline function lambRows(table: usize, count: i32, gradNorm: f32, weightDecay: f32, decay: f32, beta1: f32, beta3: f32,
  beta2: f32, omb2: f32, eps: f32, negStepSize: f64, flags: i32, out: usize, coupled: bool, rectify: bool,
  adaptive: bool): void {
  const sign = signMask(flags), bit = signBit(flags);
  const preNorm = (flags & LAMB_PRE_NORM) != 0, adam = (flags & LAMB_ADAM) != 0;
  const s: f32 = <f32>negStepSize; // rectify: −stepSize as the 0-d tensor's float32
  const normV = f32x4.splat(gradNorm), wdV = f64x2.splat(<f64>weightDecay), decayV = f32x4.splat(decay);
  const b1V = f32x4.splat(beta1), b3V = f64x2.splat(<f64>beta3), b2V = f32x4.splat(beta2), omb2V = f32x4.splat(omb2);
  const epsV = f32x4.splat(eps), oneV = f32x4.splat(1), sV = f32x4.splat(s), sW = f64x2.splat(<f64>s);
  for (let r = 0; r < count; r++) {
    const row = tableRow(table, r, LAMB_ROW);
    const n = rowNumel(row), pp = rowParam(row), gp = rowGrad(row);
    const mp = rowColumn(row, LAMB_EXP_AVG), vp = rowColumn(row, LAMB_EXP_AVG_SQ);
    // pass 1: the moments, p decayed, the norms of p and of the update
    let pLo = f64x2.splat(0), pHi = f64x2.splat(0), uLo = f64x2.splat(0), uHi = f64x2.splat(0);
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      let p = v128.load(pp + o);
      let g = v128.xor(v128.load(gp + o), sign);
      if (preNorm) g = f32x4.div(g, normV);
      if (coupled) g = fmaSplatV(wdV, p, g);
      p = f32x4.mul(p, decayV);
      v128.store(pp + o, p);
      const m = fmaSplatV(b3V, g, f32x4.mul(v128.load(mp + o), b1V));
      const v = emaSqV(v128.load(vp + o), b2V, omb2V, g);
      v128.store(mp + o, m);
      v128.store(vp + o, v);
      let u: v128;
      if (!rectify) u = f32x4.mul(m, f32x4.div(oneV, f32x4.add(f32x4.sqrt(v), epsV)));
      else if (adaptive) u = f32x4.add(p, f32x4.div(f32x4.mul(sV, m), f32x4.add(f32x4.sqrt(v), epsV)));
      else u = fmaSplatV(sW, m, p);
      pLo = f64x2.add(pLo, square(f64x2.promote_low_f32x4(p)));
      pHi = f64x2.add(pHi, square(f64x2.promote_low_f32x4(v128.shuffle<f32>(p, p, 2, 3, 0, 1))));
      uLo = f64x2.add(uLo, square(f64x2.promote_low_f32x4(u)));
      uHi = f64x2.add(uHi, square(f64x2.promote_low_f32x4(v128.shuffle<f32>(u, u, 2, 3, 0, 1))));
    }
    let pSum = (f64x2.extract_lane(pLo, 0) + f64x2.extract_lane(pLo, 1)) + (f64x2.extract_lane(pHi, 0) + f64x2.extract_lane(pHi, 1));
    let uSum = (f64x2.extract_lane(uLo, 0) + f64x2.extract_lane(uLo, 1)) + (f64x2.extract_lane(uHi, 0) + f64x2.extract_lane(uHi, 1));
    const tail = i;
    for (; i < n; i++) {
      const o = <usize>i << 2;
      let p = load<f32>(pp + o);
      let g = flipS(load<f32>(gp + o), bit);
      if (preNorm) g = g / gradNorm;
      if (coupled) g = fmaS(weightDecay, p, g);
      p = p * decay;
      store<f32>(pp + o, p);
      const m = fmaS(beta3, g, load<f32>(mp + o) * beta1);
      const v = emaSqS(load<f32>(vp + o), beta2, omb2, g);
      store<f32>(mp + o, m);
      store<f32>(vp + o, v);
      let u: f32;
      if (!rectify) u = m * (1 / (Mathf.sqrt(v) + eps));
      else if (adaptive) u = p + s * m / (Mathf.sqrt(v) + eps);
      else u = fmaS(s, m, p);
      pSum += <f64>p * <f64>p;
      uSum += <f64>u * <f64>u;
    }
    const wn = min<f32>(<f32>Math.sqrt(pSum), CLAMP), un = <f32>Math.sqrt(uSum);
    const ratio: f32 = wn == 0 || un == 0 ? 1 : wn / (un + eps);
    const used: f64 = adam ? 1 : <f64>ratio;
    const a: f32 = rectify ? <f32>(<f64>s * used) : <f32>(negStepSize * used);
    store<f32>(out + (<usize>(3 * r) << 2), wn);
    store<f32>(out + (<usize>(3 * r + 1) << 2), un);
    store<f32>(out + (<usize>(3 * r + 2) << 2), ratio);
    // pass 2: the update, recomputed from the stored moments, scaled by the trust ratio
    const aV = f32x4.splat(a), aW = f64x2.splat(<f64>a);
    i = 0;
    for (; i < tail; i += 4) {
      const o = <usize>i << 2;
      const p = v128.load(pp + o), m = v128.load(mp + o), v = v128.load(vp + o);
      let q: v128;
      if (!rectify) q = fmaSplatV(aW, f32x4.mul(m, f32x4.div(oneV, f32x4.add(f32x4.sqrt(v), epsV))), p);
      else if (adaptive) q = f32x4.add(p, f32x4.div(f32x4.mul(aV, m), f32x4.add(f32x4.sqrt(v), epsV)));
      else q = fmaSplatV(aW, m, p);
      v128.store(pp + o, q);
    }
    for (; i < n; i++) {
      const o = <usize>i << 2;
      const p = load<f32>(pp + o), m = load<f32>(mp + o), v = load<f32>(vp + o);
      let q: f32;
      if (!rectify) q = fmaS(a, m * (1 / (Mathf.sqrt(v) + eps)), p);
      else if (adaptive) q = p + a * m / (Mathf.sqrt(v) + eps);
      else q = fmaS(a, m, p);
      store<f32>(pp + o, q);
    }
  }
}

@inline function square(x: v128): v128 {
  return f64x2.mul(x, x);
}
