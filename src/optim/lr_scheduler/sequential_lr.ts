import type { Optimizer } from "../optimizer.js";
import { groupValues, LRScheduler, setLrs } from "./base.js";
import { bisectRight, checkKeys, checkOptimizer, describe, int, milestones } from "./check.js";
import { ReduceLROnPlateau } from "./reduce_lr_on_plateau.js";

/** Checks the child schedulers of SequentialLR / ChainedScheduler (PyTorch's messages). */
export function checkSchedulers(owner: string, schedulers: unknown, optimizer: Optimizer | undefined): LRScheduler[] {
  if (!Array.isArray(schedulers)) {
    throw new TypeError(`${owner}: schedulers must be an array of schedulers, got ${describe(schedulers)}`);
  }
  if (schedulers.length < 1) throw new RangeError(`${owner} expects at least one scheduler, but got no scheduler.`);
  const opt = optimizer ?? (schedulers[0] as LRScheduler)?.optimizer;
  schedulers.forEach((s, i) => {
    if (!(s instanceof LRScheduler)) {
      throw new TypeError(`${owner}: schedulers[${i}] is ${describe(s)}, not a learning rate scheduler`);
    }
    if (s instanceof ReduceLROnPlateau) {
      throw new TypeError(
        `${owner} does not support \`ReduceLROnPlateau\` scheduler as it requires additional kwargs to be ` +
          `specified when calling \`step\`, but got one at index ${i} in the given schedulers sequence.`,
      );
    }
    if (s.optimizer !== opt) {
      throw new RangeError(
        `${owner} expects all schedulers to belong to the same optimizer, but got scheduler ` +
          `${s._name} at index ${i} with a different optimizer.`,
      );
    }
  });
  return [...schedulers];
}

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
export class SequentialLR extends LRScheduler {
  _schedulers: LRScheduler[];
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
    this.lastEpoch += 1;
    const idx = bisectRight(this._milestones, this.lastEpoch);
    const scheduler = this._schedulers[idx];
    if (idx > 0 && this._milestones[idx - 1] === this.lastEpoch) scheduler._updateLr(0);
    else scheduler.step();
    this._lastLr = scheduler.getLastLr();
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
