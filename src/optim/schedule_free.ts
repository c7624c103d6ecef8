// What ScheduleFreeAdamW and ScheduleFreeSGD share, after facebookresearch/schedule_free: the
// schedule each group computes at every step (its warmup, its running max of the lr and the
// averaging weight ckp1), kept in the group as the reference keeps it; train() and eval(),
// which move the params between the point the gradient is taken at (y) and the average (x);
// and step()'s refusal in eval mode.
import { K } from "../runtime/wasm.js";
import { Tensor, full } from "../tensor.js";
import { assertLive, bumpVersion, kernelTable, owned, ptr, shapeOf } from "../storage_access.js";
import { FusedOptimizer } from "./fused.js";
import type { Closure, ParamGroup } from "./optimizer.js";
import { checkLr, checkTypes, lrScalar, show, withDefaults } from "./options.js";
import { isPlainObject } from "./state_values.js";
import { F32, type Py, add, div, max, mul, pow, sub, value } from "./py_scalar.js";

/**
 * What the reference keeps in each group besides the options, from its defaults on: the
 * step count k, the mode, Σ of the averaging weights, the largest lr so far and the last
 * scheduled lr (the last three float32 tensors when the lr is one).
 */
const GROUP_STATE = { k: 0, trainMode: false, weightSum: 0, lrMax: -1, scheduledLr: 0 };
const SCALARS = ["weightSum", "lrMax", "scheduledLr"] as const;
const NUMEL = K.ROW_NUMEL.value, PARAM = K.ROW_PARAM.value;
const SWAP_Z = K.SCHEDULE_FREE_SWAP_Z.value, SWAP_ROW = K.SCHEDULE_FREE_SWAP_ROW.value;

/** One group's schedule at a step: the reference's Python scalars (float32 tensors with a tensor lr). */
export interface Schedule {
  /** The group's step count before this step. */
  k: number;
  /** The scheduled lr (lr·warmup). */
  lr: Py;
  lrMax: Py;
  weightSum: Py;
  /** The weight of the new point in the average: weight / weightSum. */
  ckp1: Py;
}

/** The constructor's options over the reference's defaults, and the group state the reference adds to them. */
export function scheduleFreeDefaults(name: string, options: unknown, defaults: Record<string, unknown>): Record<string, any> {
  return { ...withDefaults(name, options, defaults), ...GROUP_STATE };
}

export abstract class ScheduleFree extends FusedOptimizer {
  protected override readonly bucketKey = null;
  /** This step's schedule of every group (computed for each, with a grad or not, before any changes). */
  protected readonly schedules = new Map<ParamGroup, Schedule>();
  /** The 0-d tensors this optimizer put in its groups (a tensor lr's scalars), refilled at each step. */
  private readonly madeHere = new WeakSet<Tensor>();

  /** The group's β1 (AdamW: betas[0]; SGD: momentum), which places x between y and z. */
  protected abstract beta1(group: ParamGroup): number;

  /**
   * Puts the params at the training point y (the reference's `optimizer.train()`): call it
   * before training steps. In each group not in train mode yet, params with state move to
   * lerp(x, z, 1 − β1); the group's `trainMode` becomes true.
   *
   * ```ts
   * const opt = new optim.ScheduleFreeSGD([torch.zeros([2], { requiresGrad: true })]);
   * opt.paramGroups[0].trainMode; // false
   * opt.train();
   * opt.paramGroups[0].trainMode; // true
   * ```
   */
  train(): void {
    this.swap(true);
  }

  /**
   * Puts the params at the averaged point x (the reference's `optimizer.eval()`): call it
   * before evaluating or saving the model. In each group in train mode, params with state
   * move to lerp(y, z, 1 − 1/β1); the group's `trainMode` becomes false.
   *
   * ```ts
   * const w = torch.tensor([1, -2], { requiresGrad: true });
   * const opt = new optim.ScheduleFreeSGD([w], { lr: 0.1 });
   * opt.train();
   * w.pow(2).sum().backward();
   * opt.step();
   * opt.eval();
   * opt.step(); // throws: eval mode
   * ```
   */
  eval(): void {
    this.swap(false);
  }

  /** Refused in eval mode (the reference reads the first group's mode), before the closure runs. */
  protected override update(closure: Closure | undefined): Tensor | number | undefined {
    if (this.paramGroups[0].trainMode !== true) {
      throw new Error(`${this.constructor.name}.step: the optimizer is in eval mode (paramGroups[0].trainMode is false): ` +
        "call optimizer.train() before training steps, and optimizer.eval() before evaluating or saving (schedulefree: " +
        "\"Optimizer was not in train mode when step is called. Please insert .train() and .eval() calls on the " +
        "optimizer. See documentation for details.\")");
    }
    return super.update(closure);
  }

  /** The reference's step loop: every group's schedule first, then the kernels, then the groups' new scalars. */
  protected override stepGroups(): void {
    this.schedules.clear();
    for (const group of this.paramGroups) this.schedules.set(group, schedule(group));
    super.stepGroups();
    for (const [group, s] of this.schedules) {
      this.store(group, "scheduledLr", s.lr);
      this.store(group, "lrMax", s.lrMax);
      this.store(group, "weightSum", s.weightSum);
      group.k = s.k + 1;
    }
  }

  /**
   * A scalar as the group keeps it: a number, or a 0-d float32 tensor, as the reference's
   * group does; a tensor this optimizer made is refilled, so a step allocates nothing.
   */
  private store(group: ParamGroup, key: (typeof SCALARS)[number], v: Py): void {
    const old = group[key];
    if (typeof v === "number") group[key] = v;
    else if (old instanceof Tensor && this.madeHere.has(old) && !old.isDisposed) old.fill_(v.v);
    else {
      const t = owned(full([], v.v));
      this.madeHere.add(t);
      group[key] = t;
    }
  }

  /** y's coefficient of the normalised gradient: lr·(β1·(1 − ckp1) − 1). */
  protected yCoefficient(s: Schedule, beta1: number): number {
    return value(mul(s.lr, sub(mul(beta1, sub(1, s.ckp1)), 1)));
  }

  /** The checks of the group state a group or a loaded state dict carries. */
  protected checkGroupState(name: string, group: ParamGroup): void {
    checkTypes(name, group, { trainMode: false });
    if (!(Number.isInteger(group.k) && group.k >= 0)) throw new Error(`${name}: k (the group's step count) must be a whole number ≥ 0, got ${show(group.k)}`);
    for (const key of SCALARS) {
      const v = group[key];
      const ok = typeof v === "number" || (v instanceof Tensor && !v.isDisposed && v.numel() === 1) ||
        (isPlainObject(v) && typeof v.tensor === "number"); // a loaded state dict's tensor option
      if (!ok) throw new TypeError(`${name}: ${key} must be a number or a 1-element Tensor, got ${show(v)}`);
    }
  }

  /** lr, weightDecay and warmupSteps, checked as both references' options. */
  protected checkCommonOptions(group: ParamGroup): void {
    checkLr(group.lr);
    if (!(group.weightDecay >= 0)) throw new Error(`Invalid weight_decay value: ${group.weightDecay}`);
    if (!(Number.isInteger(group.warmupSteps) && group.warmupSteps >= 0)) {
      throw new Error(`Invalid warmup_steps value: ${show(group.warmupSteps)} (a whole number ≥ 0)`);
    }
  }

  /**
   * lerp(p, z, 1 − β1) (train) or lerp(p, z, 1 − 1/β1) (eval) for the params with state of
   * each group not in that mode yet; every tensor checked before any moves.
   */
  private swap(toTrain: boolean): void {
    const where = `${this.constructor.name}.${toTrain ? "train" : "eval"}`;
    const moves: { group: ParamGroup; ps: Tensor[]; zs: Tensor[] }[] = [];
    for (const group of this.paramGroups) {
      if (group.trainMode === toTrain) continue;
      const ps: Tensor[] = [], zs: Tensor[] = [];
      for (const p of group.params) {
        const z = this.state.get(p)?.z as Tensor | undefined;
        if (z === undefined) continue;
        assertLive(p);
        assertLive(z);
        if (z.numel() !== p.numel()) {
          throw new Error(`${where}: the state z of a parameter of shape ${shapeOf(p)} has ${z.numel()} values, not ${p.numel()}`);
        }
        ps.push(p);
        zs.push(z);
      }
      moves.push({ group, ps, zs });
    }
    for (const { group, ps, zs } of moves) {
      if (ps.length > 0) {
        const beta1 = this.beta1(group);
        const rows = new Array<number>(ps.length * SWAP_ROW).fill(0);
        for (let i = 0; i < ps.length; i++) {
          rows[i * SWAP_ROW + NUMEL] = ps[i].numel();
          rows[i * SWAP_ROW + PARAM] = ptr(ps[i]);
          rows[i * SWAP_ROW + SWAP_Z] = ptr(zs[i]);
        }
        K.scheduleFreeSwap(kernelTable(rows), ps.length, toTrain ? 1 - beta1 : 1 - 1 / beta1);
        for (const p of ps) bumpVersion(p);
      }
      group.trainMode = toTrain;
    }
  }
}

/** A group scalar as the reference's arithmetic sees it: a Python float or a 0-d float32 tensor. */
function scalar(v: number | Tensor | { tensor: number }): Py {
  return typeof v === "number" ? v : new F32(v instanceof Tensor ? v.item() : v.tensor);
}

/** The reference's schedule of `group` for its next step (step()'s first lines, in their order). */
function schedule(group: ParamGroup): Schedule {
  const k: number = group.k;
  const sched = k < group.warmupSteps ? (k + 1) / group.warmupSteps : 1.0;
  const lr = mul(lrScalar(group.lr), sched);
  const lrMax = max(lr, scalar(group.lrMax));
  const weight = mul((k + 1) ** group.r, pow(lrMax, group.weightLrPower));
  const weightSum = add(scalar(group.weightSum), weight);
  // Python's float division by 0 raises ZeroDivisionError, which the reference turns into 0;
  // a float32 tensor's gives NaN, which it keeps
  const ckp1 = weightSum === 0 ? 0 : div(weight, weightSum);
  return { k, lr, lrMax, weightSum, ckp1 };
}
