// softmax, logSoftmax and logsumexp: fused, numerically stable kernels (the max is
// subtracted before exp) along a dim, and their backwards; F.softmax / F.logSoftmax.
import type { Tensor } from "../tensor.js";
import { needsGrad, record } from "../autograd.js";
import { defineMethods } from "../methods.js";
import { castTo, dropTemp, empty } from "./layout.js";
import { RK } from "./reduce_kernels.js";
import { refuseUnknownOptions } from "../unknown_option.js";
import {
  fromPlanned, parseDim, parseDims, parseKeepdim, planInput, planReduce, reduceGrad, reduceRows, show, tensorArg, type ReducePlan,
} from "./reduce_plan.js";

const SOFTMAX = 0, LOG_SOFTMAX = 1;

/** softmax (kind 0) or log_softmax (kind 1) of x along `dim`. */
function softmaxAlong(kind: number, x: Tensor, dim: unknown, op: string): Tensor {
  const d = parseDim(dim, x.shape.length, op, " (the dim to normalise over)");
  if (x.dtype !== "float32") {
    throw new Error(`${op}: expected a float32 input, got ${x.dtype} (PyTorch's softmax kernels take floating point only); convert it with .float()`);
  }
  // the kernel reads rows along d; a plan that "reduces" d lays them out (and says how to put them back)
  const plan = planReduce(x, [d], true);
  const src = planInput(x, plan);
  const y = empty(src.shape);
  if (y._size > 0) RK.softmaxDim(kind, src._ptr, y._ptr, plan.outer, plan.n, plan.inner);
  dropTemp(src, x);
  const out = fromPlanned(y, plan, x.shape);
  if (needsGrad(x)) {
    record(out, kind === SOFTMAX ? "SoftmaxBackward0" : "LogSoftmaxBackward0", [x], (g) => [softmaxGrad(kind, out, g, plan)], [out]);
  }
  return out;
}

function softmaxGrad(kind: number, y: Tensor, g: Tensor, plan: ReducePlan): Tensor {
  const yp = planInput(y, plan), gp = planInput(g, plan);
  const gx = empty(yp.shape);
  if (gx._size > 0) RK.softmaxBackward(kind, yp._ptr, gp._ptr, gx._ptr, plan.outer, plan.n, plan.inner);
  dropTemp(yp, y); dropTemp(gp, g);
  return fromPlanned(gx, plan, y.shape);
}

/** log Σ exp(x) over dims, stable; int and bool inputs compute in float32, as PyTorch's. */
function logsumexp(x: Tensor, dim: unknown, keepdim: unknown): Tensor {
  if (dim === undefined) throw new TypeError("logsumexp: dim is required (an integer or an array of integers)");
  const dims = parseDims(dim, x.shape.length, "logsumexp");
  const plan = planReduce(x, dims, parseKeepdim(keepdim, "logsumexp"));
  const xf = castTo(x, "float32");
  const out = reduceRows(xf, plan, RK.logsumexpDim);
  dropTemp(xf, x);
  if (needsGrad(x)) record(out, "LogsumexpBackward0", [x], (g) => [reduceGrad(x, out, g, plan, RK.logsumexpBackward)], [x, out]);
  return out;
}

declare module "../tensor.js" {
  interface Tensor {
    /**
     * exp(x) / Σ exp(x) along `dim`, computed stably (the max is subtracted first).
     *
     * ```ts
     * torch.tensor([[1, 2, 3]]).softmax(-1);   // tensor([[0.0900, 0.2447, 0.6652]])
     * ```
     */
    softmax(dim: number): Tensor;
    /**
     * log(softmax(x)) along `dim`, computed as x − max − log Σ exp(x − max).
     *
     * ```ts
     * torch.tensor([[1, 2, 3]]).logSoftmax(1);   // tensor([[-2.4076, -1.4076, -0.4076]])
     * ```
     */
    logSoftmax(dim: number): Tensor;
    /**
     * log Σ exp(x) over one dim or a list of dims, computed stably (a row of -inf gives -inf).
     *
     * ```ts
     * torch.tensor([[0, 0], [1000, 1000]]).logsumexp(1);   // tensor([6.9315e-01, 1.0007e+03])
     * ```
     */
    logsumexp(dim: number | readonly number[], keepdim?: boolean): Tensor;
  }
}

defineMethods({
  softmax(this: Tensor, dim: unknown) { return softmaxAlong(SOFTMAX, this, dim, "softmax"); },
  logSoftmax(this: Tensor, dim: unknown) { return softmaxAlong(LOG_SOFTMAX, this, dim, "logSoftmax"); },
  logsumexp(this: Tensor, dim: unknown, keepdim?: unknown) { return logsumexp(this, dim, keepdim); },
});

/**
 * torch.softmax(input, dim): see `Tensor.softmax`.
 *
 * ```ts
 * torch.softmax(torch.tensor([0, 0]), 0);   // tensor([0.5000, 0.5000])
 * ```
 */
export function softmax(input: Tensor, dim: number): Tensor {
  return softmaxAlong(SOFTMAX, tensorArg(input, "softmax"), dim, "softmax");
}

/**
 * torch.logSoftmax(input, dim): see `Tensor.logSoftmax`.
 *
 * ```ts
 * torch.logSoftmax(torch.tensor([0, 0]), 0);   // tensor([-0.6931, -0.6931])
 * ```
 */
export function logSoftmax(input: Tensor, dim: number): Tensor {
  return softmaxAlong(LOG_SOFTMAX, tensorArg(input, "logSoftmax"), dim, "logSoftmax");
}

/**
 * torch.logsumexp(input, dim, keepdim?): see `Tensor.logsumexp`.
 *
 * ```ts
 * torch.logsumexp(torch.tensor([[1, 2], [3, 4]]), [0, 1]);   // tensor(4.4402)
 * ```
 */
export function logsumexpFn(input: Tensor, dim: number | readonly number[], keepdim?: boolean): Tensor {
  return logsumexp(tensorArg(input, "logsumexp"), dim, keepdim);
}

/**
 * The options of `F.softmax` and `F.logSoftmax` (PyTorch's keyword `dim`); a bare number
 * works too.
 *
 * ```ts
 * const opts: F.SoftmaxOptions = { dim: 1 };
 * F.softmax(torch.tensor([[0, 0]]), opts); // tensor([[0.5000, 0.5000]])
 * ```
 */
export interface SoftmaxOptions {
  /** The dim to normalise over. Without it, PyTorch's deprecated implicit choice: 0 for 0-, 1- and 3-D input, else 1. */
  dim?: number;
}

/** F.softmax(input, { dim }) or F.softmax(input, dim). */
function functional(kind: number, input: Tensor, options: SoftmaxOptions | number | undefined, op: string): Tensor {
  const x = tensorArg(input, op);
  let dim: unknown = options;
  if (typeof options === "object" && options !== null && !Array.isArray(options)) {
    refuseUnknownOptions(op, options, ["dim"]);
    dim = options.dim;
  } else if (options !== undefined && typeof options !== "number") {
    throw new TypeError(`${op}: expected { dim } or a dim (an integer), got ${show(options)}`);
  }
  if (dim === undefined || dim === null) dim = [0, 1, 3].includes(x.shape.length) ? 0 : 1; // PyTorch's _get_softmax_dim
  return softmaxAlong(kind, x, dim, op);
}

/**
 * PyTorch's `F.softmax(input, dim)`: exp(x) / Σ exp(x) along `{ dim }` (a bare dim also
 * works), computed stably; see `Tensor.softmax`.
 *
 * ```ts
 * const logits = torch.tensor([[1, 2, 3], [0, 0, 0]]);
 * F.softmax(logits, { dim: -1 }); // tensor([[0.0900, 0.2447, 0.6652], [0.3333, 0.3333, 0.3333]])
 * F.softmax(logits, 1).sum(1);    // tensor([1., 1.])
 * ```
 */
export function functionalSoftmax(input: Tensor, options?: SoftmaxOptions | number): Tensor {
  return functional(SOFTMAX, input, options, "F.softmax");
}

/**
 * PyTorch's `F.log_softmax(input, dim)`: log(softmax(x)) along `{ dim }` (a bare dim also
 * works), computed as x − max − log Σ exp(x − max); see `Tensor.logSoftmax`.
 *
 * ```ts
 * const logits = torch.tensor([[1, 2, 3]]);
 * F.logSoftmax(logits, { dim: 1 }); // tensor([[-2.4076, -1.4076, -0.4076]])
 * ```
 */
export function functionalLogSoftmax(input: Tensor, options?: SoftmaxOptions | number): Tensor {
  return functional(LOG_SOFTMAX, input, options, "F.logSoftmax");
}
