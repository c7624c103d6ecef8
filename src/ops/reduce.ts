// sum and mean over every dim, one dim or a list of dims, and their backwards. int32 and
// bool sums are int32 (PyTorch's int64, narrowed: they wrap at 2³¹). tensor.ts imports
// this file, so it installs no methods (prod.ts and the other family files do).
import type { Tensor } from "../tensor.js";
import { K } from "../runtime/wasm.js";
import { needsGrad, record } from "../autograd.js";
import { castTo, copyInto, dense, dropTemp, empty, setScalar } from "./layout.js";
import { viewAs } from "./elementwise.js";
import { Un } from "./codes.js";
import { RK } from "./reduce_kernels.js";
import { dtypeName, parseDims, parseKeepdim, planInput, planReduce, reduceRows, type ReducePlan } from "./reduce_plan.js";

/** int32 (from int32 or bool) Σ or Π under `plan`. */
export function intReduce(x: Tensor, plan: ReducePlan, prod: boolean): Tensor {
  const asInt = castTo(x, "int32");
  const out = reduceRows(asInt, plan, prod ? (src, o, outer, n, inner) => RK.prodDim(1, src, o, outer, n, inner) : RK.sumDimInt, "int32");
  dropTemp(asInt, x);
  return out;
}

/**
 * x.sum(dim?, keepdim?) and, with `mean`, x.mean(dim?, keepdim?): dim is a number, an array
 * of numbers, or undefined/null for every dim.
 */
export function sum(x: Tensor, dim: unknown, keepdim: unknown, mean: boolean): Tensor {
  const op = mean ? "mean" : "sum";
  const dims = parseDims(dim, x.shape.length, op);
  const kd = parseKeepdim(keepdim, op);
  if (mean && x.dtype !== "float32") {
    throw new Error("mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. " +
      `Got: ${dtypeName(x.dtype)} (convert it first: x.float().mean())`);
  }
  const plan = planReduce(x, dims, kd);
  if (x.dtype !== "float32") return intReduce(x, plan, false);
  const { outer, n, inner } = plan;
  const src = planInput(x, plan);
  const out = empty(plan.outShape);
  if (outer * inner === 1) {
    const s = K.sumRow(src._ptr, src._size);
    setScalar(out, mean ? s / n : s);
  } else if (out._size > 0) {
    K.sumDim(src._ptr, out._ptr, outer, n, inner);
    if (mean) K.unary(Un.DIVS, out._ptr, out._ptr, out._size, n);
  }
  dropTemp(src, x);
  if (needsGrad(x)) {
    const name = (mean ? "MeanBackward" : "SumBackward") + (dim === undefined || dim === null ? "0" : "1");
    const scale = mean ? 1 / n : 1;
    record(out, name, [x], (g) => [expandGrad(g, x, plan, scale)]);
  }
  return out;
}

/** The gradient of a sum: g·scale broadcast back over the reduced dims, in x's shape. */
function expandGrad(g: Tensor, x: Tensor, plan: ReducePlan, scale: number): Tensor {
  const gd = dense(g);
  const gx = empty(x.shape);
  if (gx._size > 0) {
    if (plan.perm === null) RK.expandDim(gd._ptr, gx._ptr, plan.outer, plan.n, plan.inner, scale);
    else {
      const kept = viewAs(gd, plan.keptShape);
      copyInto(gx, kept);
      kept.dispose();
      if (scale !== 1) K.unary(Un.MULS, gx._ptr, gx._ptr, gx._size, scale);
    }
  }
  dropTemp(gd, g);
  return gx;
}
