import { K } from "../runtime/wasm.js";
import type { Tensor } from "../tensor.js";
import type { ParamGroup, ParamState, Params } from "./optimizer.js";
import { type Batch, FusedOptimizer, MAXIMIZE, WEIGHT_DECAY, column, fusedLayout } from "./fused.js";
import { checkAdamOptions, lrScalar, withDefaults } from "./options.js";
import { mul, sub, value } from "./py_scalar.js";

const LAYOUT = fusedLayout(K.RADAM_ROW, {
  step: "count",
  expAvg: column(K.RADAM_EXP_AVG),
  expAvgSq: column(K.RADAM_EXP_AVG_SQ, { nonNegative: true }),
});
const RECTIFY = K.RADAM_RECTIFY.value;
const DEFAULTS = {
  lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, decoupledWeightDecay: false, maximize: false,
};

export interface RAdamOptions {
  lr?: number | Tensor;
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
 *
 * ```ts
 * const w = torch.tensor([1, -2], { requiresGrad: true });
 * const opt = new optim.RAdam([w], { lr: 0.1 });
 * for (let i = 0; i < 3; i++) {
 *   opt.zeroGrad();
 *   w.pow(2).sum().backward(); // minimise Σw²
 *   opt.step();
 * }
 * w; // after 3 steps, as PyTorch: tensor([ 0.4623, -0.9246], requiresGrad=true)
 * ```
 */
export class RAdam extends FusedOptimizer {
  protected readonly layout = LAYOUT;

  constructor(params: Params, options?: RAdamOptions) {
    super(params, withDefaults("RAdam", options, DEFAULTS));
  }

  protected validateGroup(group: ParamGroup): void {
    checkAdamOptions("RAdam", group, DEFAULTS);
  }

  protected initState(p: Tensor): ParamState {
    return { step: 0, expAvg: this.stateTensor(p), expAvgSq: this.stateTensor(p) };
  }

  protected launch(group: ParamGroup, batch: Batch, table: number): void {
    const step = batch.states[0].step + 1;
    const [beta1, beta2] = group.betas as number[];
    const { weightDecay, eps } = group;
    const lr = lrScalar(group.lr); // bias_corrected_exp_avg * lr rounds lr to float32 either way
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
    K.radamStep(table, batch.params.length, 1 - beta1, beta2, 1 - beta2, weightDecay,
      decoupled ? value(sub(1, mul(lr, weightDecay))) : 1, biasCorrection1, value(lr), biasCorrection2 ** 0.5, rect, eps, flags);
    for (const st of batch.states) st.step = step;
  }
}
