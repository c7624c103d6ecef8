import { groupValues, LRScheduler, setLrs } from "./base.js";
import { bad, bisectRight, checkKeys, checkOptimizer, int, milestones } from "./check.js";
import { checkSchedulers, CompositeScheduler } from "./composite.js";
import { increasing, intAtLeast, perGroupNumbers, type StateContext, type StateSchema } from "./state.js";

/**
 * Options of `SequentialLR`: `schedulers` and `milestones` (required), `lastEpoch = -1`.
 *
 * ```ts
 * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
 * const opts: optim.lrScheduler.SequentialLROptions = {
 *   schedulers: [new optim.lrScheduler.LinearLR(opt, { startFactor: 0.1 }), new optim.lrScheduler.ExponentialLR(opt, { gamma: 0.9 })],
 *   milestones: [5],
 * };
 * new optim.lrScheduler.SequentialLR(opt, opts).getLastLr(); // [0.01]
 * ```
 */
export interface SequentialLROptions {
  /** Schedulers of the same optimizer, run one after the other. Required. */
  schedulers: LRScheduler[];
  /** Epochs at which the next scheduler takes over; one fewer than the schedulers. Required. */
  milestones: number[];
  /** The index of the last epoch when resuming (default −1: start). */
  lastEpoch?: number;
}

/**
 * Runs schedulers one after another, as `torch.optim.lr_scheduler.SequentialLR`:
 * `schedulers[i]` from `milestones[i-1]` on. At a milestone the next scheduler restarts from
 * epoch 0 (closed form where it has one).
 *
 * ```ts
 * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
 * const warmup = new optim.lrScheduler.ConstantLR(opt, { factor: 0.1, totalIters: 2 });
 * const decay = new optim.lrScheduler.ExponentialLR(opt, { gamma: 0.9 });
 * const sched = new optim.lrScheduler.SequentialLR(opt, { schedulers: [warmup, decay], milestones: [2] });
 * const lrs: number[] = [];
 * for (let epoch = 0; epoch < 5; epoch++) {
 *   lrs.push(sched.getLastLr()[0]);
 *   opt.step();
 *   sched.step();
 * }
 * lrs; // [0.01, 0.01, 0.1, 0.09, 0.081]
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

  /**
   * Undoes the initial step of `sched` (default: every child) and of its own children, as
   * PyTorch's `recursive_undo`: the constructor calls it so that only the first scheduler's
   * initial step counts.
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * const a = new optim.lrScheduler.ExponentialLR(opt, { gamma: 0.5 });
   * const b = new optim.lrScheduler.ExponentialLR(opt, { gamma: 0.9 });
   * const sched = new optim.lrScheduler.SequentialLR(opt, { schedulers: [a, b], milestones: [3] });
   * [a.lastEpoch, b.lastEpoch]; // [0, -1]
   * ```
   */
  recursiveUndo(sched?: LRScheduler): void {
    const s: LRScheduler = sched ?? this;
    if ("_schedulers" in s) {
      for (const c of (s as SequentialLR)._schedulers) this.recursiveUndo(c);
    } else if (typeof s.lastEpoch === "number") {
      s.lastEpoch -= 1;
    }
  }

  /**
   * Advances one epoch: steps the scheduler in charge, or at a milestone starts the next one
   * from epoch 0.
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * const sched = new optim.lrScheduler.SequentialLR(opt, {
   *   schedulers: [new optim.lrScheduler.ConstantLR(opt, { factor: 0.5, totalIters: 1 }), new optim.lrScheduler.StepLR(opt, { stepSize: 1, gamma: 0.1 })],
   *   milestones: [1],
   * });
   * sched.getLastLr(); // [0.05]
   * sched.step();
   * sched.getLastLr(); // [0.1]
   * sched.step();
   * sched.getLastLr(); // [0.01]
   * ```
   */
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
