import { LRScheduler } from "./base.js";
import { checkKeys, inRange, int } from "./check.js";
import { intAtLeast, SCHEDULER_STATE, within, type StateSchema } from "./state.js";

export interface ConstantLROptions {
  /** Multiplies the lr until `totalIters`; in [0, 1]. Default 1/3. */
  factor?: number;
  /** Number of steps the factor applies. Default 5. */
  totalIters?: number;
  lastEpoch?: number;
}

/**
 * Multiplies each group's lr by a constant `factor` until the epoch reaches `totalIters`.
 *
 * ```ts
 * // lr = 0.025 for epochs 0..39, then 0.05 (initial lr 0.05)
 * const sched = new ConstantLR(opt, { factor: 0.5, totalIters: 40 });
 * ```
 */
export class ConstantLR extends LRScheduler {
  factor: number;
  totalIters: number;

  constructor(optimizer: unknown, options: ConstantLROptions = {}) {
    super("ConstantLR", optimizer, options?.lastEpoch);
    checkKeys("ConstantLR", options, ["factor", "totalIters", "lastEpoch"]);
    this.factor = inRange("ConstantLR", "factor", options.factor, 1 / 3, 0, 1);
    this.totalIters = int("ConstantLR", "totalIters", options.totalIters, 5, 1);
    this._init(options.lastEpoch ?? -1);
  }

  override getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch === 0) return groups.map((g) => g.lr * this.factor);
    if (this.lastEpoch !== this.totalIters) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * (1.0 / this.factor));
  }

  override _getClosedFormLr(): number[] {
    const past = this.lastEpoch >= this.totalIters ? 1 : 0;
    return this.baseLrs.map((b) => b * (this.factor + past * (1 - this.factor)));
  }

  override _stateSchema(): StateSchema {
    return { factor: within(0, 1), totalIters: intAtLeast(1), ...SCHEDULER_STATE };
  }
}
