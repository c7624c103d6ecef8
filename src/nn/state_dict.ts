// What Module.loadStateDict accepts for one entry, checked completely (and read once) before
// anything is copied: a Tensor, a typed array or number[] of the values in row-major order,
// or a tensor's JSON form { dtype?, shape, values } (what JSON.parse gives back for a tensor
// in JSON.stringify(model.stateDict())). Each entry becomes a fresh typed array of the
// target's dtype, so the copy reads nothing the load writes (a dict may hold the model's own
// tensors under other keys).
//
// PyTorch's rules, from torch/nn/modules/module.py (_load_from_state_dict): the shapes must
// match, except that a [1]-shaped value loads into a 0-d tensor (its 0.3 compatibility
// rule); the dtype is cast by copy_, so NaN and ±Infinity load into float tensors. Stricter
// here: a value an integer buffer (num_batches_tracked, n_averaged) cannot hold exactly —
// 2.5, NaN, beyond int32 — is refused rather than truncated, and so is a finite number that
// float32 cannot hold (it would become ±Infinity).
import { Tensor } from "../tensor.js";
import { fmt, sameShape } from "../shape.js";
import { isDType, type DType } from "../dtype.js";
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
  /** The dtype the values are of (`"int32"` for BatchNorm's `num_batches_tracked`); default float32. */
  dtype?: DType;
  /** The tensor's shape. */
  shape: readonly number[];
  /** The values in row-major order. */
  values: ArrayLike<number>;
}
/**
 * One entry of a state dict given to `loadStateDict`: a Tensor, a typed array (what
 * `toArray()` gives, or a Float64Array) or number[] of the values in row-major order, or a
 * tensor's JSON form.
 *
 * ```ts
 * const layer = new nn.Linear(2, 1);
 * const w: nn.StateValue = { shape: [1, 2], values: [3, 4] };
 * layer.loadStateDict({ weight: w, bias: new Float32Array([0.5]) });
 * layer.weight; // tensor([[3., 4.]], requiresGrad=true)
 * ```
 */
export type StateValue = Tensor | Float32Array | Float64Array | Int32Array | Uint8Array | readonly number[] | TensorJSON;
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

type Values = Float32Array | Int32Array | Uint8Array;
type FlatValues = ArrayLike<number>;

function isValueArray(v: unknown): v is FlatValues {
  return Array.isArray(v) || v instanceof Float32Array || v instanceof Float64Array || v instanceof Int32Array || v instanceof Uint8Array;
}

/** What an element of a `dtype` tensor must be, for messages. */
const ELEMENT: Record<DType, string> = {
  float32: "a number float32 can hold (NaN and ±Infinity included)",
  int32: "an integer in int32's range",
  bool: "0 or 1",
};

function fitsDType(x: unknown, dtype: DType): boolean {
  if (typeof x !== "number") return false;
  if (dtype === "float32") return !Number.isFinite(x) || Number.isFinite(Math.fround(x));
  if (dtype === "int32") return Number.isInteger(x) && x >= -(2 ** 31) && x < 2 ** 31;
  return x === 0 || x === 1;
}

/** Why an element of `values` cannot be held by a `dtype` tensor (`whose` says which one), or null. */
function elementsProblem(name: string, values: FlatValues, dtype: DType, whose: string): string | null {
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (fitsDType(x, dtype)) continue;
    const hint = x === null ? " (JSON writes NaN and ±Infinity as null)" : "";
    return `${name}: value ${i} is ${describe(x)}; expected ${ELEMENT[dtype]}, as ${whose}${hint}`;
  }
  return null;
}

/** The values as a fresh typed array of `dtype` (each already checked to fit it). */
function typed(values: FlatValues, dtype: DType): Values {
  if (dtype === "float32") return values instanceof Float32Array ? values.slice() : Float32Array.from(values);
  return dtype === "int32" ? Int32Array.from(values) : Uint8Array.from(values);
}

/** PyTorch's shape rule: equal, or a [1]-shaped value for a 0-d tensor. */
function shapeFits(shape: readonly number[], t: Tensor): boolean {
  return sameShape(shape, t.shape) || (t.shape.length === 0 && shape.length === 1 && shape[0] === 1);
}

function shapeProblem(name: string, shape: readonly number[], t: Tensor): string {
  return `size mismatch for ${name}: copying a param with shape ${fmt(shape)} from checkpoint, ` +
    `the shape in current model is ${fmt(t.shape)}.`;
}

/** Flat values for `t`, checked against its dtype. */
function fromFlat(name: string, values: FlatValues, t: Tensor): { values: Values } | { problem: string } {
  if (values.length !== t.numel()) {
    return { problem: `size mismatch for ${name}: ${values.length} values from checkpoint, the param in current model has shape ` +
      `${fmt(t.shape)} (${t.numel()} values).` };
  }
  const problem = elementsProblem(name, values, t.dtype, `${name} is ${t.dtype}`);
  return problem === null ? { values: typed(values, t.dtype) } : { problem };
}

/**
 * The values to copy into `t` (named `name`), as a fresh typed array of t's dtype, or why
 * `v` cannot be loaded into it. Reads `v` once; changes nothing.
 */
export function stateValueFor(name: string, v: unknown, t: Tensor): { values: Values } | { problem: string } {
  if (t.isDisposed) return { problem: `${name}: the model's tensor was disposed; nothing can be loaded into it` };
  if (v instanceof Tensor) {
    if (v.isDisposed) return { problem: `${name}: the tensor in the state dict was disposed` };
    if (!shapeFits(v.shape, t)) return { problem: shapeProblem(name, v.shape, t) };
    const values = v.toArray();
    if (v.dtype === t.dtype) return { values };
    // copy_'s cast: exact into float32; into an integer buffer only values it holds exactly
    const problem = elementsProblem(name, values, t.dtype, `${name} is ${t.dtype} (the checkpoint's tensor is ${v.dtype})`);
    return problem === null ? { values: typed(values, t.dtype) } : { problem };
  }
  if (isValueArray(v)) {
    if (Array.isArray(v) && v.some((x) => Array.isArray(x))) {
      return { problem: `${name}: got a nested array; expected the values flat in row-major order, or { shape, values }` };
    }
    return fromFlat(name, v, t);
  }
  if (!isPlainObject(v)) return { problem: `${name}: expected ${EXPECTED}, got ${describe(v)}` };
  const extra = Object.keys(v).find((k) => !JSON_FIELDS.includes(k));
  if (extra !== undefined) {
    return { problem: `${name}: unexpected field ${JSON.stringify(extra)} in a tensor's JSON form; expected { dtype, shape, values }` +
      (extra.startsWith("_") ? " (a structured clone of a Tensor holds no values: clone JSON.parse(JSON.stringify(sd)) instead)" : "") };
  }
  const { dtype, shape, values } = v;
  if (dtype !== undefined && !isDType(dtype)) {
    return { problem: `${name}: dtype ${describe(dtype)} is not a dtype a tensor holds; expected "float32", "int32" or "bool"` };
  }
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    return { problem: `${name}: shape must be an array of non-negative integers, got ${describe(shape)}` };
  }
  if (!shapeFits(shape, t)) return { problem: shapeProblem(name, shape, t) };
  if (!isValueArray(values)) return { problem: `${name}: values must be an array of numbers, got ${describe(values)}` };
  if (dtype !== undefined && values.length === t.numel()) {
    const problem = elementsProblem(name, values, dtype, `the JSON form's dtype is ${dtype}`);
    if (problem !== null) return { problem };
  }
  return fromFlat(name, values, t);
}
