import { groupValues, LRScheduler } from "./base.js";
import { bad, checkKeys, describe, inRange, int, num, oneOf } from "./check.js";
import {
  arrayOf, finite, intAtLeast, nullOr, oneOfValues, perGroupNumbers, within, type StateCheck, type StateContext,
  type StateSchema,
} from "./state.js";

/**
 * Options of `ReduceLROnPlateau` (PyTorch's defaults): `mode = "min"`, `factor = 0.1`,
 * `patience = 10`, `threshold = 1e-4`, `thresholdMode = "rel"`, `cooldown = 0`, `minLr = 0`,
 * `eps = 1e-8`.
 *
 * ```ts
 * const opts: optim.lrScheduler.ReduceLROnPlateauOptions = { mode: "max", patience: 3 };
 * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
 * new optim.lrScheduler.ReduceLROnPlateau(opt, opts).best; // -Infinity
 * ```
 */
export interface ReduceLROnPlateauOptions {
  /** "min": reduce when the metric stops decreasing; "max": stops increasing. Default "min". */
  mode?: "min" | "max";
  /** new lr = lr * factor; in [0, 1). Default 0.1. */
  factor?: number;
  /** Epochs without improvement tolerated before reducing. Default 10. */
  patience?: number;
  /** Minimum change that counts as an improvement. Default 1e-4. */
  threshold?: number;
  /** "rel": best * (1 ∓ threshold); "abs": best ∓ threshold. Default "rel". */
  thresholdMode?: "rel" | "abs";
  /** Epochs to wait after a reduction before counting bad epochs again. Default 0. */
  cooldown?: number;
  /** Lower bound on the lr, one value or one per group. Default 0. */
  minLr?: number | number[];
  /** Reductions smaller than eps are skipped. Default 1e-8. */
  eps?: number;
}

const OPTIONS = ["mode", "factor", "patience", "threshold", "thresholdMode", "cooldown", "minLr", "eps"] as const;

/**
 * Reduces each group's lr by `factor` when a metric has not improved for more than
 * `patience` epochs, as `torch.optim.lr_scheduler.ReduceLROnPlateau`. Step it with the
 * metric: `sched.step(valLoss)`.
 *
 * ```ts
 * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
 * const sched = new optim.lrScheduler.ReduceLROnPlateau(opt, { factor: 0.5, patience: 1 });
 * const lrs: number[] = [];
 * for (const valLoss of [1, 1, 1, 1, 1, 1]) {
 *   lrs.push(sched.getLastLr()[0]);
 *   opt.step(); // a training epoch
 *   sched.step(valLoss);
 * }
 * lrs; // halved after each 2 epochs without improvement: [0.1, 0.1, 0.1, 0.05, 0.05, 0.025]
 * ```
 */
export class ReduceLROnPlateau extends LRScheduler {
  /**
   * The factor a reduction multiplies the lr by (default 0.1).
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * new optim.lrScheduler.ReduceLROnPlateau(opt).factor; // 0.1
   * ```
   */
  factor: number;
  /**
   * The `minLr` given as one number (used for every group, and for groups added later), or
   * null when one per group was given.
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * new optim.lrScheduler.ReduceLROnPlateau(opt).defaultMinLr; // 0
   * ```
   */
  defaultMinLr: number | null;
  /**
   * The lowest lr of each group (PyTorch's `min_lrs`).
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * new optim.lrScheduler.ReduceLROnPlateau(opt, { minLr: 1e-5 }).minLrs; // [1e-5]
   * ```
   */
  minLrs: number[];
  /**
   * The number of epochs without improvement tolerated before a reduction (default 10).
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * new optim.lrScheduler.ReduceLROnPlateau(opt).patience; // 10
   * ```
   */
  patience: number;
  /**
   * Epochs to wait after a reduction before counting bad epochs again (default 0).
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * new optim.lrScheduler.ReduceLROnPlateau(opt, { cooldown: 2 }).cooldown; // 2
   * ```
   */
  cooldown: number;
  /**
   * The smallest change of lr applied; smaller reductions are skipped (default 1e-8).
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * new optim.lrScheduler.ReduceLROnPlateau(opt).eps; // 1e-8
   * ```
   */
  eps: number;
  /**
   * `"min"`: the metric should decrease (a loss); `"max"`: increase (an accuracy).
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * new optim.lrScheduler.ReduceLROnPlateau(opt, { mode: "max" }).mode; // "max"
   * ```
   */
  declare mode: "min" | "max";
  /**
   * The least change that counts as an improvement (default 1e-4; see `thresholdMode`).
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * new optim.lrScheduler.ReduceLROnPlateau(opt).threshold; // 1e-4
   * ```
   */
  declare threshold: number;
  /**
   * `"rel"`: better than best · (1 ∓ threshold); `"abs"`: better than best ∓ threshold.
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * new optim.lrScheduler.ReduceLROnPlateau(opt).thresholdMode; // "rel"
   * ```
   */
  declare thresholdMode: "rel" | "abs";
  /**
   * The worst value of the mode (+Infinity for "min", −Infinity for "max"), where `best`
   * starts (PyTorch's `mode_worse`).
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * new optim.lrScheduler.ReduceLROnPlateau(opt).modeWorse; // Infinity
   * ```
   */
  declare modeWorse: number;
  /**
   * The best metric seen so far.
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * const sched = new optim.lrScheduler.ReduceLROnPlateau(opt);
   * sched.step(0.5);
   * sched.step(0.7);
   * sched.best; // 0.5
   * ```
   */
  declare best: number;
  /**
   * Epochs of cooldown left after the last reduction.
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * const sched = new optim.lrScheduler.ReduceLROnPlateau(opt, { patience: 0, cooldown: 2 });
   * sched.step(1);
   * sched.step(1); // no improvement: reduce, then cool down
   * sched.cooldownCounter; // 2
   * ```
   */
  declare cooldownCounter: number;
  /**
   * Consecutive epochs without improvement so far.
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * const sched = new optim.lrScheduler.ReduceLROnPlateau(opt);
   * sched.step(1);
   * sched.step(1);
   * sched.step(2);
   * sched.numBadEpochs; // 2
   * ```
   */
  declare numBadEpochs: number;

  constructor(optimizer: unknown, options: ReduceLROnPlateauOptions = {}) {
    const owner = "ReduceLROnPlateau";
    super(owner, optimizer);
    checkKeys(owner, options, OPTIONS);
    const o = options;
    const n = this.optimizer.paramGroups.length;
    const factor = inRange(owner, "factor", o.factor, 0.1, 0, 1, false, true);
    let minLrs: number[];
    let defaultMinLr: number | null;
    if (Array.isArray(o.minLr)) {
      if (o.minLr.length !== n) {
        throw new RangeError(`${owner}: expected ${n} minLr values (one per param group), got ${o.minLr.length}`);
      }
      minLrs = o.minLr.map((x, i) => num(owner, `minLr[${i}]`, x));
      defaultMinLr = null;
    } else {
      defaultMinLr = num(owner, "minLr", o.minLr, 0);
      minLrs = new Array<number>(n).fill(defaultMinLr);
    }
    const patience = int(owner, "patience", o.patience, 10, 0);
    const cooldown = int(owner, "cooldown", o.cooldown, 0, 0);
    const eps = num(owner, "eps", o.eps, 1e-8);
    const mode = oneOf(owner, "mode", o.mode, "min", ["min", "max"] as const);
    const threshold = num(owner, "threshold", o.threshold, 1e-4);
    const thresholdMode = oneOf(owner, "thresholdMode", o.thresholdMode, "rel", ["rel", "abs"] as const);

    this.factor = factor;
    this.defaultMinLr = defaultMinLr;
    this.minLrs = minLrs;
    this.patience = patience;
    this.cooldown = cooldown;
    this.eps = eps;
    this.lastEpoch = 0;
    this._lastLr = groupValues(this.optimizer, "lr");
    this._initIsBetter(mode, threshold, thresholdMode);
    this._reset();
  }

  /** Resets the bad-epoch and cooldown counters. */
  _reset(): void {
    this.best = this.modeWorse;
    this.cooldownCounter = 0;
    this.numBadEpochs = 0;
  }

  /**
   * Records one epoch's metric (a number, or anything with `item()` such as a 0-d tensor)
   * and reduces the lr when it has not improved for more than `patience` epochs.
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * const sched = new optim.lrScheduler.ReduceLROnPlateau(opt, { patience: 0 });
   * sched.step(torch.tensor(1.5)); // a 0-d loss tensor works too
   * sched.step(1.5);
   * sched.getLastLr(); // [0.01]
   * ```
   */
  override step(metrics?: number | { item(): number }, epoch?: number): void {
    const current = typeof metrics === "number" ? metrics : metrics?.item?.();
    if (typeof current !== "number") {
      throw new TypeError(`ReduceLROnPlateau: step(metrics) needs a number or a scalar tensor, got ${describe(metrics)}`);
    }
    const e = epoch === undefined ? this.lastEpoch + 1 : int("ReduceLROnPlateau", "epoch", epoch, undefined, 0);
    this._atomically(() => this._step(current, e));
  }

  private _step(current: number, e: number): void {
    this.lastEpoch = e;

    if (this._isBetter(current, this.best)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs += 1;
    }
    if (this.inCooldown) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0; // ignore any bad epochs in cooldown
    }
    if (this.numBadEpochs > this.patience) {
      this._reduceLr(e);
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this._lastLr = groupValues(this.optimizer, "lr");
  }

  _reduceLr(_epoch: number): void {
    const groups = this.optimizer.paramGroups;
    if (groups.length !== this.minLrs.length) {
      if (this.defaultMinLr === null) {
        throw new Error(
          `ReduceLROnPlateau: the number of param groups in the optimizer (${groups.length}) differs from ` +
            `when ReduceLROnPlateau was initialized (${this.minLrs.length}), usually due to a new param ` +
            `group being added to the optimizer. Please modify the \`minLrs\` field to match the length ` +
            `of the optimizer's param groups.`,
        );
      }
      this.minLrs = new Array<number>(groups.length).fill(this.defaultMinLr);
    }
    groups.forEach((g, i) => {
      const oldLr = Number(g.lr);
      const newLr = Math.max(oldLr * this.factor, this.minLrs[i]);
      if (oldLr - newLr > this.eps) g.lr = newLr;
    });
  }

  /**
   * Whether the scheduler is cooling down after a reduction (PyTorch's `in_cooldown`).
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * const sched = new optim.lrScheduler.ReduceLROnPlateau(opt, { patience: 0, cooldown: 1 });
   * sched.step(1);
   * sched.step(1);
   * sched.inCooldown; // true
   * ```
   */
  get inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }

  _isBetter(a: number, best: number): boolean {
    if (this.mode === "min" && this.thresholdMode === "rel") return a < best * (1.0 - this.threshold);
    if (this.mode === "min" && this.thresholdMode === "abs") return a < best - this.threshold;
    if (this.mode === "max" && this.thresholdMode === "rel") return a > best * (this.threshold + 1.0);
    return a > best + this.threshold;
  }

  _initIsBetter(mode: unknown, threshold: number, thresholdMode: unknown): void {
    this.mode = oneOf("ReduceLROnPlateau", "mode", mode, "min", ["min", "max"] as const);
    this.thresholdMode = oneOf("ReduceLROnPlateau", "thresholdMode", thresholdMode, "rel", ["rel", "abs"] as const);
    this.modeWorse = this.mode === "min" ? Infinity : -Infinity;
    this.threshold = threshold;
  }

  /**
   * Not available: ReduceLROnPlateau computes no schedule (it reacts to metrics); use
   * `getLastLr()`.
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * const sched = new optim.lrScheduler.ReduceLROnPlateau(opt);
   * sched.getLastLr(); // [0.1]
   * sched.getLr();     // throws: use getLastLr()
   * ```
   */
  override getLr(): number[] {
    throw new Error("ReduceLROnPlateau has no getLr(); use getLastLr()");
  }

  /**
   * The scheduler's state (see `LRScheduler.stateDict`). JSON has no Infinity (`JSON.stringify`
   * writes null), and `best` is ±Infinity until a metric improves on it (and may stay -Infinity
   * in "min" mode after a -Infinity metric), so null could not say which. The choice here: the
   * state dict itself is JSON-safe, with the strings "Infinity" and "-Infinity" for infinite
   * `best` and `modeWorse` (`Number(s)` reads them back); `loadStateDict` takes those strings
   * or numbers.
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
   * const sched = new optim.lrScheduler.ReduceLROnPlateau(opt);
   * sched.stateDict().best; // "Infinity"
   * sched.step(0.25);
   * sched.stateDict().best; // 0.25
   * ```
   */
  override stateDict(): Record<string, unknown> {
    const sd = super.stateDict();
    sd.best = jsonNumber(this.best);
    sd.modeWorse = jsonNumber(this.modeWorse);
    return sd;
  }

  override _stateSchema(): StateSchema {
    return {
      factor: within(0, 1, false, true), defaultMinLr: nullOr(finite, "a finite number or null"),
      minLrs: arrayOf(null, finite, "finite numbers"),
      patience: intAtLeast(0), cooldown: intAtLeast(0), eps: finite, lastEpoch: intAtLeast(-1), _lastLr: perGroupNumbers,
      mode: oneOfValues(["min", "max"]), thresholdMode: oneOfValues(["rel", "abs"]), modeWorse: extendedNumber,
      threshold: finite, best: extendedNumber, cooldownCounter: intAtLeast(0), numBadEpochs: intAtLeast(0),
    };
  }

  override _checkStateTogether(state: Record<string, unknown>, ctx: StateContext, path: string): void {
    const worse = state.mode === "min" ? "Infinity" : "-Infinity";
    if (String(state.modeWorse) !== worse) bad(ctx.owner, `${path}modeWorse`, `${JSON.stringify(worse)} with mode ${JSON.stringify(state.mode)}`, state.modeWorse);
    // one per group; with a single minLr given, PyTorch refills the list when the groups change
    const minLrs = state.minLrs as number[];
    if (state.defaultMinLr === null && minLrs.length !== ctx.groups) {
      bad(ctx.owner, `${path}minLrs`, `an array of ${ctx.groups} finite numbers (one per param group)`, minLrs);
    }
  }

  override _applyState(state: Record<string, unknown>): void {
    super._applyState({ ...state, best: Number(state.best), modeWorse: Number(state.modeWorse) });
  }
}

/** A number for a JSON state dict: infinities as the strings "Infinity" and "-Infinity". */
function jsonNumber(x: number): number | string {
  return Number.isFinite(x) ? x : String(x);
}

/** A number that may be infinite, as a number or as stateDict() writes it ("Infinity", "-Infinity"). */
const extendedNumber: StateCheck = (v, key, c) => {
  if (v === "Infinity" || v === "-Infinity") return v;
  if (typeof v !== "number" || Number.isNaN(v)) bad(c.owner, key, 'a number, "Infinity" or "-Infinity"', v);
  return jsonNumber(v);
};
