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
 *   `_stepCount`), so a state dict lists the same keys as PyTorch's. `loadStateDict()`
 *   checks the whole dict against the scheduler's `_stateSchema()` (state.ts) before it
 *   assigns anything, where PyTorch's `__dict__.update` takes whatever it is given.
 * - A step either completes or changes nothing (`_atomically`): where PyTorch raises half-way
 *   (a param group added after the scheduler was created, a `lrLambda` that throws), the
 *   scheduler's state and the groups' lr/momentum/betas are put back before the error leaves.
 *
 * JavaScript cannot run code before `super()`, so a subclass validates its options and sets
 * its fields after `super(owner, optimizer, lastEpoch)` (which only checks) and then calls
 * `this._init(lastEpoch)` (which changes the optimizer). Nothing is changed when an option
 * is rejected.
 */
import type { Optimizer } from "../optimizer.js";
import { bad, checkOptimizer, describe, lastEpochOption } from "./check.js";
import { checkState, isPlainObject, SCHEDULER_STATE, type StateContext, type StateSchema } from "./state.js";

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

/**
 * Throws unless `count` per-group values (`what`) match the optimizer's param groups: PyTorch
 * zips them with `strict=True` and raises ValueError when a group was added afterwards.
 */
export function checkGroupCount(owner: string, optimizer: Optimizer, count: number, what: string): void {
  const groups = optimizer.paramGroups.length;
  if (count !== groups) {
    throw new Error(
      `${owner}: ${count} ${what} for ${groups} param groups ` +
        `(a param group was added or removed after the scheduler was created)`,
    );
  }
}

/**
 * Writes `values[i]` to `group.lr` after checking all of them: one per group, and numbers.
 * A NaN is refused (Python raises where JavaScript makes one: 0/0, cos(inf)), so no
 * schedule ever writes a NaN learning rate.
 */
export function setLrs(owner: string, optimizer: Optimizer, values: readonly number[]): void {
  checkGroupCount(owner, optimizer, values.length, "learning rates");
  values.forEach((v, i) => {
    if (typeof v !== "number" || Number.isNaN(v)) {
      throw new RangeError(`${owner}: step() computed lr ${describe(v)} for paramGroups[${i}] from the ` +
        `scheduler's state and the group's values; nothing was changed`);
    }
  });
  optimizer.paramGroups.forEach((g: ParamGroup, i: number) => {
    g.lr = values[i];
  });
}

/**
 * Throws unless param group `i` holds a finite number at each of `keys`: values a scheduler
 * writes into the groups it is created with (OneCycleLR's initialLr, maxLr, …; SWALR's
 * swaLr), which a group added later with addParamGroup lacks (PyTorch raises KeyError).
 */
export function checkGroupKeys(owner: string, g: ParamGroup, i: number, keys: readonly string[]): void {
  let ok = true;
  for (const k of keys) ok &&= typeof g[k] === "number" && Number.isFinite(g[k]);
  if (ok) return; // (every step, every group: no allocation on the way through)
  const missing = keys.filter((k) => !(k in g));
  if (missing.length) {
    const them = missing.length > 1 ? "them" : "it";
    throw new Error(`${owner}: paramGroups[${i}] has no ${missing.join(", ")} (${owner} writes ${them} into the ` +
      `groups it is created with; a group added later with addParamGroup needs ${them} set before the next step)`);
  }
  for (const k of keys) {
    if (typeof g[k] !== "number" || !Number.isFinite(g[k])) bad(owner, `paramGroups[${i}].${k}`, "a finite number", g[k]);
  }
}

/**
 * Writes a cycled momentum into group `i`: `betas[0]` (Adam family, `useBeta1`) or
 * `momentum` (SGD-like). A NaN is refused, as for an lr.
 */
export function setMomentum(owner: string, g: ParamGroup, i: number, m: number, useBeta1: boolean): void {
  if (Number.isNaN(m)) {
    throw new RangeError(`${owner}: step() computed momentum NaN for paramGroups[${i}] from the scheduler's ` +
      `state and the group's values; nothing was changed`);
  }
  if (useBeta1) g.betas = [m, ...g.betas.slice(1)];
  else g.momentum = m;
}

/** The group entries a step may write: `lr`, and `momentum` or `betas` (CyclicLR, OneCycleLR). */
const STEP_KEYS = ["lr", "momentum", "betas"] as const;

/**
 * The base of every learning-rate scheduler, as `torch.optim.lr_scheduler.LRScheduler`: it sets
 * `lr` in each of its optimizer's param groups, once at construction (epoch 0) and at every
 * `step()` (once per epoch; per batch for CyclicLR and OneCycleLR), after `optimizer.step()`.
 * To write one, subclass it: JavaScript cannot run code before `super()`, so the constructor
 * calls `super(name, optimizer, lastEpoch)` (which only checks), sets its fields, then
 * `this._init(lastEpoch)` (which records `initialLr` and takes the initial step); `getLr()`
 * gives the rates at `this.lastEpoch`.
 *
 * ```ts
 * class HalvingLR extends optim.lrScheduler.LRScheduler {
 *   constructor(optimizer: optim.Optimizer) {
 *     super("HalvingLR", optimizer);
 *     this._init(-1);
 *   }
 *   override getLr(): number[] {
 *     return this.baseLrs.map((lr) => lr * 0.5 ** this.lastEpoch);
 *   }
 * }
 * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
 * const sched = new HalvingLR(opt);
 * sched.step();
 * sched.step();
 * sched.getLastLr(); // [0.025]
 * ```
 */
export abstract class LRScheduler {
  /**
   * The optimizer whose param groups' `lr` this scheduler sets. Not part of `stateDict()`.
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * new optim.lrScheduler.StepLR(opt, { stepSize: 1 }).optimizer === opt; // true
   * ```
   */
  declare optimizer: Optimizer;
  /**
   * The learning rate of each group when the schedule started (`group.initialLr`, which the
   * first scheduler on an optimizer records), PyTorch's `base_lrs`.
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * const sched = new optim.lrScheduler.ConstantLR(opt, { factor: 0.5 });
   * sched.baseLrs;            // [0.1]
   * opt.paramGroups[0].lr;    // 0.05
   * opt.paramGroups[0].initialLr; // 0.1
   * ```
   */
  declare baseLrs: number[];
  /**
   * The index of the last epoch (or batch) stepped: 0 right after construction, +1 per
   * `step()` (PyTorch's `last_epoch`).
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * const sched = new optim.lrScheduler.ExponentialLR(opt, { gamma: 0.9 });
   * sched.lastEpoch; // 0
   * sched.step();
   * sched.lastEpoch; // 1
   * ```
   */
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

  /**
   * The learning rates for the current `lastEpoch`, one per group: what each scheduler
   * defines (PyTorch's `get_lr`, mostly the chainable form computed from the groups' current
   * `lr`) and `step()` calls; read the current rates with `getLastLr()`.
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * const sched = new optim.lrScheduler.ExponentialLR(opt, { gamma: 0.5 });
   * sched.step();
   * sched.getLastLr(); // [0.05]
   * ```
   */
  getLr(): number[] {
    throw new Error("LRScheduler.getLr() is implemented by each scheduler");
  }

  /**
   * The learning rates the scheduler set last, one per param group (a copy), as PyTorch's
   * `get_last_lr()`.
   *
   * ```ts
   * const opt = new optim.SGD([{ params: [torch.zeros([1], { requiresGrad: true })] }, { params: [torch.zeros([1], { requiresGrad: true })], lr: 1 }], { lr: 0.1 });
   * const sched = new optim.lrScheduler.StepLR(opt, { stepSize: 1, gamma: 0.1 });
   * sched.step();
   * sched.getLastLr(); // [0.01, 0.1]
   * ```
   */
  getLastLr(): number[] {
    return [...this._lastLr];
  }

  /**
   * Advances the schedule by one epoch and writes the new learning rates into the groups
   * (call it after `optimizer.step()`). A step either completes or changes nothing.
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * const sched = new optim.lrScheduler.StepLR(opt, { stepSize: 10, gamma: 0.1 });
   * for (let epoch = 0; epoch < 10; epoch++) {
   *   opt.step();
   *   sched.step();
   * }
   * opt.paramGroups[0].lr; // 0.01
   * sched.step(25);        // the closed form at epoch 25
   * opt.paramGroups[0].lr; // 0.001
   * ```
   *
   * @param epoch deprecated in PyTorch: jump to this epoch, using the closed form where the
   *   scheduler has one.
   */
  step(epoch?: number): void {
    this._atomically(() => {
      this._stepCount += 1;
      this._updateLr(epoch);
    });
  }

  /**
   * Runs `fn` (a step) so that it either completes or changes nothing: if it throws, the
   * groups' lr, momentum and betas and this scheduler's state (its children's included) are
   * put back, then the error goes on.
   */
  protected _atomically(fn: () => void): void {
    const restore = this._restorePoint();
    const groups = [...this.optimizer.paramGroups];
    const saved: unknown[] = []; // for each group and key: whether the group had it, and its value
    for (const g of groups) for (const k of STEP_KEYS) saved.push(Object.hasOwn(g, k), g[k]);
    try {
      fn();
    } catch (e) {
      let at = 0;
      for (const g of groups) {
        for (const k of STEP_KEYS) {
          const had = saved[at++];
          const v = saved[at++];
          if (had) g[k] = v;
          else delete g[k];
        }
      }
      restore();
      throw e;
    }
  }

  /**
   * A restore point of this scheduler's fields. A shallow copy is enough (and cheap, a
   * scheduler steps every batch) because a step assigns new arrays to its fields and never
   * writes into the ones it holds.
   */
  _restorePoint(): () => void {
    const fields = { ...this } as Record<string, unknown>;
    return () => {
      for (const k of Object.keys(this)) if (!Object.hasOwn(fields, k)) delete (this as Record<string, unknown>)[k];
      Object.assign(this, fields);
    };
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
   * `state_dict()`, with its keys in camelCase), as plain data that `structuredClone`,
   * `postMessage` and JSON carry. Save it with the optimizer's.
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * const sched = new optim.lrScheduler.StepLR(opt, { stepSize: 2 });
   * sched.stateDict(); // { stepSize: 2, gamma: 0.1, baseLrs: [0.1], lastEpoch: 0, _stepCount: 1, _isInitial: false, _getLrCalledWithinStep: false, _lastLr: [0.1] }
   * ```
   */
  stateDict(): Record<string, unknown> {
    const sd: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(this)) {
      if (k === "optimizer" || typeof v === "function") continue;
      sd[k] = cloneData(v);
    }
    return sd;
  }

  /**
   * Restores a state from `stateDict()` (or its `JSON.parse(JSON.stringify(…))` or
   * `structuredClone`); the optimizer's own state is loaded separately (PyTorch's
   * `load_state_dict`). The whole dict is checked first: a plain object with exactly the keys
   * `stateDict()` writes, each value of the form the scheduler's options and steps give it.
   * Anything else throws, naming the key, the value and the form expected, and changes nothing.
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * const sched = new optim.lrScheduler.StepLR(opt, { stepSize: 2 });
   * for (let i = 0; i < 3; i++) { opt.step(); sched.step(); }
   * const saved = JSON.stringify(sched.stateDict());
   * const opt2 = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * const resumed = new optim.lrScheduler.StepLR(opt2, { stepSize: 2 });
   * resumed.loadStateDict(JSON.parse(saved));
   * resumed.lastEpoch; // 3
   * resumed.loadStateDict({ stepSize: 2 }); // throws: StepLR.loadStateDict
   * ```
   */
  loadStateDict(stateDict: unknown): void {
    this._applyState(this._checkState(stateDict, { owner: `${this._name}.loadStateDict`, groups: this.optimizer.paramGroups.length }));
  }

  /** The checks of this scheduler's state dict, one per key; `sd` decides optional keys. */
  _stateSchema(_sd: Record<string, unknown>): StateSchema {
    return SCHEDULER_STATE;
  }

  /** Checks between values (each one already passed its own check); throws on a mismatch. */
  _checkStateTogether(_state: Record<string, unknown>, _ctx: StateContext, _path: string): void {}

  /** A checked copy of `sd` (what `_applyState` takes); throws if any of it is malformed. */
  _checkState(sd: unknown, ctx: StateContext, path = ""): Record<string, unknown> {
    const state = checkState(sd, this._stateSchema(isPlainObject(sd) ? sd : {}), ctx, path);
    this._checkStateTogether(state, ctx, path);
    return state;
  }

  /**
   * Assigns a checked state (or one this scheduler's `stateDict()` returned); cannot fail.
   * Subclasses skip the keys that stand for functions and rebuild what derives from the rest.
   */
  _applyState(state: Record<string, unknown>): void {
    for (const [k, v] of Object.entries(state)) (this as Record<string, unknown>)[k] = v;
  }
}
