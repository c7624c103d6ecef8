import { checkGroupKeys, LRScheduler, setMomentum } from "./base.js";
import { bad, bool, checkKeys, describe, inRange, int, oneOf, perGroup, positive } from "./check.js";
import { checkBeta1, checkMomentumSupport } from "./cyclic_lr.js";
import {
  boolean, elements, finite, intAtLeast, isPlainObject, oneOfValues, SCHEDULER_STATE, type StateCheck, type StateContext,
  type StateSchema,
} from "./state.js";

/**
 * Options of `OneCycleLR` (PyTorch's defaults, names in camelCase): `maxLr` (required), and
 * `totalSteps` or both `epochs` and `stepsPerEpoch`; `pctStart = 0.3`,
 * `annealStrategy = "cos"`, `cycleMomentum = true`, `baseMomentum = 0.85`,
 * `maxMomentum = 0.95`, `divFactor = 25`, `finalDivFactor = 1e4`, `threePhase = false`,
 * `lastEpoch = -1`.
 *
 * ```ts
 * const opts: optim.lrScheduler.OneCycleLROptions = { maxLr: 0.1, epochs: 10, stepsPerEpoch: 100 };
 * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1, momentum: 0.9 });
 * new optim.lrScheduler.OneCycleLR(opt, opts).totalSteps; // 1000
 * ```
 */
export interface OneCycleLROptions {
  /** Peak lr, one value or one per group. Required. */
  maxLr: number | number[];
  /** Steps in the cycle; or give `epochs` and `stepsPerEpoch`. */
  totalSteps?: number;
  /** Epochs in the cycle (with `stepsPerEpoch`, instead of `totalSteps`). */
  epochs?: number;
  /** Batches per epoch (with `epochs`, instead of `totalSteps`). */
  stepsPerEpoch?: number;
  /** Fraction of the cycle spent increasing the lr. Default 0.3. */
  pctStart?: number;
  /** Default "cos". */
  annealStrategy?: "cos" | "linear";
  /** Cycle `momentum` (SGD-like) or `betas[0]` (Adam family) inversely to the lr. Default true. */
  cycleMomentum?: boolean;
  /** Momentum at the lr peak. Default 0.85. */
  baseMomentum?: number | number[];
  /** Momentum at the start and end. Default 0.95. */
  maxMomentum?: number | number[];
  /** initialLr = maxLr / divFactor. Default 25. */
  divFactor?: number;
  /** minLr = initialLr / finalDivFactor. Default 1e4. */
  finalDivFactor?: number;
  /** Three phases (up, down to initialLr, annihilate) as in the paper. Default false. */
  threePhase?: boolean;
  /** The index of the last batch stepped when resuming (default −1: start). */
  lastEpoch?: number;
}

interface SchedulePhase {
  endStep: number;
  startLr: string;
  endLr: string;
  startMomentum: string;
  endMomentum: string;
}

const OPTIONS = [
  "maxLr", "totalSteps", "epochs", "stepsPerEpoch", "pctStart", "annealStrategy", "cycleMomentum",
  "baseMomentum", "maxMomentum", "divFactor", "finalDivFactor", "threePhase", "lastEpoch",
] as const;

function annealCos(start: number, end: number, pct: number): number {
  const cosOut = Math.cos(Math.PI * pct) + 1;
  return end + ((start - end) / 2.0) * cosOut;
}

function annealLinear(start: number, end: number, pct: number): number {
  return (end - start) * pct + start;
}

/**
 * The 1cycle policy (https://arxiv.org/abs/1708.07120), as `torch.optim.lr_scheduler.OneCycleLR`:
 * each group's lr rises from `maxLr / divFactor` to `maxLr`, then anneals to
 * `initialLr / finalDivFactor`; momentum moves the opposite way. Not chainable. Step it after
 * every batch, `totalSteps` times; stepping further throws. Sets `initialLr`, `maxLr`, `minLr`
 * (and `maxMomentum`, `baseMomentum`) in every group.
 *
 * ```ts
 * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1, momentum: 0.9 });
 * const sched = new optim.lrScheduler.OneCycleLR(opt, { maxLr: 0.1, totalSteps: 6 });
 * const lrs: number[] = [];
 * for (let epoch = 0; epoch < 6; epoch++) {
 *   lrs.push(sched.getLastLr()[0]);
 *   opt.step(); // a training epoch
 *   sched.step();
 * }
 * lrs; // [0.004, 0.09944154, 0.08117457, 0.04626371, 0.01334775, 4e-7]
 * ```
 */
export class OneCycleLR extends LRScheduler {
  /**
   * The number of steps in the cycle (`totalSteps`, or `epochs · stepsPerEpoch`).
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1, momentum: 0.9 });
   * new optim.lrScheduler.OneCycleLR(opt, { maxLr: 0.1, epochs: 3, stepsPerEpoch: 10 }).totalSteps; // 30
   * ```
   */
  totalSteps: number;
  _schedulePhases: SchedulePhase[];
  _annealFuncType: "cos" | "linear";
  /**
   * Whether momentum (or `betas[0]`) cycles inversely to the lr (default true).
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1, momentum: 0.9 });
   * new optim.lrScheduler.OneCycleLR(opt, { maxLr: 0.1, totalSteps: 10 }).cycleMomentum; // true
   * ```
   */
  cycleMomentum: boolean;
  /**
   * Whether the cycled momentum is `betas[0]` (an optimizer with `betas`) rather than
   * `momentum` (PyTorch's `use_beta1`).
   *
   * ```ts
   * const opt = new optim.AdamW([torch.zeros([1], { requiresGrad: true })]);
   * new optim.lrScheduler.OneCycleLR(opt, { maxLr: 0.01, totalSteps: 10 }).useBeta1; // true
   * ```
   */
  declare useBeta1: boolean;

  constructor(optimizer: unknown, options: OneCycleLROptions) {
    const owner = "OneCycleLR";
    super(owner, optimizer, options?.lastEpoch);
    checkKeys(owner, options, OPTIONS);
    const opt = this.optimizer;
    const o = options ?? ({} as OneCycleLROptions);
    let totalSteps: number;
    if (o.totalSteps !== undefined) {
      totalSteps = int(owner, "totalSteps", o.totalSteps, undefined, 1);
    } else if (o.epochs !== undefined && o.stepsPerEpoch !== undefined) {
      totalSteps = int(owner, "epochs", o.epochs, undefined, 1) * int(owner, "stepsPerEpoch", o.stepsPerEpoch, undefined, 1);
    } else {
      throw new TypeError(`${owner}: You must define either totalSteps OR (epochs AND stepsPerEpoch)`);
    }
    const pctStart = inRange(owner, "pctStart", o.pctStart, 0.3, 0, 1);
    const annealStrategy = oneOf(owner, "annealStrategy", o.annealStrategy, "cos", ["cos", "linear"] as const);
    const maxLrs = perGroup(owner, "maxLr", o.maxLr, opt);
    const divFactor = positive(owner, "divFactor", o.divFactor, 25.0);
    const finalDivFactor = positive(owner, "finalDivFactor", o.finalDivFactor, 1e4);
    const threePhase = bool(owner, "threePhase", o.threePhase, false);
    const cycleMomentum = bool(owner, "cycleMomentum", o.cycleMomentum, true);
    let maxMomentums: number[] = [];
    let baseMomentums: number[] = [];
    if (cycleMomentum) {
      checkMomentumSupport(owner, opt);
      maxMomentums = perGroup(owner, "maxMomentum", o.maxMomentum, opt, 0.95);
      baseMomentums = perGroup(owner, "baseMomentum", o.baseMomentum, opt, 0.85);
    }
    const end0 = pctStart * totalSteps - 1;
    const ends = threePhase ? [end0, 2 * pctStart * totalSteps - 2, totalSteps - 1] : [end0, totalSteps - 1];
    const phases = PHASES[ends.length].map((p, i) => ({ endStep: ends[i], ...p }));
    if (end0 === 0) {
      // PyTorch fails here with ZeroDivisionError in the initial step (0/0 in phase 0)
      throw new RangeError(
        `${owner}: pctStart * totalSteps must not be 1 (the warm-up phase would be empty), ` +
          `got pctStart ${describe(pctStart)} and totalSteps ${totalSteps}`,
      );
    }
    const lastEpoch = o.lastEpoch ?? -1;

    // all checked: from here on the optimizer changes
    this.totalSteps = totalSteps;
    this._schedulePhases = phases;
    this._annealFuncType = annealStrategy;
    if (lastEpoch === -1) {
      opt.paramGroups.forEach((g, i) => {
        g.initialLr = maxLrs[i] / divFactor;
        g.maxLr = maxLrs[i];
        g.minLr = g.initialLr / finalDivFactor;
      });
    }
    this.cycleMomentum = cycleMomentum;
    if (cycleMomentum) {
      const useBeta1 = "betas" in opt.defaults;
      this.useBeta1 = useBeta1;
      if (lastEpoch === -1) {
        opt.paramGroups.forEach((g, i) => {
          setMomentum(owner, g, i, maxMomentums[i], useBeta1);
          g.maxMomentum = maxMomentums[i];
          g.baseMomentum = baseMomentums[i];
        });
      }
    }
    this._init(lastEpoch);
  }

  private _stepsError(stepNum: number): Error {
    return new RangeError(`Tried to step ${stepNum} times. The specified number of total steps is ${this.totalSteps}`);
  }

  /**
   * Advances one batch; throws (PyTorch's message) before changing anything when stepped past
   * `totalSteps`.
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1, momentum: 0.9 });
   * const sched = new optim.lrScheduler.OneCycleLR(opt, { maxLr: 0.1, totalSteps: 2 });
   * sched.step();
   * sched.step();
   * sched.step(); // throws: Tried to step 3 times
   * ```
   */
  override step(epoch?: number): void {
    const next = epoch ?? this.lastEpoch + 1;
    if (next > this.totalSteps) throw this._stepsError(next);
    super.step(epoch);
  }

  /**
   * The learning rates at `lastEpoch` from the phases (PyTorch's `get_lr`, a closed form);
   * with `cycleMomentum` it also sets each group's momentum (or `betas[0]`).
   *
   * ```ts
   * const opt = new optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1, momentum: 0.9 });
   * const sched = new optim.lrScheduler.OneCycleLR(opt, { maxLr: 0.1, totalSteps: 6 });
   * sched.getLr(); // [0.004]
   * opt.paramGroups[0].momentum; // 0.95
   * ```
   */
  override getLr(): number[] {
    const stepNum = this.lastEpoch;
    if (stepNum > this.totalSteps) throw this._stepsError(stepNum);
    const keys = this.cycleMomentum ? LR_AND_MOMENTUM_KEYS : LR_KEYS;
    this.optimizer.paramGroups.forEach((g, i) => checkGroupKeys(this._name, g, i, keys));
    const anneal = this._annealFuncType === "cos" ? annealCos : annealLinear;
    const phases = this._schedulePhases;
    return this.optimizer.paramGroups.map((group, gi) => {
      let startStep = 0.0;
      for (let i = 0; i < phases.length; i++) {
        const phase = phases[i];
        const endStep = phase.endStep;
        if (stepNum <= endStep || i === phases.length - 1) {
          if (endStep - startStep === 0) {
            throw new RangeError(`OneCycleLR: step ${stepNum} falls in an empty phase (float division by zero)`);
          }
          const pct = (stepNum - startStep) / (endStep - startStep);
          const lr = anneal(group[phase.startLr], group[phase.endLr], pct);
          if (this.cycleMomentum) {
            const m = anneal(group[phase.startMomentum], group[phase.endMomentum], pct);
            setMomentum(this._name, group, gi, m, this.useBeta1);
          }
          return lr;
        }
        startStep = phase.endStep;
      }
      throw new Error("unreachable");
    });
  }

  override _stateSchema(sd: Record<string, unknown>): StateSchema {
    return {
      totalSteps: intAtLeast(1), _schedulePhases: schedulePhases, _annealFuncType: oneOfValues(["cos", "linear"]),
      cycleMomentum: boolean, ...(sd.cycleMomentum === true ? { useBeta1: boolean } : {}),
      ...SCHEDULER_STATE,
    };
  }

  override _checkStateTogether(state: Record<string, unknown>, ctx: StateContext, path: string): void {
    const phases = state._schedulePhases as SchedulePhase[];
    const last = phases[phases.length - 1].endStep;
    if (last !== (state.totalSteps as number) - 1) {
      bad(ctx.owner, `${path}_schedulePhases[${phases.length - 1}].endStep`, `totalSteps - 1 = ${(state.totalSteps as number) - 1}`, last);
    }
    if (state.cycleMomentum) checkBeta1(ctx.owner, path, this.optimizer, state.useBeta1);
  }

  /** Drops `useBeta1` when the loaded state does not cycle momentum (PyTorch never sets it then). */
  override _applyState(state: Record<string, unknown>): void {
    if (!state.cycleMomentum) delete (this as Partial<OneCycleLR>).useBeta1;
    super._applyState(state);
  }
}

/** The group keys the phases read (OneCycleLR writes them into its groups when created). */
const LR_KEYS = ["initialLr", "maxLr", "minLr"];
const LR_AND_MOMENTUM_KEYS = [...LR_KEYS, "maxMomentum", "baseMomentum"];

/** PyTorch's phases (`_schedule_phases`) without their end steps, for two and three phases. */
const PHASES: Record<number, Omit<SchedulePhase, "endStep">[]> = {
  2: [
    { startLr: "initialLr", endLr: "maxLr", startMomentum: "maxMomentum", endMomentum: "baseMomentum" },
    { startLr: "maxLr", endLr: "minLr", startMomentum: "baseMomentum", endMomentum: "maxMomentum" },
  ],
  3: [
    { startLr: "initialLr", endLr: "maxLr", startMomentum: "maxMomentum", endMomentum: "baseMomentum" },
    { startLr: "maxLr", endLr: "initialLr", startMomentum: "baseMomentum", endMomentum: "maxMomentum" },
    { startLr: "initialLr", endLr: "minLr", startMomentum: "maxMomentum", endMomentum: "maxMomentum" },
  ],
};

/**
 * `_schedulePhases`: two or three phases, each PyTorch's with a finite `endStep`, in order.
 * The group keys they name are read from the groups, so nothing else is accepted there.
 */
const schedulePhases: StateCheck = (v, key, c) => {
  const expected = "two or three phases { endStep, startLr, endLr, startMomentum, endMomentum } as OneCycleLR makes them";
  const items = elements(v);
  if (items === null || !Object.hasOwn(PHASES, items.length)) bad(c.owner, key, expected, v);
  const out: SchedulePhase[] = [];
  items.forEach((p, i) => {
    const want = PHASES[items.length][i];
    const at = `${key}[${i}]`;
    if (!isPlainObject(p)) bad(c.owner, at, "a phase { endStep, startLr, endLr, startMomentum, endMomentum }", p);
    const extra = Object.keys(p).find((k) => k !== "endStep" && !Object.hasOwn(want, k));
    if (extra !== undefined) bad(c.owner, `${at}.${extra}`, "absent (a phase has endStep, startLr, endLr, startMomentum, endMomentum)", p[extra]);
    for (const [k, name] of Object.entries(want)) {
      if (p[k] !== name) bad(c.owner, `${at}.${k}`, JSON.stringify(name), p[k]);
    }
    const endStep = finite(p.endStep, `${at}.endStep`, c) as number;
    if (i > 0 && endStep < out[i - 1].endStep) bad(c.owner, `${at}.endStep`, `>= the previous phase's (${out[i - 1].endStep})`, endStep);
    out.push({ endStep, ...want });
  });
  return out;
};
