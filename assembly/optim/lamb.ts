// LAMB: one call steps a param group, in two passes per parameter: the moments and the
// update's norm, then the update scaled by the trust ratio. pytorch_optimizer's Lamb
// (optimizer/lamb.py), per element, in its op order, each op rounded as PyTorch's CPU kernel
// rounds it but for the multiply-adds of add(alpha=), which PyTorch's AVX2/AVX-512 kernels
// fuse and these round twice (moments.ts):
//
//   g = maximize ? −grad : grad;  preNorm: g = g / gradNorm       (the host's global norm factor)
// its foreach path (every group without rectify):
//   coupled wd:  g = g + wd·p;  decoupled wd:  p = p·decay        (only when wd ≠ 0)
//   m = m·β1 + β3·g;  v = v·β2 + ((1 − β2)·g)·g
//   u = m · (1 / (sqrt(v) + eps))                                 (sqrt, add, reciprocal, mul)
//   p = p + (−stepSize·r)·u
// its per-parameter path (rectify):
//   m, v as above (a coupled weight decay is not applied there);  weightDecouple: p = p·decay
//   ρ_t ≥ threshold:  d = sqrt(v) + eps;  u = p + (s·m)/d;  p = p + (s·r·m)/d     (addcdiv)
//   else:             u = p + s·m;        p = p + (s·r)·m                         (s = −stepSize)
// with the trust ratio r = 1 when ‖p‖ or ‖u‖ is 0, else min(‖p‖, 10) / (‖u‖ + eps) (adam:
// r = 1 in the update, the ratio still reported). ‖·‖² sums float32 squares in four float32
// lanes over blocks of 64 elements, the blocks' sums (and the tail's squares) in f64: as
// close to the exact norm as PyTorch's own float32 reduction, at a third of an all-f64 sum's cost. The step size times r is an f64 product rounded
// to f32 on the foreach path (a Python float there), of −stepSize rounded to f32 first on the
// per-parameter path (a 0-d float32 tensor there).
//
// Each row's ‖p‖ (clamped), ‖u‖ and r are written to out[3·row …] for the state.
import { signBit, flipS, signMask, emaSqV, emaSqS } from "./moments";
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
/** The SIMD body sums squares in float32 lanes over blocks of this many elements, then in f64. */
const BLOCK: i32 = 64;

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
  const normV = f32x4.splat(gradNorm), wdV = f32x4.splat(weightDecay), decayV = f32x4.splat(decay);
  const b1V = f32x4.splat(beta1), b3V = f32x4.splat(beta3), b2V = f32x4.splat(beta2), omb2V = f32x4.splat(omb2);
  const epsV = f32x4.splat(eps), oneV = f32x4.splat(1), sV = f32x4.splat(s);
  for (let r = 0; r < count; r++) {
    const row = tableRow(table, r, LAMB_ROW);
    const n = rowNumel(row), pp = rowParam(row), gp = rowGrad(row);
    const mp = rowColumn(row, LAMB_EXP_AVG), vp = rowColumn(row, LAMB_EXP_AVG_SQ);
    // pass 1: the moments, p decayed, the norms of p and of the update
    let pSum: f64 = 0, uSum: f64 = 0, pAcc = f32x4.splat(0), uAcc = f32x4.splat(0);
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      let p = v128.load(pp + o);
      let g = v128.xor(v128.load(gp + o), sign);
      if (preNorm) g = f32x4.div(g, normV);
      if (coupled) g = f32x4.add(g, f32x4.mul(wdV, p));
      p = f32x4.mul(p, decayV);
      v128.store(pp + o, p);
      const m = f32x4.add(f32x4.mul(v128.load(mp + o), b1V), f32x4.mul(b3V, g));
      const v = emaSqV(v128.load(vp + o), b2V, omb2V, g);
      v128.store(mp + o, m);
      v128.store(vp + o, v);
      let u: v128;
      if (!rectify) u = f32x4.mul(m, f32x4.div(oneV, f32x4.add(f32x4.sqrt(v), epsV)));
      else if (adaptive) u = f32x4.add(p, f32x4.div(f32x4.mul(sV, m), f32x4.add(f32x4.sqrt(v), epsV)));
      else u = f32x4.add(p, f32x4.mul(sV, m));
      pAcc = f32x4.add(pAcc, f32x4.mul(p, p));
      uAcc = f32x4.add(uAcc, f32x4.mul(u, u));
      if ((i & (BLOCK - 4)) == BLOCK - 4) {
        pSum += lanesSum(pAcc);
        uSum += lanesSum(uAcc);
        pAcc = uAcc = f32x4.splat(0);
      }
    }
    pSum += lanesSum(pAcc);
    uSum += lanesSum(uAcc);
    const tail = i;
    for (; i < n; i++) {
      const o = <usize>i << 2;
      let p = load<f32>(pp + o);
      let g = flipS(load<f32>(gp + o), bit);
      if (preNorm) g = g / gradNorm;
      if (coupled) g = g + weightDecay * p;
      p = p * decay;
      store<f32>(pp + o, p);
      const m = load<f32>(mp + o) * beta1 + beta3 * g;
      const v = emaSqS(load<f32>(vp + o), beta2, omb2, g);
      store<f32>(mp + o, m);
      store<f32>(vp + o, v);
      let u: f32;
      if (!rectify) u = m * (1 / (Mathf.sqrt(v) + eps));
      else if (adaptive) u = p + s * m / (Mathf.sqrt(v) + eps);
      else u = p + s * m;
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
    const aV = f32x4.splat(a);
    i = 0;
    for (; i < tail; i += 4) {
      const o = <usize>i << 2;
      const p = v128.load(pp + o), m = v128.load(mp + o), v = v128.load(vp + o);
      let q: v128;
      if (!rectify) q = f32x4.add(p, f32x4.mul(aV, f32x4.mul(m, f32x4.div(oneV, f32x4.add(f32x4.sqrt(v), epsV)))));
      else if (adaptive) q = f32x4.add(p, f32x4.div(f32x4.mul(aV, m), f32x4.add(f32x4.sqrt(v), epsV)));
      else q = f32x4.add(p, f32x4.mul(aV, m));
      v128.store(pp + o, q);
    }
    for (; i < n; i++) {
      const o = <usize>i << 2;
      const p = load<f32>(pp + o), m = load<f32>(mp + o), v = load<f32>(vp + o);
      let q: f32;
      if (!rectify) q = p + a * (m * (1 / (Mathf.sqrt(v) + eps)));
      else if (adaptive) q = p + a * m / (Mathf.sqrt(v) + eps);
      else q = p + a * m;
      store<f32>(pp + o, q);
    }
  }
}

/** (a0 + a2) + (a1 + a3) in f64. */
@inline function lanesSum(acc: v128): f64 {
  const s = f64x2.add(f64x2.promote_low_f32x4(acc), f64x2.promote_low_f32x4(v128.shuffle<f32>(acc, acc, 2, 3, 0, 1)));
  return f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
}
