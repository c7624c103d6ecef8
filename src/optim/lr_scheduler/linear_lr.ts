import { LRScheduler } from "./base.js";
import { checkKeys, inRange, int } from "./check.js";
import { intAtLeast, SCHEDULER_STATE, within, type StateSchema } from "./state.js";

export interface LinearLROptions {
  /** Factor at epoch 0; in (0, 1]. Default 1/3. */
  startFactor?: number;
  /** Factor from `totalIters` on; in [0, 1]. Default 1. */
  endFactor?: number;
  /** Number of steps from `startFactor` to `endFactor`. Default 5. */
  totalIters?: number;
  lastEpoch?: number;
}

/**
 * Scales each group's lr by a factor that moves linearly from `startFactor` to `endFactor`
 * over `totalIters` steps (a warm-up when `startFactor < endFactor`).
 *
 * ```ts
 * const sched = new LinearLR(opt, { startFactor: 0.05, totalIters: 40 });
 * ```
 */
export class LinearLR extends LRScheduler {
  startFactor: number;
  endFactor: number;
  totalIters: number;

  constructor(optimizer: unknown, options: LinearLROptions = {}) {
    super("LinearLR", optimizer, options?.lastEpoch);
    checkKeys("LinearLR", options, ["startFactor", "endFactor", "totalIters", "lastEpoch"]);
    this.startFactor = inRange("LinearLR", "startFactor", options.startFactor, 1 / 3, 0, 1, true);
    this.endFactor = inRange("LinearLR", "endFactor", options.endFactor, 1, 0, 1);
    this.totalIters = int("LinearLR", "totalIters", options.totalIters, 5, 1);
    this._init(options.lastEpoch ?? -1);
  }

  override getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch === 0) return groups.map((g) => g.lr * this.startFactor);
    if (this._isInitial || this.lastEpoch > this.totalIters) return groups.map((g) => g.lr);
    const d = this.endFactor - this.startFactor;
    // PyTorch's ratio of consecutive factors, same operation order
    const ratio = 1.0 + d / (this.totalIters * this.startFactor + (this.lastEpoch - 1) * d);
    return groups.map((g) => g.lr * ratio);
  }

  override _getClosedFormLr(): number[] {
    const d = this.endFactor - this.startFactor;
    const t = Math.min(this.totalIters, this.lastEpoch);
    return this.baseLrs.map((b) => b * (this.startFactor + (d * t) / this.totalIters));
  }

  override _stateSchema(): StateSchema {
    return { startFactor: within(0, 1, true), endFactor: within(0, 1), totalIters: intAtLeast(1), ...SCHEDULER_STATE };
  }
}
