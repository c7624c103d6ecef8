import type { Optimizer } from "../optimizer.js";
import { groupValues, LRScheduler } from "./base.js";
import { checkKeys, checkOptimizer } from "./check.js";
import { checkSchedulers } from "./sequential_lr.js";

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
export class ChainedScheduler extends LRScheduler {
  _schedulers: LRScheduler[];

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

  override step(): void {
    for (const s of this._schedulers) s.step();
    this._lastLr = groupValues(this._schedulers[this._schedulers.length - 1].optimizer, "lr");
  }

  override stateDict(): Record<string, unknown> {
    const { _schedulers: _, ...rest } = super.stateDict();
    return { ...rest, _schedulers: this._schedulers.map((s) => s.stateDict()) };
  }

  override loadStateDict(stateDict: Record<string, unknown>): void {
    const { _schedulers: children, ...rest } = stateDict;
    super.loadStateDict(rest);
    (children as Record<string, unknown>[]).forEach((sd, i) => this._schedulers[i].loadStateDict(sd));
  }
}
