// Lion: one call steps a param group. lion-pytorch's update_fn (lion_pytorch.py), per element,
// in its op order, each op rounded as PyTorch's CPU kernel rounds it (add with alpha fused):
//   p = p·(1 − lr·wd)                                    (p.data.mul_; the host's f64 factor)
//   c = fma(1 − β1, g, m·β1);  u = sign(c)               (exp_avg.clone().mul_(β1).add(grad, alpha=1 − β1).sign_())
//   p = fma(−lr, u, p)                                   (p.add_(update, alpha=−lr))
//   m = fma(1 − β2, g, m·β2)                             (exp_avg.mul_(β2).add_(grad, alpha=1 − β2))
// sign as torch.sign: 0 for ±0 and NaN.
import { fmaS, fmaSplatV } from "./fma";
import { tableRow, rowColumn, rowNumel, rowParam, rowGrad } from "./table";

// The row: numel, param, grad (table.ts), then
export const LION_EXP_AVG: i32 = 3;
export const LION_ROW: i32 = 4;

export function lionStep(table: usize, count: i32, decay: f32, negLr: f32, beta1: f32, oneMinusBeta1: f32,
  beta2: f32, oneMinusBeta2: f32): void {
  const dV = f32x4.splat(decay), lrV = f64x2.splat(<f64>negLr);
  const b1V = f32x4.splat(beta1), c1V = f64x2.splat(<f64>oneMinusBeta1);
  const b2V = f32x4.splat(beta2), c2V = f64x2.splat(<f64>oneMinusBeta2);
  const zero = f32x4.splat(0), one = f32x4.splat(1);
  for (let r = 0; r < count; r++) {
    const row = tableRow(table, r, LION_ROW);
    const n = rowNumel(row), pp = rowParam(row), gp = rowGrad(row), mp = rowColumn(row, LION_EXP_AVG);
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const g = v128.load(gp + o), m = v128.load(mp + o);
      const c = fmaSplatV(c1V, g, f32x4.mul(m, b1V));
      const u = f32x4.sub(v128.and(f32x4.gt(c, zero), one), v128.and(f32x4.lt(c, zero), one));
      v128.store(pp + o, fmaSplatV(lrV, u, f32x4.mul(v128.load(pp + o), dV)));
      v128.store(mp + o, fmaSplatV(c2V, g, f32x4.mul(m, b2V)));
    }
    for (; i < n; i++) {
      const o = <usize>i << 2;
      const g = load<f32>(gp + o), m = load<f32>(mp + o);
      const c = fmaS(oneMinusBeta1, g, m * beta1);
      const u: f32 = <f32>(c > 0) - <f32>(c < 0);
      store<f32>(pp + o, fmaS(negLr, u, load<f32>(pp + o) * decay));
      store<f32>(mp + o, fmaS(oneMinusBeta2, g, m * beta2));
    }
  }
}
