// PyTorch's F.embedding: rows of a weight [num, D] picked by integer indices of any shape.
import { Tensor } from "../tensor.js";
import { K } from "../runtime/wasm.js";
import { needsGrad, record } from "../autograd.js";
import { castTo, dense, dropTemp, empty, fill } from "./layout.js";
import { fmt } from "../shape.js";

const k = K as unknown as {
  embeddingForward(w: number, idx: number, out: number, n: number, D: number): void;
  embeddingBackward(g: number, idx: number, dw: number, n: number, D: number, paddingIdx: number): void;
};

/**
 * PyTorch's `F.embedding(input, weight, { paddingIdx })`: the rows of `weight` [num, dim]
 * at the indices `input` (an int32 tensor of any shape, or an array), so
 * `out[..., :] = weight[input[...], :]`; the row at `paddingIdx` gets no gradient.
 *
 * ```ts
 * const table = torch.tensor([[0, 0], [1, 1], [2, 2]]);
 * F.embedding(torch.tensor([2, 0], { dtype: "int32" }), table); // tensor([[2., 2.], [0., 0.]])
 * F.embedding([1, 1, 1], table).shape;                          // [3, 2]
 * ```
 */
export function embedding(input: Tensor | ArrayLike<number>, weight: Tensor, options: { paddingIdx?: number | null } = {}): Tensor {
  if (!(weight instanceof Tensor) || weight.shape.length !== 2) {
    throw new TypeError(`embedding: weight must be a 2-D Tensor [num_embeddings, embedding_dim], got ${weight instanceof Tensor ? fmt(weight.shape) : typeof weight}`);
  }
  const [num, D] = weight.shape;
  let idx: Tensor;
  if (input instanceof Tensor) {
    if (input.dtype === "float32") throw new TypeError("embedding: indices must be an int32 tensor (or an array of integers), got a float32 tensor");
    idx = castTo(input, "int32");
  } else if (Array.isArray(input) || input instanceof Int32Array) {
    idx = Tensor.fromValues(input, [input.length], "int32");
  } else throw new TypeError(`embedding: input must be a tensor of indices, got ${input === null ? "null" : typeof input}`);
  const values = idx.toArray();
  for (let i = 0; i < values.length; i++) {
    if (values[i] < 0 || values[i] >= num) {
      if (idx !== input) idx.dispose();
      throw new RangeError(`embedding: index ${values[i]} is out of range for an embedding of ${num} rows (indices 0 to ${num - 1})`);
    }
  }
  let pad = options.paddingIdx ?? null;
  if (pad !== null) {
    if (!Number.isInteger(pad) || pad < -num || pad >= num) {
      if (idx !== input) idx.dispose();
      throw new RangeError(`embedding: paddingIdx must be within num_embeddings (${-num} to ${num - 1}), got ${pad}`);
    }
    if (pad < 0) pad += num;
  }
  const w = dense(weight);
  const shape = input instanceof Tensor ? [...input.shape, D] : [values.length, D];
  const out = empty(shape);
  if (idx._size > 0) k.embeddingForward(w._ptr, idx._ptr, out._ptr, idx._size, D);
  dropTemp(w, weight);
  if (!needsGrad(weight)) { if (idx !== input) idx.dispose(); return out; }
  record(out, "EmbeddingBackward0", [weight], (g) => {
    const dw = fill(weight.shape, 0);
    if (idx._size > 0) k.embeddingBackward(g._ptr, idx._ptr, dw._ptr, idx._size, D, pad ?? -1);
    return [dw];
  }, [], idx !== input ? [idx] : undefined);
  return out;
}
