import { LRScheduler } from "./base.js";
import { checkKeys, inRange, int } from "./check.js";
import { intAtLeast, SCHEDULER_STATE, within, type StateSchema } from "./state.js";

/**
 * Options of `ConstantLR` (PyTorch's defaults): `factor = 1/3`, `totalIters = 5`, `lastEpoch = -1`.
 *
 * ```ts
 * const opts: optim.lrScheduler.ConstantLROptions = { factor: 0.5 };
 * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
 * new optim.lrScheduler.ConstantLR(opt, opts).getLastLr(); // [0.05]
 * ```
 */
export interface ConstantLROptions {
  /** Multiplies the lr until `totalIters`; in [0, 1]. Default 1/3. */
  factor?: number;
  /** Number of steps the factor applies. Default 5. */
  totalIters?: number;
  /** The index of the last epoch when resuming (default −1: start; ≥ 0 needs `initialLr` in every group). */
  lastEpoch?: number;
}

/**
 * Multiplies each group's lr by a constant `factor` until the epoch reaches `totalIters`, as
 * `torch.optim.lr_scheduler.ConstantLR` (a simple warm-up).
 *
 * ```ts
 * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
 * const sched = new optim.lrScheduler.ConstantLR(opt, { factor: 0.5, totalIters: 2 });
 * const lrs: number[] = [];
 * for (let epoch = 0; epoch < 4; epoch++) {
 *   lrs.push(sched.getLastLr()[0]);
 *   opt.step(); // a training epoch
 *   sched.step();
 * }
 * lrs; // [0.05, 0.05, 0.1, 0.1]
 * ```
 */
export class ConstantLR extends LRScheduler {
  /**
   * The factor applied until `totalIters` (default 1/3).
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * new optim.lrScheduler.ConstantLR(opt, { factor: 0.5 }).factor; // 0.5
   * ```
   */
  factor: number;
  /**
   * The number of epochs the factor applies (default 5).
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * new optim.lrScheduler.ConstantLR(opt).totalIters; // 5
   * ```
   */
  totalIters: number;

  constructor(optimizer: unknown, options: ConstantLROptions = {}) {
    super("ConstantLR", optimizer, options?.lastEpoch);
    checkKeys("ConstantLR", options, ["factor", "totalIters", "lastEpoch"]);
    this.factor = inRange("ConstantLR", "factor", options.factor, 1 / 3, 0, 1);
    this.totalIters = int("ConstantLR", "totalIters", options.totalIters, 5, 1);
    this._init(options.lastEpoch ?? -1);
  }

  /**
   * ConstantLR's rule for the learning rates at `lastEpoch` (PyTorch's `get_lr`): what `step()`
   * calls. Outside a step it recomputes from the groups' current lr, as PyTorch's does (which
   * warns), so read the current rates with `getLastLr()`.
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * const sched = new optim.lrScheduler.ConstantLR(opt, { factor: 0.5, totalIters: 1 });
   * opt.step();
   * sched.step();
   * sched.getLastLr(); // [0.1]
   * sched.getLr();     // [0.2]
   * ```
   */
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
