// max, min (the value, or values and indices along a dim), amax, amin (over dims) and
// argmax, argmin, with PyTorch's ties (the first index), NaN (it wins, first NaN's index)
// and gradients (max()/amax share among ties; max(dim) goes to the returned index).
import { Tensor } from "../tensor.js";
import { needsGrad, record } from "../autograd.js";
import { defineMethods } from "../methods.js";
import { dtypeCode } from "../dtype.js";
import { dense, dropTemp, empty } from "./layout.js";
import { RK } from "./reduce_kernels.js";
import {
  fromPlanned, parseDim, parseDims, parseKeepdim, planInput, planReduce, plannedShape, reduceGrad, show, tensorArg, type ReducePlan,
} from "./reduce_plan.js";

/**
 * PyTorch's named pair `(values, indices)` from `max(dim)` and `min(dim)`: an array
 * `[values, indices]` (destructure it) that also has `.values` and `.indices`.
 *
 * ```ts
 * const pair: torch.ValuesIndices = torch.tensor([[1, 5], [7, 2]]).max(1);
 * const [values, indices] = pair;
 * values;       // tensor([5., 7.])
 * pair.indices; // tensor([1, 0])
 * ```
 */
export type ValuesIndices = [Tensor, Tensor] & { readonly values: Tensor; readonly indices: Tensor };

function pair(values: Tensor, indices: Tensor): ValuesIndices {
  // the names are not enumerable, so printing and spreading show the two tensors once
  return Object.defineProperties([values, indices], {
    values: { value: values, enumerable: false },
    indices: { value: indices, enumerable: false },
  }) as ValuesIndices;
}

const MAX = 0, MIN = 1;
const ONE_DIM = " (this op reduces one dim; amax/amin take several)";

/** PyTorch's refusal of a reduction with no identity over nothing. */
function emptyError(op: string, x: Tensor, plan: ReducePlan, dimGiven: boolean): Error {
  if (!dimGiven) {
    return new Error(`${op}(): Expected reduction dim to be specified for input.numel() == 0 (shape [${x.shape.join(", ")}]). ` +
      "Specify the reduction dim with the 'dim' argument.");
  }
  const d = plan.dims.find((k) => x.shape[k] === 0);
  return new Error(`${op}(): Expected reduction dim ${d} to have non-zero size (shape [${x.shape.join(", ")}]).`);
}

/** Runs the kernel under `plan`: values (x's dtype) and/or int32 indices. */
function reduce(op: number, x: Tensor, plan: ReducePlan, wantValues: boolean, wantIndices: boolean): [Tensor | null, Tensor | null] {
  const src = planInput(x, plan);
  const vals = wantValues ? empty(plan.outShape, x.dtype) : null;
  const idx = wantIndices ? empty(plan.outShape, "int32") : null;
  if (plan.outer * plan.inner > 0) {
    RK.extremaDim(op, dtypeCode(x.dtype), src._ptr, vals === null ? 0 : vals._ptr, idx === null ? 0 : idx._ptr,
      plan.outer, plan.n, plan.inner);
  }
  dropTemp(src, x);
  return [vals, idx];
}

/** The gradient of a value reduction spread over the ties (mode 0 amax/amin, 1 full max/min). */
function spreadGrad(mode: number, x: Tensor, y: Tensor, plan: ReducePlan, g: Tensor): Tensor {
  return reduceGrad(x, y, g, plan, (xp, yp, gp, gx, outer, n, inner) => RK.extremaBackward(mode, xp, yp, gp, gx, outer, n, inner));
}

/** x.max() / x.min(), or with a dim the pair (values, indices). */
function extreme(op: number, x: Tensor, dim: unknown, keepdim: unknown): Tensor | ValuesIndices {
  const name = op === MAX ? "max" : "min";
  if (dim instanceof Tensor) {
    throw new TypeError(`${name}(other): for the element-wise ${name}imum of two tensors use torch.${name}imum(input, other)`);
  }
  if (dim === undefined || dim === null) {
    if (keepdim !== undefined) throw new TypeError(`${name}: keepdim needs a dim, got keepdim ${show(keepdim)} without one`);
    const plan = planReduce(x, null, false);
    if (x._size === 0) throw emptyError(name, x, plan, false);
    const [out] = reduce(op, x, plan, true, false);
    const y = out!;
    if (needsGrad(x)) record(y, op === MAX ? "MaxBackward1" : "MinBackward1", [x], (g) => [spreadGrad(1, x, y, plan, g)], [x, y]);
    return y;
  }
  const d = parseDim(dim, x.shape.length, name, ONE_DIM);
  const plan = planReduce(x, [d], parseKeepdim(keepdim, name));
  if (plan.n === 0) throw emptyError(name, x, plan, true);
  const [v, i] = reduce(op, x, plan, true, true);
  const values = v!, indices = i!;
  if (needsGrad(x)) {
    record(values, op === MAX ? "MaxBackward0" : "MinBackward0", [x], (g) => {
      const gd = dense(g);
      const gx = empty(plannedShape(plan, x.shape));
      if (gx._size > 0) RK.scatterDim(gd._ptr, indices._ptr, gx._ptr, plan.outer, plan.n, plan.inner);
      dropTemp(gd, g);
      return [fromPlanned(gx, plan, x.shape)];
    }, [indices]);
  }
  return pair(values, indices);
}

/** x.amax(dim?, keepdim?) / x.amin(…): values over every dim, one dim or a list of dims. */
function extremeValues(op: number, x: Tensor, dim: unknown, keepdim: unknown): Tensor {
  const name = op === MAX ? "amax" : "amin";
  const dims = parseDims(dim, x.shape.length, name);
  const plan = planReduce(x, dims, parseKeepdim(keepdim, name));
  if (plan.n === 0) throw emptyError(name, x, plan, dims !== null);
  const [out] = reduce(op, x, plan, true, false);
  const y = out!;
  if (needsGrad(x)) record(y, op === MAX ? "AmaxBackward0" : "AminBackward0", [x], (g) => [spreadGrad(0, x, y, plan, g)], [x, y]);
  return y;
}

/** x.argmax(dim?, keepdim?) / x.argmin(…): int32 indices; without dim, into the flattened tensor. */
function extremeIndex(op: number, x: Tensor, dim: unknown, keepdim: unknown): Tensor {
  const name = op === MAX ? "argmax" : "argmin";
  if (x.dtype === "bool") throw new Error(`${name}(): does not support bool input (convert it with .int())`);
  const kd = parseKeepdim(keepdim, name);
  const given = dim !== undefined && dim !== null;
  const plan = planReduce(x, given ? [parseDim(dim, x.shape.length, name, ONE_DIM)] : null, kd);
  if (plan.n === 0) throw emptyError(name, x, plan, given);
  return reduce(op, x, plan, false, true)[1]!;
}

declare module "../tensor.js" {
  interface Tensor {
    /**
     * The largest element, as a 0-d tensor (PyTorch's `max()`). NaN counts as the largest; the
     * gradient is shared among ties.
     *
     * ```ts
     * torch.tensor([[1, 5, 5], [7, 2, 0]]).max(); // tensor(7.)
     * ```
     */
    max(): Tensor;
    /**
     * The largest values along `dim` and their indices, as PyTorch's pair `[values, indices]`
     * (also `.values` and `.indices`; indices are int32); `keepdim` keeps `dim` with size 1.
     * Ties give the first index; NaN counts as the largest. The gradient goes to the returned
     * index.
     *
     * ```ts
     * const x = torch.tensor([[1, 5, 5], [7, 2, 0]]);
     * const [values, indices] = x.max(1);
     * values;                     // tensor([5., 7.])
     * indices;                    // tensor([1, 0])
     * x.max(1, true).indices;     // tensor([[1], [0]])
     * ```
     */
    max(dim: number, keepdim?: boolean): ValuesIndices;
    /**
     * The smallest element, as a 0-d tensor (PyTorch's `min()`); NaN counts as the smallest.
     *
     * ```ts
     * torch.tensor([[1, 5], [0, 2]]).min(); // tensor(0.)
     * ```
     */
    min(): Tensor;
    /**
     * The smallest values along `dim` and their indices, as the pair `[values, indices]` (see
     * `max(dim)`).
     *
     * ```ts
     * const [values, indices] = torch.tensor([[1, 5], [0, 2]]).min(0);
     * values;  // tensor([0., 2.])
     * indices; // tensor([1, 1])
     * ```
     */
    min(dim: number, keepdim?: boolean): ValuesIndices;
    /**
     * The largest values over every dim, one dim or a list of dims. The gradient is shared
     * evenly among ties.
     *
     * ```ts
     * torch.tensor([[1, 5], [7, 2]]).amax(0);   // tensor([7., 5.])
     * ```
     */
    amax(dim?: number | readonly number[] | null, keepdim?: boolean): Tensor;
    /**
     * The smallest values over every dim, one dim or a list of dims.
     *
     * ```ts
     * torch.tensor([[1, 5], [7, 2]]).amin([0, 1]);   // tensor(1.)
     * ```
     */
    amin(dim?: number | readonly number[] | null, keepdim?: boolean): Tensor;
    /**
     * The index (int32) of the largest element — of the flattened tensor, or along `dim`.
     * Ties give the first index; NaN counts as the largest.
     *
     * ```ts
     * torch.tensor([[1, 5, 5], [7, 2, 0]]).argmax();    // tensor(3)
     * torch.tensor([[1, 5, 5], [7, 2, 0]]).argmax(1);   // tensor([1, 0])
     * ```
     */
    argmax(dim?: number | null, keepdim?: boolean): Tensor;
    /**
     * The index (int32) of the smallest element, as `argmax`.
     *
     * ```ts
     * torch.tensor([3, 1, 1]).argmin();   // tensor(1)
     * ```
     */
    argmin(dim?: number | null, keepdim?: boolean): Tensor;
  }
}

defineMethods({
  max(this: Tensor, dim?: unknown, keepdim?: unknown) { return extreme(MAX, this, dim, keepdim); },
  min(this: Tensor, dim?: unknown, keepdim?: unknown) { return extreme(MIN, this, dim, keepdim); },
  amax(this: Tensor, dim?: unknown, keepdim?: unknown) { return extremeValues(MAX, this, dim, keepdim); },
  amin(this: Tensor, dim?: unknown, keepdim?: unknown) { return extremeValues(MIN, this, dim, keepdim); },
  argmax(this: Tensor, dim?: unknown, keepdim?: unknown) { return extremeIndex(MAX, this, dim, keepdim); },
  argmin(this: Tensor, dim?: unknown, keepdim?: unknown) { return extremeIndex(MIN, this, dim, keepdim); },
});

/**
 * `torch.max(input)`: the largest element (see `Tensor.max`).
 *
 * ```ts
 * torch.max(torch.tensor([[1, 5], [7, 2]])); // tensor(7.)
 * ```
 */
export function maxFn(input: Tensor): Tensor;
/**
 * `torch.max(input, dim, keepdim?)`: the pair `[values, indices]` along `dim` (see
 * `Tensor.max`).
 *
 * ```ts
 * torch.max(torch.tensor([[1, 5], [7, 2]]), 1).values;   // tensor([5., 7.])
 * ```
 */
export function maxFn(input: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
export function maxFn(input: Tensor, dim?: number, keepdim?: boolean): Tensor | ValuesIndices {
  return extreme(MAX, tensorArg(input, "max"), dim, keepdim);
}

/**
 * `torch.min(input)`: the smallest element (see `Tensor.min`).
 *
 * ```ts
 * torch.min(torch.tensor([[1, 5], [7, 2]]));   // tensor(1.)
 * ```
 */
export function minFn(input: Tensor): Tensor;
/**
 * `torch.min(input, dim, keepdim?)`: the pair `[values, indices]` along `dim` (see
 * `Tensor.min`).
 *
 * ```ts
 * torch.min(torch.tensor([[1, 5], [7, 2]]), 0).indices; // tensor([0, 1])
 * ```
 */
export function minFn(input: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
export function minFn(input: Tensor, dim?: number, keepdim?: boolean): Tensor | ValuesIndices {
  return extreme(MIN, tensorArg(input, "min"), dim, keepdim);
}

/**
 * torch.amax(input, dim?, keepdim?): see `Tensor.amax`.
 *
 * ```ts
 * torch.amax(torch.tensor([[1, 5], [7, 2]]), -1);   // tensor([5., 7.])
 * ```
 */
export function amax(input: Tensor, dim?: number | readonly number[] | null, keepdim?: boolean): Tensor {
  return extremeValues(MAX, tensorArg(input, "amax"), dim, keepdim);
}

/**
 * torch.amin(input, dim?, keepdim?): see `Tensor.amin`.
 *
 * ```ts
 * torch.amin(torch.tensor([[1, 5], [7, 2]]), 0, true);   // tensor([[1., 2.]])
 * ```
 */
export function amin(input: Tensor, dim?: number | readonly number[] | null, keepdim?: boolean): Tensor {
  return extremeValues(MIN, tensorArg(input, "amin"), dim, keepdim);
}

/**
 * torch.argmax(input, dim?, keepdim?): see `Tensor.argmax`.
 *
 * ```ts
 * torch.argmax(torch.tensor([[1, 5], [7, 2]]), 1);   // tensor([1, 0])
 * ```
 */
export function argmax(input: Tensor, dim?: number | null, keepdim?: boolean): Tensor {
  return extremeIndex(MAX, tensorArg(input, "argmax"), dim, keepdim);
}

/**
 * torch.argmin(input, dim?, keepdim?): see `Tensor.argmin`.
 *
 * ```ts
 * torch.argmin(torch.tensor([[1, 5], [7, 2]]), 0);   // tensor([0, 1])
 * ```
 */
export function argmin(input: Tensor, dim?: number | null, keepdim?: boolean): Tensor {
  return extremeIndex(MIN, tensorArg(input, "argmin"), dim, keepdim);
}
