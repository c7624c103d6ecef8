// RAdam: one call steps a param group. PyTorch's _single_tensor_radam, per element:
//   g = maximize ? −grad : grad
//   decoupled:  p = p·(1 − lr·wd)           (decay = 1 otherwise)
//   coupled:    g = g + wd·p
//   m = m.lerp(g, 1 − β1);  v = v·β2 + ((1 − β2)·g)·g
//   m̂ = m / bc1
//   ρ_t > 5:  p = p − ((m̂·lr)·(reciprocal(sqrt(v) + eps)·sqrt(bc2)))·rect
//   else:     p = p − m̂·lr
// (`scalar / tensor` in PyTorch is reciprocal(tensor)·scalar.) ρ_t and rect come from the
// host in f64.
import { signMask, signBit, gradV, gradS, lerpV, lerpS, lerpCoef, lerpSmall, lerpSmallMask, emaSqV, emaSqS }
  from "./moments";
import { WEIGHT_DECAY, tableRow, rowColumn, rowNumel, rowParam, rowGrad } from "./table";

// The row: numel, param, grad (table.ts), then
export const RADAM_EXP_AVG: i32 = 3;
export const RADAM_EXP_AVG_SQ: i32 = 4;
export const RADAM_ROW: i32 = 5;
// Flags, besides MAXIMIZE and WEIGHT_DECAY (table.ts)
export const RADAM_RECTIFY: i32 = 4; // ρ_t > 5: the adaptive, rectified update

export function radamStep(table: usize, count: i32, lerpWeight: f32, beta2: f32, oneMinusBeta2: f32,
  weightDecay: f32, decay: f32, bc1: f32, lr: f32, bc2Sqrt: f32, rect: f32, eps: f32, flags: i32): void {
  const wd = (flags & WEIGHT_DECAY) != 0;
  if ((flags & RADAM_RECTIFY) != 0) {
    if (wd) radamRows(table, count, lerpWeight, beta2, oneMinusBeta2, weightDecay, decay, bc1, lr, bc2Sqrt, rect, eps, flags, true, true);
    else radamRows(table, count, lerpWeight, beta2, oneMinusBeta2, weightDecay, decay, bc1, lr, bc2Sqrt, rect, eps, flags, false, true);
  } else {
    if (wd) radamRows(table, count, lerpWeight, beta2, oneMinusBeta2, weightDecay, decay, bc1, lr, bc2Sqrt, rect, eps, flags, true, false);
    else radamRows(table, count, lerpWeight, beta2, oneMinusBeta2, weightDecay, decay, bc1, lr, bc2Sqrt, rect, eps, flags, false, false);
  }
}

@inline function radamRows(table: usize, count: i32, w: f32, beta2: f32, omb2: f32, weightDecay: f32,
  decay: f32, bc1: f32, lr: f32, bc2Sqrt: f32, rect: f32, eps: f32, flags: i32, wd: bool, rectify: bool): void {
  const c = lerpCoef(w), small = lerpSmall(w);
  const sign = signMask(flags), bit = signBit(flags);
  const cV = f32x4.splat(c), smallV = lerpSmallMask(small);
  const b2V = f32x4.splat(beta2), omb2V = f32x4.splat(omb2), wdV = f32x4.splat(weightDecay);
  const decayV = f32x4.splat(decay), bc1V = f32x4.splat(bc1), lrV = f32x4.splat(lr);
  const bc2V = f32x4.splat(bc2Sqrt), rectV = f32x4.splat(rect), epsV = f32x4.splat(eps);
  const oneV = f32x4.splat(1);
  for (let r = 0; r < count; r++) {
    const row = tableRow(table, r, RADAM_ROW);
    const n = rowNumel(row), pp = rowParam(row), gp = rowGrad(row);
    const mp = rowColumn(row, RADAM_EXP_AVG), vp = rowColumn(row, RADAM_EXP_AVG_SQ);
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
      let u = f32x4.mul(f32x4.div(m, bc1V), lrV);
      if (rectify) {
        const adaptive = f32x4.mul(f32x4.div(oneV, f32x4.add(f32x4.sqrt(v), epsV)), bc2V);
        u = f32x4.mul(f32x4.mul(u, adaptive), rectV);
      }
      v128.store(pp + o, f32x4.sub(p, u));
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
      let u = m / bc1 * lr;
      if (rectify) u = u * (<f32>1 / (Mathf.sqrt(v) + eps) * bc2Sqrt) * rect;
      store<f32>(pp + o, p - u);
    }
  }
}
