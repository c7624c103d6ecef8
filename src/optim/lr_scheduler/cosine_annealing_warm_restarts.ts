import { groupValues, LRScheduler, setLrs } from "./base.js";
import { checkKeys, describe, int, num } from "./check.js";
import { finite, intAtLeast, SCHEDULER_STATE, type StateSchema } from "./state.js";

/**
 * Options of `CosineAnnealingWarmRestarts`: `T0` (required; PyTorch's `T_0`), `TMult = 1`,
 * `etaMin = 0`, `lastEpoch = -1`.
 *
 * ```ts
 * const opts: optim.lrScheduler.CosineAnnealingWarmRestartsOptions = { T0: 10, TMult: 2 };
 * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
 * new optim.lrScheduler.CosineAnnealingWarmRestarts(opt, opts).TI; // 10
 * ```
 */
export interface CosineAnnealingWarmRestartsOptions {
  /** Number of iterations until the first restart. Required. */
  T0: number;
  /** Factor by which the period grows after each restart; an integer >= 1. Default 1. */
  TMult?: number;
  /** Minimum learning rate. Default 0. */
  etaMin?: number;
  /** The index of the last epoch (or batch) when resuming (default −1: start). */
  lastEpoch?: number;
}

/**
 * Cosine annealing with warm restarts (SGDR, https://arxiv.org/abs/1608.03983), as
 * `torch.optim.lr_scheduler.CosineAnnealingWarmRestarts`:
 *
 *   lr = etaMin + (baseLr - etaMin) * (1 + cos(pi * TCur / TI)) / 2
 *
 * where `TCur` counts epochs since the last restart and `TI` is the current period (`T0`,
 * then multiplied by `TMult` at each restart). `step(epoch)` accepts a fractional epoch, so
 * it can be called every batch: `sched.step(epoch + i / itersPerEpoch)`.
 *
 * ```ts
 * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
 * const sched = new optim.lrScheduler.CosineAnnealingWarmRestarts(opt, { T0: 2, TMult: 2 });
 * const lrs: number[] = [];
 * for (let epoch = 0; epoch < 7; epoch++) {
 *   lrs.push(sched.getLastLr()[0]);
 *   opt.step(); // a training epoch
 *   sched.step();
 * }
 * lrs; // restarts at epochs 2 and 6: [0.1, 0.05, 0.1, 0.08535534, 0.05, 0.01464466, 0.1]
 * ```
 */
export class CosineAnnealingWarmRestarts extends LRScheduler {
  /**
   * The first period, in epochs (PyTorch's `T_0`).
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * new optim.lrScheduler.CosineAnnealingWarmRestarts(opt, { T0: 10 }).T0; // 10
   * ```
   */
  T0: number;
  /**
   * The current period (PyTorch's `T_i`): `T0`, times `TMult` after each restart.
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * const sched = new optim.lrScheduler.CosineAnnealingWarmRestarts(opt, { T0: 2, TMult: 3 });
   * sched.step(); sched.step();
   * sched.TI; // 6
   * ```
   */
  TI: number;
  /**
   * The factor by which the period grows after each restart (default 1).
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * new optim.lrScheduler.CosineAnnealingWarmRestarts(opt, { T0: 10 }).TMult; // 1
   * ```
   */
  TMult: number;
  /**
   * The lowest learning rate (default 0).
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * new optim.lrScheduler.CosineAnnealingWarmRestarts(opt, { T0: 10, etaMin: 1e-4 }).etaMin; // 1e-4
   * ```
   */
  etaMin: number;
  /**
   * Epochs since the last restart (PyTorch's `T_cur`; fractional after `step(epoch)` with a
   * fractional epoch).
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * const sched = new optim.lrScheduler.CosineAnnealingWarmRestarts(opt, { T0: 4 });
   * sched.step(2.5);
   * sched.TCur; // 2.5
   * ```
   */
  TCur: number;

  constructor(optimizer: unknown, options: CosineAnnealingWarmRestartsOptions) {
    const owner = "CosineAnnealingWarmRestarts";
    super(owner, optimizer, options?.lastEpoch);
    checkKeys(owner, options, ["T0", "TMult", "etaMin", "lastEpoch"]);
    this.T0 = int(owner, "T0", options?.T0, undefined, 1);
    this.TI = this.T0;
    this.TMult = int(owner, "TMult", options.TMult, 1, 1);
    this.etaMin = num(owner, "etaMin", options.etaMin, 0.0);
    this.TCur = options.lastEpoch ?? -1;
    this._init(options.lastEpoch ?? -1);
  }

  /**
   * The learning rates at `TCur` of the current period (PyTorch's `get_lr`, a closed form,
   * so calling it outside a step gives the same values as `getLastLr()`).
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * const sched = new optim.lrScheduler.CosineAnnealingWarmRestarts(opt, { T0: 2 });
   * sched.step();
   * sched.getLr(); // [0.05]
   * ```
   */
  override getLr(): number[] {
    const { etaMin } = this;
    return this.baseLrs.map((b) => etaMin + ((b - etaMin) * (1 + Math.cos((Math.PI * this.TCur) / this.TI))) / 2);
  }

  /**
   * Advances one epoch, or jumps to `epoch` (fractional allowed, ≥ 0). Interleaving works:
   * `step(26)` then `step()` goes to epoch 27.
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * const sched = new optim.lrScheduler.CosineAnnealingWarmRestarts(opt, { T0: 4 });
   * const batches = 2;
   * for (let epoch = 0; epoch < 1; epoch++) {
   *   for (let i = 0; i < batches; i++) {
   *     opt.step();
   *     sched.step(epoch + i / batches);
   *   }
   * }
   * sched.getLastLr(); // [0.09619398]
   * ```
   */
  override step(epoch?: number): void {
    this._atomically(() => this._step(epoch));
  }

  private _step(epoch?: number): void {
    if (epoch === undefined && this.lastEpoch < 0) epoch = 0;
    if (epoch === undefined) {
      epoch = this.lastEpoch + 1;
      this.TCur = this.TCur + 1;
      if (this.TCur >= this.TI) {
        this.TCur = this.TCur % this.TI;
        this.TI = this.TI * this.TMult;
      }
    } else {
      if (typeof epoch !== "number" || !(epoch >= 0) || !(epoch <= Number.MAX_SAFE_INTEGER)) {
        throw new RangeError(`CosineAnnealingWarmRestarts: expected a non-negative epoch, got ${describe(epoch)}`);
      }
      if (epoch >= this.T0) {
        if (this.TMult === 1) {
          this.TCur = epoch % this.T0;
        } else {
          // Python: int(math.log(x, base)) == trunc(log(x) / log(base))
          const n = Math.trunc(Math.log((epoch / this.T0) * (this.TMult - 1) + 1) / Math.log(this.TMult));
          this.TCur = epoch - (this.T0 * (this.TMult ** n - 1)) / (this.TMult - 1);
          this.TI = this.T0 * this.TMult ** n;
        }
      } else {
        this.TI = this.T0;
        this.TCur = epoch;
      }
    }
    this.lastEpoch = Math.floor(epoch);
    let values: number[];
    this._getLrCalledWithinStep = true;
    try {
      values = this.getLr();
    } finally {
      this._getLrCalledWithinStep = false;
    }
    setLrs(this._name, this.optimizer, values);
    this._lastLr = groupValues(this.optimizer, "lr");
  }

  /** `TCur` may be fractional (`step(epoch)` takes fractional epochs). */
  override _stateSchema(): StateSchema {
    return {
      T0: intAtLeast(1), TI: intAtLeast(1), TMult: intAtLeast(1), etaMin: finite, TCur: finite,
      ...SCHEDULER_STATE,
    };
  }
}
