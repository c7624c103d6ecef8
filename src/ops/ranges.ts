// Ranges: arange, linspace, eye, with PyTorch's lengths, dtypes and float32 values.
//
// PyTorch's CPU kernels compute each float32 value with a fused multiply-add (the compiler
// contracts `start + step * i`), arange in double and linspace in float32, and arange writes
// blocks of 16 as two 8-lane vectors `base + k·step` (x86-64 builds, AVX2 and AVX512 alike).
// The values here repeat that arithmetic exactly, so they equal PyTorch's bit for bit (for a
// single-threaded arange; past 32768 elements PyTorch's threads start blocks elsewhere, which
// moves some values by one ulp).
//
// torchlet's int32 stands for PyTorch's int64: an int32 arange or linspace truncates its
// arguments to integers first and counts as PyTorch's int64 kernels do.
import { type Tensor, createOptions, type CreateOptions } from "../tensor.js";
import { F32, I32, U8 } from "../runtime/memory.js";
import { empty, fill } from "./layout.js";
import type { DType } from "../dtype.js";
import { intArg, leaf, numberArg, refuseDType } from "./creation_args.js";

const INT32_MIN = -2147483648, INT32_MAX = 2147483647;

// ---- fused multiply-add, as the C++ compiler emits it ------------------------------------

const SPLIT = 134217729; // 2^27 + 1: Veltkamp's splitter for doubles

/** C's fma(a, b, c) in double: a·b + c rounded once (Dekker's exact product, then TwoSum). */
function fma64(a: number, b: number, c: number): number {
  const p = a * b, s = p + c;
  if (!Number.isFinite(s)) return s;
  let t = SPLIT * a;
  const ah = t - (t - a), al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b), bl = b - bh;
  const pe = ((ah * bh - p) + ah * bl + al * bh) + al * bl; // a·b = p + pe exactly
  const bb = s - p, se = (p - (s - bb)) + (c - bb); // p + c = s + se exactly
  return s + (se + pe);
}

const word = new Float64Array(1);
const bits = new Uint32Array(word.buffer); // [low, high] on the little-endian hosts wasm runs on

/**
 * fmaf(a, b, c) for float32 a, b, c: a·b is exact in double; the sum is rounded to odd (its
 * last bit set when inexact), after which rounding to float32 is correct (53 ≥ 24 + 2 bits).
 */
function fma32(a: number, b: number, c: number): number {
  const p = a * b, s = p + c;
  if (!Number.isFinite(s)) return Math.fround(s);
  const bb = s - p, err = (p - (s - bb)) + (c - bb);
  if (err === 0) return Math.fround(s);
  word[0] = s;
  if ((bits[0] & 1) === 0) {
    if (err > 0 === s > 0) bits[0] += 1; // one ulp away from zero, toward the exact sum
    else if (bits[0] === 0) { bits[0] = 0xffffffff; bits[1] -= 1; } else bits[0] -= 1;
  }
  return Math.fround(word[0]);
}

/** A number as C++'s ostream prints it in PyTorch's messages (inf, nan). */
function cnum(v: number): string {
  return Number.isNaN(v) ? "nan" : v === Infinity ? "inf" : v === -Infinity ? "-inf" : String(v);
}

function intRange(values: readonly number[], where: string): void {
  for (const v of values) {
    if (!Number.isFinite(v) || v < INT32_MIN || v > INT32_MAX) {
      throw new Error(`${where}: value cannot be converted to type int32 without overflow (${cnum(v)} is outside ` +
        `int32, torchlet's integer dtype, ${INT32_MIN} to ${INT32_MAX}); pass { dtype: "float32" }`);
    }
  }
}

/**
 * A new contiguous 1-d tensor whose element i is value(i), as the dtype stores it (float32
 * rounds; int32 values are in range). `value` allocates nothing: the memory view is taken once.
 */
function tensorOf(n: number, dtype: DType, value: (i: number) => number): Tensor {
  const t = empty([n], dtype);
  if (n === 0) return t;
  const p = t._ptr; // before the view: reading the pointer can bring the storage back
  const v = dtype === "int32" ? I32() : F32(), o = p >>> 2;
  for (let i = 0; i < n; i++) v[o + i] = value(i);
  return t;
}

function isOptions(v: unknown): boolean {
  return v === null || (typeof v === "object" && !Array.isArray(v));
}

// ---- arange --------------------------------------------------------------------------------

/**
 * Element i of PyTorch's float arange: its kernel writes the first ⌊n/16⌋·16 elements as
 * 8-lane vectors `base + k·step` from base = start + step·(i − k), the rest one by one.
 */
function arangeFloatAt(start: number, step: number, n: number): (i: number) => number {
  const blocked = n - (n % 16);
  return (i) => i < blocked
    ? fma64(i & 7, step, Math.fround(fma64(step, i - (i & 7), start)))
    : fma64(step, i, start);
}

/**
 * Values from 0 up to but excluding `end`, step 1, as `torch.arange(end)`: int32 when `end`
 * is a whole number (PyTorch's int64 for Python ints), float32 otherwise, unless `dtype`
 * says.
 *
 * ```ts
 * torch.arange(5);                                // tensor([0, 1, 2, 3, 4])
 * torch.arange(3, { dtype: "float32", requiresGrad: true }); // tensor([0., 1., 2.], requiresGrad=true)
 * ```
 */
export function arange(end: number, opts?: CreateOptions): Tensor;
/**
 * Values from `start` up to but excluding `end`, step 1, as `torch.arange(start, end)`.
 *
 * ```ts
 * torch.arange(2, 5);   // tensor([2, 3, 4])
 * torch.arange(0.5, 3); // tensor([0.5000, 1.5000, 2.5000])
 * ```
 */
export function arange(start: number, end: number, opts?: CreateOptions): Tensor;
/**
 * Values from `start` up to but excluding `end`, `step` apart, as PyTorch's
 * `torch.arange(start, end, step)`: int32 when every argument is a whole number, float32
 * otherwise; the length is ⌈(end − start) / step⌉.
 *
 * ```ts
 * torch.arange(1, 2.5, 0.5);  // tensor([1.0000, 1.5000, 2.0000])
 * torch.arange(10, 0, -3);    // tensor([10,  7,  4,  1])
 * ```
 */
export function arange(start: number, end: number, step: number, opts?: CreateOptions): Tensor;
export function arange(...args: unknown[]): Tensor {
  const where = "arange()";
  const list = args.slice();
  const opts = list.length > 1 && isOptions(list[list.length - 1]) ? list.pop() : undefined;
  while (list.length > 1 && list[list.length - 1] === undefined) list.pop(); // arange(0, 5, undefined)
  if (list.length < 1 || list.length > 3) {
    throw new TypeError(`${where}: expected arange(end), arange(start, end) or arange(start, end, step) and an options object, got ${args.length} arguments`);
  }
  const one = list.length === 1;
  const start = one ? 0 : numberArg(list[0], "start", 1, where);
  const end = numberArg(one ? list[0] : list[1], "end", one ? 1 : 2, where);
  const step = list.length === 3 ? numberArg(list[2], "step", 3, where) : 1;
  const whole = Number.isInteger(start) && Number.isInteger(end) && Number.isInteger(step);
  const { dtype, requiresGrad } = createOptions(opts, where, undefined, whole ? "int32" : "float32");
  refuseDType(dtype, ["float32", "int32"], where, `"arange_cpu" not implemented for 'Bool'`);
  // int32 (PyTorch's int64): the arguments as integers, the length counted in integers
  const int = dtype === "int32";
  const [xs, xe, xstep] = int ? [Math.trunc(start), Math.trunc(end), Math.trunc(step)] : [start, end, step];
  if (!(xstep > 0 || xstep < 0)) throw new Error(`${where}: step must be nonzero (got ${cnum(step)})`);
  if (!Number.isFinite(xs) || !Number.isFinite(xe)) throw new Error(`${where}: unsupported range: ${cnum(xs)} -> ${cnum(xe)}`);
  if (!((xstep > 0 && xe >= xs) || (xstep < 0 && xe <= xs))) {
    throw new Error(`${where}: upper bound and lower bound inconsistent with step sign (start ${xs}, end ${xe}, step ${xstep})`);
  }
  if (int) intRange([xstep], where);
  // (max: 0 rather than −0 when start = end)
  const n = Math.max(0, int ? Math.trunc((xe - xs + xstep - Math.sign(xstep)) / xstep) : Math.ceil((xe - xs) / xstep));
  if (!(n <= INT32_MAX)) throw new Error(`${where}: invalid size, possible overflow? (${n} elements)`);
  if (int && n > 0) intRange([xs, xs + xstep * (n - 1)], where);
  const value = int ? (i: number) => xs + xstep * i : arangeFloatAt(xs, xstep, n);
  return leaf(tensorOf(n, dtype, value), requiresGrad);
}

// ---- linspace ------------------------------------------------------------------------------

/**
 * `steps` values evenly spaced from `start` to `end` inclusive, float32 unless `dtype` is
 * given (PyTorch's `torch.linspace`, whose float32 values it matches exactly: the first half
 * counts up from start, the second half down from end).
 *
 * ```ts
 * torch.linspace(0, 1, 5);   // tensor([0.0000, 0.2500, 0.5000, 0.7500, 1.0000])
 * torch.linspace(-3, 10, 7, { dtype: "int32" }); // tensor([-3,  0,  1,  3,  5,  7, 10])
 * ```
 */
export function linspace(start: number, end: number, steps: number, opts?: CreateOptions): Tensor {
  const where = "linspace()";
  numberArg(start, "start", 1, where);
  numberArg(end, "end", 2, where);
  intArg(steps, "steps", 3, where);
  const { dtype, requiresGrad } = createOptions(opts, where);
  refuseDType(dtype, ["float32", "int32"], where, `"linspace_cpu" not implemented for 'Bool'`);
  if (steps < 0) throw new Error(`${where}: number of steps must be non-negative (got ${steps})`);
  if (steps > INT32_MAX) throw new Error(`${where}: invalid size, possible overflow? (${steps} steps)`);
  const half = Math.floor(steps / 2);
  let value: (i: number) => number;
  if (dtype === "int32") {
    intRange([start, end], where);
    const s = Math.trunc(start), e = Math.trunc(end);
    const step = (e - s) / (steps - 1); // double, as PyTorch's step for integral types
    value = steps === 1 ? () => s : (i) => Math.trunc(i < half ? fma64(step, i, s) : fma64(-step, steps - i - 1, e));
  } else {
    const s = Math.fround(start), e = Math.fround(end);
    const step = Math.fround(Math.fround(e - s) / Math.fround(steps - 1));
    value = steps === 1 ? () => s : (i) => (i < half ? fma32(step, Math.fround(i), s) : fma32(-step, Math.fround(steps - i - 1), e));
  }
  return leaf(tensorOf(steps, dtype, value), requiresGrad);
}

// ---- eye -----------------------------------------------------------------------------------

/**
 * An n×n identity matrix (ones on the diagonal, zeros elsewhere), float32 unless `dtype` is
 * given (PyTorch's `torch.eye(n)`).
 *
 * ```ts
 * torch.eye(2);                          // tensor([[1., 0.], [0., 1.]])
 * torch.eye(2, { requiresGrad: true }).requiresGrad; // true
 * ```
 */
export function eye(n: number, opts?: CreateOptions): Tensor;
/**
 * An n×m matrix with ones on the diagonal and zeros elsewhere (PyTorch's `torch.eye(n, m)`).
 *
 * ```ts
 * torch.eye(2, 3, { dtype: "int32" }); // tensor([[1, 0, 0], [0, 1, 0]])
 * ```
 */
export function eye(n: number, m: number, opts?: CreateOptions): Tensor;
export function eye(n: number, m?: number | CreateOptions, opts?: CreateOptions): Tensor {
  const where = "eye()";
  intArg(n, "n", 1, where);
  const o = isOptions(m) ? m : opts;
  const cols = m === undefined || isOptions(m) ? n : intArg(m, "m", 2, where);
  const { dtype, requiresGrad } = createOptions(o, where);
  if (n < 0) throw new Error(`${where}: n must be greater or equal to 0, got ${n}`);
  if (cols < 0) throw new Error(`${where}: m must be greater or equal to 0, got ${cols}`);
  const t = fill([n, cols], 0, dtype);
  const k = Math.min(n, cols);
  if (k > 0) {
    const p = t._ptr; // before the view: reading the pointer can bring the storage back
    const [v, o] = dtype === "bool" ? [U8(), p] : [dtype === "int32" ? I32() : F32(), p >>> 2];
    for (let i = 0; i < k; i++) v[o + i * (cols + 1)] = 1;
  }
  return leaf(t, requiresGrad);
}
