// nn.Identity, nn.Flatten and nn.Unflatten (torch/nn/modules/linear.py and flatten.py).
import { Module } from "./module.js";
import type { Tensor } from "../tensor.js";
import { checkOptions, checkTensor, describe } from "./check.js";

/**
 * Returns its input, as `torch.nn.Identity`: a placeholder where a layer is optional.
 *
 * ```ts
 * const x = torch.tensor([1, 2]);
 * new nn.Identity().forward(x) === x; // true
 * ```
 */
export class Identity extends Module {
  /**
   * Returns `x` itself.
   *
   * ```ts
   * new nn.Identity().forward(torch.tensor([3])); // tensor([3.])
   * ```
   */
  forward(x: Tensor): Tensor { return x; }
}

/**
 * Flattens dims `startDim`..`endDim` (defaults 1 and −1: everything but the batch), as
 * `torch.nn.Flatten`: `new nn.Flatten()`, `new nn.Flatten({ startDim: 0 })`.
 *
 * ```ts
 * new nn.Flatten().forward(torch.zeros([8, 3, 4, 4])).shape;              // [8, 48]
 * new nn.Flatten({ startDim: 0, endDim: 1 }).forward(torch.zeros([2, 3, 4])).shape; // [6, 4]
 * ```
 */
export class Flatten extends Module {
  /**
   * The first dim flattened (default 1).
   *
   * ```ts
   * new nn.Flatten().startDim; // 1
   * ```
   */
  readonly startDim: number;
  /**
   * The last dim flattened, inclusive (default −1).
   *
   * ```ts
   * new nn.Flatten().endDim; // -1
   * ```
   */
  readonly endDim: number;
  constructor(options?: { startDim?: number; endDim?: number }) {
    super();
    const { startDim = 1, endDim = -1 } = checkOptions("Flatten", options, ["startDim", "endDim"]);
    for (const [name, v] of [["startDim", startDim], ["endDim", endDim]] as const) {
      if (!Number.isInteger(v)) throw new TypeError(`Flatten: ${name} must be an integer, got ${describe(v)}`);
    }
    this.startDim = startDim;
    this.endDim = endDim;
  }
  /**
   * `x.flatten(startDim, endDim)`.
   *
   * ```ts
   * new nn.Flatten().forward(torch.zeros([2, 2, 2])).shape; // [2, 4]
   * ```
   */
  forward(x: Tensor): Tensor { return checkTensor("Flatten.forward", "input", x, "any shape").flatten(this.startDim, this.endDim); }
}

/**
 * Splits dim `dim` into `unflattenedSize` (one entry may be −1), as `torch.nn.Unflatten`:
 * `new nn.Unflatten(1, [2, 5])`.
 *
 * ```ts
 * new nn.Unflatten(1, [2, 5]).forward(torch.zeros([3, 10])).shape; // [3, 2, 5]
 * ```
 */
export class Unflatten extends Module {
  /**
   * The dim split (negative counts from the end).
   *
   * ```ts
   * new nn.Unflatten(-1, [2, 2]).dim; // -1
   * ```
   */
  readonly dim: number;
  /**
   * The sizes the dim is split into.
   *
   * ```ts
   * new nn.Unflatten(1, [4, -1]).unflattenedSize; // [4, -1]
   * ```
   */
  readonly unflattenedSize: number[];
  constructor(dim: number, unflattenedSize: number[]) {
    super();
    if (!Number.isInteger(dim)) throw new TypeError(`Unflatten: dim must be an integer, got ${describe(dim)}`);
    if (!Array.isArray(unflattenedSize) || unflattenedSize.length === 0 || unflattenedSize.some((v) => !Number.isInteger(v) || (v < 1 && v !== -1))) {
      throw new TypeError(`Unflatten: unflattenedSize must be a non-empty array of positive integers (one may be −1), got ${describe(unflattenedSize)}`);
    }
    this.dim = dim;
    this.unflattenedSize = unflattenedSize.slice();
  }
  /**
   * `x` with dim `dim` reshaped to `unflattenedSize`.
   *
   * ```ts
   * new nn.Unflatten(0, [2, -1]).forward(torch.arange(6)); // tensor([[0, 1, 2], [3, 4, 5]])
   * ```
   */
  forward(x: Tensor): Tensor {
    checkTensor("Unflatten.forward", "input", x, "any shape");
    const r = x.shape.length;
    const d = this.dim < 0 ? this.dim + r : this.dim;
    if (d < 0 || d >= r) throw new RangeError(`Unflatten: dim ${this.dim} is out of range for an input of shape [${x.shape.join(", ")}]`);
    return x.reshape([...x.shape.slice(0, d), ...this.unflattenedSize, ...x.shape.slice(d + 1)]);
  }
}
