import { LRScheduler } from "./base.js";
import { checkKeys, num } from "./check.js";
import { finite, SCHEDULER_STATE, type StateSchema } from "./state.js";

/**
 * Options of `ExponentialLR`: `gamma` (required), `lastEpoch = -1`.
 *
 * ```ts
 * const opts: optim.lrScheduler.ExponentialLROptions = { gamma: 0.95 };
 * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
 * new optim.lrScheduler.ExponentialLR(opt, opts).gamma; // 0.95
 * ```
 */
export interface ExponentialLROptions {
  /** Multiplicative factor of learning rate decay per epoch. Required. */
  gamma: number;
  /** The index of the last epoch when resuming (default −1: start; ≥ 0 needs `initialLr` in every group). */
  lastEpoch?: number;
}

/**
 * Decays each group's lr by `gamma` every epoch, as `torch.optim.lr_scheduler.ExponentialLR`:
 * lr = baseLr · gamma^epoch.
 *
 * ```ts
 * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
 * const sched = new optim.lrScheduler.ExponentialLR(opt, { gamma: 0.5 });
 * const lrs: number[] = [];
 * for (let epoch = 0; epoch < 4; epoch++) {
 *   lrs.push(sched.getLastLr()[0]);
 *   opt.step(); // a training epoch
 *   sched.step();
 * }
 * lrs; // [0.1, 0.05, 0.025, 0.0125]
 * ```
 */
export class ExponentialLR extends LRScheduler {
  /**
   * The multiplicative factor per epoch.
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * new optim.lrScheduler.ExponentialLR(opt, { gamma: 0.9 }).gamma; // 0.9
   * ```
   */
  gamma: number;

  constructor(optimizer: unknown, options: ExponentialLROptions) {
    super("ExponentialLR", optimizer, options?.lastEpoch);
    checkKeys("ExponentialLR", options, ["gamma", "lastEpoch"]);
    this.gamma = num("ExponentialLR", "gamma", options?.gamma);
    this._init(options.lastEpoch ?? -1);
  }

  /**
   * ExponentialLR's rule for the learning rates at `lastEpoch` (PyTorch's `get_lr`): what `step()`
   * calls. Outside a step it recomputes from the groups' current lr, as PyTorch's does (which
   * warns), so read the current rates with `getLastLr()`.
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * const sched = new optim.lrScheduler.ExponentialLR(opt, { gamma: 0.5 });
   * opt.step();
   * sched.step();
   * sched.getLastLr(); // [0.05]
   * sched.getLr();     // [0.025]
   * ```
   */
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
