// torch.nn.functional: each loss takes the options object its module takes.
import type { Tensor } from "../tensor.js";
import * as L from "../ops/loss.js";
import { linear as linearOp } from "../ops/matmul.js";
import { checkOptions, checkTensor } from "./check.js";
import { LOSS_OPTIONS } from "./loss.js";

export { functionalSoftmax as softmax, functionalLogSoftmax as logSoftmax, type SoftmaxOptions } from "../ops/softmax.js";

type ReductionOptions = { reduction?: L.Reduction };

export const relu = (x: Tensor): Tensor => checkTensor("F.relu", "input", x, "any shape").relu();
export const sigmoid = (x: Tensor): Tensor => checkTensor("F.sigmoid", "input", x, "any shape").sigmoid();
export const tanh = (x: Tensor): Tensor => checkTensor("F.tanh", "input", x, "any shape").tanh();

/** y = x·Wᵀ + b, with x [*, in], weight [out, in] and an optional bias [out]. */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  checkTensor("F.linear", "input", x, "of shape [*, in_features]");
  checkTensor("F.linear", "weight", weight, "of shape [out_features, in_features]");
  if (bias !== undefined && bias !== null) checkTensor("F.linear", "bias", bias, "of shape [out_features], or null");
  return linearOp(x, weight, bias);
}

export function mseLoss(input: Tensor, target: Tensor, options?: ReductionOptions): Tensor {
  return L.mseLoss(input, target, checkOptions("F.mseLoss", options, LOSS_OPTIONS.reduction).reduction ?? "mean");
}

export function l1Loss(input: Tensor, target: Tensor, options?: ReductionOptions): Tensor {
  return L.l1Loss(input, target, checkOptions("F.l1Loss", options, LOSS_OPTIONS.reduction).reduction ?? "mean");
}

/** `F.crossEntropy(logits, target, { weight, ignoreIndex, labelSmoothing, reduction })`, as nn.CrossEntropyLoss. */
export function crossEntropy(input: Tensor, target: L.Target, options?: L.CrossEntropyOptions): Tensor {
  return L.crossEntropy(input, target, checkOptions("F.crossEntropy", options, LOSS_OPTIONS.crossEntropy));
}

/** `F.binaryCrossEntropyWithLogits(logits, target, { weight, posWeight, reduction })`, as nn.BCEWithLogitsLoss. */
export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, options?: L.BCEWithLogitsOptions): Tensor {
  return L.binaryCrossEntropyWithLogits(input, target, checkOptions("F.binaryCrossEntropyWithLogits", options, LOSS_OPTIONS.bceWithLogits));
}

export { conv1d, conv2d } from "../ops/conv.js";
export { maxPool2d, avgPool2d, adaptiveAvgPool2d } from "../ops/pool.js";
export { layerNorm, batchNorm } from "../ops/normalization.js";
export { gelu, leakyRelu, elu, silu, softplus } from "../ops/activation.js";

/** `F.nllLoss(logProbs, target, { weight, ignoreIndex, reduction })`, as nn.NLLLoss. */
export function nllLoss(input: Tensor, target: L.Target, options?: L.NLLLossOptions): Tensor {
  return L.nllLoss(input, target, checkOptions("F.nllLoss", options, LOSS_OPTIONS.nll));
}

/** `F.binaryCrossEntropy(probs, target, { weight, reduction })`, as nn.BCELoss. */
export function binaryCrossEntropy(input: Tensor, target: Tensor, options?: { weight?: Tensor | null; reduction?: L.Reduction }): Tensor {
  return L.binaryCrossEntropy(input, target, checkOptions("F.binaryCrossEntropy", options, LOSS_OPTIONS.bce));
}

/** `F.huberLoss(input, target, { reduction, delta })`, as nn.HuberLoss. */
export function huberLoss(input: Tensor, target: Tensor, options?: { reduction?: L.Reduction; delta?: number }): Tensor {
  return L.huberLoss(input, target, checkOptions("F.huberLoss", options, LOSS_OPTIONS.huber));
}

/** `F.smoothL1Loss(input, target, { reduction, beta })`, as nn.SmoothL1Loss. */
export function smoothL1Loss(input: Tensor, target: Tensor, options?: { reduction?: L.Reduction; beta?: number }): Tensor {
  return L.smoothL1Loss(input, target, checkOptions("F.smoothL1Loss", options, LOSS_OPTIONS.smoothL1));
}

/** `F.klDiv(logProbs, target, { reduction, logTarget })`, as nn.KLDivLoss. */
export function klDiv(input: Tensor, target: Tensor, options?: { reduction?: L.Reduction | "batchmean"; logTarget?: boolean }): Tensor {
  return L.klDiv(input, target, checkOptions("F.klDiv", options, LOSS_OPTIONS.klDiv));
}
export { embedding } from "../ops/embedding.js";
export { dropout } from "./dropout.js";
