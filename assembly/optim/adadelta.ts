// Adadelta, one fused in-place step over a table of rows [numel, param, grad, squareAvg,
// accDelta] (i32 each). Op order and f32 rounding follow torch/optim/adadelta.py
// (_single_tensor_adadelta) on CPU:
//   g = maximize ? -g : g;  if wd != 0: g = g + wd·p                (grad.add(param, alpha=wd))
//   v = v·rho + (1-rho)·g·g;  std = √(v + eps);  δ = √(u + eps) / std · g
//   u = u·rho + (1-rho)·δ·δ;  p = p + (-lr)·δ                        (addcmul_, add_ with alpha)
// One rounding per operation: PyTorch fuses add-with-alpha and addcmul (fma.ts), but its
// float32 sqrt is not correctly rounded (MKL), so this kernel cannot match it bit for bit
// anyway and does not pay for emulating the fma.

import { emaSqV, emaSqS } from "./moments";
import { tableRow, rowNumel, rowParam, rowGrad, rowState } from "./table";

const ROW = 5;

@inline function run(table: usize, count: i32, negLr: f32, rho: f32, omr: f32, eps: f32, wd: f32,
  sgn: f32, decay: bool): void {
  const rhoV = f32x4.splat(rho), omrV = f32x4.splat(omr), epsV = f32x4.splat(eps);
  const lrV = f32x4.splat(negLr), wdV = f32x4.splat(wd), sgnV = f32x4.splat(sgn);
  for (let r = 0; r < count; r++) {
    const row = tableRow(table, r, ROW);
    const n = rowNumel(row), p = rowParam(row), g = rowGrad(row), v = rowState(row, 0), u = rowState(row, 1);
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const pv = v128.load(p + o);
      let gv = f32x4.mul(v128.load(g + o), sgnV);
      if (decay) gv = f32x4.add(gv, f32x4.mul(wdV, pv));
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
      let gv = load<f32>(g + o) * sgn;
      if (decay) gv = gv + wd * pv;
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

export function adadeltaStep(table: usize, count: i32, negLr: f32, rho: f32, oneMinusRho: f32, eps: f32,
  weightDecay: f32, maximize: i32): void {
  const sgn: f32 = maximize != 0 ? -1 : 1;
  if (weightDecay != 0) run(table, count, negLr, rho, oneMinusRho, eps, weightDecay, sgn, true);
  else run(table, count, negLr, rho, oneMinusRho, eps, weightDecay, sgn, false);
}
