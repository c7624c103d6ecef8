import { checkGroupCount, LRScheduler } from "./base.js";
import { checkKeys, num, positive } from "./check.js";
import { finite, positiveNumber, SCHEDULER_STATE, type StateSchema } from "./state.js";

/**
 * Options of `CosineAnnealingLR`: `TMax` (required; PyTorch's `T_max`), `etaMin = 0`,
 * `lastEpoch = -1`.
 *
 * ```ts
 * const opts: optim.lrScheduler.CosineAnnealingLROptions = { TMax: 100, etaMin: 1e-5 };
 * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
 * new optim.lrScheduler.CosineAnnealingLR(opt, opts).TMax; // 100
 * ```
 */
export interface CosineAnnealingLROptions {
  /** Maximum number of iterations (half a period). Required. */
  TMax: number;
  /** Minimum learning rate. Default 0. */
  etaMin?: number;
  /** The index of the last epoch when resuming (default −1: start; ≥ 0 needs `initialLr` in every group). */
  lastEpoch?: number;
}

/**
 * Cosine annealing from each group's initial lr down to `etaMin` over `TMax` epochs (SGDR
 * without restarts; past `TMax` the lr rises again, period `2 * TMax`):
 *
 *   lr_t = etaMin + (baseLr - etaMin) * (1 + cos(pi * t / TMax)) / 2
 *
 * computed by PyTorch's recursion
 *   lr_{t+1} = etaMin + (lr_t - etaMin) * (1 + cos(pi (t+1) / TMax)) / (1 + cos(pi t / TMax)),
 * so it composes with other schedulers. https://arxiv.org/abs/1608.03983
 *
 * ```ts
 * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
 * const sched = new optim.lrScheduler.CosineAnnealingLR(opt, { TMax: 4 });
 * const lrs: number[] = [];
 * for (let epoch = 0; epoch < 6; epoch++) {
 *   lrs.push(sched.getLastLr()[0]);
 *   opt.step(); // a training epoch
 *   sched.step();
 * }
 * lrs; // down to etaMin at TMax, then up again: [0.1, 0.08535534, 0.05, 0.01464466, 0, 0.01464466]
 * ```
 */
export class CosineAnnealingLR extends LRScheduler {
  /**
   * Half the period, in epochs (PyTorch's `T_max`).
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * new optim.lrScheduler.CosineAnnealingLR(opt, { TMax: 50 }).TMax; // 50
   * ```
   */
  TMax: number;
  /**
   * The lowest learning rate (PyTorch's `eta_min`, default 0).
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * new optim.lrScheduler.CosineAnnealingLR(opt, { TMax: 50 }).etaMin; // 0
   * ```
   */
  etaMin: number;

  constructor(optimizer: unknown, options: CosineAnnealingLROptions) {
    super("CosineAnnealingLR", optimizer, options?.lastEpoch);
    checkKeys("CosineAnnealingLR", options, ["TMax", "etaMin", "lastEpoch"]);
    this.TMax = positive("CosineAnnealingLR", "TMax", options?.TMax);
    this.etaMin = num("CosineAnnealingLR", "etaMin", options.etaMin, 0.0);
    this._init(options.lastEpoch ?? -1);
  }

  /**
   * CosineAnnealingLR's rule for the learning rates at `lastEpoch` (PyTorch's `get_lr`): what `step()`
   * calls. Outside a step it recomputes from the groups' current lr, as PyTorch's does (which
   * warns), so read the current rates with `getLastLr()`.
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * const sched = new optim.lrScheduler.CosineAnnealingLR(opt, { TMax: 2 });
   * opt.step();
   * sched.step();
   * sched.getLastLr(); // [0.05]
   * sched.getLr();     // [0.025]
   * ```
   */
  override getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    const { TMax, etaMin, lastEpoch: t } = this;
    if (this._isInitial) return groups.map((g) => g.lr);
    if (this._stepCount === 1 && t > 0) {
      // first step after resuming: closed form (PyTorch's operand order)
      return this.baseLrs.map((b) => etaMin + ((b - etaMin) * (1 + Math.cos((t * Math.PI) / TMax))) / 2);
    }
    if ((t - 1 - TMax) % (2 * TMax) === 0) {
      // at the bottom the ratio below would be 0/0: add the first step of the rise (PyTorch
      // zips base_lrs with the groups here, strict: a group added later raises)
      checkGroupCount(this._name, this.optimizer, this.baseLrs.length, "base learning rates");
      return groups.map((g, i) => g.lr + ((this.baseLrs[i] - etaMin) * (1 - Math.cos(Math.PI / TMax))) / 2);
    }
    const ratio = (1 + Math.cos((Math.PI * t) / TMax)) / (1 + Math.cos((Math.PI * (t - 1)) / TMax));
    return groups.map((g) => ratio * (g.lr - etaMin) + etaMin);
  }

  override _getClosedFormLr(): number[] {
    const { TMax, etaMin, lastEpoch: t } = this;
    return this.baseLrs.map((b) => etaMin + ((b - etaMin) * (1 + Math.cos((Math.PI * t) / TMax))) / 2);
  }

  override _stateSchema(): StateSchema {
    return { TMax: positiveNumber, etaMin: finite, ...SCHEDULER_STATE };
  }
}
