import { K } from "../runtime/wasm.js";
import type { Tensor } from "../tensor.js";
import type { ParamGroup, ParamState, Params } from "./optimizer.js";
import { type Batch, FusedOptimizer, MAXIMIZE, WEIGHT_DECAY, column, fusedLayout } from "./fused.js";
import { checkAdamOptions, lrScalar, withDefaults } from "./options.js";
import { div, mul, neg, sub, value } from "./py_scalar.js";

const LAYOUT = fusedLayout(K.ADAM_ROW, {
  step: "count",
  expAvg: column(K.ADAM_EXP_AVG),
  expAvgSq: column(K.ADAM_EXP_AVG_SQ, { nonNegative: true }),
  maxExpAvgSq: column(K.ADAM_MAX_EXP_AVG_SQ, { when: "amsgrad", nonNegative: true }),
});
const AMSGRAD = K.ADAM_AMSGRAD.value;
const DEFAULTS = {
  lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false, decoupledWeightDecay: false,
};

export interface AdamOptions {
  lr?: number | Tensor;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
  amsgrad?: boolean;
  maximize?: boolean;
  decoupledWeightDecay?: boolean;
}

/**
 * Adam (Kingma & Ba, 2014, https://arxiv.org/abs/1412.6980), as `torch.optim.Adam`.
 *
 * For each parameter θ with gradient g, at step t (counted per parameter):
 * ```
 * g ← maximize ? −g : g
 * decoupledWeightDecay: θ ← θ·(1 − lr·λ)    otherwise: g ← g + λ·θ   (when λ ≠ 0)
 * m ← lerp(m, g, 1 − β1);   v ← β2·v + (1 − β2)·g²
 * amsgrad: vmax ← max(vmax, v), used in place of v below
 * θ ← θ − (lr / (1 − β1^t)) · m / (√v / √(1 − β2^t) + ε)
 * ```
 * Options (PyTorch's defaults): `lr = 1e-3`, `betas = [0.9, 0.999]`, `eps = 1e-8`,
 * `weightDecay = 0` (λ), `amsgrad = false`, `maximize = false`, `decoupledWeightDecay = false`
 * (true makes it AdamW). State per parameter: `step`, `expAvg`, `expAvgSq`, and
 * `maxExpAvgSq` with amsgrad. Each group is stepped by one fused wasm call.
 *
 * ```ts
 * const w = torch.tensor([1, -2], { requiresGrad: true });
 * const opt = new optim.Adam([w], { lr: 0.1 });
 * for (let i = 0; i < 3; i++) {
 *   opt.zeroGrad();
 *   w.pow(2).sum().backward(); // minimise Σw²
 *   opt.step();
 * }
 * w; // after 3 steps, as PyTorch: tensor([ 0.7016, -1.7006], requiresGrad=true)
 * ```
 */
export class Adam extends FusedOptimizer {
  protected readonly layout = LAYOUT;

  constructor(params: Params, options?: AdamOptions) {
    super(params, withDefaults("Adam", options, DEFAULTS));
  }

  protected validateGroup(group: ParamGroup): void {
    checkAdamOptions(this.constructor.name, group, DEFAULTS);
  }

  protected initState(p: Tensor, group: ParamGroup): ParamState {
    const st: ParamState = { step: 0, expAvg: this.stateTensor(p), expAvgSq: this.stateTensor(p) };
    if (group.amsgrad) st.maxExpAvgSq = this.stateTensor(p);
    return st;
  }

  protected launch(group: ParamGroup, batch: Batch, table: number): void {
    const step = batch.states[0].step + 1;
    const [beta1, beta2] = group.betas as number[];
    const { weightDecay, eps } = group;
    const lr = lrScalar(group.lr);
    // _single_tensor_adam, capturable=False: f64 scalars in PyTorch's order (float32 with a tensor lr)
    const biasCorrection1 = 1 - beta1 ** step;
    const biasCorrection2 = 1 - beta2 ** step;
    const stepSize = div(lr, biasCorrection1);
    const bc2Sqrt = biasCorrection2 ** 0.5;
    const decoupled = weightDecay !== 0 && !!group.decoupledWeightDecay;
    const flags = (group.maximize ? MAXIMIZE : 0) | (weightDecay !== 0 && !decoupled ? WEIGHT_DECAY : 0) |
      (group.amsgrad ? AMSGRAD : 0);
    K.adamStep(table, batch.params.length, 1 - beta1, beta2, 1 - beta2, weightDecay,
      decoupled ? value(sub(1, mul(lr, weightDecay))) : 1, value(neg(stepSize)), bc2Sqrt, eps, flags);
    for (const st of batch.states) st.step = step;
  }
}
