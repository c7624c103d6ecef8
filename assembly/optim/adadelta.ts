// Adadelta: one call steps a param group. PyTorch's _single_tensor_adadelta on CPU, per
// element, in its op order:
//   g = maximize ? −grad : grad;  coupled: g = g + wd·p              (grad.add(param, alpha=wd))
//   v = v·ρ + ((1 − ρ)·g)·g;  std = √(v + eps);  δ = √(u + eps) / std · g
//   u = u·ρ + ((1 − ρ)·δ)·δ;  p = p + (−lr)·δ                        (addcmul_, add_ with alpha)
// One rounding per operation: PyTorch fuses add-with-alpha and addcmul (fma.ts), but its
// float32 sqrt is not correctly rounded (MKL), so this kernel cannot match it bit for bit
// anyway and does not pay for emulating the fma.
import { signMask, signBit, gradV, gradS, emaSqV, emaSqS } from "./moments";
import { WEIGHT_DECAY, tableRow, rowColumn, rowNumel, rowParam, rowGrad } from "./table";

// The row: numel, param, grad (table.ts), then
export const ADADELTA_SQUARE_AVG: i32 = 3;
export const ADADELTA_ACC_DELTA: i32 = 4;
export const ADADELTA_ROW: i32 = 5;

export function adadeltaStep(table: usize, count: i32, negLr: f32, rho: f32, oneMinusRho: f32, eps: f32,
  weightDecay: f32, flags: i32): void {
  if ((flags & WEIGHT_DECAY) != 0) adadeltaRows(table, count, negLr, rho, oneMinusRho, eps, weightDecay, flags, true);
  else adadeltaRows(table, count, negLr, rho, oneMinusRho, eps, weightDecay, flags, false);
}

@inline function adadeltaRows(table: usize, count: i32, negLr: f32, rho: f32, omr: f32, eps: f32, weightDecay: f32,
  flags: i32, wd: bool): void {
  const sign = signMask(flags), bit = signBit(flags);
  const rhoV = f32x4.splat(rho), omrV = f32x4.splat(omr), epsV = f32x4.splat(eps);
  const lrV = f32x4.splat(negLr), wdV = f32x4.splat(weightDecay);
  for (let r = 0; r < count; r++) {
    const row = tableRow(table, r, ADADELTA_ROW);
    const n = rowNumel(row), p = rowParam(row), g = rowGrad(row);
    const v = rowColumn(row, ADADELTA_SQUARE_AVG), u = rowColumn(row, ADADELTA_ACC_DELTA);
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const pv = v128.load(p + o);
      const gv = gradV(v128.load(g + o), pv, sign, wdV, wd);
      const vv = emaSqV(v128.load(v + o), rhoV, omrV, gv);
      v128.store(v + o, vv);
      const std = f32x4.sqrt(f32x4.add(vv, epsV));
      const uv = v128.load(u + o);
      const delta = f32x4.mul(f32x4.div(f32x4.sqrt(f32x4.add(uv, epsV)), std), gv);
      v128.store(u + o, emaSqV(uv, rhoV, omrV, delta));
      v128.store(p + o, f32x4.add(pv, f32x4.mul(lrV, delta)));
    }
    for (; i < n; i++) {
      const o = <usize>i << 2;
      const pv = load<f32>(p + o);
      const gv = gradS(load<f32>(g + o), pv, bit, weightDecay, wd);
      const vv = emaSqS(load<f32>(v + o), rho, omr, gv);
      store<f32>(v + o, vv);
      const std = Mathf.sqrt(vv + eps);
      const uv = load<f32>(u + o);
      const delta = Mathf.sqrt(uv + eps) / std * gv;
      store<f32>(u + o, emaSqS(uv, rho, omr, delta));
      store<f32>(p + o, pv + negLr * delta);
    }
  }
}
