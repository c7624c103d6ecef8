import { K } from "../runtime/wasm.js";
import type { Tensor } from "../tensor.js";
import type { ParamGroup, ParamState, Params } from "./optimizer.js";
import { type Batch, FusedOptimizer, MAXIMIZE, WEIGHT_DECAY, bucketBy, column, fusedLayout } from "./fused.js";
import { checkLr, checkTypes, lrValue, withDefaults } from "./options.js";

const LAYOUT = fusedLayout(K.SGD_ROW, {
  // PyTorch keeps state only with momentum; a buffer it lacks starts as the step's grad
  momentumBuffer: column(K.SGD_MOMENTUM_BUFFER, { when: "momentum", createdOnUse: true }),
});
const MOMENTUM = K.SGD_MOMENTUM.value, NESTEROV = K.SGD_NESTEROV.value, FIRST_STEP = K.SGD_FIRST_STEP.value;
const DEFAULTS = { lr: 1e-3, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false };

export interface SGDOptions {
  lr?: number | Tensor;
  momentum?: number;
  dampening?: number;
  weightDecay?: number;
  nesterov?: boolean;
  maximize?: boolean;
}

/**
 * Stochastic gradient descent, optionally with momentum (Nesterov's too), as
 * `torch.optim.SGD`. For each parameter θ with gradient g:
 * ```
 * g ← maximize ? −g : g
 * g ← g + λ·θ                                   (when λ ≠ 0)
 * μ ≠ 0:  b ← first step ? g : μ·b + (1 − τ)·g
 *         g ← nesterov ? g + μ·b : b
 * θ ← θ − lr·g
 * ```
 * Options (PyTorch's defaults): `lr = 1e-3`, `momentum = 0` (μ), `dampening = 0` (τ),
 * `weightDecay = 0` (λ), `nesterov = false` (needs μ > 0 and τ = 0), `maximize = false`.
 * State per parameter, only with momentum: `momentumBuffer`. Each group is stepped by one
 * fused wasm call (two when some buffers are new).
 *
 * ```ts
 * const w = torch.tensor([1, -2], { requiresGrad: true });
 * const opt = new optim.SGD([w], { lr: 0.1, momentum: 0.9 });
 * for (let i = 0; i < 3; i++) {
 *   opt.zeroGrad();
 *   w.pow(2).sum().backward(); // minimise Σw²
 *   opt.step();
 * }
 * w; // after 3 steps, as PyTorch: tensor([ 0.0620, -0.1240], requiresGrad=true)
 * ```
 */
export class SGD extends FusedOptimizer {
  protected readonly layout = LAYOUT;
  protected override readonly bucketKey = null;
  /** Buffers created by this step's initStates: the kernel copies the grad into them. */
  private fresh: Set<Tensor> | null = null;

  constructor(params: Params, options?: SGDOptions) {
    super(params, withDefaults("SGD", options, DEFAULTS));
  }

  protected validateGroup(group: ParamGroup): void {
    checkTypes("SGD", group, DEFAULTS);
    checkLr(group.lr);
    if (!(group.momentum >= 0)) throw new Error(`Invalid momentum value: ${group.momentum}`);
    if (!(group.weightDecay >= 0)) throw new Error(`Invalid weight_decay value: ${group.weightDecay}`);
    if (group.nesterov && (group.momentum <= 0 || group.dampening !== 0)) {
      throw new Error("Nesterov momentum requires a momentum and zero dampening");
    }
  }

  protected initState(p: Tensor): ParamState {
    return { momentumBuffer: this.stateTensor(p) };
  }

  protected override initStates(group: ParamGroup, batch: Batch): void {
    this.fresh = null;
    if (group.momentum === 0) return;
    const { params, states } = batch;
    for (let i = 0; i < params.length; i++) {
      const st = states[i];
      if (st !== undefined && st.momentumBuffer !== undefined) continue;
      if (st === undefined) this.state.set(params[i], (states[i] = this.initState(params[i])));
      else st.momentumBuffer = this.stateTensor(params[i]);
      (this.fresh ??= new Set()).add(states[i].momentumBuffer);
    }
  }

  protected override buckets(_group: ParamGroup, batch: Batch): Batch[] {
    const fresh = this.fresh;
    return fresh === null ? [batch] : bucketBy(batch, (st) => (fresh.has(st.momentumBuffer) ? 1 : 0));
  }

  protected launch(group: ParamGroup, batch: Batch, table: number): void {
    const { lr, momentum, dampening, weightDecay } = group;
    const first = this.fresh !== null && this.fresh.has(batch.states[0].momentumBuffer);
    const flags = (group.maximize ? MAXIMIZE : 0) | (weightDecay !== 0 ? WEIGHT_DECAY : 0) |
      (momentum !== 0 ? MOMENTUM : 0) | (group.nesterov ? NESTEROV : 0) | (first ? FIRST_STEP : 0);
    K.sgdStep(table, batch.params.length, -lrValue(lr), weightDecay, momentum, 1 - dampening, flags);
  }
}
