// nn.MaxPool2d, nn.AvgPool2d and nn.AdaptiveAvgPool2d (torch/nn/modules/pooling.py).
import { Module } from "./module.js";
import type { Tensor } from "../tensor.js";
import { adaptiveAvgPool2d, avgPool2d, maxPool2d, type AvgPool2dOptions, type MaxPool2dOptions } from "../ops/pool.js";
import { checkOptions, checkTensor, describe } from "./check.js";

type Pair = number | [number, number];

function checkKernel(owner: string, k: unknown): Pair {
  const ok = (v: unknown) => typeof v === "number" && Number.isInteger(v) && v >= 1;
  if (ok(k) || (Array.isArray(k) && k.length === 2 && k.every(ok))) return k as Pair;
  throw new TypeError(`${owner}: kernelSize must be a positive integer or a pair of them, got ${describe(k)}`);
}

/** Max over each window of [N, C, H, W]. `new nn.MaxPool2d(2)` halves H and W. */
export class MaxPool2d extends Module {
  readonly kernelSize: Pair;
  readonly options: MaxPool2dOptions;
  constructor(kernelSize: Pair, options: MaxPool2dOptions = {}) {
    super();
    this.options = checkOptions("MaxPool2d", options, ["stride", "padding", "dilation", "ceilMode"]);
    this.kernelSize = checkKernel("MaxPool2d", kernelSize);
  }
  forward(x: Tensor): Tensor {
    return maxPool2d(checkTensor("MaxPool2d.forward", "input", x, "of shape [N, C, H, W] or [C, H, W]"), this.kernelSize, this.options);
  }
}

/** Mean over each window of [N, C, H, W] (padding counted unless `countIncludePad: false`). */
export class AvgPool2d extends Module {
  readonly kernelSize: Pair;
  readonly options: AvgPool2dOptions;
  constructor(kernelSize: Pair, options: AvgPool2dOptions = {}) {
    super();
    this.options = checkOptions("AvgPool2d", options, ["stride", "padding", "ceilMode", "countIncludePad", "divisorOverride"]);
    this.kernelSize = checkKernel("AvgPool2d", kernelSize);
  }
  forward(x: Tensor): Tensor {
    return avgPool2d(checkTensor("AvgPool2d.forward", "input", x, "of shape [N, C, H, W] or [C, H, W]"), this.kernelSize, this.options);
  }
}

/** Mean pooling to a fixed output size, whatever the input size. `new nn.AdaptiveAvgPool2d(1)`. */
export class AdaptiveAvgPool2d extends Module {
  readonly outputSize: number | (number | null)[];
  constructor(outputSize: number | (number | null)[]) {
    super();
    this.outputSize = outputSize;
  }
  forward(x: Tensor): Tensor {
    return adaptiveAvgPool2d(checkTensor("AdaptiveAvgPool2d.forward", "input", x, "of shape [N, C, H, W] or [C, H, W]"), this.outputSize);
  }
}
