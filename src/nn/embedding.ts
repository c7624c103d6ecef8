// nn.Embedding (torch/nn/modules/sparse.py): a lookup table initialised N(0, 1), its
// padding row zeroed and left out of the gradient.
import { Module } from "./module.js";
import type { Tensor } from "../tensor.js";
import { embedding } from "../ops/embedding.js";
import { randn } from "../ops/sampling.js";
import { noGrad } from "../scope.js";
import { checkOptions, describe } from "./check.js";

/**
 * Options of `nn.Embedding`: `paddingIdx` (default none).
 *
 * ```ts
 * const opts: nn.EmbeddingOptions = { paddingIdx: 0 };
 * new nn.Embedding(10, 3, opts).weight.index(0); // tensor([0., 0., 0.], gradFn=<SelectBackward0>)
 * ```
 */
export interface EmbeddingOptions {
  /** An index whose row stays zero and gets no gradient (negative counts from the end). */
  paddingIdx?: number | null;
}

/**
 * A lookup table of `numEmbeddings` vectors of size `embeddingDim`, as `torch.nn.Embedding`:
 * `new nn.Embedding(numEmbeddings, embeddingDim, { paddingIdx })`. The weight starts
 * N(0, 1) (its padding row zeroed, and left out of the gradient); forward takes int32
 * indices of any shape (or a number[]).
 *
 * ```ts
 * const emb = new nn.Embedding(100, 16);
 * emb.forward(torch.tensor([[1, 2, 3]], { dtype: "int32" })).shape; // [1, 3, 16]
 * emb.forward([5, 5]).shape;                                         // [2, 16]
 * ```
 */
export class Embedding extends Module {
  /**
   * The table, [numEmbeddings, embeddingDim] (a parameter).
   *
   * ```ts
   * new nn.Embedding(10, 3).weight.shape; // [10, 3]
   * ```
   */
  declare weight: Tensor;
  /**
   * The number of rows (the size of the vocabulary).
   *
   * ```ts
   * new nn.Embedding(10, 3).numEmbeddings; // 10
   * ```
   */
  readonly numEmbeddings: number;
  /**
   * The size of each vector.
   *
   * ```ts
   * new nn.Embedding(10, 3).embeddingDim; // 3
   * ```
   */
  readonly embeddingDim: number;
  /**
   * The row that stays zero and gets no gradient (a negative index given is stored counted
   * from the start), or null.
   *
   * ```ts
   * new nn.Embedding(10, 3, { paddingIdx: -1 }).paddingIdx; // 9
   * ```
   */
  readonly paddingIdx: number | null;

  constructor(numEmbeddings: number, embeddingDim: number, options: EmbeddingOptions = {}) {
    super();
    const o = checkOptions("Embedding", options, ["paddingIdx"]);
    for (const [name, v] of [["numEmbeddings", numEmbeddings], ["embeddingDim", embeddingDim]] as const) {
      if (typeof v !== "number" || !Number.isInteger(v) || v < 1) throw new TypeError(`Embedding: ${name} must be a positive integer, got ${describe(v)}`);
    }
    let pad = o.paddingIdx ?? null;
    if (pad !== null) {
      if (typeof pad !== "number" || !Number.isInteger(pad) || pad < -numEmbeddings || pad >= numEmbeddings) {
        throw new RangeError(`Embedding: paddingIdx must be within num_embeddings (${-numEmbeddings} to ${numEmbeddings - 1}), got ${describe(pad)}`);
      }
      if (pad < 0) pad += numEmbeddings;
    }
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    this.paddingIdx = pad;
    const w = randn([numEmbeddings, embeddingDim]);
    if (pad !== null) noGrad(() => { w.select(0, pad!).zero_(); });
    this.registerParameter("weight", w);
  }

  /**
   * The rows at `indices` (int32 of any shape, or a number[]): shape [...indices.shape,
   * embeddingDim].
   *
   * ```ts
   * const emb = new nn.Embedding(3, 2);
   * nn.init.eye_(emb.weight);
   * emb.forward([1, 0]); // tensor([[0., 1.], [1., 0.]], gradFn=<EmbeddingBackward0>)
   * ```
   */
  forward(indices: Tensor | number[]): Tensor {
    return embedding(indices, this.weight, { paddingIdx: this.paddingIdx });
  }
}
