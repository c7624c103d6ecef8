import { checkGroupCount, LRScheduler } from "./base.js";
import { checkKeys, describe, fnPerGroup } from "./check.js";
import { arrayOf, nullOnly, SCHEDULER_STATE, type StateSchema } from "./state.js";

/** `(epoch) => factor` */
export type LrLambda = (epoch: number) => number;

export interface LambdaLROptions {
  /** One function for every group, or one per param group. Required. */
  lrLambda: LrLambda | LrLambda[];
  lastEpoch?: number;
}

/**
 * What LambdaLR and MultiplicativeLR share: one `lrLambda` per group, and a state dict that
 * holds `null` in each function's place (PyTorch saves only callable objects' `__dict__`;
 * plain functions are given again to the constructor of the scheduler that loads).
 */
abstract class LambdaScheduler extends LRScheduler {
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
 * Sets each group's lr to its initial lr times `lrLambda(epoch)`:
 * `lr = baseLr * lrLambda(lastEpoch)`.
 *
 * ```ts
 * const sched = new LambdaLR(opt, { lrLambda: (epoch) => 0.95 ** epoch });
 * for (let epoch = 0; epoch < 100; epoch++) { train(); validate(); sched.step(); }
 * ```
 * The functions are not part of `stateDict()` (PyTorch saves `null` in their place).
 */
export class LambdaLR extends LambdaScheduler {
  constructor(optimizer: unknown, options: LambdaLROptions) {
    super("LambdaLR", optimizer, options);
  }

  override getLr(): number[] {
    return this.baseLrs.map((baseLr, i) => baseLr * this._factor(i));
  }
}

/**
 * Multiplies each group's current lr by `lrLambda(epoch)` at every step:
 * `lr = lr * lrLambda(lastEpoch)`.
 *
 * ```ts
 * const sched = new MultiplicativeLR(opt, { lrLambda: () => 0.95 });
 * ```
 */
export class MultiplicativeLR extends LambdaScheduler {
  constructor(optimizer: unknown, options: LambdaLROptions) {
    super("MultiplicativeLR", optimizer, options);
  }

  override getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this._isInitial) return groups.map((g) => g.lr);
    // PyTorch zips the functions with the groups (strict): a group added later has none
    checkGroupCount(this._name, this.optimizer, this.lrLambdas.length, "lrLambda functions");
    return groups.map((g, i) => g.lr * this._factor(i));
  }
}
