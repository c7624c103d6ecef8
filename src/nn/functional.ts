// torch.nn.functional: each loss takes the options object its module takes.
import type { Tensor } from "../tensor.js";
import * as L from "../ops/loss.js";
import { linear as linearOp } from "../ops/matmul.js";
import { checkOptions, checkTensor } from "./check.js";
import { LOSS_OPTIONS } from "./loss.js";

export { functionalSoftmax as softmax, functionalLogSoftmax as logSoftmax, type SoftmaxOptions } from "../ops/softmax.js";

type ReductionOptions = { reduction?: L.Reduction };

/**
 * `F.relu(input)`: max(x, 0) element-wise (PyTorch's `F.relu`; also `torch.relu`).
 *
 * ```ts
 * F.relu(torch.tensor([-1, 2])); // tensor([0., 2.])
 * ```
 */
export const relu = (x: Tensor): Tensor => checkTensor("F.relu", "input", x, "any shape").relu();
/**
 * `F.sigmoid(input)`: 1 / (1 + e^-x) element-wise.
 *
 * ```ts
 * F.sigmoid(torch.tensor([0])); // tensor([0.5000])
 * ```
 */
export const sigmoid = (x: Tensor): Tensor => checkTensor("F.sigmoid", "input", x, "any shape").sigmoid();
/**
 * `F.tanh(input)`: hyperbolic tangent element-wise.
 *
 * ```ts
 * F.tanh(torch.tensor([0])); // tensor([0.])
 * ```
 */
export const tanh = (x: Tensor): Tensor => checkTensor("F.tanh", "input", x, "any shape").tanh();

/**
 * PyTorch's `F.linear(input, weight, bias?)`: y = x·Wᵀ + b, with x [*, in], weight
 * [out, in] and an optional bias [out] (what `nn.Linear` computes).
 *
 * ```ts
 * const w = torch.tensor([[1, 1], [0, 1]]);
 * F.linear(torch.tensor([[1, 2]]), w, torch.tensor([0.5, 0])); // tensor([[3.5000, 2.0000]])
 * ```
 */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  checkTensor("F.linear", "input", x, "of shape [*, in_features]");
  checkTensor("F.linear", "weight", weight, "of shape [out_features, in_features]");
  if (bias !== undefined && bias !== null) checkTensor("F.linear", "bias", bias, "of shape [out_features], or null");
  return linearOp(x, weight, bias);
}

/**
 * PyTorch's `F.mse_loss(input, target, { reduction = "mean" })`: the mean (or sum, or each)
 * of (input − target)², as `nn.MSELoss`.
 *
 * ```ts
 * F.mseLoss(torch.tensor([1, 2]), torch.tensor([0, 4])); // tensor(2.5000)
 * ```
 */
export function mseLoss(input: Tensor, target: Tensor, options?: ReductionOptions): Tensor {
  return L.mseLoss(input, target, checkOptions("F.mseLoss", options, LOSS_OPTIONS.reduction).reduction ?? "mean");
}

/**
 * PyTorch's `F.l1_loss(input, target, { reduction = "mean" })`: |input − target| reduced,
 * as `nn.L1Loss`.
 *
 * ```ts
 * F.l1Loss(torch.tensor([1, 2]), torch.tensor([0, 4]), { reduction: "none" }); // tensor([1., 2.])
 * ```
 */
export function l1Loss(input: Tensor, target: Tensor, options?: ReductionOptions): Tensor {
  return L.l1Loss(input, target, checkOptions("F.l1Loss", options, LOSS_OPTIONS.reduction).reduction ?? "mean");
}

/**
 * PyTorch's `F.cross_entropy(input, target, { weight, ignoreIndex = -100, labelSmoothing = 0,
 * reduction = "mean" })` over logits, as `nn.CrossEntropyLoss`: target holds class indices
 * (an int32 tensor, an Int32Array or a number[]) or class probabilities.
 *
 * ```ts
 * const logits = torch.tensor([[2, 0.5, -1], [0, 1, 0]]);
 * F.crossEntropy(logits, [0, 1]);                          // tensor(0.3964)
 * F.crossEntropy(logits, [0, 1], { labelSmoothing: 0.1 }); // tensor(0.5047)
 * ```
 */
export function crossEntropy(input: Tensor, target: L.Target, options?: L.CrossEntropyOptions): Tensor {
  return L.crossEntropy(input, target, checkOptions("F.crossEntropy", options, LOSS_OPTIONS.crossEntropy));
}

/**
 * PyTorch's `F.binary_cross_entropy_with_logits(input, target, { weight, posWeight,
 * reduction = "mean" })`: sigmoid and binary cross entropy in one stable step, as
 * `nn.BCEWithLogitsLoss`.
 *
 * ```ts
 * F.binaryCrossEntropyWithLogits(torch.tensor([0, 2]), torch.tensor([0, 1])); // tensor(0.4100)
 * ```
 */
export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, options?: L.BCEWithLogitsOptions): Tensor {
  return L.binaryCrossEntropyWithLogits(input, target, checkOptions("F.binaryCrossEntropyWithLogits", options, LOSS_OPTIONS.bceWithLogits));
}

export { conv1d, conv2d } from "../ops/conv.js";
export { maxPool2d, avgPool2d, adaptiveAvgPool2d } from "../ops/pool.js";
export { layerNorm, batchNorm } from "../ops/normalization.js";
export { gelu, leakyRelu, elu, silu, softplus } from "../ops/activation.js";

/**
 * PyTorch's `F.nll_loss(input, target, { weight, ignoreIndex = -100, reduction = "mean" })`
 * over log-probabilities, as `nn.NLLLoss`.
 *
 * ```ts
 * const logProbs = F.logSoftmax(torch.tensor([[2, 0.5, -1], [0, 1, 0]]), 1);
 * F.nllLoss(logProbs, [0, 1]); // tensor(0.3964)
 * ```
 */
export function nllLoss(input: Tensor, target: L.Target, options?: L.NLLLossOptions): Tensor {
  return L.nllLoss(input, target, checkOptions("F.nllLoss", options, LOSS_OPTIONS.nll));
}

/**
 * PyTorch's `F.binary_cross_entropy(input, target, { weight, reduction = "mean" })` over
 * probabilities, as `nn.BCELoss`.
 *
 * ```ts
 * F.binaryCrossEntropy(torch.tensor([0.5, 0.9]), torch.tensor([0, 1])); // tensor(0.3993)
 * ```
 */
export function binaryCrossEntropy(input: Tensor, target: Tensor, options?: { weight?: Tensor | null; reduction?: L.Reduction }): Tensor {
  return L.binaryCrossEntropy(input, target, checkOptions("F.binaryCrossEntropy", options, LOSS_OPTIONS.bce));
}

/**
 * PyTorch's `F.huber_loss(input, target, { reduction = "mean", delta = 1 })`, as
 * `nn.HuberLoss`.
 *
 * ```ts
 * F.huberLoss(torch.tensor([0, 3]), torch.tensor([0.5, 0])); // tensor(1.3125)
 * ```
 */
export function huberLoss(input: Tensor, target: Tensor, options?: { reduction?: L.Reduction; delta?: number }): Tensor {
  return L.huberLoss(input, target, checkOptions("F.huberLoss", options, LOSS_OPTIONS.huber));
}

/**
 * PyTorch's `F.smooth_l1_loss(input, target, { reduction = "mean", beta = 1 })`, as
 * `nn.SmoothL1Loss`.
 *
 * ```ts
 * F.smoothL1Loss(torch.tensor([0, 3]), torch.tensor([0.5, 0]), { beta: 2 }); // tensor(1.0312)
 * ```
 */
export function smoothL1Loss(input: Tensor, target: Tensor, options?: { reduction?: L.Reduction; beta?: number }): Tensor {
  return L.smoothL1Loss(input, target, checkOptions("F.smoothL1Loss", options, LOSS_OPTIONS.smoothL1));
}

/**
 * PyTorch's `F.kl_div(input, target, { reduction = "mean", logTarget = false })`: input
 * log-probabilities, target probabilities, as `nn.KLDivLoss` (`"batchmean"` for the true
 * KL divergence).
 *
 * ```ts
 * F.klDiv(torch.tensor([[0.25, 0.75]]).log(), torch.tensor([[0.5, 0.5]]), { reduction: "batchmean" }); // tensor(0.1438)
 * ```
 */
export function klDiv(input: Tensor, target: Tensor, options?: { reduction?: L.Reduction | "batchmean"; logTarget?: boolean }): Tensor {
  return L.klDiv(input, target, checkOptions("F.klDiv", options, LOSS_OPTIONS.klDiv));
}
export { embedding } from "../ops/embedding.js";
export { dropout } from "./dropout.js";
