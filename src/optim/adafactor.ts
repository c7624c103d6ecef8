import { K } from "../runtime/wasm.js";
import type { Tensor } from "../tensor.js";
import type { ParamGroup, ParamState, Params } from "./optimizer.js";
import { type Batch, FusedOptimizer, MAXIMIZE, column, fusedLayout } from "./fused.js";
import { checkTypes, lrScalar, lrValue, withDefaults } from "./options.js";
import { type Py, min, mul, sub, value } from "./py_scalar.js";

/** A parameter's last two sizes, [rows, cols]; rows 0 below two dimensions (no factored moments). */
const rows = (s: readonly number[]): number => (s.length > 1 ? s[s.length - 2] : 0);
const cols = (s: readonly number[]): number => (s.length > 1 ? s[s.length - 1] : 0);
const factored = (s: readonly number[]): boolean => s.length > 1;
// PyTorch's shapes of the factored moments: [..., R, 1] and [..., 1, C]; a vector has neither
const rowVarShape = (s: readonly number[]): number[] | null => (factored(s) ? [...s.slice(0, -1), 1] : null);
const colVarShape = (s: readonly number[]): number[] | null => (factored(s) ? [...s.slice(0, -2), 1, s[s.length - 1]] : null);

const LAYOUT = fusedLayout(K.ADAFACTOR_ROW, {
  step: "count",
  rowVar: column(K.ADAFACTOR_ROW_VAR, { nonNegative: true, shape: rowVarShape }),
  colVar: column(K.ADAFACTOR_COL_VAR, { nonNegative: true, shape: colVarShape }),
  variance: column(K.ADAFACTOR_VARIANCE, { nonNegative: true, shape: (s) => (factored(s) ? null : s) }),
}, {
  sizes: [[K.ADAFACTOR_ROWS, rows], [K.ADAFACTOR_COLS, cols]],
  scratch: (s) => K.adafactorScratch(rows(s), cols(s), s.reduce((a, b) => a * b, 1)),
});
const RHO_TENSOR = K.ADAFACTOR_RHO_TENSOR.value;
/** torch.finfo(torch.float32).eps: eps1 when it is None. */
const FLOAT32_EPS = 2 ** -23;
const DEFAULTS = { lr: 1e-2, beta2Decay: -0.8, eps: [null, 1e-3], d: 1.0, weightDecay: 0.0, maximize: false };

export interface AdafactorOptions {
  lr?: number | Tensor;
  beta2Decay?: number;
  /** [eps1, eps2]: eps1 null means float32's machine epsilon. */
  eps?: [number | null, number];
  d?: number;
  weightDecay?: number;
  maximize?: boolean;
}

/**
 * Adafactor (Shazeer & Stern, 2018, https://arxiv.org/abs/1804.04235), as
 * `torch.optim.Adafactor`, whose second moments of a parameter of two dimensions or more are
 * factored into a row and a column vector over its last two dimensions. At step t, for each
 * parameter θ with gradient g (negated with maximize):
 * ```
 * β̂2 = 1 − t^beta2Decay;   ρ = min(lr, 1/√t);   α = max(eps2, RMS(θ))·ρ
 * θ ← θ − lr·λ·θ
 * ≥ 2-D:  R ← β̂2·R + (1 − β̂2)·mean(g², dim −1);  C ← β̂2·C + (1 − β̂2)·mean(g², dim −2)
 *         V = R·C / max(mean(R, dim −2), eps1)
 * 1-D:    V ← β̂2·V + (1 − β̂2)·g²
 * U = g / √max(V, eps1²);   θ ← θ − α·U / max(1, RMS(U)/d)
 * ```
 * Options (PyTorch's defaults): `lr = 1e-2` (the cap on ρ, and the weight decay's rate),
 * `beta2Decay = -0.8`, `eps = [null, 1e-3]` (eps1 null: float32's epsilon), `d = 1`
 * (the update's clipping threshold), `weightDecay = 0` (λ), `maximize = false`. State per
 * parameter: `step`, and `rowVar` ([..., R, 1]) and `colVar` ([..., 1, C]) for a parameter
 * of two dimensions or more, `variance` for the others. Each group is stepped by one fused
 * wasm call per step count.
 *
 * ```ts
 * const w = torch.tensor([1, -2], { requiresGrad: true });
 * const opt = new optim.Adafactor([w], { lr: 0.1 });
 * for (let i = 0; i < 3; i++) {
 *   opt.zeroGrad();
 *   w.pow(2).sum().backward(); // minimise Σw²
 *   opt.step();
 * }
 * w; // after 3 steps, as PyTorch: tensor([ 0.5987, -1.5822], requiresGrad=true)
 * ```
 */
export class Adafactor extends FusedOptimizer {
  protected readonly layout = LAYOUT;

  constructor(params: Params, options?: AdafactorOptions) {
    super(params, withDefaults("Adafactor", options, DEFAULTS));
  }

  protected validateGroup(group: ParamGroup): void {
    checkTypes("Adafactor", group, DEFAULTS);
    // PyTorch's checks and messages, in its order
    const lr = lrValue(group.lr);
    if (!(0.0 <= lr)) throw new Error(`Learning rate should be >= 0 but is: ${lr}`);
    if (!(0.0 >= group.beta2Decay)) throw new Error(`beta2_decay should be <= 0 but is: ${group.beta2Decay}`);
    const [eps1, eps2] = group.eps as [number | null, number];
    if (eps1 !== null && !(0.0 <= eps1)) throw new Error(`epsilon1 should be >= 0 but is: ${eps1}`);
    if (!(0.0 <= eps2)) throw new Error(`epsilon2 should be >= 0 but is: ${eps2}`);
    if (!(1.0 <= group.d)) throw new Error(`Clipping threshold d should be >= 1 but is: ${group.d}`);
    if (!(0.0 <= group.weightDecay)) throw new Error(`weight_decay should be >= 0 but is: ${group.weightDecay}`);
  }

  protected initState(p: Tensor): ParamState {
    const s = p.shape;
    if (!factored(s)) return { step: 0, variance: this.stateTensor(p) };
    return { step: 0, rowVar: this.stateTensor(p, 0, rowVarShape(s)!), colVar: this.stateTensor(p, 0, colVarShape(s)!) };
  }

  protected launch(group: ParamGroup, batch: Batch, table: number): void {
    const step = batch.states[0].step + 1;
    const { beta2Decay, d, weightDecay } = group;
    const [eps1Option, eps2] = group.eps as [number | null, number];
    const eps1 = eps1Option ?? FLOAT32_EPS;
    const lr: Py = lrScalar(group.lr);
    // _single_tensor_adafactor: Python floats, or float32 where a tensor lr enters
    const oneMinusBeta2 = step ** beta2Decay;
    const rho = min(lr, 1 / Math.sqrt(step)); // step ** 0.5: glibc's pow is the correctly rounded root
    const decay = weightDecay !== 0 ? value(sub(1, mul(lr, weightDecay))) : 1;
    K.adafactorStep(table, batch.params.length, this.scratchPointer(), oneMinusBeta2, value(rho), eps1, eps1 * eps1,
      eps2, d, decay, (group.maximize ? MAXIMIZE : 0) | (typeof rho !== "number" ? RHO_TENSOR : 0));
    for (const st of batch.states) st.step = step;
  }
}
