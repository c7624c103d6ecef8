// Adam / AdamW: one call steps a param group. PyTorch's _single_tensor_adam (the CPU
// default, capturable=False), per element, in its op order:
//   g = maximize ? −grad : grad
//   decoupled:  p = p·(1 − lr·wd)           (decay = 1 otherwise: p·1 is exact)
//   coupled:    g = g + wd·p
//   m = m.lerp(g, 1 − β1)
//   v = v·β2 + ((1 − β2)·g)·g                 (mul_ then addcmul_)
//   amsgrad:    vmax = max(vmax, v); v̂ = vmax  else v̂ = v
//   p = p + (−stepSize·m) / (sqrt(v̂)/sqrt(bc2) + eps)   (addcdiv_ with value)
import { signMask, signBit, gradV, gradS, lerpV, lerpS, lerpCoef, lerpSmall, lerpSmallMask, emaSqV, emaSqS }
  from "./moments";
import { WEIGHT_DECAY, tableRow, rowColumn, rowNumel, rowParam, rowGrad } from "./table";

// The row: numel, param, grad (table.ts), then
export const ADAM_EXP_AVG: i32 = 3;
export const ADAM_EXP_AVG_SQ: i32 = 4;
export const ADAM_MAX_EXP_AVG_SQ: i32 = 5; // read with ADAM_AMSGRAD only
export const ADAM_ROW: i32 = 6;
// Flags, besides MAXIMIZE and WEIGHT_DECAY (table.ts)
export const ADAM_AMSGRAD: i32 = 4;

export function adamStep(table: usize, count: i32, lerpWeight: f32, beta2: f32, oneMinusBeta2: f32,
  weightDecay: f32, decay: f32, negStepSize: f32, bc2Sqrt: f32, eps: f32, flags: i32): void {
  const wd = (flags & WEIGHT_DECAY) != 0;
  const ams = (flags & ADAM_AMSGRAD) != 0;
  // PyTorch's defaults (β1 above 0.5, no decay, no amsgrad, minimize) get a loop without the
  // sign flip, the decay multiply and the lerp's select, each an identity there: the same bits.
  if (flags == 0 && decay == 1 && lerpSmall(lerpWeight)) {
    adamRows(table, count, lerpWeight, beta2, oneMinusBeta2, weightDecay, decay, negStepSize, bc2Sqrt, eps, flags, false, false, true);
  } else if (wd) {
    if (ams) adamRows(table, count, lerpWeight, beta2, oneMinusBeta2, weightDecay, decay, negStepSize, bc2Sqrt, eps, flags, true, true, false);
    else adamRows(table, count, lerpWeight, beta2, oneMinusBeta2, weightDecay, decay, negStepSize, bc2Sqrt, eps, flags, true, false, false);
  } else {
    if (ams) adamRows(table, count, lerpWeight, beta2, oneMinusBeta2, weightDecay, decay, negStepSize, bc2Sqrt, eps, flags, false, true, false);
    else adamRows(table, count, lerpWeight, beta2, oneMinusBeta2, weightDecay, decay, negStepSize, bc2Sqrt, eps, flags, false, false, false);
  }
}

@inline function adamRows(table: usize, count: i32, w: f32, beta2: f32, omb2: f32, weightDecay: f32,
  decay: f32, negStepSize: f32, bc2Sqrt: f32, eps: f32, flags: i32, wd: bool, ams: bool, plain: bool): void {
  const c = lerpCoef(w), small = lerpSmall(w);
  const sign = signMask(flags), bit = signBit(flags);
  const cV = f32x4.splat(c), smallV = lerpSmallMask(small);
  const b2V = f32x4.splat(beta2), omb2V = f32x4.splat(omb2), wdV = f32x4.splat(weightDecay);
  const decayV = f32x4.splat(decay), nssV = f32x4.splat(negStepSize);
  const bcV = f32x4.splat(bc2Sqrt), epsV = f32x4.splat(eps);
  for (let r = 0; r < count; r++) {
    const row = tableRow(table, r, ADAM_ROW);
    const n = rowNumel(row), pp = rowParam(row), gp = rowGrad(row);
    const mp = rowColumn(row, ADAM_EXP_AVG), vp = rowColumn(row, ADAM_EXP_AVG_SQ);
    const xp = ams ? rowColumn(row, ADAM_MAX_EXP_AVG_SQ) : 0;
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      let p = v128.load(pp + o);
      let g: v128, m: v128;
      if (plain) {
        g = v128.load(gp + o);
        const m0 = v128.load(mp + o);
        m = f32x4.add(m0, f32x4.mul(cV, f32x4.sub(g, m0))); // lerpV with |w| < 0.5
      } else {
        g = gradV(v128.load(gp + o), p, sign, wdV, wd);
        p = f32x4.mul(p, decayV);
        m = lerpV(v128.load(mp + o), g, cV, smallV);
      }
      const v = emaSqV(v128.load(vp + o), b2V, omb2V, g);
      v128.store(mp + o, m);
      v128.store(vp + o, v);
      let vh = v;
      if (ams) {
        vh = f32x4.max(v128.load(xp + o), v);
        v128.store(xp + o, vh);
      }
      const den = f32x4.add(f32x4.div(f32x4.sqrt(vh), bcV), epsV);
      v128.store(pp + o, f32x4.add(p, f32x4.div(f32x4.mul(nssV, m), den)));
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
      let vh = v;
      if (ams) {
        vh = max<f32>(load<f32>(xp + o), v);
        store<f32>(xp + o, vh);
      }
      const den = Mathf.sqrt(vh) / bc2Sqrt + eps;
      store<f32>(pp + o, p + negStepSize * m / den);
    }
  }
}
