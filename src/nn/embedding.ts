// nn.Embedding (torch/nn/modules/sparse.py): a lookup table initialised N(0, 1), its
// padding row zeroed and left out of the gradient.
import { Module } from "./module.js";
import type { Tensor } from "../tensor.js";
import { embedding } from "../ops/embedding.js";
import { randn } from "../ops/sampling.js";
import { noGrad } from "../scope.js";
import { checkOptions, describe } from "./check.js";

export interface EmbeddingOptions {
  /** An index whose row stays zero and gets no gradient (negative counts from the end). */
  paddingIdx?: number | null;
}

/** `new nn.Embedding(numEmbeddings, embeddingDim, { paddingIdx })`; forward takes int32 indices of any shape. */
export class Embedding extends Module {
  declare weight: Tensor;
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
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

  forward(indices: Tensor | number[]): Tensor {
    return embedding(indices, this.weight, { paddingIdx: this.paddingIdx });
  }
}
