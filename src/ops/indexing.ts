// t.index(...keys) is Python's t[keys] and t.indexPut_(keys, value) is t[keys] = value, as
// PyTorch does them: basic keys (integers, slices, "...", null) make a view of t's storage;
// advanced keys (int32 and bool tensors, arrays) copy through assembly/indexing.ts's walk.
import { Tensor } from "../tensor.js";
import { checkInPlaceTarget, isGradEnabled, needsGrad, record } from "../autograd.js";
import { defineMethods } from "../methods.js";
import { refuseUnknownOptions } from "../unknown_option.js";
import { fmt, stridesOf, type Shape } from "../shape.js";
import { castTo, clone, empty, fill, live } from "./layout.js";
import { cloneOp, reduceTo } from "./elementwise.js";
import { regionGrad, viewOf } from "./views.js";
import { ACCUMULATE, GATHER, PUT, indexedCopy } from "./indexed_copy.js";
import {
  type Advanced, type IndexKey, type Plan, type Step, basicView, planIndex, resolveAdvanced, walkIndices, walkStrides,
} from "./index_keys.js";

export type { IndexKey, IndexList } from "./index_keys.js";

declare module "../tensor.js" {
  interface Tensor {
    /**
     * Python's `t[keys]`: integers (negative from the end), slice strings `"start:stop:step"`
     * (any part empty), `"..."`, `null` (a new axis), int32/bool tensors or arrays (advanced
     * indexing, PyTorch's rules), or one string with commas. Basic keys give a view sharing
     * t's storage; advanced keys give a copy. Differentiable.
     *
     * ```ts
     * const x = torch.arange(12).reshape(3, 4);
     * x.index(0);                 // x[0]:          tensor([0, 1, 2, 3])
     * x.index("1:3", "::2");      // x[1:3, ::2]:   tensor([[ 4,  6], [ 8, 10]])
     * x.index("1:3, ::2");        // the same keys in one string
     * // x[..., None]:
     * x.index("...", null).shape; // [3, 4, 1]
     * x.index([0, 2], -1);        // x[[0, 2], -1]: tensor([ 3, 11])
     * x.index(x.gt(9));           // x[x > 9]:      tensor([10, 11])
     * ```
     */
    index(...keys: IndexKey[]): Tensor;
    /**
     * `t[keys] = value` in place (keys as in `index`, in an array): value is a number or a
     * tensor broadcast to the indexed shape. With `accumulate: true` repeated indices add up
     * (PyTorch's `index_put_(…, accumulate=True)`). Returns t. Differentiable for value and t.
     *
     * ```ts
     * const x = torch.zeros([2, 3]);
     * x.indexPut_([0, "1:"], 5);  // x[0, 1:] = 5: tensor([[0., 5., 5.], [0., 0., 0.]])
     * const counts = torch.zeros([3]);
     * counts.indexPut_([torch.tensor([0, 0, 2], { dtype: "int32" })], torch.ones([3]), { accumulate: true }); // tensor([2., 0., 1.])
     * ```
     */
    indexPut_(keys: readonly IndexKey[], value: Tensor | number | boolean, options?: { accumulate?: boolean }): this;
    /**
     * The out-of-place form of `indexPut_`: a copy of t with `t[keys] = value` applied (PyTorch's
     * `index_put`).
     *
     * ```ts
     * const x = torch.ones([3, 2]);
     * const y = x.indexPut([[0, 2]], 0); // rows 0 and 2 zeroed: tensor([[0., 0.], [1., 1.], [0., 0.]])
     * x.sum();                           // tensor(6.)
     * ```
     */
    indexPut(keys: readonly IndexKey[], value: Tensor | number | boolean, options?: { accumulate?: boolean }): Tensor;
  }
}

/** x[keys]: a view for basic keys, a copy (IndexBackward0) with advanced ones. */
export function index(x: Tensor, keys: readonly unknown[]): Tensor {
  live(x);
  const plan = planIndex(x.shape, keys, "index()");
  if (plan.tensors.length === 0) {
    const y = basicView(x, plan.steps);
    if (needsGrad(x)) record(y, plan.name, [x], (g) => [regionGrad(x, g, (t) => basicView(t, plan.steps))]);
    return y;
  }
  const adv = resolve(x, plan, "index()");
  const out = gatherIndexed(x, plan.steps, adv);
  const { reads, saved } = keepIndices(plan, adv);
  if (needsGrad(x)) {
    record(out, "IndexBackward0", [x], (g) => {
      const gx = fill(x.shape, 0);
      putIndexed(ACCUMULATE, gx, plan.steps, adv, g, g._strides);
      return [gx];
    }, reads, saved);
  } else for (const t of saved) t.dispose();
  return out;
}

/** The advanced indices of a plan against x's view; frees what the plan made if they are bad. */
function resolve(x: Tensor, plan: Plan, op: string): Advanced {
  const region = basicView(x, plan.steps);
  try {
    return resolveAdvanced(region.shape, plan.tensors, op);
  } catch (e) {
    for (const t of plan.made) t.dispose();
    throw e;
  } finally {
    region.dispose();
  }
}

/**
 * The index tensors a backward reads: the program's own (version-checked reads) and those
 * made here (saved, freed with the graph). Made tensors the walk does not use are freed now.
 */
function keepIndices(plan: Plan, adv: Advanced | null): { reads: Tensor[]; saved: Tensor[] } {
  const used = new Set(adv === null ? [] : adv.indices.map((ix) => ix.values));
  const made = [...plan.made, ...(adv === null ? [] : adv.made)];
  const saved = made.filter((t) => used.has(t));
  for (const t of made) if (!used.has(t)) t.dispose();
  return { reads: [...used].filter((t) => !made.includes(t)), saved };
}

/** A new contiguous tensor holding t[keys] (t: x, or a gradient of x's shape). */
function gatherIndexed(t: Tensor, steps: readonly Step[], adv: Advanced | null): Tensor {
  const region = basicView(t, steps);
  if (adv === null) {
    const out = clone(region);
    region.dispose();
    return out;
  }
  const out = empty(adv.shape, t.dtype);
  indexedCopy(GATHER, region, walkStrides(adv, region), out, stridesOf(adv.shape), adv.shape, walkIndices(adv, region));
  region.dispose();
  return out;
}

/** t[keys] = src (or += src), src read through `srcStrides` over the indexed shape. */
function putIndexed(mode: number, t: Tensor, steps: readonly Step[], adv: Advanced | null, src: Tensor, srcStrides: readonly number[]): void {
  const region = basicView(t, steps);
  if (adv === null) indexedCopy(mode, region, region._strides, src, srcStrides, region.shape, []);
  else indexedCopy(mode, region, walkStrides(adv, region), src, srcStrides, adv.shape, walkIndices(adv, region));
  region.dispose();
}

const TYPE_NAMES = { float32: "Float", int32: "Int", bool: "Bool" } as const;

function parseAccumulate(opts: unknown, op: string): boolean {
  if (opts === undefined || opts === null) return false;
  if (typeof opts !== "object" || Array.isArray(opts)) throw new TypeError(`${op}: options must be an object like { accumulate: true }, got ${typeof opts}`);
  refuseUnknownOptions(op, opts, ["accumulate"]);
  const a = (opts as { accumulate?: unknown }).accumulate;
  if (a !== undefined && typeof a !== "boolean") throw new TypeError(`${op}: accumulate must be a boolean, got ${String(a)}`);
  return a === true;
}

/** Strides reading `value` (leading size-1 dims dropped, as PyTorch's setitem) broadcast to `shape`, or null if it does not broadcast. */
function valueStrides(value: Tensor, shape: Shape): number[] | null {
  let lead = 0;
  while (lead < value.shape.length && value.shape[lead] === 1) lead++;
  const vs = value.shape.slice(lead), off = shape.length - vs.length;
  if (off < 0) return null;
  const out = new Array<number>(shape.length).fill(0);
  for (let i = 0; i < vs.length; i++) {
    if (vs[i] === shape[off + i]) out[off + i] = value._strides[lead + i];
    else if (vs[i] !== 1) return null;
  }
  return out;
}

/** t[keys] = value (or += value with accumulate), in place; PyTorch's checks first, then one walk. */
export function indexPut_(t: Tensor, keys: unknown, value: unknown, opts?: unknown): Tensor {
  const op = "indexPut_()";
  live(t);
  if (!Array.isArray(keys)) {
    throw new TypeError(`${op}: keys must be an array of keys (t[k0, k1] = v is t.indexPut_([k0, k1], v)), got ` +
      `${keys instanceof Tensor ? "a Tensor (wrap it: [index])" : keys === null ? "null" : typeof keys}`);
  }
  const accumulate = parseAccumulate(opts, op);
  if (typeof value !== "number" && typeof value !== "boolean" && !(value instanceof Tensor)) {
    throw new TypeError(`${op}: value must be a Tensor or a number, got ${value === null ? "null" : typeof value}`);
  }
  if (value instanceof Tensor) live(value);
  checkInPlaceTarget(t, op);
  const plan = planIndex(t.shape, keys, op);
  const adv = plan.tensors.length > 0 ? resolve(t, plan, op) : null;
  const region = basicView(t, plan.steps);
  const shape = adv !== null ? adv.shape : region.shape;
  region.dispose();
  let strides: number[] | null = new Array<number>(shape.length).fill(0);
  let problem: Error | null = null;
  if (value instanceof Tensor) {
    strides = valueStrides(value, shape);
    if (strides === null) {
      problem = new RangeError(`${op}: shape mismatch: value tensor of shape ${fmt(value.shape)} cannot be broadcast to indexing result of shape ${fmt(shape)}`);
    } else if (adv !== null && value.dtype !== t.dtype) {
      problem = new TypeError(`${op}: Index put requires the source and destination dtypes match, got ${TYPE_NAMES[t.dtype]} ` +
        `for the destination and ${TYPE_NAMES[value.dtype]} for the source.`);
    }
  }
  if (problem !== null) {
    keepIndices(plan, null);
    for (const m of adv?.made ?? []) m.dispose();
    throw problem;
  }
  // Every check passed: from here on nothing throws.
  let src: Tensor;
  if (!(value instanceof Tensor)) src = fill([], Number(value), t.dtype);
  else if (value.dtype !== t.dtype) { src = castTo(value, t.dtype); strides = valueStrides(src, shape); }
  else if (value._storage === t._storage) { src = clone(value); strides = valueStrides(src, shape); } // t[…] = t[…] reads a copy
  else src = value;
  if (adv !== null) {
    // an int32 t indexed by a view of itself: the walk reads copies of those indices
    for (const ix of adv.indices) {
      if (ix.values._storage === t._storage) { const c = clone(ix.values); adv.made.push(c); ix.values = c; }
    }
  }
  putIndexed(accumulate ? ACCUMULATE : PUT, t, plan.steps, adv, src, strides!);
  t._bumpVersion();
  const { reads, saved } = keepIndices(plan, adv);
  const vGrad = value instanceof Tensor && value.requiresGrad && t.dtype === "float32" ? value : null;
  if (isGradEnabled() && t.dtype === "float32" && (t.requiresGrad || vGrad !== null)) {
    const tGrad = t.requiresGrad;
    const steps = plan.steps;
    record(t, adv !== null ? "IndexPutBackward0" : "CopySlices", vGrad !== null ? [t, vGrad] : [t], (g) => {
      let gt: Tensor | null = null;
      if (tGrad) {
        gt = clone(g);
        if (!accumulate) {
          const zero = fill([], 0);
          putIndexed(PUT, gt, steps, adv, zero, new Array<number>(shape.length).fill(0));
          zero.dispose();
        }
      }
      if (vGrad === null) return [gt];
      return [gt, valueGrad(gatherIndexed(g, steps, adv), vGrad)];
    }, reads, saved);
  } else for (const s of saved) s.dispose();
  if (src !== value) src.dispose();
  return t;
}

/** The grad of a value broadcast into the indexed region: summed back to its shape. */
function valueGrad(region: Tensor, value: Tensor): Tensor {
  let lead = 0;
  while (lead < value.shape.length && value.shape[lead] === 1) lead++;
  const reduced = reduceTo(region, value.shape.slice(lead));
  region.dispose();
  if (lead === 0) return reduced;
  const g = viewOf(reduced, value.shape, stridesOf(value.shape), reduced._offset);
  reduced.dispose();
  return g;
}

/** t.indexPut(keys, value): a copy of t with t[keys] = value (PyTorch's out-of-place index_put). */
export function indexPut(t: Tensor, keys: unknown, value: unknown, opts?: unknown): Tensor {
  live(t);
  const y = cloneOp(t);
  try {
    return indexPut_(y, keys, value, opts);
  } catch (e) {
    y.dispose();
    throw e;
  }
}

defineMethods({
  index(this: Tensor, ...keys: unknown[]) { return index(this, keys); },
  indexPut_(this: Tensor, keys: unknown, value: unknown, opts?: unknown) { return indexPut_(this, keys, value, opts); },
  indexPut(this: Tensor, keys: unknown, value: unknown, opts?: unknown) { return indexPut(this, keys, value, opts); },
});
