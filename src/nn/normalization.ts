// nn.LayerNorm (torch/nn/modules/normalization.py) and nn.BatchNorm1d / nn.BatchNorm2d
// (torch/nn/modules/batchnorm.py): weight ones, bias zeros; batch norm keeps running_mean
// (zeros), running_var (ones) and num_batches_tracked as buffers, used in eval().
import { Module } from "./module.js";
import { Tensor, full, zeros, ones } from "../tensor.js";
import { batchNorm, layerNorm } from "../ops/normalization.js";
import { noGrad } from "../scope.js";
import { checkOptions, checkTensor, describe } from "./check.js";
import { fmt } from "../shape.js";

export interface LayerNormOptions {
  eps?: number;
  elementwiseAffine?: boolean;
  bias?: boolean;
}

/** Normalises over the last dims (`normalizedShape`), then scales and shifts. `new nn.LayerNorm(64)`. */
export class LayerNorm extends Module {
  declare weight: Tensor | null;
  declare bias: Tensor | null;
  readonly normalizedShape: number[];
  readonly eps: number;
  readonly elementwiseAffine: boolean;

  constructor(normalizedShape: number | number[], options: LayerNormOptions = {}) {
    super();
    const o = checkOptions("LayerNorm", options, ["eps", "elementwiseAffine", "bias"]);
    const ns = typeof normalizedShape === "number" ? [normalizedShape] : normalizedShape;
    if (!Array.isArray(ns) || ns.length === 0 || ns.some((v) => !Number.isInteger(v) || v < 1)) {
      throw new TypeError(`LayerNorm: normalizedShape must be a positive integer or an array of them, got ${describe(normalizedShape)}`);
    }
    const eps = o.eps ?? 1e-5;
    if (typeof eps !== "number" || !(eps >= 0)) throw new TypeError(`LayerNorm: eps must be a non-negative number, got ${describe(eps)}`);
    const affine = o.elementwiseAffine ?? true, bias = o.bias ?? true;
    for (const [name, v] of [["elementwiseAffine", affine], ["bias", bias]] as const) {
      if (typeof v !== "boolean") throw new TypeError(`LayerNorm: ${name} must be true or false, got ${describe(v)}`);
    }
    this.normalizedShape = ns.slice();
    this.eps = eps;
    this.elementwiseAffine = affine;
    this.registerParameter("weight", affine ? ones(ns) : null);
    this.registerParameter("bias", affine && bias ? zeros(ns) : null);
  }

  forward(x: Tensor): Tensor {
    checkTensor("LayerNorm.forward", "input", x, `of shape [*, ${this.normalizedShape.join(", ")}]`);
    return layerNorm(x, this.normalizedShape, this.weight, this.bias, this.eps);
  }
}

export interface BatchNormOptions {
  eps?: number;
  /** Factor of the running averages (default 0.1); null for a cumulative average. */
  momentum?: number | null;
  affine?: boolean;
  trackRunningStats?: boolean;
}

abstract class BatchNormBase extends Module {
  declare weight: Tensor | null;
  declare bias: Tensor | null;
  readonly numFeatures: number;
  readonly eps: number;
  readonly momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;

  constructor(private readonly owner: string, private readonly ranks: number[], numFeatures: number, options: BatchNormOptions) {
    super();
    const o = checkOptions(owner, options, ["eps", "momentum", "affine", "trackRunningStats"]);
    if (typeof numFeatures !== "number" || !Number.isInteger(numFeatures) || numFeatures < 1) {
      throw new TypeError(`${owner}: numFeatures must be a positive integer, got ${describe(numFeatures)}`);
    }
    const eps = o.eps ?? 1e-5;
    if (typeof eps !== "number" || !(eps >= 0)) throw new TypeError(`${owner}: eps must be a non-negative number, got ${describe(eps)}`);
    const momentum = o.momentum === undefined ? 0.1 : o.momentum;
    if (momentum !== null && (typeof momentum !== "number" || !(momentum >= 0 && momentum <= 1))) {
      throw new TypeError(`${owner}: momentum must be a number in [0, 1] or null, got ${describe(momentum)}`);
    }
    const affine = o.affine ?? true, track = o.trackRunningStats ?? true;
    for (const [name, v] of [["affine", affine], ["trackRunningStats", track]] as const) {
      if (typeof v !== "boolean") throw new TypeError(`${owner}: ${name} must be true or false, got ${describe(v)}`);
    }
    this.numFeatures = numFeatures;
    this.eps = eps;
    this.momentum = momentum;
    this.affine = affine;
    this.trackRunningStats = track;
    this.registerParameter("weight", affine ? ones([numFeatures]) : null);
    this.registerParameter("bias", affine ? zeros([numFeatures]) : null);
    // PyTorch's buffer names, as in its state dicts
    this.registerBuffer("running_mean", track ? zeros([numFeatures]) : null);
    this.registerBuffer("running_var", track ? ones([numFeatures]) : null);
    this.registerBuffer("num_batches_tracked", track ? full([], 0, { dtype: "int32" }) : null);
  }

  /** The running mean (the buffer PyTorch's state dicts call running_mean). */
  get runningMean(): Tensor | null { return (this as any).running_mean; }
  /** The running variance (running_var). */
  get runningVar(): Tensor | null { return (this as any).running_var; }
  /** Batches seen in training (num_batches_tracked, int32). */
  get numBatchesTracked(): Tensor | null { return (this as any).num_batches_tracked; }

  forward(x: Tensor): Tensor {
    checkTensor(`${this.owner}.forward`, "input", x, `of shape [N, ${this.numFeatures}, …]`);
    if (!this.ranks.includes(x.shape.length)) {
      throw new Error(`${this.owner}: expected ${this.ranks.map((r) => `${r}D`).join(" or ")} input (got ${x.shape.length}D input of shape ${fmt(x.shape)})`);
    }
    if (x.shape[1] !== this.numFeatures) {
      throw new Error(`${this.owner}: input has ${x.shape[1]} channels (shape ${fmt(x.shape)}) but the layer was built for ${this.numFeatures}`);
    }
    const self = this as unknown as { running_mean: Tensor | null; running_var: Tensor | null; num_batches_tracked: Tensor | null };
    let factor = this.momentum ?? 0;
    if (this.training && this.trackRunningStats && self.num_batches_tracked !== null) {
      noGrad(() => self.num_batches_tracked!.add_(1));
      if (this.momentum === null) factor = 1 / self.num_batches_tracked.item(); // cumulative moving average
    }
    const useBatch = this.training || self.running_mean === null;
    return batchNorm(x, !this.training || this.trackRunningStats ? self.running_mean : null,
      !this.training || this.trackRunningStats ? self.running_var : null,
      { weight: this.weight, bias: this.bias, training: useBatch, momentum: factor, eps: this.eps });
  }
}

/** Batch norm over [N, C] or [N, C, L]. `new nn.BatchNorm1d(64)`. */
export class BatchNorm1d extends BatchNormBase {
  constructor(numFeatures: number, options: BatchNormOptions = {}) {
    super("BatchNorm1d", [2, 3], numFeatures, options);
  }
}

/** Batch norm over [N, C, H, W]. `new nn.BatchNorm2d(16)`. */
export class BatchNorm2d extends BatchNormBase {
  constructor(numFeatures: number, options: BatchNormOptions = {}) {
    super("BatchNorm2d", [4], numFeatures, options);
  }
}
