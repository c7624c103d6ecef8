import { K } from "../runtime/wasm.js";
import type { Tensor } from "../tensor.js";
import type { ParamGroup, ParamState, Params } from "./optimizer.js";
import { type Batch, FusedOptimizer, MAXIMIZE, WEIGHT_DECAY, column, fusedLayout } from "./fused.js";
import { checkLr, checkTypes, lrScalar, withDefaults } from "./options.js";
import { div, neg, value } from "./py_scalar.js";

export interface AdagradOptions {
  /** Learning rate. Default 1e-2. */
  lr?: number | Tensor;
  /** Learning rate decay: step t uses lr / (1 + (t-1)·lrDecay). Default 0. */
  lrDecay?: number;
  /** L2 penalty (added to the gradient). Default 0. */
  weightDecay?: number;
  /** Starting value of the accumulated squared gradients (`sum`). Default 0. */
  initialAccumulatorValue?: number;
  /** Added to the denominator, for numerical stability. Default 1e-10. */
  eps?: number;
  /** Maximize the objective instead of minimizing it. Default false. */
  maximize?: boolean;
}

const DEFAULTS = { lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, maximize: false };
const LAYOUT = fusedLayout(K.ADAGRAD_ROW, {
  step: "count",
  sum: column(K.ADAGRAD_SUM, { nonNegative: true }),
});

function validate(o: Record<string, any>): void {
  checkTypes("Adagrad", o, DEFAULTS);
  checkLr(o.lr);
  if (!(0 <= o.lrDecay)) throw new Error(`Invalid lr_decay value: ${o.lrDecay}`);
  if (!(0 <= o.weightDecay)) throw new Error(`Invalid weight_decay value: ${o.weightDecay}`);
  if (!(0 <= o.initialAccumulatorValue)) {
    throw new Error(`Invalid initial_accumulator_value value: ${o.initialAccumulatorValue}`);
  }
  if (!(0 <= o.eps)) throw new Error(`Invalid epsilon value: ${o.eps}`);
}

/**
 * Adagrad ([Duchi et al. 2011](https://jmlr.org/papers/v12/duchi11a.html)), as
 * `torch.optim.Adagrad`. Per element, at step t:
 * ```
 * g = maximize ? -∇ : ∇;  if weightDecay ≠ 0: g = g + weightDecay·θ
 * clr = lr / (1 + (t-1)·lrDecay)          (host, f64)
 * sum = sum + g²
 * θ = θ - clr·g / (√sum + ε)
 * ```
 * State per parameter: `step`, `sum`. Like PyTorch, the state of the constructor's parameters
 * is created by the constructor, and `sum` starts at the constructor's
 * `initialAccumulatorValue` (a group's own value is not used, as in PyTorch).
 *
 * Options (PyTorch's defaults): `lr = 1e-2`, `lrDecay = 0`, `weightDecay = 0`,
 * `initialAccumulatorValue = 0`, `eps = 1e-10`, `maximize = false`.
 *
 * ```ts
 * const w = torch.tensor([1, -2], { requiresGrad: true });
 * const opt = new optim.Adagrad([w], { lr: 0.1 });
 * for (let i = 0; i < 3; i++) {
 *   opt.zeroGrad();
 *   w.pow(2).sum().backward(); // minimise Σw²
 *   opt.step();
 * }
 * w; // after 3 steps, as PyTorch: tensor([ 0.7805, -1.7758], requiresGrad=true)
 * ```
 */
export class Adagrad extends FusedOptimizer {
  protected readonly layout = LAYOUT;

  constructor(params: Params, options?: AdagradOptions) {
    super(params, withDefaults("Adagrad", options, DEFAULTS));
    for (const group of this.paramGroups) {
      for (const p of group.params) this.state.set(p, this.initState(p));
    }
  }

  protected initState(p: Tensor): ParamState {
    return { step: 0, sum: this.stateTensor(p, this.defaults.initialAccumulatorValue) };
  }

  protected override validateGroup(group: ParamGroup): void {
    validate(group);
  }

  // Params with different step counts get different decayed lrs: one call per count.
  protected launch(group: ParamGroup, batch: Batch, table: number): void {
    const step = batch.states[0].step + 1;
    for (const st of batch.states) st.step = step;
    const { lrDecay, eps, weightDecay } = group;
    const clr = div(lrScalar(group.lr), 1 + (step - 1) * lrDecay); // float32 with a tensor lr
    const flags = (group.maximize ? MAXIMIZE : 0) | (weightDecay !== 0 ? WEIGHT_DECAY : 0);
    K.adagradStep(table, batch.params.length, value(neg(clr)), eps, weightDecay, flags);
  }
}
