// RMSprop: one call steps a param group. PyTorch's _single_tensor_rmsprop on CPU, per
// element, in its op order:
//   g = maximize ? −grad : grad;  coupled: g = g + wd·p               (grad.add(param, alpha=wd))
//   v = v·α + ((1 − α)·g)·g                                            (mul_, addcmul_)
//   centered: ḡ = lerp(ḡ, g, 1 − α);  avg = √(v + (−ḡ)·ḡ)             (lerp_, addcmul(value=−1))
//   else avg = √v
//   avg = avg + eps
//   momentum: b = b·momentum + g / avg;  p = p + (−lr)·b              (addcdiv_, add_ with alpha)
//   else:     p = p + (−lr)·g / avg                                    (addcdiv_)
// One rounding per operation (see adadelta.ts: PyTorch's sqrt rules out bit-exactness).
import { signMask, signBit, gradV, gradS, emaSqV, emaSqS, lerpS, lerpCoef, lerpSmall } from "./moments";
import { WEIGHT_DECAY, tableRow, rowColumn, rowNumel, rowParam, rowGrad } from "./table";

// The row: numel, param, grad (table.ts), then
export const RMSPROP_SQUARE_AVG: i32 = 3;
export const RMSPROP_GRAD_AVG: i32 = 4;        // read with RMSPROP_CENTERED only
export const RMSPROP_MOMENTUM_BUFFER: i32 = 5; // read with RMSPROP_MOMENTUM only
export const RMSPROP_ROW: i32 = 6;
// Flags, besides MAXIMIZE and WEIGHT_DECAY (table.ts)
export const RMSPROP_MOMENTUM: i32 = 4; // the host's `momentum > 0`, in f64 as PyTorch tests it
export const RMSPROP_CENTERED: i32 = 8;

export function rmspropStep(table: usize, count: i32, negLr: f32, alpha: f32, oneMinusAlpha: f32, eps: f32,
  weightDecay: f32, momentum: f32, flags: i32): void {
  const d = (flags & WEIGHT_DECAY) != 0, c = (flags & RMSPROP_CENTERED) != 0, m = (flags & RMSPROP_MOMENTUM) != 0;
  if (d) {
    if (c) {
      if (m) rmspropRows(table, count, negLr, alpha, oneMinusAlpha, eps, weightDecay, momentum, flags, true, true, true);
      else rmspropRows(table, count, negLr, alpha, oneMinusAlpha, eps, weightDecay, momentum, flags, true, true, false);
    } else {
      if (m) rmspropRows(table, count, negLr, alpha, oneMinusAlpha, eps, weightDecay, momentum, flags, true, false, true);
      else rmspropRows(table, count, negLr, alpha, oneMinusAlpha, eps, weightDecay, momentum, flags, true, false, false);
    }
  } else {
    if (c) {
      if (m) rmspropRows(table, count, negLr, alpha, oneMinusAlpha, eps, weightDecay, momentum, flags, false, true, true);
      else rmspropRows(table, count, negLr, alpha, oneMinusAlpha, eps, weightDecay, momentum, flags, false, true, false);
    } else {
      if (m) rmspropRows(table, count, negLr, alpha, oneMinusAlpha, eps, weightDecay, momentum, flags, false, false, true);
      else rmspropRows(table, count, negLr, alpha, oneMinusAlpha, eps, weightDecay, momentum, flags, false, false, false);
    }
  }
}

// moments.ts's lerpV with a select in place of its bitselect (the same values): the
// bitselect made the centered step 4% slower here (bench/optim_1e6.mjs), not so in Adam.
@inline function lerpSelectV(self: v128, end: v128, c: v128, small: bool): v128 {
  return f32x4.add(small ? self : end, f32x4.mul(c, f32x4.sub(end, self)));
}

@inline function rmspropRows(table: usize, count: i32, negLr: f32, alpha: f32, oma: f32, eps: f32, weightDecay: f32,
  mom: f32, flags: i32, wd: bool, centered: bool, momentum: bool): void {
  const sign = signMask(flags), bit = signBit(flags);
  const aV = f32x4.splat(alpha), omaV = f32x4.splat(oma), epsV = f32x4.splat(eps), lrV = f32x4.splat(negLr);
  const wdV = f32x4.splat(weightDecay), momV = f32x4.splat(mom);
  const small = lerpSmall(oma), coef = lerpCoef(oma); // lerp's weight 1-alpha, in f32 as PyTorch has it
  const coefV = f32x4.splat(coef);
  for (let r = 0; r < count; r++) {
    const row = tableRow(table, r, RMSPROP_ROW);
    const n = rowNumel(row), p = rowParam(row), g = rowGrad(row), v = rowColumn(row, RMSPROP_SQUARE_AVG);
    const ga = centered ? rowColumn(row, RMSPROP_GRAD_AVG) : 0;
    const buf = momentum ? rowColumn(row, RMSPROP_MOMENTUM_BUFFER) : 0;
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const pv = v128.load(p + o);
      const gv = gradV(v128.load(g + o), pv, sign, wdV, wd);
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
      const gv = gradS(load<f32>(g + o), pv, bit, weightDecay, wd);
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
