// x.norm(p?, dim?, keepdim?): torch.norm's vector norms (torch.linalg.vector_norm) over
// every dim, one dim or a list of dims, and PyTorch's norm_backward.
import type { Tensor } from "../tensor.js";
import { needsGrad, record } from "../autograd.js";
import { defineMethods } from "../methods.js";
import { RK } from "./reduce_kernels.js";
import { dtypeName, parseDims, parseKeepdim, planReduce, reduceGrad, reduceRows, show, tensorArg } from "./reduce_plan.js";

/** The order p: a number, "fro" (2 over at most two dims) or null/undefined (2). */
function parseOrder(p: unknown, dims: number[] | null): number {
  if (p === undefined || p === null) return 2;
  if (typeof p === "number") return p;
  if (p === "fro") {
    if (dims !== null && dims.length > 2) {
      throw new Error(`norm: p "fro" is a vector or matrix norm over at most 2 dims, got dim ${show(dims)}`);
    }
    return 2;
  }
  if (p === "nuc") throw new Error('norm: p "nuc" (the nuclear norm) is not supported; p must be a number or "fro"');
  throw new TypeError(`norm: p must be a number, "fro" or null, got ${show(p)}`);
}

function norm(x: Tensor, p: unknown, dim: unknown, keepdim: unknown): Tensor {
  const dims = parseDims(dim, x.shape.length, "norm");
  const ord = parseOrder(p, dims);
  const kd = parseKeepdim(keepdim, "norm");
  if (x.dtype !== "float32") {
    throw new Error(`linalg.vector_norm: Expected a floating point or complex tensor as input. Got ${dtypeName(x.dtype)} (convert it with .float())`);
  }
  const plan = planReduce(x, dims, kd);
  if (plan.n === 0 && (ord < 0 || ord === Infinity)) {
    const where = dims === null ? "an empty tensor" : `the dimension ${plan.dims.find((d) => x.shape[d] === 0)} because this dimension is empty`;
    throw new Error(`linalg.vector_norm cannot compute the ${ord === Infinity ? "inf" : ord === -Infinity ? "-inf" : ord} norm on ${where} ` +
      "and the operation does not have an identity");
  }
  const out = reduceRows(x, plan, (src, o, outer, n, inner) => RK.normDim(src, o, outer, n, inner, ord));
  if (needsGrad(x)) {
    // PyTorch defines no gradient for the 0-"norm"
    record(out, "LinalgVectorNormBackward0", [x], (g) => [ord === 0 ? null : reduceGrad(x, out, g, plan,
      (xp, y, gp, gx, outer, n, inner) => RK.normBackward(xp, y, gp, gx, outer, n, inner, ord))], [x, out]);
  }
  return out;
}

declare module "../tensor.js" {
  interface Tensor {
    /**
     * The p-norm over every dim, one dim or a list of dims, as torch.norm: p = 2 (default,
     * also "fro"), 1, Infinity (max |x|), -Infinity (min |x|), 0 (the count of non-zeros)
     * or any other number ((Σ|x|^p)^(1/p)).
     *
     * ```ts
     * const x = torch.tensor([[3, -4], [1, 0]]);
     * x.norm();                 // tensor(5.0990)
     * x.norm(1, 1);             // tensor([7., 1.])
     * x.norm(Infinity, 0, true); // tensor([[3., 4.]])
     * ```
     */
    norm(p?: number | "fro" | null, dim?: number | readonly number[] | null, keepdim?: boolean): Tensor;
  }
}

defineMethods({
  norm(this: Tensor, p?: unknown, dim?: unknown, keepdim?: unknown) { return norm(this, p, dim, keepdim); },
});

/**
 * torch.norm(input, p?, dim?, keepdim?): see `Tensor.norm`.
 *
 * ```ts
 * torch.norm(torch.tensor([3, 4]));   // tensor(5.)
 * ```
 */
export function normFn(input: Tensor, p?: number | "fro" | null, dim?: number | readonly number[] | null, keepdim?: boolean): Tensor {
  return norm(tensorArg(input, "norm"), p, dim, keepdim);
}
