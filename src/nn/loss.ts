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
  nll: ["weight", "ignoreIndex", "reduction"],
  bce: ["weight", "reduction"],
  huber: ["reduction", "delta"],
  smoothL1: ["reduction", "beta"],
  klDiv: ["reduction", "logTarget"],
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

// Construction-time checks of the newer losses, with PyTorch's defaults filled in.
function checkNLL(where: string, o: L.NLLLossOptions): Required<L.NLLLossOptions> {
  const { weight, ignoreIndex, reduction } = L.checkCrossEntropyOptions(where, { weight: o.weight, ignoreIndex: o.ignoreIndex, reduction: o.reduction });
  return { weight, ignoreIndex, reduction };
}

function checkNumberOption(where: string, name: string, v: unknown, def: number, min: number, allowMin: boolean): number {
  const x = v ?? def;
  if (typeof x !== "number" || !Number.isFinite(x) || x < min || (!allowMin && x === min)) {
    throw new RangeError(`${where}: ${name} must be a number ${allowMin ? "≥" : ">"} ${min}, got ${JSON.stringify(v)}`);
  }
  return x;
}

/** Negative log likelihood over log-probabilities: `new nn.NLLLoss({ weight, ignoreIndex = -100, reduction })`. */
export class NLLLoss extends Loss<L.NLLLossOptions> {
  declare weight: Tensor | null;
  declare readonly ignoreIndex: number;
  declare readonly reduction: L.Reduction;
  constructor(options?: L.NLLLossOptions) { super(options, LOSS_OPTIONS.nll, checkNLL); }
  forward(input: Tensor, target: L.Target): Tensor {
    const { weight, ignoreIndex, reduction } = this;
    return L.nllLoss(input, target, { weight, ignoreIndex, reduction });
  }
}

type BCEOptions = { weight?: Tensor | null; reduction?: L.Reduction };

/** Binary cross entropy over probabilities: `new nn.BCELoss({ weight, reduction })`. */
export class BCELoss extends Loss<BCEOptions> {
  declare weight: Tensor | null;
  declare readonly reduction: L.Reduction;
  constructor(options?: BCEOptions) {
    super(options, LOSS_OPTIONS.bce, (where, o) => {
      const { weight, reduction } = L.checkBCEWithLogitsOptions(where, { weight: o.weight, reduction: o.reduction });
      return { weight, reduction };
    });
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return L.binaryCrossEntropy(input, target, { weight: this.weight, reduction: this.reduction });
  }
}

type HuberOptions = { reduction?: L.Reduction; delta?: number };

/** `new nn.HuberLoss({ reduction, delta = 1 })`. */
export class HuberLoss extends Loss<HuberOptions> {
  declare readonly reduction: L.Reduction;
  declare readonly delta: number;
  constructor(options?: HuberOptions) {
    super(options, LOSS_OPTIONS.huber, (where, o) => ({
      reduction: L.checkReduction(o.reduction ?? "mean", where), delta: checkNumberOption(where, "delta", o.delta, 1, 0, false),
    }));
  }
  forward(input: Tensor, target: Tensor): Tensor { return L.huberLoss(input, target, { reduction: this.reduction, delta: this.delta }); }
}

type SmoothL1Options = { reduction?: L.Reduction; beta?: number };

/** `new nn.SmoothL1Loss({ reduction, beta = 1 })`. */
export class SmoothL1Loss extends Loss<SmoothL1Options> {
  declare readonly reduction: L.Reduction;
  declare readonly beta: number;
  constructor(options?: SmoothL1Options) {
    super(options, LOSS_OPTIONS.smoothL1, (where, o) => ({
      reduction: L.checkReduction(o.reduction ?? "mean", where), beta: checkNumberOption(where, "beta", o.beta, 1, 0, true),
    }));
  }
  forward(input: Tensor, target: Tensor): Tensor { return L.smoothL1Loss(input, target, { reduction: this.reduction, beta: this.beta }); }
}

type KLDivOptions = { reduction?: L.Reduction | "batchmean"; logTarget?: boolean };

/** `new nn.KLDivLoss({ reduction = "mean", logTarget = false })`; use reduction "batchmean" for the true KL divergence. */
export class KLDivLoss extends Loss<KLDivOptions> {
  declare readonly reduction: L.Reduction | "batchmean";
  declare readonly logTarget: boolean;
  constructor(options?: KLDivOptions) {
    super(options, LOSS_OPTIONS.klDiv, (where, o) => {
      const reduction = o.reduction === "batchmean" ? "batchmean" : L.checkReduction(o.reduction ?? "mean", where);
      if (o.logTarget !== undefined && typeof o.logTarget !== "boolean") throw new TypeError(`${where}: logTarget must be a boolean, got ${JSON.stringify(o.logTarget)}`);
      return { reduction, logTarget: o.logTarget ?? false };
    });
  }
  forward(input: Tensor, target: Tensor): Tensor { return L.klDiv(input, target, { reduction: this.reduction, logTarget: this.logTarget }); }
}
