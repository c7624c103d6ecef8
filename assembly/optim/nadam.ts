// NAdam: one call steps a param group. PyTorch's _single_tensor_nadam, per element:
//   g = maximize ? −grad : grad
//   decoupled:  p = p·(1 − lr·wd)           (decay = 1 otherwise)
//   coupled:    g = g + wd·p
//   m = m.lerp(g, 1 − β1)
//   v = v·β2 + ((1 − β2)·g)·g
//   d = sqrt(v / bc2) + eps
//   p = p + (gradCoef·g) / d;  p = p + (avgCoef·m) / d      (two addcdiv_ with value)
// gradCoef = −lr·(1 − μ)/(1 − μ-product), avgCoef = −lr·μ_next/(1 − μ-product·μ_next),
// computed by the host in f64.
import { signMask, signBit, gradV, gradS, lerpV, lerpS, lerpCoef, lerpSmall, lerpSmallMask, emaSqV, emaSqS }
  from "./moments";
import { WEIGHT_DECAY, tableRow, rowColumn, rowNumel, rowParam, rowGrad } from "./table";

// The row: numel, param, grad (table.ts), then
export const NADAM_EXP_AVG: i32 = 3;
export const NADAM_EXP_AVG_SQ: i32 = 4;
export const NADAM_ROW: i32 = 5;

export function nadamStep(table: usize, count: i32, lerpWeight: f32, beta2: f32, oneMinusBeta2: f32,
  weightDecay: f32, decay: f32, bc2: f32, eps: f32, gradCoef: f32, avgCoef: f32, flags: i32): void {
  if ((flags & WEIGHT_DECAY) != 0) {
    nadamRows(table, count, lerpWeight, beta2, oneMinusBeta2, weightDecay, decay, bc2, eps, gradCoef, avgCoef, flags, true);
  } else {
    nadamRows(table, count, lerpWeight, beta2, oneMinusBeta2, weightDecay, decay, bc2, eps, gradCoef, avgCoef, flags, false);
  }
}

@inline function nadamRows(table: usize, count: i32, w: f32, beta2: f32, omb2: f32, weightDecay: f32,
  decay: f32, bc2: f32, eps: f32, gradCoef: f32, avgCoef: f32, flags: i32, wd: bool): void {
  const c = lerpCoef(w), small = lerpSmall(w);
  const sign = signMask(flags), bit = signBit(flags);
  const cV = f32x4.splat(c), smallV = lerpSmallMask(small);
  const b2V = f32x4.splat(beta2), omb2V = f32x4.splat(omb2), wdV = f32x4.splat(weightDecay);
  const decayV = f32x4.splat(decay), bc2V = f32x4.splat(bc2), epsV = f32x4.splat(eps);
  const gcV = f32x4.splat(gradCoef), acV = f32x4.splat(avgCoef);
  for (let r = 0; r < count; r++) {
    const row = tableRow(table, r, NADAM_ROW);
    const n = rowNumel(row), pp = rowParam(row), gp = rowGrad(row);
    const mp = rowColumn(row, NADAM_EXP_AVG), vp = rowColumn(row, NADAM_EXP_AVG_SQ);
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      let p = v128.load(pp + o);
      const g = gradV(v128.load(gp + o), p, sign, wdV, wd);
      p = f32x4.mul(p, decayV);
      const m = lerpV(v128.load(mp + o), g, cV, smallV);
      const v = emaSqV(v128.load(vp + o), b2V, omb2V, g);
      v128.store(mp + o, m);
      v128.store(vp + o, v);
      const d = f32x4.add(f32x4.sqrt(f32x4.div(v, bc2V)), epsV);
      p = f32x4.add(p, f32x4.div(f32x4.mul(gcV, g), d));
      v128.store(pp + o, f32x4.add(p, f32x4.div(f32x4.mul(acV, m), d)));
    }
    for (; i < n; i++) {
      const o = <usize>i << 2;
      let p = load<f32>(pp + o);
      const g = gradS(load<f32>(gp + o), p, bit, weightDecay, wd);
      p = p * decay;
      const m = lerpS(load<f32>(mp + o), g, c, small);
      const v = emaSqS(load<f32>(vp + o), beta2, omb2, g);
      store<f32>(mp + o, m);
      store<f32>(vp + o, v);
      const d = Mathf.sqrt(v / bc2) + eps;
      p = p + gradCoef * g / d;
      store<f32>(pp + o, p + avgCoef * m / d);
    }
  }
}
