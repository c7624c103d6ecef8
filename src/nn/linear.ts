import { Module } from "./module.js";
import type { Tensor } from "../tensor.js";
import { linear } from "../ops/matmul.js";
import { uniformTensor } from "../random.js";
import { checkOptions, checkTensor, describe, isPlainObject } from "./check.js";

export interface LinearOptions {
  /** Whether the layer has an additive bias (default true). */
  bias?: boolean;
}

/**
 * y = x·Wᵀ + b. PyTorch's default initialisation: kaiming_uniform_(a=√5) on the weight,
 * which is U(−1/√in, 1/√in), and the same bound for the bias.
 *
 * `new nn.Linear(3, 2, { bias: false })`, or PyTorch's positional form `new nn.Linear(3, 2, false)`.
 */
export class Linear extends Module {
  declare weight: Tensor; // assigned by registerParameter
  declare bias: Tensor | null;
  readonly inFeatures: number;
  readonly outFeatures: number;

  constructor(inFeatures: number, outFeatures: number, options: LinearOptions | boolean = {}) {
    super();
    for (const [name, v] of [["inFeatures", inFeatures], ["outFeatures", outFeatures]] as const) {
      if (typeof v !== "number" || !Number.isInteger(v) || v < 0) {
        throw new TypeError(`Linear: ${name} must be a non-negative integer, got ${describe(v)}`);
      }
    }
    if (options !== undefined && typeof options !== "boolean" && !isPlainObject(options)) {
      throw new TypeError(`Linear: the third argument must be the bias flag (true or false) or options { bias }, got ${describe(options)}`);
    }
    const { bias = true } = typeof options === "boolean" ? { bias: options } : checkOptions("Linear", options, ["bias"]);
    if (typeof bias !== "boolean") throw new TypeError(`Linear: bias must be true or false, got ${describe(bias)}`);
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    const bound = inFeatures > 0 ? 1 / Math.sqrt(inFeatures) : 0;
    this.registerParameter("weight", uniformTensor([outFeatures, inFeatures], -bound, bound));
    this.registerParameter("bias", bias ? uniformTensor([outFeatures], -bound, bound) : null);
  }

  forward(x: Tensor): Tensor {
    checkTensor("Linear.forward", "input", x, `of shape [*, ${this.inFeatures}]`);
    return linear(x, this.weight, this.bias);
  }
}
