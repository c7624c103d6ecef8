// Fused loss kernels whose element-wise forms would cost several passes, forward and backward.

// The value an absent weight reads: weights default to 1, at stride 0.
const ONE: usize = memory.data<f32>([1.0]);

// PyTorch's cross_entropy over logits x [N, C] with weight, ignore_index and
// label_smoothing (ATen's cross_entropy_loss_label_smoothing / _prob_target). With
// logp = log_softmax(row), each row's loss is −Σ_c a_c·logp_c where
//   class index t (i32 [N]):  a_c = (1 − ε)·w_t·[c = t] + (ε/C)·w_c
//   probabilities t (f32 [N, C]):  a_c = w_c·((1 − ε)·t_c + ε/C)
// and w = 1 without weights. A class index below 0 marks a row to ignore (the host maps
// ignore_index to −1): loss 0, no gradient. Writes the per-row loss to loss [N] and the
// softmax to prob [N, C] (for the backward); returns the weighted mean's denominator:
// Σ w_t over the rows not ignored (indices), N (probabilities).
export function crossEntropy(x: usize, target: usize, targetKind: i32, weight: usize, hasWeight: i32,
                             smoothing: f32, loss: usize, prob: usize, N: i32, C: i32): f64 {
  const w = hasWeight ? weight : ONE;
  const ws: usize = hasWeight ? 4 : 0;
  const keep: f64 = 1 - <f64>smoothing, spread: f64 = <f64>smoothing / <f64>C;
  let denom: f64 = 0;
  for (let r = 0; r < N; r++) {
    const row = x + (<usize>(r * C) << 2);
    const pr = prob + (<usize>(r * C) << 2);
    let m: f32 = -Infinity;
    for (let c = 0; c < C; c++) m = max(m, load<f32>(row + (<usize>c << 2)));
    let s: f64 = 0;
    for (let c = 0; c < C; c++) {
      const e = Mathf.exp(load<f32>(row + (<usize>c << 2)) - m);
      store<f32>(pr + (<usize>c << 2), e);
      s += <f64>e;
    }
    const lse = <f64>m + Math.log(s);
    const inv = <f32>(1 / s);
    for (let c = 0; c < C; c++) store<f32>(pr + (<usize>c << 2), load<f32>(pr + (<usize>c << 2)) * inv);
    let l: f64 = 0;
    if (targetKind == 0) {
      const t = load<i32>(target + (<usize>r << 2));
      if (t < 0) { store<f32>(loss + (<usize>r << 2), 0); continue; }
      const wt = <f64>load<f32>(w + <usize>t * ws);
      l = keep * wt * (lse - <f64>load<f32>(row + (<usize>t << 2)));
      if (smoothing != 0) {
        let sm: f64 = 0;
        for (let c = 0; c < C; c++) sm += <f64>load<f32>(w + <usize>c * ws) * (lse - <f64>load<f32>(row + (<usize>c << 2)));
        l += spread * sm;
      }
      denom += wt;
    } else {
      const tr = target + (<usize>(r * C) << 2);
      for (let c = 0; c < C; c++) {
        const a = <f64>load<f32>(w + <usize>c * ws) * (keep * <f64>load<f32>(tr + (<usize>c << 2)) + spread);
        l += a * (lse - <f64>load<f32>(row + (<usize>c << 2)));
      }
      denom += 1;
    }
    store<f32>(loss + (<usize>r << 2), <f32>l);
  }
  return denom;
}

// dx[r, c] = g[r·gStride] · scale · (A·softmax_c − a_c), with a_c as in crossEntropy and
// A = Σ_c a_c: the gradient of −Σ a_c·log_softmax_c. Ignored rows get 0.
export function crossEntropyBackward(prob: usize, target: usize, targetKind: i32, weight: usize, hasWeight: i32,
                                     smoothing: f32, g: usize, gStride: i32, scale: f32, dx: usize, N: i32, C: i32): void {
  const w = hasWeight ? weight : ONE;
  const ws: usize = hasWeight ? 4 : 0;
  const keep: f32 = 1 - smoothing, spread: f32 = smoothing / <f32>C;
  let wsum: f32 = 0;
  for (let c = 0; c < C; c++) wsum += load<f32>(w + <usize>c * ws);
  for (let r = 0; r < N; r++) {
    const pr = prob + (<usize>(r * C) << 2);
    const dr = dx + (<usize>(r * C) << 2);
    const gr = load<f32>(g + (<usize>(r * gStride) << 2)) * scale;
    if (targetKind == 0) {
      const t = load<i32>(target + (<usize>r << 2));
      if (t < 0) { memory.fill(dr, 0, <usize>C << 2); continue; }
      const at = keep * load<f32>(w + <usize>t * ws);
      const A = at + spread * wsum;
      for (let c = 0; c < C; c++) {
        const q = <usize>c << 2;
        const a = spread * load<f32>(w + <usize>c * ws);
        store<f32>(dr + q, gr * (A * load<f32>(pr + q) - (c == t ? a + at : a)));
      }
    } else {
      const tr = target + (<usize>(r * C) << 2);
      let A: f32 = 0;
      for (let c = 0; c < C; c++) A += load<f32>(w + <usize>c * ws) * (keep * load<f32>(tr + (<usize>c << 2)) + spread);
      for (let c = 0; c < C; c++) {
        const q = <usize>c << 2;
        const a = load<f32>(w + <usize>c * ws) * (keep * load<f32>(tr + q) + spread);
        store<f32>(dr + q, gr * (A * load<f32>(pr + q) - a));
      }
    }
  }
}

// weight and pos_weight are read broadcast over the input at element (i / inner) % period:
// their non-broadcast dims are one block of the input's dims (the host checks, or expands
// them first). An absent one (has… = 0) reads 1.
@inline function at(base: usize, i: i32, inner: i32, period: i32): f32 {
  return load<f32>(base + (<usize>((i / inner) % period) << 2));
}

// PyTorch's binary_cross_entropy_with_logits with weight and pos_weight:
// w·((1 − y)·x + (1 + (pw − 1)·y)·(max(−x, 0) + log(exp(−max) + exp(−x − max)))),
// the last factor being −log σ(x).
export function bceWithLogits(x: usize, y: usize, weight: usize, hasWeight: i32, wInner: i32, wPeriod: i32,
                              posWeight: usize, hasPosWeight: i32, pInner: i32, pPeriod: i32, out: usize, n: i32): void {
  const w = hasWeight ? weight : ONE, p = hasPosWeight ? posWeight : ONE;
  if (!hasWeight) { wInner = 1; wPeriod = 1; }
  if (!hasPosWeight) { pInner = 1; pPeriod = 1; }
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const xi = load<f32>(x + o), yi = load<f32>(y + o);
    const mv = max(-xi, <f32>0);
    const logWeight = <f32>1 + (at(p, i, pInner, pPeriod) - 1) * yi;
    const l = (<f32>1 - yi) * xi + logWeight * (mv + Mathf.log(Mathf.exp(-mv) + Mathf.exp(-xi - mv)));
    store<f32>(out + o, at(w, i, wInner, wPeriod) * l);
  }
}

// PyTorch's binary_cross_entropy_with_logits_backward:
// dx = w·((pw·y + 1 − y)·σ(x) − pw·y) · g[i·gStride] · scale.
export function bceWithLogitsBackward(x: usize, y: usize, weight: usize, hasWeight: i32, wInner: i32, wPeriod: i32,
                                      posWeight: usize, hasPosWeight: i32, pInner: i32, pPeriod: i32,
                                      g: usize, gStride: i32, scale: f32, dx: usize, n: i32): void {
  const w = hasWeight ? weight : ONE, p = hasPosWeight ? posWeight : ONE;
  if (!hasWeight) { wInner = 1; wPeriod = 1; }
  if (!hasPosWeight) { pInner = 1; pPeriod = 1; }
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const xi = load<f32>(x + o), yi = load<f32>(y + o);
    let s: f32;
    if (xi >= 0) s = <f32>1 / (<f32>1 + Mathf.exp(-xi));
    else { const e = Mathf.exp(xi); s = e / (<f32>1 + e); }
    const py = at(p, i, pInner, pPeriod) * yi;
    const gi = load<f32>(g + (<usize>(i * gStride) << 2)) * scale;
    store<f32>(dx + o, at(w, i, wInner, wPeriod) * ((py + 1 - yi) * s - py) * gi);
  }
}

// MSE in one pass: out[i] = (x − y)² when perItem, and the sum (f64) is returned.
export function mse(x: usize, y: usize, out: usize, n: i32, perItem: i32): f64 {
  let total: f64 = 0;
  let i = 0;
  while (i < n) {
    const end = min(n, i + 1024);
    let acc = f32x4.splat(0);
    for (; i + 4 <= end; i += 4) {
      const o = <usize>i << 2;
      const d = f32x4.sub(v128.load(x + o), v128.load(y + o));
      const sq = f32x4.mul(d, d);
      if (perItem) v128.store(out + o, sq);
      acc = f32x4.add(acc, sq);
    }
    let s: f64 = <f64>f32x4.extract_lane(acc, 0) + <f64>f32x4.extract_lane(acc, 1) +
      <f64>f32x4.extract_lane(acc, 2) + <f64>f32x4.extract_lane(acc, 3);
    for (; i < end; i++) {
      const o = <usize>i << 2;
      const d = load<f32>(x + o) - load<f32>(y + o);
      if (perItem) store<f32>(out + o, d * d);
      s += <f64>(d * d);
    }
    total += s;
  }
  return total;
}

// PyTorch's mse_loss_backward: dx = norm · (x − y) · g, norm = 2/n for a mean, 2 otherwise.
export function mseBackward(x: usize, y: usize, g: usize, gStride: i32, norm: f32, dx: usize, n: i32): void {
  let i = 0;
  if (gStride == 0) {
    const s = f32x4.splat(norm * load<f32>(g));
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(dx + o, f32x4.mul(f32x4.sub(v128.load(x + o), v128.load(y + o)), s));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(dx + o, norm * (load<f32>(x + o) - load<f32>(y + o)) * load<f32>(g + (<usize>(i * gStride) << 2)));
  }
}

// ---- nll_loss over log-probabilities x [N, C] with class indices (i32 [N], −1 = ignored) --

// Writes −w_t·x[i, t] per row; returns Σ w_t over the rows not ignored (the mean's denominator).
export function nll(x: usize, target: usize, weight: usize, hasWeight: i32, loss: usize, N: i32, C: i32): f64 {
  let denom: f64 = 0;
  for (let r = 0; r < N; r++) {
    const t = load<i32>(target + (<usize>r << 2));
    if (t < 0) { store<f32>(loss + (<usize>r << 2), 0); continue; }
    const w = hasWeight ? load<f32>(weight + (<usize>t << 2)) : <f32>1;
    store<f32>(loss + (<usize>r << 2), -w * load<f32>(x + (<usize>(r * C + t) << 2)));
    denom += <f64>w;
  }
  return denom;
}

// dx (zeroed by the host): dx[i, t] = −w_t·g_i·scale (g read at stride gStride: 0 for a reduced loss).
export function nllBackward(target: usize, weight: usize, hasWeight: i32, g: usize, gStride: i32, scale: f32,
  dx: usize, N: i32, C: i32): void {
  for (let r = 0; r < N; r++) {
    const t = load<i32>(target + (<usize>r << 2));
    if (t < 0) continue;
    const w = hasWeight ? load<f32>(weight + (<usize>t << 2)) : <f32>1;
    store<f32>(dx + (<usize>(r * C + t) << 2), -w * load<f32>(g + (<usize>(r * gStride) << 2)) * scale);
  }
}

// ---- element-wise losses of input x against target y ---------------------------------------

export const BCE: i32 = 0;       // −w·(y·max(log x, −100) + (1 − y)·max(log(1 − x), −100))
export const HUBER: i32 = 1;     // p = delta
export const SMOOTH_L1: i32 = 2; // p = beta
export const KL_DIV: i32 = 3;    // y·(log y − x), 0 where y = 0
export const KL_DIV_LOG: i32 = 4; // eʸ·(y − x) (log_target)

@inline function pointwise(op: i32, x: f32, y: f32, p: f32): f32 {
  if (op == BCE) {
    const lx = max(Mathf.log(x), <f32>-100), l1x = max(Mathf.log(<f32>1 - x), <f32>-100);
    return -(y * lx + (<f32>1 - y) * l1x);
  }
  const d = x - y;
  const a = Mathf.abs(d);
  if (op == HUBER) return a < p ? <f32>0.5 * d * d : p * (a - <f32>0.5 * p);
  if (op == SMOOTH_L1) return a < p ? <f32>0.5 * d * d / p : a - <f32>0.5 * p;
  if (op == KL_DIV) return y > 0 ? y * (Mathf.log(y) - x) : (y == 0 ? <f32>0 : <f32>NaN);
  return Mathf.exp(y) * (y - x);
}

@inline function pointwiseGrad(op: i32, x: f32, y: f32, p: f32): f32 {
  if (op == BCE) return (x - y) / max((<f32>1 - x) * x, <f32>1e-12);
  const d = x - y;
  const a = Mathf.abs(d);
  const sign: f32 = d > 0 ? 1 : d < 0 ? -1 : 0;
  if (op == HUBER) return a < p ? d : p * sign;
  if (op == SMOOTH_L1) return a < p ? d / p : sign;
  if (op == KL_DIV) return -y;
  return -Mathf.exp(y);
}

// out[i] = w_i·loss(x_i, y_i) (weight read at stride 0 when absent: ONE).
export function pointwiseLoss(op: i32, x: usize, y: usize, weight: usize, hasWeight: i32, out: usize, n: i32, p: f32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const w = hasWeight ? load<f32>(weight + o) : <f32>1;
    store<f32>(out + o, w * pointwise(op, load<f32>(x + o), load<f32>(y + o), p));
  }
}

// dx[i] = w_i·∂loss/∂x_i·g_i·scale (g at stride gStride: 0 for a reduced loss).
export function pointwiseLossBackward(op: i32, x: usize, y: usize, weight: usize, hasWeight: i32, g: usize, gStride: i32,
  scale: f32, dx: usize, n: i32, p: f32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const w = hasWeight ? load<f32>(weight + o) : <f32>1;
    const gi = load<f32>(g + (<usize>(i * gStride) << 2)) * scale;
    store<f32>(dx + o, w * pointwiseGrad(op, load<f32>(x + o), load<f32>(y + o), p) * gi);
  }
}
