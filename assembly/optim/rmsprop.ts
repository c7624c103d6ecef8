// RMSprop, one fused in-place step over rows [numel, param, grad, squareAvg, gradAvg,
// momentumBuffer] (i32 each; a buffer the options do not use is not read). Op order and f32
// rounding follow torch/optim/rmsprop.py (_single_tensor_rmsprop) on CPU:
//   g = maximize ? -g : g;  if wd != 0: g = g + wd·p                 (grad.add(param, alpha=wd))
//   v = v·alpha + (1-alpha)·g·g                                       (mul_, addcmul_)
//   centered: ḡ = lerp(ḡ, g, 1-alpha);  avg = √(v + (-ḡ)·ḡ)          (lerp_, addcmul(value=-1))
//   else avg = √v
//   avg = avg + eps
//   momentum > 0: b = b·momentum + g / avg;  p = p + (-lr)·b         (addcdiv_, add_ with alpha)
//   else:         p = p + (-lr)·g / avg                              (addcdiv_)
// One rounding per operation (see adadelta.ts: PyTorch's sqrt rules out bit-exactness).

import { emaSqV, emaSqS, lerpS, lerpCoef, lerpSmall } from "./moments";
import { tableRow, rowNumel, rowParam, rowGrad, rowState } from "./table";

const ROW = 6;

// moments.ts's lerpV with a select in place of its bitselect (the same values): the
// bitselect made the centered step 4% slower here (bench/optim_b.mjs), not so in Adam.
@inline function lerpSelectV(self: v128, end: v128, c: v128, small: bool): v128 {
  return f32x4.add(small ? self : end, f32x4.mul(c, f32x4.sub(end, self)));
}

@inline function run(table: usize, count: i32, negLr: f32, alpha: f32, oma: f32, eps: f32, wd: f32,
  mom: f32, sgn: f32, decay: bool, centered: bool, momentum: bool): void {
  const aV = f32x4.splat(alpha), omaV = f32x4.splat(oma), epsV = f32x4.splat(eps), lrV = f32x4.splat(negLr);
  const wdV = f32x4.splat(wd), momV = f32x4.splat(mom), sgnV = f32x4.splat(sgn);
  const small = lerpSmall(oma), coef = lerpCoef(oma); // lerp's weight 1-alpha, in f32 as PyTorch has it
  const coefV = f32x4.splat(coef);
  for (let r = 0; r < count; r++) {
    const row = tableRow(table, r, ROW);
    const n = rowNumel(row), p = rowParam(row), g = rowGrad(row);
    const v = rowState(row, 0), ga = rowState(row, 1), buf = rowState(row, 2);
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const pv = v128.load(p + o);
      let gv = f32x4.mul(v128.load(g + o), sgnV);
      if (decay) gv = f32x4.add(gv, f32x4.mul(wdV, pv));
      const vv = emaSqV(v128.load(v + o), aV, omaV, gv);
      v128.store(v + o, vv);
      let avg: v128;
      if (centered) {
        const gav = lerpSelectV(v128.load(ga + o), gv, coefV, small);
        v128.store(ga + o, gav);
        avg = f32x4.sqrt(f32x4.add(vv, f32x4.mul(f32x4.neg(gav), gav)));
      } else avg = f32x4.sqrt(vv);
      avg = f32x4.add(avg, epsV);
      if (momentum) {
        const bv = f32x4.add(f32x4.mul(v128.load(buf + o), momV), f32x4.div(gv, avg));
        v128.store(buf + o, bv);
        v128.store(p + o, f32x4.add(pv, f32x4.mul(lrV, bv)));
      } else {
        v128.store(p + o, f32x4.add(pv, f32x4.div(f32x4.mul(lrV, gv), avg)));
      }
    }
    for (; i < n; i++) {
      const o = <usize>i << 2;
      const pv = load<f32>(p + o);
      let gv = load<f32>(g + o) * sgn;
      if (decay) gv = gv + wd * pv;
      const vv = emaSqS(load<f32>(v + o), alpha, oma, gv);
      store<f32>(v + o, vv);
      let avg: f32;
      if (centered) {
        const gav = lerpS(load<f32>(ga + o), gv, coef, small);
        store<f32>(ga + o, gav);
        avg = Mathf.sqrt(vv + -gav * gav);
      } else avg = Mathf.sqrt(vv);
      avg = avg + eps;
      if (momentum) {
        const bv = load<f32>(buf + o) * mom + gv / avg;
        store<f32>(buf + o, bv);
        store<f32>(p + o, pv + negLr * bv);
      } else {
        store<f32>(p + o, pv + negLr * gv / avg);
      }
    }
  }
}

// useMomentum: the host's `momentum > 0` (in f64, as PyTorch tests it).
export function rmspropStep(table: usize, count: i32, negLr: f32, alpha: f32, oneMinusAlpha: f32, eps: f32,
  weightDecay: f32, momentum: f32, useMomentum: i32, centered: i32, maximize: i32): void {
  const sgn: f32 = maximize != 0 ? -1 : 1;
  const d = weightDecay != 0, c = centered != 0, m = useMomentum != 0;
  if (d) {
    if (c) {
      if (m) run(table, count, negLr, alpha, oneMinusAlpha, eps, weightDecay, momentum, sgn, true, true, true);
      else run(table, count, negLr, alpha, oneMinusAlpha, eps, weightDecay, momentum, sgn, true, true, false);
    } else {
      if (m) run(table, count, negLr, alpha, oneMinusAlpha, eps, weightDecay, momentum, sgn, true, false, true);
      else run(table, count, negLr, alpha, oneMinusAlpha, eps, weightDecay, momentum, sgn, true, false, false);
    }
  } else {
    if (c) {
      if (m) run(table, count, negLr, alpha, oneMinusAlpha, eps, weightDecay, momentum, sgn, false, true, true);
      else run(table, count, negLr, alpha, oneMinusAlpha, eps, weightDecay, momentum, sgn, false, true, false);
    } else {
      if (m) run(table, count, negLr, alpha, oneMinusAlpha, eps, weightDecay, momentum, sgn, false, false, true);
      else run(table, count, negLr, alpha, oneMinusAlpha, eps, weightDecay, momentum, sgn, false, false, false);
    }
  }
}
