// Deterministic inputs every competitor makes for itself (bench/c/adam.c has the same
// generator): xorshift32 streams whose 24-bit outputs are exact in float32, so each process
// starts from bit-identical data and the checks compare like with like.

function seedOf(stream, k) {
  const s = (Math.imul(stream, 0x9e3779b1) + Math.imul(k, 0x85ebca6b) + 1) >>> 0;
  return s === 0 ? 1 : s;
}

/** n uniform values in [-1, 1) from stream `stream`, member k. */
export function uniform(n, stream, k = 0) {
  const a = new Float32Array(n);
  let x = seedOf(stream, k);
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    a[i] = (x >>> 8) / 8388608 - 1;
  }
  return a;
}

/** Initial parameters of tensor k: uniform in [-scale, scale). */
export function params(n, k = 0, scale = 1) {
  const a = uniform(n, 1, k);
  if (scale !== 1) for (let i = 0; i < n; i++) a[i] *= scale;
  return a;
}

/**
 * A gradient for tensor k with |g| in [0.1, 1) (no near-zero entries, where competitors'
 * different epsilon placements would differ). step 0 is the timed steps' gradient; the
 * check's step s ≥ 1 gets its own, so the check sees a gradient that changes each step.
 */
export function grads(n, k = 0, step = 0) {
  const a = uniform(n, 2 + step, k);
  for (let i = 0; i < n; i++) a[i] = a[i] >= 0 ? 0.1 + 0.9 * a[i] : -0.1 + 0.9 * a[i];
  return a;
}

/** The positions compared in a vector of n: the first four, twelve spread out, the last. */
export function sampleIndices(n) {
  const idx = [];
  for (let i = 0; i < Math.min(n, 4); i++) idx.push(i);
  for (let j = 1; j <= 12; j++) idx.push(Math.floor((j * n) / 13));
  idx.push(n - 1);
  return idx;
}

export const sample = (values) => sampleIndices(values.length).map((i) => values[i]);

/** Transposes a row-major [rows × cols] matrix. */
export function transposed(a, rows, cols) {
  const out = new Float32Array(a.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = a[r * cols + c];
  return out;
}
