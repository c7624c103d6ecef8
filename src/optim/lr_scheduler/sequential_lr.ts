import { groupValues, LRScheduler, setLrs } from "./base.js";
import { bad, bisectRight, checkKeys, checkOptimizer, int, milestones } from "./check.js";
import { checkSchedulers, CompositeScheduler } from "./composite.js";
import { increasing, intAtLeast, perGroupNumbers, type StateContext, type StateSchema } from "./state.js";

export interface SequentialLROptions {
  /** Schedulers of the same optimizer, run one after the other. Required. */
  schedulers: LRScheduler[];
  /** Epochs at which the next scheduler takes over; one fewer than the schedulers. Required. */
  milestones: number[];
  lastEpoch?: number;
}

/**
 * Runs schedulers one after another: `schedulers[i]` from `milestones[i-1]` on. At a
 * milestone the next scheduler restarts from epoch 0 (closed form where it has one).
 *
 * ```ts
 * const warmup = new ConstantLR(opt, { factor: 0.1, totalIters: 2 });
 * const decay = new ExponentialLR(opt, { gamma: 0.9 });
 * const sched = new SequentialLR(opt, { schedulers: [warmup, decay], milestones: [2] });
 * ```
 */
export class SequentialLR extends CompositeScheduler {
  _milestones: number[];

  constructor(optimizer: unknown, options: SequentialLROptions) {
    const owner = "SequentialLR";
    const opt = checkOptimizer(owner, optimizer);
    super(owner, opt);
    checkKeys(owner, options, ["schedulers", "milestones", "lastEpoch"]);
    const schedulers = checkSchedulers(owner, options?.schedulers, opt);
    const ms = milestones(owner, "milestones", options.milestones, true);
    if (ms.length !== schedulers.length - 1) {
      throw new RangeError(
        `${owner}: Sequential Schedulers expects number of schedulers provided to be one more than the ` +
          `number of milestone points, but got number of schedulers ${schedulers.length} and the number of ` +
          `milestones to be equal to ${ms.length}`,
      );
    }
    const lastEpoch = int(owner, "lastEpoch", options.lastEpoch, -1, -1);
    opt.paramGroups.forEach((g, i) => {
      if (!("initialLr" in g)) throw new Error(`${owner}: paramGroups[${i}] has no initialLr`);
    });

    this._schedulers = schedulers;
    this._milestones = ms;
    this.lastEpoch = lastEpoch + 1;
    // reset learning rates back to initial values
    setLrs(owner, opt, groupValues(opt, "initialLr"));
    // "undo" the step performed by the other schedulers' construction
    this.recursiveUndo();
    // perform the initial step for only the scheduler meant to run at step 0
    const idx = bisectRight(this._milestones, 0);
    this._schedulers[idx]._initialStep();
    this._lastLr = this._schedulers[idx].getLastLr();
  }

  /** Recursively undoes the step that the schedulers' construction performed. */
  recursiveUndo(sched?: LRScheduler): void {
    const s: LRScheduler = sched ?? this;
    if ("_schedulers" in s) {
      for (const c of (s as SequentialLR)._schedulers) this.recursiveUndo(c);
    } else if (typeof s.lastEpoch === "number") {
      s.lastEpoch -= 1;
    }
  }

  override step(): void {
    this._atomically(() => {
      this.lastEpoch += 1;
      const idx = bisectRight(this._milestones, this.lastEpoch);
      const scheduler = this._schedulers[idx];
      if (idx > 0 && this._milestones[idx - 1] === this.lastEpoch) scheduler._updateLr(0);
      else scheduler.step();
      this._lastLr = scheduler.getLastLr();
    });
  }

  override _stateSchema(): StateSchema {
    return {
      _milestones: increasing(true), lastEpoch: intAtLeast(-1), _lastLr: perGroupNumbers,
      _schedulers: this._childStates(),
    };
  }

  override _checkStateTogether(state: Record<string, unknown>, ctx: StateContext, path: string): void {
    const n = this._schedulers.length - 1;
    const ms = state._milestones as number[];
    if (ms.length !== n) bad(ctx.owner, `${path}_milestones`, `${n} milestones (one fewer than the schedulers)`, ms);
  }
}
