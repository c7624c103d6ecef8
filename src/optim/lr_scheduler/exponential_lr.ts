import { LRScheduler } from "./base.js";
import { checkKeys, num } from "./check.js";
import { finite, SCHEDULER_STATE, type StateSchema } from "./state.js";

export interface ExponentialLROptions {
  /** Multiplicative factor of learning rate decay per epoch. Required. */
  gamma: number;
  lastEpoch?: number;
}

/**
 * Decays each group's lr by `gamma` every epoch.
 *
 * ```ts
 * const sched = new ExponentialLR(opt, { gamma: 0.95 });
 * ```
 */
export class ExponentialLR extends LRScheduler {
  gamma: number;

  constructor(optimizer: unknown, options: ExponentialLROptions) {
    super("ExponentialLR", optimizer, options?.lastEpoch);
    checkKeys("ExponentialLR", options, ["gamma", "lastEpoch"]);
    this.gamma = num("ExponentialLR", "gamma", options?.gamma);
    this._init(options.lastEpoch ?? -1);
  }

  override getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    // when resuming (lastEpoch >= 0) the initial step must not decay once more
    if (this._isInitial) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * this.gamma);
  }

  override _getClosedFormLr(): number[] {
    return this.baseLrs.map((b) => b * this.gamma ** this.lastEpoch);
  }

  override _stateSchema(): StateSchema {
    return { gamma: finite, ...SCHEDULER_STATE };
  }
}
