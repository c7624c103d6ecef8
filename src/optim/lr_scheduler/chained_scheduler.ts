import type { Optimizer } from "../optimizer.js";
import { groupValues, type LRScheduler } from "./base.js";
import { checkKeys, checkOptimizer } from "./check.js";
import { checkSchedulers, CompositeScheduler } from "./composite.js";
import { perGroupNumbers, type StateSchema } from "./state.js";

export interface ChainedSchedulerOptions {
  /** Default: the first scheduler's optimizer. */
  optimizer?: Optimizer;
}

/**
 * Steps several chainable schedulers of one optimizer together: each `step()` calls every
 * scheduler's `step()` in order, so their effects multiply.
 *
 * ```ts
 * const sched = new ChainedScheduler([
 *   new ConstantLR(opt, { factor: 0.1, totalIters: 20 }),
 *   new ExponentialLR(opt, { gamma: 0.9 }),
 * ]);
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

  /** Steps every scheduler; if one throws, the ones before it are put back too. */
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
