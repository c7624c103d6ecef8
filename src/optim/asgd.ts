import { Optimizer, type ParamGroup, type Params } from "./optimizer.js";
import { K } from "../runtime/wasm.js";
import { bucketBy, initStates, paramsWithGrads, writeRows } from "./fused.js";
import { checkTypes, withDefaults } from "./options.js";

const k = K as unknown as {
  asgdStep(table: number, count: number, decay: number, negEta: number, mu: number, weightDecay: number,
    maximize: number): void;
};

export interface ASGDOptions {
  /** Learning rate. Default 1e-2. */
  lr?: number;
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
const STATE = ["ax"] as const;

function validate(o: Record<string, any>): void {
  checkTypes("ASGD", o, DEFAULTS);
  if (!(0 <= o.lr)) throw new Error(`Invalid learning rate: ${o.lr}`);
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
 */
export class ASGD extends Optimizer {
  protected override readonly stateKeys = ["step", "eta", "mu", "ax"] as const;

  constructor(params: Params, options?: ASGDOptions) {
    const defaults = withDefaults("ASGD", options, DEFAULTS);
    validate(defaults);
    super(params, defaults);
  }

  protected override validateGroup(group: ParamGroup): void {
    validate(group);
  }

  protected override stepGroups(): void {
    const live = paramsWithGrads(this.paramGroups, this.state, STATE);
    this.paramGroups.forEach((group, gi) => {
      const { lr, lambd, alpha, t0, weightDecay, maximize } = group;
      const batch = live[gi];
      const states = initStates(batch, this.state,
        (p) => ({ step: 0, eta: Math.fround(lr), mu: 1, ax: this.stateTensor(p) }));
      // eta and mu are per-parameter state: one call per distinct pair (usually one).
      for (const bucket of bucketBy(batch, (st) => `${st.eta}/${st.mu}`)) {
        const { eta, mu } = bucket.states[0]!;
        k.asgdStep(writeRows(bucket, STATE), bucket.params.length, 1 - lambd * eta, -eta, mu, weightDecay, maximize ? 1 : 0);
      }
      for (const st of states) {
        const step = (st.step += 1);
        st.eta = Math.fround(lr / (1 + lambd * lr * step) ** alpha);
        st.mu = Math.fround(1 / Math.max(1, step - t0));
      }
    });
  }
}
