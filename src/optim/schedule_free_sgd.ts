import { K } from "../runtime/wasm.js";
import type { Tensor } from "../tensor.js";
import type { ParamGroup, ParamState, Params } from "./optimizer.js";
import { type Batch, WEIGHT_DECAY, column, fusedLayout } from "./fused.js";
import { checkTypes } from "./options.js";
import { neg, value } from "./py_scalar.js";
import { ScheduleFree, scheduleFreeDefaults } from "./schedule_free.js";

const LAYOUT = fusedLayout(K.SCHEDULE_FREE_SGD_ROW, { z: column(K.SCHEDULE_FREE_Z) });
const OPTIONS = { lr: 1.0, momentum: 0.9, weightDecay: 0, warmupSteps: 0, r: 0, weightLrPower: 2 };

export interface ScheduleFreeSGDOptions {
  lr?: number | Tensor;
  momentum?: number;
  weightDecay?: number;
  warmupSteps?: number;
  r?: number;
  weightLrPower?: number;
}

/**
 * Schedule-Free SGD (Defazio et al., 2024, https://arxiv.org/abs/2405.15682), as
 * facebookresearch/schedule_free's `SGDScheduleFree` (https://github.com/facebookresearch/schedule_free;
 * the fixtures replay its runs, naming the commit). No lr schedule: the params are an average
 * x of the iterates z, and the gradient is taken at y between them. **Call `opt.train()`
 * before training steps and `opt.eval()` before evaluating or saving** (the optimizer starts
 * in eval mode and `step()` is refused there, as the reference refuses it). Per group, at
 * its step k (from 0), with the schedule of {@link ScheduleFreeAdamW} (lr_k, c) and β = momentum:
 * ```
 * g ← g + λ·y   (weightDecay λ)
 * y ← lerp(y, z, c) + lr_k·(β·(1 − c) − 1)·g;   z ← z − lr_k·g
 * ```
 * train() sets y = lerp(x, z, 1 − β), eval() x = lerp(y, z, 1 − 1/β).
 *
 * Options (the reference's names and defaults): `lr = 1.0`, `momentum = 0.9` (in (0, 1)),
 * `weightDecay = 0`, `warmupSteps = 0`, `r = 0`, `weightLrPower = 2` (its `foreach` switch
 * is not taken: one path here); the reference's checks and messages, NaN refused too. Each
 * group also holds the reference's `k`, `trainMode`, `weightSum`, `lrMax` and `scheduledLr`.
 * State per parameter: `z`. Unlike the reference, the step leaves `p.grad` as it was (the
 * reference adds the weight decay to it in place).
 *
 * ```ts
 * const w = torch.tensor([1, -2], { requiresGrad: true });
 * const opt = new optim.ScheduleFreeSGD([w], { lr: 0.1 });
 * opt.train();
 * for (let i = 0; i < 3; i++) {
 *   opt.zeroGrad();
 *   w.pow(2).sum().backward(); // minimise Σw²
 *   opt.step();
 * }
 * opt.eval();
 * w; // at x after 3 steps, as schedule_free: tensor([ 0.6459, -1.2917], requiresGrad=true)
 * ```
 */
export class ScheduleFreeSGD extends ScheduleFree {
  protected readonly layout = LAYOUT;

  constructor(params: Params, options?: ScheduleFreeSGDOptions) {
    super(params, scheduleFreeDefaults("ScheduleFreeSGD", options, OPTIONS));
  }

  protected validateGroup(group: ParamGroup): void {
    const name = "ScheduleFreeSGD";
    checkTypes(name, group, OPTIONS);
    this.checkGroupState(name, group);
    this.checkCommonOptions(group);
    if (!(group.momentum > 0 && group.momentum < 1)) throw new Error(`Momentum must be between 0 and 1 exclusive: ${group.momentum}`);
  }

  protected beta1(group: ParamGroup): number {
    return group.momentum;
  }

  protected initState(p: Tensor): ParamState {
    return { z: this.stateTensor(p).copy_(p) };
  }

  protected launch(group: ParamGroup, batch: Batch, table: number): void {
    const s = this.schedules.get(group)!;
    const { weightDecay, momentum } = group;
    K.scheduleFreeSgdStep(table, batch.params.length, weightDecay, value(s.ckp1), this.yCoefficient(s, momentum),
      value(neg(s.lr)), weightDecay !== 0 ? WEIGHT_DECAY : 0);
  }
}
