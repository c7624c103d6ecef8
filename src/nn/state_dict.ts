// What Module.loadStateDict accepts for one entry, checked completely before anything is
// copied: a Tensor, a Float32Array / Float64Array / number[] of the values in row-major
// order, or a tensor's JSON form { dtype?: "float32", shape, values } (what JSON.parse gives
// back for a tensor in JSON.stringify(model.stateDict())).
import { Tensor } from "../tensor.js";
import { fmt, sameShape } from "../shape.js";
import { describe, isPlainObject } from "./check.js";

/**
 * A tensor's JSON form: `JSON.parse(JSON.stringify(t))`, `{ dtype?, shape, values }`, which
 * `loadStateDict` accepts.
 *
 * ```ts
 * const json: nn.TensorJSON = JSON.parse(JSON.stringify(torch.tensor([[1, 2]])));
 * json; // { dtype: "float32", shape: [1, 2], values: [1, 2] }
 * ```
 */
export interface TensorJSON {
  /** Only `"float32"` (what module state holds). */
  dtype?: "float32";
  /** The tensor's shape. */
  shape: readonly number[];
  /** The values in row-major order. */
  values: ArrayLike<number>;
}
/**
 * One entry of a state dict given to `loadStateDict`: a Tensor, a Float32Array / Float64Array
 * / number[] of the values in row-major order, or a tensor's JSON form.
 *
 * ```ts
 * const layer = new nn.Linear(2, 1);
 * const w: nn.StateValue = { shape: [1, 2], values: [3, 4] };
 * layer.loadStateDict({ weight: w, bias: new Float32Array([0.5]) });
 * layer.weight; // tensor([[3., 4.]], requiresGrad=true)
 * ```
 */
export type StateValue = Tensor | Float32Array | Float64Array | readonly number[] | TensorJSON;
/**
 * What `loadStateDict` takes: dotted names to values (`stateDict()`'s output, its JSON
 * round trip, or `torch.load()`'s).
 *
 * ```ts
 * const sd: nn.StateDict = { weight: [[1, 2]].flat(), bias: [0] };
 * new nn.Linear(2, 1).loadStateDict(sd); // { missingKeys: [], unexpectedKeys: [] }
 * ```
 */
export type StateDict = Record<string, StateValue>;

const JSON_FIELDS = ["dtype", "shape", "values"];
const EXPECTED = "a Tensor, a Float32Array or number[] of the values, or { shape, values }";

function isValueArray(v: unknown): v is ArrayLike<number> {
  return Array.isArray(v) || v instanceof Float32Array || v instanceof Float64Array;
}

/** Why the flat values cannot fill `t` (named `name`), or null. */
function valuesProblem(name: string, values: ArrayLike<number>, t: Tensor): string | null {
  if (values.length !== t.numel()) {
    return `size mismatch for ${name}: ${values.length} values from checkpoint, the param in current model has shape ` +
      `${fmt(t.shape)} (${t.numel()} values).`;
  }
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    // NaN is a value a float32 can hold; ±Infinity (or a number float32 cannot hold) in a
    // checkpoint is refused, and JSON writes NaN and ±Infinity as null.
    if (typeof x !== "number" || !(Number.isNaN(x) || Number.isFinite(Math.fround(x)))) {
      const hint = x === null ? " (JSON writes NaN and ±Infinity as null)" : "";
      return `${name}: value ${i} is ${describe(x)}; expected a finite float32 number or NaN${hint}`;
    }
  }
  return null;
}

/** Why `v` cannot be loaded into `t` (named `name`), or null if it can. Reads only `v` and `t`'s shape. */
export function stateValueProblem(name: string, v: unknown, t: Tensor): string | null {
  if (t.isDisposed) return `${name}: the model's tensor was disposed; nothing can be loaded into it`;
  if (v instanceof Tensor) {
    if (v.isDisposed) return `${name}: the tensor in the state dict was disposed`;
    if (!sameShape(v.shape, t.shape)) {
      return `size mismatch for ${name}: copying a param with shape ${fmt(v.shape)} from checkpoint, ` +
        `the shape in current model is ${fmt(t.shape)}.`;
    }
    return null;
  }
  if (isValueArray(v)) {
    if (Array.isArray(v) && v.some((x) => Array.isArray(x))) {
      return `${name}: got a nested array; expected the values flat in row-major order, or { shape, values }`;
    }
    return valuesProblem(name, v, t);
  }
  if (!isPlainObject(v)) return `${name}: expected ${EXPECTED}, got ${describe(v)}`;
  const extra = Object.keys(v).find((k) => !JSON_FIELDS.includes(k));
  if (extra !== undefined) {
    return `${name}: unexpected field ${JSON.stringify(extra)} in a tensor's JSON form; expected { dtype: "float32", shape, values }`;
  }
  if (v.dtype !== undefined && v.dtype !== "float32") {
    return `${name}: dtype ${describe(v.dtype)} cannot be loaded into a float32 tensor; expected dtype "float32"`;
  }
  const shape = v.shape;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    return `${name}: shape must be an array of non-negative integers, got ${describe(shape)}`;
  }
  if (!sameShape(shape, t.shape)) {
    return `size mismatch for ${name}: copying a param with shape ${fmt(shape)} from checkpoint, ` +
      `the shape in current model is ${fmt(t.shape)}.`;
  }
  if (!isValueArray(v.values)) return `${name}: values must be an array of numbers, got ${describe(v.values)}`;
  return valuesProblem(name, v.values, t);
}

/** Copies a value that passed stateValueProblem into `t` (call inside noGrad). */
export function copyStateValue(t: Tensor, v: StateValue): void {
  if (v instanceof Tensor || isValueArray(v)) t.copy_(v);
  else t.copy_(v.values);
}
