import { checkGroupKeys, LRScheduler } from "../lr_scheduler/base.js";
import { checkKeys, int, oneOf, perGroup } from "../lr_scheduler/check.js";
import { intAtLeast, oneOfValues, SCHEDULER_STATE, type StateSchema } from "../lr_scheduler/state.js";

/**
 * Options of `SWALR` (PyTorch's defaults): `swaLr` (required), `annealEpochs = 10`,
 * `annealStrategy = "cos"`, `lastEpoch = -1`.
 *
 * ```ts
 * const opts: optim.swaUtils.SWALROptions = { swaLr: 0.05, annealEpochs: 5 };
 * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
 * new optim.swaUtils.SWALR(opt, opts).annealEpochs; // 5
 * ```
 */
export interface SWALROptions {
  /** The lr to anneal to, one value or one per group. Required. */
  swaLr: number | number[];
  /** Epochs of the annealing phase. Default 10. */
  annealEpochs?: number;
  /** Default "cos". */
  annealStrategy?: "cos" | "linear";
  /** The index of the last epoch when resuming (default −1: start). */
  lastEpoch?: number;
}

/**
 * Anneals each group's lr to a fixed `swaLr` over `annealEpochs` epochs, then holds it, as
 * `torch.optim.swa_utils.SWALR`; meant for Stochastic Weight Averaging together with
 * `AveragedModel` (https://arxiv.org/abs/1803.05407).
 *
 * ```ts
 * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
 * const sched = new optim.swaUtils.SWALR(opt, { swaLr: 0.05, annealEpochs: 2, annealStrategy: "linear" });
 * const lrs: number[] = [];
 * for (let epoch = 0; epoch < 4; epoch++) {
 *   lrs.push(sched.getLastLr()[0]);
 *   opt.step();
 *   sched.step();
 * }
 * lrs; // [0.1, 0.075, 0.05, 0.05]
 * ```
 *
 * A training loop that switches to SWA after `swaStart` epochs:
 *
 * ```ts
 * const model = new nn.Linear(2, 1);
 * const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
 * const sched = new optim.lrScheduler.CosineAnnealingLR(opt, { TMax: 100 });
 * const swaModel = new optim.swaUtils.AveragedModel(model);
 * const swaSched = new optim.swaUtils.SWALR(opt, { swaLr: 0.05, annealEpochs: 2 });
 * const swaStart = 5;
 * for (let epoch = 0; epoch < 8; epoch++) {
 *   opt.zeroGrad();
 *   F.mseLoss(model.forward(torch.ones([4, 2])), torch.zeros([4, 1])).backward();
 *   opt.step();
 *   if (epoch >= swaStart) {
 *     swaModel.updateParameters(model);
 *     swaSched.step();
 *   } else sched.step();
 * }
 * swaModel.nAveraged.item(); // 3
 * ```
 */
export class SWALR extends LRScheduler {
  declare _annealStrategy: "cos" | "linear";
  /**
   * The annealing curve of the strategy: t ∈ [0, 1] (the annealing phase done) to the weight
   * of `swaLr` against the starting lr (cosine or linear); not part of `stateDict()`.
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * const sched = new optim.swaUtils.SWALR(opt, { swaLr: 0.05, annealStrategy: "linear" });
   * sched.annealFunc(0.25); // 0.25
   * ```
   */
  declare annealFunc: (t: number) => number;
  /**
   * The number of epochs of the annealing phase (default 10).
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * new optim.swaUtils.SWALR(opt, { swaLr: 0.05 }).annealEpochs; // 10
   * ```
   */
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

  /**
   * The learning rates at `lastEpoch`, moving each group's lr toward its `swaLr` along the
   * annealing curve (PyTorch's `get_lr`); `step()` calls it, read the rates with `getLastLr()`.
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * const sched = new optim.swaUtils.SWALR(opt, { swaLr: 0.05, annealEpochs: 2, annealStrategy: "linear" });
   * opt.step();
   * sched.step();
   * sched.getLastLr(); // [0.075]
   * ```
   */
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
