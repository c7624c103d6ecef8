import { LRScheduler } from "./base.js";
import { checkKeys, int, num } from "./check.js";
import { finite, intAtLeast, SCHEDULER_STATE, type StateSchema } from "./state.js";

/**
 * Options of `PolynomialLR` (PyTorch's defaults): `totalIters = 5`, `power = 1`, `lastEpoch = -1`.
 *
 * ```ts
 * const opts: optim.lrScheduler.PolynomialLROptions = { totalIters: 100, power: 0.9 };
 * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
 * new optim.lrScheduler.PolynomialLR(opt, opts).power; // 0.9
 * ```
 */
export interface PolynomialLROptions {
  /** Number of steps over which the lr decays to 0. Default 5. */
  totalIters?: number;
  /** Power of the polynomial. Default 1. */
  power?: number;
  /** The index of the last epoch when resuming (default −1: start; ≥ 0 needs `initialLr` in every group). */
  lastEpoch?: number;
}

/**
 * Decays each group's lr as `baseLr · (1 − epoch / totalIters)^power`, reaching 0 at
 * `totalIters`, as `torch.optim.lr_scheduler.PolynomialLR` (computed recursively, as PyTorch
 * does).
 *
 * ```ts
 * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
 * const sched = new optim.lrScheduler.PolynomialLR(opt, { totalIters: 4, power: 2 });
 * const lrs: number[] = [];
 * for (let epoch = 0; epoch < 6; epoch++) {
 *   lrs.push(sched.getLastLr()[0]);
 *   opt.step(); // a training epoch
 *   sched.step();
 * }
 * lrs; // [0.1, 0.05625, 0.025, 0.00625, 0, 0]
 * ```
 */
export class PolynomialLR extends LRScheduler {
  /**
   * The number of epochs over which the lr decays to 0 (default 5).
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * new optim.lrScheduler.PolynomialLR(opt).totalIters; // 5
   * ```
   */
  totalIters: number;
  /**
   * The power of the polynomial (default 1: linear).
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * new optim.lrScheduler.PolynomialLR(opt).power; // 1
   * ```
   */
  power: number;

  constructor(optimizer: unknown, options: PolynomialLROptions = {}) {
    super("PolynomialLR", optimizer, options?.lastEpoch);
    checkKeys("PolynomialLR", options, ["totalIters", "power", "lastEpoch"]);
    this.totalIters = int("PolynomialLR", "totalIters", options.totalIters, 5, 1);
    this.power = num("PolynomialLR", "power", options.power, 1.0);
    this._init(options.lastEpoch ?? -1);
  }

  /**
   * PolynomialLR's rule for the learning rates at `lastEpoch` (PyTorch's `get_lr`): what `step()`
   * calls. Outside a step it recomputes from the groups' current lr, as PyTorch's does (which
   * warns), so read the current rates with `getLastLr()`.
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * const sched = new optim.lrScheduler.PolynomialLR(opt, { totalIters: 4 });
   * opt.step();
   * sched.step();
   * sched.getLastLr(); // [0.075]
   * sched.getLr();     // [0.05625]
   * ```
   */
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
