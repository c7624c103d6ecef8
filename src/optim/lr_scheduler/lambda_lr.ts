import { checkGroupCount, LRScheduler } from "./base.js";
import { checkKeys, describe, fnPerGroup } from "./check.js";
import { arrayOf, nullOnly, SCHEDULER_STATE, type StateSchema } from "./state.js";

/**
 * A learning-rate function: `(epoch) => factor`, as LambdaLR's and MultiplicativeLR's
 * `lrLambda` (PyTorch's `lr_lambda`).
 *
 * ```ts
 * const warmup: optim.lrScheduler.LrLambda = (epoch) => Math.min(1, (epoch + 1) / 5);
 * warmup(0); // 0.2
 * ```
 */
export type LrLambda = (epoch: number) => number;

/**
 * Options of `LambdaLR` and `MultiplicativeLR`: `lrLambda` (required: one function, or one
 * per group), `lastEpoch = -1`.
 *
 * ```ts
 * const opts: optim.lrScheduler.LambdaLROptions = { lrLambda: (epoch) => 0.9 ** epoch };
 * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
 * new optim.lrScheduler.LambdaLR(opt, opts).getLastLr(); // [0.1]
 * ```
 */
export interface LambdaLROptions {
  /** One function for every group, or one per param group. Required. */
  lrLambda: LrLambda | LrLambda[];
  /** The index of the last epoch when resuming (default −1: start; ≥ 0 needs `initialLr` in every group). */
  lastEpoch?: number;
}

/**
 * What LambdaLR and MultiplicativeLR share: one `lrLambda` per group, and a state dict that
 * holds `null` in each function's place (PyTorch saves only callable objects' `__dict__`;
 * plain functions are given again to the constructor of the scheduler that loads).
 */
abstract class LambdaScheduler extends LRScheduler {
  /**
   * One function per param group (the one given, repeated, when a single function was given).
   *
   * ```ts
   * const opt = new optim.SGD([{ params: [torch.zeros([1], { requiresGrad: true })] }, { params: [torch.zeros([1], { requiresGrad: true })] }], { lr: 0.1 });
   * new optim.lrScheduler.LambdaLR(opt, { lrLambda: () => 1 }).lrLambdas.length; // 2
   * ```
   */
  lrLambdas: LrLambda[];

  constructor(owner: string, optimizer: unknown, options: LambdaLROptions) {
    super(owner, optimizer, options?.lastEpoch);
    checkKeys(owner, options, ["lrLambda", "lastEpoch"]);
    this.lrLambdas = fnPerGroup<LrLambda>(owner, "lrLambda", options?.lrLambda, this.optimizer);
    this._init(options.lastEpoch ?? -1);
  }

  /** `lrLambdas[i](lastEpoch)`, which must be a number (Python raises TypeError on lr * "0.9"). */
  protected _factor(i: number): number {
    const f = this.lrLambdas[i](this.lastEpoch);
    if (typeof f !== "number") {
      throw new TypeError(`${this._name}: lrLambda (for paramGroups[${i}]) returned ${describe(f)} at epoch ` +
        `${this.lastEpoch}; it must return a number`);
    }
    return f;
  }

  /**
   * The scheduler's state (see `LRScheduler.stateDict`), with `null` in each function's place:
   * PyTorch saves only callable objects' `__dict__`, so the loading scheduler is given its
   * functions by its constructor.
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * const sched = new optim.lrScheduler.LambdaLR(opt, { lrLambda: (e) => 1 / (e + 1) });
   * sched.stateDict().lrLambdas; // [null]
   * ```
   */
  override stateDict(): Record<string, unknown> {
    return { ...super.stateDict(), lrLambdas: this.lrLambdas.map(() => null) };
  }

  override _stateSchema(): StateSchema {
    return {
      lrLambdas: arrayOf(this.lrLambdas.length, nullOnly, "nulls (functions are not saved)"),
      ...SCHEDULER_STATE,
    };
  }

  /** Keeps this scheduler's functions: the dict has only their places. */
  override _applyState(state: Record<string, unknown>): void {
    const { lrLambdas: _, ...rest } = state;
    super._applyState(rest);
  }
}

/**
 * Sets each group's lr to its initial lr times `lrLambda(epoch)`, as
 * `torch.optim.lr_scheduler.LambdaLR`: `lr = baseLr · lrLambda(lastEpoch)`. The functions are
 * not part of `stateDict()` (PyTorch saves `null` in their place).
 *
 * ```ts
 * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
 * const sched = new optim.lrScheduler.LambdaLR(opt, { lrLambda: (epoch) => 0.5 ** epoch });
 * const lrs: number[] = [];
 * for (let epoch = 0; epoch < 4; epoch++) {
 *   lrs.push(sched.getLastLr()[0]);
 *   opt.step(); // a training epoch
 *   sched.step();
 * }
 * lrs; // [0.1, 0.05, 0.025, 0.0125]
 * ```
 */
export class LambdaLR extends LambdaScheduler {
  constructor(optimizer: unknown, options: LambdaLROptions) {
    super("LambdaLR", optimizer, options);
  }

  /**
   * LambdaLR's rule for the learning rates at `lastEpoch` (PyTorch's `get_lr`): what `step()`
   * calls. Outside a step it recomputes from the groups' current lr, as PyTorch's does (which
   * warns), so read the current rates with `getLastLr()`.
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * const sched = new optim.lrScheduler.LambdaLR(opt, { lrLambda: (epoch) => 0.5 ** epoch });
   * opt.step();
   * sched.step();
   * sched.getLastLr(); // [0.05]
   * sched.getLr();     // [0.05]
   * ```
   */
  override getLr(): number[] {
    return this.baseLrs.map((baseLr, i) => baseLr * this._factor(i));
  }
}

/**
 * Multiplies each group's current lr by `lrLambda(epoch)` at every step, as
 * `torch.optim.lr_scheduler.MultiplicativeLR`: `lr = lr · lrLambda(lastEpoch)`.
 *
 * ```ts
 * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
 * const sched = new optim.lrScheduler.MultiplicativeLR(opt, { lrLambda: () => 0.9 });
 * const lrs: number[] = [];
 * for (let epoch = 0; epoch < 4; epoch++) {
 *   lrs.push(sched.getLastLr()[0]);
 *   opt.step(); // a training epoch
 *   sched.step();
 * }
 * lrs; // [0.1, 0.09, 0.081, 0.0729]
 * ```
 */
export class MultiplicativeLR extends LambdaScheduler {
  constructor(optimizer: unknown, options: LambdaLROptions) {
    super("MultiplicativeLR", optimizer, options);
  }

  /**
   * MultiplicativeLR's rule for the learning rates at `lastEpoch` (PyTorch's `get_lr`): what `step()`
   * calls. Outside a step it recomputes from the groups' current lr, as PyTorch's does (which
   * warns), so read the current rates with `getLastLr()`.
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * const sched = new optim.lrScheduler.MultiplicativeLR(opt, { lrLambda: () => 0.9 });
   * opt.step();
   * sched.step();
   * sched.getLastLr(); // [0.09]
   * sched.getLr();     // [0.081]
   * ```
   */
  override getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this._isInitial) return groups.map((g) => g.lr);
    // PyTorch zips the functions with the groups (strict): a group added later has none
    checkGroupCount(this._name, this.optimizer, this.lrLambdas.length, "lrLambda functions");
    return groups.map((g, i) => g.lr * this._factor(i));
  }
}
