// torch.Generator and the random creation functions, by their properties (torchlet's
// streams are its own, so PyTorch has no numbers to compare): determinism for a seed,
// independence of generators, state round trips, and the distributions — moments and
// Kolmogorov–Smirnov distances of 10^5 draws, chi-square counts for randint and randperm.
// Bounds are set where a correct generator fails with probability about 1e-6 (4.75σ).
import * as torch from "../../build/torchlet.js";
import { assert, assertEqual, assertThrows } from "./assert.ts";

type Generator = InstanceType<typeof torch.Generator>;
const N = 100_000;
const Z = 4.75; // standard normal quantile of 1 − 1e-6

const arr = (t: { toArray(): ArrayLike<number> }): number[] => Array.from(t.toArray());

/** Upper 1e-6 quantile of chi-square with `df` degrees of freedom (Wilson–Hilferty). */
function chi2Bound(df: number): number {
  const a = 2 / (9 * df);
  return df * (1 - a + Z * Math.sqrt(a)) ** 3;
}

function chi2(counts: number[], expected: number): number {
  return counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
}

function moments(v: number[]): { mean: number; variance: number; skew: number; kurtosis: number } {
  const n = v.length;
  const mean = v.reduce((s, x) => s + x, 0) / n;
  let m2 = 0, m3 = 0, m4 = 0;
  for (const x of v) { const d = x - mean; m2 += d * d; m3 += d * d * d; m4 += d * d * d * d; }
  m2 /= n; m3 /= n; m4 /= n;
  return { mean, variance: m2, skew: m3 / m2 ** 1.5, kurtosis: m4 / (m2 * m2) };
}

/** Kolmogorov–Smirnov distance between the sample and a CDF. */
function ksDistance(v: number[], cdf: (x: number) => number): number {
  const s = v.slice().sort((a, b) => a - b);
  let d = 0;
  for (let i = 0; i < s.length; i++) {
    const f = cdf(s[i]);
    d = Math.max(d, Math.abs(f - i / s.length), Math.abs((i + 1) / s.length - f));
  }
  return d;
}

/** The KS bound for p ≈ 1e-6: sqrt(−ln(p/2) / (2n)). */
const ksBound = (n: number): number => Math.sqrt(-Math.log(0.5e-6) / (2 * n));

/** Φ(x) via erf (Abramowitz–Stegun 7.1.26, |error| < 1.5e-7). */
function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const erf = 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

function seeded(seed: number): Generator {
  return new torch.Generator().manualSeed(seed);
}

export const tests: Record<string, () => void> = {
  "Generator: the same seed gives the same numbers, from a Generator and from torch.manualSeed": () => {
    for (const seed of [0, 7, 123456789]) {
      const a = seeded(seed), b = seeded(seed);
      assertEqual(arr(torch.rand([50], { generator: a })), arr(torch.rand([50], { generator: b })), `rand, seed ${seed}`);
      assertEqual(arr(torch.randn([50], { generator: a })), arr(torch.randn([50], { generator: b })), `randn, seed ${seed}`);
      assertEqual(arr(torch.randint(-5, 5, [50], { generator: a })), arr(torch.randint(-5, 5, [50], { generator: b })), `randint, seed ${seed}`);
      assertEqual(arr(torch.randperm(50, { generator: a })), arr(torch.randperm(50, { generator: b })), `randperm, seed ${seed}`);
      const g = seeded(seed);
      const x = arr(torch.randn([20], { generator: g }));
      torch.manualSeed(seed);
      assertEqual(arr(torch.randn([20])), x, `torch.manualSeed(${seed}) and Generator().manualSeed(${seed})`);
    }
    const a = arr(torch.rand([20], { generator: seeded(1) }));
    const b = arr(torch.rand([20], { generator: seeded(2) }));
    assert(a.some((x, i) => x !== b[i]), "seeds 1 and 2 give different numbers");
  },

  "Generator: manualSeed returns the generator; initialSeed; a new Generator starts from PyTorch's default seed": () => {
    const g = new torch.Generator();
    assertEqual(g.manualSeed(5), g, "manualSeed returns this");
    assertEqual(g.initialSeed(), 5, "initialSeed after manualSeed(5)");
    assertEqual(new torch.Generator().initialSeed(), 67280421310721, "a new generator's seed");
    assertEqual(arr(torch.rand([8], { generator: new torch.Generator() })),
      arr(torch.rand([8], { generator: seeded(67280421310721) })), "new Generator() = manualSeed(67280421310721)");
    assertEqual(torch.manualSeed(3), torch.defaultGenerator, "torch.manualSeed returns the default generator");
    assertEqual(torch.initialSeed(), 3, "torch.initialSeed()");
    torch.manualSeed(4.9);
    assertEqual(torch.initialSeed(), 4, "torch.manualSeed truncates a fractional seed, as Python's int()");
  },

  "Generator: seed() draws a fresh seed and reports it": () => {
    const g = new torch.Generator();
    const s1 = g.seed();
    assert(Number.isSafeInteger(s1) && s1 >= 0, `seed() returns a non-negative safe integer, got ${s1}`);
    assertEqual(g.initialSeed(), s1, "initialSeed() after seed()");
    const x = arr(torch.rand([5], { generator: g }));
    assertEqual(arr(torch.rand([5], { generator: seeded(s1) })), x, "seed() seeds as manualSeed(seed()) would");
    const s2 = g.seed();
    assert(s2 !== s1, `two seed() calls give different seeds (${s1}, ${s2})`);
    const s3 = torch.seed();
    assertEqual(torch.initialSeed(), s3, "torch.seed() seeds the default generator");
  },

  "Generator: two generators are independent of each other and of the default generator": () => {
    const alone = arr(torch.randn([30], { generator: seeded(11) }));
    torch.manualSeed(99);
    const defaultAlone = arr(torch.rand([30]));
    torch.manualSeed(99);
    const a = seeded(11), b = seeded(11);
    const interleaved: number[] = [];
    for (let i = 0; i < 30; i++) {
      interleaved.push(torch.randn([1], { generator: a }).item());
      torch.rand([3], { generator: b }); // draws from b move only b
      torch.randperm(4, { generator: b });
    }
    assertEqual(interleaved, alone, "a's stream does not depend on draws from b");
    assertEqual(arr(torch.rand([30])), defaultAlone, "the default generator did not move");
    // seeds 1 and 2 give uncorrelated streams
    const u = arr(torch.rand([N], { generator: seeded(1) })), v = arr(torch.rand([N], { generator: seeded(2) }));
    let sxy = 0;
    for (let i = 0; i < N; i++) sxy += (u[i] - 0.5) * (v[i] - 0.5);
    const r = sxy / N / (1 / 12);
    assert(Math.abs(r) < Z / Math.sqrt(N), `correlation of seeds 1 and 2 is ${r}`);
  },

  "Generator: getState/setState round trip, structured clone, copying a stream": () => {
    const g = seeded(2024);
    torch.rand([7], { generator: g });
    const state = g.getState();
    assert(state instanceof Uint8Array, "getState() returns a Uint8Array");
    const first = arr(torch.randn([10], { generator: g }));
    const more = arr(torch.randint(0, 100, [10], { generator: g }));
    g.setState(state);
    assertEqual(arr(torch.randn([10], { generator: g })), first, "draws repeat after setState");
    assertEqual(arr(torch.randint(0, 100, [10], { generator: g })), more, "and keep repeating");
    const cloned = structuredClone(state);
    const h = new torch.Generator();
    assertEqual(h.setState(cloned), h, "setState returns the generator");
    assertEqual(h.initialSeed(), 2024, "the state carries the seed");
    assertEqual(arr(torch.randn([10], { generator: h })), first, "another generator continues the stream from a structured clone");
    state.fill(0); // the state is a copy: changing it changes no generator
    assertEqual(arr(torch.randint(0, 100, [10], { generator: h })), more, "the generator kept its own copy");
    const saved = torch.getRngState();
    const x = arr(torch.rand([5]));
    torch.setRngState(saved);
    assertEqual(arr(torch.rand([5])), x, "torch.getRngState/setRngState on the default generator");
  },

  "Generator: bad seeds and states are refused, and the generator is unchanged": () => {
    const g = seeded(8);
    const state = g.getState();
    const good = g.getState();
    const bad: [unknown, RegExp][] = [
      [new Uint8Array(27), /size 28.*size to be 27/],
      [Array.from(good), /must be a Uint8Array/],
      [new Float32Array(28), /must be a Uint8Array/],
      [Uint8Array.from(good, (b, i) => (i === 0 ? 0 : b)), /not a torchlet generator state/],
      [Uint8Array.from(good, (b, i) => (i >= 12 ? 0 : b)), /all zero/],
      [(() => { const s = good.slice(); new DataView(s.buffer).setFloat64(4, 1.5, true); return s; })(), /seed is 1\.5/],
    ];
    for (const [s, re] of bad) {
      // deno-lint-ignore no-explicit-any
      assertThrows(() => g.setState(s as any), re, `setState(${Object.prototype.toString.call(s)})`);
      assertEqual(Array.from(g.getState()), Array.from(state), "state unchanged");
    }
    for (const seed of [1.5, NaN, Infinity, "3"]) {
      // deno-lint-ignore no-explicit-any
      assertThrows(() => g.manualSeed(seed as any), /manual_seed expected a long/, `manualSeed(${String(seed)})`);
      assertEqual(Array.from(g.getState()), Array.from(state), "state unchanged");
    }
    assertThrows(() => torch.rand([2], { generator: 5 as never }), /generator must be a torch\.Generator/, "generator: 5");
    assertThrows(() => torch.randint(0, 3, [2], { generatr: g } as never), /unknown option "generatr".*did you mean "generator"/, "misspelt option");
  },

  "rand: 10^5 draws are uniform on [0, 1) (moments, KS distance, 24-bit float32 values)": () => {
    for (const seed of [0, 1, 2]) {
      const v = arr(torch.rand([N], { generator: seeded(seed) }));
      assert(v.every((x) => x >= 0 && x < 1 && Number.isInteger(x * 16777216)), "values in [0, 1), multiples of 2^-24");
      const m = moments(v);
      assert(Math.abs(m.mean - 0.5) < Z * Math.sqrt(1 / 12 / N), `seed ${seed}: mean ${m.mean}`);
      // Var of the sample variance of U(0, 1): (1/80 − 1/144) / n
      assert(Math.abs(m.variance - 1 / 12) < Z * Math.sqrt((1 / 80 - 1 / 144) / N), `seed ${seed}: variance ${m.variance}`);
      const d = ksDistance(v, (x) => Math.min(1, Math.max(0, x)));
      assert(d < ksBound(N), `seed ${seed}: KS distance ${d} ≥ ${ksBound(N)}`);
    }
  },

  "randn: 10^5 draws are standard normal (moments, KS distance)": () => {
    for (const seed of [0, 1, 2]) {
      const v = arr(torch.randn([N], { generator: seeded(seed) }));
      const m = moments(v);
      assert(Math.abs(m.mean) < Z / Math.sqrt(N), `seed ${seed}: mean ${m.mean}`);
      assert(Math.abs(m.variance - 1) < Z * Math.sqrt(2 / N), `seed ${seed}: variance ${m.variance}`);
      assert(Math.abs(m.skew) < Z * Math.sqrt(6 / N), `seed ${seed}: skewness ${m.skew}`);
      assert(Math.abs(m.kurtosis - 3) < Z * Math.sqrt(24 / N), `seed ${seed}: kurtosis ${m.kurtosis}`);
      const d = ksDistance(v, normalCdf);
      assert(d < ksBound(N), `seed ${seed}: KS distance ${d} ≥ ${ksBound(N)}`);
    }
  },

  "randLike/randnLike draw like rand/randn, from the given generator": () => {
    const x = torch.zeros([3, 4]);
    assertEqual(arr(torch.randLike(x, { generator: seeded(5) })), arr(torch.rand([3, 4], { generator: seeded(5) })), "randLike");
    assertEqual(arr(torch.randnLike(x.t(), { generator: seeded(5) })), arr(torch.randn([4, 3], { generator: seeded(5) })), "randnLike of a view");
  },

  "randint: covers [low, high) uniformly (chi-square), bounds hit exactly": () => {
    for (const [low, high] of [[-3, 4], [0, 10], [5, 6], [0, 2]]) {
      const v = arr(torch.randint(low, high, [N], { generator: seeded(high) }));
      const k = high - low;
      const counts = new Array<number>(k).fill(0);
      for (const x of v) {
        assert(Number.isInteger(x) && x >= low && x < high, `randint(${low}, ${high}) drew ${x}`);
        counts[x - low]++;
      }
      assert(counts.every((c) => c > 0), `every value of [${low}, ${high}) drawn`);
      if (k > 1) {
        const c2 = chi2(counts, N / k);
        assert(c2 < chi2Bound(k - 1), `randint(${low}, ${high}): chi-square ${c2} ≥ ${chi2Bound(k - 1)} (counts ${counts})`);
      }
    }
  },

  "randint: wide ranges are unbiased (2^32 values; 3·10^9 values, where x mod n would be biased)": () => {
    for (const [low, high] of [[-(2 ** 31), 2 ** 31], [-1_500_000_000, 1_500_000_000], [0, 2 ** 31 - 1]]) {
      const v = arr(torch.randint(low, high, [N], { generator: seeded(17) }));
      const bins = 16, counts = new Array<number>(bins).fill(0);
      for (const x of v) {
        assert(Number.isInteger(x) && x >= low && x < high, `randint(${low}, ${high}) drew ${x}`);
        counts[Math.floor(((x - low) / (high - low)) * bins)]++;
      }
      const c2 = chi2(counts, N / bins);
      assert(c2 < chi2Bound(bins - 1), `randint(${low}, ${high}): chi-square over 16 bins ${c2} ≥ ${chi2Bound(bins - 1)} (counts ${counts})`);
    }
  },

  "randint: float32 and bool results, randint(high, shape)": () => {
    const f = arr(torch.randint(-4, 4, [1000], { dtype: "float32", generator: seeded(1) }));
    assert(f.every((x) => Number.isInteger(x) && x >= -4 && x < 4), "float32 randint values are whole numbers in range");
    assertEqual(f, arr(torch.randint(-4, 4, [1000], { generator: seeded(1) })), "the dtype changes the type, not the draws");
    const b = arr(torch.randint(0, 2, [1000], { dtype: "bool", generator: seeded(1) }));
    assert(b.includes(0) && b.includes(1) && b.every((x) => x === 0 || x === 1), "bool randint gives both values");
    assertEqual(arr(torch.randint(6, [40], { generator: seeded(3) })), arr(torch.randint(0, 6, [40], { generator: seeded(3) })), "randint(high, shape)");
  },

  "randperm: always a permutation; every permutation of 3 and of 4 equally likely; positions uniform for 10": () => {
    for (const n of [0, 1, 2, 5, 1000]) {
      const p = arr(torch.randperm(n, { generator: seeded(n) }));
      assertEqual(p.slice().sort((a, b) => a - b), Array.from({ length: n }, (_, i) => i), `randperm(${n}) is a permutation`);
    }
    for (const [n, draws] of [[3, 30_000], [4, 48_000]]) {
      const g = seeded(n * 101);
      const counts = new Map<string, number>();
      for (let i = 0; i < draws; i++) {
        const t = torch.randperm(n, { generator: g });
        const key = arr(t).join(",");
        t.dispose();
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      const perms = n === 3 ? 6 : 24;
      assertEqual(counts.size, perms, `all ${perms} permutations of ${n} drawn`);
      const c2 = chi2([...counts.values()], draws / perms);
      assert(c2 < chi2Bound(perms - 1), `randperm(${n}): chi-square ${c2} ≥ ${chi2Bound(perms - 1)}`);
    }
    const g = seeded(10);
    const cells = new Array<number>(100).fill(0);
    const draws = 10_000;
    for (let i = 0; i < draws; i++) {
      const t = torch.randperm(10, { generator: g });
      arr(t).forEach((v, pos) => cells[v * 10 + pos]++);
      t.dispose();
    }
    // rows of the value×position table are not independent; the bound for 81 dof ((10−1)²) holds
    const c2 = chi2(cells, draws / 10);
    assert(c2 < chi2Bound(81), `randperm(10): value-by-position chi-square ${c2} ≥ ${chi2Bound(81)}`);
  },

  "kernels: every length (SIMD tails 0…1023) continues one stream; single draws equal bulk draws": () => {
    const LENGTHS = [0, 1, 3, 4, 5, 15, 16, 17, 1023];
    const total = LENGTHS.reduce((a, b) => a + b, 0);
    for (const [name, draw] of [
      ["rand", (n: number, g: Generator) => torch.rand([n], { generator: g })],
      ["randn", (n: number, g: Generator) => torch.randn([n], { generator: g })],
      ["randint", (n: number, g: Generator) => torch.randint(-7, 1000, [n], { generator: g })],
    ] as const) {
      const whole = arr(draw(total, seeded(31)));
      const g = seeded(31);
      const pieces = LENGTHS.flatMap((n) => arr(draw(n, g)));
      assertEqual(pieces, whole, `${name}: draws of lengths ${LENGTHS} continue the stream of one draw of ${total}`);
    }
    for (const n of LENGTHS) {
      const p = arr(torch.randperm(n, { generator: seeded(n) }));
      assertEqual(p.slice().sort((a, b) => a - b), Array.from({ length: n }, (_, i) => i), `randperm(${n})`);
    }
    // deno-lint-ignore no-explicit-any
    const one = seeded(9) as any;
    const singles = [
      ...Array.from({ length: 5 }, () => one.nextFloat32()),
      ...Array.from({ length: 5 }, () => one.nextNormal()),
      ...Array.from({ length: 5 }, () => one.nextBelow(1000)),
      ...Array.from({ length: 5 }, () => one.nextBelow(2 ** 32)),
    ];
    const h = seeded(9); // the same draws in bulk, in the same order
    const bulk = [
      ...arr(torch.rand([5], { generator: h })),
      ...arr(torch.randn([5], { generator: h })),
      ...arr(torch.randint(0, 1000, [5], { generator: h })),
      ...arr(torch.randint(-(2 ** 31), 2 ** 31, [5], { generator: h })).map((x) => x + 2 ** 31),
    ];
    assertEqual(singles, bulk, "nextFloat32/nextNormal/nextBelow draw what rand/randn/randint draw");
  },

  "Generator internals for nn.init and DataLoader: fillUniform/fillNormal write views in order, nextBelow, permutation": () => {
    // deno-lint-ignore no-explicit-any
    const g = seeded(6) as any;
    const base = torch.zeros([3, 4]);
    const view = base.t(); // [4, 3], strided
    g.fillUniform(view, -2, 2);
    // deno-lint-ignore no-explicit-any
    const want = arr(torch.rand([4, 3], { generator: seeded(6) }).mul(4).sub(2) as any);
    const got = arr(view.contiguous());
    got.forEach((x, i) => assert(Math.abs(x - want[i]) < 1e-6, `fillUniform on a view, element ${i}: ${x} vs ${want[i]}`));
    g.fillNormal(base, 1, 0);
    assert(arr(base).every((x) => x === 1), "fillNormal(t, mean 1, std 0) writes the mean everywhere");
    const h = seeded(4);
    const p = (h as unknown as { permutation(n: number): Int32Array }).permutation(6);
    assertEqual(Array.from(p), arr(torch.randperm(6, { generator: seeded(4) })), "permutation(n) is randperm's draw");
    const k = seeded(4) as unknown as { nextBelow(n: number): number; nextFloat32(): number };
    for (let i = 0; i < 1000; i++) { const x = k.nextBelow(3); assert(x === 0 || x === 1 || x === 2, `nextBelow(3) drew ${x}`); }
    const f = k.nextFloat32();
    assert(f >= 0 && f < 1 && Math.fround(f) === f, "nextFloat32 is a float32 in [0, 1)");
  },
};
