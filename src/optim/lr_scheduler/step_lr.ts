import { LRScheduler } from "./base.js";
import { bisectRight, checkKeys, int, milestones, num } from "./check.js";
import { finite, increasing, intAtLeast, SCHEDULER_STATE, type StateSchema } from "./state.js";

export interface StepLROptions {
  /** Period of learning rate decay, in epochs. Required. */
  stepSize: number;
  /** Multiplicative factor of learning rate decay. Default 0.1. */
  gamma?: number;
  lastEpoch?: number;
}

/**
 * Decays each group's lr by `gamma` every `stepSize` epochs.
 *
 * ```ts
 * // lr = 0.05 for epochs 0..29, 0.005 for 30..59, 0.0005 for 60..89, …
 * const sched = new StepLR(opt, { stepSize: 30, gamma: 0.1 });
 * ```
 */
export class StepLR extends LRScheduler {
  stepSize: number;
  gamma: number;

  constructor(optimizer: unknown, options: StepLROptions) {
    super("StepLR", optimizer, options?.lastEpoch);
    checkKeys("StepLR", options, ["stepSize", "gamma", "lastEpoch"]);
    this.stepSize = int("StepLR", "stepSize", options?.stepSize, undefined, 1);
    this.gamma = num("StepLR", "gamma", options.gamma, 0.1);
    this._init(options.lastEpoch ?? -1);
  }

  override getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * this.gamma);
  }

  override _getClosedFormLr(): number[] {
    return this.baseLrs.map((b) => b * this.gamma ** Math.floor(this.lastEpoch / this.stepSize));
  }

  override _stateSchema(): StateSchema {
    return { stepSize: intAtLeast(1), gamma: finite, ...SCHEDULER_STATE };
  }
}

export interface MultiStepLROptions {
  /** Epoch indices, increasing. A milestone listed n times decays by gamma**n. Required. */
  milestones: number[];
  /** Multiplicative factor of learning rate decay. Default 0.1. */
  gamma?: number;
  lastEpoch?: number;
}

/**
 * Decays each group's lr by `gamma` when the epoch reaches one of the milestones.
 *
 * ```ts
 * // lr = 0.05 for epochs 0..29, 0.005 for 30..79, 0.0005 from 80
 * const sched = new MultiStepLR(opt, { milestones: [30, 80], gamma: 0.1 });
 * ```
 */
export class MultiStepLR extends LRScheduler {
  /** Sorted, with repeats (PyTorch keeps a `Counter`). */
  milestones: number[];
  gamma: number;

  constructor(optimizer: unknown, options: MultiStepLROptions) {
    super("MultiStepLR", optimizer, options?.lastEpoch);
    checkKeys("MultiStepLR", options, ["milestones", "gamma", "lastEpoch"]);
    this.milestones = milestones("MultiStepLR", "milestones", options?.milestones, false);
    this.gamma = num("MultiStepLR", "gamma", options.gamma, 0.1);
    this._init(options.lastEpoch ?? -1);
  }

  override getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    const count = this.milestones.filter((m) => m === this.lastEpoch).length;
    if (count === 0) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * this.gamma ** count);
  }

  override _getClosedFormLr(): number[] {
    return this.baseLrs.map((b) => b * this.gamma ** bisectRight(this.milestones, this.lastEpoch));
  }

  override _stateSchema(): StateSchema {
    return { milestones: increasing(false), gamma: finite, ...SCHEDULER_STATE };
  }
}
