// nn.LayerNorm (torch/nn/modules/normalization.py) and nn.BatchNorm1d / nn.BatchNorm2d
// (torch/nn/modules/batchnorm.py): weight ones, bias zeros; batch norm keeps running_mean
// (zeros), running_var (ones) and num_batches_tracked as buffers, used in eval().
import { Module } from "./module.js";
import { Tensor, full, zeros, ones } from "../tensor.js";
import { batchNorm, layerNorm } from "../ops/normalization.js";
import { noGrad } from "../scope.js";
import { checkOptions, checkTensor, describe } from "./check.js";
import { fmt } from "../shape.js";

/**
 * Options of `nn.LayerNorm` (PyTorch's defaults): `eps = 1e-5`, `elementwiseAffine = true`,
 * `bias = true`.
 *
 * ```ts
 * const opts: nn.LayerNormOptions = { elementwiseAffine: false };
 * new nn.LayerNorm(8, opts).parameters().length; // 0
 * ```
 */
export interface LayerNormOptions {
  /** Added to the variance for stability (default 1e-5). */
  eps?: number;
  /** Learn a weight (ones) and a bias (zeros) over `normalizedShape` (default true). */
  elementwiseAffine?: boolean;
  /** With `elementwiseAffine`, whether there is a bias (default true). */
  bias?: boolean;
}

/**
 * Normalises over the last dims (`normalizedShape`) to mean 0 and variance 1, then scales
 * and shifts, as `torch.nn.LayerNorm`: `new nn.LayerNorm(64)`, `new nn.LayerNorm([4, 4],
 * { eps: 1e-6 })`. Statistics come from each sample alone, so train and eval agree.
 *
 * ```ts
 * const ln = new nn.LayerNorm(3);
 * ln.forward(torch.tensor([[1, 2, 3], [2, 4, 6]])); // tensor([[-1.2247,  0.0000,  1.2247], [-1.2247,  0.0000,  1.2247]], gradFn=<NativeLayerNormBackward0>)
 * ```
 */
export class LayerNorm extends Module {
  /**
   * The scale, shaped `normalizedShape`, starting at ones (a parameter), or null without
   * `elementwiseAffine`.
   *
   * ```ts
   * new nn.LayerNorm(3).weight; // tensor([1., 1., 1.], requiresGrad=true)
   * ```
   */
  declare weight: Tensor | null;
  /**
   * The shift, shaped `normalizedShape`, starting at zeros (a parameter), or null.
   *
   * ```ts
   * new nn.LayerNorm(3, { bias: false }).bias; // null
   * ```
   */
  declare bias: Tensor | null;
  /**
   * The trailing dims normalised over.
   *
   * ```ts
   * new nn.LayerNorm(64).normalizedShape; // [64]
   * ```
   */
  readonly normalizedShape: number[];
  /**
   * Added to the variance for stability (default 1e-5).
   *
   * ```ts
   * new nn.LayerNorm(64).eps; // 1e-5
   * ```
   */
  readonly eps: number;
  /**
   * Whether the layer has a weight and a bias (default true).
   *
   * ```ts
   * new nn.LayerNorm(64).elementwiseAffine; // true
   * ```
   */
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

  /**
   * `x` ([*, ...normalizedShape]) normalised over its last dims, then `· weight + bias`.
   *
   * ```ts
   * new nn.LayerNorm(2).forward(torch.tensor([[0, 4]])); // tensor([[-1.0000,  1.0000]], gradFn=<NativeLayerNormBackward0>)
   * ```
   */
  forward(x: Tensor): Tensor {
    checkTensor("LayerNorm.forward", "input", x, `of shape [*, ${this.normalizedShape.join(", ")}]`);
    return layerNorm(x, this.normalizedShape, this.weight, this.bias, this.eps);
  }
}

/**
 * Options of `nn.BatchNorm1d` and `nn.BatchNorm2d` (PyTorch's defaults): `eps = 1e-5`,
 * `momentum = 0.1` (null: a cumulative average), `affine = true`, `trackRunningStats = true`.
 *
 * ```ts
 * const opts: nn.BatchNormOptions = { momentum: null, affine: false };
 * const bn = new nn.BatchNorm1d(2, opts);
 * bn.parameters().length; // 0
 * ```
 */
export interface BatchNormOptions {
  /** Added to the variance for stability (default 1e-5). */
  eps?: number;
  /** Factor of the running averages (default 0.1); null for a cumulative average. */
  momentum?: number | null;
  /** Learn a weight (ones) and a bias (zeros) per channel (default true). */
  affine?: boolean;
  /** Keep running statistics for eval mode (default true); false uses batch statistics always. */
  trackRunningStats?: boolean;
}

abstract class BatchNormBase extends Module {
  /**
   * The scale per channel, starting at ones (a parameter), or null without `affine`.
   *
   * ```ts
   * new nn.BatchNorm1d(2).weight; // tensor([1., 1.], requiresGrad=true)
   * ```
   */
  declare weight: Tensor | null;
  /**
   * The shift per channel, starting at zeros (a parameter), or null without `affine`.
   *
   * ```ts
   * new nn.BatchNorm1d(2, { affine: false }).bias; // null
   * ```
   */
  declare bias: Tensor | null;
  /**
   * The number of channels C.
   *
   * ```ts
   * new nn.BatchNorm2d(16).numFeatures; // 16
   * ```
   */
  readonly numFeatures: number;
  /**
   * Added to the variance for stability (default 1e-5).
   *
   * ```ts
   * new nn.BatchNorm2d(16).eps; // 1e-5
   * ```
   */
  readonly eps: number;
  /**
   * The factor of the running averages' update (default 0.1), or null for a cumulative
   * average.
   *
   * ```ts
   * new nn.BatchNorm2d(16).momentum; // 0.1
   * ```
   */
  readonly momentum: number | null;
  /**
   * Whether the layer has a weight and a bias per channel (default true).
   *
   * ```ts
   * new nn.BatchNorm2d(16).affine; // true
   * ```
   */
  readonly affine: boolean;
  /**
   * Whether running statistics are kept for eval mode (default true).
   *
   * ```ts
   * new nn.BatchNorm2d(16, { trackRunningStats: false }).runningMean; // null
   * ```
   */
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

  /**
   * The running mean per channel (the buffer PyTorch's state dicts call `running_mean`),
   * updated in training: `(1 − momentum)·running + momentum·batch mean`.
   *
   * ```ts
   * const bn = new nn.BatchNorm1d(1);
   * bn.forward(torch.tensor([[1], [3]]));
   * bn.runningMean; // tensor([0.2000])
   * ```
   */
  get runningMean(): Tensor | null { return (this as any).running_mean; }
  /**
   * The running variance per channel (`running_var`), updated with the unbiased batch variance.
   *
   * ```ts
   * const bn = new nn.BatchNorm1d(1);
   * bn.forward(torch.tensor([[1], [3]]));
   * bn.runningVar; // tensor([1.1000])
   * ```
   */
  get runningVar(): Tensor | null { return (this as any).running_var; }
  /**
   * The number of batches seen in training (`num_batches_tracked`, int32, 0-d).
   *
   * ```ts
   * const bn = new nn.BatchNorm1d(1);
   * bn.forward(torch.tensor([[1], [3]]));
   * bn.numBatchesTracked; // tensor(1)
   * ```
   */
  get numBatchesTracked(): Tensor | null { return (this as any).num_batches_tracked; }

  /**
   * `x` normalised per channel: with batch statistics in training (updating the running ones),
   * with the running statistics in eval mode.
   *
   * ```ts
   * const bn = new nn.BatchNorm1d(2);
   * bn.forward(torch.tensor([[1, 10], [3, 30]])); // tensor([[-1.0000, -1.0000], [ 1.0000,  1.0000]], gradFn=<NativeBatchNormBackward0>)
   * bn.eval().forward(torch.tensor([[0, 0]]));     // tensor([[-0.1907, -0.4375]], gradFn=<NativeBatchNormBackward0>)
   * ```
   */
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

/**
 * Batch norm over [N, C] or [N, C, L], as `torch.nn.BatchNorm1d`: each channel normalised
 * with the batch's mean and biased variance in training (running averages kept, the
 * variance unbiased, as PyTorch), with the running statistics in `eval()`.
 * `new nn.BatchNorm1d(64)`.
 *
 * ```ts
 * const bn = new nn.BatchNorm1d(3);
 * bn.forward(torch.randn([16, 3])).shape; // [16, 3]
 * Object.keys(bn.stateDict());            // ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"]
 * ```
 */
export class BatchNorm1d extends BatchNormBase {
  constructor(numFeatures: number, options: BatchNormOptions = {}) {
    super("BatchNorm1d", [2, 3], numFeatures, options);
  }
}

/**
 * Batch norm over [N, C, H, W] (statistics per channel over N, H and W), as
 * `torch.nn.BatchNorm2d`. `new nn.BatchNorm2d(16)`.
 *
 * ```ts
 * const bn = new nn.BatchNorm2d(16);
 * bn.forward(torch.randn([4, 16, 8, 8])).shape; // [4, 16, 8, 8]
 * bn.forward(torch.randn([16, 8, 8]));           // throws: expected 4D input
 * ```
 */
export class BatchNorm2d extends BatchNormBase {
  constructor(numFeatures: number, options: BatchNormOptions = {}) {
    super("BatchNorm2d", [4], numFeatures, options);
  }
}
