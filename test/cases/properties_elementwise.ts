// Property tests (fast-check) of the element-wise ops against the float64 reference
// (reference.ts): random broadcastable shapes of rank 0–4, float32/int32/bool inputs (a JS
// number as the other operand now and then), views as inputs (transpose, a slice with a
// step, expand), the method and the torch.* forms. Each run checks
//   - the result's dtype (PyTorch's promotion) and shape, or that the call is refused where
//     PyTorch refuses it;
//   - its values: exactly for selections, rounding, comparisons and int results; within the
//     house tolerance |a − b| ≤ 1e-5 + 1e-4·|b| otherwise, NaN and ±Infinity exactly where
//     PyTorch puts them (inputs include NaN and ±Infinity in one run out of six);
//   - that a view input gives the same numbers as a contiguous copy of it;
//   - requiresGrad of the result, and the leaves' gradients of sum(f(x) · w) for a random w
//     against the analytic derivative (PyTorch's formulas at kinks and ties), summed over
//     broadcast dims within the house tolerance plus 1e-6·Σ|terms| (the float32 sum's error).
// A failure prints fast-check's seed and the shrunk case to replay it.
import fc from "fast-check";
import { PROPERTY_SEED } from "./property_seed.ts";
import * as torch from "../../build/torchlet.js";
import {
  BINARY, broadcastIndex, broadcastShapes, cast, clampDtype, clampGrad, clampValue, type DType, EXACT, HOUSE, type Kind,
  numel, promote, sumTo, type Tolerance, UNARY,
} from "./reference.ts";
import {
  backwardOfWeightedSum, broadcastShapesArb, build, contiguous, describeInput, dtypeArb, expectGrad, expectRefused, expectSame,
  expectTensor, fail, type Input, inputArb, type Profile, shapeArb, type Tensor, valueArb,
} from "./properties_inputs.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

/** Gradients summed over broadcast dims: the house tolerance plus the float32 sum's error. */
const GRAD_TOL: Tolerance = { ...HOUSE, sum: 1e-6 };

/** An operand of a call: a tensor input or a JS number. */
type Operand = Input | number;

const kindOf = (o: Operand): Kind => (typeof o === "number" ? { number: o } : o.dtype);
const shapeOf = (o: Operand): number[] => (typeof o === "number" ? [] : o.shape);
const showOperand = (o: Operand): string => (typeof o === "number" ? `the number ${o}` : describeInput(o));
const finite = (o: Operand): boolean => (typeof o === "number" ? Number.isFinite(o) : o.values.every(Number.isFinite));

/** The operand's values as the result's elements read them (broadcast to `out`), converted to `dtype`. */
function valuesAt(o: Operand, out: number[], dtype: DType): number[] {
  if (typeof o === "number") return new Array<number>(numel(out)).fill(cast(o, dtype));
  return broadcastIndex(o.shape, out).map((k) => cast(o.values[k], dtype));
}

/** Builds the operands (float leaves requiring grad when `grad`); numbers stay numbers. */
function buildAll(ops: Operand[], grad: boolean): { leaves: (Tensor | null)[]; args: (Tensor | number)[] } {
  const leaves: (Tensor | null)[] = [], args: (Tensor | number)[] = [];
  for (const o of ops) {
    if (typeof o === "number") { leaves.push(null); args.push(o); continue; }
    const { leaf, t } = build(o, grad);
    leaves.push(leaf); args.push(t);
  }
  return { leaves, args };
}

/** The same call on contiguous copies of the view operands gives the same numbers. */
function checkViews(ops: Operand[], out: Tensor, call: (args: (Tensor | number)[]) => Tensor, what: string): void {
  if (!ops.some((o) => typeof o !== "number" && o.views.length > 0)) return;
  expectSame(out, call(ops.map((o) => (typeof o === "number" ? o : contiguous(o)))), `${what}: view vs contiguous`);
}

function checkRequiresGrad(out: Tensor, leaves: (Tensor | null)[], what: string): void {
  const want = out.dtype === "float32" && leaves.some((l) => l !== null && l.requiresGrad);
  if (out.requiresGrad !== want) fail(`${what}: requiresGrad is ${out.requiresGrad}, expected ${want}`);
}

/** Checks every leaf's grad: `grads[j]` is operand j's gradient over the output (null: it takes none). */
function checkGrads(ops: Operand[], leaves: (Tensor | null)[], out: number[], grads: (number[] | null)[], what: string): void {
  ops.forEach((o, j) => {
    const leaf = leaves[j];
    if (typeof o === "number" || leaf === null) return;
    if (!leaf.requiresGrad || grads[j] === null) {
      if (leaf.grad !== null) fail(`${what}: operand ${j} (${showOperand(o)}) takes no grad but has one`);
      return;
    }
    const s = sumTo(grads[j]!, out, o.shape);
    expectGrad(o, leaf, s.values, s.mags, GRAD_TOL, `${what}: grad of operand ${j} (${showOperand(o)})`);
  });
}

// ---- binary ops and comparisons -----------------------------------------------------------

/** a or b (not both) may be a number; with a number first, only the torch.* form applies. */
interface BinaryCase { a: Operand; b: Operand; form: "method" | "function"; grad: boolean; seed: number }

/** A number operand: whole (a Python int) or fractional (a float). */
const numberArb = (profile: Profile): fc.Arbitrary<number> =>
  fc.oneof(fc.integer({ min: -4, max: 4 }), valueArb("float32", profile));

/** NaN and ±Infinity among the values in one run out of six. */
const SPECIALS = fc.oneof({ weight: 5, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) });

/** A number one time in five, else null (a tensor). */
const sometimesNumber = (profile: Profile): fc.Arbitrary<number | null> =>
  fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: numberArb(profile) });

function binaryCaseArb(op: string): fc.Arbitrary<BinaryCase> {
  const profileB: Profile = op === "pow" ? "exponent" : "general";
  return fc.record({
    shapes: broadcastShapesArb(2),
    da: dtypeArb(), db: dtypeArb(),
    number: sometimesNumber(profileB),
    // a number as the first operand (torch.sub(2, x), torch.pow(2, x)) one time in eight
    numberFirst: fc.oneof({ weight: 7, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    specials: SPECIALS,
    form: fc.constantFrom<("method" | "function")[]>("method", "function"),
    grad: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    seed: fc.integer(),
  }).chain((r) => {
    const first = r.numberFirst && r.number !== null;
    const tensorA = inputArb(r.shapes[0], r.da, "general", r.specials);
    const tensorB = inputArb(r.shapes[1], r.db, profileB, r.specials);
    return fc.record({
      a: first ? numberArb("general") : tensorA,
      b: first ? tensorB : r.number !== null ? fc.constant(r.number) : tensorB,
      form: fc.constant(first ? "function" : r.form), grad: fc.constant(r.grad), seed: fc.constant(r.seed),
    });
  });
}

function binaryProperty(op: string, c: BinaryCase): void {
  const ref = BINARY[op];
  const what = `${op}(${showOperand(c.a)}, ${showOperand(c.b)}) [${c.form}]`;
  const call = ([a, b]: (Tensor | number)[]): Tensor =>
    c.form === "method" ? (a as Any)[op](b) : (torch as Any)[op](a, b);
  const { leaves, args } = buildAll([c.a, c.b], c.grad);
  const ka = kindOf(c.a), kb = kindOf(c.b);
  const dtype = ref.dtype(ka, kb);
  if (dtype === null) {
    expectRefused(() => call(args), what);
    return;
  }
  const out = call(args);
  const shape = broadcastShapes(shapeOf(c.a), shapeOf(c.b))!;
  const compute = ref.compute ? ref.compute(ka, kb) : dtype;
  const av = valuesAt(c.a, shape, compute), bv = valuesAt(c.b, shape, compute);
  const y = av.map((x, i) => ref.f(x, bv[i], compute, typeof c.b === "number"));
  expectTensor(out, dtype, shape, y, ref.exact || dtype !== "float32" ? EXACT : HOUSE, what);
  checkViews([c.a, c.b], out, call, what);
  checkRequiresGrad(out, leaves, what);
  if (!out.requiresGrad || !ref.grad || !finite(c.a) || !finite(c.b)) return;
  const w = backwardOfWeightedSum(out, c.seed);
  const ga = new Array<number>(y.length), gb = new Array<number>(y.length);
  // the backward reads the float32 result
  y.forEach((v, i) => { [ga[i], gb[i]] = ref.grad!(av[i], bv[i], Math.fround(v), w[i], typeof c.b === "number"); });
  if (typeof c.a === "number") ga.fill(0);
  checkGrads([c.a, c.b], leaves, shape, [ga, gb], what);
}

// ---- unary ops ----------------------------------------------------------------------------

interface UnaryCase { x: Input; form: "method" | "function"; seed: number }

const unaryCaseArb: fc.Arbitrary<UnaryCase> = fc.record({
  shape: shapeArb, dtype: dtypeArb(), specials: SPECIALS,
  form: fc.constantFrom<("method" | "function")[]>("method", "function"),
  seed: fc.integer(),
}).chain((r) => fc.record({ x: inputArb(r.shape, r.dtype, "general", r.specials), form: fc.constant(r.form), seed: fc.constant(r.seed) }));

function unaryProperty(op: string, c: UnaryCase): void {
  const ref = UNARY[op];
  const what = `${op}(${describeInput(c.x)}) [${c.form}]`;
  const call = ([x]: (Tensor | number)[]): Tensor => (c.form === "method" ? (x as Any)[op]() : (torch as Any)[op](x));
  const { leaves, args } = buildAll([c.x], true);
  const dtype = ref.dtype(c.x.dtype);
  if (dtype === null) {
    expectRefused(() => call(args), what);
    return;
  }
  const out = call(args);
  const xs = c.x.values;
  const y = xs.map((v) => {
    const r = ref.f(v);
    return dtype === "float32" ? r : cast(r, dtype);
  });
  expectTensor(out, dtype, c.x.shape, y, ref.exact || dtype !== "float32" ? EXACT : HOUSE, what);
  checkViews([c.x], out, call, what);
  checkRequiresGrad(out, leaves, what);
  if (!out.requiresGrad || !finite(c.x)) return;
  const w = backwardOfWeightedSum(out, c.seed);
  checkGrads([c.x], leaves, c.x.shape, [xs.map((v, i) => ref.grad(v, Math.fround(y[i]), w[i]))], what);
}

// ---- clamp --------------------------------------------------------------------------------

/** A bound: a tensor, a number, or null (absent). PyTorch takes two tensors or two numbers, not one of each. */
type Bound = Input | number | null;
interface ClampCase { x: Input; lo: Bound; hi: Bound; form: "method" | "function"; seed: number }

const clampCaseArb: fc.Arbitrary<ClampCase> = fc.record({
  shapes: broadcastShapesArb(3),
  dtypes: fc.tuple(dtypeArb(), dtypeArb(), dtypeArb()),
  // tensor bounds or number bounds, and which of min and max are given
  tensors: fc.boolean(),
  present: fc.constantFrom<[boolean, boolean][]>([true, true], [true, false], [false, true]),
  numbers: fc.tuple(numberArb("general"), numberArb("general")),
  specials: SPECIALS,
  form: fc.constantFrom<("method" | "function")[]>("method", "function"),
  seed: fc.integer(),
}).chain((r) => {
  const x = inputArb(r.shapes[0], r.dtypes[0], "general", r.specials);
  const bound = (j: number): fc.Arbitrary<Bound> => {
    if (!r.present[j]) return fc.constant(null);
    return r.tensors ? inputArb(r.shapes[j + 1], r.dtypes[j + 1], "general", r.specials) : fc.constant(r.numbers[j]);
  };
  return fc.record({ x, lo: bound(0), hi: bound(1), form: fc.constant(r.form), seed: fc.constant(r.seed) });
});

function clampProperty(c: ClampCase): void {
  const show = (b: Bound): string => (b === null ? "null" : showOperand(b));
  const what = `clamp(${describeInput(c.x)}, ${show(c.lo)}, ${show(c.hi)}) [${c.form}]`;
  const ops: Operand[] = [c.x, ...[c.lo, c.hi].filter((b): b is Input | number => b !== null)];
  const { leaves, args } = buildAll(ops, true);
  const call = (a: (Tensor | number)[]): Tensor => {
    const l = c.lo === null ? null : a[1], h = c.hi === null ? null : a[c.lo === null ? 1 : 2];
    return c.form === "method" ? (a[0] as Any).clamp(l, h) : (torch as Any).clamp(a[0], l, h);
  };
  const kind = (b: Bound): Kind | null => (b === null ? null : kindOf(b));
  const dtype = clampDtype(c.x.dtype, kind(c.lo), kind(c.hi));
  const kinds = [c.x.dtype, kind(c.lo), kind(c.hi)].filter((k): k is Kind => k !== null);
  // PyTorch clamps bools with one bool bound (clamp_min, clamp_max), not with two ("clamp_cpu" not implemented for 'Bool')
  if (dtype === "bool" && c.lo !== null && c.hi !== null) {
    expectRefused(() => call(args), what);
    return;
  }
  const out = call(args);
  const shape = broadcastShapes(c.x.shape, shapeOf(c.lo ?? 0), shapeOf(c.hi ?? 0))!;
  const xv = valuesAt(c.x, shape, dtype);
  const lv = c.lo === null ? null : valuesAt(c.lo, shape, dtype), hv = c.hi === null ? null : valuesAt(c.hi, shape, dtype);
  const y = xv.map((v, i) => clampValue(v, lv?.[i] ?? null, hv?.[i] ?? null, dtype));
  expectTensor(out, dtype, shape, y, EXACT, what);
  checkViews(ops, out, call, what);
  checkRequiresGrad(out, leaves, what);
  if (!out.requiresGrad || !ops.every(finite)) return;
  const w = backwardOfWeightedSum(out, c.seed);
  const g = y.map((_, i) => clampGrad(xv[i], lv?.[i] ?? null, hv?.[i] ?? null, w[i]));
  const grads = [g.map((t) => t[0])];
  if (c.lo !== null) grads.push(g.map((t) => t[1]));
  if (c.hi !== null) grads.push(g.map((t) => t[2]));
  checkGrads(ops, leaves, shape, grads, what);
}

// ---- where --------------------------------------------------------------------------------

interface WhereCase { cond: Input; a: Operand; b: Operand; form: "function" | "method"; seed: number }

const whereCaseArb: fc.Arbitrary<WhereCase> = fc.record({
  shapes: broadcastShapesArb(3),
  da: dtypeArb(), db: dtypeArb(),
  numbers: fc.tuple(sometimesNumber("general"), sometimesNumber("general")),
  specials: SPECIALS,
  form: fc.constantFrom<("function" | "method")[]>("function", "method"),
  seed: fc.integer(),
}).chain((r) => fc.record({
  cond: inputArb(r.shapes[0], "bool"),
  // (x.where(cond, other) needs x to be a tensor: a number a takes the torch.where form)
  a: r.numbers[0] !== null ? fc.constant(r.numbers[0]) : inputArb(r.shapes[1], r.da, "general", r.specials),
  b: r.numbers[1] !== null ? fc.constant(r.numbers[1]) : inputArb(r.shapes[2], r.db, "general", r.specials),
  form: fc.constant(r.form), seed: fc.constant(r.seed),
}));

function whereProperty(c: WhereCase): void {
  const form = c.form === "method" && typeof c.a !== "number" ? "method" : "function";
  const what = `where(${describeInput(c.cond)}, ${showOperand(c.a)}, ${showOperand(c.b)}) [${form}]`;
  const call = ([cond, a, b]: (Tensor | number)[]): Tensor =>
    form === "method" ? (a as Any).where(cond, b) : (torch as Any).where(cond, a, b);
  const ops: Operand[] = [c.cond, c.a, c.b];
  const { leaves, args } = buildAll(ops, true);
  const out = call(args);
  const dtype = promote(kindOf(c.a), kindOf(c.b));
  const shape = broadcastShapes(c.cond.shape, shapeOf(c.a), shapeOf(c.b))!;
  const cv = valuesAt(c.cond, shape, "bool"), av = valuesAt(c.a, shape, dtype), bv = valuesAt(c.b, shape, dtype);
  expectTensor(out, dtype, shape, cv.map((t, i) => (t ? av[i] : bv[i])), EXACT, what);
  checkViews(ops, out, call, what);
  checkRequiresGrad(out, leaves, what);
  if (!out.requiresGrad || !ops.every(finite)) return;
  const w = backwardOfWeightedSum(out, c.seed);
  checkGrads(ops, leaves, shape, [null, cv.map((t, i) => (t ? w[i] : 0)), cv.map((t, i) => (t ? 0 : w[i]))], what);
}

// ---- the tests ----------------------------------------------------------------------------

/** Runs per property; the file stays well under 20 s in Node. */
const RUNS = 300;

function run<T>(arb: fc.Arbitrary<T>, check: (c: T) => void, runs = RUNS): void {
  fc.assert(fc.property(arb, (c) => { torch.tidy(() => { check(c); }); }), { numRuns: runs, includeErrorInReport: true, seed: PROPERTY_SEED });
}

const BINARY_OPS = ["add", "sub", "mul", "div", "pow", "maximum", "minimum"];
const COMPARISONS = ["eq", "ne", "lt", "le", "gt", "ge"];
const UNARY_OPS = Object.keys(UNARY);

export const tests: Record<string, () => void> = {
  ...Object.fromEntries(BINARY_OPS.map((op) => [
    `${op}: broadcast shapes, dtypes, numbers and views; values, dtype and grads against the f64 reference (${RUNS} runs)`,
    () => run(binaryCaseArb(op), (c) => binaryProperty(op, c)),
  ])),
  ...Object.fromEntries(COMPARISONS.map((op) => [
    `${op}: broadcast shapes, dtypes, numbers and views give PyTorch's bools exactly (${RUNS} runs)`,
    () => run(binaryCaseArb(op), (c) => binaryProperty(op, c)),
  ])),
  ...Object.fromEntries(UNARY_OPS.map((op) => [
    `${op}: shapes, dtypes, special values and views; values, dtype and grad against the f64 reference (${RUNS} runs)`,
    () => run(unaryCaseArb, (c) => unaryProperty(op, c)),
  ])),
  [`clamp: number or tensor bounds (broadcast), dtypes and views; values and grads of x and the bounds (${RUNS} runs)`]: () =>
    run(clampCaseArb, clampProperty),
  [`where: broadcast condition and operands (tensors or numbers), dtypes and views; values and grads (${RUNS} runs)`]: () =>
    run(whereCaseArb, whereProperty),
};

