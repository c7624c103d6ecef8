import { K } from "../runtime/wasm.js";
import type { Tensor } from "../tensor.js";
import type { ParamGroup, ParamState, Params } from "./optimizer.js";
import { type Batch, FusedOptimizer, MAXIMIZE, WEIGHT_DECAY, column, fusedLayout } from "./fused.js";
import { checkAdamOptions, lrScalar, withDefaults } from "./options.js";
import { div, mul, neg, sub, value } from "./py_scalar.js";

const LAYOUT = fusedLayout(K.NADAM_ROW, {
  step: "count",
  muProduct: "float",
  expAvg: column(K.NADAM_EXP_AVG),
  expAvgSq: column(K.NADAM_EXP_AVG_SQ, { nonNegative: true }),
});
const DEFAULTS = {
  lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, momentumDecay: 4e-3, decoupledWeightDecay: false,
  maximize: false,
};

export interface NAdamOptions {
  lr?: number | Tensor;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
  momentumDecay?: number;
  decoupledWeightDecay?: boolean;
  maximize?: boolean;
}

/**
 * NAdam, Adam with Nesterov momentum (Dozat, 2016), as `torch.optim.NAdam`. For each
 * parameter θ with gradient g, at step t, with ψ = momentumDecay:
 * ```
 * g ← maximize ? −g : g
 * decoupledWeightDecay: θ ← θ·(1 − lr·λ)    otherwise: g ← g + λ·θ   (when λ ≠ 0)
 * μ_t = β1·(1 − ½·0.96^(tψ));  μ_{t+1} = β1·(1 − ½·0.96^((t+1)ψ));  Π ← Π·μ_t  (muProduct)
 * m ← lerp(m, g, 1 − β1);   v ← β2·v + (1 − β2)·g²
 * d = √(v / (1 − β2^t)) + ε
 * θ ← θ − lr·(1 − μ_t)/(1 − Π) · g/d − lr·μ_{t+1}/(1 − Π·μ_{t+1}) · m/d
 * ```
 * Options (PyTorch's defaults): `lr = 2e-3`, `betas = [0.9, 0.999]`, `eps = 1e-8`,
 * `weightDecay = 0` (λ), `momentumDecay = 4e-3`, `decoupledWeightDecay = false`,
 * `maximize = false`. State per parameter: `step`, `muProduct` (a number, float32-rounded
 * like PyTorch's scalar tensor), `expAvg`, `expAvgSq`.
 *
 * ```ts
 * const w = torch.tensor([1, -2], { requiresGrad: true });
 * const opt = new optim.NAdam([w], { lr: 0.1 });
 * for (let i = 0; i < 3; i++) {
 *   opt.zeroGrad();
 *   w.pow(2).sum().backward(); // minimise Σw²
 *   opt.step();
 * }
 * w; // after 3 steps, as PyTorch: tensor([ 0.7527, -1.7475], requiresGrad=true)
 * ```
 */
export class NAdam extends FusedOptimizer {
  protected readonly layout = LAYOUT;
  // Params stepped unequally differ in step (and so in μ-product): one call per kind.
  protected override readonly bucketKey = (st: ParamState): string => `${st.step}:${st.muProduct}`;

  constructor(params: Params, options?: NAdamOptions) {
    super(params, withDefaults("NAdam", options, DEFAULTS));
  }

  protected validateGroup(group: ParamGroup): void {
    checkAdamOptions("NAdam", group, DEFAULTS);
    if (!(group.momentumDecay >= 0)) throw new Error(`Invalid momentum_decay value: ${group.momentumDecay}`);
  }

  protected initState(p: Tensor): ParamState {
    return { step: 0, muProduct: 1, expAvg: this.stateTensor(p), expAvgSq: this.stateTensor(p) };
  }

  protected launch(group: ParamGroup, batch: Batch, table: number): void {
    const first = batch.states[0];
    const step = first.step + 1;
    const [beta1, beta2] = group.betas as number[];
    const { weightDecay, eps, momentumDecay } = group;
    const lr = lrScalar(group.lr); // a tensor lr makes the coefficients float32
    // _single_tensor_nadam, capturable=False: f64 scalars in PyTorch's order; mu_product is
    // a float32 tensor there, so `mu_product *= mu` rounds both factors and the product.
    const biasCorrection2 = 1 - beta2 ** step;
    const mu = beta1 * (1.0 - 0.5 * 0.96 ** (step * momentumDecay));
    const muNext = beta1 * (1.0 - 0.5 * 0.96 ** ((step + 1) * momentumDecay));
    const muProduct = Math.fround(Math.fround(first.muProduct) * Math.fround(mu));
    const muProductNext = muProduct * muNext;
    const gradCoef = div(mul(neg(lr), 1.0 - mu), 1.0 - muProduct);
    const avgCoef = div(mul(neg(lr), muNext), 1.0 - muProductNext);
    const decoupled = weightDecay !== 0 && !!group.decoupledWeightDecay;
    const flags = (group.maximize ? MAXIMIZE : 0) | (weightDecay !== 0 && !decoupled ? WEIGHT_DECAY : 0);
    K.nadamStep(table, batch.params.length, 1 - beta1, beta2, 1 - beta2, weightDecay,
      decoupled ? value(sub(1, mul(lr, weightDecay))) : 1, biasCorrection2, eps, value(gradCoef), value(avgCoef), flags);
    for (const st of batch.states) {
      st.step = step;
      st.muProduct = muProduct;
    }
  }
}
