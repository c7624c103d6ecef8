// Argument checks shared by the creation functions (ranges.ts, sampling.ts), with
// PyTorch's messages: bad input throws before anything is allocated or drawn.
import type { DType } from "../dtype.js";
import type { Tensor } from "../tensor.js";
import { Generator, defaultGenerator } from "../random.js";

/** Python's name for the type of a JS value, as PyTorch's argument errors print it. */
function pyType(v: unknown): string {
  if (typeof v === "number") return Number.isInteger(v) ? "int" : "float";
  if (typeof v === "string") return "str";
  if (typeof v === "boolean") return "bool";
  if (v === null || v === undefined) return "NoneType";
  if (Array.isArray(v)) return "list";
  return typeof v === "object" ? (Object.getPrototypeOf(v)?.constructor?.name ?? "object") : typeof v;
}

function show(v: unknown): string {
  if (typeof v === "number" || v === null || v === undefined) return String(v);
  try { return JSON.stringify(v) ?? String(v); } catch { return String(v); }
}

/** An integer argument: `eye(): argument 'n' (position 1) must be int, not float (got 2.5)`. */
export function intArg(v: unknown, name: string, position: number, where: string): number {
  if (typeof v === "number" && Number.isInteger(v)) return v;
  throw new TypeError(`${where}: argument '${name}' (position ${position}) must be int, not ${pyType(v)} (got ${show(v)})`);
}

/** A number argument (any float, infinities and NaN included). */
export function numberArg(v: unknown, name: string, position: number, where: string): number {
  if (typeof v === "number") return v;
  throw new TypeError(`${where}: argument '${name}' (position ${position}) must be Number, not ${pyType(v)} (got ${show(v)})`);
}

/** PyTorch's message for a negative size. */
export function negativeDimension(dim: number, shape: readonly number[], where: string): Error {
  return new Error(`${where}: Trying to create tensor with negative dimension ${dim}: [${shape.join(", ")}]`);
}

/** A `size` argument: an array of non-negative integers. */
export function sizeArg(shape: unknown, where: string): number[] {
  if (!Array.isArray(shape)) {
    throw new TypeError(`${where}: argument 'size' must be tuple of ints (an array of integers), but got ${pyType(shape)} (${show(shape)})`);
  }
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (typeof d !== "number" || !Number.isInteger(d)) {
      throw new TypeError(`${where}: argument 'size' failed to unpack the object at pos ${i + 1} with error ` +
        `"type must be tuple of ints,but got ${pyType(d)}" (size ${show(shape)})`);
    }
  }
  for (const d of shape) if (d < 0) throw negativeDimension(d, shape, where);
  return shape.slice();
}

/** The `generator` option: a torch.Generator, or the default one when absent or null. */
export function generatorOf(opts: unknown, where: string): Generator {
  const g = opts === undefined || opts === null ? undefined : (opts as { generator?: unknown }).generator;
  if (g === undefined || g === null) return defaultGenerator;
  if (!(g instanceof Generator)) {
    throw new TypeError(`${where}: generator must be a torch.Generator, got ${pyType(g)}`);
  }
  return g;
}

/** Refuses a dtype the function cannot produce, naming the ones it can. */
export function refuseDType(dtype: DType, allowed: readonly DType[], where: string, why: string): void {
  if (allowed.includes(dtype)) return;
  throw new TypeError(`${where}: dtype must be ${allowed.map((d) => `"${d}"`).join(" or ")} (${why}), got "${dtype}"`);
}

/** Marks a new leaf as requiring grad when asked (createOptions has checked the dtype). */
export function leaf(t: Tensor, requiresGrad: boolean): Tensor {
  if (requiresGrad) t._requiresGrad = true;
  return t;
}
