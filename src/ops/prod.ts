// prod over every dim, one dim or a list of dims, and its backward. int32 and bool
// products are int32 (PyTorch's int64, narrowed: they wrap at 2³¹).
import type { Tensor } from "../tensor.js";
import { needsGrad, record } from "../autograd.js";
import { defineMethods } from "../methods.js";
import { clone } from "./layout.js";
import { intReduce } from "./reduce.js";
import { RK } from "./reduce_kernels.js";
import { parseDims, parseKeepdim, planReduce, reduceGrad, reduceRows, tensorArg } from "./reduce_plan.js";

/**
 * x.prod(dim?, keepdim?): the product over every dim, one dim, or (beyond PyTorch, which
 * takes one) a list of dims. The backward is PyTorch's: g·(y/x) without zeros, the product
 * of the other elements where a zero is present.
 */
export function prod(x: Tensor, dim?: unknown, keepdim?: unknown): Tensor {
  const dims = parseDims(dim, x.shape.length, "prod");
  const plan = planReduce(x, dims, parseKeepdim(keepdim, "prod"));
  if (x.dtype !== "float32") return intReduce(x, plan, true);
  const out = reduceRows(x, plan, (src, o, outer, n, inner) => RK.prodDim(0, src, o, outer, n, inner));
  if (needsGrad(x)) {
    record(out, dim === undefined || dim === null ? "ProdBackward0" : "ProdBackward1", [x],
      (g) => [x.shape.length === 0 ? clone(g) : reduceGrad(x, out, g, plan, RK.prodBackward)], [x, out]);
  }
  return out;
}

declare module "../tensor.js" {
  interface Tensor {
    /**
     * The product of the elements over every dim, one dim, or a list of dims; int32 and bool
     * give int32.
     *
     * ```ts
     * torch.tensor([[1, 2], [3, 4]]).prod();    // tensor(24.)
     * torch.tensor([[1, 2], [3, 4]]).prod(1);   // tensor([ 2., 12.])
     * ```
     */
    prod(dim?: number | readonly number[] | null, keepdim?: boolean): Tensor;
  }
}

defineMethods({
  prod(this: Tensor, dim?: number | readonly number[] | null, keepdim?: boolean) { return prod(this, dim, keepdim); },
});

/**
 * torch.prod(input, dim?, keepdim?): see `Tensor.prod`.
 *
 * ```ts
 * torch.prod(torch.tensor([2, 3, 4]));   // tensor(24.)
 * ```
 */
export function prodFn(input: Tensor, dim?: number | readonly number[] | null, keepdim?: boolean): Tensor {
  return prod(tensorArg(input, "prod"), dim, keepdim);
}
