// SGD: one call steps a param group. PyTorch's _single_tensor_sgd, per element:
//   g = maximize ? −grad : grad
//   coupled:   g = g + wd·p
//   momentum:  buf = first step ? g : buf·μ + (1 − dampening)·g
//              g = nesterov ? g + μ·buf : buf
//   p = p + (−lr)·g
import { signMask, signBit, gradV, gradS } from "./moments";
import { WEIGHT_DECAY, tableRow, rowColumn, rowNumel, rowParam, rowGrad } from "./table";

// The row: numel, param, grad (table.ts), then
export const SGD_MOMENTUM_BUFFER: i32 = 3; // read with SGD_MOMENTUM only
export const SGD_ROW: i32 = 4;
// Flags, besides MAXIMIZE and WEIGHT_DECAY (table.ts)
export const SGD_MOMENTUM: i32 = 4;
export const SGD_NESTEROV: i32 = 8;
export const SGD_FIRST_STEP: i32 = 16; // the rows' buffers were just created: they take g as is (PyTorch's clone)

const PLAIN: i32 = 0, HEAVY: i32 = 1, NEST: i32 = 2;

export function sgdStep(table: usize, count: i32, negLr: f32, weightDecay: f32, momentum: f32,
  oneMinusDampening: f32, flags: i32): void {
  const mode = (flags & SGD_MOMENTUM) == 0 ? PLAIN : (flags & SGD_NESTEROV) != 0 ? NEST : HEAVY;
  const init = (flags & SGD_FIRST_STEP) != 0;
  // One specialised loop per (weight decay, momentum mode, first step).
  if ((flags & WEIGHT_DECAY) != 0) {
    if (mode == PLAIN) sgdRows(table, count, negLr, weightDecay, momentum, oneMinusDampening, flags, true, PLAIN, false);
    else if (mode == HEAVY) {
      if (init) sgdRows(table, count, negLr, weightDecay, momentum, oneMinusDampening, flags, true, HEAVY, true);
      else sgdRows(table, count, negLr, weightDecay, momentum, oneMinusDampening, flags, true, HEAVY, false);
    } else {
      if (init) sgdRows(table, count, negLr, weightDecay, momentum, oneMinusDampening, flags, true, NEST, true);
      else sgdRows(table, count, negLr, weightDecay, momentum, oneMinusDampening, flags, true, NEST, false);
    }
  } else {
    if (mode == PLAIN) sgdRows(table, count, negLr, weightDecay, momentum, oneMinusDampening, flags, false, PLAIN, false);
    else if (mode == HEAVY) {
      if (init) sgdRows(table, count, negLr, weightDecay, momentum, oneMinusDampening, flags, false, HEAVY, true);
      else sgdRows(table, count, negLr, weightDecay, momentum, oneMinusDampening, flags, false, HEAVY, false);
    } else {
      if (init) sgdRows(table, count, negLr, weightDecay, momentum, oneMinusDampening, flags, false, NEST, true);
      else sgdRows(table, count, negLr, weightDecay, momentum, oneMinusDampening, flags, false, NEST, false);
    }
  }
}

@inline function sgdRows(table: usize, count: i32, negLr: f32, weightDecay: f32, momentum: f32, omd: f32,
  flags: i32, wd: bool, mode: i32, init: bool): void {
  const sign = signMask(flags), bit = signBit(flags);
  const lrV = f32x4.splat(negLr), wdV = f32x4.splat(weightDecay);
  const muV = f32x4.splat(momentum), omdV = f32x4.splat(omd);
  for (let r = 0; r < count; r++) {
    const row = tableRow(table, r, SGD_ROW);
    const n = rowNumel(row), pp = rowParam(row), gp = rowGrad(row);
    const bp = mode != PLAIN ? rowColumn(row, SGD_MOMENTUM_BUFFER) : 0;
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
}
