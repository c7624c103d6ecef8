// Adagrad, one fused in-place step over rows [numel, param, grad, sum] (i32 each) that share
// one step count. Op order and f32 rounding follow torch/optim/adagrad.py
// (_single_tensor_adagrad, dense grads) on CPU:
//   g = maximize ? -g : g;  if wd != 0: g = g + wd·p                (grad.add(param, alpha=wd))
//   sum = sum + g·g;  std = √sum + eps;  p = p + (-clr)·g / std      (addcmul_, addcdiv_)
// One rounding per operation (see adadelta.ts: PyTorch's sqrt rules out bit-exactness).
// clr = lr / (1 + (step - 1)·lrDecay) is computed by the host in f64.

import { tableRow, rowNumel, rowParam, rowGrad, rowState } from "./table";

const ROW = 4;

@inline function run(table: usize, count: i32, negClr: f32, eps: f32, wd: f32, sgn: f32, decay: bool): void {
  const lrV = f32x4.splat(negClr), epsV = f32x4.splat(eps), wdV = f32x4.splat(wd), sgnV = f32x4.splat(sgn);
  for (let r = 0; r < count; r++) {
    const row = tableRow(table, r, ROW);
    const n = rowNumel(row), p = rowParam(row), g = rowGrad(row), s = rowState(row, 0);
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const pv = v128.load(p + o);
      let gv = f32x4.mul(v128.load(g + o), sgnV);
      if (decay) gv = f32x4.add(gv, f32x4.mul(wdV, pv));
      const sv = f32x4.add(v128.load(s + o), f32x4.mul(gv, gv));
      v128.store(s + o, sv);
      const std = f32x4.add(f32x4.sqrt(sv), epsV);
      v128.store(p + o, f32x4.add(pv, f32x4.div(f32x4.mul(lrV, gv), std)));
    }
    for (; i < n; i++) {
      const o = <usize>i << 2;
      const pv = load<f32>(p + o);
      let gv = load<f32>(g + o) * sgn;
      if (decay) gv = gv + wd * pv;
      const sv = load<f32>(s + o) + gv * gv;
      store<f32>(s + o, sv);
      const std = Mathf.sqrt(sv) + eps;
      store<f32>(p + o, pv + negClr * gv / std);
    }
  }
}

export function adagradStep(table: usize, count: i32, negClr: f32, eps: f32, weightDecay: f32, maximize: i32): void {
  const sgn: f32 = maximize != 0 ? -1 : 1;
  if (weightDecay != 0) run(table, count, negClr, eps, weightDecay, sgn, true);
  else run(table, count, negClr, eps, weightDecay, sgn, false);
}
