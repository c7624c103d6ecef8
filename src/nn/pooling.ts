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

/**
 * The largest value of each window of [N, C, H, W] (or [C, H, W]), as `torch.nn.MaxPool2d`:
 * `new nn.MaxPool2d(kernelSize, { stride = kernelSize, padding = 0, dilation = 1,
 * ceilMode = false })`. `new nn.MaxPool2d(2)` halves H and W.
 *
 * ```ts
 * new nn.MaxPool2d(2).forward(torch.zeros([1, 3, 32, 32])).shape;                   // [1, 3, 16, 16]
 * new nn.MaxPool2d(3, { stride: 2, padding: 1 }).forward(torch.zeros([1, 3, 32, 32])).shape; // [1, 3, 16, 16]
 * ```
 */
export class MaxPool2d extends Module {
  /**
   * The window's size: one number or [height, width].
   *
   * ```ts
   * new nn.MaxPool2d([2, 3]).kernelSize; // [2, 3]
   * ```
   */
  readonly kernelSize: Pair;
  /**
   * The `stride`, `padding`, `dilation` and `ceilMode` given (missing ones take PyTorch's
   * defaults when pooling).
   *
   * ```ts
   * new nn.MaxPool2d(2, { stride: 1 }).options; // { stride: 1 }
   * ```
   */
  readonly options: MaxPool2dOptions;
  constructor(kernelSize: Pair, options: MaxPool2dOptions = {}) {
    super();
    this.options = checkOptions("MaxPool2d", options, ["stride", "padding", "dilation", "ceilMode"]);
    this.kernelSize = checkKernel("MaxPool2d", kernelSize);
  }
  /**
   * The max of each window of `x`, [N, C, H, W] or [C, H, W].
   *
   * ```ts
   * new nn.MaxPool2d(2).forward(torch.tensor([[[1, 2], [3, 4]]])); // tensor([[[4.]]])
   * ```
   */
  forward(x: Tensor): Tensor {
    return maxPool2d(checkTensor("MaxPool2d.forward", "input", x, "of shape [N, C, H, W] or [C, H, W]"), this.kernelSize, this.options);
  }
}

/**
 * The mean of each window of [N, C, H, W] (or [C, H, W]), as `torch.nn.AvgPool2d`:
 * `new nn.AvgPool2d(kernelSize, { stride = kernelSize, padding = 0, ceilMode = false,
 * countIncludePad = true, divisorOverride })` (padding counted unless
 * `countIncludePad: false`).
 *
 * ```ts
 * const x = torch.arange(16).float().reshape(1, 1, 4, 4);
 * new nn.AvgPool2d(2).forward(x); // tensor([[[[ 2.5000,  4.5000], [10.5000, 12.5000]]]])
 * ```
 */
export class AvgPool2d extends Module {
  /**
   * The window's size: one number or [height, width].
   *
   * ```ts
   * new nn.AvgPool2d(2).kernelSize; // 2
   * ```
   */
  readonly kernelSize: Pair;
  /**
   * The `stride`, `padding`, `ceilMode`, `countIncludePad` and `divisorOverride` given.
   *
   * ```ts
   * new nn.AvgPool2d(2, { countIncludePad: false }).options; // { countIncludePad: false }
   * ```
   */
  readonly options: AvgPool2dOptions;
  constructor(kernelSize: Pair, options: AvgPool2dOptions = {}) {
    super();
    this.options = checkOptions("AvgPool2d", options, ["stride", "padding", "ceilMode", "countIncludePad", "divisorOverride"]);
    this.kernelSize = checkKernel("AvgPool2d", kernelSize);
  }
  /**
   * The mean of each window of `x`, [N, C, H, W] or [C, H, W].
   *
   * ```ts
   * new nn.AvgPool2d(2).forward(torch.tensor([[[1, 2], [3, 4]]])); // tensor([[[2.5000]]])
   * ```
   */
  forward(x: Tensor): Tensor {
    return avgPool2d(checkTensor("AvgPool2d.forward", "input", x, "of shape [N, C, H, W] or [C, H, W]"), this.kernelSize, this.options);
  }
}

/**
 * Mean pooling to a fixed output size, whatever the input size, as
 * `torch.nn.AdaptiveAvgPool2d`: `new nn.AdaptiveAvgPool2d(1)` is a global average pool.
 *
 * ```ts
 * const gap = new nn.AdaptiveAvgPool2d(1);
 * gap.forward(torch.zeros([8, 64, 7, 7])).shape;   // [8, 64, 1, 1]
 * gap.forward(torch.zeros([8, 64, 13, 9])).shape;  // [8, 64, 1, 1]
 * ```
 */
export class AdaptiveAvgPool2d extends Module {
  /**
   * The output's [height, width]: a number for both, or a pair (null keeps that dim).
   *
   * ```ts
   * new nn.AdaptiveAvgPool2d([4, null]).outputSize; // [4, null]
   * ```
   */
  readonly outputSize: number | (number | null)[];
  constructor(outputSize: number | (number | null)[]) {
    super();
    this.outputSize = outputSize;
  }
  /**
   * `x` averaged down to `outputSize`.
   *
   * ```ts
   * new nn.AdaptiveAvgPool2d([1, 2]).forward(torch.tensor([[[1, 2], [3, 4]]])); // tensor([[[2., 3.]]])
   * ```
   */
  forward(x: Tensor): Tensor {
    return adaptiveAvgPool2d(checkTensor("AdaptiveAvgPool2d.forward", "input", x, "of shape [N, C, H, W] or [C, H, W]"), this.outputSize);
  }
}
