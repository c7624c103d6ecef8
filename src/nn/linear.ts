import { Module } from "./module.js";
import type { Tensor } from "../tensor.js";
import { linear } from "../ops/matmul.js";
import { uniformTensor } from "../random.js";
import { checkOptions, checkTensor, describe, isPlainObject } from "./check.js";

/**
 * Options of `nn.Linear`: `bias` (default true).
 *
 * ```ts
 * const opts: nn.LinearOptions = { bias: false };
 * new nn.Linear(3, 2, opts).bias; // null
 * ```
 */
export interface LinearOptions {
  /** Whether the layer has an additive bias (default true). */
  bias?: boolean;
}

/**
 * y = x·Wᵀ + b, as `torch.nn.Linear(in_features, out_features, bias=True)`. PyTorch's default
 * initialisation: kaiming_uniform_(a=√5) on the weight, which is U(−1/√in, 1/√in), and the
 * same bound for the bias. `new nn.Linear(3, 2, { bias: false })`, or PyTorch's positional
 * form `new nn.Linear(3, 2, false)`.
 *
 * ```ts
 * const layer = new nn.Linear(3, 2);
 * layer.weight.shape;                          // [2, 3]
 * layer.forward(torch.ones([5, 3])).shape;     // [5, 2]
 * layer.weight.abs().max().item() <= 1 / Math.sqrt(3); // true
 * ```
 */
export class Linear extends Module {
  /**
   * The weight, [outFeatures, inFeatures] (a parameter).
   *
   * ```ts
   * new nn.Linear(4, 2).weight.shape; // [2, 4]
   * ```
   */
  declare weight: Tensor; // assigned by registerParameter
  /**
   * The bias, [outFeatures], or null when built with `bias: false` (a parameter).
   *
   * ```ts
   * new nn.Linear(4, 2).bias?.shape; // [2]
   * new nn.Linear(4, 2, false).bias; // null
   * ```
   */
  declare bias: Tensor | null;
  /**
   * The size of each input sample (the last dim of the input).
   *
   * ```ts
   * new nn.Linear(4, 2).inFeatures; // 4
   * ```
   */
  readonly inFeatures: number;
  /**
   * The size of each output sample.
   *
   * ```ts
   * new nn.Linear(4, 2).outFeatures; // 2
   * ```
   */
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

  /**
   * x·Wᵀ + b for x of shape [*, inFeatures]; the result is [*, outFeatures].
   *
   * ```ts
   * const layer = new nn.Linear(2, 1);
   * nn.init.constant_(layer.weight, 1);
   * nn.init.zeros_(layer.bias!);
   * layer.forward(torch.tensor([[1, 2], [3, 4]])); // tensor([[3.], [7.]], gradFn=<AddmmBackward0>)
   * ```
   */
  forward(x: Tensor): Tensor {
    checkTensor("Linear.forward", "input", x, `of shape [*, ${this.inFeatures}]`);
    return linear(x, this.weight, this.bias);
  }
}
