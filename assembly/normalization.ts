// Fused normalisation kernels, forward and backward, after PyTorch's CPU kernels: layer
// norm over the last D values of each row, batch norm per channel over (N, spatial).
// Statistics accumulate in f64; the per-element arithmetic is float32 in PyTorch's order.

// ---- layer norm ----------------------------------------------------------------------------

// y = (x·rstd − mean·rstd)·γ + β per row of D; mean and rstd saved per row. γ/β pointers 0
// when absent.
export function layerNormForward(x: usize, gamma: usize, beta: usize, y: usize, mean: usize, rstd: usize,
  rows: i32, D: i32, eps: f32): void {
  for (let r = 0; r < rows; r++) {
    const xr = x + (<usize>(r * D) << 2), yr = y + (<usize>(r * D) << 2);
    let s: f64 = 0;
    for (let i = 0; i < D; i++) s += <f64>load<f32>(xr + (<usize>i << 2));
    const m = s / <f64>D;
    let q: f64 = 0;
    for (let i = 0; i < D; i++) { const d = <f64>load<f32>(xr + (<usize>i << 2)) - m; q += d * d; }
    const mf = <f32>m;
    const rs = <f32>1 / Mathf.sqrt(<f32>max(q / <f64>D, 0) + eps);
    const scale = rs, bias = -rs * mf;
    for (let i = 0; i < D; i++) {
      const o = <usize>i << 2;
      let v = load<f32>(xr + o) * scale + bias;
      if (gamma != 0) v = v * load<f32>(gamma + o);
      if (beta != 0) v = v + load<f32>(beta + o);
      store<f32>(yr + o, v);
    }
    store<f32>(mean + (<usize>r << 2), mf);
    store<f32>(rstd + (<usize>r << 2), rs);
  }
}

// dx (may be 0: not needed); dgamma and dbeta (may be 0) are overwritten with the sums over rows.
export function layerNormBackward(dy: usize, x: usize, gamma: usize, mean: usize, rstd: usize,
  dx: usize, dgamma: usize, dbeta: usize, rows: i32, D: i32): void {
  if (dgamma != 0) memory.fill(dgamma, 0, <usize>D << 2);
  if (dbeta != 0) memory.fill(dbeta, 0, <usize>D << 2);
  const scaleD = <f32>1 / <f32>D;
  for (let r = 0; r < rows; r++) {
    const xr = x + (<usize>(r * D) << 2), dyr = dy + (<usize>(r * D) << 2);
    const m = load<f32>(mean + (<usize>r << 2)), rs = load<f32>(rstd + (<usize>r << 2));
    if (dx != 0) {
      let ds: f64 = 0, db: f64 = 0;
      for (let i = 0; i < D; i++) {
        const o = <usize>i << 2;
        const gy = load<f32>(dyr + o) * (gamma != 0 ? load<f32>(gamma + o) : <f32>1);
        ds += <f64>(gy * load<f32>(xr + o));
        db += <f64>gy;
      }
      const dsf = <f32>ds, dbf = <f32>db;
      const b = (dbf * m - dsf) * rs * rs * rs * scaleD;
      const c = -b * m - dbf * rs * scaleD;
      const dxr = dx + (<usize>(r * D) << 2);
      for (let i = 0; i < D; i++) {
        const o = <usize>i << 2;
        const gy = load<f32>(dyr + o) * (gamma != 0 ? load<f32>(gamma + o) : <f32>1);
        store<f32>(dxr + o, rs * gy + b * load<f32>(xr + o) + c);
      }
    }
    for (let i = 0; i < D; i++) {
      const o = <usize>i << 2;
      const g = load<f32>(dyr + o);
      if (dgamma != 0) store<f32>(dgamma + o, load<f32>(dgamma + o) + g * (load<f32>(xr + o) - m) * rs);
      if (dbeta != 0) store<f32>(dbeta + o, load<f32>(dbeta + o) + g);
    }
  }
}

// ---- batch norm ------------------------------------------------------------------------------

// x (N, C, S). training: batch statistics (mean, rstd saved per channel; the running ones
// updated with PyTorch's momentum and unbiased variance when runMean != 0); otherwise the
// running statistics. γ/β 0 when absent.
export function batchNormForward(x: usize, gamma: usize, beta: usize, y: usize, mean: usize, rstd: usize,
  runMean: usize, runVar: usize, N: i32, C: i32, S: i32, eps: f32, momentum: f32, training: i32): void {
  const M = N * S;
  for (let c = 0; c < C; c++) {
    let mf: f32, rs: f32;
    if (training) {
      let s: f64 = 0;
      for (let n = 0; n < N; n++) {
        const p = x + (<usize>((n * C + c) * S) << 2);
        for (let i = 0; i < S; i++) s += <f64>load<f32>(p + (<usize>i << 2));
      }
      const m = s / <f64>M;
      let q: f64 = 0;
      for (let n = 0; n < N; n++) {
        const p = x + (<usize>((n * C + c) * S) << 2);
        for (let i = 0; i < S; i++) { const d = <f64>load<f32>(p + (<usize>i << 2)) - m; q += d * d; }
      }
      mf = <f32>m;
      rs = <f32>(1 / Math.sqrt(q / <f64>M + <f64>eps));
      store<f32>(mean + (<usize>c << 2), mf);
      store<f32>(rstd + (<usize>c << 2), rs);
      if (runMean != 0) {
        const o = <usize>c << 2;
        const unbiased = <f32>(M > 1 ? q / <f64>(M - 1) : q / <f64>M);
        store<f32>(runMean + o, momentum * mf + (<f32>1 - momentum) * load<f32>(runMean + o));
        store<f32>(runVar + o, momentum * unbiased + (<f32>1 - momentum) * load<f32>(runVar + o));
      }
    } else {
      mf = load<f32>(runMean + (<usize>c << 2));
      rs = <f32>1 / Mathf.sqrt(load<f32>(runVar + (<usize>c << 2)) + eps);
    }
    const w = gamma != 0 ? load<f32>(gamma + (<usize>c << 2)) : <f32>1;
    const b = beta != 0 ? load<f32>(beta + (<usize>c << 2)) : <f32>0;
    // PyTorch: y = x·α + β′ with α = rstd·γ and β′ = β − mean·α
    const alpha = rs * w, shift = b - mf * alpha;
    for (let n = 0; n < N; n++) {
      const p = <usize>((n * C + c) * S) << 2;
      for (let i = 0; i < S; i++) {
        const o = p + (<usize>i << 2);
        store<f32>(y + o, load<f32>(x + o) * alpha + shift);
      }
    }
  }
}

// Gradients of batch norm: with batch statistics (training) or the running ones. dx,
// dgamma, dbeta may each be 0 (not needed); dgamma and dbeta are overwritten.
export function batchNormBackward(dy: usize, x: usize, gamma: usize, mean: usize, rstd: usize,
  dx: usize, dgamma: usize, dbeta: usize, N: i32, C: i32, S: i32, training: i32): void {
  const M = N * S;
  for (let c = 0; c < C; c++) {
    const m = load<f32>(mean + (<usize>c << 2)), rs = load<f32>(rstd + (<usize>c << 2));
    const w = gamma != 0 ? load<f32>(gamma + (<usize>c << 2)) : <f32>1;
    let sumDy: f64 = 0, dotp: f64 = 0;
    for (let n = 0; n < N; n++) {
      const p = <usize>((n * C + c) * S) << 2;
      for (let i = 0; i < S; i++) {
        const o = p + (<usize>i << 2);
        const g = load<f32>(dy + o);
        sumDy += <f64>g;
        dotp += <f64>((load<f32>(x + o) - m) * g);
      }
    }
    if (dgamma != 0) store<f32>(dgamma + (<usize>c << 2), <f32>dotp * rs);
    if (dbeta != 0) store<f32>(dbeta + (<usize>c << 2), <f32>sumDy);
    if (dx == 0) continue;
    if (training) {
      const gradMean = <f32>(sumDy / <f64>M);
      const projScale = <f32>dotp * rs * rs / <f32>M;
      const k = rs * w;
      for (let n = 0; n < N; n++) {
        const p = <usize>((n * C + c) * S) << 2;
        for (let i = 0; i < S; i++) {
          const o = p + (<usize>i << 2);
          const proj = (load<f32>(x + o) - m) * projScale;
          store<f32>(dx + o, (load<f32>(dy + o) - proj - gradMean) * k);
        }
      }
    } else {
      const k = rs * w;
      for (let n = 0; n < N; n++) {
        const p = <usize>((n * C + c) * S) << 2;
        for (let i = 0; i < S; i++) {
          const o = p + (<usize>i << 2);
          store<f32>(dx + o, load<f32>(dy + o) * k);
        }
      }
    }
  }
}
