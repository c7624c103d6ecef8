import { LRScheduler } from "./base.js";
import { bisectRight, checkKeys, int, milestones, num } from "./check.js";
import { finite, increasing, intAtLeast, SCHEDULER_STATE, type StateSchema } from "./state.js";

/**
 * Options of `StepLR`: `stepSize` (required), `gamma = 0.1`, `lastEpoch = -1`.
 *
 * ```ts
 * const opts: optim.lrScheduler.StepLROptions = { stepSize: 30 };
 * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
 * new optim.lrScheduler.StepLR(opt, opts).gamma; // 0.1
 * ```
 */
export interface StepLROptions {
  /** Period of learning rate decay, in epochs. Required. */
  stepSize: number;
  /** Multiplicative factor of learning rate decay. Default 0.1. */
  gamma?: number;
  /** The index of the last epoch when resuming (default −1: start; ≥ 0 needs `initialLr` in every group, as after loading the optimizer's state dict). */
  lastEpoch?: number;
}

/**
 * Decays each group's lr by `gamma` every `stepSize` epochs, as
 * `torch.optim.lr_scheduler.StepLR`: lr = baseLr · gamma^⌊epoch / stepSize⌋.
 *
 * ```ts
 * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
 * const sched = new optim.lrScheduler.StepLR(opt, { stepSize: 2, gamma: 0.1 });
 * const lrs: number[] = [];
 * for (let epoch = 0; epoch < 6; epoch++) {
 *   lrs.push(sched.getLastLr()[0]);
 *   opt.step(); // a training epoch
 *   sched.step();
 * }
 * lrs; // [0.1, 0.1, 0.01, 0.01, 0.001, 0.001]
 * ```
 */
export class StepLR extends LRScheduler {
  /**
   * The period of the decay, in epochs.
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * new optim.lrScheduler.StepLR(opt, { stepSize: 30 }).stepSize; // 30
   * ```
   */
  stepSize: number;
  /**
   * The multiplicative factor of the decay (default 0.1).
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * new optim.lrScheduler.StepLR(opt, { stepSize: 30, gamma: 0.5 }).gamma; // 0.5
   * ```
   */
  gamma: number;

  constructor(optimizer: unknown, options: StepLROptions) {
    super("StepLR", optimizer, options?.lastEpoch);
    checkKeys("StepLR", options, ["stepSize", "gamma", "lastEpoch"]);
    this.stepSize = int("StepLR", "stepSize", options?.stepSize, undefined, 1);
    this.gamma = num("StepLR", "gamma", options.gamma, 0.1);
    this._init(options.lastEpoch ?? -1);
  }

  /**
   * StepLR's rule for the learning rates at `lastEpoch` (PyTorch's `get_lr`): what `step()`
   * calls. Outside a step it recomputes from the groups' current lr, as PyTorch's does (which
   * warns), so read the current rates with `getLastLr()`.
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * const sched = new optim.lrScheduler.StepLR(opt, { stepSize: 1, gamma: 0.5 });
   * opt.step();
   * sched.step();
   * sched.getLastLr(); // [0.05]
   * sched.getLr();     // [0.025]
   * ```
   */
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

/**
 * Options of `MultiStepLR`: `milestones` (required), `gamma = 0.1`, `lastEpoch = -1`.
 *
 * ```ts
 * const opts: optim.lrScheduler.MultiStepLROptions = { milestones: [10, 20] };
 * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
 * new optim.lrScheduler.MultiStepLR(opt, opts).milestones; // [10, 20]
 * ```
 */
export interface MultiStepLROptions {
  /** Epoch indices, in any order (kept sorted). A milestone listed n times decays by gamma**n. Required. */
  milestones: number[];
  /** Multiplicative factor of learning rate decay. Default 0.1. */
  gamma?: number;
  /** The index of the last epoch when resuming (default −1: start). */
  lastEpoch?: number;
}

/**
 * Decays each group's lr by `gamma` each time the epoch reaches one of the milestones, as
 * `torch.optim.lr_scheduler.MultiStepLR`.
 *
 * ```ts
 * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
 * const sched = new optim.lrScheduler.MultiStepLR(opt, { milestones: [2, 4], gamma: 0.1 });
 * const lrs: number[] = [];
 * for (let epoch = 0; epoch < 6; epoch++) {
 *   lrs.push(sched.getLastLr()[0]);
 *   opt.step(); // a training epoch
 *   sched.step();
 * }
 * lrs; // [0.1, 0.1, 0.01, 0.01, 0.001, 0.001]
 * ```
 */
export class MultiStepLR extends LRScheduler {
  /**
   * The epochs at which the lr decays, sorted, with repeats (PyTorch keeps a `Counter`): a
   * milestone listed n times decays by gamma^n.
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * new optim.lrScheduler.MultiStepLR(opt, { milestones: [20, 10, 10] }).milestones; // [10, 10, 20]
   * ```
   */
  milestones: number[];
  /**
   * The multiplicative factor of the decay (default 0.1).
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * new optim.lrScheduler.MultiStepLR(opt, { milestones: [10] }).gamma; // 0.1
   * ```
   */
  gamma: number;

  constructor(optimizer: unknown, options: MultiStepLROptions) {
    super("MultiStepLR", optimizer, options?.lastEpoch);
    checkKeys("MultiStepLR", options, ["milestones", "gamma", "lastEpoch"]);
    this.milestones = milestones("MultiStepLR", "milestones", options?.milestones, false);
    this.gamma = num("MultiStepLR", "gamma", options.gamma, 0.1);
    this._init(options.lastEpoch ?? -1);
  }

  /**
   * MultiStepLR's rule for the learning rates at `lastEpoch` (PyTorch's `get_lr`): what `step()`
   * calls. Outside a step it recomputes from the groups' current lr, as PyTorch's does (which
   * warns), so read the current rates with `getLastLr()`.
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * const sched = new optim.lrScheduler.MultiStepLR(opt, { milestones: [1], gamma: 0.5 });
   * opt.step();
   * sched.step();
   * sched.getLastLr(); // [0.05]
   * sched.getLr();     // [0.025]
   * ```
   */
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
