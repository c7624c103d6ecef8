// Adagrad: one call steps a param group's params that share one step count. PyTorch's
// _single_tensor_adagrad (dense grads) on CPU, per element, in its op order:
//   g = maximize ? −grad : grad;  coupled: g = g + wd·p              (grad.add(param, alpha=wd))
//   sum = sum + g·g;  std = √sum + eps;  p = p + (−clr)·g / std       (addcmul_, addcdiv_)
// One rounding per operation (see adadelta.ts: PyTorch's sqrt rules out bit-exactness).
// clr = lr / (1 + (step − 1)·lrDecay) is computed by the host in f64.
import { signMask, signBit, gradV, gradS } from "./moments";
import { WEIGHT_DECAY, tableRow, rowColumn, rowNumel, rowParam, rowGrad } from "./table";

// The row: numel, param, grad (table.ts), then
export const ADAGRAD_SUM: i32 = 3;
export const ADAGRAD_ROW: i32 = 4;

export function adagradStep(table: usize, count: i32, negClr: f32, eps: f32, weightDecay: f32, flags: i32): void {
  if ((flags & WEIGHT_DECAY) != 0) adagradRows(table, count, negClr, eps, weightDecay, flags, true);
  else adagradRows(table, count, negClr, eps, weightDecay, flags, false);
}

@inline function adagradRows(table: usize, count: i32, negClr: f32, eps: f32, weightDecay: f32, flags: i32,
  wd: bool): void {
  const sign = signMask(flags), bit = signBit(flags);
  const lrV = f32x4.splat(negClr), epsV = f32x4.splat(eps), wdV = f32x4.splat(weightDecay);
  for (let r = 0; r < count; r++) {
    const row = tableRow(table, r, ADAGRAD_ROW);
    const n = rowNumel(row), p = rowParam(row), g = rowGrad(row), s = rowColumn(row, ADAGRAD_SUM);
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const pv = v128.load(p + o);
      const gv = gradV(v128.load(g + o), pv, sign, wdV, wd);
      const sv = f32x4.add(v128.load(s + o), f32x4.mul(gv, gv));
      v128.store(s + o, sv);
      const std = f32x4.add(f32x4.sqrt(sv), epsV);
      v128.store(p + o, f32x4.add(pv, f32x4.div(f32x4.mul(lrV, gv), std)));
    }
    for (; i < n; i++) {
      const o = <usize>i << 2;
      const pv = load<f32>(p + o);
      const gv = gradS(load<f32>(g + o), pv, bit, weightDecay, wd);
      const sv = load<f32>(s + o) + gv * gv;
      store<f32>(s + o, sv);
      const std = Mathf.sqrt(sv) + eps;
      store<f32>(p + o, pv + negClr * gv / std);
    }
  }
}
