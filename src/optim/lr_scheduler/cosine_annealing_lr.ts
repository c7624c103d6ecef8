import { checkGroupCount, LRScheduler } from "./base.js";
import { checkKeys, num, positive } from "./check.js";
import { finite, positiveNumber, SCHEDULER_STATE, type StateSchema } from "./state.js";

export interface CosineAnnealingLROptions {
  /** Maximum number of iterations (half a period). Required. */
  TMax: number;
  /** Minimum learning rate. Default 0. */
  etaMin?: number;
  lastEpoch?: number;
}

/**
 * Cosine annealing from each group's initial lr down to `etaMin` over `TMax` epochs (SGDR
 * without restarts; past `TMax` the lr rises again, period `2 * TMax`):
 *
 *   lr_t = etaMin + (baseLr - etaMin) * (1 + cos(pi * t / TMax)) / 2
 *
 * computed by PyTorch's recursion
 *   lr_{t+1} = etaMin + (lr_t - etaMin) * (1 + cos(pi (t+1) / TMax)) / (1 + cos(pi t / TMax)),
 * so it composes with other schedulers. https://arxiv.org/abs/1608.03983
 *
 * ```ts
 * const sched = new CosineAnnealingLR(opt, { TMax: 100 });
 * ```
 */
export class CosineAnnealingLR extends LRScheduler {
  TMax: number;
  etaMin: number;

  constructor(optimizer: unknown, options: CosineAnnealingLROptions) {
    super("CosineAnnealingLR", optimizer, options?.lastEpoch);
    checkKeys("CosineAnnealingLR", options, ["TMax", "etaMin", "lastEpoch"]);
    this.TMax = positive("CosineAnnealingLR", "TMax", options?.TMax);
    this.etaMin = num("CosineAnnealingLR", "etaMin", options.etaMin, 0.0);
    this._init(options.lastEpoch ?? -1);
  }

  override getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    const { TMax, etaMin, lastEpoch: t } = this;
    if (this._isInitial) return groups.map((g) => g.lr);
    if (this._stepCount === 1 && t > 0) {
      // first step after resuming: closed form (PyTorch's operand order)
      return this.baseLrs.map((b) => etaMin + ((b - etaMin) * (1 + Math.cos((t * Math.PI) / TMax))) / 2);
    }
    if ((t - 1 - TMax) % (2 * TMax) === 0) {
      // at the bottom the ratio below would be 0/0: add the first step of the rise (PyTorch
      // zips base_lrs with the groups here, strict: a group added later raises)
      checkGroupCount(this._name, this.optimizer, this.baseLrs.length, "base learning rates");
      return groups.map((g, i) => g.lr + ((this.baseLrs[i] - etaMin) * (1 - Math.cos(Math.PI / TMax))) / 2);
    }
    const ratio = (1 + Math.cos((Math.PI * t) / TMax)) / (1 + Math.cos((Math.PI * (t - 1)) / TMax));
    return groups.map((g) => ratio * (g.lr - etaMin) + etaMin);
  }

  override _getClosedFormLr(): number[] {
    const { TMax, etaMin, lastEpoch: t } = this;
    return this.baseLrs.map((b) => etaMin + ((b - etaMin) * (1 + Math.cos((Math.PI * t) / TMax))) / 2);
  }

  override _stateSchema(): StateSchema {
    return { TMax: positiveNumber, etaMin: finite, ...SCHEDULER_STATE };
  }
}
