// The math, comparison and selection kernels against plain-JS references at lengths that
// exercise the SIMD bodies (4 or 16 elements per step) and their scalar tails: same-shape
// rows, a row broadcast against a matrix, a number, and a 0-d tensor on the left (the
// kernels swap it into the right-hand place).
import * as torch from "../../build/torchlet.js";
import { assertClose, assertEqual } from "./assert.ts";
import { LENGTHS, values } from "./kernels.ts";

type Tensor = ReturnType<typeof torch.tensor>;
const f32 = Math.fround;

/** Multiples of 0.5 in [-2, 2]: ties for comparisons, maximum and rounding. */
const halves = (n: number, seed: number) => values(n, seed, -2.49, 2.49).map((v) => Math.round(v * 2) / 2);
const ints = (n: number, seed: number) => Int32Array.from(values(n, seed, -20, 20), Math.trunc);
const bools = (n: number, seed: number) => Uint8Array.from(values(n, seed, 0, 1), (v) => (v < 0.5 ? 1 : 0));
/** A generator whose every seventh value is NaN. */
const withNaN = (gen: (n: number, seed: number) => Float32Array) => (n: number, seed: number) =>
  gen(n, seed).map((v, i) => (i % 7 === 3 ? NaN : v));

/** Round half to even, as torch.round. */
function rint(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

type Unary = [string, (t: Tensor) => Tensor, (x: number) => number, (x: number, y: number) => number, number, number];
const UNARY: Unary[] = [
  ["square", (t) => t.square(), (x) => x * x, (x) => 2 * x, -2, 2],
  ["rsqrt", (t) => t.rsqrt(), (x) => 1 / Math.sqrt(x), (_x, y) => -0.5 * y * y * y, 0.1, 3],
  ["reciprocal", (t) => t.reciprocal(), (x) => 1 / x, (_x, y) => -y * y, 0.2, 3],
  ["sign", (t) => t.sign(), Math.sign, () => 0, -2, 2],
  ["floor", (t) => t.floor(), Math.floor, () => 0, -3, 3],
  ["ceil", (t) => t.ceil(), Math.ceil, () => 0, -3, 3],
  ["round", (t) => t.round(), rint, () => 0, -3, 3],
  ["trunc", (t) => t.trunc(), Math.trunc, () => 0, -3, 3],
  ["sin", (t) => t.sin(), Math.sin, (x) => Math.cos(x), -10, 10],
  ["cos", (t) => t.cos(), Math.cos, (x) => -Math.sin(x), -10, 10],
  ["log1p", (t) => t.log1p(), Math.log1p, (x) => 1 / (1 + x), -0.9, 3],
  ["expm1", (t) => t.expm1(), Math.expm1, (_x, y) => y + 1, -3, 3],
  ["log2", (t) => t.log2(), Math.log2, (x) => 1 / (x * Math.LN2), 0.1, 5],
];

export const tests: Record<string, () => void> = {};

for (const [name, op, ref, dref, lo, hi] of UNARY) {
  tests[`kernel: ${name} forward and backward at every tail length`] = () => torch.tidy(() => {
    for (const n of LENGTHS) {
      // halves land on rounding ties; the rest are spread over the range
      const xs = name === "round" ? halves(n, n + 1) : values(n, n + 1, lo, hi);
      const g = values(n, n + 7);
      const x = torch.tensor(xs, { requiresGrad: true });
      const y = op(x);
      const yv = Array.from(xs, (v) => f32(ref(v)));
      assertClose(y.toArray(), yv, `${name} forward, n=${n}`);
      y.backward(torch.tensor(g));
      assertClose(x.grad!.toArray(), Array.from(xs, (v, i) => g[i] * dref(v, yv[i])), `${name} backward, n=${n}`);
    }
  });
}

tests["kernel: int32 neg, abs, sign, square, clamp at every tail length (exact past 2^24)"] = () => torch.tidy(() => {
  for (const n of LENGTHS) {
    const xs = Int32Array.from(ints(n, n + 3), (v, i) => (i % 5 === 0 ? v * 1000003 : v));
    const x = torch.tensor(xs, { dtype: "int32" });
    const cases: [string, Tensor, (v: number) => number][] = [
      ["neg", x.neg(), (v) => (-v) | 0],
      ["abs", x.abs(), Math.abs],
      ["sign", x.sign(), Math.sign],
      ["square", x.square(), (v) => Math.imul(v, v)],
      ["clamp", x.clamp(-7, 12), (v) => Math.min(Math.max(v, -7), 12)],
      ["clamp(min)", x.clamp(3), (v) => Math.max(v, 3)],
    ];
    for (const [name, out, ref] of cases) {
      assertEqual(out.dtype, "int32", `${name} dtype`);
      assertEqual(Array.from(out.toArray()), Array.from(xs, ref), `${name}, n=${n}`);
    }
  }
});

tests["kernel: float clamp and its backward at every tail length, both bounds and one"] = () => torch.tidy(() => {
  for (const n of LENGTHS) {
    const xs = halves(n, n + 5);
    const g = values(n, n + 9);
    for (const [lo, hi] of [[-1, 1.5], [0, null], [null, -0.5]] as [number | null, number | null][]) {
      const x = torch.tensor(xs, { requiresGrad: true });
      const y = x.clamp(lo, hi);
      const l = lo ?? -Infinity, h = hi ?? Infinity;
      assertClose(y.toArray(), Array.from(xs, (v) => Math.min(Math.max(v, l), h)), `clamp(${lo}, ${hi}) n=${n}`);
      y.backward(torch.tensor(g));
      assertClose(x.grad!.toArray(), Array.from(xs, (v, i) => (v >= l && v <= h ? g[i] : 0)), `clamp(${lo}, ${hi}) grad n=${n}`);
    }
  }
});

interface Operands {
  n: number;
  a: Tensor; av: ArrayLike<number>;     // [3, n]
  b: Tensor; bv: ArrayLike<number>;     // [3, n]
  row: Tensor; rv: ArrayLike<number>;   // [n]
  s: Tensor; sv: number;                // 0-d
}

/** Makes the operands of one dtype for broadcastForms from a value generator. */
function operands(n: number, dtype: "float32" | "int32" | "bool", gen: (n: number, seed: number) => ArrayLike<number>,
  sv: number, grad = false): Operands {
  const av = gen(3 * n, n + 1), bv = gen(3 * n, n + 2), rv = gen(n, n + 3);
  // deno-lint-ignore no-explicit-any
  const make = (v: ArrayLike<number>, shape: number[]) => torch.tensor(v as any, { shape, dtype, requiresGrad: grad });
  return { n, a: make(av, [3, n]), av, b: make(bv, [3, n]), bv, row: make(rv, [n]), rv, s: torch.tensor(sv, { dtype }), sv };
}

/** Runs `op` on [3, n] operands and on the shapes that broadcast against them, against a JS reference. */
function broadcastForms(o: Operands, op: (x: Tensor, y: Tensor) => Tensor, ref: (x: number, y: number) => number,
  what: string, exact: boolean): void {
  const { n, a, av, b, bv, row, rv, s, sv } = o;
  const cmp = (t: Tensor, want: number[], form: string) => {
    if (exact) assertEqual(Array.from(t.toArray()), want, `${what} ${form}, n=${n}`);
    else assertClose(t.toArray(), want, `${what} ${form}, n=${n}`);
  };
  const idx = Array.from({ length: 3 * n }, (_, i) => i);
  cmp(op(a, b), idx.map((i) => ref(av[i], bv[i])), "same shape");
  cmp(op(a, row), idx.map((i) => ref(av[i], rv[i % n])), "row");
  cmp(op(row, a), idx.map((i) => ref(rv[i % n], av[i])), "row on the left");
  cmp(op(a, s), idx.map((i) => ref(av[i], sv)), "0-d right");
  cmp(op(s, a), idx.map((i) => ref(sv, av[i])), "0-d left");
}

const CMPS: [string, (x: number, y: number) => boolean][] = [
  ["eq", (x, y) => x === y], ["ne", (x, y) => x !== y], ["lt", (x, y) => x < y],
  ["le", (x, y) => x <= y], ["gt", (x, y) => x > y], ["ge", (x, y) => x >= y],
];

for (const dtype of ["float32", "int32", "bool"] as const) {
  tests[`kernel: eq ne lt le gt ge on ${dtype} at every tail length (same, row, left row, 0-d both sides, number)`] = () => torch.tidy(() => {
    for (const n of LENGTHS) {
      const gen = dtype === "float32" ? withNaN(halves) : dtype === "int32" ? ints : bools;
      const o = operands(n, dtype, gen, dtype === "int32" ? 1 : dtype === "bool" ? 1 : 0.5);
      for (const [name, ref] of CMPS) {
        // deno-lint-ignore no-explicit-any
        const op = (x: Tensor, y: Tensor | number) => (x as any)[name](y) as Tensor;
        broadcastForms(o, op, (x, y) => (ref(x, y) ? 1 : 0), `${name} ${dtype}`, true);
        assertEqual(Array.from(op(o.a, o.sv).toArray()), Array.from(o.av, (v) => (ref(v, o.sv) ? 1 : 0)), `${name} ${dtype} number, n=${n}`);
      }
    }
  });
}

tests["kernel: logicalAnd / logicalOr / logicalXor / logicalNot at every tail length"] = () => torch.tidy(() => {
  for (const n of LENGTHS) {
    const o = operands(n, "bool", bools, 1);
    const forms: [string, (x: number, y: number) => number][] = [
      ["logicalAnd", (x, y) => x & y], ["logicalOr", (x, y) => x | y], ["logicalXor", (x, y) => x ^ y],
    ];
    for (const [name, ref] of forms) {
      // deno-lint-ignore no-explicit-any
      broadcastForms(o, (x, y) => (x as any)[name](y), ref, name, true);
    }
    assertEqual(Array.from(o.a.logicalNot().toArray()), Array.from(o.av, (v) => 1 - v), `logicalNot, n=${n}`);
  }
});

tests["kernel: maximum and minimum (float32 with NaN, int32) and their backward at every tail length"] = () => torch.tidy(() => {
  for (const n of LENGTHS) {
    for (const isMax of [true, false]) {
      const name = isMax ? "maximum" : "minimum";
      const ref = (x: number, y: number) => (x !== x || y !== y ? NaN : isMax ? Math.max(x, y) : Math.min(x, y));
      // deno-lint-ignore no-explicit-any
      const op = (x: Tensor, y: Tensor) => (x as any)[name](y) as Tensor;
      const o = operands(n, "float32", withNaN(halves), 0.5, true);
      broadcastForms(o, op, ref, `${name} float32`, false);
      // backward of the row form: the winner gets g, ties split it, a NaN on either side wins for both
      const y = op(o.a, o.row);
      const g = values(3 * n, n + 10);
      y.backward(torch.tensor(g, { shape: [3, n] }));
      const share = (v: number, w: number, i: number) => (v === w ? g[i] / 2 : (isMax ? v < w : v > w) ? 0 : g[i]);
      const gr = new Array<number>(n).fill(0);
      Array.from(o.av).forEach((v, i) => { gr[i % n] += share(o.rv[i % n], v, i); });
      assertClose(o.a.grad!.toArray(), Array.from(o.av, (v, i) => share(v, o.rv[i % n], i)), `${name} grad a, n=${n}`);
      assertClose(o.row.grad!.toArray(), gr, `${name} grad row, n=${n}`);
      broadcastForms(operands(n, "int32", ints, 3), op, isMax ? Math.max : Math.min, `${name} int32`, true);
    }
  }
});

tests["kernel: pow with a tensor exponent and its backward at every tail length"] = () => torch.tidy(() => {
  for (const n of LENGTHS) {
    const av = values(3 * n, n + 13, 0.2, 2.5), ev = values(n, n + 14, -2, 2);
    const a = torch.tensor(av, { shape: [3, n], requiresGrad: true });
    const e = torch.tensor(ev, { requiresGrad: true });
    const y = a.pow(e);
    const yv = Array.from(av, (v, i) => v ** ev[i % n]);
    assertClose(y.toArray(), yv, `pow forward, n=${n}`);
    const g = values(3 * n, n + 15);
    y.backward(torch.tensor(g, { shape: [3, n] }));
    assertClose(a.grad!.toArray(), Array.from(av, (v, i) => g[i] * ev[i % n] * v ** (ev[i % n] - 1)), `pow grad base, n=${n}`);
    const ge = new Array<number>(n).fill(0);
    av.forEach((v, i) => { ge[i % n] += g[i] * yv[i] * Math.log(v); });
    assertClose(e.grad!.toArray(), ge, `pow grad exponent, n=${n}`, 1e-4, 1e-3);
    const ai = ints(n, n + 16), ei = Int32Array.from(ints(n, n + 17), (v) => Math.abs(v) % 6);
    const pi = torch.tensor(ai, { dtype: "int32" }).pow(torch.tensor(ei, { dtype: "int32" }));
    assertEqual(Array.from(pi.toArray()), Array.from(ai, (v, i) => Number(BigInt.asIntN(32, BigInt(v) ** BigInt(ei[i])))), `int pow, n=${n}`);
  }
});

tests["kernel: where on 4-byte and 1-byte elements at every tail length (tensors, 0-d and numbers, broadcast)"] = () => torch.tidy(() => {
  for (const n of LENGTHS) {
    const cv = bools(3 * n, n + 18), av = values(3 * n, n + 19), rv = values(n, n + 20);
    const c = torch.tensor(cv, { shape: [3, n], dtype: "bool" });
    const a = torch.tensor(av, { shape: [3, n] }), row = torch.tensor(rv);
    const idx = Array.from({ length: 3 * n }, (_, i) => i);
    const pick = (t: (i: number) => number, f: (i: number) => number) => idx.map((i) => (cv[i] ? t(i) : f(i)));
    assertClose(torch.where(c, a, row).toArray(), pick((i) => av[i], (i) => rv[i % n]), `where a/row, n=${n}`);
    assertClose(torch.where(c, row, a).toArray(), pick((i) => rv[i % n], (i) => av[i]), `where row/a, n=${n}`);
    assertClose(torch.where(c, a, 0.5).toArray(), pick((i) => av[i], () => 0.5), `where a/number, n=${n}`);
    assertClose(torch.where(c, -1.5, a).toArray(), pick(() => -1.5, (i) => av[i]), `where number/a, n=${n}`);
    assertClose(torch.where(c, 2.5, -1.5).toArray(), pick(() => 2.5, () => -1.5), `where numbers, n=${n}`);
    const bv = bools(3 * n, n + 21), brv = bools(n, n + 22);
    const b = torch.tensor(bv, { shape: [3, n], dtype: "bool" }), brow = torch.tensor(brv, { dtype: "bool" });
    assertEqual(Array.from(torch.where(c, b, brow).toArray()), pick((i) => bv[i], (i) => brv[i % n]), `where bool, n=${n}`);
    assertEqual(Array.from(b.maskedFill(c, true).toArray()), pick(() => 1, (i) => bv[i]), `maskedFill bool, n=${n}`);
    const ct = torch.tensor(cv, { shape: [n, 3], dtype: "bool" }).t(); // a strided condition
    const cvt = idx.map((i) => cv[(i % n) * 3 + Math.floor(i / n)]);
    assertClose(torch.where(ct, a, 0).toArray(), idx.map((i) => (cvt[i] ? av[i] : 0)), `where transposed cond, n=${n}`);
  }
});

/** |got − want| in units of float32's spacing at want (0 when both are the same NaN or infinity). */
function ulps(got: number, want: number): number {
  if (Number.isNaN(want) || !Number.isFinite(want)) return Object.is(got, want) || (Number.isNaN(got) && Number.isNaN(want)) ? 0 : Infinity;
  const w = f32(want);
  const spacing = Math.max(Math.abs(f32(w * (1 + 2 ** -23)) - w), 2 ** -149);
  return Math.abs(got - want) / spacing;
}

const lin = (lo: number, hi: number, n: number) => Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
const geo = (lo: number, hi: number, n: number) => Array.from({ length: n }, (_, i) => lo * (hi / lo) ** (i / (n - 1)));
const SPECIALS = [0, -0, NaN, Infinity, -Infinity, 1e-45, -1e-45, 1e-40, 3.4e38, -3.4e38, 1, -1];

// The four-lane polynomials (assembly/vmath.ts) against float64 Math over dense sweeps that
// cross the edges where lanes fall back to Mathf (|x| > 8192 for sin/cos, |x| > 80 for
// expm1, subnormal or non-positive log arguments), special values included.
const SWEEPS: [string, (t: Tensor) => Tensor, (x: number) => number, number[], number][] = [
  ["sin", (t) => t.sin(), Math.sin, [...lin(-10, 10, 40001), ...lin(-9000, 9000, 40001), ...geo(1e-30, 1, 2001), ...SPECIALS], 2],
  // near cos's zeros at large |x| the reduction's 1e-7 absolute error is a few ulp of a small result
  ["cos", (t) => t.cos(), Math.cos, [...lin(-10, 10, 40001), ...lin(-9000, 9000, 40001), ...SPECIALS], 16],
  ["log2", (t) => t.log2(), Math.log2, [...geo(1e-44, 3e38, 40001), ...lin(0.5, 2, 40001), -1, -0.5, ...SPECIALS], 2],
  ["log1p", (t) => t.log1p(), Math.log1p, [...lin(-0.999, 10, 40001), ...geo(1e-30, 1e-2, 4001), ...geo(1e-30, 0.9, 4001).map((v) => -v),
    ...geo(10, 3e38, 4001), -1, -2, ...SPECIALS], 2],
  ["expm1", (t) => t.expm1(), Math.expm1, [...lin(-90, 90, 40001), ...geo(1e-30, 1e-2, 4001), ...geo(1e-30, 1e-2, 4001).map((v) => -v), ...SPECIALS], 2],
];

for (const [name, op, ref, xs, tol] of SWEEPS) {
  tests[`kernel: ${name} within ${tol} ulp of float64 Math over a sweep, special values exact`] = () => torch.tidy(() => {
    const x = Float32Array.from(xs);
    const y = op(torch.tensor(x)).toArray();
    for (let i = 0; i < x.length; i++) {
      const want = ref(x[i]);
      // a result beyond float32's range is the infinity float32 rounds it to
      const err = Math.abs(want) > 3.4028235e38 ? (y[i] === f32(want) ? 0 : Infinity) : ulps(y[i], want);
      if (!(err <= tol)) throw new Error(`${name}(${x[i]}) = ${y[i]}, float64 gives ${want} (${err.toFixed(2)} ulp)`);
    }
  });
}

tests["kernel: operands evicted from wasm memory come back for every op (views included)"] = () => torch.tidy(() => {
  const av = halves(24, 31), bv = halves(6, 32);
  const a = torch.tensor(av, { shape: [4, 6] }), b = torch.tensor(bv), c = a.gt(0), at = a.t();
  const calls: [string, () => Tensor][] = [
    ["gt", () => at.gt(b.unsqueeze(1).expand([6, 4]))], ["where", () => torch.where(c, a, b)], ["maskedFill", () => a.maskedFill(c, 1)],
    ["maximum", () => a.maximum(b)], ["pow", () => a.abs().pow(b)], ["clamp", () => a.clamp(b, 1)], ["sin", () => at.sin()],
    ["logicalAnd", () => c.logicalAnd(c.t().t())],
  ];
  // each op's result on resident operands, then again after sweeps have moved them out
  const want = calls.map(([, f]) => Array.from(f().toArray()));
  const before = torch.memory().evictions;
  for (let i = 0; i < 6; i++) {
    const w = torch.tensor([1], { requiresGrad: true });
    w.mul(2).sum().backward(); // an iteration boundary: a sweep
  }
  assertEqual(torch.memory().evictions > before, true, "operands were evicted");
  const restores = torch.memory().restores;
  calls.forEach(([name, f], i) => assertEqual(Array.from(f().toArray()), want[i], `${name} after eviction`));
  assertEqual(torch.memory().restores >= restores + 3, true, "a, b and c were brought back");
});
