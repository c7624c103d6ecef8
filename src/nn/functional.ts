// torch.nn.functional: options objects carry reduction, as the modules do.
import type { Tensor } from "../tensor.js";
import * as L from "../ops/loss.js";
import { linear as linearOp } from "../ops/matmul.js";

type Opts = { reduction?: L.Reduction };

export const relu = (x: Tensor): Tensor => x.relu();
export const sigmoid = (x: Tensor): Tensor => x.sigmoid();
export const tanh = (x: Tensor): Tensor => x.tanh();
export const linear = (x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor => linearOp(x, weight, bias);

export function mseLoss(input: Tensor, target: Tensor, options: Opts = {}): Tensor {
  return L.mseLoss(input, target, options.reduction ?? "mean");
}

export function l1Loss(input: Tensor, target: Tensor, options: Opts = {}): Tensor {
  return L.l1Loss(input, target, options.reduction ?? "mean");
}

export function crossEntropy(input: Tensor, target: L.Target, options: Opts = {}): Tensor {
  return L.crossEntropy(input, target, options.reduction ?? "mean");
}

export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, options: Opts = {}): Tensor {
  return L.binaryCrossEntropyWithLogits(input, target, options.reduction ?? "mean");
}
