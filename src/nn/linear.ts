import { Module } from "./module.js";
import type { Tensor } from "../tensor.js";
import { linear } from "../ops/matmul.js";
import { uniformTensor } from "../random.js";

/**
 * y = x·Wᵀ + b. PyTorch's default initialisation: kaiming_uniform_(a=√5) on the weight,
 * which is U(−1/√in, 1/√in), and the same bound for the bias.
 */
export class Linear extends Module {
  weight: Tensor;
  bias: Tensor | null;
  readonly inFeatures: number;
  readonly outFeatures: number;

  constructor(inFeatures: number, outFeatures: number, options: { bias?: boolean } = {}) {
    super();
    for (const [name, v] of [["inFeatures", inFeatures], ["outFeatures", outFeatures]] as const) {
      if (!Number.isInteger(v) || v < 0) throw new Error(`Linear: ${name} must be a non-negative integer, got ${v}`);
    }
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    const bound = inFeatures > 0 ? 1 / Math.sqrt(inFeatures) : 0;
    this.weight = uniformTensor([outFeatures, inFeatures], -bound, bound);
    this.weight.requiresGrad = true;
    this.bias = null;
    if (options.bias ?? true) {
      this.bias = uniformTensor([outFeatures], -bound, bound);
      this.bias.requiresGrad = true;
    }
  }

  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }
}
