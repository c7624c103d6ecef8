// The reduction kernels against plain-JS float64 references, at row lengths that exercise
// the SIMD bodies and their scalar tails, for contiguous rows (reducing the last dim of
// [2, n]) and strided ones (reducing dim 0 of [n, 3]), forward and backward.
import * as torch from "../../build/torchlet.js";
import { assertClose, assertEqual, assertThrows } from "./assert.ts";
import { values } from "./kernels.ts";

type Tensor = ReturnType<typeof torch.tensor>;

const LENGTHS = [0, 1, 3, 4, 5, 15, 16, 17, 1023];

interface Layout {
  name: string;
  shape: number[];
  dim: number;
  /** The flat indices of each row's elements, in order. */
  rows: number[][];
}

function layouts(n: number): Layout[] {
  const ks = Array.from({ length: n }, (_, k) => k);
  return [
    { name: "contiguous rows", shape: [2, n], dim: 1, rows: [0, 1].map((r) => ks.map((k) => r * n + k)) },
    { name: "strided rows", shape: [n, 3], dim: 0, rows: [0, 1, 2].map((r) => ks.map((k) => k * 3 + r)) },
  ];
}

interface Reduction {
  name: string;
  run: (x: Tensor, dim: number) => Tensor;
  ref: (x: number[]) => number;
  /** d(out)/d(x) times the upstream g, for one row. */
  grad?: (x: number[], y: number, g: number) => number[];
  lo?: number;
  hi?: number;
  /** Inputs rounded to halves: many ties. */
  ties?: boolean;
  /** An empty row is refused with this message. */
  emptyThrows?: RegExp;
}

const sum = (x: number[]): number => x.reduce((a, b) => a + b, 0);
const mean = (x: number[]): number => sum(x) / x.length;
const variance = (x: number[]): number => { const m = mean(x); return sum(x.map((v) => (v - m) ** 2)) / Math.max(0, x.length - 1); }; // PyTorch: max(0, n − correction)
const lse = (x: number[]): number => { const m = Math.max(...x); return x.length === 0 ? -Infinity : m + Math.log(sum(x.map((v) => Math.exp(v - m)))); };
const sgn = (v: number): number => (v > 0 ? 1 : v < 0 ? -1 : 0);
/** g shared by the elements equal to y. */
const share = (x: number[], y: number, g: number): number[] => { const c = x.filter((v) => v === y).length; return x.map((v) => (v === y ? g / c : 0)); };
const pnorm = (p: number) => (x: number[]): number => sum(x.map((v) => Math.abs(v) ** p)) ** (1 / p);

const REDUCTIONS: Reduction[] = [
  { name: "sum", run: (x, d) => x.sum(d), ref: sum, grad: (x, _y, g) => x.map(() => g) },
  { name: "mean", run: (x, d) => x.mean(d), ref: mean, grad: (x, _y, g) => x.map(() => g / x.length) },
  {
    name: "prod", run: (x, d) => x.prod(d), ref: (x) => x.reduce((a, b) => a * b, 1), lo: 0.9, hi: 1.1,
    grad: (x, _y, g) => x.map((_, k) => g * x.reduce((a, b, j) => (j === k ? a : a * b), 1)),
  },
  {
    name: "var", run: (x, d) => x.var(d), ref: variance,
    grad: (x, _y, g) => { const m = mean(x); return x.map((v) => (2 / (x.length - 1)) * g * (v - m)); },
  },
  {
    name: "std (correction 0)", run: (x, d) => x.std(d, { correction: 0 }), ref: (x) => Math.sqrt(sum(x.map((v) => (v - mean(x)) ** 2)) / x.length),
    grad: (x, y, g) => { const m = mean(x); return x.map((v) => (y === 0 ? 0 : g / (2 * y)) * (2 / x.length) * (v - m)); },
  },
  { name: "amax", run: (x, d) => x.amax(d), ref: (x) => Math.max(...x), grad: share, ties: true, emptyThrows: /amax.*non-zero size/ },
  { name: "amin", run: (x, d) => x.amin(d), ref: (x) => Math.min(...x), grad: share, ties: true, emptyThrows: /amin.*non-zero size/ },
  {
    name: "max(dim).values", run: (x, d) => x.max(d).values, ref: (x) => Math.max(...x), ties: true, emptyThrows: /max.*non-zero size/,
    grad: (x, y, g) => { const k = x.indexOf(y); return x.map((_, j) => (j === k ? g : 0)); },
  },
  {
    name: "logsumexp", run: (x, d) => x.logsumexp(d), ref: lse, lo: -6, hi: 6,
    grad: (x, y, g) => x.map((v) => g * Math.exp(v - y)),
  },
  {
    name: "norm(2)", run: (x, d) => x.norm(2, d), ref: pnorm(2),
    grad: (x, y, g) => x.map((v) => (y === 0 ? 0 : g * v / y)),
  },
  { name: "norm(1)", run: (x, d) => x.norm(1, d), ref: pnorm(1), grad: (x, _y, g) => x.map((v) => sgn(v) * g) },
  {
    name: "norm(3)", run: (x, d) => x.norm(3, d), ref: pnorm(3),
    grad: (x, y, g) => x.map((v) => (y === 0 ? 0 : v * Math.abs(v) * g / y ** 2)),
  },
  {
    name: "norm(Infinity)", run: (x, d) => x.norm(Infinity, d), ref: (x) => Math.max(...x.map(Math.abs)), ties: true,
    emptyThrows: /inf norm.*empty/,
    grad: (x, y, g) => { const c = x.filter((v) => Math.abs(v) === y).length; return x.map((v) => (Math.abs(v) === y ? sgn(v) * g / c : 0)); },
  },
  { name: "norm(0)", run: (x, d) => x.norm(0, d), ref: (x) => x.filter((v) => v !== 0).length, ties: true },
];

function input(n: number, layout: Layout, seed: number, r: { lo?: number; hi?: number; ties?: boolean }): Float32Array {
  const v = values(layout.rows.length * n, seed, r.lo ?? -2, r.hi ?? 2);
  return r.ties ? v.map((x) => Math.round(x * 2) / 2) : v;
}

function rowValues(data: ArrayLike<number>, row: number[]): number[] {
  return row.map((i) => data[i]);
}

export const tests: Record<string, () => void> = {};

for (const r of REDUCTIONS) {
  tests[`reduce kernel: ${r.name} forward and backward at every tail length, contiguous and strided rows`] = () => {
    for (const n of LENGTHS) {
      for (const layout of layouts(n)) {
        const what = `${r.name}, ${layout.name}, n=${n}`;
        const xs = input(n, layout, n + 3, r);
        const x = torch.tensor(xs, { shape: layout.shape, requiresGrad: r.grad !== undefined });
        if (n === 0 && r.emptyThrows !== undefined) {
          assertThrows(() => r.run(x, layout.dim), r.emptyThrows, what);
          continue;
        }
        const y = r.run(x, layout.dim);
        const want = layout.rows.map((row) => r.ref(rowValues(xs, row)));
        assertClose(y.toArray(), want, `${what} forward`);
        if (r.grad === undefined) continue;
        const g = values(layout.rows.length, n + 11);
        y.backward(torch.tensor(g));
        const gx = new Array<number>(xs.length).fill(0);
        layout.rows.forEach((row, j) => {
          const d = r.grad!(rowValues(xs, row), want[j], g[j]);
          row.forEach((i, k) => { gx[i] = d[k]; });
        });
        assertClose(x.grad!.toArray(), gx, `${what} backward`);
      }
    }
  };
}

tests["reduce kernel: max(dim)/min(dim)/argmax/argmin give the first index of ties at every tail length"] = () => {
  for (const n of LENGTHS.filter((k) => k > 0)) {
    for (const layout of layouts(n)) {
      const xs = input(n, layout, n + 5, { ties: true });
      const x = torch.tensor(xs, { shape: layout.shape });
      for (const [name, pick] of [["max", Math.max], ["min", Math.min]] as const) {
        const want = layout.rows.map((row) => { const v = rowValues(xs, row); return v.indexOf(pick(...v)); });
        const what = `${name}, ${layout.name}, n=${n}`;
        assertEqual(Array.from(x[name](layout.dim).indices.toArray()), want, `${what} indices`);
        assertEqual(Array.from((name === "max" ? x.argmax(layout.dim) : x.argmin(layout.dim)).toArray()), want, `arg${what}`);
      }
    }
  }
};

interface Scan {
  name: string;
  run: (x: Tensor, dim: number) => Tensor;
  ref: (x: number[]) => number[];
  grad: (x: number[], y: number[], g: number[]) => number[];
}

const softmaxRef = (x: number[]): number[] => { const l = lse(x); return x.map((v) => Math.exp(v - l)); };

const SCANS: Scan[] = [
  {
    name: "softmax", run: (x, d) => x.softmax(d), ref: softmaxRef,
    grad: (_x, y, g) => { const dot = sum(y.map((v, k) => v * g[k])); return y.map((v, k) => v * (g[k] - dot)); },
  },
  {
    name: "logSoftmax", run: (x, d) => x.logSoftmax(d), ref: (x) => { const l = lse(x); return x.map((v) => v - l); },
    grad: (_x, y, g) => { const s = sum(g); return y.map((v, k) => g[k] - Math.exp(v) * s); },
  },
  {
    name: "cumsum", run: (x, d) => x.cumsum(d), ref: (x) => { let a = 0; return x.map((v) => (a += v)); },
    grad: (_x, _y, g) => { let a = 0; return g.map((_, k) => g.length - 1 - k).map((k) => (a += g[k])).reverse(); },
  },
];

for (const s of SCANS) {
  tests[`reduce kernel: ${s.name} forward and backward at every tail length, contiguous and strided rows`] = () => {
    for (const n of LENGTHS) {
      for (const layout of layouts(n)) {
        const what = `${s.name}, ${layout.name}, n=${n}`;
        const xs = input(n, layout, n + 7, { lo: -4, hi: 4 });
        const x = torch.tensor(xs, { shape: layout.shape, requiresGrad: true });
        const y = s.run(x, layout.dim);
        const want = new Array<number>(xs.length).fill(0);
        const rowsOut = layout.rows.map((row) => s.ref(rowValues(xs, row)));
        layout.rows.forEach((row, j) => row.forEach((i, k) => { want[i] = rowsOut[j][k]; }));
        assertClose(y.toArray(), want, `${what} forward`);
        const g = values(xs.length, n + 13);
        y.backward(torch.tensor(g, { shape: layout.shape }));
        const gx = new Array<number>(xs.length).fill(0);
        layout.rows.forEach((row, j) => {
          const d = s.grad(rowValues(xs, row), rowsOut[j], rowValues(g, row));
          row.forEach((i, k) => { gx[i] = d[k]; });
        });
        assertClose(x.grad!.toArray(), gx, `${what} backward`);
      }
    }
  };
}

tests["reduce kernel: long sums, means and variances stay accurate (f64 accumulation)"] = () => {
  // a large offset makes a naive float32 running sum lose digits
  for (const n of [1023, 4096, 20000]) {
    const xs = values(n, n, 999, 1001);
    const x = torch.tensor(xs);
    const exact = sum(Array.from(xs));
    assertClose(x.sum().item(), exact, `sum of ${n}`, 0, 1e-6);
    assertClose(x.mean().item(), exact / n, `mean of ${n}`, 0, 1e-6);
    assertClose(x.var().item(), variance(Array.from(xs)), `var of ${n}`, 0, 1e-5);
    const col = torch.tensor(xs, { shape: [n / (n % 4 === 0 ? 4 : 1), n % 4 === 0 ? 4 : 1] });
    const colSum = col.sum(0).toArray();
    const per = n % 4 === 0 ? 4 : 1;
    for (let j = 0; j < per; j++) {
      let s = 0;
      for (let i = j; i < n; i += per) s += xs[i];
      assertClose(colSum[j], s, `column ${j} sum of ${n / per}`, 0, 1e-6);
    }
    const c = x.cumsum(0).toArray();
    let acc = 0;
    for (let i = 0; i < n; i++) acc += xs[i];
    assertClose(c[n - 1], acc, `cumsum end of ${n}`, 0, 1e-6);
  }
};

tests["reduce kernel: the SIMD exp of softmax is accurate over float32's range, subnormals, -inf and NaN"] = () => {
  // row [0, s, s, s] (four lanes: the SIMD body): softmax[1] = e^s / (1 + 3e^s)
  const ss: number[] = [];
  for (let s = -103.5; s <= 0; s += 0.173) ss.push(Math.fround(s));
  const data = ss.flatMap((s) => [0, s, s, s]);
  const y = torch.tensor(data, { shape: [ss.length, 4] }).softmax(1).toArray();
  ss.forEach((s, i) => {
    const e = Math.exp(s), want = e / (1 + 3 * e);
    // normal results to a few ulp; subnormal ones (s < -87.3) to within the smallest normal
    if (s > -87.3) assertClose(y[4 * i + 1], want, `softmax [0, ${s}, …]`, 0, 1e-6);
    else assertClose(y[4 * i + 1], want, `softmax [0, ${s}, …] (subnormal)`, 1.2e-38, 0);
  });
  const special = torch.tensor([[0, -Infinity, -Infinity, 1], [NaN, 0, 0, 0], [-Infinity, -Infinity, -Infinity, -Infinity]]).softmax(1).toArray();
  const e = Math.exp(1);
  assertClose(special, [1 / (1 + e), 0, 0, e / (1 + e), NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN], "-inf, NaN and all -inf rows");
  // exp overflow: a row holding +inf has logsumexp inf (PyTorch takes its max as 0)
  assertEqual(torch.tensor([[Infinity, 80, 80, 80, 80]]).logsumexp(1).item(), Infinity, "logsumexp with +inf");
};
