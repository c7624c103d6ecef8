import { K } from "../runtime/wasm.js";
import type { Tensor } from "../tensor.js";
import type { ParamGroup, ParamState, Params } from "./optimizer.js";
import { type Batch, FusedOptimizer, MAXIMIZE, column, fusedLayout } from "./fused.js";
import { checkLr, checkTypes, lrValue, withDefaults } from "./options.js";

export interface RpropOptions {
  /** Learning rate: the initial step size of every element. Default 1e-2. */
  lr?: number | Tensor;
  /** [etaminus, etaplus]: step size factors when the gradient's sign flips / stays. Default [0.5, 1.2]. */
  etas?: [number, number];
  /** [min, max] step size. Default [1e-6, 50]. */
  stepSizes?: [number, number];
  /** Maximize the objective instead of minimizing it. Default false. */
  maximize?: boolean;
}

const DEFAULTS = { lr: 1e-2, etas: [0.5, 1.2], stepSizes: [1e-6, 50], maximize: false };
const LAYOUT = fusedLayout(K.RPROP_ROW, {
  step: "count",
  prev: column(K.RPROP_PREV),
  stepSize: column(K.RPROP_STEP_SIZE),
});

function validate(o: Record<string, any>): void {
  checkTypes("Rprop", o, DEFAULTS);
  checkLr(o.lr);
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
 *
 * Options (PyTorch's defaults): `lr = 1e-2`, `etas = [0.5, 1.2]` (etaminus, etaplus),
 * `stepSizes = [1e-6, 50]` (min, max), `maximize = false`.
 *
 * ```ts
 * const w = torch.tensor([1, -2], { requiresGrad: true });
 * const opt = new optim.Rprop([w], { lr: 0.1 });
 * for (let i = 0; i < 3; i++) {
 *   opt.zeroGrad();
 *   w.pow(2).sum().backward(); // minimise Σw²
 *   opt.step();
 * }
 * w; // after 3 steps, as PyTorch: tensor([ 0.6360, -1.6360], requiresGrad=true)
 * ```
 */
export class Rprop extends FusedOptimizer {
  protected readonly layout = LAYOUT;
  protected override readonly bucketKey = null;

  constructor(params: Params, options?: RpropOptions) {
    super(params, withDefaults("Rprop", options, DEFAULTS));
  }

  protected override validateGroup(group: ParamGroup): void {
    validate(group);
  }

  protected initState(p: Tensor, group: ParamGroup): ParamState {
    return { step: 0, prev: this.stateTensor(p), stepSize: this.stateTensor(p, lrValue(group.lr)) };
  }

  protected launch(group: ParamGroup, batch: Batch, table: number): void {
    for (const st of batch.states) st.step += 1;
    const [etaminus, etaplus] = group.etas;
    const [stepMin, stepMax] = group.stepSizes;
    K.rpropStep(table, batch.params.length, etaminus, etaplus, stepMin, stepMax, group.maximize ? MAXIMIZE : 0);
  }
}
