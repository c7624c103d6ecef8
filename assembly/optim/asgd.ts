// ASGD, one fused in-place step over rows [numel, param, grad, ax] (i32 each) that share
// eta and mu. Op order and f32 rounding follow torch/optim/asgd.py (_single_tensor_asgd,
// capturable=False) on CPU:
//   g = maximize ? -g : g;  if wd != 0: g = fma(wd, p, g)          (grad.add(param, alpha=wd))
//   p = p·(1 - lambd·eta);  p = fma(-eta, g, p)                     (mul_, add_ with alpha)
//   ax = mu != 1 ? ax + (p - ax)·mu : p
// The host computes 1 - lambd·eta in f64 and the next eta and mu.

import { fmaS, fmaSplatV } from "./fma";
import { tableRow, rowNumel, rowParam, rowGrad, rowState } from "./table";

const ROW = 4;

@inline function run(table: usize, count: i32, decayF: f32, negEta: f32, mu: f32, wd: f32, sgn: f32,
  decay: bool, average: bool): void {
  const dV = f32x4.splat(decayF), eV = f64x2.splat(<f64>negEta), muV = f32x4.splat(mu);
  const wdV = f64x2.splat(<f64>wd), sgnV = f32x4.splat(sgn);
  for (let r = 0; r < count; r++) {
    const row = tableRow(table, r, ROW);
    const n = rowNumel(row), p = rowParam(row), g = rowGrad(row), ax = rowState(row, 0);
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      let pv = v128.load(p + o);
      let gv = f32x4.mul(v128.load(g + o), sgnV);
      if (decay) gv = fmaSplatV(wdV, pv, gv);
      pv = fmaSplatV(eV, gv, f32x4.mul(pv, dV));
      v128.store(p + o, pv);
      if (average) {
        const av = v128.load(ax + o);
        v128.store(ax + o, f32x4.add(av, f32x4.mul(f32x4.sub(pv, av), muV)));
      } else v128.store(ax + o, pv);
    }
    for (; i < n; i++) {
      const o = <usize>i << 2;
      let pv = load<f32>(p + o);
      let gv = load<f32>(g + o) * sgn;
      if (decay) gv = fmaS(wd, pv, gv);
      pv = fmaS(negEta, gv, pv * decayF);
      store<f32>(p + o, pv);
      if (average) {
        const av = load<f32>(ax + o);
        store<f32>(ax + o, av + (pv - av) * mu);
      } else store<f32>(ax + o, pv);
    }
  }
}

export function asgdStep(table: usize, count: i32, decay: f32, negEta: f32, mu: f32, weightDecay: f32,
  maximize: i32): void {
  const sgn: f32 = maximize != 0 ? -1 : 1;
  const avg = mu != 1;
  if (weightDecay != 0) {
    if (avg) run(table, count, decay, negEta, mu, weightDecay, sgn, true, true);
    else run(table, count, decay, negEta, mu, weightDecay, sgn, true, false);
  } else {
    if (avg) run(table, count, decay, negEta, mu, weightDecay, sgn, false, true);
    else run(table, count, decay, negEta, mu, weightDecay, sgn, false, false);
  }
}
