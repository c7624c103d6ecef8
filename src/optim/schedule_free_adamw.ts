import { K } from "../runtime/wasm.js";
import type { Tensor } from "../tensor.js";
import type { ParamGroup, ParamState, Params } from "./optimizer.js";
import { type Batch, WEIGHT_DECAY, column, fusedLayout } from "./fused.js";
import { checkTypes, show } from "./options.js";
import { neg, value } from "./py_scalar.js";
import { ScheduleFree, scheduleFreeDefaults } from "./schedule_free.js";

const LAYOUT = fusedLayout(K.SCHEDULE_FREE_ADAMW_ROW, {
  z: column(K.SCHEDULE_FREE_Z),
  expAvgSq: column(K.SCHEDULE_FREE_ADAMW_EXP_AVG_SQ, { nonNegative: true }),
  expAvg: column(K.SCHEDULE_FREE_ADAMW_EXP_AVG, { when: "innerMomentum" }),
});
const INNER_MOMENTUM = K.SCHEDULE_FREE_INNER_MOMENTUM.value;
const OPTIONS = {
  lr: 0.0025, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, warmupSteps: 0, r: 0, weightLrPower: 2, innerMomentum: 0,
};

export interface ScheduleFreeAdamWOptions {
  lr?: number | Tensor;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
  warmupSteps?: number;
  r?: number;
  weightLrPower?: number;
  innerMomentum?: number;
}

/**
 * Schedule-Free AdamW (Defazio et al., 2024, https://arxiv.org/abs/2405.15682), as
 * facebookresearch/schedule_free's `AdamWScheduleFree` (https://github.com/facebookresearch/schedule_free;
 * the fixtures replay its runs, naming the commit). No lr schedule: the params are an average
 * x of the iterates z, and the gradient is taken at y between them. **Call `opt.train()`
 * before training steps and `opt.eval()` before evaluating or saving** (the optimizer starts
 * in eval mode and `step()` is refused there, as the reference refuses it). Per group, at
 * its step k (from 0):
 * ```
 * lr_k = lr·min(1, (k + 1)/warmupSteps);   lrMax = max(lrMax, lr_k)
 * w = (k + 1)^r · lrMax^weightLrPower;   weightSum += w;   c = w / weightSum
 * v ← β2·v + (1 − β2)·g²;   d = √(v / (1 − β2^(k+1))) + ε
 * ĝ = g / d   (innerMomentum μ ≠ 0: m ← μ·m + (1 − μ)·g, ĝ = m / (1 − μ^(k+1)) / d)
 * ĝ ← ĝ + λ·y   (weightDecay λ, at y)
 * y ← lerp(y, z, c) + lr_k·(β1·(1 − c) − 1)·ĝ;   z ← z − lr_k·ĝ
 * ```
 * train() sets y = lerp(x, z, 1 − β1), eval() x = lerp(y, z, 1 − 1/β1).
 *
 * Options (the reference's names and defaults): `lr = 0.0025`, `betas = [0.9, 0.999]`,
 * `eps = 1e-8`, `weightDecay = 0`, `warmupSteps = 0`, `r = 0`, `weightLrPower = 2`,
 * `innerMomentum = 0` (its `foreach` switch is not taken: one path here). The reference
 * checks none of them; torchlet refuses a negative lr, eps or weightDecay, β1 outside (0, 1)
 * (eval() divides by it), β2 or innerMomentum outside [0, 1), and a warmupSteps that is not
 * a whole number. Each group also holds the reference's `k`, `trainMode`, `weightSum`,
 * `lrMax` and `scheduledLr`. State per parameter: `z`, `expAvgSq`, and `expAvg` with inner
 * momentum. Unlike the reference, the step leaves `p.grad` as it was (the reference divides
 * it in place).
 *
 * ```ts
 * const w = torch.tensor([1, -2], { requiresGrad: true });
 * const opt = new optim.ScheduleFreeAdamW([w], { lr: 0.1 });
 * opt.train(); // the params at y, where gradients are taken
 * for (let i = 0; i < 3; i++) {
 *   opt.zeroGrad();
 *   w.pow(2).sum().backward(); // minimise Σw²
 *   opt.step();
 * }
 * w; // at y after 3 steps, as schedule_free: tensor([ 0.7968, -1.7933], requiresGrad=true)
 * opt.eval(); // the params at x, the average: evaluate or save now
 * w; // at x, as schedule_free: tensor([ 0.8061, -1.8029], requiresGrad=true)
 * ```
 */
export class ScheduleFreeAdamW extends ScheduleFree {
  protected readonly layout = LAYOUT;

  constructor(params: Params, options?: ScheduleFreeAdamWOptions) {
    super(params, scheduleFreeDefaults("ScheduleFreeAdamW", options, OPTIONS));
  }

  protected validateGroup(group: ParamGroup): void {
    const name = "ScheduleFreeAdamW";
    checkTypes(name, group, OPTIONS);
    this.checkGroupState(name, group);
    this.checkCommonOptions(group);
    if (!(group.eps >= 0)) throw new Error(`Invalid epsilon value: ${group.eps}`);
    const [beta1, beta2] = group.betas as number[];
    if (!(beta1 > 0 && beta1 < 1)) throw new Error(`Invalid beta parameter at index 0: ${show(beta1)} (in (0, 1): eval() divides by it)`);
    if (!(beta2 >= 0 && beta2 < 1)) throw new Error(`Invalid beta parameter at index 1: ${show(beta2)}`);
    if (!(group.innerMomentum >= 0 && group.innerMomentum < 1)) throw new Error(`Invalid inner_momentum value: ${show(group.innerMomentum)} (in [0, 1))`);
  }

  protected beta1(group: ParamGroup): number {
    return (group.betas as number[])[0];
  }

  protected initState(p: Tensor, group: ParamGroup): ParamState {
    const st: ParamState = { z: this.stateTensor(p).copy_(p), expAvgSq: this.stateTensor(p) };
    if (group.innerMomentum !== 0) st.expAvg = this.stateTensor(p);
    return st;
  }

  protected launch(group: ParamGroup, batch: Batch, table: number): void {
    const s = this.schedules.get(group)!;
    const [beta1, beta2] = group.betas as number[];
    const { eps, weightDecay, innerMomentum: mu } = group;
    const flags = (weightDecay !== 0 ? WEIGHT_DECAY : 0) | (mu !== 0 ? INNER_MOMENTUM : 0);
    K.scheduleFreeAdamWStep(table, batch.params.length, beta2, 1 - beta2, 1 - beta2 ** (s.k + 1), eps, mu, 1 - mu,
      mu !== 0 ? 1 - mu ** (s.k + 1) : 1, weightDecay, value(s.ckp1), this.yCoefficient(s, beta1), value(neg(s.lr)), flags);
  }
}
