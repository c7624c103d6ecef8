import { Optimizer, type ParamGroup, type Params } from "./optimizer.js";
import { K } from "../runtime/wasm.js";
import { initStates, paramsWithGrads, writeRows } from "./fused.js";
import { checkTypes, withDefaults } from "./options.js";

const k = K as unknown as {
  rpropStep(table: number, count: number, etaminus: number, etaplus: number, stepMin: number, stepMax: number,
    maximize: number): void;
};

export interface RpropOptions {
  /** Learning rate: the initial step size of every element. Default 1e-2. */
  lr?: number;
  /** [etaminus, etaplus]: step size factors when the gradient's sign flips / stays. Default [0.5, 1.2]. */
  etas?: [number, number];
  /** [min, max] step size. Default [1e-6, 50]. */
  stepSizes?: [number, number];
  /** Maximize the objective instead of minimizing it. Default false. */
  maximize?: boolean;
}

const DEFAULTS = { lr: 1e-2, etas: [0.5, 1.2], stepSizes: [1e-6, 50], maximize: false };
const STATE = ["prev", "stepSize"] as const;

function validate(o: Record<string, any>): void {
  checkTypes("Rprop", o, DEFAULTS);
  if (!(0 <= o.lr)) throw new Error(`Invalid learning rate: ${o.lr}`);
  const [em, ep] = o.etas;
  if (!(0 < em && em < 1 && 1 < ep)) throw new Error(`Invalid eta values: ${em}, ${ep}`);
}

/**
 * Resilient backpropagation ([Riedmiller & Braun 1993](https://doi.org/10.1109/ICNN.1993.298623)),
 * as `torch.optim.Rprop`. Per element, with η = `stepSize` (starts at lr) and `prev` (starts at 0):
 * ```
 * g = maximize ? -∇ : ∇
 * g·prev > 0: η = min(η·etaplus, max)
 * g·prev < 0: η = max(η·etaminus, min);  g = 0
 * θ = θ - sign(g)·η;  prev = g
 * ```
 * State per parameter: `step`, `prev`, `stepSize`.
 */
export class Rprop extends Optimizer {
  protected override readonly stateKeys = ["step", ...STATE] as const;

  constructor(params: Params, options?: RpropOptions) {
    const defaults = withDefaults("Rprop", options, DEFAULTS);
    validate(defaults);
    super(params, defaults);
  }

  protected override validateGroup(group: ParamGroup): void {
    validate(group);
  }

  protected override stepGroups(): void {
    const live = paramsWithGrads(this.paramGroups, this.state, STATE);
    this.paramGroups.forEach((group, gi) => {
      const batch = live[gi];
      if (batch.params.length === 0) return;
      const states = initStates(batch, this.state,
        (p) => ({ step: 0, prev: this.stateTensor(p), stepSize: this.stateTensor(p, group.lr) }));
      for (const st of states) st.step += 1;
      const [etaminus, etaplus] = group.etas;
      const [stepMin, stepMax] = group.stepSizes;
      k.rpropStep(writeRows(batch, STATE), batch.params.length, etaminus, etaplus, stepMin, stepMax, group.maximize ? 1 : 0);
    });
  }
}
