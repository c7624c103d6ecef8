import { Optimizer, type ParamGroup, type Params } from "./optimizer.js";
import { K } from "../runtime/wasm.js";
import { assertLive, checkTypes, withDefaults } from "./with_defaults.js";

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

function validate(o: Record<string, any>): void {
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
    checkTypes("ASGD", group, DEFAULTS);
    validate(group);
  }

  protected override stepGroups(): void {
    assertLive(this.paramGroups);
    for (const group of this.paramGroups) {
      const { lr, lambd, alpha, t0, weightDecay, maximize } = group;
      const items = this.paramsWithGrad(group, (p) => ({ step: 0, eta: Math.fround(lr), mu: 1, ax: this.stateTensor(p) }));
      // eta and mu are per-parameter state: one call per distinct pair (usually one).
      const buckets = new Map<string, { eta: number; mu: number; rows: number[][] }>();
      for (const { param, state } of items) {
        const key = `${state.eta}/${state.mu}`;
        let b = buckets.get(key);
        if (b === undefined) buckets.set(key, (b = { eta: state.eta, mu: state.mu, rows: [] }));
        b.rows.push([param._size, param._ptr, param.grad!._ptr, state.ax._ptr]);
      }
      for (const { eta, mu, rows } of buckets.values()) {
        k.asgdStep(this.writeTable(rows, 4), rows.length, 1 - lambd * eta, -eta, mu, weightDecay, maximize ? 1 : 0);
      }
      for (const { state } of items) {
        const step = (state.step += 1);
        state.eta = Math.fround(lr / (1 + lambd * lr * step) ** alpha);
        state.mu = Math.fround(1 / Math.max(1, step - t0));
      }
    }
  }
}
