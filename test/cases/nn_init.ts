// nn.init against PyTorch (test/fixtures/nn_init.json, written by test/golden/gen_nn_init.py):
// calculateGain and the deterministic initialisers exactly; the random ones by the bounds and
// stds PyTorch's formulas give (fans, gains), element by element against the generator's own
// stream (torch.rand / torch.randn with the same seed), and by moments over ≥ 10^5 draws;
// truncNormal_ by its bounds and the truncated normal's moments; orthogonal_ by QᵀQ = I and
// by the uniqueness of QR with a positive diagonal (what PyTorch's sign correction gives).
// Moment bounds fail a correct sampler with probability about 1e-6 (4.75σ).
import * as torch from "../../build/torchlet.js";
import fx from "../fixtures/nn_init.json" with { type: "json" };
import { assert, assertClose, assertEqual } from "./assert.ts";

type Tensor = torch.Tensor;
type Generator = InstanceType<typeof torch.Generator>;
const init = torch.nn.init;
const Z = 4.75;

interface Draw { fn: string; shape: number[]; options: Record<string, unknown>; kind: "uniform" | "normal"; low?: number; high?: number; mean?: number; std?: number }
interface Fixed { fn: string; args: number[]; dtype: "float32" | "int32" | "bool"; shape: number[]; values: number[] }
interface Truncated { options: Record<string, number | string>; lo: number | string; hi: number; mean: number; std: number; sampleMean: number; sampleStd: number }
const data = fx as unknown as { gains: [string, number | null, number][]; draws: Draw[]; fixed: Fixed[]; truncated: Truncated[] };

const seeded = (s: number): Generator => new torch.Generator().manualSeed(s);
const num = (v: number | string): number => (v === "-inf" ? -Infinity : v === "inf" ? Infinity : (v as number));
// deno-lint-ignore no-explicit-any
const initFn = (name: string) => (init as any)[name] as (t: Tensor, o?: unknown) => Tensor;

function stats(v: ArrayLike<number>): { mean: number; std: number; min: number; max: number } {
  let s = 0, min = Infinity, max = -Infinity;
  for (let i = 0; i < v.length; i++) { s += v[i]; min = Math.min(min, v[i]); max = Math.max(max, v[i]); }
  const mean = s / v.length;
  let m2 = 0;
  for (let i = 0; i < v.length; i++) m2 += (v[i] - mean) ** 2;
  return { mean, std: Math.sqrt(m2 / v.length), min, max };
}

export const tests: Record<string, () => void> = {
  "nn.init.calculateGain equals PyTorch's calculate_gain exactly": () => {
    for (const [name, param, want] of data.gains) {
      const got = param === null ? init.calculateGain(name as never) : init.calculateGain(name as never, param);
      assertEqual(got, want, `calculateGain(${JSON.stringify(name)}${param === null ? "" : `, ${param}`})`);
    }
  },
};

for (const [i, d] of data.draws.entries()) {
  const what = `${d.fn}(${JSON.stringify(d.shape)}, ${JSON.stringify(d.options)})`;
  tests[`nn.init: ${what} draws from PyTorch's ${d.kind === "uniform" ? `U(${d.low!.toPrecision(6)}, ${d.high!.toPrecision(6)})` : `N(${d.mean}, ${d.std!.toPrecision(6)}²)`}`] = () => {
    const t = torch.zeros(d.shape);
    const ret = initFn(d.fn)(t, { ...d.options, generator: seeded(100 + i) });
    assert(ret === t, "returns the tensor it filled");
    const got = t.toArray() as Float32Array;
    // element by element: the same seed's stream through PyTorch's bounds
    const n = got.length;
    if (d.kind === "uniform") {
      const lo = d.low!, hi = d.high!;
      const u = torch.rand([n], { generator: seeded(100 + i) }).toArray();
      const want = Float32Array.from(u, (x) => lo + (hi - lo) * x);
      assertClose(got, want, `${what}: values`, 1e-6 * (hi - lo), 0);
      const s = stats(got), w = hi - lo;
      assert(s.min >= Math.fround(lo) && s.max <= Math.fround(hi), `${what}: values in [${lo}, ${hi}], got [${s.min}, ${s.max}]`);
      assert(s.min - lo < 1e-3 * w && hi - s.max < 1e-3 * w, `${what}: draws reach the bounds (min ${s.min}, max ${s.max})`);
      assert(Math.abs(s.mean - (lo + hi) / 2) < Z * w / Math.sqrt(12 * n), `${what}: mean ${s.mean}`);
      assert(Math.abs(s.std ** 2 / (w * w / 12) - 1) < Z * Math.sqrt(0.8 / n), `${what}: variance ${s.std ** 2} vs ${w * w / 12}`);
    } else {
      const mean = d.mean!, std = d.std!;
      const z = torch.randn([n], { generator: seeded(100 + i) }).toArray();
      const want = Float32Array.from(z, (x) => mean + std * x);
      assertClose(got, want, `${what}: values`, 1e-6 * std * 8, 1e-6);
      const s = stats(got);
      assert(Math.abs(s.mean - mean) < Z * std / Math.sqrt(n), `${what}: mean ${s.mean}`);
      assert(Math.abs(s.std / std - 1) < Z / Math.sqrt(2 * n), `${what}: std ${s.std} vs ${std}`);
    }
    // the default generator, seeded by torch.manualSeed, draws the same
    torch.manualSeed(100 + i);
    const t2 = initFn(d.fn)(torch.zeros(d.shape), d.options);
    assertEqual(Array.from(t2.toArray()), Array.from(got), `${what}: torch.manualSeed(${100 + i}) gives the generator's draws`);
  };
}

for (const f of data.fixed) {
  const what = `${f.fn}(${f.dtype} ${JSON.stringify(f.shape)}${f.args.length ? `, ${f.args[0]}` : ""})`;
  tests[`nn.init: ${what} writes PyTorch's values`] = () => {
    const t = torch.full(f.shape, 7, { dtype: f.dtype });
    const ret = initFn(f.fn)(t, ...(f.args as never[]));
    assert(ret === t, "returns the tensor it filled");
    assertEqual(Array.from(t.toArray()), f.values, what);
  };
}

for (const [i, c] of data.truncated.entries()) {
  const options = Object.fromEntries(Object.entries(c.options).map(([k, v]) => [k, num(v)]));
  tests[`nn.init: truncNormal_(${JSON.stringify(c.options)}) stays in [${c.lo}, ${c.hi}] with the truncated normal's moments`] = () => {
    const n = 100_000;
    const t = init.truncNormal_(torch.zeros([n]), { ...options, generator: seeded(7 + i) });
    const s = stats(t.toArray());
    assert(s.min >= num(c.lo) && s.max <= c.hi, `values in [${c.lo}, ${c.hi}], got [${s.min}, ${s.max}]`);
    // the variance of a truncated normal's sample: its kurtosis is at most 3
    assert(Math.abs(s.mean - c.mean) < Z * c.std / Math.sqrt(n), `mean ${s.mean} vs ${c.mean}`);
    assert(Math.abs(s.std ** 2 / c.std ** 2 - 1) < Z * Math.sqrt(2 / n), `std ${s.std} vs ${c.std}`);
    assert(Math.abs(s.mean - c.sampleMean) < Z * c.std * Math.sqrt(1 / n + 1e-6), `mean ${s.mean} vs PyTorch's sample ${c.sampleMean}`);
  };
}

/** C = Aᵀ·B for row-major A [k, m] and B [k, n], in f64. */
function atb(a: ArrayLike<number>, b: ArrayLike<number>, k: number, m: number, n: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let r = 0; r < k; r++) for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) c[i * n + j] += a[r * m + i] * b[r * n + j];
  return c;
}

const transposed = (a: ArrayLike<number>, r: number, c: number): Float64Array => {
  const out = new Float64Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = a[i * c + j];
  return out;
};

for (const [shape, gain] of [[[5, 3], 1], [[3, 5], 1], [[4, 4], 1], [[6, 2, 3], 2], [[2, 3, 4], 1], [[64, 128], 5 / 3], [[100, 30], 1]] as [number[], number][]) {
  tests[`nn.init: orthogonal_(${JSON.stringify(shape)}, gain ${gain.toFixed(3)}) is PyTorch's Q: orthonormal, R = QᵀA upper triangular with a positive diagonal`] = () => {
    const rows = shape[0], cols = shape.reduce((p, s) => p * s, 1) / rows;
    const t = torch.zeros(shape);
    assert(init.orthogonal_(t, { gain, generator: seeded(11) }) === t, "returns the tensor it filled");
    const w = Float64Array.from(t.toArray(), (x) => x / gain);
    const a = torch.randn([rows, cols], { generator: seeded(11) }).toArray(); // the matrix orthogonal_ drew
    // the tall orientation: Q [m, n] with m ≥ n, and the matrix it factors
    const tall = rows >= cols;
    const [m, n] = tall ? [rows, cols] : [cols, rows];
    const q = tall ? w : transposed(w, rows, cols);
    const am = tall ? a : transposed(a, rows, cols);
    const qtq = atb(q, q, m, n, n);
    assertClose(qtq, Array.from({ length: n * n }, (_, k) => (k % (n + 1) === 0 ? 1 : 0)), "QᵀQ = I", 3e-6 * Math.sqrt(m), 0);
    const r = atb(q, am, m, n, n);
    let scale = 0;
    for (const x of am) scale = Math.max(scale, Math.abs(x));
    for (let i = 0; i < n; i++) {
      assert(r[i * n + i] > 0, `R[${i}][${i}] = ${r[i * n + i]} > 0 (PyTorch's sign correction)`);
      for (let j = 0; j < i; j++) assert(Math.abs(r[i * n + j]) < 1e-5 * scale * Math.sqrt(m), `R[${i}][${j}] = ${r[i * n + j]} ≈ 0`);
    }
  };
}

Object.assign(tests, {
  "nn.init: a parameter is filled in place under noGrad: still a leaf that requires grad, no grad, trains afterwards": () => {
    const lin = new torch.nn.Linear(4, 3);
    const w = lin.weight;
    assert(init.xavierUniform_(w, { generator: seeded(1) }) === w, "returns the parameter");
    init.zeros_(lin.bias!);
    assert(w.isLeaf && w.requiresGrad && w.grad === null, "a leaf that requires grad, no grad");
    assertEqual(Array.from(lin.bias!.toArray()), [0, 0, 0], "bias zeroed");
    lin.forward(torch.ones([2, 4])).sum().backward();
    assertEqual(Array.from(lin.bias!.grad!.toArray()), [2, 2, 2], "the bias' grad after a backward");
  },

  "nn.init: a view is filled through to its base; other elements stay": () => {
    const base = torch.zeros([3, 4]);
    init.constant_(base.index(1), 5);
    init.ones_(base.index(":", 3));
    assertEqual(Array.from(base.toArray()), [0, 0, 0, 1, 5, 5, 5, 1, 0, 0, 0, 1], "row 1 then column 3");
    const t = torch.zeros([4, 6]);
    init.uniform_(t.t(), { a: -1, b: 1, generator: seeded(2) }); // a transposed view: PyTorch's row-major order of the view
    const want = torch.rand([6, 4], { generator: seeded(2) }).mul(2).sub(1).t().contiguous().toArray();
    assertClose(t.toArray(), want, "uniform_ through a transposed view", 1e-6, 0);
  },

  "nn.init: kaiming on a tensor with a 0 in its shape is a no-op (PyTorch warns); the stream does not move": () => {
    const g = seeded(3);
    const before = g.getState();
    const t = torch.zeros([0, 5]);
    assert(init.kaimingUniform_(t, { generator: g }) === t && init.kaimingNormal_(t, { generator: g }) === t, "returns the tensor");
    assertEqual(Array.from(g.getState()), Array.from(before), "generator state unchanged");
  },

  "nn.init: the same seed gives the same initialisation; the generator's stream moves by one draw per element": () => {
    const a = init.kaimingNormal_(torch.zeros([8, 5]), { generator: seeded(9) });
    const b = init.kaimingNormal_(torch.zeros([8, 5]), { generator: seeded(9) });
    assertEqual(Array.from(a.toArray()), Array.from(b.toArray()), "same seed, same values");
    const g = seeded(9);
    init.uniform_(torch.zeros([10]), { generator: g });
    assertEqual(Array.from(torch.rand([3], { generator: g }).toArray()), Array.from(torch.rand([13], { generator: seeded(9) }).toArray().slice(10)), "10 draws consumed");
  },
});
