import { K } from "../runtime/wasm.js";
import type { Tensor } from "../tensor.js";
import type { ParamGroup, ParamState, Params } from "./optimizer.js";
import { type Batch, FusedOptimizer, MAXIMIZE, WEIGHT_DECAY, column, fusedLayout } from "./fused.js";
import { checkAdamOptions, lrScalar, withDefaults } from "./options.js";
import { div, neg, value } from "./py_scalar.js";

const LAYOUT = fusedLayout(K.ADAMAX_ROW, {
  step: "count",
  expAvg: column(K.ADAMAX_EXP_AVG),
  expInf: column(K.ADAMAX_EXP_INF, { nonNegative: true }),
});
const DEFAULTS = { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, maximize: false };

export interface AdamaxOptions {
  lr?: number | Tensor;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
  maximize?: boolean;
}

/**
 * Adamax, Adam with the infinity norm (Kingma & Ba, 2014, section 7), as
 * `torch.optim.Adamax`. For each parameter θ with gradient g, at step t:
 * ```
 * g ← maximize ? −g : g
 * g ← g + λ·θ                                   (when λ ≠ 0)
 * m ← lerp(m, g, 1 − β1)
 * u ← max(β2·u, |g| + ε)
 * θ ← θ − (lr / (1 − β1^t)) · m / u
 * ```
 * Options (PyTorch's defaults): `lr = 2e-3`, `betas = [0.9, 0.999]`, `eps = 1e-8`,
 * `weightDecay = 0` (λ), `maximize = false`. State per parameter: `step`, `expAvg`, `expInf`.
 *
 * ```ts
 * const w = torch.tensor([1, -2], { requiresGrad: true });
 * const opt = new optim.Adamax([w], { lr: 0.1 });
 * for (let i = 0; i < 3; i++) {
 *   opt.zeroGrad();
 *   w.pow(2).sum().backward(); // minimise Σw²
 *   opt.step();
 * }
 * w; // after 3 steps, as PyTorch: tensor([ 0.7155, -1.7076], requiresGrad=true)
 * ```
 */
export class Adamax extends FusedOptimizer {
  protected readonly layout = LAYOUT;

  constructor(params: Params, options?: AdamaxOptions) {
    super(params, withDefaults("Adamax", options, DEFAULTS));
  }

  protected validateGroup(group: ParamGroup): void {
    checkAdamOptions("Adamax", group, DEFAULTS);
  }

  protected initState(p: Tensor): ParamState {
    return { step: 0, expAvg: this.stateTensor(p), expInf: this.stateTensor(p) };
  }

  protected launch(group: ParamGroup, batch: Batch, table: number): void {
    const step = batch.states[0].step + 1;
    const [beta1, beta2] = group.betas as number[];
    const { weightDecay, eps } = group;
    const biasCorrection = 1 - beta1 ** step;
    const clr = div(lrScalar(group.lr), biasCorrection); // float32 with a tensor lr
    const flags = (group.maximize ? MAXIMIZE : 0) | (weightDecay !== 0 ? WEIGHT_DECAY : 0);
    K.adamaxStep(table, batch.params.length, 1 - beta1, beta2, eps, weightDecay, value(neg(clr)), flags);
    for (const st of batch.states) st.step = step;
  }
}
