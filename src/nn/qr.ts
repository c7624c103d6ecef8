// The orthonormal factor of a small matrix, for nn.init.orthogonal_: Householder QR in f64
// on the host (an init runs once per parameter; the matrices are a layer's weight).

/**
 * Q of the reduced QR decomposition A = Q·R of the m×n row-major matrix `a` (m ≥ n), with
 * PyTorch's sign correction: each column j of Q is multiplied by sign(R[j][j]) (0 when
 * R[j][j] is 0, as `d.sign()` gives), so that R's diagonal is positive and Q is unique.
 * Returns Q as an m×n row-major array.
 */
export function orthonormalFactor(a: ArrayLike<number>, m: number, n: number): Float64Array {
  const r = Float64Array.from(a);
  const vs: Float64Array[] = [];
  const diag = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    // v = x − α·e₁ with α = −sign(x₀)·‖x‖ (no cancellation); H = I − 2vvᵀ/‖v‖²
    let norm = 0;
    for (let i = k; i < m; i++) norm += r[i * n + k] * r[i * n + k];
    norm = Math.sqrt(norm);
    const x0 = r[k * n + k];
    const alpha = x0 >= 0 ? -norm : norm;
    const v = new Float64Array(m - k);
    for (let i = k; i < m; i++) v[i - k] = r[i * n + k];
    v[0] -= alpha;
    let vv = 0;
    for (let i = 0; i < v.length; i++) vv += v[i] * v[i];
    if (vv > 0) {
      for (let j = k; j < n; j++) {
        let dot = 0;
        for (let i = k; i < m; i++) dot += v[i - k] * r[i * n + j];
        const f = (2 * dot) / vv;
        for (let i = k; i < m; i++) r[i * n + j] -= f * v[i - k];
      }
    }
    vs.push(v);
    diag[k] = alpha; // R[k][k] (±0 for a zero column, which no reflection changes)
  }
  // Q = H₀·H₁·…·Hₙ₋₁ applied to the first n columns of the identity, last reflection first
  const q = new Float64Array(m * n);
  for (let j = 0; j < n; j++) q[j * n + j] = 1;
  for (let k = n - 1; k >= 0; k--) {
    const v = vs[k];
    let vv = 0;
    for (let i = 0; i < v.length; i++) vv += v[i] * v[i];
    if (vv === 0) continue;
    for (let j = 0; j < n; j++) {
      let dot = 0;
      for (let i = k; i < m; i++) dot += v[i - k] * q[i * n + j];
      const f = (2 * dot) / vv;
      for (let i = k; i < m; i++) q[i * n + j] -= f * v[i - k];
    }
  }
  for (let j = 0; j < n; j++) {
    const s = Math.sign(diag[j]);
    for (let i = 0; i < m; i++) q[i * n + j] *= s;
  }
  return q;
}
