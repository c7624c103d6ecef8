// x.cumsum(dim): running sums along a dim (float32 accumulated in f64, as PyTorch's CPU
// kernel; int32 and bool give int32), and its backward, the running sum from the end.
import type { Tensor } from "../tensor.js";
import { needsGrad, record } from "../autograd.js";
import { defineMethods } from "../methods.js";
import { castTo, dropTemp, empty } from "./layout.js";
import { RK } from "./reduce_kernels.js";
import { fromPlanned, parseDim, planInput, planReduce, tensorArg, type ReducePlan } from "./reduce_plan.js";

/** Cumulative sums of t (float32 or int32, x's shape) along the planned rows, from the end if `reverse`. */
function scan(t: Tensor, plan: ReducePlan, reverse: boolean): Tensor {
  const src = planInput(t, plan);
  const out = empty(src.shape, t.dtype);
  if (out._size > 0) RK.cumsumDim(t.dtype === "float32" ? 0 : 1, reverse ? 1 : 0, src._ptr, out._ptr, plan.outer, plan.n, plan.inner);
  dropTemp(src, t);
  return fromPlanned(out, plan, t.shape);
}

function cumsum(x: Tensor, dim: unknown): Tensor {
  const d = parseDim(dim, x.shape.length, "cumsum");
  const plan = planReduce(x, [d], true);
  if (x.dtype !== "float32") {
    const asInt = castTo(x, "int32");
    const out = scan(asInt, plan, false);
    dropTemp(asInt, x);
    return out;
  }
  const out = scan(x, plan, false);
  if (needsGrad(x)) record(out, "CumsumBackward0", [x], (g) => [scan(g, plan, true)]);
  return out;
}

declare module "../tensor.js" {
  interface Tensor {
    /**
     * Running sums along `dim`; int32 and bool give int32.
     *
     * ```ts
     * torch.tensor([[1, 2, 3], [4, 5, 6]]).cumsum(1);   // tensor([[ 1.,  3.,  6.], [ 4.,  9., 15.]])
     * ```
     */
    cumsum(dim: number): Tensor;
  }
}

defineMethods({
  cumsum(this: Tensor, dim: unknown) { return cumsum(this, dim); },
});

/**
 * torch.cumsum(input, dim): see `Tensor.cumsum`.
 *
 * ```ts
 * torch.cumsum(torch.tensor([1, 2, 3]), 0);   // tensor([1., 3., 6.])
 * ```
 */
export function cumsumFn(input: Tensor, dim: number): Tensor {
  return cumsum(tensorArg(input, "cumsum"), dim);
}
