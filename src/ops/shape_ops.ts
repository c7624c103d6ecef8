// reshape (a view on the same storage), t and transpose (materialised by a strided copy).
import type { Tensor } from "../tensor.js";
import { needsGrad, record } from "../autograd.js";
import { binaryRaw, viewAs } from "./elementwise.js";
import { Bin } from "./codes.js";
import { fmt, normDim, stridesOf } from "../shape.js";

export function reshape(x: Tensor, shape: number[]): Tensor {
  let infer = -1;
  let known = 1;
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (d === -1 && infer < 0) { infer = i; continue; }
    if (!Number.isInteger(d) || d < 0) throw new Error(`reshape: invalid shape ${fmt(shape)}: dims must be non-negative integers (one may be -1)`);
    known *= d;
  }
  const out = shape.slice();
  if (infer >= 0) {
    if (known === 0 || x._size % known !== 0) {
      throw new Error(`reshape: shape ${fmt(shape)} is invalid for input of size ${x._size} (shape ${fmt(x.shape)})`);
    }
    out[infer] = x._size / known;
  } else if (known !== x._size) {
    throw new Error(`reshape: shape ${fmt(shape)} is invalid for input of size ${x._size} (shape ${fmt(x.shape)})`);
  }
  const y = viewAs(x, out);
  if (needsGrad(x)) record(y, "ViewBackward0", [x], (g) => [viewAs(g, x.shape)]);
  return y;
}

/** A contiguous copy of x with dims permuted by `perm`. */
function permuted(x: Tensor, perm: number[]): Tensor {
  const strides = stridesOf(x.shape);
  const outShape = perm.map((p) => x.shape[p]);
  const s = perm.map((p) => strides[p]);
  // TAKE_A with a's strides permuted: express via a fake broadcast of a relabelled tensor
  return stridedCopy(x, outShape, s);
}

function stridedCopy(x: Tensor, outShape: number[], aStrides: number[]): Tensor {
  return binaryRaw(Bin.TAKE_A, x, x, outShape, undefined, aStrides);
}

export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  const r = x.shape.length;
  const d0 = normDim(dim0, r, "transpose"), d1 = normDim(dim1, r, "transpose");
  if (r < 2 || d0 === d1) return reshape(x, x.shape.slice());
  const perm = x.shape.map((_, i) => i);
  perm[d0] = d1; perm[d1] = d0;
  const y = permuted(x, perm);
  if (needsGrad(x)) record(y, "TransposeBackward0", [x], (g) => [permuted(g, perm)]);
  return y;
}

export function t(x: Tensor): Tensor {
  if (x.shape.length > 2) throw new Error(`t(): expects a tensor with <= 2 dimensions, but it has ${x.shape.length} (shape ${fmt(x.shape)}); use transpose(dim0, dim1)`);
  return transpose(x, 0, x.shape.length < 2 ? 0 : 1);
}

