// ASGD: one call steps a param group's params that share eta and mu. PyTorch's
// _single_tensor_asgd (capturable=False) on CPU, per element, in its op order:
//   g = maximize ? −grad : grad;  coupled: g = fma(wd, p, g)          (grad.add(param, alpha=wd))
//   p = p·(1 − λ·η);  p = fma(−η, g, p)                               (mul_, add_ with alpha)
//   averaging: ax = ax + (p − ax)·μ   else ax = p                      (μ ≠ 1: the host's test)
// The host computes 1 − λ·η in f64, and the next η and μ.
import { signMask, signBit, flipS } from "./moments";
import { fmaS, fmaSplatV } from "./fma";
import { WEIGHT_DECAY, tableRow, rowColumn, rowNumel, rowParam, rowGrad } from "./table";

// The row: numel, param, grad (table.ts), then
export const ASGD_AX: i32 = 3;
export const ASGD_ROW: i32 = 4;
// Flags, besides MAXIMIZE and WEIGHT_DECAY (table.ts)
export const ASGD_AVERAGE: i32 = 4; // μ ≠ 1 (in f32): ax moves toward p instead of copying it

export function asgdStep(table: usize, count: i32, decay: f32, negEta: f32, mu: f32, weightDecay: f32,
  flags: i32): void {
  const avg = (flags & ASGD_AVERAGE) != 0;
  if ((flags & WEIGHT_DECAY) != 0) {
    if (avg) asgdRows(table, count, decay, negEta, mu, weightDecay, flags, true, true);
    else asgdRows(table, count, decay, negEta, mu, weightDecay, flags, true, false);
  } else {
    if (avg) asgdRows(table, count, decay, negEta, mu, weightDecay, flags, false, true);
    else asgdRows(table, count, decay, negEta, mu, weightDecay, flags, false, false);
  }
}

@inline function asgdRows(table: usize, count: i32, decayF: f32, negEta: f32, mu: f32, weightDecay: f32,
  flags: i32, wd: bool, average: bool): void {
  const sign = signMask(flags), bit = signBit(flags);
  const dV = f32x4.splat(decayF), eV = f64x2.splat(<f64>negEta), muV = f32x4.splat(mu);
  const wdV = f64x2.splat(<f64>weightDecay);
  for (let r = 0; r < count; r++) {
    const row = tableRow(table, r, ASGD_ROW);
    const n = rowNumel(row), p = rowParam(row), g = rowGrad(row), ax = rowColumn(row, ASGD_AX);
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      let pv = v128.load(p + o);
      let gv = v128.xor(v128.load(g + o), sign);
      if (wd) gv = fmaSplatV(wdV, pv, gv);
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
      let gv = flipS(load<f32>(g + o), bit);
      if (wd) gv = fmaS(weightDecay, pv, gv);
      pv = fmaS(negEta, gv, pv * decayF);
      store<f32>(p + o, pv);
      if (average) {
        const av = load<f32>(ax + o);
        store<f32>(ax + o, av + (pv - av) * mu);
      } else store<f32>(ax + o, pv);
    }
  }
}
