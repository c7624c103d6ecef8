// sum and mean, over everything or one dimension.
import type { Tensor } from "../tensor.js";
import { K } from "../runtime/wasm.js";
import { needsGrad, record } from "../autograd.js";
import { empty, live, setScalar } from "./elementwise.js";
import { Un } from "./codes.js";
import { normDim } from "../shape.js";

export function sum(x: Tensor, dim: number | undefined, keepdim: boolean, mean: boolean): Tensor {
  const name = mean ? "mean" : "sum";
  const shape = x.shape;
  let outer = 1, n = x._size, inner = 1;
  let outShape: number[];
  if (dim === undefined || dim === null) {
    outShape = keepdim ? shape.map(() => 1) : [];
  } else {
    const d = normDim(dim, shape.length, name);
    if (shape.length === 0) { n = 1; outShape = []; }
    else {
      for (let i = 0; i < d; i++) outer *= shape[i];
      n = shape[d];
      for (let i = d + 1; i < shape.length; i++) inner *= shape[i];
      outShape = shape.slice();
      if (keepdim) outShape[d] = 1; else outShape.splice(d, 1);
    }
  }
  const scale = mean ? 1 / n : 1;
  live(x); // a disposed input throws before anything is allocated
  const out = empty(outShape);
  if (outer * inner === 1) {
    const s = K.sumRow(x._ptr, x._size);
    setScalar(out, mean ? s / n : s);
  } else {
    K.sumDim(x._ptr, out._ptr, outer, n, inner);
    if (mean) K.unary(Un.DIVS, out._ptr, out._ptr, out._size, n);
  }
  if (needsGrad(x)) {
    const name = (mean ? "MeanBackward" : "SumBackward") + (dim === undefined || dim === null ? "0" : "1");
    record(out, name, [x], (g) => {
      const gx = empty(shape);
      K.expandDim(g._ptr, gx._ptr, outer, n, inner, scale);
      return [gx];
    });
  }
  return out;
}
