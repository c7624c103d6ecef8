// Fused loss kernels whose element-wise forms would cost several passes.

// Row-wise log-softmax cross entropy over logits x [N, C].
// targetKind 0: class indices (i32 [N]); 1: class probabilities (f32 [N, C]).
// Writes the per-row loss to loss [N] and the softmax to prob [N, C] for the backward.
export function crossEntropy(x: usize, target: usize, targetKind: i32, loss: usize, prob: usize, N: i32, C: i32): void {
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
      l = lse - <f64>load<f32>(row + (<usize>t << 2));
    } else {
      const tr = target + (<usize>(r * C) << 2);
      for (let c = 0; c < C; c++) {
        l -= <f64>load<f32>(tr + (<usize>c << 2)) * (<f64>load<f32>(row + (<usize>c << 2)) - lse);
      }
    }
    store<f32>(loss + (<usize>r << 2), <f32>l);
  }
}

// dx[r, c] = g[r·gStride] · scale · (softmax·Σp − p)  (indices: p is one-hot, Σp = 1).
export function crossEntropyBackward(prob: usize, target: usize, targetKind: i32, g: usize, gStride: i32,
                                     scale: f32, dx: usize, N: i32, C: i32): void {
  for (let r = 0; r < N; r++) {
    const gr = load<f32>(g + (<usize>(r * gStride) << 2)) * scale;
    const pr = prob + (<usize>(r * C) << 2);
    const dr = dx + (<usize>(r * C) << 2);
    if (targetKind == 0) {
      const t = load<i32>(target + (<usize>r << 2));
      for (let c = 0; c < C; c++) {
        const p = load<f32>(pr + (<usize>c << 2));
        store<f32>(dr + (<usize>c << 2), gr * (c == t ? p - 1 : p));
      }
    } else {
      const tr = target + (<usize>(r * C) << 2);
      let ts: f32 = 0;
      for (let c = 0; c < C; c++) ts += load<f32>(tr + (<usize>c << 2));
      for (let c = 0; c < C; c++) {
        const q = <usize>c << 2;
        store<f32>(dr + q, gr * (load<f32>(pr + q) * ts - load<f32>(tr + q)));
      }
    }
  }
}

// PyTorch's binary_cross_entropy_with_logits without weights:
// (1 − y)·x + max(−x, 0) + log(exp(−max) + exp(−x − max)).
export function bceWithLogits(x: usize, y: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const xi = load<f32>(x + o), yi = load<f32>(y + o);
    const mv = max(-xi, <f32>0);
    store<f32>(out + o, (<f32>1 - yi) * xi + mv + Mathf.log(Mathf.exp(-mv) + Mathf.exp(-xi - mv)));
  }
}

// dx = (sigmoid(x) − y) · g[i·gStride] · scale
export function bceWithLogitsBackward(x: usize, y: usize, g: usize, gStride: i32, scale: f32, dx: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const xi = load<f32>(x + o);
    let s: f32;
    if (xi >= 0) s = <f32>1 / (<f32>1 + Mathf.exp(-xi));
    else { const e = Mathf.exp(xi); s = e / (<f32>1 + e); }
    store<f32>(dx + o, (s - load<f32>(y + o)) * load<f32>(g + (<usize>(i * gStride) << 2)) * scale);
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
