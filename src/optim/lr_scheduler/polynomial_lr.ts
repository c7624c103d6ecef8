import { LRScheduler } from "./base.js";
import { checkKeys, int, num } from "./check.js";
import { finite, intAtLeast, SCHEDULER_STATE, type StateSchema } from "./state.js";

export interface PolynomialLROptions {
  /** Number of steps over which the lr decays to 0. Default 5. */
  totalIters?: number;
  /** Power of the polynomial. Default 1. */
  power?: number;
  lastEpoch?: number;
}

/**
 * Decays each group's lr as `baseLr * (1 - epoch / totalIters) ** power`, reaching 0 at
 * `totalIters` (computed recursively, as PyTorch does).
 *
 * ```ts
 * const sched = new PolynomialLR(opt, { totalIters: 50, power: 0.9 });
 * ```
 */
export class PolynomialLR extends LRScheduler {
  totalIters: number;
  power: number;

  constructor(optimizer: unknown, options: PolynomialLROptions = {}) {
    super("PolynomialLR", optimizer, options?.lastEpoch);
    checkKeys("PolynomialLR", options, ["totalIters", "power", "lastEpoch"]);
    this.totalIters = int("PolynomialLR", "totalIters", options.totalIters, 5, 1);
    this.power = num("PolynomialLR", "power", options.power, 1.0);
    this._init(options.lastEpoch ?? -1);
  }

  override getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this._isInitial || this.lastEpoch > this.totalIters) return groups.map((g) => g.lr);
    const decay =
      ((1.0 - this.lastEpoch / this.totalIters) / (1.0 - (this.lastEpoch - 1) / this.totalIters)) ** this.power;
    return groups.map((g) => g.lr * decay);
  }

  override _getClosedFormLr(): number[] {
    const t = Math.min(this.totalIters, this.lastEpoch);
    return this.baseLrs.map((b) => b * (1.0 - t / this.totalIters) ** this.power);
  }

  override _stateSchema(): StateSchema {
    return { totalIters: intAtLeast(1), power: finite, ...SCHEDULER_STATE };
  }
}
