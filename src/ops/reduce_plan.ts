// How a reduction reads its input: the dims it reduces (checked), the shape of its result,
// and the [outer, n, inner] layout its kernel walks (assembly/rows.ts). A contiguous input
// whose reduced dims form one block is read in place, rows `inner` apart; any other input
// is copied once with the kept dims first and the reduced dims last (so inner is 1).
import { Tensor } from "../tensor.js";
import type { DType } from "../dtype.js";
import { clone, dense, dropTemp, empty, live } from "./layout.js";
import { viewOf } from "./views.js";
import { normDim, numelOf, type Shape } from "../shape.js";

export interface ReducePlan {
  /** The reduced dims, ascending (empty for a 0-d input). */
  readonly dims: readonly number[];
  readonly outShape: number[];
  /** outShape with the reduced dims kept as 1: it broadcasts against the input. */
  readonly keptShape: number[];
  readonly outer: number;
  readonly n: number;
  readonly inner: number;
  /** The input dims in the order the kernel reads them (kept, then reduced), or null when it reads the input's own layout. */
  readonly perm: number[] | null;
}

/** A value for an error message: JSON where it helps (strings, arrays), else String(v). */
export function show(v: unknown): string {
  if (typeof v === "string" || Array.isArray(v)) return JSON.stringify(v);
  if (v instanceof Tensor) return `a Tensor of shape [${v.shape.join(", ")}]`;
  return v === null ? "null" : typeof v === "object" ? "an object" : String(v);
}

/** The first argument of a torch.<op>(x, …) function, checked. */
export function tensorArg(x: unknown, op: string): Tensor {
  if (x instanceof Tensor) return x;
  throw new TypeError(`${op}: input must be a Tensor, got ${show(x)}`);
}

/** PyTorch's name for a dtype in messages (int32 stands for PyTorch's int64). */
export function dtypeName(d: DType): string {
  return d === "float32" ? "Float" : d === "int32" ? "Int" : "Bool";
}

/**
 * The dims to reduce: one integer or an array of them (negative counts from the end), or
 * null for every dim (undefined, null and [] all mean every dim, as in PyTorch).
 */
export function parseDims(dim: unknown, rank: number, op: string): number[] | null {
  if (dim === undefined || dim === null) return null;
  if (typeof dim === "number") return [normDim(dim, rank, op)];
  if (!Array.isArray(dim) || !dim.every((d) => typeof d === "number")) {
    throw new TypeError(`${op}: dim must be an integer, an array of integers, or null, got ${show(dim)}`);
  }
  if (dim.length === 0) return null;
  const seen = new Set<number>();
  for (const d of dim) {
    const k = normDim(d, rank, op);
    if (seen.has(k)) throw new Error(`${op}: dim ${k} appears multiple times in the list of dims ${show(dim)}`);
    seen.add(k);
  }
  return [...seen].sort((a, b) => a - b);
}

/** One dim (an integer; negative counts from the end), for ops that reduce or scan exactly one. */
export function parseDim(dim: unknown, rank: number, op: string, hint = ""): number {
  if (typeof dim !== "number") {
    throw new TypeError(`${op}: dim must be an integer${hint}, got ${dim === undefined ? "nothing" : show(dim)}`);
  }
  return normDim(dim, rank, op);
}

export function parseKeepdim(keepdim: unknown, op: string): boolean {
  if (keepdim === undefined) return false;
  if (typeof keepdim !== "boolean") throw new TypeError(`${op}: keepdim must be a boolean, got ${show(keepdim)}`);
  return keepdim;
}

function makePlan(dims: readonly number[], outShape: number[], keptShape: number[], outer: number, n: number, inner: number,
  perm: number[] | null): ReducePlan {
  // one literal, so every plan has the same shape (object spread here cost microseconds per op)
  return { dims, outShape, keptShape, outer, n, inner, perm };
}

/** The plan for reducing `dims` (null: every dim) of x. */
export function planReduce(x: Tensor, dims: readonly number[] | null, keepdim: boolean): ReducePlan {
  live(x);
  const shape = x.shape, rank = shape.length;
  if (rank === 0) return makePlan([], [], [], 1, 1, 1, null);
  if (dims === null && x._contiguous) {
    // everything, in order: one row (the losses' path, kept short)
    const ones = shape.map(() => 1);
    return makePlan(shape.map((_, d) => d), keepdim ? ones : [], ones, 1, x._size, 1, null);
  }
  const reduced = new Array<boolean>(rank).fill(dims === null);
  if (dims !== null) for (const d of dims) reduced[d] = true;
  const kept: number[] = [], red: number[] = [], outShape: number[] = [], keptShape: number[] = [];
  let n = 1, rows = 1;
  for (let d = 0; d < rank; d++) {
    if (reduced[d]) { red.push(d); n *= shape[d]; keptShape.push(1); if (keepdim) outShape.push(1); }
    else { kept.push(d); rows *= shape[d]; keptShape.push(shape[d]); outShape.push(shape[d]); }
  }
  // the reduced dims that matter for the layout (size 1 moves nothing)
  let lo = -1, hi = -1;
  for (const d of red) if (shape[d] !== 1) { if (lo < 0) lo = d; hi = d; }
  if (x._size === 0 || lo < 0) {
    // nothing to read (or n is 1): rows in order need only a contiguous input
    return makePlan(red, outShape, keptShape, rows, n, 1, x._contiguous || x._size === 0 ? null : [...kept, ...red]);
  }
  const block = kept.every((d) => d < lo || d > hi || shape[d] === 1);
  if (x._contiguous && block) {
    return makePlan(red, outShape, keptShape, numelOf(shape.slice(0, lo)), n, numelOf(shape.slice(hi + 1)), null);
  }
  return makePlan(red, outShape, keptShape, rows, n, 1, [...kept, ...red]);
}

/** The shape the kernel's input (and a backward's gradient buffer) has under `plan`. */
export function plannedShape(plan: ReducePlan, shape: Shape): number[] {
  return plan.perm === null ? shape.slice() : plan.perm.map((d) => shape[d]);
}

/**
 * t (of x's shape) as the kernel reads it: t itself when contiguous and in order, else a
 * contiguous copy (dispose it with dropTemp(result, t)).
 */
export function planInput(t: Tensor, plan: ReducePlan): Tensor {
  if (plan.perm === null) return dense(t);
  const p = plan.perm;
  const view = viewOf(t, p.map((d) => t.shape[d]), p.map((d) => t._strides[d]), t._offset);
  const out = clone(view);
  view.dispose();
  return out;
}

/** A result computed in the planned layout, returned in `shape`'s own order (t is consumed). */
export function fromPlanned(t: Tensor, plan: ReducePlan, shape: Shape): Tensor {
  if (plan.perm === null) return t;
  const strides = new Array<number>(shape.length);
  plan.perm.forEach((d, j) => { strides[d] = t._strides[j]; });
  const view = viewOf(t, shape, strides, t._offset);
  const out = clone(view);
  view.dispose();
  t.dispose();
  return out;
}

/** A row kernel's call: (input, output, outer, n, inner) pointers and sizes. */
export type RowKernel = (x: number, out: number, outer: number, n: number, inner: number) => void;
/** A row backward kernel's call: (input, result, upstream, gradient, outer, n, inner). */
export type RowGradKernel = (x: number, y: number, g: number, gx: number, outer: number, n: number, inner: number) => void;

/** Runs a reduction kernel over x under `plan` into a new tensor of the result's shape. */
export function reduceRows(x: Tensor, plan: ReducePlan, kernel: RowKernel, dtype: DType = "float32"): Tensor {
  const src = planInput(x, plan);
  const out = empty(plan.outShape, dtype);
  if (out._size > 0) kernel(src._ptr, out._ptr, plan.outer, plan.n, plan.inner);
  dropTemp(src, x);
  return out;
}

/**
 * The input gradient of a reduction from its backward kernel, which reads x (laid out as
 * planned), the result y and the upstream g, and writes gx; returned in x's shape.
 */
export function reduceGrad(x: Tensor, y: Tensor, g: Tensor, plan: ReducePlan, kernel: RowGradKernel): Tensor {
  const xin = planInput(x, plan), gd = dense(g);
  const gx = empty(plannedShape(plan, x.shape));
  if (gx._size > 0) kernel(xin._ptr, y._ptr, gd._ptr, gx._ptr, plan.outer, plan.n, plan.inner);
  dropTemp(xin, x);
  dropTemp(gd, g);
  return fromPlanned(gx, plan, x.shape);
}
