// Schedule-Free SGD and AdamW (facebookresearch/schedule_free): one call steps a param group;
// a third kernel moves the params between the training point y and the averaged point x
// (the optimizers' train() and eval()). The reference's foreach path (the default), per
// element, in its op order, each op rounded as PyTorch's CPU kernel rounds it (add and sub
// with alpha, and lerp, fused):
//
// SGDScheduleFree.step
//   wd:  g = fma(wd, y, g)                             (_foreach_add_(grad, y, alpha=wd))
//   y = lerp(y, z, ckp1)                               (_foreach_lerp_)
//   y = fma(lr·(momentum·(1 − ckp1) − 1), g, y)        (_foreach_add_, the host's f64 coefficient)
//   z = fma(−lr, g, z)                                 (_foreach_sub_(z, grad, alpha=lr))
// AdamWScheduleFree.step
//   v = v·β2 + ((1 − β2)·g)·g;  d = sqrt(v / bc2) + eps
//   inner momentum:  m = fma(1 − μ, g, m·μ);  g' = (m / bc1) / d        else  g' = g / d
//   wd:  g' = fma(wd, y, g');  then y and z as SGD's, with β1 for momentum
// train() / eval()
//   y = lerp(x, z, 1 − β1)   /   x = lerp(y, z, 1 − 1/β1)
//
// lerp as PyTorch's CPU kernel (vectorised, fused): |w| < 0.5 ? fma(w, z − y, y) : fma(w − 1, z − y, z).
import { emaSqV, emaSqS, lerpCoef, lerpSmall, lerpSmallMask } from "./moments";
import { fmaS, fmaV, fmaSplatV } from "./fma";
import { WEIGHT_DECAY, tableRow, rowColumn, rowNumel, rowParam, rowGrad } from "./table";

// The rows: numel, param (y), grad (table.ts), then
export const SCHEDULE_FREE_Z: i32 = 3;
export const SCHEDULE_FREE_SGD_ROW: i32 = 4;
export const SCHEDULE_FREE_ADAMW_EXP_AVG_SQ: i32 = 4;
export const SCHEDULE_FREE_ADAMW_EXP_AVG: i32 = 5; // read with SCHEDULE_FREE_INNER_MOMENTUM only
export const SCHEDULE_FREE_ADAMW_ROW: i32 = 6;
// The swap's rows: numel, param, z.
export const SCHEDULE_FREE_SWAP_Z: i32 = 2;
export const SCHEDULE_FREE_SWAP_ROW: i32 = 3;
// Flags, besides WEIGHT_DECAY (table.ts: here the decay is added to the normalised gradient)
export const SCHEDULE_FREE_INNER_MOMENTUM: i32 = 4;

/** y = lerp(y, z, w) with w's coefficient and branch (lerpCoef, lerpSmall) and z − y given. */
@inline function lerpFmaV(y: v128, z: v128, c: v128, small: v128): v128 {
  return fmaV(c, f32x4.sub(z, y), v128.bitselect(y, z, small));
}

@inline function lerpFmaS(y: f32, z: f32, c: f32, small: bool): f32 {
  return fmaS(c, z - y, small ? y : z);
}

export function scheduleFreeSgdStep(table: usize, count: i32, weightDecay: f32, ckp1: f32, yCoef: f32, negLr: f32,
  flags: i32): void {
  if ((flags & WEIGHT_DECAY) != 0) sgdRows(table, count, weightDecay, ckp1, yCoef, negLr, true);
  else sgdRows(table, count, weightDecay, ckp1, yCoef, negLr, false);
}

@inline function sgdRows(table: usize, count: i32, weightDecay: f32, ckp1: f32, yCoef: f32, negLr: f32, wd: bool): void {
  const c = lerpCoef(ckp1), small = lerpSmall(ckp1);
  const cV = f32x4.splat(c), smallV = lerpSmallMask(small);
  const wdV = f64x2.splat(<f64>weightDecay), yV = f64x2.splat(<f64>yCoef), lrV = f64x2.splat(<f64>negLr);
  for (let r = 0; r < count; r++) {
    const row = tableRow(table, r, SCHEDULE_FREE_SGD_ROW);
    const n = rowNumel(row), yp = rowParam(row), gp = rowGrad(row), zp = rowColumn(row, SCHEDULE_FREE_Z);
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const y = v128.load(yp + o), z = v128.load(zp + o);
      let g = v128.load(gp + o);
      if (wd) g = fmaSplatV(wdV, y, g);
      v128.store(yp + o, fmaSplatV(yV, g, lerpFmaV(y, z, cV, smallV)));
      v128.store(zp + o, fmaSplatV(lrV, g, z));
    }
    for (; i < n; i++) {
      const o = <usize>i << 2;
      const y = load<f32>(yp + o), z = load<f32>(zp + o);
      let g = load<f32>(gp + o);
      if (wd) g = fmaS(weightDecay, y, g);
      store<f32>(yp + o, fmaS(yCoef, g, lerpFmaS(y, z, c, small)));
      store<f32>(zp + o, fmaS(negLr, g, z));
    }
  }
}

export function scheduleFreeAdamWStep(table: usize, count: i32, beta2: f32, oneMinusBeta2: f32, bc2: f32, eps: f32,
  mu: f32, oneMinusMu: f32, bc1: f32, weightDecay: f32, ckp1: f32, yCoef: f32, negLr: f32, flags: i32): void {
  const wd = (flags & WEIGHT_DECAY) != 0, inner = (flags & SCHEDULE_FREE_INNER_MOMENTUM) != 0;
  if (wd) {
    if (inner) adamWRows(table, count, beta2, oneMinusBeta2, bc2, eps, mu, oneMinusMu, bc1, weightDecay, ckp1, yCoef, negLr, true, true);
    else adamWRows(table, count, beta2, oneMinusBeta2, bc2, eps, mu, oneMinusMu, bc1, weightDecay, ckp1, yCoef, negLr, true, false);
  } else {
    if (inner) adamWRows(table, count, beta2, oneMinusBeta2, bc2, eps, mu, oneMinusMu, bc1, weightDecay, ckp1, yCoef, negLr, false, true);
    else adamWRows(table, count, beta2, oneMinusBeta2, bc2, eps, mu, oneMinusMu, bc1, weightDecay, ckp1, yCoef, negLr, false, false);
  }
}

@inline function adamWRows(table: usize, count: i32, beta2: f32, omb2: f32, bc2: f32, eps: f32, mu: f32, omMu: f32,
  bc1: f32, weightDecay: f32, ckp1: f32, yCoef: f32, negLr: f32, wd: bool, inner: bool): void {
  const c = lerpCoef(ckp1), small = lerpSmall(ckp1);
  const cV = f32x4.splat(c), smallV = lerpSmallMask(small);
  const b2V = f32x4.splat(beta2), omb2V = f32x4.splat(omb2), bc2V = f32x4.splat(bc2), epsV = f32x4.splat(eps);
  const muV = f32x4.splat(mu), omMuV = f64x2.splat(<f64>omMu), bc1V = f32x4.splat(bc1);
  const wdV = f64x2.splat(<f64>weightDecay), yV = f64x2.splat(<f64>yCoef), lrV = f64x2.splat(<f64>negLr);
  for (let r = 0; r < count; r++) {
    const row = tableRow(table, r, SCHEDULE_FREE_ADAMW_ROW);
    const n = rowNumel(row), yp = rowParam(row), gp = rowGrad(row), zp = rowColumn(row, SCHEDULE_FREE_Z);
    const vp = rowColumn(row, SCHEDULE_FREE_ADAMW_EXP_AVG_SQ);
    const mp = inner ? rowColumn(row, SCHEDULE_FREE_ADAMW_EXP_AVG) : 0;
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const y = v128.load(yp + o), z = v128.load(zp + o), g = v128.load(gp + o);
      const v = emaSqV(v128.load(vp + o), b2V, omb2V, g);
      v128.store(vp + o, v);
      const d = f32x4.add(f32x4.sqrt(f32x4.div(v, bc2V)), epsV);
      let gn: v128;
      if (inner) {
        const m = fmaSplatV(omMuV, g, f32x4.mul(v128.load(mp + o), muV));
        v128.store(mp + o, m);
        gn = f32x4.div(f32x4.div(m, bc1V), d);
      } else gn = f32x4.div(g, d);
      if (wd) gn = fmaSplatV(wdV, y, gn);
      v128.store(yp + o, fmaSplatV(yV, gn, lerpFmaV(y, z, cV, smallV)));
      v128.store(zp + o, fmaSplatV(lrV, gn, z));
    }
    for (; i < n; i++) {
      const o = <usize>i << 2;
      const y = load<f32>(yp + o), z = load<f32>(zp + o), g = load<f32>(gp + o);
      const v = emaSqS(load<f32>(vp + o), beta2, omb2, g);
      store<f32>(vp + o, v);
      const d = Mathf.sqrt(v / bc2) + eps;
      let gn: f32;
      if (inner) {
        const m = fmaS(omMu, g, load<f32>(mp + o) * mu);
        store<f32>(mp + o, m);
        gn = m / bc1 / d;
      } else gn = g / d;
      if (wd) gn = fmaS(weightDecay, y, gn);
      store<f32>(yp + o, fmaS(yCoef, gn, lerpFmaS(y, z, c, small)));
      store<f32>(zp + o, fmaS(negLr, gn, z));
    }
  }
}

/** p = lerp(p, z, weight) over the swap table's rows (train(): 1 − β1; eval(): 1 − 1/β1). */
export function scheduleFreeSwap(table: usize, count: i32, weight: f32): void {
  const c = lerpCoef(weight), small = lerpSmall(weight);
  const cV = f32x4.splat(c), smallV = lerpSmallMask(small);
  for (let r = 0; r < count; r++) {
    const row = tableRow(table, r, SCHEDULE_FREE_SWAP_ROW);
    const n = rowNumel(row), pp = rowParam(row), zp = rowColumn(row, SCHEDULE_FREE_SWAP_Z);
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(pp + o, lerpFmaV(v128.load(pp + o), v128.load(zp + o), cV, smallV));
    }
    for (; i < n; i++) {
      const o = <usize>i << 2;
      store<f32>(pp + o, lerpFmaS(load<f32>(pp + o), load<f32>(zp + o), c, small));
    }
  }
}
