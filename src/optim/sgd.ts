import { K } from "../runtime/wasm.js";
import { Optimizer, type ParamGroup, type Params } from "./optimizer.js";
import { MAXIMIZE, WEIGHT_DECAY, initStates, paramsWithGrads, writeRows } from "./fused.js";
import { checkTypes, withDefaults } from "./options.js";

const k = K as unknown as {
  sgdStep(table: number, count: number, negLr: number, weightDecay: number, momentum: number,
    oneMinusDampening: number, flags: number): void;
};
const MOMENTUM = 4;
const NESTEROV = 8;
const STATE = ["momentumBuffer"] as const;
const DEFAULTS = { lr: 1e-3, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false };

export interface SGDOptions {
  lr?: number;
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
 * fused wasm call.
 */
export class SGD extends Optimizer {
  protected readonly stateKeys = STATE;

  constructor(params: Params, options?: SGDOptions) {
    super(params, withDefaults("SGD", options, DEFAULTS));
  }

  protected validateGroup(group: ParamGroup): void {
    checkTypes("SGD", group, DEFAULTS);
    if (!(group.lr >= 0)) throw new Error(`Invalid learning rate: ${group.lr}`);
    if (!(group.momentum >= 0)) throw new Error(`Invalid momentum value: ${group.momentum}`);
    if (!(group.weightDecay >= 0)) throw new Error(`Invalid weight_decay value: ${group.weightDecay}`);
    if (group.nesterov && (group.momentum <= 0 || group.dampening !== 0)) {
      throw new Error("Nesterov momentum requires a momentum and zero dampening");
    }
  }

  protected stepGroups(): void {
    const live = paramsWithGrads(this.paramGroups, this.state, STATE);
    this.paramGroups.forEach((group, gi) => {
      const batch = live[gi];
      if (batch.params.length === 0) return;
      const { lr, momentum, dampening, weightDecay } = group;
      // PyTorch keeps state only with momentum: the buffer is a copy of the first step's grad.
      let fresh: Set<number> | null = null;
      if (momentum !== 0) {
        const states = initStates(batch, this.state, () => ({}));
        states.forEach((st, i) => {
          if (st.momentumBuffer !== undefined) return;
          st.momentumBuffer = this.stateTensor(batch.params[i]);
          (fresh ??= new Set()).add(i);
        });
      }
      const flags = (group.maximize ? MAXIMIZE : 0) | (weightDecay !== 0 ? WEIGHT_DECAY : 0) |
        (momentum !== 0 ? MOMENTUM : 0) | (group.nesterov ? NESTEROV : 0);
      const table = writeRows(batch, STATE, (i) => (fresh !== null && fresh.has(i) ? 1 : 0));
      k.sgdStep(table, batch.params.length, -lr, weightDecay, momentum, 1 - dampening, flags);
    });
  }
}
