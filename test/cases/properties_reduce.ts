// Property tests (fast-check) of the reductions and scans against the float64 reference
// (reference.ts): sum mean prod std var amax amin max min argmax argmin logsumexp norm cumsum
// softmax logSoftmax over random dims (none, null, a number, an array; negative; keepdim
// given or not), on random shapes of rank 0–4 (empty ones and rows of up to 1023 elements
// among them), float32/int32/bool inputs, views as inputs (transpose, a slice with a step,
// expand), in the method and the torch.* forms. Each run checks
//   - the dtype and shape of the result, or that the call is refused where PyTorch refuses
//     it (an int mean, a bool argmax, max over nothing, the -1-norm of nothing, …);
//   - its values: exactly for max/min/amax/amin, indices and int results; else within the
//     house tolerance |a − b| ≤ 1e-5 + 1e-4·|b|, plus 1e-6·Σ|x| for sums, means and cumsums
//     (the float32 sum's rounding grows with the size of the terms, not of the result);
//     NaN and ±Infinity exactly where PyTorch puts them (one run in six has them);
//   - the leaf's gradient of sum(y · w) for a random w against the analytic derivative
//     (PyTorch's choices: ties share amax's gradient, max(dim) sends it to the index, a zero
//     std gives 0, norm's gradient at 0), within the same tolerance.
// Gradients are checked on finite inputs, and for var/std where every group has more
// elements than the correction (PyTorch's gradient of n ≤ correction is NaN or ±Infinity
// by rules of its own).
import fc from "fast-check";
import { PROPERTY_SEED } from "./property_seed.ts";
import * as torch from "../../build/torchlet.js";
import {
  argExtreme, cast, EXACT, HOUSE, normDim, numel, REDUCTIONS, type ReduceOptions, reduceGroups, SCANS,
  type Tolerance,
} from "./reference.ts";
import {
  backwardOfWeightedSum, build, describeInput, dtypeArb, expectGrad, expectRefused, expectTensor, fail, type Input, inputArb,
  type Profile, shapeArb, type Tensor,
} from "./properties_inputs.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

/** The float32 sums' rounding: 1e-6 (≈ 16 ulps) of Σ|terms| on top of the house tolerance. */
const SUM_TOL: Tolerance = { ...HOUSE, sum: 1e-6 };

/** How an op takes dims: "many" (none, null, a number or an array), "required" (a number or a non-empty array), "one", "optional-one". */
type DimKind = "many" | "required" | "one" | "optional-one";
type Dim = number | number[] | null | undefined;

interface ReduceCase {
  x: Input;
  dim: Dim;
  keepdim: boolean | undefined;
  /** var/std's correction, norm's p. */
  correction: number | undefined;
  p: number | "fro" | null | undefined;
  form: number;
  seed: number;
}

/** Picks dims for a tensor of rank `rank` from random numbers (so that it shrinks without a chain). */
function pickDims(kind: DimKind, rank: number, r: { mode: number; picks: number[]; neg: number }): Dim {
  const n = Math.max(rank, 1);
  const one = (k: number): number => {
    const d = r.picks[k] % n;
    return (r.neg >> k) & 1 ? d - n : d;
  };
  if (kind === "one") return one(0);
  const mode = r.mode % 5;
  if (kind === "optional-one") return mode === 0 ? undefined : mode === 1 ? null : one(0);
  if (mode <= 1 && kind === "many") return mode === 0 ? undefined : null;
  if (mode === 2) return one(0);
  // an array of distinct dims (the empty array, one time in five, means every dim)
  if (kind === "many" && r.neg % 5 === 4) return [];
  const seen = new Set<number>(), out: number[] = [];
  r.picks.forEach((_, k) => {
    const d = one(k), norm = normDim(d, rank);
    if (!seen.has(norm)) { seen.add(norm); out.push(d); }
  });
  return out;
}

const DIM_SEED = fc.record({ mode: fc.nat(), picks: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), neg: fc.nat() });

/** Values shifted by a constant now and then (data far from 0 with a small spread: var's hard case). */
function shift(x: Input, by: number): Input {
  if (by === 0 || x.dtype !== "float32") return x;
  const f = (v: number): number => Math.fround(v + by);
  return { ...x, leafValues: x.leafValues.map(f), values: x.values.map(f) };
}

function caseArb(kind: DimKind, profile: Profile, dtypes: boolean, options: { correction?: boolean; p?: boolean; shift?: boolean } = {}): fc.Arbitrary<ReduceCase> {
  return fc.record({
    shape: shapeArb,
    dtype: dtypeArb(dtypes),
    specials: fc.oneof({ weight: 5, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    dimSeed: DIM_SEED,
    keepdim: fc.constantFrom(undefined, true, false),
    correction: options.correction ? fc.constantFrom(undefined, 0, 1, 1, 2, 0.5) : fc.constant(undefined),
    p: options.p ? fc.constantFrom<(number | "fro" | null | undefined)[]>(undefined, null, 2, 1, Infinity, -Infinity, 0, 3, 0.5, 1.5, -1, "fro") : fc.constant(undefined),
    shift: options.shift ? fc.constantFrom(0, 0, 0, 1e3, -1e4, 1e5) : fc.constant(0),
    form: fc.nat(),
    seed: fc.integer(),
  }).chain((r) => inputArb(r.shape, r.dtype, profile, r.specials).map((x) => ({
    x: shift(x, r.shift), dim: pickDims(kind, r.shape.length, r.dimSeed), keepdim: r.keepdim,
    correction: r.correction, p: r.p, form: r.form, seed: r.seed,
  })));
}

/** Arguments without their trailing undefineds (so an omitted argument is omitted, not undefined). */
function trimmed(args: unknown[]): unknown[] {
  const out = args.slice();
  while (out.length > 0 && out[out.length - 1] === undefined) out.pop();
  return out;
}

/** Calls `op` as a method (even form) or as torch.op (odd form). */
function callOp(op: string, x: Tensor, args: unknown[], form: number): unknown {
  return form % 2 === 0 ? (x as Any)[op](...args) : (torch as Any)[op](x, ...args);
}

/** dims as the reference takes them: sorted, non-negative, null for every dim. */
function normDims(dim: Dim, rank: number): number[] | null {
  if (dim === undefined || dim === null) return null;
  const ds = (typeof dim === "number" ? [dim] : dim).map((d) => normDim(d, rank));
  return ds.length === 0 ? null : [...new Set(ds)].sort((a, b) => a - b);
}

/** The number of elements each output element reduces. */
function reducedCount(shape: number[], dims: number[] | null): number {
  return dims === null ? numel(shape) : dims.reduce((n, d) => n * (shape[d] ?? 1), 1);
}

const finite = (x: Input): boolean => x.values.every(Number.isFinite);

/** A call as text: `x.op(args) of <input>` or `torch.op(…)`. */
function callText(op: string, form: number, args: unknown[], x: Input): string {
  const show = (a: unknown): string => (typeof a === "number" || a === undefined ? String(a) : JSON.stringify(a));
  return `${form % 2 === 0 ? `x.${op}` : `torch.${op}`}(${args.map(show).join(", ")}) of ${describeInput(x)}`;
}

// ---- value reductions: sum mean prod var std amax amin logsumexp norm ----------------------

/** The call's arguments after x, by op. */
function reduceArgs(op: string, c: ReduceCase): unknown[] {
  if (op === "var" || op === "std") {
    const opts: Record<string, unknown> = {};
    if (c.correction !== undefined) opts.correction = c.correction;
    if (c.keepdim !== undefined) opts.keepdim = c.keepdim;
    if (Object.keys(opts).length === 0) return trimmed([c.dim]);
    // the legacy form x.var(dim, unbiased, keepdim?) where the correction is 0 or 1
    if ((c.form >> 1) % 3 === 0 && c.dim !== undefined && (c.correction === 0 || c.correction === 1)) {
      return trimmed([c.dim, c.correction === 1, c.keepdim]);
    }
    if (c.dim === undefined && (c.form >> 1) % 2 === 0) return [opts];
    return [c.dim, opts];
  }
  if (op === "norm") return trimmed([c.p, c.dim, c.keepdim]);
  return trimmed([c.dim, c.keepdim]);
}

function reduceProperty(op: string, c: ReduceCase): void {
  const ref = REDUCTIONS[op];
  const args = reduceArgs(op, c);
  const what = callText(op, c.form, args, c.x);
  const grad = c.x.dtype === "float32";
  const { leaf, t } = build(c.x, grad);
  const rank = c.x.shape.length;
  const dims = normDims(c.dim, rank);
  const keepdim = c.keepdim ?? false;
  const o: ReduceOptions = { correction: c.correction, p: c.p === "fro" || c.p === null ? undefined : c.p };
  const dtype = ref.dtype(c.x.dtype);
  // "fro" is a vector or matrix norm: over at most two dims
  const fro = op === "norm" && c.p === "fro" && Array.isArray(c.dim) && c.dim.length > 2;
  if (dtype === null || fro || (ref.refusesEmpty?.(o) && reducedCount(c.x.shape, dims) === 0)) {
    expectRefused(() => callOp(op, t, args, c.form), what);
    return;
  }
  const y = callOp(op, t, args, c.form) as Tensor;
  const { outShape, groups } = reduceGroups(c.x.shape, dims, keepdim);
  const xs = groups.map((g) => g.map((i) => cast(c.x.values[i], dtype)));
  const values = xs.map((g) => ref.value(g, c.x.dtype, o));
  const mags = ref.mag ? xs.map((g, k) => ref.mag!(g, values[k], o)) : undefined;
  expectTensor(y, dtype, outShape, values, ref.exact || dtype !== "float32" ? EXACT : SUM_TOL, what, mags);
  const wantGrad = grad && dtype === "float32";
  if (y.requiresGrad !== wantGrad) fail(`${what}: requiresGrad is ${y.requiresGrad}, expected ${wantGrad}`);
  if (!wantGrad || !finite(c.x)) return;
  if ((op === "var" || op === "std") && groups.some((g) => g.length <= (c.correction ?? 1))) return;
  // the backward reads the float32 result, as PyTorch's: y as computed (and just checked), so
  // that its rounding (logsumexp near 1e8) or underflow (the 1.5-norm of a subnormal) carries over
  const ys = Array.from(y.toArray());
  const w = backwardOfWeightedSum(y, c.seed);
  const g = new Array<number>(c.x.values.length).fill(0), gm = g.slice();
  groups.forEach((group, k) => {
    const yk = ys[k];
    const gk = ref.grad(xs[k], yk, w[k], o);
    const m = ref.gradMag?.(xs[k], yk, w[k], o) ?? 0;
    group.forEach((i, j) => { g[i] = gk[j]; gm[i] = m; });
  });
  expectGrad(c.x, leaf, ref.noGrad?.(o) ? null : g, gm, SUM_TOL, `${what}: grad`);
}

// ---- max / min (values, or values and indices along a dim), argmax / argmin ----------------

function extremaProperty(op: "max" | "min", c: ReduceCase): void {
  const isMax = op === "max";
  const args = c.dim === undefined || c.dim === null ? [] : trimmed([c.dim, c.keepdim]);
  const what = callText(op, c.form, args, c.x);
  const grad = c.x.dtype === "float32";
  const { leaf, t } = build(c.x, grad);
  const dims = args.length === 0 ? null : normDims(c.dim, c.x.shape.length);
  if (reducedCount(c.x.shape, dims) === 0) {
    expectRefused(() => callOp(op, t, args, c.form), what);
    return;
  }
  const r = callOp(op, t, args, c.form);
  const { outShape, groups } = reduceGroups(c.x.shape, dims, args.length === 0 ? false : c.keepdim ?? false);
  const xs = groups.map((g) => g.map((i) => c.x.values[i]));
  const idx = xs.map((g) => argExtreme(g, isMax));
  const values = xs.map((g, k) => g[idx[k]]);
  let y: Tensor;
  if (args.length === 0) {
    y = r as Tensor;
    expectTensor(y, c.x.dtype, outShape, values, EXACT, what);
  } else {
    const pair = r as [Tensor, Tensor] & { values: Tensor; indices: Tensor };
    if (!Array.isArray(pair) || pair.length !== 2 || pair.values !== pair[0] || pair.indices !== pair[1]) {
      fail(`${what}: expected the pair [values, indices] with .values and .indices`);
    }
    y = pair[0];
    expectTensor(y, c.x.dtype, outShape, values, EXACT, `${what}: values`);
    expectTensor(pair[1], "int32", outShape, idx, EXACT, `${what}: indices`);
  }
  if (!grad || !finite(c.x)) return;
  const w = backwardOfWeightedSum(y, c.seed);
  const g = new Array<number>(c.x.values.length).fill(0);
  groups.forEach((group, k) => {
    // max(): shared among ties (evenly_distribute_backward); max(dim): to the index
    if (args.length === 0) REDUCTIONS[isMax ? "amax" : "amin"].grad(xs[k], values[k], w[k], {})!.forEach((v, j) => { g[group[j]] = v; });
    else g[group[idx[k]]] = w[k];
  });
  expectGrad(c.x, leaf, g, g.map(() => 0), HOUSE, `${what}: grad`);
}

function argProperty(op: "argmax" | "argmin", c: ReduceCase): void {
  const args = trimmed([c.dim, c.keepdim]);
  const what = callText(op, c.form, args, c.x);
  const { t } = build(c.x, false);
  const dims = normDims(c.dim, c.x.shape.length);
  if (c.x.dtype === "bool" || reducedCount(c.x.shape, dims) === 0) {
    expectRefused(() => callOp(op, t, args, c.form), what);
    return;
  }
  const r = callOp(op, t, args, c.form);
  const { outShape, groups } = reduceGroups(c.x.shape, dims, c.keepdim ?? false);
  const idx = groups.map((g) => argExtreme(g.map((i) => c.x.values[i]), op === "argmax"));
  expectTensor(r, "int32", outShape, idx, EXACT, what);
}

// ---- scans: cumsum, softmax, logSoftmax ---------------------------------------------------

function scanProperty(op: string, c: ReduceCase): void {
  const ref = SCANS[op];
  const d = c.dim as number;
  // softmax also as F.softmax(x, { dim }) and F.softmax(x, dim)
  const F = torch.nn.functional as Any;
  const forms = op === "cumsum" ? 2 : 4;
  const form = c.form % forms;
  const call = (t: Tensor): Tensor => form === 0 ? (t as Any)[op](d) : form === 1 ? (torch as Any)[op](t, d) : F[op](t, form === 2 ? { dim: d } : d);
  const what = `${["x.", "torch.", "F.", "F."][form]}${op}(${form === 2 ? `{ dim: ${d} }` : d}) of ${describeInput(c.x)}`;
  const grad = c.x.dtype === "float32";
  const { leaf, t } = build(c.x, grad);
  const dtype = ref.dtype(c.x.dtype);
  if (dtype === null) {
    // (PyTorch returns an empty int or bool tensor as it is, without looking for a kernel)
    if (c.x.values.length > 0) expectRefused(() => call(t), what);
    return;
  }
  const y = call(t);
  const { groups } = reduceGroups(c.x.shape, [normDim(d, c.x.shape.length)], true);
  const n = c.x.values.length;
  const values = new Array<number>(n), vmags = new Array<number>(n);
  const lines = groups.map((g) => g.map((i) => cast(c.x.values[i], dtype)));
  const ys = lines.map((xs) => ref.values(xs, c.x.dtype));
  groups.forEach((g, k) => {
    const m = ref.mags(lines[k], ys[k], ys[k].map(() => 0)).values;
    g.forEach((i, j) => { values[i] = ys[k][j]; vmags[i] = m[j]; });
  });
  expectTensor(y, dtype, c.x.shape, values, dtype === "float32" ? SUM_TOL : EXACT, what, vmags);
  if (!grad || !finite(c.x)) return;
  const out = y.toArray(); // the result the backward reads (see reduceProperty)
  const w = backwardOfWeightedSum(y, c.seed);
  const g = new Array<number>(n), gm = new Array<number>(n);
  groups.forEach((group, k) => {
    const ws = group.map((i) => w[i]), yk = group.map((i) => out[i]);
    const gk = ref.grad(lines[k], yk, ws), mk = ref.mags(lines[k], yk, ws).grad;
    group.forEach((i, j) => { g[i] = gk[j]; gm[i] = mk[j]; });
  });
  expectGrad(c.x, leaf, g, gm, SUM_TOL, `${what}: grad`);
}

// ---- the tests ----------------------------------------------------------------------------

/** Runs per property; the file stays well under 20 s in Node. */
const RUNS = 300;

function run(arb: fc.Arbitrary<ReduceCase>, check: (c: ReduceCase) => void): void {
  fc.assert(fc.property(arb, (c) => { torch.tidy(() => { check(c); }); }), { numRuns: RUNS, includeErrorInReport: true, seed: PROPERTY_SEED });
}

const many = (profile: Profile = "general", options = {}) => caseArb("many", profile, true, options);

export const tests: Record<string, () => void> = {
  [`sum: dims, keepdim, dtypes and views; values and grad against the f64 reference (${RUNS} runs)`]: () =>
    run(many("general", { shift: true }), (c) => reduceProperty("sum", c)),
  [`mean: dims, keepdim, dtypes (int refused) and views; values and grad (${RUNS} runs)`]: () =>
    run(many("general", { shift: true }), (c) => reduceProperty("mean", c)),
  [`prod: dims, keepdim, dtypes, zeros and views; values and grad (the product of the others) (${RUNS} runs)`]: () =>
    run(many("near1"), (c) => reduceProperty("prod", c)),
  [`var: dims, correction, keepdim, call forms, shifted data and views; values and grad (${RUNS} runs)`]: () =>
    run(many("general", { correction: true, shift: true }), (c) => reduceProperty("var", c)),
  [`std: dims, correction, keepdim, call forms, shifted data and views; values and grad (${RUNS} runs)`]: () =>
    run(many("general", { correction: true, shift: true }), (c) => reduceProperty("std", c)),
  [`amax: dims, keepdim, dtypes, ties, NaN and views; values exactly and grad shared among ties (${RUNS} runs)`]: () =>
    run(many(), (c) => reduceProperty("amax", c)),
  [`amin: dims, keepdim, dtypes, ties, NaN and views; values exactly and grad shared among ties (${RUNS} runs)`]: () =>
    run(many(), (c) => reduceProperty("amin", c)),
  [`logsumexp: dims (required), keepdim, dtypes and views; values and grad (${RUNS} runs)`]: () =>
    run(caseArb("required", "general", true), (c) => reduceProperty("logsumexp", c)),
  [`norm: p (2, 1, ±inf, 0, 3, 0.5, 1.5, -1, "fro"), dims, keepdim and views; values and grad (${RUNS} runs)`]: () =>
    run(many("general", { p: true }), (c) => reduceProperty("norm", c)),
  [`max: max() and max(dim, keepdim) with indices, dtypes, ties, NaN and views; grads (${RUNS} runs)`]: () =>
    run(caseArb("optional-one", "general", true), (c) => extremaProperty("max", c)),
  [`min: min() and min(dim, keepdim) with indices, dtypes, ties, NaN and views; grads (${RUNS} runs)`]: () =>
    run(caseArb("optional-one", "general", true), (c) => extremaProperty("min", c)),
  [`argmax: flat and along a dim, keepdim, dtypes (bool refused), ties, NaN and views (${RUNS} runs)`]: () =>
    run(caseArb("optional-one", "general", true), (c) => argProperty("argmax", c)),
  [`argmin: flat and along a dim, keepdim, dtypes (bool refused), ties, NaN and views (${RUNS} runs)`]: () =>
    run(caseArb("optional-one", "general", true), (c) => argProperty("argmin", c)),
  [`cumsum: dims, dtypes and views; values and grad (the reversed running sum) (${RUNS} runs)`]: () =>
    run(caseArb("one", "general", true), (c) => scanProperty("cumsum", c)),
  [`softmax: dims, the method, torch.* and F.* forms, views; values and grad (${RUNS} runs)`]: () =>
    run(caseArb("one", "general", true), (c) => scanProperty("softmax", c)),
  [`logSoftmax: dims, the method, torch.* and F.* forms, views; values and grad (${RUNS} runs)`]: () =>
    run(caseArb("one", "general", true), (c) => scanProperty("logSoftmax", c)),
};
