import { K } from "../runtime/wasm.js";
import type { Tensor } from "../tensor.js";
import type { ParamGroup, ParamState, Params } from "./optimizer.js";
import { type Batch, FusedOptimizer, MAXIMIZE, WEIGHT_DECAY, column, fusedLayout } from "./fused.js";
import { checkLr, checkTypes, lrScalar, lrValue, withDefaults } from "./options.js";
import { add, div, mul, pow, value } from "./py_scalar.js";

export interface ASGDOptions {
  /** Learning rate. Default 1e-2. */
  lr?: number | Tensor;
  /** Decay term. Default 1e-4. */
  lambd?: number;
  /** Power for the eta update. Default 0.75. */
  alpha?: number;
  /** Step at which averaging starts. Default 1e6. */
  t0?: number;
  /** L2 penalty (added to the gradient). Default 0. */
  weightDecay?: number;
  /** Maximize the objective instead of minimizing it. Default false. */
  maximize?: boolean;
}

const DEFAULTS = { lr: 1e-2, lambd: 1e-4, alpha: 0.75, t0: 1e6, weightDecay: 0, maximize: false };
const LAYOUT = fusedLayout(K.ASGD_ROW, {
  step: "count",
  eta: "float",
  mu: "float",
  ax: column(K.ASGD_AX),
});
const AVERAGE = K.ASGD_AVERAGE.value;

function validate(o: Record<string, any>): void {
  checkTypes("ASGD", o, DEFAULTS);
  checkLr(o.lr);
  if (!(0 <= o.weightDecay)) throw new Error(`Invalid weight_decay value: ${o.weightDecay}`);
}

/**
 * Averaged SGD ([Polyak & Juditsky 1992](https://doi.org/10.1137/0330046)), as
 * `torch.optim.ASGD`. Per element, with η = `eta` (starts at lr) and μ = `mu` (starts at 1):
 * ```
 * g = maximize ? -∇ : ∇;  if weightDecay ≠ 0: g = g + weightDecay·θ
 * θ = θ·(1 - λ·η);  θ = θ - η·g
 * ax = μ ≠ 1 ? ax + (θ - ax)·μ : θ          (the averaged parameters)
 * then, in the host (f64, stored as float32 like PyTorch's 0-dim tensors):
 * η = lr / (1 + λ·lr·t)^α;  μ = 1 / max(1, t - t0)
 * ```
 * State per parameter: `step`, `eta`, `mu`, `ax`.
 *
 * Options (PyTorch's defaults): `lr = 1e-2`, `lambd = 1e-4` (λ), `alpha = 0.75` (α),
 * `t0 = 1e6` (when averaging starts), `weightDecay = 0`, `maximize = false`.
 *
 * ```ts
 * const w = torch.tensor([1, -2], { requiresGrad: true });
 * const opt = new optim.ASGD([w], { lr: 0.1 });
 * for (let i = 0; i < 3; i++) {
 *   opt.zeroGrad();
 *   w.pow(2).sum().backward(); // minimise Σw²
 *   opt.step();
 * }
 * w; // after 3 steps, as PyTorch: tensor([ 0.5120, -1.0240], requiresGrad=true)
 * ```
 */
export class ASGD extends FusedOptimizer {
  protected readonly layout = LAYOUT;
  // eta and mu are per-parameter state: one call per distinct pair (usually one).
  protected override readonly bucketKey = (st: ParamState): string => `${st.eta}/${st.mu}`;

  constructor(params: Params, options?: ASGDOptions) {
    super(params, withDefaults("ASGD", options, DEFAULTS));
  }

  protected override validateGroup(group: ParamGroup): void {
    validate(group);
  }

  protected initState(p: Tensor, group: ParamGroup): ParamState {
    return { step: 0, eta: Math.fround(lrValue(group.lr)), mu: 1, ax: this.stateTensor(p) };
  }

  protected launch(group: ParamGroup, batch: Batch, table: number): void {
    const { lambd, alpha, t0, weightDecay } = group;
    const lr = lrScalar(group.lr);
    const { eta, mu } = batch.states[0];
    const flags = (group.maximize ? MAXIMIZE : 0) | (weightDecay !== 0 ? WEIGHT_DECAY : 0) |
      (Math.fround(mu) !== 1 ? AVERAGE : 0);
    K.asgdStep(table, batch.params.length, 1 - lambd * eta, -eta, mu, weightDecay, flags);
    // lr / ((1 + lambd * lr * step) ** alpha), in float32 with a tensor lr; once per step count
    let lastStep = -1, eta_ = 0, mu_ = 0;
    for (const st of batch.states) {
      const step = (st.step += 1);
      if (step !== lastStep) {
        lastStep = step;
        eta_ = Math.fround(typeof lr === "number" ? lr / (1 + lambd * lr * step) ** alpha
          : value(div(lr, pow(add(1, mul(mul(lambd, lr), step)), alpha))));
        mu_ = Math.fround(1 / Math.max(1, step - t0));
      }
      st.eta = eta_;
      st.mu = mu_;
    }
  }
}
