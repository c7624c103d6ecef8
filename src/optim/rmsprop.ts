import { Optimizer, type ParamGroup, type ParamState, type Params } from "./optimizer.js";
import { K } from "../runtime/wasm.js";
import { initStates, paramsWithGrads, writeRows } from "./fused.js";
import { checkTypes, withDefaults } from "./options.js";

const k = K as unknown as {
  rmspropStep(table: number, count: number, negLr: number, alpha: number, oneMinusAlpha: number, eps: number,
    weightDecay: number, momentum: number, useMomentum: number, centered: number, maximize: number): void;
};

export interface RMSpropOptions {
  /** Learning rate. Default 1e-2. */
  lr?: number;
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
// The kernel's row: a buffer the options do not use is absent (0) or, when the option was
// turned off mid-run, left unread.
const ROW = ["squareAvg", "gradAvg", "momentumBuffer"] as const;

function validate(o: Record<string, any>): void {
  checkTypes("RMSprop", o, DEFAULTS);
  if (!(0 <= o.lr)) throw new Error(`Invalid learning rate: ${o.lr}`);
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
 */
export class RMSprop extends Optimizer {
  protected override readonly stateKeys = ["step", "squareAvg", "momentumBuffer", "gradAvg"] as const;

  constructor(params: Params, options?: RMSpropOptions) {
    const defaults = withDefaults("RMSprop", options, DEFAULTS);
    validate(defaults);
    super(params, defaults);
  }

  protected override validateGroup(group: ParamGroup): void {
    validate(group);
  }

  protected override stepGroups(): void {
    const live = paramsWithGrads(this.paramGroups, this.state, ROW);
    // PyTorch fails (KeyError) when momentum or centered is turned on after the state was
    // made without its buffer; fail the same way, but before any group is stepped.
    this.paramGroups.forEach((group, gi) => {
      for (const st of live[gi].states) {
        if (st === undefined) continue;
        for (const [on, key] of [[group.momentum > 0, "momentumBuffer"], [group.centered, "gradAvg"]] as const) {
          if (on && st[key] === undefined) {
            throw new Error(`RMSprop: a parameter's state has no ${key}: ${key === "gradAvg" ? "centered" : "momentum"} ` +
              `was turned on after its state was created (PyTorch raises KeyError here)`);
          }
        }
      }
    });
    this.paramGroups.forEach((group, gi) => {
      const batch = live[gi];
      if (batch.params.length === 0) return;
      const { lr, alpha, eps, weightDecay, momentum, centered, maximize } = group;
      const states = initStates(batch, this.state, (p) => {
        const st: ParamState = { step: 0, squareAvg: this.stateTensor(p) };
        if (momentum > 0) st.momentumBuffer = this.stateTensor(p);
        if (centered) st.gradAvg = this.stateTensor(p);
        return st;
      });
      for (const st of states) st.step += 1;
      k.rmspropStep(writeRows(batch, ROW), batch.params.length, -lr, alpha, 1 - alpha, eps, weightDecay, momentum,
        momentum > 0 ? 1 : 0, centered ? 1 : 0, maximize ? 1 : 0);
    });
  }
}
