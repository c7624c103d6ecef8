// Kernel checks against plain-JS references at lengths that exercise the SIMD bodies and
// their scalar tails, plus aliasing (output = input) through the in-place ops.
import * as torch from "../../build/torchlet.js";
import { assertClose } from "./assert.ts";

export const LENGTHS = [0, 1, 3, 4, 5, 15, 16, 17, 1023];

// Deterministic inputs, independent of torchlet's generator.
export function values(n: number, seed: number, lo = -2, hi = 2): Float32Array {
  const out = new Float32Array(n);
  let x = seed * 2654435761 >>> 0;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out[i] = lo + (hi - lo) * (x / 2 ** 32);
  }
  return out;
}

const f32 = Math.fround;
type Un = [string, (t: any) => any, (x: number) => number, (x: number, y: number) => number, number, number];
// name, op, forward reference, derivative reference dy/dx (given x, y), input range
const UNARY: Un[] = [
  ["neg", (t) => t.neg(), (x) => -x, () => -1, -2, 2],
  ["exp", (t) => t.exp(), Math.exp, (_x, y) => y, -2, 2],
  ["log", (t) => t.log(), Math.log, (x) => 1 / x, 0.1, 3],
  ["sqrt", (t) => t.sqrt(), Math.sqrt, (_x, y) => 0.5 / y, 0.1, 3],
  ["abs", (t) => t.abs(), Math.abs, (x) => Math.sign(x), -2, 2],
  ["relu", (t) => t.relu(), (x) => Math.max(x, 0), (x) => (x > 0 ? 1 : 0), -2, 2],
  ["sigmoid", (t) => t.sigmoid(), (x) => 1 / (1 + Math.exp(-x)), (_x, y) => y * (1 - y), -4, 4],
  ["tanh", (t) => t.tanh(), Math.tanh, (_x, y) => 1 - y * y, -3, 3],
  ["pow2", (t) => t.pow(2), (x) => x * x, (x) => 2 * x, -2, 2],
  ["pow1.5", (t) => t.pow(1.5), (x) => x ** 1.5, (x) => 1.5 * x ** 0.5, 0.1, 3],
  ["add3", (t) => t.add(3), (x) => x + 3, () => 1, -2, 2],
  ["mul-1.5", (t) => t.mul(-1.5), (x) => -1.5 * x, () => -1.5, -2, 2],
  ["div7", (t) => t.div(7), (x) => f32(x) / 7, () => 1 / 7, -2, 2],
];

export const tests: Record<string, () => void> = {};

for (const [name, op, ref, dref, lo, hi] of UNARY) {
  tests[`kernel: ${name} forward and backward at every tail length`] = () => {
    for (const n of LENGTHS) {
      const xs = values(n, n + 1, lo, hi);
      const g = values(n, n + 7);
      const x = torch.tensor(xs, { requiresGrad: true });
      const y = op(x);
      const yv = Array.from(xs, ref);
      assertClose(y.toArray(), yv, `${name} forward, n=${n}`);
      y.backward(torch.tensor(g));
      assertClose(x.grad!.toArray(), Array.from(xs, (v, i) => g[i] * dref(v, yv[i])), `${name} backward, n=${n}`);
    }
  };
}

const BINARY: [string, (a: any, b: any) => any, (a: number, b: number) => number][] = [
  ["add", (a, b) => a.add(b), (a, b) => a + b],
  ["sub", (a, b) => a.sub(b), (a, b) => a - b],
  ["mul", (a, b) => a.mul(b), (a, b) => a * b],
  ["div", (a, b) => a.div(b), (a, b) => a / b],
];

for (const [name, op, ref] of BINARY) {
  tests[`kernel: ${name} same shape, row and column broadcast at every tail length`] = () => {
    for (const n of LENGTHS) {
      const a = values(3 * n, n + 3), b = values(n, n + 5, 0.5, 2), c = values(3, n + 9, 0.5, 2);
      const A = torch.tensor(a, { shape: [3, n] });
      assertClose(op(A, torch.tensor(a, { shape: [3, n] })).toArray(), Array.from(a, (v) => ref(v, v)), `${name} same, n=${n}`);
      const row = op(A, torch.tensor(b));
      assertClose(row.toArray(), Array.from(a, (v, i) => ref(v, b[i % n])), `${name} row, n=${n}`);
      const col = op(A, torch.tensor(c, { shape: [3, 1] }));
      assertClose(col.toArray(), Array.from(a, (v, i) => ref(v, c[Math.floor(i / Math.max(n, 1))])), `${name} column, n=${n}`);
    }
  };
}

tests["kernel: sum and mean (all, dim 0, dim 1) and their backward at every tail length"] = () => {
  for (const n of LENGTHS) {
    const a = values(5 * n, n + 11);
    const A = torch.tensor(a, { shape: [5, n], requiresGrad: true });
    let total = 0;
    for (const v of a) total += v;
    assertClose(A.sum().item(), total, `sum n=${n}`, 1e-4);
    const rows = Array.from({ length: 5 }, (_, r) => a.slice(r * n, r * n + n).reduce((s, v) => s + v, 0));
    assertClose(A.sum(1).toArray(), rows, `sum(1) n=${n}`, 1e-4);
    const cols = Array.from({ length: n }, (_, c) => [0, 1, 2, 3, 4].reduce((s, r) => s + a[r * n + c], 0));
    assertClose(A.mean(0).toArray(), cols.map((v) => v / 5), `mean(0) n=${n}`);
    A.mean(0).sum().backward();
    assertClose(A.grad!.toArray(), new Array(5 * n).fill(0.2), `mean(0) backward n=${n}`);
  }
};

function refMatmul(a: Float32Array, b: Float32Array, M: number, K: number, N: number): number[] {
  const c = new Array(M * N).fill(0);
  for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
    let s = 0;
    for (let k = 0; k < K; k++) s += a[i * K + k] * b[k * N + j];
    c[i * N + j] = s;
  }
  return c;
}

function transposed(a: Float32Array, R: number, C: number): Float32Array {
  const t = new Float32Array(R * C);
  for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) t[c * R + r] = a[r * C + c];
  return t;
}

tests["kernel: matmul A·B, Aᵀ·B and A·Bᵀ (via backward) over tile tails"] = () => {
  const sizes = [1, 3, 4, 5, 8, 9, 17];
  for (const M of sizes) for (const K of [1, 4, 5, 17]) for (const N of sizes) {
    const a = values(M * K, M * 31 + K), b = values(K * N, N * 17 + K), g = values(M * N, M + N);
    const A = torch.tensor(a, { shape: [M, K], requiresGrad: true });
    const B = torch.tensor(b, { shape: [K, N], requiresGrad: true });
    const C = A.matmul(B);
    assertClose(C.toArray(), refMatmul(a, b, M, K, N), `A·B ${M}x${K}x${N}`, 1e-4);
    C.backward(torch.tensor(g, { shape: [M, N] }));
    // dA = g·Bᵀ (A·Bᵀ kernel), dB = Aᵀ·g (Aᵀ·B kernel)
    assertClose(A.grad!.toArray(), refMatmul(g, transposed(b, K, N), M, N, K), `g·Bᵀ ${M}x${K}x${N}`, 1e-4);
    assertClose(B.grad!.toArray(), refMatmul(transposed(a, M, K), g, K, M, N), `Aᵀ·g ${M}x${K}x${N}`, 1e-4);
  }
};

tests["kernel: matmul's packed path (k blocks of 256, row blocks of 64, 4×8 tile tails) in every layout"] = () => {
  // [M, K, N]: k past one and two blocks, rows past one row block, every tile tail
  for (const [M, K, N] of [[67, 300, 13], [9, 520, 130], [130, 9, 33], [64, 256, 64]]) {
    const a = values(M * K, M + 7 * K), b = values(K * N, N + 3 * K, -1, 1), g = values(M * N, M * N);
    const A = torch.tensor(a, { shape: [M, K], requiresGrad: true });
    const B = torch.tensor(b, { shape: [K, N], requiresGrad: true });
    const C = A.matmul(B);
    assertClose(C.toArray(), refMatmul(a, b, M, K, N), `A·B ${M}x${K}x${N}`, 1e-4);
    const At = torch.tensor(transposed(a, M, K), { shape: [K, M] });
    assertClose(At.t().matmul(B).toArray(), refMatmul(a, b, M, K, N), `Aᵀ·B ${M}x${K}x${N}`, 1e-4);
    C.backward(torch.tensor(g, { shape: [M, N] }));
    assertClose(B.grad!.toArray(), refMatmul(transposed(a, M, K), g, K, M, N), `Aᵀ·g ${M}x${K}x${N}`, 1e-4);
  }
};

tests["kernel: in-place ops with output = input (aliasing) at every tail length"] = () => {
  for (const n of LENGTHS) {
    const a = values(n, n + 13), b = values(n, n + 17, 0.5, 2);
    const A = torch.tensor(a);
    A.add_(A);
    assertClose(A.toArray(), Array.from(a, (v) => 2 * v), `x.add_(x) n=${n}`);
    A.mul_(torch.tensor(b));
    assertClose(A.toArray(), Array.from(a, (v, i) => f32(2 * v) * b[i]), `x.mul_(y) n=${n}`);
    A.div_(A);
    assertClose(A.toArray(), Array.from(a, (v) => (v === 0 ? NaN : 1)), `x.div_(x) n=${n}`);
  }
};

tests["kernel: batched matmul with a broadcast left operand sums its grad over the batch"] = () => {
  const M = 3, K = 5, N = 6, B = 4;
  const a = values(M * K, 41), b = values(B * K * N, 43), g = values(B * M * N, 47);
  const A = torch.tensor(a, { shape: [M, K], requiresGrad: true });
  const Bt = torch.tensor(b, { shape: [B, K, N] });
  const C = A.matmul(Bt);
  const want: number[] = [], dA = new Array(M * K).fill(0);
  for (let t = 0; t < B; t++) {
    const bt = b.slice(t * K * N, (t + 1) * K * N), gt = g.slice(t * M * N, (t + 1) * M * N);
    want.push(...refMatmul(a, bt, M, K, N));
    refMatmul(gt, transposed(bt, K, N), M, N, K).forEach((v, i) => { dA[i] += v; });
  }
  assertClose(C.toArray(), want, "[3, 5] · [4, 5, 6]", 1e-4);
  C.backward(torch.tensor(g, { shape: [B, M, N] }));
  assertClose(A.grad!.toArray(), dA, "grad of the broadcast operand", 1e-4);
};
