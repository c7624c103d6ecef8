import { LRScheduler } from "./base.js";
import { checkKeys, fnPerGroup } from "./check.js";

/** `(epoch) => factor` */
export type LrLambda = (epoch: number) => number;

export interface LambdaLROptions {
  /** One function for every group, or one per param group. Required. */
  lrLambda: LrLambda | LrLambda[];
  lastEpoch?: number;
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
export class LambdaLR extends LRScheduler {
  lrLambdas: LrLambda[];

  constructor(optimizer: unknown, options: LambdaLROptions) {
    super("LambdaLR", optimizer, options?.lastEpoch);
    checkKeys("LambdaLR", options, ["lrLambda", "lastEpoch"]);
    this.lrLambdas = fnPerGroup<LrLambda>("LambdaLR", "lrLambda", options?.lrLambda, this.optimizer);
    this._init(options.lastEpoch ?? -1);
  }

  override getLr(): number[] {
    return this.baseLrs.map((baseLr, i) => baseLr * this.lrLambdas[i](this.lastEpoch));
  }

  override stateDict(): Record<string, unknown> {
    return { ...super.stateDict(), lrLambdas: this.lrLambdas.map(() => null) };
  }

  override loadStateDict(stateDict: Record<string, unknown>): void {
    const { lrLambdas: _, ...rest } = stateDict;
    super.loadStateDict(rest);
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
export class MultiplicativeLR extends LRScheduler {
  lrLambdas: LrLambda[];

  constructor(optimizer: unknown, options: LambdaLROptions) {
    super("MultiplicativeLR", optimizer, options?.lastEpoch);
    checkKeys("MultiplicativeLR", options, ["lrLambda", "lastEpoch"]);
    this.lrLambdas = fnPerGroup<LrLambda>("MultiplicativeLR", "lrLambda", options?.lrLambda, this.optimizer);
    this._init(options.lastEpoch ?? -1);
  }

  override getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this._isInitial) return groups.map((g) => g.lr);
    return groups.map((g, i) => g.lr * this.lrLambdas[i](this.lastEpoch));
  }

  override stateDict(): Record<string, unknown> {
    return { ...super.stateDict(), lrLambdas: this.lrLambdas.map(() => null) };
  }

  override loadStateDict(stateDict: Record<string, unknown>): void {
    const { lrLambdas: _, ...rest } = stateDict;
    super.loadStateDict(rest);
  }
}
