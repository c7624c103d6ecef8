// Python's `t[keys]` taken apart as PyTorch does (ATen's applySlicing, then aten::index's
// expandTensors and broadcast): the keys become basic steps (select, slice, unsqueeze),
// which give a view, and advanced indices (int32 or bool tensors) by dim of that view,
// which give a copy through assembly/indexing.ts's walk.
import { Tensor, tensor } from "../tensor.js";
import { broadcastShapes, fmt, stridesOf, type Shape } from "../shape.js";
import { dense, fill } from "./layout.js";
import { viewOf } from "./views.js";
import { nonzero, outOfBounds, outOfRange, type IndexOperand } from "./indexed_copy.js";

/**
 * Nested arrays of integers (an int32 index) or of booleans (a mask), as index keys of
 * `t.index()` and `t.indexPut_()`.
 *
 * ```ts
 * const x = torch.arange(6).reshape(3, 2);
 * const rows: torch.IndexList = [[0, 1], [1, 2]]; // a 2-D index: [2, 2] rows
 * x.index(rows).shape;            // [2, 2, 2]
 * x.index([true, false, true]);   // a mask over dim 0: tensor([[0, 1], [4, 5]])
 * ```
 */
export type IndexList = readonly (number | boolean | IndexList)[];

/**
 * One key of `t.index(...keys)`: an integer (negative counts from the end), a slice string
 * `"start:stop:step"` (any part may be empty; several keys in one string with commas, where
 * `"..."`, `"None"` and integers may appear too), `"..."`, `null` (a new axis),
 * `true`/`false`, an int32 or bool tensor, or a nested array of integers or booleans
 * (advanced indexing).
 *
 * ```ts
 * const x = torch.arange(24).reshape(2, 3, 4);
 * const keys: torch.IndexKey[] = [0, "1:", null, [2, 0]];
 * // x[0, 1:, None, [2, 0]]:
 * x.index(...keys).shape; // [2, 1, 2]
 * ```
 */
export type IndexKey = number | boolean | string | null | Tensor | IndexList;

type Key =
  | { kind: "int"; value: number }
  | { kind: "slice"; start: number | null; stop: number | null; step: number }
  | { kind: "ellipsis" }
  | { kind: "none" }
  | { kind: "bool"; value: boolean }
  | { kind: "tensor"; t: Tensor }
  | { kind: "list"; data: IndexList };

/** A basic step, with dims of the tensor as it is when the step runs. */
export type Step =
  | { kind: "select"; dim: number; index: number }
  | { kind: "slice"; dim: number; start: number; length: number; step: number }
  | { kind: "unsqueeze"; dim: number };

export interface Plan {
  steps: Step[];
  /** The grad_fn name of the view the basic steps make (PyTorch's last op). */
  name: string;
  /** Advanced indices by dim of the view (null: none); empty when there are none. */
  tensors: (Tensor | null)[];
  /** Tensors made here from arrays and booleans (engine-owned). */
  made: Tensor[];
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (v instanceof Tensor) return `a ${v.dtype} tensor of shape ${fmt(v.shape)}`;
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "number") return `the number ${v}`;
  if (Array.isArray(v)) return "an array";
  return typeof v;
}

const VALID = 'only integers, slices ("start:stop:step"), "...", null, booleans and int32 or bool tensors ' +
  "(or nested arrays of integers or booleans) are valid indices";
const FLOAT_INDEX = "tensors used as indices must be long, int, byte or bool tensors";

function parseInt(part: string, key: string, op: string): number | null {
  const s = part.trim();
  if (s === "") return null;
  if (!/^[+-]?\d+$/.test(s)) {
    throw new TypeError(`${op}: invalid key ${JSON.stringify(key)}: slice parts must be integers or empty, as "1:3", "::2", "-3:"`);
  }
  return Number(s);
}

function parseString(s: string, op: string): Key {
  const t = s.trim();
  if (t === "...") return { kind: "ellipsis" };
  if (t === "None" || t === "null") return { kind: "none" };
  if (/^[+-]?\d+$/.test(t)) return { kind: "int", value: Number(t) };
  const parts = t.split(":");
  if (parts.length < 2 || parts.length > 3) {
    throw new TypeError(`${op}: invalid key ${JSON.stringify(s)}: a string key is a slice "start:stop:step" ` +
      '(any part may be empty), "...", "None" or an integer; several keys are separated by commas');
  }
  const start = parseInt(parts[0], s, op), stop = parseInt(parts[1], s, op);
  const step = parts.length === 3 ? parseInt(parts[2], s, op) : null;
  // Python's slice objects refuse a zero step; PyTorch refuses negative ones
  if (step === 0) throw new RangeError(`${op}: slice step cannot be zero (key ${JSON.stringify(s)})`);
  if (step !== null && step < 0) throw new RangeError(`${op}: step must be greater than zero (key ${JSON.stringify(s)}): negative steps are not supported, as in PyTorch`);
  return { kind: "slice", start, stop, step: step ?? 1 };
}

/** Integers (int32), booleans (a mask), or neither (an error), over every leaf of a nested array. */
function listKind(data: IndexList, op: string): "int32" | "bool" {
  let ints = 0, bools = 0;
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) { for (const x of v) walk(x); return; }
    if (typeof v === "boolean") bools++;
    else if (typeof v === "number" && Number.isInteger(v)) {
      if (v < -(2 ** 31) || v >= 2 ** 31) throw new RangeError(`${op}: index ${v} is out of bounds (beyond the int32 range)`);
      ints++;
    }
    else if (typeof v === "number") throw new TypeError(`${op}: ${FLOAT_INDEX} (the array holds ${v})`);
    else throw new TypeError(`${op}: ${VALID} (an array holds ${describe(v)})`);
  };
  walk(data);
  if (ints > 0 && bools > 0) throw new TypeError(`${op}: an index array mixes integers and booleans`);
  return bools > 0 ? "bool" : "int32";
}

/** The keys as parsed values, strings with commas split; nothing allocated. */
function parseKeys(keys: readonly unknown[], op: string): Key[] {
  const out: Key[] = [];
  for (const k of keys) {
    if (k === null) out.push({ kind: "none" });
    else if (typeof k === "number") {
      if (!Number.isInteger(k)) throw new TypeError(`${op}: ${VALID} (got ${describe(k)})`);
      out.push({ kind: "int", value: k });
    } else if (typeof k === "boolean") out.push({ kind: "bool", value: k });
    else if (typeof k === "string") {
      const parts = k.split(",");
      if (parts.length > 1 && parts[parts.length - 1].trim() === "") parts.pop(); // "1:3," as Python's x[1:3,]
      for (const p of parts) out.push(parseString(p, op));
    } else if (k instanceof Tensor) {
      if (k._storage === null) k._ptr; // the "disposed" error
      if (k.dtype === "float32") throw new TypeError(`${op}: ${FLOAT_INDEX} (got ${describe(k)})`);
      out.push({ kind: "tensor", t: k });
    } else if (Array.isArray(k)) {
      listKind(k, op);
      out.push({ kind: "list", data: k });
    } else throw new TypeError(`${op}: ${VALID} (got ${describe(k)})`);
  }
  if (out.filter((k) => k.kind === "ellipsis").length > 1) throw new Error(`${op}: an index can only have a single ellipsis ("...")`);
  return out;
}

/** Dims a key consumes (PyTorch's count_specified_dimensions). */
function consumes(k: Key): number {
  switch (k.kind) {
    case "int": case "slice": return 1;
    case "tensor": return k.t.dtype === "bool" ? k.t.shape.length : 1;
    case "list": return listKind(k.data, "") === "bool" ? nestedRank(k.data) : 1;
    default: return 0;
  }
}

function nestedRank(data: IndexList): number {
  let r = 0;
  let cur: unknown = data;
  while (Array.isArray(cur)) { r++; cur = cur[0]; }
  return r;
}

/**
 * The basic steps and advanced indices of `keys` on a tensor of `shape`. Throws before
 * anything is allocated for bad keys; tensors made from arrays are in `made`.
 */
export function planIndex(shape: Shape, keys: readonly unknown[], op: string): Plan {
  const parsed = parseKeys(keys, op);
  const rank = shape.length;
  const specified = parsed.reduce((n, k) => n + consumes(k), 0);
  if (rank === 0 && parsed.length === 1 && parsed[0].kind === "int") {
    throw new RangeError(`${op}: invalid index of a 0-dim tensor. Use tensor.item() to convert a 0-dim tensor to a number`);
  }
  if (specified > rank) throw new RangeError(`${op}: too many indices for tensor of dimension ${rank}`);
  const cur = shape.slice();
  const steps: Step[] = [];
  const tensors: (Tensor | null)[] = [];
  const made: Tensor[] = [];
  let name = "AliasBackward0";
  let dim = 0;
  const only = parsed.length === 1;
  const select = (index: number, realDim: number): void => {
    const size = cur[dim];
    if (index < -size || index >= size) throw outOfBounds(op, index, realDim, size);
    steps.push({ kind: "select", dim, index: index < 0 ? index + size : index });
    cur.splice(dim, 1);
    name = "SelectBackward0";
  };
  const unsqueeze = (): void => {
    steps.push({ kind: "unsqueeze", dim });
    cur.splice(dim, 0, 1);
    name = "UnsqueezeBackward0";
  };
  // PyTorch's recordTensorIndex: the first advanced index lands at its dim, later ones follow
  const record = (t: Tensor): void => {
    if (tensors.length === 0) { tensors.length = dim + 1; tensors.fill(null); tensors[dim] = t; } else tensors.push(t);
    dim += t.dtype === "bool" ? t.shape.length : 1;
  };
  const pad = (n: number): void => { if (tensors.length > 0) for (let i = 0; i < n; i++) tensors.push(null); };
  try {
    parsed.forEach((k, i) => {
      switch (k.kind) {
        case "int": select(k.value, i); break;
        case "slice": {
          const size = cur[dim];
          const clampTo = (v: number): number => Math.min(Math.max(v < 0 ? v + size : v, 0), size);
          const start = k.start === null ? 0 : clampTo(k.start);
          const stop = Math.max(start, k.stop === null ? size : clampTo(k.stop));
          // PyTorch skips a slice that keeps the whole dim, except for a lone key (x[:] is a slice)
          if (only || start !== 0 || stop !== size || k.step !== 1) {
            steps.push({ kind: "slice", dim, start, length: Math.ceil((stop - start) / k.step), step: k.step });
            cur[dim] = Math.ceil((stop - start) / k.step);
            name = "SliceBackward0";
          }
          dim++;
          pad(1);
          break;
        }
        case "ellipsis": dim += rank - specified; pad(rank - specified); break;
        case "none": unsqueeze(); dim++; pad(1); break;
        case "bool": unsqueeze(); record(boolIndex(k.value, made)); break;
        case "tensor":
          if (k.t.shape.length === 0 && k.t.dtype === "int32") select(k.t.item(), i); // a 0-dim int tensor selects, as PyTorch
          else if (k.t.shape.length === 0) { unsqueeze(); record(boolIndex(k.t.item() !== 0, made)); }
          else record(k.t);
          break;
        case "list": {
          const t = tensor(k.data as never, { dtype: listKind(k.data, op) });
          made.push(t);
          record(t);
          break;
        }
      }
    });
  } catch (e) {
    for (const t of made) t.dispose();
    throw e;
  }
  while (tensors.length > 0 && tensors[tensors.length - 1] === null) tensors.pop();
  return { steps, name, tensors, made };
}

/** `x[True]` indexes a new axis with [0], `x[False]` with [] (PyTorch's boolToIndexingTensor). */
function boolIndex(value: boolean, made: Tensor[]): Tensor {
  const t = fill([value ? 1 : 0], 0, "int32");
  made.push(t);
  return t;
}

/** The view the basic steps make of `t` (any tensor of the planned shape: x, or its grad). */
export function basicView(t: Tensor, steps: readonly Step[]): Tensor {
  const shape = t.shape.slice(), strides = t._strides.slice();
  let offset = t._offset;
  for (const s of steps) {
    if (s.kind === "select") {
      offset += s.index * strides[s.dim];
      shape.splice(s.dim, 1); strides.splice(s.dim, 1);
    } else if (s.kind === "slice") {
      if (s.length > 0) offset += s.start * strides[s.dim];
      strides[s.dim] *= s.step;
      shape[s.dim] = s.length;
    } else {
      strides.splice(s.dim, 0, s.dim < shape.length ? strides[s.dim] * shape[s.dim] : 1);
      shape.splice(s.dim, 0, 1);
    }
  }
  return viewOf(t, shape, strides, offset);
}

/** Advanced indices resolved against the view they index: the result's shape and the walk. */
export interface Advanced {
  shape: number[];
  /** Per result dim: the view's dim it walks, or -1 for a dim of the broadcast indices. */
  dimOf: number[];
  indices: { values: Tensor; dim: number; strides: number[] }[];
  /** Tensors made here (int32 copies, nonzero rows): engine-owned. */
  made: Tensor[];
}

/**
 * aten::index's rules: bool masks become the coordinates of their true entries, all
 * indices broadcast together, every index is checked against its dim, and the broadcast
 * dims replace the indexed ones where they are adjacent, else go first.
 */
export function resolveAdvanced(shape: Shape, tensors: readonly (Tensor | null)[], op: string): Advanced {
  // masks must fit the dims they cover: checked before anything is made
  let p = 0;
  for (const t of tensors) {
    if (t !== null && t.dtype === "bool") {
      t.shape.forEach((s, j) => {
        if (s !== shape[p + j]) {
          throw new RangeError(`${op}: The shape of the mask ${fmt(t.shape)} at index ${j} does not match the shape of the ` +
            `indexed tensor ${fmt(shape)} at index ${p + j}`);
        }
      });
    }
    p += t !== null && t.dtype === "bool" ? t.shape.length : 1;
  }
  const made: Tensor[] = [];
  try {
    const entries: { values: Tensor; dim: number }[] = [];
    p = 0;
    for (const t of tensors) {
      if (t === null) { p++; continue; }
      const d = dense(t);
      if (d !== t) made.push(d);
      if (t.dtype === "bool") {
        const rows = nonzero(d);
        made.push(...rows);
        rows.forEach((values, j) => entries.push({ values, dim: p + j }));
        p += t.shape.length;
      } else entries.push({ values: d, dim: p++ });
    }
    let b: number[] = entries[0].values.shape.slice();
    for (let i = 1; i < entries.length; i++) {
      try { b = broadcastShapes(b, entries[i].values.shape, "index"); } catch {
        throw new RangeError(`${op}: shape mismatch: indexing tensors could not be broadcast together with shapes ` +
          entries.map((e) => fmt(e.values.shape)).join(", "));
      }
    }
    entries.forEach((e, k) => {
      const size = shape[e.dim];
      const bad = outOfRange(e.values, -size, size);
      if (bad !== null) throw outOfBounds(op, bad, k, size); // k: PyTorch counts the indices, not the dims
    });
    const indexed = new Set(entries.map((e) => e.dim));
    const first = entries[0].dim, last = entries[entries.length - 1].dim;
    const adjacent = entries.every((e, i) => e.dim === first + i);
    const rest = shape.map((_, d) => d).filter((d) => !indexed.has(d));
    const before = adjacent ? rest.filter((d) => d < first) : [];
    const after = adjacent ? rest.filter((d) => d > last) : rest;
    const dimOf = [...before, ...b.map(() => -1), ...after];
    const indices = entries.map((e) => {
      const own = stridesOf(e.values.shape), off = b.length - e.values.shape.length;
      const inB = b.map((_, i) => (i < off || e.values.shape[i - off] === 1 ? 0 : own[i - off]));
      return { values: e.values, dim: e.dim, strides: [...before.map(() => 0), ...inB, ...after.map(() => 0)] };
    });
    return { shape: dimOf.map((d, i) => (d < 0 ? b[i - before.length] : shape[d])), dimOf, indices, made };
  } catch (e) {
    for (const t of made) t.dispose();
    throw e;
  }
}

/** A's strides for the walk over the advanced result (0 along the broadcast index dims). */
export function walkStrides(adv: Advanced, a: Tensor): number[] {
  return adv.dimOf.map((d) => (d < 0 ? 0 : a._strides[d]));
}

/** The walk's index operands for A, a view of the indexed shape. */
export function walkIndices(adv: Advanced, a: Tensor): IndexOperand[] {
  return adv.indices.map((ix) => ({ values: ix.values, strides: ix.strides, size: a.shape[ix.dim], aStride: a._strides[ix.dim] }));
}
