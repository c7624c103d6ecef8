import type { Optimizer } from "../optimizer.js";
import { checkGroupCount, LRScheduler, setLrs, setMomentum } from "./base.js";
import { bad, bool, checkKeys, describe, num, oneOf, perGroup, positive } from "./check.js";
import {
  boolean, finite, nullOnly, oneOfValues, perGroupNumbers, positiveNumber, SCHEDULER_STATE, within,
  type StateContext, type StateSchema,
} from "./state.js";

/**
 * The amplitude policy of `CyclicLR`: `"triangular"` (constant), `"triangular2"` (halved
 * each cycle), `"exp_range"` (scaled by `gamma ** iteration`); PyTorch's strings.
 *
 * ```ts
 * const mode: optim.lrScheduler.CyclicMode = "triangular2";
 * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1, momentum: 0.9 });
 * new optim.lrScheduler.CyclicLR(opt, { baseLr: 0.01, maxLr: 0.1, mode }).mode; // "triangular2"
 * ```
 */
export type CyclicMode = "triangular" | "triangular2" | "exp_range";

/**
 * Options of `CyclicLR` (PyTorch's defaults, names in camelCase): `baseLr` and `maxLr`
 * (required), `stepSizeUp = 2000`, `stepSizeDown = stepSizeUp`, `mode = "triangular"`,
 * `gamma = 1`, `scaleFn`, `scaleMode = "cycle"`, `cycleMomentum = true`,
 * `baseMomentum = 0.8`, `maxMomentum = 0.9`, `lastEpoch = -1`.
 *
 * ```ts
 * const opts: optim.lrScheduler.CyclicLROptions = { baseLr: 1e-3, maxLr: 1e-2, stepSizeUp: 4, mode: "exp_range", gamma: 0.99 };
 * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1, momentum: 0.9 });
 * new optim.lrScheduler.CyclicLR(opt, opts).totalSize; // 8
 * ```
 */
export interface CyclicLROptions {
  /** Lower lr boundary of the cycle, one value or one per group. Required. */
  baseLr: number | number[];
  /** Upper lr boundary of the cycle, one value or one per group. Required. */
  maxLr: number | number[];
  /** Iterations in the increasing half of a cycle. Default 2000. */
  stepSizeUp?: number;
  /** Iterations in the decreasing half; default `stepSizeUp`. */
  stepSizeDown?: number;
  /** Amplitude policy; ignored when `scaleFn` is given. Default "triangular". */
  mode?: CyclicMode;
  /** Base of "exp_range": amplitude scaled by gamma ** iterations. Default 1. */
  gamma?: number;
  /** Custom amplitude scaling, 0 <= scaleFn(x) <= 1 for x >= 0; replaces `mode`. */
  scaleFn?: (x: number) => number;
  /** What `scaleFn` receives: the cycle number or the iteration count. Default "cycle". */
  scaleMode?: "cycle" | "iterations";
  /** Cycle `momentum` (SGD-like) or `betas[0]` (Adam family) inversely to the lr. Default true. */
  cycleMomentum?: boolean;
  /** Momentum at the peak of the lr cycle. Default 0.8. */
  baseMomentum?: number | number[];
  /** Momentum at the start of a cycle. Default 0.9. */
  maxMomentum?: number | number[];
  /** The index of the last epoch (or batch) when resuming (default −1: start). */
  lastEpoch?: number;
}

const MODES = ["triangular", "triangular2", "exp_range"] as const;

const OPTIONS = [
  "baseLr", "maxLr", "stepSizeUp", "stepSizeDown", "mode", "gamma", "scaleFn", "scaleMode",
  "cycleMomentum", "baseMomentum", "maxMomentum", "lastEpoch",
] as const;

/**
 * Cyclical learning rates (https://arxiv.org/abs/1506.01186), as
 * `torch.optim.lr_scheduler.CyclicLR`: each group's lr cycles between `baseLr` and `maxLr`,
 * momentum inversely between `maxMomentum` and `baseMomentum` (`momentum` for SGD-like
 * optimizers, `betas[0]` for the Adam family). Step it after every batch. Modes:
 * "triangular" (constant amplitude), "triangular2" (amplitude halved each cycle),
 * "exp_range" (amplitude scaled by `gamma ** iteration`). The construction sets each group's
 * `lr` to `baseLr`. `scaleFn` is not part of `stateDict()`.
 *
 * ```ts
 * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1, momentum: 0.9 });
 * const sched = new optim.lrScheduler.CyclicLR(opt, { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 2 });
 * const lrs: number[] = [];
 * for (let epoch = 0; epoch < 6; epoch++) {
 *   lrs.push(sched.getLastLr()[0]);
 *   opt.step(); // a training epoch
 *   sched.step();
 * }
 * lrs; // [0.01, 0.055, 0.1, 0.055, 0.01, 0.055]
 * ```
 *
 * ```ts
 * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1, momentum: 0.9 });
 * const sched = new optim.lrScheduler.CyclicLR(opt, { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 2 });
 * opt.step(); sched.step();
 * opt.paramGroups[0].momentum; // 0.85: down as the lr goes up
 * ```
 */
export class CyclicLR extends LRScheduler {
  /**
   * The upper lr boundary of each group (PyTorch's `max_lrs`).
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1, momentum: 0.9 });
   * new optim.lrScheduler.CyclicLR(opt, { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 2 }).maxLrs; // [0.1]
   * ```
   */
  maxLrs: number[];
  /**
   * Iterations in one cycle: `stepSizeUp + stepSizeDown`.
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1, momentum: 0.9 });
   * new optim.lrScheduler.CyclicLR(opt, { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 2 }).totalSize; // 4
   * ```
   */
  totalSize: number;
  /**
   * The fraction of a cycle spent increasing: `stepSizeUp / totalSize`.
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1, momentum: 0.9 });
   * new optim.lrScheduler.CyclicLR(opt, { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 1, stepSizeDown: 3 }).stepRatio; // 0.25
   * ```
   */
  stepRatio: number;
  /**
   * The amplitude policy (`"triangular"`, `"triangular2"`, `"exp_range"`).
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1, momentum: 0.9 });
   * new optim.lrScheduler.CyclicLR(opt, { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 2 }).mode; // "triangular"
   * ```
   */
  mode: string;
  /**
   * The base of `"exp_range"` (default 1).
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1, momentum: 0.9 });
   * new optim.lrScheduler.CyclicLR(opt, { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 2 }).gamma; // 1
   * ```
   */
  gamma: number;
  _scaleFnRef?: (x: number) => number;
  _scaleFnCustom: ((x: number) => number) | null;
  /**
   * What the scale function receives: the cycle number (`"cycle"`) or the iteration count
   * (`"iterations"`; `"exp_range"` uses it).
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1, momentum: 0.9 });
   * new optim.lrScheduler.CyclicLR(opt, { baseLr: 0.01, maxLr: 0.1, mode: "exp_range" }).scaleMode; // "iterations"
   * ```
   */
  scaleMode: "cycle" | "iterations";
  /**
   * Whether momentum (or `betas[0]`) cycles inversely to the lr (default true).
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1, momentum: 0.9 });
   * new optim.lrScheduler.CyclicLR(opt, { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 2 }).cycleMomentum; // true
   * ```
   */
  cycleMomentum: boolean;
  /**
   * Whether the cycled momentum is `betas[0]` (an optimizer with `betas`) rather than
   * `momentum` (PyTorch's `use_beta1`).
   *
   * ```ts
   * const opt = new optim.Adam([torch.zeros([1], { requiresGrad: true })]);
   * new optim.lrScheduler.CyclicLR(opt, { baseLr: 0.001, maxLr: 0.01 }).useBeta1; // true
   * ```
   */
  declare useBeta1: boolean;
  /**
   * The momentum of each group at the lr's peak (default 0.8).
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1, momentum: 0.9 });
   * new optim.lrScheduler.CyclicLR(opt, { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 2 }).baseMomentums; // [0.8]
   * ```
   */
  declare baseMomentums: number[];
  /**
   * The momentum of each group at the start of a cycle (default 0.9).
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1, momentum: 0.9 });
   * new optim.lrScheduler.CyclicLR(opt, { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 2 }).maxMomentums; // [0.9]
   * ```
   */
  declare maxMomentums: number[];

  constructor(optimizer: unknown, options: CyclicLROptions) {
    const owner = "CyclicLR";
    super(owner, optimizer, options?.lastEpoch);
    checkKeys(owner, options, OPTIONS);
    const opt = this.optimizer;
    const o = options;
    const baseLrs = perGroup(owner, "baseLr", o?.baseLr, opt);
    const maxLrs = perGroup(owner, "maxLr", o.maxLr, opt);
    const stepSizeUp = positive(owner, "stepSizeUp", o.stepSizeUp, 2000);
    const stepSizeDown =
      o.stepSizeDown === undefined ? stepSizeUp : num(owner, "stepSizeDown", o.stepSizeDown);
    if (stepSizeDown < 0) throw new RangeError(`${owner}: stepSizeDown must be >= 0, got ${stepSizeDown}`);
    if (o.scaleFn !== undefined && typeof o.scaleFn !== "function") {
      throw new TypeError(`${owner}: scaleFn must be a function, got ${describe(o.scaleFn)}`);
    }
    const scaleFn = o.scaleFn ?? null;
    // PyTorch ignores `mode` when scaleFn is given, but a mode it would not know is a mistake
    // (and would make a state dict that no CyclicLR loads)
    const mode = oneOf<CyclicMode>(owner, "mode", o.mode, "triangular", MODES);
    const gamma = num(owner, "gamma", o.gamma, 1.0);
    const scaleMode = oneOf(owner, "scaleMode", o.scaleMode, "cycle", ["cycle", "iterations"] as const);
    const cycleMomentum = bool(owner, "cycleMomentum", o.cycleMomentum, true);
    let baseMomentums: number[] = [];
    let maxMomentums: number[] = [];
    let useBeta1 = false;
    if (cycleMomentum) {
      checkMomentumSupport(owner, opt);
      useBeta1 = "betas" in opt.defaults;
      baseMomentums = perGroup(owner, "baseMomentum", o.baseMomentum, opt, 0.8);
      maxMomentums = perGroup(owner, "maxMomentum", o.maxMomentum, opt, 0.9);
    }
    const lastEpoch = o.lastEpoch ?? -1;

    // all checked: from here on the optimizer changes
    if (lastEpoch === -1) setLrs(owner, opt, baseLrs);
    this.maxLrs = maxLrs;
    this.totalSize = stepSizeUp + stepSizeDown;
    this.stepRatio = stepSizeUp / this.totalSize;
    this.mode = mode;
    this.gamma = gamma;
    this._scaleFnCustom = scaleFn;
    this.scaleMode = scaleMode;
    this._initScaleFn();
    this.cycleMomentum = cycleMomentum;
    if (cycleMomentum) {
      this.useBeta1 = useBeta1;
      this.baseMomentums = baseMomentums;
      this.maxMomentums = maxMomentums;
      if (lastEpoch === -1) {
        opt.paramGroups.forEach((g, i) => {
          setMomentum(owner, g, i, maxMomentums[i], useBeta1);
          g.maxMomentum = maxMomentums[i];
          g.baseMomentum = baseMomentums[i];
        });
      }
    }
    this._init(lastEpoch);
    // PyTorch sets base_lrs after the initial step (which used the groups' initialLr)
    this.baseLrs = baseLrs;
  }

  _initScaleFn(): void {
    if (this._scaleFnCustom) return;
    if (this.mode === "triangular") {
      this._scaleFnRef = () => 1.0;
      this.scaleMode = "cycle";
    } else if (this.mode === "triangular2") {
      this._scaleFnRef = (x) => 1 / 2.0 ** (x - 1);
      this.scaleMode = "cycle";
    } else if (this.mode === "exp_range") {
      const gamma = this.gamma;
      this._scaleFnRef = (x) => gamma ** x;
      this.scaleMode = "iterations";
    }
  }

  /**
   * The amplitude scaling policy: the custom `scaleFn` given, or the mode's (1 for
   * "triangular", 1/2^(x−1) for "triangular2", gamma^x for "exp_range").
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1, momentum: 0.9 });
   * const sched = new optim.lrScheduler.CyclicLR(opt, { baseLr: 0.01, maxLr: 0.1, mode: "triangular2" });
   * sched.scaleFn(3); // 0.25
   * ```
   */
  scaleFn(x: number): number {
    return this._scaleFnCustom ? this._scaleFnCustom(x) : this._scaleFnRef!(x);
  }

  /**
   * The learning rates at `lastEpoch` (PyTorch's `get_lr`, a closed form); with
   * `cycleMomentum` it also sets each group's momentum (or `betas[0]`), as PyTorch's does.
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1, momentum: 0.9 });
   * const sched = new optim.lrScheduler.CyclicLR(opt, { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 2 });
   * opt.step(); sched.step();
   * sched.getLr(); // [0.055]
   * ```
   */
  override getLr(): number[] {
    // PyTorch zips base_lrs and the momentums with the groups (strict): a group added later raises
    checkGroupCount(this._name, this.optimizer, this.baseLrs.length, "base learning rates");
    const cycle = Math.floor(1 + this.lastEpoch / this.totalSize);
    const x = 1.0 + this.lastEpoch / this.totalSize - cycle;
    const scaleFactor = x <= this.stepRatio ? x / this.stepRatio : (x - 1) / (this.stepRatio - 1);
    const s = this.scaleFn(this.scaleMode === "cycle" ? cycle : this.lastEpoch);
    // (JavaScript would multiply by "0.5"; Python raises TypeError)
    if (typeof s !== "number") throw new TypeError(`CyclicLR: scaleFn returned ${describe(s)}; it must return a number`);
    const lrs = this.baseLrs.map((baseLr, i) => baseLr + (this.maxLrs[i] - baseLr) * scaleFactor * s);
    if (this.cycleMomentum) {
      const momentums = this.baseMomentums.map((b, i) => {
        const m = this.maxMomentums[i];
        return m - (m - b) * scaleFactor * s;
      });
      this.optimizer.paramGroups.forEach((g, i) => {
        setMomentum(this._name, g, i, momentums[i], this.useBeta1);
      });
    }
    return lrs;
  }

  /**
   * The scheduler's state (see `LRScheduler.stateDict`) without the scale functions: a custom
   * `scaleFn` is given again to the constructor of the scheduler that loads.
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1, momentum: 0.9 });
   * const sched = new optim.lrScheduler.CyclicLR(opt, { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 2 });
   * "scaleFn" in sched.stateDict(); // false
   * sched.stateDict().totalSize;     // 4
   * ```
   */
  override stateDict(): Record<string, unknown> {
    const sd = super.stateDict();
    delete sd._scaleFnRef;
    sd._scaleFnCustom = null;
    return sd;
  }

  /** The momentum keys are there when `cycleMomentum` is (as in PyTorch's `__dict__`). */
  override _stateSchema(sd: Record<string, unknown>): StateSchema {
    return {
      maxLrs: perGroupNumbers, totalSize: positiveNumber, stepRatio: within(0, 1, true), mode: oneOfValues(MODES),
      gamma: finite, _scaleFnCustom: nullOnly, scaleMode: oneOfValues(["cycle", "iterations"]), cycleMomentum: boolean,
      ...(sd.cycleMomentum === true ? { useBeta1: boolean, baseMomentums: perGroupNumbers, maxMomentums: perGroupNumbers } : {}),
      ...SCHEDULER_STATE,
    };
  }

  override _checkStateTogether(state: Record<string, unknown>, ctx: StateContext, path: string): void {
    // a built-in mode fixes the scale mode (_initScaleFn sets it on load)
    if (!this._scaleFnCustom) {
      const want = state.mode === "exp_range" ? "iterations" : "cycle";
      if (state.scaleMode !== want) bad(ctx.owner, `${path}scaleMode`, `${JSON.stringify(want)} with mode ${JSON.stringify(state.mode)}`, state.scaleMode);
    }
    if (state.cycleMomentum) checkBeta1(ctx.owner, path, this.optimizer, state.useBeta1);
  }

  /** Keeps the custom scale function, rebuilds the built-in one, drops unused momentum fields. */
  override _applyState(state: Record<string, unknown>): void {
    const { _scaleFnCustom: _, ...rest } = state;
    if (!rest.cycleMomentum) {
      delete (this as Partial<CyclicLR>).useBeta1;
      delete (this as Partial<CyclicLR>).baseMomentums;
      delete (this as Partial<CyclicLR>).maxMomentums;
    }
    super._applyState(rest);
    this._initScaleFn();
  }
}

/** Cycling momentum needs an optimizer with `momentum` (SGD-like) or `betas` (Adam family). */
export function checkMomentumSupport(owner: string, opt: Optimizer): void {
  if (!("momentum" in opt.defaults) && !("betas" in opt.defaults)) {
    throw new Error(`${owner}: optimizer must support momentum or beta1 with \`cycleMomentum\` option enabled`);
  }
}

/** A loaded `useBeta1` must say what the optimizer has: `betas` (true) or `momentum` (false). */
export function checkBeta1(owner: string, path: string, opt: Optimizer, useBeta1: unknown): void {
  checkMomentumSupport(owner, opt);
  const want = "betas" in opt.defaults;
  if (useBeta1 !== want) bad(owner, `${path}useBeta1`, `${want} for ${opt.constructor.name} (its groups have ${want ? "betas" : "momentum"})`, useBeta1);
}
