// Which kernel build a loaded torchlet runs, told by its arithmetic: in a product large
// enough to be packed, the relaxed build fuses each multiply-add (one rounding) where the
// exact build rounds the product, then the sum. For the test cases and the bench.
/** @returns {{ ran: "exact" | "relaxed" | null, rounded: number, fused: number, total: number }} */
export function kernelBuildThatRan(torch) {
  const M = 32, K = 64, N = 32;
  const a = Float32Array.from({ length: M * K }, (_, i) => Math.sin(i * 1.7));
  const b = Float32Array.from({ length: K * N }, (_, i) => Math.cos(i * 0.3));
  const c = torch.tensor(a, { shape: [M, K] }).matmul(torch.tensor(b, { shape: [K, N] })).toArray();
  let rounded = 0, fused = 0;
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let r = 0, f = 0;
      for (let k = 0; k < K; k++) {
        const p = a[i * K + k] * b[k * N + j]; // exact in a double: one rounding, as an FMA's
        r = Math.fround(r + Math.fround(p));
        f = Math.fround(f + p);
      }
      if (r === c[i * N + j]) rounded++;
      if (f === c[i * N + j]) fused++;
    }
  }
  const total = M * N;
  const ran = rounded === total ? "exact" : fused === total ? "relaxed" : null;
  return { ran, rounded, fused, total };
}
