import { K } from "../runtime/wasm.js";
import { Optimizer, type ParamGroup, type Params } from "./optimizer.js";
import { MAXIMIZE, WEIGHT_DECAY, type Batch, bucketBy, initStates, paramsWithGrads, writeRows } from "./fused.js";
import { checkAdamOptions, withDefaults } from "./options.js";

const k = K as unknown as {
  radamStep(table: number, count: number, lerpWeight: number, beta2: number, oneMinusBeta2: number,
    weightDecay: number, decay: number, bc1: number, lr: number, bc2Sqrt: number, rect: number, eps: number,
    flags: number): void;
};
const RECTIFY = 4;
const STATE = ["expAvg", "expAvgSq"] as const;
const DEFAULTS = {
  lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, decoupledWeightDecay: false, maximize: false,
};

export interface RAdamOptions {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
  decoupledWeightDecay?: boolean;
  maximize?: boolean;
}

/**
 * RAdam, Adam with a rectified adaptive learning rate (Liu et al., 2019,
 * https://arxiv.org/abs/1908.03265), as `torch.optim.RAdam`. For each parameter θ with
 * gradient g, at step t:
 * ```
 * g ← maximize ? −g : g
 * decoupledWeightDecay: θ ← θ·(1 − lr·λ)    otherwise: g ← g + λ·θ   (when λ ≠ 0)
 * m ← lerp(m, g, 1 − β1);   v ← β2·v + (1 − β2)·g²;   m̂ = m / (1 − β1^t)
 * ρ∞ = 2/(1 − β2) − 1;   ρ_t = ρ∞ − 2t·β2^t/(1 − β2^t)
 * ρ_t > 5:  r = √((ρ_t − 4)(ρ_t − 2)ρ∞ / ((ρ∞ − 4)(ρ∞ − 2)ρ_t))
 *           θ ← θ − m̂·lr · √(1 − β2^t)/(√v + ε) · r
 * else:     θ ← θ − m̂·lr
 * ```
 * Options (PyTorch's defaults): `lr = 1e-3`, `betas = [0.9, 0.999]`, `eps = 1e-8`,
 * `weightDecay = 0` (λ), `decoupledWeightDecay = false`, `maximize = false`. State per
 * parameter: `step`, `expAvg`, `expAvgSq`.
 */
export class RAdam extends Optimizer {
  protected readonly stateKeys = ["step", ...STATE];

  constructor(params: Params, options?: RAdamOptions) {
    super(params, withDefaults("RAdam", options, DEFAULTS));
  }

  protected validateGroup(group: ParamGroup): void {
    checkAdamOptions("RAdam", group, DEFAULTS);
  }

  protected stepGroups(): void {
    const live = paramsWithGrads(this.paramGroups, this.state, STATE);
    this.paramGroups.forEach((group, gi) => {
      const batch = live[gi];
      initStates(batch, this.state, (p) => ({ step: 0, expAvg: this.stateTensor(p), expAvgSq: this.stateTensor(p) }));
      for (const bucket of bucketBy(batch)) this.stepBucket(group, bucket);
    });
  }

  private stepBucket(group: ParamGroup, batch: Batch): void {
    const step = batch.states[0]!.step + 1;
    const [beta1, beta2] = group.betas as number[];
    const { lr, weightDecay, eps } = group;
    // _single_tensor_radam, capturable=False: f64 scalars in PyTorch's order.
    const biasCorrection1 = 1 - beta1 ** step;
    const biasCorrection2 = 1 - beta2 ** step;
    const rhoInf = 2 / (1 - beta2) - 1;
    const rhoT = rhoInf - 2 * step * beta2 ** step / biasCorrection2;
    const rectify = rhoT > 5.0;
    const rect = rectify ? ((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT)) ** 0.5 : 1;
    const decoupled = weightDecay !== 0 && !!group.decoupledWeightDecay;
    const flags = (group.maximize ? MAXIMIZE : 0) | (weightDecay !== 0 && !decoupled ? WEIGHT_DECAY : 0) |
      (rectify ? RECTIFY : 0);
    const table = writeRows(batch, STATE);
    k.radamStep(table, batch.params.length, 1 - beta1, beta2, 1 - beta2, weightDecay, decoupled ? 1 - lr * weightDecay : 1,
      biasCorrection1, lr, biasCorrection2 ** 0.5, rect, eps, flags);
    for (const st of batch.states) st!.step = step;
  }
}
