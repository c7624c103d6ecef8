// SGD: one call steps a param group. PyTorch's _single_tensor_sgd, per element:
//   g = maximize ? −grad : grad
//   coupled:   g = g + wd·p
//   momentum:  buf = first step ? g : buf·μ + (1 − dampening)·g
//              g = nesterov ? g + μ·buf : buf
//   p = p + (−lr)·g
// Table rows (i32): numel, param, grad, momentumBuffer (0 without momentum), init (1 when
// the buffer was just created: it takes g as is, like PyTorch's clone).
import { WEIGHT_DECAY, signMask, signBit, gradV, gradS } from "./moments";
import { tableRow, rowColumn, rowNumel, rowParam, rowGrad, rowState } from "./table";

export const MOMENTUM: i32 = 4;
export const NESTEROV: i32 = 8;
const ROW: i32 = 5;

const PLAIN: i32 = 0, HEAVY: i32 = 1, NEST: i32 = 2;

export function sgdStep(table: usize, count: i32, negLr: f32, weightDecay: f32, momentum: f32,
  oneMinusDampening: f32, flags: i32): void {
  const wd = (flags & WEIGHT_DECAY) != 0;
  const mode = (flags & MOMENTUM) == 0 ? PLAIN : (flags & NESTEROV) != 0 ? NEST : HEAVY;
  for (let r = 0; r < count; r++) {
    const row = tableRow(table, r, ROW);
    const n = rowNumel(row), pp = rowParam(row), gp = rowGrad(row), bp = rowState(row, 0);
    const init = rowColumn(row, 4) != 0;
    // One specialised loop per (weight decay, momentum mode, first step).
    if (wd) {
      if (mode == PLAIN) sgdLoop(pp, gp, bp, n, negLr, weightDecay, momentum, oneMinusDampening, flags, true, PLAIN, false);
      else if (mode == HEAVY) {
        if (init) sgdLoop(pp, gp, bp, n, negLr, weightDecay, momentum, oneMinusDampening, flags, true, HEAVY, true);
        else sgdLoop(pp, gp, bp, n, negLr, weightDecay, momentum, oneMinusDampening, flags, true, HEAVY, false);
      } else {
        if (init) sgdLoop(pp, gp, bp, n, negLr, weightDecay, momentum, oneMinusDampening, flags, true, NEST, true);
        else sgdLoop(pp, gp, bp, n, negLr, weightDecay, momentum, oneMinusDampening, flags, true, NEST, false);
      }
    } else {
      if (mode == PLAIN) sgdLoop(pp, gp, bp, n, negLr, weightDecay, momentum, oneMinusDampening, flags, false, PLAIN, false);
      else if (mode == HEAVY) {
        if (init) sgdLoop(pp, gp, bp, n, negLr, weightDecay, momentum, oneMinusDampening, flags, false, HEAVY, true);
        else sgdLoop(pp, gp, bp, n, negLr, weightDecay, momentum, oneMinusDampening, flags, false, HEAVY, false);
      } else {
        if (init) sgdLoop(pp, gp, bp, n, negLr, weightDecay, momentum, oneMinusDampening, flags, false, NEST, true);
        else sgdLoop(pp, gp, bp, n, negLr, weightDecay, momentum, oneMinusDampening, flags, false, NEST, false);
      }
    }
  }
}

@inline function sgdLoop(pp: usize, gp: usize, bp: usize, n: i32, negLr: f32, weightDecay: f32,
  momentum: f32, omd: f32, flags: i32, wd: bool, mode: i32, init: bool): void {
  const sign = signMask(flags), bit = signBit(flags);
  const lrV = f32x4.splat(negLr), wdV = f32x4.splat(weightDecay);
  const muV = f32x4.splat(momentum), omdV = f32x4.splat(omd);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const p = v128.load(pp + o);
    let g = gradV(v128.load(gp + o), p, sign, wdV, wd);
    if (mode != PLAIN) {
      const buf = init ? g : f32x4.add(f32x4.mul(v128.load(bp + o), muV), f32x4.mul(omdV, g));
      v128.store(bp + o, buf);
      g = mode == NEST ? f32x4.add(g, f32x4.mul(muV, buf)) : buf;
    }
    v128.store(pp + o, f32x4.add(p, f32x4.mul(lrV, g)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const p = load<f32>(pp + o);
    let g = gradS(load<f32>(gp + o), p, bit, weightDecay, wd);
    if (mode != PLAIN) {
      const buf = init ? g : load<f32>(bp + o) * momentum + omd * g;
      store<f32>(bp + o, buf);
      g = mode == NEST ? g + momentum * buf : buf;
    }
    store<f32>(pp + o, p + negLr * g);
  }
}
