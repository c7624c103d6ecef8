// Loss modules: PyTorch's options in one object, forward(input, target). Option values are
// checked when the module is built; a tensor option (weight, posWeight) is a buffer, as
// PyTorch registers it, so it appears in stateDict().
import { Module } from "./module.js";
import type { Tensor } from "../tensor.js";
import * as L from "../ops/loss.js";
import { checkOptions } from "./check.js";

type ReductionOptions = { reduction?: L.Reduction };

/** Options per loss: the names each accepts (shared with nn.functional). */
export const LOSS_OPTIONS = {
  reduction: ["reduction"],
  crossEntropy: ["weight", "ignoreIndex", "labelSmoothing", "reduction"],
  bceWithLogits: ["weight", "posWeight", "reduction"],
} as const;

const checkReductionOptions = (where: string, o: ReductionOptions): Required<ReductionOptions> =>
  ({ reduction: L.checkReduction(o.reduction ?? "mean", where) });

/** A loss module's fields are its checked options, with PyTorch's defaults filled in. */
abstract class Loss<O extends object> extends Module {
  constructor(options: O | undefined, known: readonly string[], check: (where: string, o: O) => Required<O>) {
    super();
    const owner = this.constructor.name;
    Object.assign(this, check(owner, checkOptions(owner, options, known) as O));
  }
}

export class MSELoss extends Loss<ReductionOptions> {
  declare readonly reduction: L.Reduction;
  constructor(options?: ReductionOptions) { super(options, LOSS_OPTIONS.reduction, checkReductionOptions); }
  forward(input: Tensor, target: Tensor): Tensor { return L.mseLoss(input, target, this.reduction); }
}

export class L1Loss extends Loss<ReductionOptions> {
  declare readonly reduction: L.Reduction;
  constructor(options?: ReductionOptions) { super(options, LOSS_OPTIONS.reduction, checkReductionOptions); }
  forward(input: Tensor, target: Tensor): Tensor { return L.l1Loss(input, target, this.reduction); }
}

/**
 * Cross entropy over logits [N, C] with class indices or class probabilities:
 * `new nn.CrossEntropyLoss({ weight, ignoreIndex = -100, labelSmoothing = 0, reduction = "mean" })`.
 */
export class CrossEntropyLoss extends Loss<L.CrossEntropyOptions> {
  declare weight: Tensor | null;
  declare readonly ignoreIndex: number;
  declare readonly labelSmoothing: number;
  declare readonly reduction: L.Reduction;

  constructor(options?: L.CrossEntropyOptions) { super(options, LOSS_OPTIONS.crossEntropy, L.checkCrossEntropyOptions); }

  forward(input: Tensor, target: L.Target): Tensor {
    const { weight, ignoreIndex, labelSmoothing, reduction } = this;
    return L.crossEntropy(input, target, { weight, ignoreIndex, labelSmoothing, reduction });
  }
}

/**
 * Sigmoid and binary cross entropy in one numerically stable step:
 * `new nn.BCEWithLogitsLoss({ weight, posWeight, reduction = "mean" })`, with `weight` and
 * `posWeight` broadcast to the input's shape (`posWeight` of shape [C] weighs each class's
 * positives over [N, C]).
 */
export class BCEWithLogitsLoss extends Loss<L.BCEWithLogitsOptions> {
  declare weight: Tensor | null;
  declare posWeight: Tensor | null;
  declare readonly reduction: L.Reduction;

  constructor(options?: L.BCEWithLogitsOptions) { super(options, LOSS_OPTIONS.bceWithLogits, L.checkBCEWithLogitsOptions); }

  forward(input: Tensor, target: Tensor): Tensor {
    const { weight, posWeight, reduction } = this;
    return L.binaryCrossEntropyWithLogits(input, target, { weight, posWeight, reduction });
  }
}
