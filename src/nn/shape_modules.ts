// nn.Identity, nn.Flatten and nn.Unflatten (torch/nn/modules/linear.py and flatten.py).
import { Module } from "./module.js";
import type { Tensor } from "../tensor.js";
import { checkOptions, checkTensor, describe } from "./check.js";

/** Returns its input. */
export class Identity extends Module {
  forward(x: Tensor): Tensor { return x; }
}

/** Flattens dims startDim..endDim (defaults 1 and −1: everything but the batch). `new nn.Flatten()`. */
export class Flatten extends Module {
  readonly startDim: number;
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
  forward(x: Tensor): Tensor { return checkTensor("Flatten.forward", "input", x, "any shape").flatten(this.startDim, this.endDim); }
}

/** Splits dim into `unflattenedSize` (one entry may be −1). `new nn.Unflatten(1, [2, 5])`. */
export class Unflatten extends Module {
  readonly dim: number;
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
  forward(x: Tensor): Tensor {
    checkTensor("Unflatten.forward", "input", x, "any shape");
    const r = x.shape.length;
    const d = this.dim < 0 ? this.dim + r : this.dim;
    if (d < 0 || d >= r) throw new RangeError(`Unflatten: dim ${this.dim} is out of range for an input of shape [${x.shape.join(", ")}]`);
    return x.reshape([...x.shape.slice(0, d), ...this.unflattenedSize, ...x.shape.slice(d + 1)]);
  }
}
