// nn.Conv1d and nn.Conv2d, after torch/nn/modules/conv.py: weight [out, in/groups, *kernel],
// PyTorch's default initialisation (kaiming_uniform_ with a = √5, i.e. U(±1/√fan_in), and
// the same bound for the bias), padding "same"/"valid"/numbers, stride, dilation, groups.
import { Module } from "./module.js";
import type { Tensor } from "../tensor.js";
import { conv1d, conv2d, type ConvOptions, type Padding } from "../ops/conv.js";
import { uniformTensor } from "../random.js";
import { checkOptions, checkTensor, describe } from "./check.js";
import { fmt } from "../shape.js";

/**
 * Options of `nn.Conv1d` and `nn.Conv2d` (PyTorch's defaults): `stride = 1`, `padding = 0`
 * (a number, one per spatial dim, `"valid"` or `"same"`), `dilation = 1`, `groups = 1`,
 * `bias = true`, `paddingMode = "zeros"`.
 *
 * ```ts
 * const opts: nn.ConvModuleOptions = { padding: "same", bias: false };
 * new nn.Conv2d(3, 8, 3, opts).forward(torch.zeros([1, 3, 32, 32])).shape; // [1, 8, 32, 32]
 * ```
 */
export interface ConvModuleOptions {
  /** The step between windows: one number, or one per spatial dim (default 1). */
  stride?: number | number[];
  /**
   * Zeros added on each side: a number, one per spatial dim, `"valid"` (none) or `"same"`
   * (output as large as the input; stride 1 only). Default 0.
   */
  padding?: Padding | number[];
  /** The spacing between kernel elements (default 1). */
  dilation?: number | number[];
  /**
   * Channel groups (default 1): in and out channels both divide by it; `groups = inChannels`
   * is a depthwise convolution.
   */
  groups?: number;
  /** Whether the layer has a bias (default true). */
  bias?: boolean;
  /** Only "zeros" (PyTorch's default) is supported. */
  paddingMode?: "zeros";
}

const OPTIONS = ["stride", "padding", "dilation", "groups", "bias", "paddingMode"];

abstract class ConvNd extends Module {
  /**
   * The kernel, [outChannels, inChannels / groups, ...kernelSize] (a parameter), initialised
   * U(±1/√fan_in) as PyTorch's kaiming_uniform_(a=√5).
   *
   * ```ts
   * new nn.Conv2d(3, 8, 5).weight.shape; // [8, 3, 5, 5]
   * ```
   */
  declare weight: Tensor;
  /**
   * The bias, [outChannels], or null with `bias: false` (a parameter).
   *
   * ```ts
   * new nn.Conv1d(2, 4, 3, { bias: false }).bias; // null
   * ```
   */
  declare bias: Tensor | null;
  /**
   * The number of input channels.
   *
   * ```ts
   * new nn.Conv2d(3, 8, 5).inChannels; // 3
   * ```
   */
  readonly inChannels: number;
  /**
   * The number of output channels.
   *
   * ```ts
   * new nn.Conv2d(3, 8, 5).outChannels; // 8
   * ```
   */
  readonly outChannels: number;
  /**
   * The kernel's spatial size, one entry per dim.
   *
   * ```ts
   * new nn.Conv2d(3, 8, 5).kernelSize;         // [5, 5]
   * new nn.Conv2d(3, 8, [3, 1]).kernelSize;    // [3, 1]
   * ```
   */
  readonly kernelSize: number[];
  /**
   * The `stride`, `padding`, `dilation` and `groups` the layer passes to `F.conv2d` / `F.conv1d`.
   *
   * ```ts
   * new nn.Conv2d(3, 8, 3, { padding: 1 }).options; // { stride: 1, padding: 1, dilation: 1, groups: 1 }
   * ```
   */
  readonly options: ConvOptions;

  constructor(owner: string, dims: number, inChannels: number, outChannels: number, kernelSize: number | number[], options: ConvModuleOptions) {
    super();
    const o = checkOptions(owner, options, OPTIONS);
    for (const [name, v] of [["inChannels", inChannels], ["outChannels", outChannels]] as const) {
      if (typeof v !== "number" || !Number.isInteger(v) || v < 1) throw new TypeError(`${owner}: ${name} must be a positive integer, got ${describe(v)}`);
    }
    const ks = typeof kernelSize === "number" ? new Array<number>(dims).fill(kernelSize) : kernelSize;
    if (!Array.isArray(ks) || ks.length !== dims || ks.some((v) => !Number.isInteger(v) || v < 1)) {
      throw new TypeError(`${owner}: kernelSize must be a positive integer or ${dims} of them, got ${describe(kernelSize)}`);
    }
    const groups = o.groups ?? 1;
    if (!Number.isInteger(groups) || groups < 1) throw new Error(`${owner}: groups must be a positive integer, got ${describe(groups)}`);
    if (inChannels % groups !== 0) throw new Error(`${owner}: in_channels must be divisible by groups (${inChannels} and ${groups})`);
    if (outChannels % groups !== 0) throw new Error(`${owner}: out_channels must be divisible by groups (${outChannels} and ${groups})`);
    if (o.paddingMode !== undefined && o.paddingMode !== "zeros") {
      throw new Error(`${owner}: paddingMode ${describe(o.paddingMode)} is not supported (only "zeros")`);
    }
    const bias = o.bias ?? true;
    if (typeof bias !== "boolean") throw new TypeError(`${owner}: bias must be true or false, got ${describe(bias)}`);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = ks.slice();
    this.options = { stride: o.stride ?? 1, padding: o.padding ?? 0, dilation: o.dilation ?? 1, groups };
    const fanIn = (inChannels / groups) * ks.reduce((a, b) => a * b, 1);
    const bound = 1 / Math.sqrt(fanIn);
    this.registerParameter("weight", uniformTensor([outChannels, inChannels / groups, ...ks], -bound, bound));
    this.registerParameter("bias", bias ? uniformTensor([outChannels], -bound, bound) : null);
  }
}

/**
 * 2-D convolution over [N, C, H, W] (or unbatched [C, H, W]), as `torch.nn.Conv2d(in_channels,
 * out_channels, kernel_size, …)`: `new nn.Conv2d(1, 16, 3, { padding: 1 })`. PyTorch's
 * initialisation (kaiming_uniform_ with a = √5, the same bound for the bias).
 *
 * ```ts
 * const conv = new nn.Conv2d(1, 16, 3, { padding: 1 });
 * conv.forward(torch.zeros([8, 1, 28, 28])).shape;            // [8, 16, 28, 28]
 * new nn.Conv2d(16, 32, 3, { stride: 2 }).forward(torch.zeros([16, 28, 28])).shape; // [32, 13, 13]
 * ```
 */
export class Conv2d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: number | [number, number], options: ConvModuleOptions = {}) {
    super("Conv2d", 2, inChannels, outChannels, kernelSize, options);
  }

  /**
   * The convolution of `x` ([N, inChannels, H, W] or [inChannels, H, W]) with the layer's
   * weight and bias.
   *
   * ```ts
   * const conv = new nn.Conv2d(1, 1, 2, { bias: false });
   * nn.init.ones_(conv.weight);
   * conv.forward(torch.ones([1, 3, 3])); // tensor([[[4., 4.], [4., 4.]]], gradFn=<ConvolutionBackward0>)
   * ```
   */
  forward(x: Tensor): Tensor {
    checkTensor("Conv2d.forward", "input", x, `of shape [N, ${this.inChannels}, H, W] or [${this.inChannels}, H, W]`);
    if (x.shape.length !== 3 && x.shape.length !== 4) {
      throw new Error(`Conv2d: expected 3D (unbatched) or 4D (batched) input, but got input of size: ${fmt(x.shape)}`);
    }
    return conv2d(x, this.weight, this.bias, this.options);
  }
}

/**
 * 1-D convolution over [N, C, L] (or unbatched [C, L]), as `torch.nn.Conv1d`:
 * `new nn.Conv1d(4, 8, 5, { padding: "same" })`.
 *
 * ```ts
 * const conv = new nn.Conv1d(4, 8, 5, { padding: "same" });
 * conv.forward(torch.zeros([2, 4, 100])).shape; // [2, 8, 100]
 * ```
 */
export class Conv1d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: number | [number], options: ConvModuleOptions = {}) {
    super("Conv1d", 1, inChannels, outChannels, kernelSize, options);
  }

  /**
   * The convolution of `x` ([N, inChannels, L] or [inChannels, L]) with the layer's weight and
   * bias.
   *
   * ```ts
   * const conv = new nn.Conv1d(1, 1, 2, { bias: false });
   * nn.init.constant_(conv.weight, 0.5);
   * conv.forward(torch.tensor([[1, 2, 3]])); // tensor([[1.5000, 2.5000]], gradFn=<ConvolutionBackward0>)
   * ```
   */
  forward(x: Tensor): Tensor {
    checkTensor("Conv1d.forward", "input", x, `of shape [N, ${this.inChannels}, L] or [${this.inChannels}, L]`);
    if (x.shape.length !== 2 && x.shape.length !== 3) {
      throw new Error(`Conv1d: expected 2D (unbatched) or 3D (batched) input, but got input of size: ${fmt(x.shape)}`);
    }
    return conv1d(x, this.weight, this.bias, this.options);
  }
}
