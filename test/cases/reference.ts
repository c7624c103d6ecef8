// A plain-JS float64 reference for the property tests (test/cases/properties_*.ts): shapes and
// broadcasting, PyTorch's dtype promotion, and the element-wise ops and reductions with their
// gradients, each written from its definition and PyTorch's choices (NaN, ties, empty
// reductions, derivatives at kinks, the formulas of derivatives.yaml), evaluated in float64.
// It shares no code with torchlet. The PyTorch behaviour encoded here was read off PyTorch
// 2.13 on CPU (int64 results appear as int32, torchlet's documented narrowing).

export type DType = "float32" | "int32" | "bool";

// ---- shapes -------------------------------------------------------------------------------

export const numel = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) { s[i] = acc; acc *= shape[i]; }
  return s;
}

/** The broadcast shape of `shapes` (NumPy's rule), or null when they do not broadcast. */
export function broadcastShapes(...shapes: (readonly number[])[]): number[] | null {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const j = rank - s.length + i, d = s[i];
      if (d === out[j] || d === 1) continue;
      if (out[j] !== 1) return null;
      out[j] = d;
    }
  }
  return out;
}

/** For every element of `out` (row-major), the flat index it reads in a tensor of `shape` broadcast to `out`. */
export function broadcastIndex(shape: readonly number[], out: readonly number[]): number[] {
  const own = stridesOf(shape), off = out.length - shape.length;
  const strides = out.map((_, j) => (j < off || shape[j - off] === 1 ? 0 : own[j - off]));
  const n = numel(out), idx = new Array<number>(n);
  const coord = new Array<number>(out.length).fill(0);
  let at = 0;
  for (let i = 0; i < n; i++) {
    idx[i] = at;
    for (let d = out.length - 1; d >= 0; d--) {
      coord[d]++; at += strides[d];
      if (coord[d] < out[d]) break;
      at -= strides[d] * coord[d]; coord[d] = 0;
    }
  }
  return idx;
}

/**
 * Values `g` of shape `from` summed down to `shape` (the gradient of broadcasting), with
 * Σ|term| per element. Each term is first rounded to float32, as the per-element gradient is
 * a float32 tensor in PyTorch: terms that overflow give ±Infinity (and NaN when both meet).
 */
export function sumTo(g: readonly number[], from: readonly number[], shape: readonly number[]): { values: number[]; mags: number[] } {
  const idx = broadcastIndex(shape, from);
  const values = new Array<number>(numel(shape)).fill(0), mags = values.slice();
  idx.forEach((k, i) => {
    const t = Math.fround(g[i]);
    values[k] += t; mags[k] += Math.abs(t);
  });
  return { values, mags };
}

// ---- dtypes -------------------------------------------------------------------------------

/** PyTorch's promotion between tensor dtypes (bool < int < float). */
export function promoteTypes(a: DType, b: DType): DType {
  if (a === "float32" || b === "float32") return "float32";
  return a === "int32" || b === "int32" ? "int32" : "bool";
}

/** A tensor's dtype with a JS number, which counts as a Python int when whole, else a float. */
export function promoteScalar(d: DType, v: number): DType {
  if (d === "float32" || !Number.isInteger(v)) return "float32";
  return "int32"; // int32 stays; bool with an int gives int64 (int32 here)
}

/** An operand: a tensor's dtype, or a JS number. */
export type Kind = DType | { number: number };

export function promote(a: Kind, b: Kind): DType {
  if (typeof a === "string" && typeof b === "string") return promoteTypes(a, b);
  if (typeof a === "string") return promoteScalar(a, (b as { number: number }).number);
  if (typeof b === "string") return promoteScalar(b, a.number);
  return Number.isInteger(a.number) && Number.isInteger(b.number) ? "int32" : "float32";
}

/** v as stored in `dtype` (float32 rounding, int32 wrap-around, bool as 0/1). */
export function cast(v: number, dtype: DType): number {
  if (dtype === "float32") return Math.fround(v);
  if (dtype === "int32") return Number.isFinite(v) ? Math.trunc(v) | 0 : 0;
  return v !== 0 ? 1 : 0; // NaN is true
}

// ---- element-wise -------------------------------------------------------------------------

/** PyTorch's sign: 0 for NaN and for ±0. */
const sgn = (x: number): number => (x > 0 ? 1 : x < 0 ? -1 : 0);

/** Round half to even (torch.round, C's nearbyint). */
export function roundHalfEven(x: number): number {
  if (!Number.isFinite(x)) return x;
  const f = Math.floor(x), d = x - f;
  if (d < 0.5) return f;
  if (d > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}

/** C's pow (std::pow), where JS's Math.pow differs: pow(1, y) = 1 and pow(-1, ±inf) = 1. */
export function cpow(a: number, b: number): number {
  if (a === 1) return 1;
  if (a === -1 && (b === Infinity || b === -Infinity)) return 1;
  return Math.pow(a, b);
}

/**
 * x ** e for a number exponent as PyTorch's pow_tensor_scalar kernel computes it (forward,
 * and the backward's x ** (e − 1)): its special cases (sqrt for 0.5, rsqrt for −0.5, so
 * (−0) ** −0.5 is −inf), else C's pow.
 */
export function scalarPow(a: number, e: number): number {
  if (e === 2) return a * a;
  if (e === 3) return a * a * a;
  if (e === 0.5) return Math.sqrt(a);
  if (e === -0.5) return 1 / Math.sqrt(a);
  if (e === -1) return 1 / a;
  if (e === -2) return 1 / (a * a);
  return cpow(a, e);
}

/** PyTorch's integer power: exact (wrapping) for b ≥ 0; for b < 0, 1 for a = 1, ±1 for a = -1, else 0. */
export function intPow(a: number, b: number): number {
  if (b < 0) return a === 1 ? 1 : a === -1 ? (b % 2 === 0 ? 1 : -1) : 0;
  let r = 1;
  for (let i = 0; i < b; i++) r = Math.imul(r, a);
  return r;
}

const LN2 = Math.LN2;
const toFloat = (): DType => "float32";
const keepNotBool = (d: DType): DType | null => (d === "bool" ? null : d);

export interface UnaryRef {
  /** The result dtype for an input dtype, or null where PyTorch refuses the input. */
  dtype(d: DType): DType | null;
  f(x: number): number;
  /** w·f'(x) by PyTorch's derivative formula (y = f(x)). */
  grad(x: number, y: number, w: number): number;
  /** The result is exactly f(x) rounded to float32 (selection, rounding, sign changes). */
  exact?: boolean;
}

const zeroGrad = (): number => 0;

export const UNARY: Record<string, UnaryRef> = {
  neg: { dtype: keepNotBool, f: (x) => -x, grad: (_x, _y, w) => -w, exact: true },
  exp: { dtype: toFloat, f: Math.exp, grad: (_x, y, w) => w * y },
  log: { dtype: toFloat, f: Math.log, grad: (x, _y, w) => w / x },
  sqrt: { dtype: toFloat, f: Math.sqrt, grad: (_x, y, w) => w / (2 * y) },
  abs: { dtype: keepNotBool, f: Math.abs, grad: (x, _y, w) => w * sgn(x), exact: true },
  // PyTorch: relu keeps NaN; its backward passes the gradient where the result is > 0
  relu: { dtype: keepNotBool, f: (x) => (Number.isNaN(x) ? x : x > 0 ? x : 0), grad: (_x, y, w) => (y > 0 ? w : 0), exact: true },
  sigmoid: { dtype: toFloat, f: (x) => 1 / (1 + Math.exp(-x)), grad: (_x, y, w) => w * (1 - y) * y },
  tanh: { dtype: toFloat, f: Math.tanh, grad: (_x, y, w) => w * (1 - y * y) },
  // square is pow(x, 2): bool gives int64 (int32 here)
  square: { dtype: (d) => (d === "float32" ? d : "int32"), f: (x) => x * x, grad: (x, _y, w) => 2 * x * w, exact: true },
  rsqrt: { dtype: toFloat, f: (x) => 1 / Math.sqrt(x), grad: (_x, y, w) => -0.5 * w * y * y * y },
  reciprocal: { dtype: toFloat, f: (x) => 1 / x, grad: (_x, y, w) => -w * y * y },
  sign: { dtype: (d) => d, f: sgn, grad: zeroGrad, exact: true },
  floor: { dtype: keepNotBool, f: Math.floor, grad: zeroGrad, exact: true },
  ceil: { dtype: keepNotBool, f: Math.ceil, grad: zeroGrad, exact: true },
  round: { dtype: keepNotBool, f: roundHalfEven, grad: zeroGrad, exact: true },
  trunc: { dtype: keepNotBool, f: Math.trunc, grad: zeroGrad, exact: true },
  sin: { dtype: toFloat, f: Math.sin, grad: (x, _y, w) => w * Math.cos(x) },
  cos: { dtype: toFloat, f: Math.cos, grad: (x, _y, w) => -w * Math.sin(x) },
  log1p: { dtype: toFloat, f: Math.log1p, grad: (x, _y, w) => w / (x + 1) },
  expm1: { dtype: toFloat, f: Math.expm1, grad: (_x, y, w) => w * (y + 1) },
  log2: { dtype: toFloat, f: Math.log2, grad: (x, _y, w) => w / (x * LN2) },
};

/** NaN-propagating max and min (torch.maximum, amax, clamp). */
export const nanMax = (a: number, b: number): number => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b));
export const nanMin = (a: number, b: number): number => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b));

export interface BinaryRef {
  /** The result dtype, or null where PyTorch refuses the operands. */
  dtype(a: Kind, b: Kind): DType | null;
  /** a op b, the operands already converted to the dtype the op computes in (`compute`); `bNumber`: b is a JS number. */
  f(a: number, b: number, compute: DType, bNumber?: boolean): number;
  /** [w·∂/∂a, w·∂/∂b] by PyTorch's formulas (float32 only); `bNumber`: b is a JS number, not a tensor. */
  grad?(a: number, b: number, y: number, w: number, bNumber: boolean): [number, number];
  exact?: boolean;
  /** The dtype the op computes in, when not the result's (comparisons: the promoted type). */
  compute?(a: Kind, b: Kind): DType;
}

const isBool = (k: Kind): boolean => k === "bool";
const wrap = (v: number): number => v | 0;

/** maximum's and minimum's gradient: to the larger (smaller) side, halved on ties (PyTorch ≥ 1.13). */
function extremumGrad(isMax: boolean) {
  return (a: number, b: number, _y: number, w: number): [number, number] => {
    if (a === b) return [w / 2, w / 2];
    return (a > b) === isMax ? [w, 0] : [0, w];
  };
}

/** A comparison: bool, computed in the promoted dtype; PyTorch takes no number as the first operand. */
function comparison(op: (a: number, b: number) => boolean): BinaryRef {
  return { dtype: (a) => (typeof a === "string" ? "bool" : null), f: (a, b) => (op(a, b) ? 1 : 0), exact: true, compute: promote };
}

export const BINARY: Record<string, BinaryRef> = {
  add: {
    dtype: promote,
    f: (a, b, d) => (d === "bool" ? (a || b ? 1 : 0) : d === "int32" ? wrap(a + b) : a + b),
    grad: (_a, _b, _y, w) => [w, w],
  },
  // PyTorch refuses subtraction with any bool tensor operand
  sub: {
    dtype: (a, b) => (isBool(a) || isBool(b) ? null : promote(a, b)),
    f: (a, b, d) => (d === "int32" ? wrap(a - b) : a - b),
    grad: (_a, _b, _y, w) => [w, -w],
  },
  mul: {
    dtype: promote,
    f: (a, b, d) => (d === "bool" ? (a && b ? 1 : 0) : d === "int32" ? Math.imul(a, b) : a * b),
    grad: (a, b, _y, w) => [w * b, w * a],
  },
  // true division: float32 whatever the operands. b's grad is PyTorch's (div_tensor_other_backward)
  // -grad·((self / other) / other), with its float32 steps (a / b overflows where it does)
  div: {
    dtype: () => "float32",
    f: (a, b) => a / b,
    grad: (a, b, _y, w) => [w / b, -w * Math.fround(Math.fround(a / b) / b)],
  },
  pow: {
    dtype: (a, b) => {
      if (isBool(a) && isBool(b)) return null;
      // an int tensor to a negative whole number: "Integers to negative integer powers are not allowed"
      if (typeof a === "string" && a !== "float32" && typeof b !== "string" && Number.isInteger(b.number) && b.number < 0) return null;
      return promote(a, b);
    },
    // PyTorch computes x ** 0.5 and x ** -0.5 for a number exponent as sqrt and rsqrt (so
    // (-inf) ** 0.5 is NaN, (-0) ** -0.5 is -inf), other powers as C's pow
    f: (a, b, d, bNumber) => {
      if (d !== "float32") return intPow(a, b);
      return bNumber ? scalarPow(a, b) : cpow(a, b);
    },
    // pow_backward_self, grad·(e·a^(e−1)), and pow_backward_exponent, grad·(y·log a), with
    // their float32 steps (a product that overflows stays ±Infinity); no grad to a where e = 0,
    // none to e where a = 0 and e ≥ 0. e − 1 is a float32 tensor for a tensor exponent, a
    // double for a number (for e = -3.9999998, a float32 neighbour of -4, e − 1 rounds to -5
    // only for the tensor)
    grad: (a, e, y, w, bNumber) => [
      e === 0 ? 0 : w * Math.fround(e * Math.fround(bNumber ? scalarPow(a, e - 1) : cpow(a, Math.fround(e - 1)))),
      a === 0 && e >= 0 ? 0 : w * Math.fround(y * Math.fround(Math.log(a))),
    ],
  },
  maximum: {
    dtype: (a, b) => (typeof a === "string" && typeof b === "string" ? promoteTypes(a, b) : null),
    f: (a, b, d) => (d === "bool" ? (a || b ? 1 : 0) : nanMax(a, b)),
    grad: extremumGrad(true),
    exact: true,
  },
  minimum: {
    dtype: (a, b) => (typeof a === "string" && typeof b === "string" ? promoteTypes(a, b) : null),
    f: (a, b, d) => (d === "bool" ? (a && b ? 1 : 0) : nanMin(a, b)),
    grad: extremumGrad(false),
    exact: true,
  },
  eq: comparison((a, b) => a === b),
  ne: comparison((a, b) => a !== b),
  lt: comparison((a, b) => a < b),
  le: comparison((a, b) => a <= b),
  gt: comparison((a, b) => a > b),
  ge: comparison((a, b) => a >= b),
};

/** clamp(x, lo, hi) = min(max(x, lo), hi) with NaN propagating; a missing bound is null. */
export function clampValue(x: number, lo: number | null, hi: number | null, d: DType): number {
  let v = x;
  if (lo !== null) v = d === "bool" ? (v || lo ? 1 : 0) : nanMax(v, lo);
  if (hi !== null) v = d === "bool" ? (v && hi ? 1 : 0) : nanMin(v, hi);
  return v;
}

/**
 * clamp's gradients [x, lo, hi] by PyTorch's clamp_backward_min_max (tensor bounds) and
 * clamp_backward (number bounds: only x's, the same mask).
 */
export function clampGrad(x: number, lo: number | null, hi: number | null, w: number): [number, number, number] {
  if (lo !== null && hi !== null) {
    return [x >= lo && x <= hi ? w : 0, x < lo && lo < hi ? w : 0, x > hi || hi < lo ? w : 0];
  }
  if (lo !== null) return [x >= lo ? w : 0, x < lo ? w : 0, 0];
  return [x <= hi! ? w : 0, 0, x > hi! ? w : 0];
}

/** The dtype of clamp(x, lo, hi): promoted with each bound given (tensor dtype or number). */
export function clampDtype(x: DType, lo: Kind | null, hi: Kind | null): DType {
  let d = x;
  for (const b of [lo, hi]) if (b !== null) d = typeof b === "string" ? promoteTypes(d, b) : promoteScalar(d, b.number);
  return d;
}

// ---- reductions ---------------------------------------------------------------------------

/** Normalises a dim (negative counts from the end; a 0-d tensor takes 0 and -1). */
export function normDim(d: number, rank: number): number {
  return d < 0 ? d + Math.max(rank, 1) : d;
}

/**
 * The groups of a reduction of a tensor of `shape` over `dims` (normalised; null: every dim):
 * for each output element (row-major), the flat indices of the input elements it reduces, in
 * row-major order; and the output's shape.
 */
export function reduceGroups(shape: readonly number[], dims: readonly number[] | null, keepdim: boolean): { outShape: number[]; groups: number[][] } {
  const rank = shape.length;
  const reduced = shape.map((_, d) => dims === null || dims.includes(d));
  const outShape: number[] = [], keptShape: number[] = [];
  shape.forEach((n, d) => {
    if (!reduced[d]) { outShape.push(n); keptShape.push(n); } else if (keepdim) outShape.push(1);
  });
  const groups: number[][] = Array.from({ length: numel(keptShape) }, () => []);
  const keptStrides = stridesOf(keptShape);
  const coord = new Array<number>(rank).fill(0);
  for (let i = 0, n = numel(shape); i < n; i++) {
    let k = 0, j = 0;
    for (let d = 0; d < rank; d++) if (!reduced[d]) k += coord[d] * keptStrides[j++];
    groups[k].push(i);
    for (let d = rank - 1; d >= 0; d--) { if (++coord[d] < shape[d]) break; coord[d] = 0; }
  }
  return { outShape, groups };
}

/** Σ x, and Σ |x|: the scale of a float32 sum's rounding error. */
const total = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
const totalAbs = (xs: readonly number[]): number => xs.reduce((a, b) => a + Math.abs(b), 0);

/** The index of the first NaN, else of the first largest (smallest) element. */
export function argExtreme(xs: readonly number[], isMax: boolean): number {
  let best = 0;
  for (let i = 0; i < xs.length; i++) {
    if (Number.isNaN(xs[i])) return i;
    if (isMax ? xs[i] > xs[best] : xs[i] < xs[best]) best = i;
  }
  return best;
}

/** The options a reduction takes besides dim and keepdim. */
export interface ReduceOptions {
  correction?: number;
  p?: number;
}

export interface ReductionRef {
  /** The result dtype for the input dtype, or null where PyTorch refuses it. */
  dtype(d: DType): DType | null;
  /** The value of one group. */
  value(xs: number[], d: DType, o: ReduceOptions): number;
  /** Per element of the group, w·∂value/∂x (float32). */
  grad(xs: number[], y: number, w: number, o: ReduceOptions): number[];
  /** PyTorch gives no gradient at all (the input's grad stays None), whatever the input. */
  noGrad?(o: ReduceOptions): boolean;
  /** PyTorch refuses an empty group (a reduction without identity). */
  refusesEmpty?(o: ReduceOptions): boolean;
  /** The scale of the float32 accumulation's error (Σ|terms|), where the op sums. */
  mag?(xs: number[], y: number, o: ReduceOptions): number;
  /** The same for each element's gradient (var/std: x − mean carries the mean's rounding, ~Σ|x|/n). */
  gradMag?(xs: number[], y: number, w: number, o: ReduceOptions): number;
  exact?: boolean;
}

const intOrFloat = (d: DType): DType => (d === "float32" ? d : "int32");
const floatOnly = (d: DType): DType | null => (d === "float32" ? d : null);

/** var's divisor: PyTorch's max(0, n − correction). */
const dof = (n: number, c: number): number => Math.max(0, n - c);

function variance(xs: number[], c: number): { mean: number; v: number } {
  const n = xs.length, mean = total(xs) / n;
  const ss = xs.reduce((a, x) => a + (x - mean) * (x - mean), 0);
  return { mean, v: ss / dof(n, c) };
}

function extremum(isMax: boolean): ReductionRef {
  return {
    dtype: (d) => d,
    value: (xs) => xs.reduce(isMax ? nanMax : nanMin),
    // amax/amin and max()/min(): the gradient shared evenly among the elements equal to the result
    grad: (xs, y, w) => {
      const count = xs.filter((x) => x === y).length;
      return xs.map((x) => (x === y ? w / count : 0));
    },
    refusesEmpty: () => true,
    exact: true,
  };
}

/** The p-norm of xs (torch.linalg.vector_norm). */
export function vectorNorm(xs: number[], p: number): number {
  const a = xs.map(Math.abs);
  if (p === Infinity) return a.reduce(nanMax, 0);
  if (p === -Infinity) return a.reduce(nanMin, Infinity);
  if (p === 0) return xs.filter((x) => x !== 0).length;
  if (p === 1) return total(a);
  // PyTorch squares in float32: the 2-norm of a subnormal is 0 (other orders do not underflow)
  if (p === 2) return Math.sqrt(total(a.map((v) => Math.fround(v * v))));
  return Math.pow(total(a.map((v) => Math.pow(v, p))), 1 / p);
}

/**
 * PyTorch's norm_backward (FunctionsManual.cpp), per element, with its powers rounded to
 * float32 as its tensors are (|x|^(p−1) overflows for subnormal x when p < 1, and 0·inf is NaN).
 */
function normGrad(xs: number[], y: number, w: number, p: number): number[] {
  const f = Math.fround;
  if (p === 0) return xs.map(() => 0); // (PyTorch gives none at all: see noGrad)
  if (p === 1) return xs.map((x) => w * sgn(x));
  if (p === 2) return xs.map((x) => (y === 0 ? 0 : (w * x) / y));
  if (p === Infinity || p === -Infinity) {
    const count = xs.filter((x) => Math.abs(x) === y).length;
    return xs.map((x) => (Math.abs(x) === y ? (sgn(x) * w) / count : 0));
  }
  if (p < 1) return xs.map((x) => (x === 0 ? 0 : f(sgn(x) * f(Math.pow(Math.abs(x), p - 1))) * w * f(Math.pow(y, 1 - p))));
  const scale = y === 0 ? 0 : w / f(Math.pow(y, p - 1));
  if (p < 2) return xs.map((x) => f(sgn(x) * f(Math.pow(Math.abs(x), p - 1))) * scale);
  return xs.map((x) => f(x * f(Math.pow(Math.abs(x), p - 2))) * scale);
}

/** log Σ exp(x), stable; -inf for no elements or all -inf. */
export function logSumExp(xs: readonly number[]): number {
  const m = xs.reduce(nanMax, -Infinity);
  if (Number.isNaN(m)) return NaN;
  if (m === -Infinity || m === Infinity) return m;
  return m + Math.log(xs.reduce((a, x) => a + Math.exp(x - m), 0));
}

export const REDUCTIONS: Record<string, ReductionRef> = {
  sum: {
    dtype: intOrFloat,
    value: (xs, d) => (d === "float32" ? total(xs) : xs.reduce((a, b) => (a + b) | 0, 0)),
    grad: (xs, _y, w) => xs.map(() => w),
    mag: (xs) => totalAbs(xs),
  },
  mean: {
    dtype: floatOnly,
    value: (xs) => total(xs) / xs.length,
    grad: (xs, _y, w) => xs.map(() => w / xs.length),
    mag: (xs) => totalAbs(xs) / xs.length,
  },
  prod: {
    dtype: intOrFloat,
    value: (xs, d) => (d === "float32" ? xs.reduce((a, b) => a * b, 1) : xs.reduce((a, b) => Math.imul(a, b), 1)),
    // the product of the others (PyTorch's prod_backward handles zeros this way)
    grad: (xs, _y, w) => xs.map((_, i) => xs.reduce((a, b, j) => (j === i ? a : a * b), w)),
  },
  var: {
    dtype: floatOnly,
    value: (xs, _d, o) => variance(xs, o.correction ?? 1).v,
    grad: (xs, _y, w, o) => {
      const { mean } = variance(xs, o.correction ?? 1);
      return xs.map((x) => (2 * w * (x - mean)) / dof(xs.length, o.correction ?? 1));
    },
    gradMag: (xs, _y, w, o) => (2 * Math.abs(w) * totalAbs(xs)) / xs.length / dof(xs.length, o.correction ?? 1),
  },
  std: {
    dtype: floatOnly,
    value: (xs, _d, o) => Math.sqrt(variance(xs, o.correction ?? 1).v),
    // std_backward: grad / (2·std), 0 where std = 0, through var_backward's (2 / dof)·grad·(x − mean),
    // with their float32 steps (grad / (2·std) overflows for a subnormal std, as in PyTorch)
    grad: (xs, y, w, o) => {
      const f = Math.fround, { mean } = variance(xs, o.correction ?? 1);
      const gv = y === 0 ? 0 : f(w / f(2 * y));
      const scale = f(f(2 / dof(xs.length, o.correction ?? 1)) * gv);
      return xs.map((x) => scale * f(x - f(mean)));
    },
    gradMag: (xs, y, w, o) => (y === 0 ? 0 : (Math.abs(w) * totalAbs(xs)) / xs.length / (dof(xs.length, o.correction ?? 1) * y)),
  },
  amax: extremum(true),
  amin: extremum(false),
  logsumexp: {
    dtype: toFloat,
    value: (xs) => logSumExp(xs),
    grad: (xs, y, w) => xs.map((x) => w * Math.exp(x - y)),
  },
  norm: {
    dtype: floatOnly,
    value: (xs, _d, o) => vectorNorm(xs, o.p ?? 2),
    grad: (xs, y, w, o) => normGrad(xs, y, w, o.p ?? 2)!,
    noGrad: (o) => o.p === 0,
    // linalg.vector_norm refuses p < 0 and p = ±inf over nothing
    refusesEmpty: (o) => (o.p ?? 2) < 0 || o.p === Infinity,
  },
};

/** A scan along one dim: values and gradient of a whole line. */
export interface ScanRef {
  dtype(d: DType): DType | null;
  values(xs: number[], d: DType): number[];
  /** ∂/∂x of Σ w·y along the line. */
  grad(xs: number[], ys: number[], ws: number[]): number[];
  /** Per element, the scale of the float32 sums' error in the values and in the gradient. */
  mags(xs: number[], ys: number[], ws: number[]): { values: number[]; grad: number[] };
}

/** PyTorch's softmax: m = max (NaN wins), e = exp(x − m), e / Σe (so an infinite max gives NaN everywhere). */
function softmaxValues(xs: number[]): number[] {
  const m = xs.reduce(nanMax, -Infinity);
  const e = xs.map((x) => Math.exp(x - m));
  const s = total(e);
  return e.map((v) => v / s);
}

export const SCANS: Record<string, ScanRef> = {
  cumsum: {
    dtype: intOrFloat,
    values: (xs, d) => {
      let acc = 0;
      return xs.map((x) => (acc = d === "float32" ? acc + x : (acc + x) | 0));
    },
    grad: (_xs, _ys, ws) => {
      let acc = 0;
      return ws.map((_, i) => ws[ws.length - 1 - i]).map((w) => (acc += w)).reverse();
    },
    mags: (xs, _ys, ws) => {
      let a = 0, b = 0;
      const values = xs.map((x) => (a += Math.abs(x)));
      const grad = ws.map((_, i) => Math.abs(ws[ws.length - 1 - i])).map((w) => (b += w)).reverse();
      return { values, grad };
    },
  },
  softmax: {
    dtype: floatOnly,
    values: softmaxValues,
    // y ⊙ (w − Σ w·y)
    grad: (_xs, ys, ws) => {
      const dot = ys.reduce((a, y, i) => a + y * ws[i], 0);
      return ys.map((y, i) => y * (ws[i] - dot));
    },
    mags: (_xs, ys, ws) => {
      const s = ys.reduce((a, y, i) => a + Math.abs(y * ws[i]), 0);
      return { values: ys.map(() => 0), grad: ys.map((y) => y * s) };
    },
  },
  logSoftmax: {
    dtype: floatOnly,
    // x − m − log Σ exp(x − m)
    values: (xs) => {
      const m = xs.reduce(nanMax, -Infinity);
      const s = xs.reduce((a, x) => a + Math.exp(x - m), 0);
      return xs.map((x) => x - m - Math.log(s));
    },
    // w − softmax · Σ w
    grad: (_xs, ys, ws) => {
      const s = total(ws);
      return ys.map((y, i) => ws[i] - Math.exp(y) * s);
    },
    mags: (_xs, ys, ws) => {
      const s = totalAbs(ws);
      return { values: ys.map(() => 0), grad: ys.map((y) => Math.exp(y) * s) };
    },
  },
};

// ---- comparison ---------------------------------------------------------------------------

/** |a − b| ≤ atol + rtol·|b| + sum·mag, where mag is the Σ|terms| of a float32 accumulation. */
export interface Tolerance {
  atol: number;
  rtol: number;
  sum?: number;
}

/** The house tolerance of the fixtures. */
export const HOUSE: Tolerance = { atol: 1e-5, rtol: 1e-4 };
export const EXACT: Tolerance = { atol: 0, rtol: 0 };

/** Within a factor 4 of float32's largest value, the order of a formula's float32 steps decides whether it overflows. */
const NEAR_OVERFLOW = 2 ** 126;

/**
 * null when `actual` matches `expected` (float64 values, rounded here to float32 when the
 * dtype is float32): NaN and ±Infinity exactly where expected, finite values within `tol`
 * (the sign of a zero is not compared); else a message naming the first element that differs.
 * Near float32's overflow (|x| ≥ 2^126) an infinity and a finite value of the same sign
 * match: PyTorch's own answer there depends on the order of its float32 steps.
 */
export function mismatch(actual: ArrayLike<number>, expected: readonly number[], dtype: DType, tol: Tolerance,
  mags?: readonly number[]): string | null {
  if (actual.length !== expected.length) return `${actual.length} values, expected ${expected.length}`;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i], e = dtype === "float32" ? Math.fround(expected[i]) : expected[i];
    if (Number.isNaN(e) || Number.isNaN(a) || !Number.isFinite(e) || !Number.isFinite(a)) {
      if (Object.is(a, e) || (Number.isNaN(a) && Number.isNaN(e))) continue;
      if (dtype === "float32" && Math.sign(a) === Math.sign(e) && Math.abs(a) >= NEAR_OVERFLOW && Math.abs(e) >= NEAR_OVERFLOW) continue;
      return `element ${i} is ${a}, expected ${e}`;
    }
    const bound = tol.atol + tol.rtol * Math.abs(e) + (tol.sum ?? 0) * (mags?.[i] ?? 0);
    if (!(Math.abs(a - e) <= bound)) return `element ${i} is ${a}, expected ${e} (|diff| ${Math.abs(a - e)} > ${bound})`;
  }
  return null;
}
