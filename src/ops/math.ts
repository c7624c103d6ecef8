// Element-wise math: square, rsqrt, reciprocal, sign, floor, ceil, round, trunc, sin, cos,
// log1p, expm1, log2; pow with a number or tensor exponent (or a number base); clamp with
// number or tensor bounds; minimum and maximum. dtypes as PyTorch: the rounding ops, sign,
// square, clamp, minimum/maximum and integer powers keep int32; the others compute int
// and bool inputs in float32. NaN propagates through minimum, maximum and clamp.
import { Tensor, type Operand } from "../tensor.js";
import { isGradEnabled, needsGrad, record } from "../autograd.js";
import { type DType, dtypeCode, promoteScalar, promoteTypes } from "../dtype.js";
import { IntUn, Mth, Un } from "./codes.js";
import { intUnary, unary, unaryRaw } from "./elementwise.js";
import { broadcastPair, castTo, clone, dense, dropTemp, empty, fill, live } from "./layout.js";
import { defineMethods } from "../methods.js";
import { refuseUnknownOptions } from "../unknown_option.js";
import type { Shape } from "../shape.js";
import {
  MK, asDtype, broadcastAll, dropTemps, expandDense, kindOf, operandArg, scalarOperand, stridedTable, sumTo, tensorArg,
  withScalar,
} from "./broadcast.js";
import { logicalAnd, logicalOr } from "./compare.js";

const INT32_MIN = -2147483648, INT32_MAX = 2147483647;

// ---- unary ------------------------------------------------------------------------------

function floatUnary(op: Un, name: string, self: unknown): Tensor {
  return unary(op, tensorArg(self, name, "self"), 0);
}

/**
 * `1 / sqrt(x)` element-wise (int and bool inputs give float32).
 *
 * ```ts
 * torch.rsqrt(torch.tensor([1, 4]));  // tensor([1.0000, 0.5000])
 * ```
 */
export const rsqrt = (self: Tensor): Tensor => floatUnary(Un.RSQRT, "rsqrt", self);
/**
 * `1 / x` element-wise (int and bool inputs give float32), as `torch.reciprocal`.
 *
 * ```ts
 * torch.reciprocal(torch.tensor([2, -4])); // tensor([ 0.5000, -0.2500])
 * ```
 */
export const reciprocal = (self: Tensor): Tensor => floatUnary(Un.RECIPROCAL, "reciprocal", self);
/**
 * Sine element-wise, in radians (int and bool inputs give float32), as `torch.sin`.
 *
 * ```ts
 * torch.sin(torch.tensor([0, Math.PI / 2])); // tensor([0., 1.])
 * ```
 */
export const sin = (self: Tensor): Tensor => floatUnary(Un.SIN, "sin", self);
/**
 * Cosine element-wise, in radians (int and bool inputs give float32), as `torch.cos`.
 *
 * ```ts
 * torch.cos(torch.tensor([0, Math.PI])); // tensor([ 1., -1.])
 * ```
 */
export const cos = (self: Tensor): Tensor => floatUnary(Un.COS, "cos", self);
/**
 * `log(1 + x)` element-wise, accurate for small x (where `x.add(1).log()` loses digits),
 * as `torch.log1p`.
 *
 * ```ts
 * torch.log1p(torch.tensor([1e-8])).item(); // 1e-8
 * torch.tensor([1e-8]).add(1).log().item(); // 0
 * ```
 */
export const log1p = (self: Tensor): Tensor => floatUnary(Un.LOG1P, "log1p", self);
/**
 * `exp(x) - 1` element-wise, accurate for small x, as `torch.expm1`.
 *
 * ```ts
 * torch.expm1(torch.tensor([1e-8])).item(); // 1e-8
 * ```
 */
export const expm1 = (self: Tensor): Tensor => floatUnary(Un.EXPM1, "expm1", self);
/**
 * Base-2 logarithm element-wise, as `torch.log2`.
 *
 * ```ts
 * torch.log2(torch.tensor([8, 0.5])); // tensor([ 3., -1.])
 * ```
 */
export const log2 = (self: Tensor): Tensor => floatUnary(Un.LOG2, "log2", self);

/**
 * `x * x` element-wise; int32 and bool inputs give int32, as PyTorch.
 *
 * ```ts
 * torch.square(torch.tensor([-2, 3], { dtype: "int32" }));  // tensor([4, 9])
 * ```
 */
export function square(self: Tensor): Tensor {
  const x = tensorArg(self, "square", "self");
  return x.dtype === "float32" ? unary(Un.SQUARE, x, 0) : intUnary(IntUn.SQUARE, x);
}

/**
 * -1, 0 or 1 by the sign of each element (0 for NaN); keeps the dtype (bool stays bool).
 *
 * ```ts
 * torch.sign(torch.tensor([-2.5, 0, 3]));  // tensor([-1.,  0.,  1.])
 * ```
 */
export function sign(self: Tensor): Tensor {
  const x = tensorArg(self, "sign", "self");
  if (x.dtype === "float32") return unary(Un.SIGN, x, 0);
  return x.dtype === "int32" ? intUnary(IntUn.SIGN, x) : clone(x);
}

function rounding(op: Un, name: string, self: unknown): Tensor {
  const x = tensorArg(self, name, "self");
  if (x.dtype === "float32") return unary(op, x, 0);
  if (x.dtype === "bool") throw new TypeError(`${name}: not implemented for bool tensors (as in PyTorch); convert with .float() first`);
  return clone(x); // integers are already whole
}

/**
 * Largest whole number ≤ x, element-wise (int32 unchanged; bool refused, as PyTorch), as
 * `torch.floor`.
 *
 * ```ts
 * torch.floor(torch.tensor([1.5, -1.5])); // tensor([ 1., -2.])
 * ```
 */
export const floor = (self: Tensor): Tensor => rounding(Un.FLOOR, "floor", self);
/**
 * Smallest whole number ≥ x, element-wise (int32 unchanged; bool refused), as `torch.ceil`.
 *
 * ```ts
 * torch.ceil(torch.tensor([1.5, -1.5])); // tensor([ 2., -1.])
 * ```
 */
export const ceil = (self: Tensor): Tensor => rounding(Un.CEIL, "ceil", self);
/**
 * Options of `round`: `decimals`, the number of decimal places (PyTorch's keyword-only
 * `decimals`; default 0).
 *
 * ```ts
 * const opts: torch.RoundOptions = { decimals: -1 };
 * torch.round(torch.tensor([1234, 1250]), opts); // tensor([1230., 1250.])
 * ```
 */
export interface RoundOptions {
  /** Decimal places to round to (default 0; negative rounds to tens, hundreds…). */
  decimals?: number;
}

/**
 * Nearest whole number, halves to even as PyTorch (int32 unchanged); with `decimals`, to
 * that many decimal places, as PyTorch computes it in float32 (x · 10^d rounded, / 10^d).
 *
 * ```ts
 * torch.round(torch.tensor([0.5, 1.5, 2.5]));          // tensor([0., 2., 2.])
 * torch.round(torch.tensor([1.2345]), { decimals: 2 }); // tensor([1.2300])
 * ```
 */
export function round(self: Tensor, options?: RoundOptions): Tensor {
  const d = roundDecimals(options);
  if (d === undefined) return rounding(Un.ROUND, "round", self);
  const x = tensorArg(self, "round", "self");
  if (x.dtype !== "float32") throw new TypeError(`round: decimals is not implemented for ${x.dtype} tensors (as in PyTorch); convert with .float() first`);
  // PyTorch's round_decimals: nearbyint(x * 10^d) / 10^d, or nearbyint(x / 10^-d) * 10^-d, in float32
  const scale = 10 ** Math.abs(d);
  const scaled = unaryRaw(d >= 0 ? Un.MULS : Un.DIVS, x, scale);
  const rounded = unaryRaw(Un.ROUND, scaled, 0);
  scaled.dispose();
  const out = unaryRaw(d >= 0 ? Un.DIVS : Un.MULS, rounded, scale);
  rounded.dispose();
  if (needsGrad(x)) record(out, "RoundBackward1", [x], () => [fill(x.shape, 0)]);
  return out;
}

function roundDecimals(options: unknown): number | undefined {
  if (options === undefined || options === null) return undefined;
  if (typeof options !== "object" || Array.isArray(options)) {
    throw new TypeError(`round: options must be an object such as { decimals: 2 }, got ${kindOf(options)}`);
  }
  refuseUnknownOptions("round", options, ["decimals"]);
  const d = (options as RoundOptions).decimals;
  if (d !== undefined && !Number.isInteger(d)) throw new TypeError(`round: decimals must be an integer, got ${kindOf(d)}`);
  return d;
}
/**
 * x without its fractional part (toward zero), element-wise (int32 unchanged), as
 * `torch.trunc`.
 *
 * ```ts
 * torch.trunc(torch.tensor([1.7, -1.7])); // tensor([ 1., -1.])
 * ```
 */
export const trunc = (self: Tensor): Tensor => rounding(Un.TRUNC, "trunc", self);

// ---- binary: maximum, minimum, pow ------------------------------------------------------

/** maximum / minimum / pow of a and b (both of `dtype`, any layout) into a new tensor of `shape`. */
function mathRaw(op: Mth, a: Tensor, b: Tensor, shape: Shape, dtype: DType): Tensor {
  const out = empty(shape, dtype);
  if (out._size > 0) {
    const [ndim, table] = stridedTable(shape, [a, b]);
    MK.binaryMath(op, dtypeCode(dtype), a._ptr, b._ptr, out._ptr, ndim, table);
  }
  return out;
}

/** The grads of a binary op: from the float32 operands fa, fb (as the forward read them), the output and g. */
type BinaryGrads = (fa: Tensor, fb: Tensor, out: Tensor, g: Tensor, wantA: boolean, wantB: boolean) => [Tensor | null, Tensor | null];

/**
 * a op b for two tensors in `dtype`, recording `gradName` with `grads` when the result is
 * float32 and either input requires grad; `readsOut`: the backward reads the output too.
 */
function binaryMath(op: Mth, name: string, a: Tensor, b: Tensor, dtype: DType,
  gradName: string, grads: BinaryGrads, readsOut: boolean): Tensor {
  const shape = broadcastPair(a, b, name);
  const fa = asDtype(a, dtype), fb = asDtype(b, dtype);
  const out = mathRaw(op, fa, fb, shape, dtype);
  if (dtype === "float32" && needsGrad(a, b)) {
    const user = [fa, fb].filter((t) => t === a || t === b);
    const reads = readsOut ? [...user, out] : user;
    const saved = [fa, fb].filter((t) => t !== a && t !== b);
    record(out, gradName, [a, b], (g) => grads(fa, fb, out, g, a.requiresGrad, b.requiresGrad), reads, saved);
  } else {
    dropTemp(fa, a); dropTemp(fb, b);
  }
  return out;
}

/** Runs a backward kernel over a, b broadcast to g's shape, giving the wanted grads reduced to a's and b's shapes. */
function pairGrads(a: Tensor, b: Tensor, g: Tensor, wantA: boolean, wantB: boolean,
  kernel: (a: Tensor, b: Tensor, ga: Tensor | null, gb: Tensor | null) => void): [Tensor | null, Tensor | null] {
  const ad = expandDense(a, g.shape), bd = expandDense(b, g.shape);
  const ga = wantA ? empty(g.shape) : null, gb = wantB ? empty(g.shape) : null;
  if (g._size > 0) kernel(ad, bd, ga, gb);
  dropTemp(ad, a); dropTemp(bd, b);
  return [ga && sumTo(ga, a.shape), gb && sumTo(gb, b.shape)];
}

const ptrOr0 = (t: Tensor | null): number => (t === null ? 0 : t._ptr);

function minmax(isMax: boolean, self: unknown, other: unknown): Tensor {
  const name = isMax ? "maximum" : "minimum";
  const a = tensorArg(self, name, "self");
  if (typeof other === "number") {
    throw new TypeError(`${name}: other must be a Tensor, got number ${other} (as in PyTorch); ` +
      `for a number bound use clamp(${isMax ? `${other}` : `null, ${other}`})`);
  }
  const b = tensorArg(other, name, "other");
  live(a); live(b);
  const dtype = promoteTypes(a.dtype, b.dtype);
  if (dtype === "bool") return isMax ? logicalOr(a, b) : logicalAnd(a, b);
  return binaryMath(isMax ? Mth.MAX : Mth.MIN, name, a, b, dtype, isMax ? "MaximumBackward0" : "MinimumBackward0",
    (fa, fb, _out, g, wantA, wantB) => pairGrads(fa, fb, g, wantA, wantB, (ad, bd, ga, gb) => {
      MK.minmaxBackward(isMax ? 1 : 0, ad._ptr, bd._ptr, g._ptr, ptrOr0(ga), ptrOr0(gb), g._size);
    }), false);
}

/**
 * The element-wise maximum of two tensors, broadcast (PyTorch's promotion; NaN if either
 * is NaN). Gradient: to the larger side, split in half on ties.
 *
 * ```ts
 * torch.maximum(torch.tensor([1, 5]), torch.tensor([3, 2]));  // tensor([3., 5.])
 * ```
 */
export const maximum = (self: Tensor, other: Tensor): Tensor => minmax(true, self, other);
/**
 * The element-wise minimum of two tensors, broadcast (PyTorch's promotion; NaN if either
 * is NaN), as `torch.minimum`. Gradient: to the smaller side, split in half on ties.
 *
 * ```ts
 * torch.minimum(torch.tensor([1, 5]), torch.tensor([3, 2])); // tensor([1., 2.])
 * ```
 */
export const minimum = (self: Tensor, other: Tensor): Tensor => minmax(false, self, other);

const powGrads: BinaryGrads = (fa, fb, out, g, wantA, wantB) => pairGrads(fa, fb, g, wantA, wantB, (ad, bd, ga, gb) => {
  MK.powBackward(ad._ptr, bd._ptr, out._ptr, g._ptr, ptrOr0(ga), ptrOr0(gb), g._size);
});

/** An integer power of an int32 or bool tensor by a whole number ≥ 0: int32, exact. */
function powIntScalar(x: Tensor, e: number): Tensor {
  if (e < 0) {
    throw new Error(`pow: integers to negative integer powers are not allowed (${x.dtype === "int32" ? "an" : "a"} ${x.dtype} tensor to the power ${e}); ` +
      `use x.float().pow(${e})`);
  }
  live(x);
  const s = scalarOperand(Math.min(e, INT32_MAX), "int32");
  const xi = asDtype(x, "int32");
  const out = mathRaw(Mth.POW, xi, s, x.shape, "int32");
  dropTemp(xi, x); s.dispose();
  return out;
}

/** torch.pow(base, exponent) with a number base (PowBackward2: the exponent's grad). */
function powNumberBase(base: number, e: Tensor): Tensor {
  live(e);
  const dtype = promoteScalar(e.dtype, base);
  const b = scalarOperand(base, dtype);
  const fe = asDtype(e, dtype);
  const out = mathRaw(Mth.POW, b, fe, e.shape, dtype);
  b.dispose();
  if (dtype === "float32" && needsGrad(e)) {
    record(out, "PowBackward2", [e], (g) => {
      const full = fill(g.shape, base);
      const [, ge] = powGrads(full, fe, out, g, false, true);
      full.dispose();
      return [ge];
    }, [e, out]);
  } else dropTemp(fe, e);
  return out;
}

/**
 * `self ** exponent` element-wise: exponent a number or a tensor (broadcast), or self a
 * number with a tensor exponent (`torch.pow(2, x)`). Integer tensors to whole powers stay
 * int32 (a negative number exponent is refused, as PyTorch). Gradients as PyTorch: none
 * to self where the exponent is 0; none to the exponent where self is 0 and the exponent
 * ≥ 0; NaN to the exponent where self < 0.
 *
 * ```ts
 * torch.pow(torch.tensor([2, 3], { dtype: "int32" }), 2);     // tensor([4, 9])
 * torch.pow(torch.tensor([4., 9.]), torch.tensor([0.5, 2])); // tensor([ 2., 81.])
 * torch.pow(2, torch.tensor([0., 3.]));                      // tensor([1., 8.])
 * ```
 */
export function pow(self: Tensor | number, exponent: Operand): Tensor {
  if (typeof self === "number") return powNumberBase(self, tensorArg(exponent, "pow", "exponent"));
  const x = tensorArg(self, "pow", "self");
  const e = operandArg(exponent, "pow", "exponent");
  if (typeof e === "number") {
    if (x.dtype === "float32" || !Number.isInteger(e)) return unary(Un.POW, x, e);
    return powIntScalar(x, e);
  }
  live(x); live(e);
  const dtype = promoteTypes(x.dtype, e.dtype);
  if (dtype === "bool") throw new TypeError("pow: not implemented for two bool tensors (as in PyTorch); convert one with .int()");
  return binaryMath(Mth.POW, "pow", x, e, dtype, "PowBackward1", powGrads, true);
}

// ---- clamp ------------------------------------------------------------------------------

type Bound = Tensor | number | null;

function boundArg(v: unknown, name: string): Bound {
  if (v === undefined || v === null) return null;
  if (v instanceof Tensor || typeof v === "number") return v;
  const hint = v !== null && typeof v === "object" && ("min" in v || "max" in v) ? "; bounds are positional: clamp(min, max), clamp(null, max)" : "";
  throw new TypeError(`clamp: ${name} must be a number, a Tensor, null or undefined, got ${kindOf(v)}${hint}`);
}

/** A number bound as an int32 kernel reads it: within int32's range (a whole number by then). */
function intBound(v: number | null, missing: number): number {
  return v === null ? missing : Math.min(Math.max(v, INT32_MIN), INT32_MAX);
}

/** clamp with number bounds (ClampBackward1). */
function clampNumbers(x: Tensor, lo: number | null, hi: number | null): Tensor {
  const dtype = withScalar(withScalar(x.dtype, lo), hi);
  const float = dtype === "float32";
  const l = float ? lo ?? -Infinity : intBound(lo, INT32_MIN);
  const h = float ? hi ?? Infinity : intBound(hi, INT32_MAX);
  const src = castTo(x, dtype); // contiguous, as the kernel reads it
  const out = empty(x.shape, dtype);
  if (out._size > 0) MK.clamp(dtypeCode(dtype), src._ptr, out._ptr, out._size, l, h);
  dropTemp(src, x);
  if (float && needsGrad(x)) {
    record(out, "ClampBackward1", [x], (g) => {
      const xd = dense(x);
      const gx = empty(x.shape);
      if (gx._size > 0) MK.clampBackward(xd._ptr, g._ptr, gx._ptr, gx._size, l, h);
      dropTemp(xd, x);
      return [gx];
    }, [x]);
  }
  return out;
}

/** clamp with a tensor bound (ClampBackward0: grads to the bounds too); a number bound becomes a 0-d tensor. */
function clampTensors(x: Tensor, lo: Bound, hi: Bound): Tensor {
  const tl = lo instanceof Tensor ? lo : null, th = hi instanceof Tensor ? hi : null;
  if (tl !== null) live(tl);
  if (th !== null) live(th);
  let dtype = x.dtype;
  for (const b of [lo, hi]) dtype = b instanceof Tensor ? promoteTypes(dtype, b.dtype) : withScalar(dtype, b);
  if (dtype === "bool") {
    // PyTorch clamps bools by one bool tensor bound (false < true), and refuses two
    if (tl === null || th === null) {
      const xi = castTo(x, "int32"), bi = castTo((tl ?? th)!, "int32");
      const r = tl !== null ? clampTensors(xi, bi, hi) : clampTensors(xi, lo, bi);
      const out = castTo(r, "bool");
      for (const t of [xi, bi, r]) t.dispose();
      return out;
    }
    throw new TypeError("clamp: not implemented for bool tensors with two bool bounds (as in PyTorch); convert with .int() first");
  }
  const float = dtype === "float32";
  const shape = broadcastAll([x, ...(tl ? [tl] : []), ...(th ? [th] : [])], "clamp");
  const operand = (t: Tensor | null, v: Bound, missing: number): Tensor =>
    t !== null ? asDtype(t, dtype) : scalarOperand(float ? (v as number | null) ?? missing : intBound(v as number | null, missing), dtype);
  const cx = asDtype(x, dtype);
  const cl = operand(tl, lo, float ? -Infinity : INT32_MIN);
  const ch = operand(th, hi, float ? Infinity : INT32_MAX);
  const out = empty(shape, dtype);
  if (out._size > 0) {
    const [ndim, table] = stridedTable(shape, [cx, cl, ch]);
    MK.clampTensor(dtypeCode(dtype), cx._ptr, cl._ptr, ch._ptr, out._ptr, ndim, table);
  }
  const inputs = [x, ...(tl ? [tl] : []), ...(th ? [th] : [])];
  const temps = [cx, cl, ch].filter((t) => !inputs.includes(t));
  if (!float || !isGradEnabled() || !inputs.some((t) => t._requiresGrad)) {
    dropTemps(temps, inputs);
    return out;
  }
  const hasLo = lo !== null, hasHi = hi !== null;
  record(out, "ClampBackward0", inputs, (g) => {
    const want = (t: Tensor | null): Tensor | null => (t !== null && t.requiresGrad ? empty(g.shape) : null);
    const gx = want(x), glo = want(tl), ghi = want(th);
    const xd = expandDense(cx, g.shape);
    const ld = hasLo ? expandDense(cl, g.shape) : null, hd = hasHi ? expandDense(ch, g.shape) : null;
    if (g._size > 0) {
      MK.clampTensorBackward(xd._ptr, ptrOr0(ld), ptrOr0(hd), g._ptr, ptrOr0(gx), ptrOr0(glo), ptrOr0(ghi),
        g._size, hasLo ? 1 : 0, hasHi ? 1 : 0);
    }
    dropTemps([xd, ld, hd], [cx, cl, ch]);
    const grads = [gx && sumTo(gx, x.shape)];
    if (tl !== null) grads.push(glo && sumTo(glo, tl.shape));
    if (th !== null) grads.push(ghi && sumTo(ghi, th.shape));
    return grads;
  }, inputs.filter((t) => [cx, cl, ch].includes(t)), temps);
  return out;
}

/**
 * Limits each element to [min, max], as `torch.clamp`: `null` or `undefined` leaves a side
 * open (one must be given). Bounds are numbers or tensors (broadcast, with gradients as
 * PyTorch). min > max gives max everywhere; NaN propagates. Int32 stays int32 with
 * whole-number bounds.
 *
 * ```ts
 * const x = torch.tensor([-2, 0.5, 3]);
 * torch.clamp(x, 0, 1);                               // tensor([0.0000, 0.5000, 1.0000])
 * torch.clamp(x, null, 2);                            // tensor([-2.0000,  0.5000,  2.0000])
 * torch.clamp(x, torch.tensor([-1, 1, 1]));           // tensor([-1.,  1.,  3.])
 * ```
 */
export function clamp(self: Tensor, min?: Operand | null, max?: Operand | null): Tensor {
  const x = tensorArg(self, "clamp", "self");
  const lo = boundArg(min, "min"), hi = boundArg(max, "max");
  if (lo === null && hi === null) {
    throw new TypeError("clamp: at least one of min and max must be given (both were null or undefined)");
  }
  live(x);
  if (lo instanceof Tensor || hi instanceof Tensor) return clampTensors(x, lo, hi);
  return clampNumbers(x, lo as number | null, hi as number | null);
}

declare module "../tensor.js" {
  interface Tensor {
    /**
     * `this ** exponent` element-wise, as PyTorch's `pow`: exponent a number or a tensor
     * (broadcast); int32 to a whole power stays int32 (see `torch.pow`).
     *
     * ```ts
     * const x = torch.tensor([1, 2, 3]);
     * x.pow(2);                          // tensor([1., 4., 9.])
     * x.pow(torch.tensor([3, 2, 1]));    // tensor([1., 4., 3.])
     * ```
     */
    pow(exponent: Operand): Tensor;
    /**
     * `this * this` element-wise (int32 and bool give int32), as PyTorch's `square`.
     *
     * ```ts
     * torch.tensor([-3, 2]).square(); // tensor([9., 4.])
     * ```
     */
    square(): Tensor;
    /**
     * `1 / sqrt(this)` element-wise (float32 result), as PyTorch's `rsqrt`.
     *
     * ```ts
     * torch.tensor([4, 16]).rsqrt(); // tensor([0.5000, 0.2500])
     * ```
     */
    rsqrt(): Tensor;
    /**
     * `1 / this` element-wise (float32 result), as PyTorch's `reciprocal`.
     *
     * ```ts
     * torch.tensor([2, 4]).reciprocal(); // tensor([0.5000, 0.2500])
     * ```
     */
    reciprocal(): Tensor;
    /**
     * -1, 0 or 1 by the sign of each element (0 for NaN), same dtype, as PyTorch's `sign`.
     *
     * ```ts
     * torch.tensor([-0.5, 0, 2]).sign(); // tensor([-1.,  0.,  1.])
     * ```
     */
    sign(): Tensor;
    /**
     * Rounds down to a whole number element-wise (int32 unchanged), as PyTorch's `floor`.
     *
     * ```ts
     * torch.tensor([2.7, -2.7]).floor(); // tensor([ 2., -3.])
     * ```
     */
    floor(): Tensor;
    /**
     * Rounds up to a whole number element-wise (int32 unchanged), as PyTorch's `ceil`.
     *
     * ```ts
     * torch.tensor([2.1, -2.7]).ceil(); // tensor([ 3., -2.])
     * ```
     */
    ceil(): Tensor;
    /**
     * Rounds to the nearest whole number, halves to even (int32 unchanged); `{ decimals }` for
     * decimal places, as PyTorch's `round`.
     *
     * ```ts
     * torch.tensor([0.5, 1.5, 2.5]).round();                // tensor([0., 2., 2.])
     * torch.tensor([3.14159]).round({ decimals: 2 });       // tensor([3.1400])
     * ```
     */
    round(options?: RoundOptions): Tensor;
    /**
     * Rounds toward zero element-wise (int32 unchanged), as PyTorch's `trunc`.
     *
     * ```ts
     * torch.tensor([2.7, -2.7]).trunc(); // tensor([ 2., -2.])
     * ```
     */
    trunc(): Tensor;
    /**
     * Sine element-wise, in radians, as PyTorch's `sin`.
     *
     * ```ts
     * torch.tensor([0, Math.PI / 6]).sin(); // tensor([0.0000, 0.5000])
     * ```
     */
    sin(): Tensor;
    /**
     * Cosine element-wise, in radians, as PyTorch's `cos`.
     *
     * ```ts
     * torch.tensor([0, Math.PI / 3]).cos(); // tensor([1.0000, 0.5000])
     * ```
     */
    cos(): Tensor;
    /**
     * `log(1 + this)` element-wise, accurate for small values, as PyTorch's `log1p`.
     *
     * ```ts
     * torch.tensor([0, Math.E - 1]).log1p(); // tensor([0., 1.])
     * ```
     */
    log1p(): Tensor;
    /**
     * `exp(this) - 1` element-wise, accurate for small values, as PyTorch's `expm1`.
     *
     * ```ts
     * torch.tensor([0, 1]).expm1(); // tensor([0.0000, 1.7183])
     * ```
     */
    expm1(): Tensor;
    /**
     * Base-2 logarithm element-wise, as PyTorch's `log2`.
     *
     * ```ts
     * torch.tensor([1, 1024]).log2(); // tensor([ 0., 10.])
     * ```
     */
    log2(): Tensor;
    /**
     * Limits each element to [min, max] (`null`/`undefined`: that side open); bounds are
     * numbers or tensors (broadcast), as PyTorch's `clamp` (see `torch.clamp`).
     *
     * ```ts
     * const x = torch.tensor([-2, 0.5, 3]);
     * x.clamp(-1, 1);   // tensor([-1.0000,  0.5000,  1.0000])
     * x.clamp(null, 0); // tensor([-2.,  0.,  0.])
     * ```
     */
    clamp(min?: Operand | null, max?: Operand | null): Tensor;
    /**
     * Element-wise maximum with another tensor (broadcast; NaN propagates), as PyTorch's
     * `maximum`; for a number bound use `clamp(min)`.
     *
     * ```ts
     * torch.tensor([1, 5]).maximum(torch.tensor([3, 2])); // tensor([3., 5.])
     * ```
     */
    maximum(other: Tensor): Tensor;
    /**
     * Element-wise minimum with another tensor (broadcast; NaN propagates), as PyTorch's
     * `minimum`; for a number bound use `clamp(null, max)`.
     *
     * ```ts
     * torch.tensor([1, 5]).minimum(torch.tensor([3, 2])); // tensor([1., 2.])
     * ```
     */
    minimum(other: Tensor): Tensor;
  }
}

defineMethods({
  pow(this: Tensor, exponent: Operand) { return pow(this, exponent); },
  square(this: Tensor) { return square(this); },
  rsqrt(this: Tensor) { return rsqrt(this); },
  reciprocal(this: Tensor) { return reciprocal(this); },
  sign(this: Tensor) { return sign(this); },
  floor(this: Tensor) { return floor(this); },
  ceil(this: Tensor) { return ceil(this); },
  round(this: Tensor, options?: RoundOptions) { return round(this, options); },
  trunc(this: Tensor) { return trunc(this); },
  sin(this: Tensor) { return sin(this); },
  cos(this: Tensor) { return cos(this); },
  log1p(this: Tensor) { return log1p(this); },
  expm1(this: Tensor) { return expm1(this); },
  log2(this: Tensor) { return log2(this); },
  clamp(this: Tensor, min?: Operand | null, max?: Operand | null) { return clamp(this, min, max); },
  maximum(this: Tensor, other: Tensor) { return maximum(this, other); },
  minimum(this: Tensor, other: Tensor) { return minimum(this, other); },
});
