// Adamax: one call steps a param group. PyTorch's _single_tensor_adamax, per element:
//   g = maximize ? −grad : grad
//   coupled:  g = g + wd·p
//   m = m.lerp(g, 1 − β1)
//   u = max(u·β2, |g| + eps)                  (torch.maximum: NaN wins)
//   p = p + (−lr/bc1 · m) / u                 (addcdiv_ with value −clr)
import { signMask, signBit, gradV, gradS, lerpV, lerpS, lerpCoef, lerpSmall, lerpSmallMask } from "./moments";
import { WEIGHT_DECAY, tableRow, rowColumn, rowNumel, rowParam, rowGrad } from "./table";

// The row: numel, param, grad (table.ts), then
export const ADAMAX_EXP_AVG: i32 = 3;
export const ADAMAX_EXP_INF: i32 = 4;
export const ADAMAX_ROW: i32 = 5;

export function adamaxStep(table: usize, count: i32, lerpWeight: f32, beta2: f32, eps: f32,
  weightDecay: f32, negClr: f32, flags: i32): void {
  if ((flags & WEIGHT_DECAY) != 0) adamaxRows(table, count, lerpWeight, beta2, eps, weightDecay, negClr, flags, true);
  else adamaxRows(table, count, lerpWeight, beta2, eps, weightDecay, negClr, flags, false);
}

@inline function adamaxRows(table: usize, count: i32, w: f32, beta2: f32, eps: f32, weightDecay: f32,
  negClr: f32, flags: i32, wd: bool): void {
  const c = lerpCoef(w), small = lerpSmall(w);
  const sign = signMask(flags), bit = signBit(flags);
  const cV = f32x4.splat(c), smallV = lerpSmallMask(small);
  const b2V = f32x4.splat(beta2), epsV = f32x4.splat(eps), wdV = f32x4.splat(weightDecay);
  const clrV = f32x4.splat(negClr);
  for (let r = 0; r < count; r++) {
    const row = tableRow(table, r, ADAMAX_ROW);
    const n = rowNumel(row), pp = rowParam(row), gp = rowGrad(row);
    const mp = rowColumn(row, ADAMAX_EXP_AVG), up = rowColumn(row, ADAMAX_EXP_INF);
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const p = v128.load(pp + o);
      const g = gradV(v128.load(gp + o), p, sign, wdV, wd);
      const m = lerpV(v128.load(mp + o), g, cV, smallV);
      const u = f32x4.max(f32x4.mul(v128.load(up + o), b2V), f32x4.add(f32x4.abs(g), epsV));
      v128.store(mp + o, m);
      v128.store(up + o, u);
      v128.store(pp + o, f32x4.add(p, f32x4.div(f32x4.mul(clrV, m), u)));
    }
    for (; i < n; i++) {
      const o = <usize>i << 2;
      const p = load<f32>(pp + o);
      const g = gradS(load<f32>(gp + o), p, bit, weightDecay, wd);
      const m = lerpS(load<f32>(mp + o), g, c, small);
      const u = max<f32>(load<f32>(up + o) * beta2, Mathf.abs(g) + eps);
      store<f32>(mp + o, m);
      store<f32>(up + o, u);
      store<f32>(pp + o, p + negClr * m / u);
    }
  }
}
