import { checkGroupKeys, LRScheduler } from "../lr_scheduler/base.js";
import { checkKeys, int, oneOf, perGroup } from "../lr_scheduler/check.js";
import { intAtLeast, oneOfValues, SCHEDULER_STATE, type StateSchema } from "../lr_scheduler/state.js";

export interface SWALROptions {
  /** The lr to anneal to, one value or one per group. Required. */
  swaLr: number | number[];
  /** Epochs of the annealing phase. Default 10. */
  annealEpochs?: number;
  /** Default "cos". */
  annealStrategy?: "cos" | "linear";
  lastEpoch?: number;
}

/**
 * Anneals each group's lr to a fixed `swaLr` over `annealEpochs` epochs, then holds it;
 * meant for Stochastic Weight Averaging together with `AveragedModel`
 * (https://arxiv.org/abs/1803.05407).
 *
 * ```ts
 * const swaSched = new SWALR(opt, { swaLr: 0.05, annealEpochs: 20, annealStrategy: "linear" });
 * for (let epoch = 0; epoch < 300; epoch++) {
 *   train();
 *   if (epoch > swaStart) { swaModel.updateParameters(model); swaSched.step(); } else sched.step();
 * }
 * ```
 */
export class SWALR extends LRScheduler {
  declare _annealStrategy: "cos" | "linear";
  declare annealFunc: (t: number) => number;
  annealEpochs: number;

  constructor(optimizer: unknown, options: SWALROptions) {
    const owner = "SWALR";
    super(owner, optimizer, options?.lastEpoch);
    checkKeys(owner, options, ["swaLr", "annealEpochs", "annealStrategy", "lastEpoch"]);
    const swaLrs = perGroup(owner, "swaLr", options?.swaLr, this.optimizer);
    const strategy = oneOf(owner, "annealStrategy", options.annealStrategy, "cos", ["cos", "linear"] as const);
    const annealEpochs = int(owner, "annealEpochs", options.annealEpochs, 10, 0);

    this.optimizer.paramGroups.forEach((g, i) => {
      g.swaLr = swaLrs[i];
    });
    this._setAnnealFunc(strategy);
    this.annealEpochs = annealEpochs;
    this._init(options.lastEpoch ?? -1);
  }

  static _linearAnneal(t: number): number {
    return t;
  }

  static _cosineAnneal(t: number): number {
    return (1 - Math.cos(Math.PI * t)) / 2;
  }

  static _getInitialLr(lr: number, swaLr: number, alpha: number): number {
    if (alpha === 1) return swaLr;
    return (lr - alpha * swaLr) / (1 - alpha);
  }

  override getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    groups.forEach((g, i) => checkGroupKeys("SWALR", g, i, ["swaLr"]));
    let step = this._stepCount - 1;
    if (this.annealEpochs === 0) step = Math.max(1, step);
    const prevT = Math.max(0, Math.min(1, (step - 1) / Math.max(1, this.annealEpochs)));
    const prevAlpha = this.annealFunc(prevT);
    const prevLrs = groups.map((g) => SWALR._getInitialLr(g.lr, g.swaLr, prevAlpha));
    const t = Math.max(0, Math.min(1, step / Math.max(1, this.annealEpochs)));
    const alpha = this.annealFunc(t);
    return groups.map((g, i) => g.swaLr * alpha + prevLrs[i] * (1 - alpha));
  }

  _setAnnealFunc(strategy: "cos" | "linear"): void {
    this._annealStrategy = strategy;
    this.annealFunc = strategy === "cos" ? SWALR._cosineAnneal : SWALR._linearAnneal;
  }

  override _stateSchema(): StateSchema {
    return { annealEpochs: intAtLeast(0), _annealStrategy: oneOfValues(["cos", "linear"]), ...SCHEDULER_STATE };
  }

  /** `annealFunc` is not saved (PyTorch leaves it out): rebuilt from the strategy. */
  override _applyState(state: Record<string, unknown>): void {
    super._applyState(state);
    this._setAnnealFunc(this._annealStrategy);
  }
}
