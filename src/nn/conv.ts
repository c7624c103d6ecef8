// nn.Conv1d and nn.Conv2d, after torch/nn/modules/conv.py: weight [out, in/groups, *kernel],
// PyTorch's default initialisation (kaiming_uniform_ with a = √5, i.e. U(±1/√fan_in), and
// the same bound for the bias), padding "same"/"valid"/numbers, stride, dilation, groups.
import { Module } from "./module.js";
import type { Tensor } from "../tensor.js";
import { conv1d, conv2d, type ConvOptions, type Padding } from "../ops/conv.js";
import { uniformTensor } from "../random.js";
import { checkOptions, checkTensor, describe } from "./check.js";
import { fmt } from "../shape.js";

export interface ConvModuleOptions {
  stride?: number | number[];
  padding?: Padding | number[];
  dilation?: number | number[];
  groups?: number;
  /** Whether the layer has a bias (default true). */
  bias?: boolean;
  /** Only "zeros" (PyTorch's default) is supported. */
  paddingMode?: "zeros";
}

const OPTIONS = ["stride", "padding", "dilation", "groups", "bias", "paddingMode"];

abstract class ConvNd extends Module {
  declare weight: Tensor;
  declare bias: Tensor | null;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: number[];
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

/** 2-D convolution over [N, C, H, W] (or unbatched [C, H, W]). `new nn.Conv2d(1, 16, 3, { padding: 1 })`. */
export class Conv2d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: number | [number, number], options: ConvModuleOptions = {}) {
    super("Conv2d", 2, inChannels, outChannels, kernelSize, options);
  }

  forward(x: Tensor): Tensor {
    checkTensor("Conv2d.forward", "input", x, `of shape [N, ${this.inChannels}, H, W] or [${this.inChannels}, H, W]`);
    if (x.shape.length !== 3 && x.shape.length !== 4) {
      throw new Error(`Conv2d: expected 3D (unbatched) or 4D (batched) input, but got input of size: ${fmt(x.shape)}`);
    }
    return conv2d(x, this.weight, this.bias, this.options);
  }
}

/** 1-D convolution over [N, C, L] (or unbatched [C, L]). `new nn.Conv1d(4, 8, 5, { padding: "same" })`. */
export class Conv1d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: number | [number], options: ConvModuleOptions = {}) {
    super("Conv1d", 1, inChannels, outChannels, kernelSize, options);
  }

  forward(x: Tensor): Tensor {
    checkTensor("Conv1d.forward", "input", x, `of shape [N, ${this.inChannels}, L] or [${this.inChannels}, L]`);
    if (x.shape.length !== 2 && x.shape.length !== 3) {
      throw new Error(`Conv1d: expected 2D (unbatched) or 3D (batched) input, but got input of size: ${fmt(x.shape)}`);
    }
    return conv1d(x, this.weight, this.bias, this.options);
  }
}
