import { LRScheduler } from "./base.js";
import { checkKeys, inRange, int } from "./check.js";
import { intAtLeast, SCHEDULER_STATE, within, type StateSchema } from "./state.js";

/**
 * Options of `LinearLR` (PyTorch's defaults): `startFactor = 1/3`, `endFactor = 1`,
 * `totalIters = 5`, `lastEpoch = -1`.
 *
 * ```ts
 * const opts: optim.lrScheduler.LinearLROptions = { startFactor: 0.1, totalIters: 10 };
 * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
 * new optim.lrScheduler.LinearLR(opt, opts).getLastLr(); // [0.01]
 * ```
 */
export interface LinearLROptions {
  /** Factor at epoch 0; in (0, 1]. Default 1/3. */
  startFactor?: number;
  /** Factor from `totalIters` on; in [0, 1]. Default 1. */
  endFactor?: number;
  /** Number of steps from `startFactor` to `endFactor`. Default 5. */
  totalIters?: number;
  /** The index of the last epoch when resuming (default −1: start; ≥ 0 needs `initialLr` in every group). */
  lastEpoch?: number;
}

/**
 * Scales each group's lr by a factor that moves linearly from `startFactor` to `endFactor`
 * over `totalIters` steps, as `torch.optim.lr_scheduler.LinearLR` (a warm-up when
 * `startFactor < endFactor`).
 *
 * ```ts
 * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
 * const sched = new optim.lrScheduler.LinearLR(opt, { startFactor: 0.25, totalIters: 3 });
 * const lrs: number[] = [];
 * for (let epoch = 0; epoch < 5; epoch++) {
 *   lrs.push(sched.getLastLr()[0]);
 *   opt.step(); // a training epoch
 *   sched.step();
 * }
 * lrs; // [0.025, 0.05, 0.075, 0.1, 0.1]
 * ```
 */
export class LinearLR extends LRScheduler {
  /**
   * The factor at epoch 0 (default 1/3).
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * new optim.lrScheduler.LinearLR(opt, { startFactor: 0.25 }).startFactor; // 0.25
   * ```
   */
  startFactor: number;
  /**
   * The factor from `totalIters` on (default 1).
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * new optim.lrScheduler.LinearLR(opt).endFactor; // 1
   * ```
   */
  endFactor: number;
  /**
   * The number of epochs from `startFactor` to `endFactor` (default 5).
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * new optim.lrScheduler.LinearLR(opt, { totalIters: 10 }).totalIters; // 10
   * ```
   */
  totalIters: number;

  constructor(optimizer: unknown, options: LinearLROptions = {}) {
    super("LinearLR", optimizer, options?.lastEpoch);
    checkKeys("LinearLR", options, ["startFactor", "endFactor", "totalIters", "lastEpoch"]);
    this.startFactor = inRange("LinearLR", "startFactor", options.startFactor, 1 / 3, 0, 1, true);
    this.endFactor = inRange("LinearLR", "endFactor", options.endFactor, 1, 0, 1);
    this.totalIters = int("LinearLR", "totalIters", options.totalIters, 5, 1);
    this._init(options.lastEpoch ?? -1);
  }

  /**
   * LinearLR's rule for the learning rates at `lastEpoch` (PyTorch's `get_lr`): what `step()`
   * calls. Outside a step it recomputes from the groups' current lr, as PyTorch's does (which
   * warns), so read the current rates with `getLastLr()`.
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * const sched = new optim.lrScheduler.LinearLR(opt, { startFactor: 0.5, totalIters: 2 });
   * opt.step();
   * sched.step();
   * sched.getLastLr(); // [0.075]
   * sched.getLr();     // [0.1125]
   * ```
   */
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
