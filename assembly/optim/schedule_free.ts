// Schedule-Free SGD and AdamW (facebookresearch/schedule_free): one call steps a param group;
// a third kernel moves the params between the training point y and the averaged point x
// (the optimizers' train() and eval()). The reference's foreach path (the default), per
// element, in its op order, each op rounded as PyTorch's CPU kernel rounds it but for the
// multiply-adds of add/sub(alpha=) and lerp, which PyTorch's AVX2/AVX-512 kernels fuse and
// these round twice (moments.ts: an exact fma made these steps four times slower):
//
// SGDScheduleFree.step
//   wd:  g = g + wd·y                                  (_foreach_add_(grad, y, alpha=wd))
//   y = lerp(y, z, ckp1)                               (_foreach_lerp_)
//   y = y + lr·(momentum·(1 − ckp1) − 1)·g             (_foreach_add_, the host's f64 coefficient)
//   z = z + (−lr)·g                                    (_foreach_sub_(z, grad, alpha=lr))
// AdamWScheduleFree.step
//   v = v·β2 + ((1 − β2)·g)·g;  d = sqrt(v / bc2) + eps
//   inner momentum:  m = m·μ + (1 − μ)·g;  g' = (m / bc1) / d        else  g' = g / d
//   wd:  g' = g' + wd·y;  then y and z as SGD's, with β1 for momentum
// train() / eval()
//   y = lerp(x, z, 1 − β1)   /   x = lerp(y, z, 1 − 1/β1)
import { emaSqV, emaSqS, lerpV, lerpS, lerpCoef, lerpSmall, lerpSmallMask } from "./moments";
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

export function scheduleFreeSgdStep(table: usize, count: i32, weightDecay: f32, ckp1: f32, yCoef: f32, negLr: f32,
  flags: i32): void {
  if ((flags & WEIGHT_DECAY) != 0) sgdRows(table, count, weightDecay, ckp1, yCoef, negLr, true);
  else sgdRows(table, count, weightDecay, ckp1, yCoef, negLr, false);
}

@inline function sgdRows(table: usize, count: i32, weightDecay: f32, ckp1: f32, yCoef: f32, negLr: f32, wd: bool): void {
  const c = lerpCoef(ckp1), small = lerpSmall(ckp1);
  const cV = f32x4.splat(c), smallV = lerpSmallMask(small);
  const wdV = f32x4.splat(weightDecay), yV = f32x4.splat(yCoef), lrV = f32x4.splat(negLr);
  for (let r = 0; r < count; r++) {
    const row = tableRow(table, r, SCHEDULE_FREE_SGD_ROW);
    const n = rowNumel(row), yp = rowParam(row), gp = rowGrad(row), zp = rowColumn(row, SCHEDULE_FREE_Z);
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const y = v128.load(yp + o), z = v128.load(zp + o);
      let g = v128.load(gp + o);
      if (wd) g = f32x4.add(g, f32x4.mul(wdV, y));
      v128.store(yp + o, f32x4.add(lerpV(y, z, cV, smallV), f32x4.mul(yV, g)));
      v128.store(zp + o, f32x4.add(z, f32x4.mul(lrV, g)));
    }
    for (; i < n; i++) {
      const o = <usize>i << 2;
      const y = load<f32>(yp + o), z = load<f32>(zp + o);
      let g = load<f32>(gp + o);
      if (wd) g = g + weightDecay * y;
      store<f32>(yp + o, lerpS(y, z, c, small) + yCoef * g);
      store<f32>(zp + o, z + negLr * g);
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
  const muV = f32x4.splat(mu), omMuV = f32x4.splat(omMu), bc1V = f32x4.splat(bc1);
  const wdV = f32x4.splat(weightDecay), yV = f32x4.splat(yCoef), lrV = f32x4.splat(negLr);
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
        const m = f32x4.add(f32x4.mul(v128.load(mp + o), muV), f32x4.mul(omMuV, g));
        v128.store(mp + o, m);
        gn = f32x4.div(f32x4.div(m, bc1V), d);
      } else gn = f32x4.div(g, d);
      if (wd) gn = f32x4.add(gn, f32x4.mul(wdV, y));
      v128.store(yp + o, f32x4.add(lerpV(y, z, cV, smallV), f32x4.mul(yV, gn)));
      v128.store(zp + o, f32x4.add(z, f32x4.mul(lrV, gn)));
    }
    for (; i < n; i++) {
      const o = <usize>i << 2;
      const y = load<f32>(yp + o), z = load<f32>(zp + o), g = load<f32>(gp + o);
      const v = emaSqS(load<f32>(vp + o), beta2, omb2, g);
      store<f32>(vp + o, v);
      const d = Mathf.sqrt(v / bc2) + eps;
      let gn: f32;
      if (inner) {
        const m = load<f32>(mp + o) * mu + omMu * g;
        store<f32>(mp + o, m);
        gn = m / bc1 / d;
      } else gn = g / d;
      if (wd) gn = gn + weightDecay * y;
      store<f32>(yp + o, lerpS(y, z, c, small) + yCoef * gn);
      store<f32>(zp + o, z + negLr * gn);
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
      v128.store(pp + o, lerpV(v128.load(pp + o), v128.load(zp + o), cV, smallV));
    }
    for (; i < n; i++) {
      const o = <usize>i << 2;
      store<f32>(pp + o, lerpS(load<f32>(pp + o), load<f32>(zp + o), c, small));
    }
  }
}
