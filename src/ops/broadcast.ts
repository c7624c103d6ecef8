// What the math and comparison ops share: the kernels of assembly/compare.ts and
// assembly/math.ts, the stride table for a broadcast of several strided operands, and the
// broadcast-shaped contiguous copies and grad reductions their backwards use.
import { Tensor } from "../tensor.js";
import { K } from "../runtime/wasm.js";
import { type DType, promoteScalar } from "../dtype.js";
import { broadcastShapes, sameShape, type Shape } from "../shape.js";
import { castTo, coalesce, copyInto, empty, fill, stridesIn, writeTable } from "./layout.js";
import { reduceTo } from "./elementwise.js";

export const MK = K as unknown as {
  compare(op: number, kind: number, a: number, b: number, out: number, ndim: number, dims: number): void;
  where(c: number, a: number, b: number, out: number, ndim: number, dims: number, elemBytes: number): void;
  binaryMath(op: number, kind: number, a: number, b: number, out: number, ndim: number, dims: number): void;
  clamp(kind: number, x: number, out: number, n: number, lo: number, hi: number): void;
  clampTensor(kind: number, x: number, lo: number, hi: number, out: number, ndim: number, dims: number): void;
  unaryInt(op: number, x: number, out: number, n: number): void;
  minmaxBackward(isMax: number, a: number, b: number, g: number, ga: number, gb: number, n: number): void;
  powBackward(a: number, b: number, y: number, g: number, ga: number, gb: number, n: number): void;
  clampBackward(x: number, g: number, out: number, n: number, lo: number, hi: number): void;
  clampTensorBackward(x: number, lo: number, hi: number, g: number, gx: number, glo: number, ghi: number,
    n: number, hasLo: number, hasHi: number): void;
};

/** The broadcast shape of several operands (PyTorch's message naming the op on a mismatch). */
export function broadcastAll(operands: readonly Tensor[], op: string): number[] {
  let shape = operands[0].shape.slice();
  for (let i = 1; i < operands.length; i++) {
    if (!sameShape(shape, operands[i].shape)) shape = broadcastShapes(shape, operands[i].shape, op);
  }
  return shape;
}

/**
 * Writes the stride table of `operands` broadcast to `shape` (assembly/strided.ts's
 * layout) into the scratch block; returns [ndim, table pointer].
 */
export function stridedTable(shape: Shape, operands: readonly Tensor[]): [number, number] {
  const [dims, strides] = coalesce(shape, operands.map((t) => stridesIn(t, shape)));
  const values = dims.slice();
  for (const s of strides) values.push(...s);
  return [dims.length, writeTable(values)];
}

/** `x` with `dtype` (itself when it has it: views stay views, the kernels read strides). */
export function asDtype(x: Tensor, dtype: DType): Tensor {
  return x.dtype === dtype ? x : castTo(x, dtype);
}

/** A 0-d operand of `dtype` for a JS number (int32 truncates, bool is value ≠ 0). */
export function scalarOperand(v: number, dtype: DType): Tensor {
  return fill([], v, dtype);
}

/** The dtype of a tensor op with a JS number (PyTorch's wrapped-number promotion). */
export function withScalar(dtype: DType, v: number | null | undefined): DType {
  return typeof v === "number" ? promoteScalar(dtype, v) : dtype;
}

/** A contiguous copy of `t` broadcast to `shape` (t itself when it already is one). */
export function expandDense(t: Tensor, shape: Shape): Tensor {
  if (t._contiguous && sameShape(t.shape, shape)) return t;
  const out = empty(shape, t.dtype);
  if (out._size > 0) copyInto(out, t);
  return out;
}

/** A gradient of the broadcast shape summed down to `shape` (consumes `g`). */
export function sumTo(g: Tensor, shape: Shape): Tensor {
  if (sameShape(g.shape, shape)) return g;
  const r = reduceTo(g, shape);
  g.dispose();
  return r;
}

/** Disposes each temporary in `temps` that is not one of the user's `inputs`. */
export function dropTemps(temps: readonly (Tensor | null)[], inputs: readonly unknown[]): void {
  for (const t of temps) if (t !== null && !inputs.includes(t)) t.dispose();
}

/** How a received value reads in a message: `a float32 Tensor`, `"abc"`, `true`, `null`… */
export function kindOf(v: unknown): string {
  if (v instanceof Tensor) return `a ${v.dtype} Tensor`;
  if (Array.isArray(v)) return "an array";
  if (typeof v === "string") return JSON.stringify(v);
  if (v !== null && typeof v === "object") return "an object";
  return String(v);
}

/** `v` as a Tensor argument, or the error naming the op, the argument and what came. */
export function tensorArg(v: unknown, op: string, name: string): Tensor {
  if (v instanceof Tensor) return v;
  throw new TypeError(`${op}: ${name} must be a Tensor, got ${kindOf(v)}`);
}

/** `v` as a Tensor-or-number argument, or the error naming the op, the argument and what came. */
export function operandArg(v: unknown, op: string, name: string): Tensor | number {
  if (v instanceof Tensor || typeof v === "number") return v;
  throw new TypeError(`${op}: ${name} must be a Tensor or a number, got ${kindOf(v)}`);
}
