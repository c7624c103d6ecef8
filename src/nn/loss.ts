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

/**
 * Mean squared error, as `torch.nn.MSELoss`: (input − target)², averaged (`reduction:
 * "mean"`, the default), summed (`"sum"`) or kept per element (`"none"`). Input and target
 * have the same shape.
 *
 * ```ts
 * const lossFn = new nn.MSELoss();
 * lossFn.forward(torch.tensor([1, 2]), torch.tensor([0, 4])); // tensor(2.5000)
 * new nn.MSELoss({ reduction: "sum" }).forward(torch.tensor([1, 2]), torch.tensor([0, 4])); // tensor(5.)
 * ```
 */
export class MSELoss extends Loss<ReductionOptions> {
  /**
   * How the per-element losses combine: `"mean"` (default), `"sum"` or `"none"`.
   *
   * ```ts
   * new nn.MSELoss().reduction; // "mean"
   * ```
   */
  declare readonly reduction: L.Reduction;
  constructor(options?: ReductionOptions) { super(options, LOSS_OPTIONS.reduction, checkReductionOptions); }
  /**
   * The loss of `input` against `target` (same shape); a 0-d tensor unless reduction is
   * `"none"`.
   *
   * ```ts
   * const pred = torch.tensor([0.5, 1.5], { requiresGrad: true });
   * const loss = new nn.MSELoss().forward(pred, torch.tensor([1, 1]));
   * loss;            // tensor(0.2500, gradFn=<MseLossBackward0>)
   * loss.backward();
   * pred.grad;       // tensor([-0.5000,  0.5000])
   * ```
   */
  forward(input: Tensor, target: Tensor): Tensor { return L.mseLoss(input, target, this.reduction); }
}

/**
 * Mean absolute error, as `torch.nn.L1Loss`: |input − target|, reduced by `reduction`
 * (`"mean"` default, `"sum"`, `"none"`).
 *
 * ```ts
 * new nn.L1Loss({ reduction: "none" }).forward(torch.tensor([1, 2]), torch.tensor([0, 4])); // tensor([1., 2.])
 * ```
 */
export class L1Loss extends Loss<ReductionOptions> {
  /**
   * How the per-element losses combine: `"mean"` (default), `"sum"` or `"none"`.
   *
   * ```ts
   * new nn.L1Loss({ reduction: "sum" }).reduction; // "sum"
   * ```
   */
  declare readonly reduction: L.Reduction;
  constructor(options?: ReductionOptions) { super(options, LOSS_OPTIONS.reduction, checkReductionOptions); }
  /**
   * The loss of `input` against `target` (same shape).
   *
   * ```ts
   * new nn.L1Loss().forward(torch.tensor([1, 2]), torch.tensor([0, 4])); // tensor(1.5000)
   * ```
   */
  forward(input: Tensor, target: Tensor): Tensor { return L.l1Loss(input, target, this.reduction); }
}

/**
 * Cross entropy over logits, as `torch.nn.CrossEntropyLoss` (log-softmax and negative log
 * likelihood in one step): logits [N, C] (or [C], or [N, C, d…]) against class indices or
 * class probabilities. Options (PyTorch's defaults): `weight` per class, `ignoreIndex = -100`,
 * `labelSmoothing = 0`, `reduction = "mean"`.
 *
 * ```ts
 * const logits = torch.tensor([[2, 0.5, -1], [0, 1, 0]]);
 * new nn.CrossEntropyLoss().forward(logits, [0, 1]);                         // tensor(0.3964)
 * new nn.CrossEntropyLoss({ labelSmoothing: 0.1 }).forward(logits, [0, 1]);  // tensor(0.5047)
 * new nn.CrossEntropyLoss({ reduction: "none" }).forward(logits, [0, 1]);    // tensor([0.2413, 0.5514])
 * ```
 */
export class CrossEntropyLoss extends Loss<L.CrossEntropyOptions> {
  /**
   * The rescaling weight per class ([C]), or null; a buffer, so it is in `stateDict()`.
   *
   * ```ts
   * new nn.CrossEntropyLoss({ weight: torch.tensor([1, 2]) }).weight; // tensor([1., 2.])
   * ```
   */
  declare weight: Tensor | null;
  /**
   * The class index whose rows add nothing to the loss or the mean's denominator (default −100).
   *
   * ```ts
   * const lossFn = new nn.CrossEntropyLoss({ ignoreIndex: 0 });
   * lossFn.forward(torch.tensor([[5, 0], [0, 5]]), [0, 1]).item() < 0.01; // true: row 0 ignored
   * ```
   */
  declare readonly ignoreIndex: number;
  /**
   * ε in [0, 1]: the target mixes (1 − ε) of itself with a uniform ε/C (default 0).
   *
   * ```ts
   * new nn.CrossEntropyLoss({ labelSmoothing: 0.1 }).labelSmoothing; // 0.1
   * ```
   */
  declare readonly labelSmoothing: number;
  /**
   * How the per-row losses combine: `"mean"` (default; weighted by the class weights), `"sum"`
   * or `"none"`.
   *
   * ```ts
   * new nn.CrossEntropyLoss().reduction; // "mean"
   * ```
   */
  declare readonly reduction: L.Reduction;

  constructor(options?: L.CrossEntropyOptions) { super(options, LOSS_OPTIONS.crossEntropy, L.checkCrossEntropyOptions); }

  /**
   * The loss of logits `input` against `target`: class indices (an int32 tensor [N], an
   * Int32Array or a number[]) or class probabilities (a float32 tensor shaped as the input).
   *
   * ```ts
   * const lossFn = new nn.CrossEntropyLoss();
   * const logits = torch.tensor([[2, 0.5, -1], [0, 1, 0]], { requiresGrad: true });
   * lossFn.forward(logits, torch.tensor([0, 1], { dtype: "int32" })); // tensor(0.3964, gradFn=<NllLossBackward0>)
   * lossFn.forward(logits, torch.tensor([[1, 0, 0], [0, 1, 0]])).item(); // 0.3964
   * ```
   */
  forward(input: Tensor, target: L.Target): Tensor {
    const { weight, ignoreIndex, labelSmoothing, reduction } = this;
    return L.crossEntropy(input, target, { weight, ignoreIndex, labelSmoothing, reduction });
  }
}

/**
 * Sigmoid and binary cross entropy in one numerically stable step, as
 * `torch.nn.BCEWithLogitsLoss`: `new nn.BCEWithLogitsLoss({ weight, posWeight, reduction =
 * "mean" })`, with `weight` and `posWeight` broadcast to the input's shape (`posWeight` of
 * shape [C] weighs each class's positives over [N, C]).
 *
 * ```ts
 * const lossFn = new nn.BCEWithLogitsLoss();
 * lossFn.forward(torch.tensor([0, 2]), torch.tensor([0, 1])); // tensor(0.4100)
 * new nn.BCEWithLogitsLoss({ posWeight: torch.tensor([3]) }).forward(torch.tensor([0, 2]), torch.tensor([0, 1])); // tensor(0.5370)
 * ```
 */
export class BCEWithLogitsLoss extends Loss<L.BCEWithLogitsOptions> {
  /**
   * The rescaling weight per element (broadcast to the input's shape), or null; a buffer.
   *
   * ```ts
   * new nn.BCEWithLogitsLoss().weight; // null
   * ```
   */
  declare weight: Tensor | null;
  /**
   * The weight on the positive term (broadcast to the input's shape, e.g. [C] over [N, C]),
   * or null; a buffer.
   *
   * ```ts
   * new nn.BCEWithLogitsLoss({ posWeight: torch.tensor([2, 1]) }).posWeight; // tensor([2., 1.])
   * ```
   */
  declare posWeight: Tensor | null;
  /**
   * How the per-element losses combine: `"mean"` (default), `"sum"` or `"none"`.
   *
   * ```ts
   * new nn.BCEWithLogitsLoss().reduction; // "mean"
   * ```
   */
  declare readonly reduction: L.Reduction;

  constructor(options?: L.BCEWithLogitsOptions) { super(options, LOSS_OPTIONS.bceWithLogits, L.checkBCEWithLogitsOptions); }

  /**
   * The loss of logits `input` against `target` (same shape, values in [0, 1]).
   *
   * ```ts
   * const logits = torch.tensor([[0.5, -1]], { requiresGrad: true });
   * const loss = new nn.BCEWithLogitsLoss().forward(logits, torch.tensor([[1, 0]]));
   * loss.backward();
   * logits.grad; // (σ(x) − y) / 2: tensor([[-0.1888,  0.1345]])
   * ```
   */
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

/**
 * Negative log likelihood over log-probabilities, as `torch.nn.NLLLoss`: −w_t·input[i, t]
 * for class index t of row i. Options: `weight` per class, `ignoreIndex = -100`,
 * `reduction = "mean"` (divided by the total weight of the rows not ignored).
 *
 * ```ts
 * const logProbs = F.logSoftmax(torch.tensor([[2, 0.5, -1], [0, 1, 0]]), 1);
 * new nn.NLLLoss().forward(logProbs, [0, 1]); // tensor(0.3964)
 * ```
 */
export class NLLLoss extends Loss<L.NLLLossOptions> {
  /**
   * The rescaling weight per class ([C]), or null; a buffer.
   *
   * ```ts
   * new nn.NLLLoss().weight; // null
   * ```
   */
  declare weight: Tensor | null;
  /**
   * The class index whose rows add nothing to the loss (default −100).
   *
   * ```ts
   * new nn.NLLLoss().ignoreIndex; // -100
   * ```
   */
  declare readonly ignoreIndex: number;
  /**
   * How the per-row losses combine: `"mean"` (default; by total weight), `"sum"` or `"none"`.
   *
   * ```ts
   * new nn.NLLLoss({ reduction: "sum" }).reduction; // "sum"
   * ```
   */
  declare readonly reduction: L.Reduction;
  constructor(options?: L.NLLLossOptions) { super(options, LOSS_OPTIONS.nll, checkNLL); }
  /**
   * The loss of log-probabilities `input` [N, C] against class indices `target` (an int32
   * tensor [N], an Int32Array or a number[]).
   *
   * ```ts
   * new nn.NLLLoss({ reduction: "none" }).forward(torch.tensor([[-0.5, -1], [-2, -0.1]]), [1, 0]); // tensor([1., 2.])
   * ```
   */
  forward(input: Tensor, target: L.Target): Tensor {
    const { weight, ignoreIndex, reduction } = this;
    return L.nllLoss(input, target, { weight, ignoreIndex, reduction });
  }
}

type BCEOptions = { weight?: Tensor | null; reduction?: L.Reduction };

/**
 * Binary cross entropy over probabilities, as `torch.nn.BCELoss`: −w·(y·log x + (1 − y)·
 * log(1 − x)), the logs clamped at −100 as PyTorch does. Options: `weight` (broadcast),
 * `reduction = "mean"`. Prefer `BCEWithLogitsLoss` on logits: it is stabler.
 *
 * ```ts
 * new nn.BCELoss().forward(torch.tensor([0.5, 0.9]), torch.tensor([0, 1])); // tensor(0.3993)
 * ```
 */
export class BCELoss extends Loss<BCEOptions> {
  /**
   * The rescaling weight per element (broadcast to the input's shape), or null; a buffer.
   *
   * ```ts
   * new nn.BCELoss({ weight: torch.tensor([1, 0]) }).forward(torch.tensor([0.5, 0.9]), torch.tensor([0, 1])); // tensor(0.3466)
   * ```
   */
  declare weight: Tensor | null;
  /**
   * How the per-element losses combine: `"mean"` (default), `"sum"` or `"none"`.
   *
   * ```ts
   * new nn.BCELoss().reduction; // "mean"
   * ```
   */
  declare readonly reduction: L.Reduction;
  constructor(options?: BCEOptions) {
    super(options, LOSS_OPTIONS.bce, (where, o) => {
      const { weight, reduction } = L.checkBCEWithLogitsOptions(where, { weight: o.weight, reduction: o.reduction });
      return { weight, reduction };
    });
  }
  /**
   * The loss of probabilities `input` against `target` (same shape, values in [0, 1]).
   *
   * ```ts
   * new nn.BCELoss({ reduction: "none" }).forward(torch.tensor([0.5, 0.9]), torch.tensor([0, 1])); // tensor([0.6931, 0.1054])
   * ```
   */
  forward(input: Tensor, target: Tensor): Tensor {
    return L.binaryCrossEntropy(input, target, { weight: this.weight, reduction: this.reduction });
  }
}

type HuberOptions = { reduction?: L.Reduction; delta?: number };

/**
 * The Huber loss, as `torch.nn.HuberLoss`: ½(x − y)² where |x − y| < delta, else
 * delta·(|x − y| − ½delta). Options: `reduction = "mean"`, `delta = 1` (> 0).
 *
 * ```ts
 * new nn.HuberLoss().forward(torch.tensor([0, 3]), torch.tensor([0.5, 0])); // tensor(1.3125)
 * ```
 */
export class HuberLoss extends Loss<HuberOptions> {
  /**
   * How the per-element losses combine: `"mean"` (default), `"sum"` or `"none"`.
   *
   * ```ts
   * new nn.HuberLoss().reduction; // "mean"
   * ```
   */
  declare readonly reduction: L.Reduction;
  /**
   * Where the loss turns from quadratic to linear (default 1).
   *
   * ```ts
   * new nn.HuberLoss({ delta: 2 }).delta; // 2
   * ```
   */
  declare readonly delta: number;
  constructor(options?: HuberOptions) {
    super(options, LOSS_OPTIONS.huber, (where, o) => ({
      reduction: L.checkReduction(o.reduction ?? "mean", where), delta: checkNumberOption(where, "delta", o.delta, 1, 0, false),
    }));
  }
  /**
   * The loss of `input` against `target` (same shape).
   *
   * ```ts
   * new nn.HuberLoss({ reduction: "none", delta: 1 }).forward(torch.tensor([0, 3]), torch.tensor([0.5, 0])); // tensor([0.1250, 2.5000])
   * ```
   */
  forward(input: Tensor, target: Tensor): Tensor { return L.huberLoss(input, target, { reduction: this.reduction, delta: this.delta }); }
}

type SmoothL1Options = { reduction?: L.Reduction; beta?: number };

/**
 * The smooth L1 loss, as `torch.nn.SmoothL1Loss`: ½(x − y)²/beta where |x − y| < beta, else
 * |x − y| − ½beta (Huber divided by beta). Options: `reduction = "mean"`, `beta = 1` (≥ 0;
 * 0 is the L1 loss).
 *
 * ```ts
 * new nn.SmoothL1Loss().forward(torch.tensor([0, 3]), torch.tensor([0.5, 0])); // tensor(1.3125)
 * ```
 */
export class SmoothL1Loss extends Loss<SmoothL1Options> {
  /**
   * How the per-element losses combine: `"mean"` (default), `"sum"` or `"none"`.
   *
   * ```ts
   * new nn.SmoothL1Loss().reduction; // "mean"
   * ```
   */
  declare readonly reduction: L.Reduction;
  /**
   * Where the loss turns from quadratic to linear (default 1).
   *
   * ```ts
   * new nn.SmoothL1Loss({ beta: 0.5 }).beta; // 0.5
   * ```
   */
  declare readonly beta: number;
  constructor(options?: SmoothL1Options) {
    super(options, LOSS_OPTIONS.smoothL1, (where, o) => ({
      reduction: L.checkReduction(o.reduction ?? "mean", where), beta: checkNumberOption(where, "beta", o.beta, 1, 0, true),
    }));
  }
  /**
   * The loss of `input` against `target` (same shape).
   *
   * ```ts
   * new nn.SmoothL1Loss({ beta: 0 }).forward(torch.tensor([0, 3]), torch.tensor([0.5, 0])); // L1: tensor(1.7500)
   * ```
   */
  forward(input: Tensor, target: Tensor): Tensor { return L.smoothL1Loss(input, target, { reduction: this.reduction, beta: this.beta }); }
}

type KLDivOptions = { reduction?: L.Reduction | "batchmean"; logTarget?: boolean };

/**
 * The Kullback–Leibler divergence, as `torch.nn.KLDivLoss`: the input is log-probabilities,
 * the target probabilities (log-probabilities with `logTarget: true`); per element
 * y·(log y − x). Options: `reduction = "mean"` (PyTorch's default, which averages over
 * elements: use `"batchmean"` for the true KL divergence), `logTarget = false`.
 *
 * ```ts
 * const logQ = torch.tensor([[0.25, 0.75]]).log();
 * new nn.KLDivLoss({ reduction: "batchmean" }).forward(logQ, torch.tensor([[0.5, 0.5]])); // tensor(0.1438)
 * ```
 */
export class KLDivLoss extends Loss<KLDivOptions> {
  /**
   * How the per-element terms combine: `"mean"` (default), `"batchmean"` (sum / batch size),
   * `"sum"` or `"none"`.
   *
   * ```ts
   * new nn.KLDivLoss({ reduction: "batchmean" }).reduction; // "batchmean"
   * ```
   */
  declare readonly reduction: L.Reduction | "batchmean";
  /**
   * Whether the target is given as log-probabilities (default false).
   *
   * ```ts
   * new nn.KLDivLoss().logTarget; // false
   * ```
   */
  declare readonly logTarget: boolean;
  constructor(options?: KLDivOptions) {
    super(options, LOSS_OPTIONS.klDiv, (where, o) => {
      const reduction = o.reduction === "batchmean" ? "batchmean" : L.checkReduction(o.reduction ?? "mean", where);
      if (o.logTarget !== undefined && typeof o.logTarget !== "boolean") throw new TypeError(`${where}: logTarget must be a boolean, got ${JSON.stringify(o.logTarget)}`);
      return { reduction, logTarget: o.logTarget ?? false };
    });
  }
  /**
   * The divergence of log-probabilities `input` from `target` (same shape).
   *
   * ```ts
   * const logP = torch.tensor([[0.5, 0.5]]).log();
   * new nn.KLDivLoss({ reduction: "sum", logTarget: true }).forward(logP, logP); // tensor(0.)
   * ```
   */
  forward(input: Tensor, target: Tensor): Tensor { return L.klDiv(input, target, { reduction: this.reduction, logTarget: this.logTarget }); }
}
