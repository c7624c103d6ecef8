// Scalar arithmetic as PyTorch's Python code does it, where a value may be a Python float
// (f64) or a 0-d float32 tensor (a dot product, a loss read back, a tensor lr). An operation
// with a tensor operand gives a tensor: the Python float is rounded to float32 first, then
// the result once more (PyTorch's CPU kernels take the scalar as float); `float / tensor` is
// `reciprocal(tensor) * float` (Tensor.__rtruediv__); a comparison with a tensor compares in
// float32. Between two Python floats all is f64. Python's min and max return one of their
// operands, so a float can come back from min(float, tensor) unrounded.

const f = Math.fround;

/** The value of a 0-d float32 tensor (always a float32 value). */
export class F32 {
  readonly v: number;
  constructor(v: number) {
    this.v = f(v);
  }
}

/** A Python float (number) or a 0-d float32 tensor. */
export type Py = number | F32;

export const value = (a: Py): number => (typeof a === "number" ? a : a.v);
const anyTensor = (a: Py, b: Py): boolean => typeof a !== "number" || typeof b !== "number";

export function add(a: Py, b: Py): Py {
  return anyTensor(a, b) ? new F32(f(value(a)) + f(value(b))) : (a as number) + (b as number);
}

export function sub(a: Py, b: Py): Py {
  return anyTensor(a, b) ? new F32(f(value(a)) - f(value(b))) : (a as number) - (b as number);
}

export function mul(a: Py, b: Py): Py {
  return anyTensor(a, b) ? new F32(f(value(a)) * f(value(b))) : (a as number) * (b as number);
}

export function div(a: Py, b: Py): Py {
  if (typeof a !== "number") return new F32(a.v / f(value(b)));
  if (typeof b !== "number") return new F32(f(1 / b.v) * f(a)); // reciprocal(b) * a
  return a / b;
}

export const neg = (a: Py): Py => (typeof a === "number" ? -a : new F32(-a.v));
export const abs = (a: Py): Py => (typeof a === "number" ? Math.abs(a) : new F32(Math.abs(a.v)));
/** x**2 of a tensor (PyTorch's pow with exponent 2 is x·x). */
export const square = (a: F32): F32 => new F32(a.v * a.v);
export const sqrt = (a: F32): F32 => new F32(Math.sqrt(a.v));

/** tensor ** exponent: powf with the exponent rounded to float32 (2 is x·x, square). */
export const pow = (a: Py, e: number): Py => (typeof a === "number" ? a ** e : e === 2 ? square(a) : new F32(Math.pow(a.v, f(e))));

export const lt = (a: Py, b: Py): boolean => (anyTensor(a, b) ? f(value(a)) < f(value(b)) : a < b);
export const le = (a: Py, b: Py): boolean => (anyTensor(a, b) ? f(value(a)) <= f(value(b)) : a <= b);
export const gt = (a: Py, b: Py): boolean => lt(b, a);
export const ge = (a: Py, b: Py): boolean => le(b, a);

/** Python's min(a, b): b only if b < a. */
export const min = (a: Py, b: Py): Py => (lt(b, a) ? b : a);
/** Python's max(a, b): b only if b > a. */
export const max = (a: Py, b: Py): Py => (gt(b, a) ? b : a);
