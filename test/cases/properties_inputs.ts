// Random inputs for the property tests (properties_elementwise.ts, properties_reduce.ts):
// shapes of rank 0–4 with dims 0–5 (and a few long rows, to cross the SIMD kernels' tails),
// broadcastable shape sets made by dropping leading dims and setting dims to 1, values of
// each dtype (negative, zero, tiny, large, whole and half numbers; NaN and ±Infinity where a
// property asks), and views as inputs: the tensor is built as a leaf of another shape and
// reached through transpose, a slice with a step, or expand (up to two of them), so that
// its logical values are known and the leaf's gradient is the logical one scattered back.
//
// Exports no tests. fast-check is imported by its package name (see scheduler_state_props.ts).
import fc from "fast-check";
import * as torch from "../../build/torchlet.js";
import { AssertionError } from "./assert.ts";
import { type DType, mismatch, numel, stridesOf, type Tolerance } from "./reference.ts";

export type Tensor = ReturnType<typeof torch.tensor>;

// ---- shapes -------------------------------------------------------------------------------

/** A dim of a small shape: 0 now and then, mostly 1–5. */
const DIM = fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 12, arbitrary: fc.integer({ min: 1, max: 5 }) });
/** Row lengths around the 4-lane SIMD blocks and the kernels' longer blocks. */
const LONG = fc.constantFrom(7, 15, 16, 17, 31, 33, 64, 65, 127, 1023);

/** A shape of rank 0–4 with dims 0–5, or now and then one long dim among dims 1–3. */
export const shapeArb: fc.Arbitrary<number[]> = fc.oneof(
  { weight: 10, arbitrary: fc.array(DIM, { minLength: 0, maxLength: 4 }) },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 1 }), LONG, fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 1 }))
      .map(([a, n, b]) => [...a, n, ...b]),
  },
);

/** How an operand's shape derives from the full shape: leading dims dropped, some dims set to 1. */
const SHAPE_CUT = fc.record({ drop: fc.nat(), ones: fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 4 }) });

function cut(full: readonly number[], c: { drop: number; ones: number[] }): number[] {
  // drop leading dims in one case out of three, dims become 1 in one case out of four
  const drop = c.drop % 3 === 0 ? c.drop % (full.length + 1) : 0;
  return full.slice(drop).map((d, i) => (c.ones[i] === 0 ? 1 : d));
}

/** `count` shapes that broadcast together (and their full shape). */
export function broadcastShapesArb(count: number): fc.Arbitrary<number[][]> {
  return fc.tuple(shapeArb, fc.array(SHAPE_CUT, { minLength: count, maxLength: count }))
    .map(([full, cuts]) => cuts.map((c) => cut(full, c)));
}

// ---- values -------------------------------------------------------------------------------

/**
 * Reals spread evenly over [lo, hi]. (fc.double spreads over the doubles' bit patterns, so
 * nearly all of its values in [-10, 10] are tiny or at the bounds.)
 */
const uniform = (lo: number, hi: number): fc.Arbitrary<number> =>
  fc.integer({ min: 0, max: 2 ** 30 }).map((k) => lo + (hi - lo) * (k / 2 ** 30));

/** float32 values spread over [min, max]. */
const f32 = (min: number, max: number): fc.Arbitrary<number> => uniform(min, max).map(Math.fround);

/** ±10^e for e spread over [lo, hi], as float32. */
const magnitude = (lo: number, hi: number): fc.Arbitrary<number> =>
  fc.tuple(fc.boolean(), uniform(lo, hi)).map(([neg, e]) => Math.fround((neg ? -1 : 1) * 10 ** e));

/** What values a float input holds. */
export type Profile =
  /** moderate, whole and half numbers (ties), ±0, tiny (1e-15…1e-5), subnormal, large (1e3…1e8) */
  | "general"
  /** |x| in [0.8, 1.25], ±1 and now and then 0: products that stay in float32's range */
  | "near1"
  /** exponents: |e| ≤ 4, whole and half numbers among them */
  | "exponent";

const GENERAL: fc.WeightedArbitrary<number>[] = [
  { weight: 24, arbitrary: f32(-10, 10) },
  { weight: 12, arbitrary: fc.integer({ min: -8, max: 8 }).map((k) => k / 2) },
  { weight: 4, arbitrary: fc.constantFrom(0, -0) },
  { weight: 4, arbitrary: magnitude(-15, -5) },
  { weight: 4, arbitrary: magnitude(3, 8) },
  { weight: 1, arbitrary: magnitude(-44.5, -38.5) },
];
const SPECIAL: fc.WeightedArbitrary<number> = { weight: 4, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity) };

const PROFILES: Record<Profile, fc.WeightedArbitrary<number>[]> = {
  general: GENERAL,
  near1: [
    { weight: 8, arbitrary: fc.tuple(fc.boolean(), f32(0.8, 1.25)).map(([neg, v]) => (neg ? -v : v)) },
    { weight: 2, arbitrary: fc.constantFrom(1, -1) },
    { weight: 1, arbitrary: fc.constant(0) },
  ],
  exponent: [
    { weight: 4, arbitrary: f32(-4, 4) },
    { weight: 4, arbitrary: fc.integer({ min: -8, max: 8 }).map((k) => k / 2) },
  ],
};

/** One value of `dtype`: floats by `profile` (with NaN and ±Infinity when `specials`), ints mostly small. */
export function valueArb(dtype: DType, profile: Profile = "general", specials = false): fc.Arbitrary<number> {
  if (dtype === "bool") return fc.integer({ min: 0, max: 1 });
  if (dtype === "int32") {
    if (profile === "near1") return fc.constantFrom(-1, 0, 1, 1, 2, -2);
    if (profile === "exponent") return fc.integer({ min: -2, max: 5 });
    return fc.oneof({ weight: 8, arbitrary: fc.integer({ min: -20, max: 20 }) }, { weight: 1, arbitrary: fc.integer({ min: -1000, max: 1000 }) });
  }
  return fc.oneof(...PROFILES[profile], ...(specials ? [SPECIAL] : []));
}

// ---- views --------------------------------------------------------------------------------

/** A view op, resolved against the shape it produces. */
interface ViewOp {
  text: string;
  /** The shape of the view's input. */
  input: number[];
  /** Output coordinates → input coordinates. */
  back(c: number[]): number[];
  apply(t: Tensor): Tensor;
}

/** A view op before it meets a shape: which kind, and numbers to pick its dims and sizes with. */
const VIEW_SEED = fc.record({ kind: fc.integer({ min: 0, max: 2 }), a: fc.nat(), b: fc.nat(), c: fc.nat() });
type ViewSeed = { kind: number; a: number; b: number; c: number };

/** The view op `seed` makes to produce `shape`, or null when it needs more dims than shape has. */
function resolveView(seed: ViewSeed, shape: number[]): ViewOp | null {
  const r = shape.length;
  if (seed.kind === 0) {
    if (r < 2) return null;
    const d0 = seed.a % r, d1 = (d0 + 1 + (seed.b % (r - 1))) % r;
    const input = shape.slice();
    [input[d0], input[d1]] = [shape[d1], shape[d0]];
    return {
      text: `transpose(${d0}, ${d1})`, input,
      back: (c) => { const o = c.slice(); [o[d0], o[d1]] = [c[d1], c[d0]]; return o; },
      apply: (t) => t.transpose(d0, d1),
    };
  }
  if (seed.kind === 1) {
    if (r < 1) return null;
    const dim = seed.a % r, step = 2 + (seed.b % 2), start = seed.c % 3, n = shape[dim];
    const stop = n === 0 ? start : start + (n - 1) * step + 1;
    const input = shape.slice();
    input[dim] = stop + ((seed.c >> 2) % 2); // sometimes one element past the slice
    const keys = shape.map((_, d) => (d === dim ? `${start}:${stop}:${step}` : ":"));
    return {
      text: `index(${keys.map((k) => JSON.stringify(k)).join(", ")})`, input,
      back: (c) => c.map((v, d) => (d === dim ? start + v * step : v)),
      apply: (t) => (t as unknown as { index(...k: string[]): Tensor }).index(...keys),
    };
  }
  // expand: the chosen dims are 1 in the input
  const dims = shape.map((_, d) => d).filter((d) => ((seed.b >> d) & 1) === 1);
  if (dims.length === 0) return null;
  const input = shape.map((n, d) => (dims.includes(d) ? 1 : n));
  return {
    text: `expand([${shape.join(", ")}])`, input,
    back: (c) => c.map((v, d) => (dims.includes(d) ? 0 : v)),
    apply: (t) => t.expand(shape),
  };
}

/** An input tensor: its logical shape and values, and the leaf (of another shape, for a view) it is reached from. */
export interface Input {
  dtype: DType;
  shape: number[];
  leafShape: number[];
  leafValues: number[];
  /** Logical element i is leaf element map[i]. */
  map: number[];
  /** The logical values (leafValues through map). */
  values: number[];
  /** The view ops from the leaf, innermost first (none for the leaf itself). */
  views: ViewOp[];
}

export function describeInput(x: Input): string {
  const chain = x.views.map((v) => `.${v.text}`).join("");
  return `${x.dtype} [${x.shape.join(", ")}]${chain ? ` (leaf [${x.leafShape.join(", ")}]${chain})` : ""}`;
}

function layout(shape: number[], seeds: ViewSeed[]): { leafShape: number[]; views: ViewOp[]; map: number[] } {
  const outer: ViewOp[] = [];
  let s = shape;
  for (const seed of seeds) {
    const v = resolveView(seed, s);
    if (v === null) continue;
    outer.push(v);
    s = v.input;
  }
  const leafStrides = stridesOf(s), n = numel(shape);
  const map = new Array<number>(n);
  const coord = new Array<number>(shape.length).fill(0);
  for (let i = 0; i < n; i++) {
    let c = coord;
    for (const v of outer) c = v.back(c);
    map[i] = c.reduce((acc, v, d) => acc + v * leafStrides[d], 0);
    for (let d = shape.length - 1; d >= 0; d--) { if (++coord[d] < shape[d]) break; coord[d] = 0; }
  }
  return { leafShape: s, views: outer.reverse(), map };
}

/**
 * An input of `shape` and `dtype`: a contiguous leaf two times out of three, else a view
 * (up to two view ops), with values by `profile`.
 */
export function inputArb(shape: number[], dtype: DType, profile: Profile = "general", specials = false): fc.Arbitrary<Input> {
  const seeds = fc.oneof({ weight: 2, arbitrary: fc.constant([] as ViewSeed[]) }, { weight: 1, arbitrary: fc.array(VIEW_SEED, { minLength: 1, maxLength: 2 }) });
  return seeds.chain((s) => {
    const { leafShape, views, map } = layout(shape, s);
    const n = numel(leafShape);
    return fc.array(valueArb(dtype, profile, specials), { minLength: n, maxLength: n }).map((leafValues) => ({
      dtype, shape, leafShape, leafValues, map, views, values: map.map((k) => leafValues[k]),
    }));
  });
}

const DTYPES: DType[] = ["float32", "int32", "bool"];

/** float32 mostly; int32 and bool about one time in seven each when `others`. */
export const dtypeArb = (others = true): fc.Arbitrary<DType> =>
  others ? fc.oneof({ weight: 3, arbitrary: fc.constant<DType>("float32") }, { weight: 2, arbitrary: fc.constantFrom<DType>(...DTYPES) }) : fc.constant<DType>("float32");

// ---- building and checking ----------------------------------------------------------------

function typed(values: number[], dtype: DType): Float32Array | Int32Array | Uint8Array {
  return dtype === "float32" ? Float32Array.from(values) : dtype === "int32" ? Int32Array.from(values) : Uint8Array.from(values);
}

/** The leaf (requiring grad when asked and float32) and the tensor reached from it through the views. */
export function build(x: Input, requiresGrad: boolean): { leaf: Tensor; t: Tensor } {
  const leaf = torch.tensor(typed(x.leafValues, x.dtype) as Float32Array, {
    shape: x.leafShape, dtype: x.dtype, requiresGrad: requiresGrad && x.dtype === "float32",
  });
  let t = leaf;
  for (const v of x.views) t = v.apply(t);
  return { leaf, t };
}

/** The same logical values as a fresh contiguous tensor, without grad. */
export function contiguous(x: Input): Tensor {
  return torch.tensor(typed(x.values, x.dtype) as Float32Array, { shape: x.shape, dtype: x.dtype });
}

/** A logical gradient (and its Σ|terms|) scattered back to the leaf through the views' map. */
function toLeaf(x: Input, grad: readonly number[], mags: readonly number[]): { values: number[]; mags: number[] } {
  const values = new Array<number>(x.leafValues.length).fill(0), m = values.slice();
  // an expanded dim sums several logical elements (float32 values) into one leaf element: their sizes count too
  x.map.forEach((k, i) => {
    const g = Math.fround(grad[i]);
    values[k] += g; m[k] += Math.abs(mags[i]) + Math.abs(g);
  });
  return { values, mags: m };
}

/** Upstream weights w for backward of sum(y · w): nonzero, moderate, from a seed. */
function weights(seed: number, n: number): number[] {
  const W = [-3, -2, -1.5, -1, -0.75, -0.5, -0.25, 0.25, 0.5, 0.75, 1, 1.5, 2, 3];
  let s = seed >>> 0;
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = W[(s >>> 8) % W.length];
  }
  return out;
}

/** backward of sum(y · w) for w (y's shape) from the seed; returns w. */
export function backwardOfWeightedSum(y: Tensor, seed: number): number[] {
  const w = weights(seed, y.numel());
  y.mul(torch.tensor(Float32Array.from(w), { shape: [...y.shape] })).sum().backward();
  return w;
}

export function fail(msg: string): never {
  throw new AssertionError(msg);
}

/** Checks a tensor's dtype, shape and values against the reference. */
export function expectTensor(t: unknown, dtype: DType, shape: readonly number[], values: readonly number[], tol: Tolerance,
  what: string, mags?: readonly number[]): void {
  if (!(t instanceof torch.Tensor)) fail(`${what}: expected a Tensor, got ${String(t)}`);
  if (t.dtype !== dtype) fail(`${what}: dtype ${t.dtype}, expected ${dtype}`);
  if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
    fail(`${what}: shape [${t.shape.join(", ")}], expected [${shape.join(", ")}]`);
  }
  const m = mismatch(t.toArray(), values, dtype, tol, mags);
  if (m !== null) fail(`${what}: ${m}`);
}

/** Two results that must be the same numbers (NaN equals NaN; the sign of zero is not compared). */
export function expectSame(a: Tensor, b: Tensor, what: string): void {
  const x = a.toArray(), y = b.toArray();
  if (a.dtype !== b.dtype || x.length !== y.length) fail(`${what}: ${a.dtype}[${x.length}] vs ${b.dtype}[${y.length}]`);
  for (let i = 0; i < x.length; i++) {
    if (x[i] !== y[i] && !(Number.isNaN(x[i]) && Number.isNaN(y[i]))) fail(`${what}: element ${i} is ${x[i]} from the view, ${y[i]} from a contiguous copy`);
  }
}

/** fn must throw an Error (PyTorch refuses the call). */
export function expectRefused(fn: () => unknown, what: string): void {
  try {
    fn();
  } catch (e) {
    if (e instanceof AssertionError) throw e;
    if (!(e instanceof Error)) fail(`${what}: threw a non-Error ${String(e)}`);
    return;
  }
  fail(`${what}: PyTorch refuses this call, torchlet returned a result`);
}

/** Checks a leaf's gradient against the reference's logical gradient (null: PyTorch leaves grad None). */
export function expectGrad(x: Input, leaf: Tensor, grad: readonly number[] | null, mags: readonly number[], tol: Tolerance, what: string): void {
  if (grad === null) {
    if (leaf.grad !== null) fail(`${what}: grad should stay null (PyTorch gives no gradient), got a tensor`);
    return;
  }
  if (leaf.grad === null) fail(`${what}: grad is null, expected a tensor of shape [${x.leafShape.join(", ")}]`);
  const g = toLeaf(x, grad, mags);
  expectTensor(leaf.grad, "float32", x.leafShape, g.values, tol, what, g.mags);
}
