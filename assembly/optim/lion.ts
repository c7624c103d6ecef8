// Lion: one call steps a param group. lion-pytorch's update_fn (lion_pytorch.py), per element,
// in its op order, each op rounded as PyTorch's CPU kernel rounds it but for the multiply-adds
// of add(alpha=), which PyTorch's AVX2/AVX-512 kernels fuse and these round twice (moments.ts:
// an exact fma costs three times the step here):
//   p = p·(1 − lr·wd)                                    (p.data.mul_; the host's f64 factor)
//   c = m·β1 + (1 − β1)·g;  u = sign(c)                  (exp_avg.clone().mul_(β1).add(grad, alpha=1 − β1).sign_())
//   p = p + (−lr)·u                                      (p.add_(update, alpha=−lr): exact, as −lr·u is)
//   m = m·β2 + (1 − β2)·g                                (exp_avg.mul_(β2).add_(grad, alpha=1 − β2))
// sign as torch.sign: 0 for ±0 and NaN. c rounded twice can differ in sign from PyTorch's only
// where it is within an ulp of 0.
import { tableRow, rowColumn, rowNumel, rowParam, rowGrad } from "./table";

// The row: numel, param, grad (table.ts), then
export const LION_EXP_AVG: i32 = 3;
export const LION_ROW: i32 = 4;

export function lionStep(table: usize, count: i32, decay: f32, negLr: f32, beta1: f32, oneMinusBeta1: f32,
  beta2: f32, oneMinusBeta2: f32): void {
  const dV = f32x4.splat(decay), lrV = f32x4.splat(negLr);
  const b1V = f32x4.splat(beta1), c1V = f32x4.splat(oneMinusBeta1), b2V = f32x4.splat(beta2), c2V = f32x4.splat(oneMinusBeta2);
  const zero = f32x4.splat(0), one = f32x4.splat(1);
  for (let r = 0; r < count; r++) {
    const row = tableRow(table, r, LION_ROW);
    const n = rowNumel(row), pp = rowParam(row), gp = rowGrad(row), mp = rowColumn(row, LION_EXP_AVG);
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const g = v128.load(gp + o), m = v128.load(mp + o);
      const c = f32x4.add(f32x4.mul(m, b1V), f32x4.mul(c1V, g));
      const u = f32x4.sub(v128.and(f32x4.gt(c, zero), one), v128.and(f32x4.lt(c, zero), one));
      v128.store(pp + o, f32x4.add(f32x4.mul(v128.load(pp + o), dV), f32x4.mul(lrV, u)));
      v128.store(mp + o, f32x4.add(f32x4.mul(m, b2V), f32x4.mul(c2V, g)));
    }
    for (; i < n; i++) {
      const o = <usize>i << 2;
      const g = load<f32>(gp + o), m = load<f32>(mp + o);
      const c = m * beta1 + oneMinusBeta1 * g;
      const u: f32 = <f32>(c > 0) - <f32>(c < 0);
      store<f32>(pp + o, load<f32>(pp + o) * decay + negLr * u);
      store<f32>(mp + o, m * beta2 + oneMinusBeta2 * g);
    }
  }
}
