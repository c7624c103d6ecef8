import { K } from "../runtime/wasm.js";
import type { Tensor } from "../tensor.js";
import type { ParamGroup, ParamState, Params } from "./optimizer.js";
import { type Batch, FusedOptimizer, MAXIMIZE, WEIGHT_DECAY, column, fusedLayout } from "./fused.js";
import { checkLr, checkTypes, lrValue, withDefaults } from "./options.js";

export interface RMSpropOptions {
  /** Learning rate. Default 1e-2. */
  lr?: number | Tensor;
  /** Smoothing constant of the running average of squared gradients. Default 0.99. */
  alpha?: number;
  /** Added to the denominator (after the square root), for numerical stability. Default 1e-8. */
  eps?: number;
  /** L2 penalty (added to the gradient). Default 0. */
  weightDecay?: number;
  /** Momentum factor. Default 0. */
  momentum?: number;
  /** Normalize by an estimate of the gradient's variance (centered RMSprop). Default false. */
  centered?: boolean;
  /** Maximize the objective instead of minimizing it. Default false. */
  maximize?: boolean;
}

const DEFAULTS = { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false };
// A buffer the options do not use is absent or, when the option was turned off mid-run, left
// unread; one they use but the state lacks (turned on mid-run) is refused, as PyTorch does.
const LAYOUT = fusedLayout(K.RMSPROP_ROW, {
  step: "count",
  squareAvg: column(K.RMSPROP_SQUARE_AVG, { nonNegative: true }),
  momentumBuffer: column(K.RMSPROP_MOMENTUM_BUFFER, { when: "momentum" }),
  gradAvg: column(K.RMSPROP_GRAD_AVG, { when: "centered" }),
});
const MOMENTUM = K.RMSPROP_MOMENTUM.value, CENTERED = K.RMSPROP_CENTERED.value;

function validate(o: Record<string, any>): void {
  checkTypes("RMSprop", o, DEFAULTS);
  checkLr(o.lr);
  if (!(0 <= o.eps)) throw new Error(`Invalid epsilon value: ${o.eps}`);
  if (!(0 <= o.momentum)) throw new Error(`Invalid momentum value: ${o.momentum}`);
  if (!(0 <= o.weightDecay)) throw new Error(`Invalid weight_decay value: ${o.weightDecay}`);
  if (!(0 <= o.alpha)) throw new Error(`Invalid alpha value: ${o.alpha}`);
}

/**
 * RMSprop (Hinton's lecture notes; centered: [Graves 2013](https://arxiv.org/abs/1308.0850)),
 * as `torch.optim.RMSprop`. Per element, with v = `squareAvg`, ḡ = `gradAvg`, b = `momentumBuffer`:
 * ```
 * g = maximize ? -∇ : ∇;  if weightDecay ≠ 0: g = g + weightDecay·θ
 * v = α·v + (1-α)·g²
 * centered: ḡ = lerp(ḡ, g, 1-α);  avg = √(v - ḡ²) + ε      else: avg = √v + ε
 * momentum > 0: b = momentum·b + g/avg;  θ = θ - lr·b        else: θ = θ - lr·g/avg
 * ```
 * State per parameter: `step`, `squareAvg`, plus `momentumBuffer` (momentum > 0) and `gradAvg`
 * (centered), created with the state at the first step, as in PyTorch.
 *
 * Options (PyTorch's defaults): `lr = 1e-2`, `alpha = 0.99` (α), `eps = 1e-8`,
 * `weightDecay = 0`, `momentum = 0`, `centered = false`, `maximize = false`.
 *
 * ```ts
 * const w = torch.tensor([1, -2], { requiresGrad: true });
 * const opt = new optim.RMSprop([w], { lr: 0.01 });
 * for (let i = 0; i < 3; i++) {
 *   opt.zeroGrad();
 *   w.pow(2).sum().backward(); // minimise Σw²
 *   opt.step();
 * }
 * w; // after 3 steps, as PyTorch: tensor([ 0.7800, -1.7753], requiresGrad=true)
 * ```
 */
export class RMSprop extends FusedOptimizer {
  protected readonly layout = LAYOUT;
  protected override readonly bucketKey = null;

  constructor(params: Params, options?: RMSpropOptions) {
    super(params, withDefaults("RMSprop", options, DEFAULTS));
  }

  protected override validateGroup(group: ParamGroup): void {
    validate(group);
  }

  protected initState(p: Tensor, group: ParamGroup): ParamState {
    const st: ParamState = { step: 0, squareAvg: this.stateTensor(p) };
    if (group.momentum > 0) st.momentumBuffer = this.stateTensor(p);
    if (group.centered) st.gradAvg = this.stateTensor(p);
    return st;
  }

  protected launch(group: ParamGroup, batch: Batch, table: number): void {
    for (const st of batch.states) st.step += 1;
    const { lr, alpha, eps, weightDecay, momentum, centered } = group;
    const flags = (group.maximize ? MAXIMIZE : 0) | (weightDecay !== 0 ? WEIGHT_DECAY : 0) |
      (momentum > 0 ? MOMENTUM : 0) | (centered ? CENTERED : 0);
    K.rmspropStep(table, batch.params.length, -lrValue(lr), alpha, 1 - alpha, eps, weightDecay, momentum, flags);
  }
}
