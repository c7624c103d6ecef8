/**
 * `LRScheduler`: the base of every scheduler, PyTorch's `torch.optim.lr_scheduler.LRScheduler`.
 *
 * A scheduler sets `group.lr` of each of its optimizer's param groups. PyTorch's protocol,
 * kept here step for step so that the floats match:
 *
 * - Construction records `initialLr` in every group (unless already there), takes
 *   `baseLrs` from them, and performs an initial step: `lastEpoch` goes from -1 to 0 and the
 *   epoch-0 learning rates are written to the groups.
 * - `step()` increments `lastEpoch` and calls `getLr()`, which most schedulers compute
 *   *recursively* from the groups' current `lr` ("chainable" form: two schedulers on one
 *   optimizer compose). `step(epoch)` (deprecated in PyTorch) jumps to `epoch` and uses the
 *   closed form where the scheduler has one; `SequentialLR` relies on that at milestones.
 * - `stateDict()` holds every field except the optimizer and functions; the field names are
 *   PyTorch's `__dict__` keys in camelCase (`last_epoch` → `lastEpoch`, `_step_count` →
 *   `_stepCount`), so a state dict lists the same keys as PyTorch's.
 *
 * JavaScript cannot run code before `super()`, so a subclass validates its options and sets
 * its fields after `super(owner, optimizer, lastEpoch)` (which only checks) and then calls
 * `this._init(lastEpoch)` (which changes the optimizer). Nothing is changed when an option
 * is rejected.
 */
import type { Optimizer } from "../optimizer.js";
import { checkOptimizer, lastEpochOption } from "./check.js";

/** One param group as the schedulers see it: `lr` plus whatever keys the optimizer keeps. */
export type ParamGroup = Optimizer["paramGroups"][number];

/** Deep copy of plain data (arrays, plain objects, numbers, strings, booleans, null). */
export function cloneData<T>(v: T): T {
  if (Array.isArray(v)) return v.map(cloneData) as T;
  if (v !== null && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = cloneData(x);
    return out as T;
  }
  return v;
}

/** The value of `key` in every param group (PyTorch's `_param_groups_val_list`). */
export function groupValues(optimizer: Optimizer, key: string): number[] {
  return optimizer.paramGroups.map((g: ParamGroup) => g[key]);
}

/** Writes `values[i]` to `group.lr`; the lengths must agree (Python's `zip(strict=True)`). */
export function setLrs(owner: string, optimizer: Optimizer, values: readonly number[]): void {
  const groups = optimizer.paramGroups;
  if (values.length !== groups.length) {
    throw new Error(
      `${owner}: ${values.length} learning rates for ${groups.length} param groups ` +
        `(a param group was added or removed after the scheduler was created)`,
    );
  }
  groups.forEach((g: ParamGroup, i: number) => {
    g.lr = values[i];
  });
}

export abstract class LRScheduler {
  /** The optimizer whose param groups' `lr` this scheduler sets. Not part of `stateDict()`. */
  declare optimizer: Optimizer;
  /** The learning rate of each group when the schedule started (`group.initialLr`). */
  declare baseLrs: number[];
  /** Index of the last epoch (or batch) stepped; 0 right after construction. */
  declare lastEpoch: number;
  declare _stepCount: number;
  declare _lastLr: number[];
  /** True while the constructor's initial step runs (PyTorch's `_initial_mode`). */
  declare _isInitial: boolean;
  /** True while `step()` calls `getLr()` (PyTorch's `_enable_get_lr_call`). */
  declare _getLrCalledWithinStep: boolean;
  declare readonly _name: string;

  /**
   * Checks the optimizer and `lastEpoch` without changing anything. With `lastEpoch` ≥ 0
   * (resuming), every group must already hold `initialLr`, as in PyTorch.
   */
  constructor(owner: string, optimizer: unknown, lastEpoch: unknown = -1) {
    // the class name for messages, kept out of stateDict() (not enumerable) and safe from minifiers
    Object.defineProperty(this, "_name", { value: owner, enumerable: false, writable: true });
    const opt = checkOptimizer(owner, optimizer);
    const last = lastEpochOption(owner, lastEpoch);
    if (last !== -1) {
      opt.paramGroups.forEach((g: ParamGroup, i: number) => {
        if (!("initialLr" in g)) {
          throw new Error(
            `${owner}: param 'initialLr' is not specified in paramGroups[${i}] when resuming ` +
              `scheduler with lastEpoch >= 0 (load the optimizer's state dict first, or start ` +
              `with lastEpoch = -1)`,
          );
        }
      });
    }
    this.optimizer = opt;
  }

  /** PyTorch's `LRScheduler.__init__` after the checks: `initialLr`, `baseLrs`, initial step. */
  protected _init(lastEpoch: number): void {
    if (lastEpoch === -1) {
      for (const g of this.optimizer.paramGroups) if (!("initialLr" in g)) g.initialLr = g.lr;
    }
    this.baseLrs = groupValues(this.optimizer, "initialLr");
    this.lastEpoch = lastEpoch;
    this._initialStep();
  }

  /** Resets the step count and performs the initial step (PyTorch's `_initial_step`). */
  _initialStep(): void {
    this._stepCount = 0;
    this._isInitial = true;
    try {
      this.step();
    } finally {
      this._isInitial = false;
    }
  }

  /** The learning rates this scheduler computes for the current `lastEpoch`, one per group. */
  getLr(): number[] {
    throw new Error("LRScheduler.getLr() is implemented by each scheduler");
  }

  /** The most recent learning rates the scheduler set, one per param group. */
  getLastLr(): number[] {
    return [...this._lastLr];
  }

  /**
   * Advances the schedule by one epoch (call it after `optimizer.step()`).
   * @param epoch deprecated in PyTorch: jump to this epoch, using the closed form where the
   *   scheduler has one.
   */
  step(epoch?: number): void {
    this._stepCount += 1;
    this._updateLr(epoch);
  }

  /** Closed-form learning rates at `lastEpoch` (for `step(epoch)`); undefined = none. */
  _getClosedFormLr?(): number[];

  /** PyTorch's `_update_lr`: move `lastEpoch`, compute, write the groups' `lr`. */
  _updateLr(epoch?: number): void {
    let values: number[];
    this._getLrCalledWithinStep = true;
    try {
      if (epoch === undefined) {
        this.lastEpoch += 1;
        values = this.getLr();
      } else {
        this.lastEpoch = epoch;
        values = this._getClosedFormLr ? this._getClosedFormLr() : this.getLr();
      }
    } finally {
      this._getLrCalledWithinStep = false;
    }
    setLrs(this._name, this.optimizer, values);
    this._lastLr = groupValues(this.optimizer, "lr");
  }

  /**
   * The scheduler's state: every field except the optimizer and functions (PyTorch's
   * `state_dict()`), as plain data that `structuredClone` and `postMessage` accept.
   */
  stateDict(): Record<string, unknown> {
    const sd: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(this)) {
      if (k === "optimizer" || typeof v === "function") continue;
      sd[k] = cloneData(v);
    }
    return sd;
  }

  /** Restores a state from `stateDict()`; the optimizer's own state is loaded separately. */
  loadStateDict(stateDict: Record<string, unknown>): void {
    for (const [k, v] of Object.entries(stateDict)) {
      if (k === "optimizer") continue;
      (this as Record<string, unknown>)[k] = cloneData(v);
    }
  }
}
