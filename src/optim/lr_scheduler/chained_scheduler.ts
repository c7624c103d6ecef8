import type { Optimizer } from "../optimizer.js";
import { groupValues, type LRScheduler } from "./base.js";
import { checkKeys, checkOptimizer } from "./check.js";
import { checkSchedulers, CompositeScheduler } from "./composite.js";
import { perGroupNumbers, type StateSchema } from "./state.js";

/**
 * Options of `ChainedScheduler`: `optimizer` (default: the first scheduler's; every
 * scheduler must belong to it).
 *
 * ```ts
 * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
 * const opts: optim.lrScheduler.ChainedSchedulerOptions = { optimizer: opt };
 * new optim.lrScheduler.ChainedScheduler([new optim.lrScheduler.ExponentialLR(opt, { gamma: 0.9 })], opts).optimizer === opt; // true
 * ```
 */
export interface ChainedSchedulerOptions {
  /** Default: the first scheduler's optimizer. */
  optimizer?: Optimizer;
}

/**
 * Steps several chainable schedulers of one optimizer together, as
 * `torch.optim.lr_scheduler.ChainedScheduler`: each `step()` calls every scheduler's
 * `step()` in order, so their effects multiply.
 *
 * ```ts
 * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
 * const sched = new optim.lrScheduler.ChainedScheduler([
 *   new optim.lrScheduler.ConstantLR(opt, { factor: 0.1, totalIters: 2 }),
 *   new optim.lrScheduler.ExponentialLR(opt, { gamma: 0.9 }),
 * ]);
 * const lrs: number[] = [];
 * for (let epoch = 0; epoch < 4; epoch++) {
 *   lrs.push(sched.getLastLr()[0]);
 *   opt.step();
 *   sched.step();
 * }
 * lrs; // [0.01, 0.009, 0.081, 0.0729]
 * ```
 */
export class ChainedScheduler extends CompositeScheduler {
  constructor(schedulers: LRScheduler[], options: ChainedSchedulerOptions = {}) {
    const owner = "ChainedScheduler";
    checkKeys(owner, options, ["optimizer"]);
    const given = options?.optimizer === undefined ? undefined : checkOptimizer(owner, options.optimizer);
    const scheds = checkSchedulers(owner, schedulers, given);
    const opt = given ?? scheds[0].optimizer;
    super(owner, opt);
    this._schedulers = scheds;
    this._lastLr = groupValues(scheds[scheds.length - 1].optimizer, "lr");
  }

  /**
   * Steps every scheduler in order; if one throws, the ones before it are put back too.
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * const sched = new optim.lrScheduler.ChainedScheduler([
   *   new optim.lrScheduler.StepLR(opt, { stepSize: 1, gamma: 0.5 }),
   *   new optim.lrScheduler.ExponentialLR(opt, { gamma: 0.5 }),
   * ]);
   * sched.step();
   * sched.getLastLr(); // [0.025]
   * ```
   */
  override step(): void {
    this._atomically(() => {
      for (const s of this._schedulers) s.step();
      this._lastLr = groupValues(this._schedulers[this._schedulers.length - 1].optimizer, "lr");
    });
  }

  override _stateSchema(): StateSchema {
    return { _lastLr: perGroupNumbers, _schedulers: this._childStates() };
  }
}
