import { K } from "../runtime/wasm.js";
import type { Tensor } from "../tensor.js";
import type { ParamGroup, ParamState, Params } from "./optimizer.js";
import { type Batch, FusedOptimizer, MAXIMIZE, WEIGHT_DECAY, column, fusedLayout } from "./fused.js";
import { checkLr, checkTypes, lrValue, withDefaults } from "./options.js";

export interface AdadeltaOptions {
  /** Coefficient that scales the delta before it is applied to the parameters. Default 1. */
  lr?: number | Tensor;
  /** Coefficient of the running averages of squared gradients and squared deltas. Default 0.9. */
  rho?: number;
  /** Added inside both square roots, for numerical stability. Default 1e-6. */
  eps?: number;
  /** L2 penalty (added to the gradient). Default 0. */
  weightDecay?: number;
  /** Maximize the objective instead of minimizing it. Default false. */
  maximize?: boolean;
}

const DEFAULTS = { lr: 1, rho: 0.9, eps: 1e-6, weightDecay: 0, maximize: false };
const LAYOUT = fusedLayout(K.ADADELTA_ROW, {
  step: "count",
  squareAvg: column(K.ADADELTA_SQUARE_AVG, { nonNegative: true }),
  accDelta: column(K.ADADELTA_ACC_DELTA, { nonNegative: true }),
});

function validate(o: Record<string, any>): void {
  checkTypes("Adadelta", o, DEFAULTS);
  checkLr(o.lr);
  if (!(0 <= o.rho && o.rho <= 1)) throw new Error(`Invalid rho value: ${o.rho}`);
  if (!(0 <= o.eps)) throw new Error(`Invalid epsilon value: ${o.eps}`);
  if (!(0 <= o.weightDecay)) throw new Error(`Invalid weight_decay value: ${o.weightDecay}`);
}

/**
 * Adadelta ([Zeiler 2012](https://arxiv.org/abs/1212.5701)), as `torch.optim.Adadelta`.
 * Per element, with v = `squareAvg` and u = `accDelta` (both start at 0):
 * ```
 * g = maximize ? -∇ : ∇;  if weightDecay ≠ 0: g = g + weightDecay·θ
 * v = ρ·v + (1-ρ)·g²
 * Δ = √(u + ε) / √(v + ε) · g
 * u = ρ·u + (1-ρ)·Δ²
 * θ = θ - lr·Δ
 * ```
 * State per parameter: `step`, `squareAvg`, `accDelta`. One fused wasm call steps a group.
 *
 * Options (PyTorch's defaults): `lr = 1`, `rho = 0.9` (ρ), `eps = 1e-6`, `weightDecay = 0`,
 * `maximize = false`.
 *
 * ```ts
 * const w = torch.tensor([1, -2], { requiresGrad: true });
 * const opt = new optim.Adadelta([w], { lr: 1, rho: 0.95 });
 * for (let i = 0; i < 3; i++) {
 *   opt.zeroGrad();
 *   w.pow(2).sum().backward(); // minimise Σw²
 *   opt.step();
 * }
 * w; // after 3 steps, as PyTorch: tensor([ 0.9865, -1.9864], requiresGrad=true)
 * ```
 */
export class Adadelta extends FusedOptimizer {
  protected readonly layout = LAYOUT;
  protected override readonly bucketKey = null;

  constructor(params: Params, options?: AdadeltaOptions) {
    super(params, withDefaults("Adadelta", options, DEFAULTS));
  }

  protected override validateGroup(group: ParamGroup): void {
    validate(group);
  }

  protected initState(p: Tensor): ParamState {
    return { step: 0, squareAvg: this.stateTensor(p), accDelta: this.stateTensor(p) };
  }

  protected launch(group: ParamGroup, batch: Batch, table: number): void {
    for (const st of batch.states) st.step += 1;
    const { lr, rho, eps, weightDecay } = group;
    const flags = (group.maximize ? MAXIMIZE : 0) | (weightDecay !== 0 ? WEIGHT_DECAY : 0);
    K.adadeltaStep(table, batch.params.length, -lrValue(lr), rho, 1 - rho, eps, weightDecay, flags);
  }
}
