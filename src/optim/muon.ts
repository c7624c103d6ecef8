import { K } from "../runtime/wasm.js";
import type { Tensor } from "../tensor.js";
import { fmt } from "../shape.js";
import type { ParamGroup, ParamState, Params } from "./optimizer.js";
import { type Batch, FusedOptimizer, column, fusedLayout } from "./fused.js";
import { checkTypes, lrScalar, lrValue, show, withDefaults } from "./options.js";
import { mul, sub, value } from "./py_scalar.js";

// Muon is not element-wise: its update is the Newton–Schulz orthogonalisation of each
// matrix's momentum, a chain of matrix products. It stays one fused call per group: the layout
// gives the kernel each matrix's rows (a size column) and a scratch block for the products
// (fused.ts), and the kernel does the rest (assembly/optim/muon.ts).
const LAYOUT = fusedLayout(K.MUON_ROW, {
  momentumBuffer: column(K.MUON_MOMENTUM_BUFFER),
}, {
  sizes: [[K.MUON_ROWS, (s) => s[0]]],
  scratch: (s) => K.muonScratch(s[0], s[1]),
});
const NESTEROV = K.MUON_NESTEROV.value;
const ORIGINAL = K.MUON_ADJUST_ORIGINAL.value, MATCH_RMS_ADAMW = K.MUON_ADJUST_MATCH_RMS_ADAMW.value;
const LR_TENSOR = K.MUON_LR_TENSOR.value;
// Keller Jordan's quintic coefficients and steps (PyTorch's DEFAULT_A, _B, _C, _NS_STEPS, EPS)
const DEFAULTS = {
  lr: 1e-3, weightDecay: 0.1, momentum: 0.95, nesterov: true, nsCoefficients: [3.4445, -4.775, 2.0315], eps: 1e-7,
  nsSteps: 5, adjustLrFn: null,
};

export interface MuonOptions {
  lr?: number | Tensor;
  weightDecay?: number;
  momentum?: number;
  nesterov?: boolean;
  nsCoefficients?: [number, number, number];
  eps?: number;
  nsSteps?: number;
  /** How the lr scales with the matrix's shape: "original" (the default, for null) or "match_rms_adamw". */
  adjustLrFn?: "original" | "match_rms_adamw" | null;
}

/** What PyTorch checks of the iteration when it runs (at each step): here also when a group is made. */
function checkIteration(group: ParamGroup): void {
  const steps = group.nsSteps;
  if (!Number.isInteger(steps)) throw new TypeError(`Muon: option nsSteps must be a whole number, got ${show(steps)}`);
  if (steps >= 100) throw new Error("Number of steps must be less than 100 for computational efficiency");
}

/**
 * Muon (Jordan et al., 2024, https://kellerjordan.github.io/posts/muon/), as `torch.optim.Muon`:
 * momentum, orthogonalised by a Newton–Schulz iteration, for the 2-D parameters of hidden
 * layers. For each m×n parameter θ with gradient g:
 * ```
 * B ← μ·B + (1 − μ)·g              (a lerp toward g)
 * B̃ = nesterov ? (1 − μ)·g + μ·B : B
 * O = NS(B̃): X = B̃/‖B̃‖, then nsSteps times X ← a·X + (b·XXᵀ + c·(XXᵀ)²)·X   (in bfloat16)
 * θ ← θ − lr·λ·θ;   θ ← θ − lr·r·O
 * ```
 * with r = √max(1, m/n) (adjustLrFn "original", the default) or 0.2·√max(m, n)
 * ("match_rms_adamw", which lets Muon reuse AdamW's lr and weight decay). The iteration runs
 * in bfloat16, rounded where PyTorch's CPU operations round and summed in their order, so the
 * steps are PyTorch's bit for bit (except where PyTorch hands large products to oneDNN on a
 * CPU with bfloat16 matrix instructions: assembly/optim/bfloat16.ts).
 *
 * Options (PyTorch's defaults): `lr = 1e-3`, `weightDecay = 0.1` (λ), `momentum = 0.95` (μ),
 * `nesterov = true`, `nsCoefficients = [3.4445, -4.775, 2.0315]` (a, b, c), `eps = 1e-7`
 * (the norm's floor), `nsSteps = 5`, `adjustLrFn = null`. State per parameter:
 * `momentumBuffer`. Every parameter must be 2-D; give the others (biases, norms, embeddings)
 * to another optimizer, as PyTorch's documentation does:
 * ```ts
 * const model = new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 1));
 * const matrices = model.parameters().filter((p) => p.dim() === 2);
 * const others = model.parameters().filter((p) => p.dim() !== 2);
 * const muon = new optim.Muon(matrices, { lr: 0.02 });
 * const adamw = new optim.AdamW(others, { lr: 3e-4, weightDecay: 0.01 });
 * // each step: zeroGrad both, backward, then muon.step() and adamw.step()
 * matrices.length; // 2
 * ```
 */
export class Muon extends FusedOptimizer {
  protected readonly layout = LAYOUT;
  protected override readonly bucketKey = null;

  constructor(params: Params, options?: MuonOptions) {
    super(params, withDefaults("Muon", options, DEFAULTS));
  }

  protected validateGroup(group: ParamGroup): void {
    checkTypes("Muon", group, DEFAULTS);
    // PyTorch's checks and messages, in its order
    const lr = lrValue(group.lr);
    if (!(0.0 <= lr)) throw new Error(`Learning rate should be >= 0 but is: ${lr}`);
    if (!(0.0 <= group.momentum)) throw new Error(`momentum should be >= 0 but is: ${group.momentum}`);
    if (!(0.0 <= group.weightDecay)) throw new Error(`weight decay should be >= 0 but is: ${group.weightDecay}`);
    const fn = group.adjustLrFn;
    if (fn !== null && fn !== "original" && fn !== "match_rms_adamw") {
      throw new Error(`Adjust learning rate function ${fn} is not supported`);
    }
    for (const p of group.params) {
      if (p.dim() !== 2) throw new Error(`Muon only supports 2D parameters whereas we found a parameter with size: ${fmt(p.shape)}`);
    }
    checkIteration(group);
  }

  /** Checks every group's iteration before any is stepped (PyTorch raises mid-step, after earlier params moved). */
  protected override stepGroups(): void {
    for (const group of this.paramGroups) {
      checkTypes("Muon", group, DEFAULTS);
      checkIteration(group);
    }
    super.stepGroups();
  }

  protected initState(p: Tensor): ParamState {
    return { momentumBuffer: this.stateTensor(p) };
  }

  protected launch(group: ParamGroup, batch: Batch, table: number): void {
    const { momentum, weightDecay, eps, nsSteps, adjustLrFn } = group;
    const [a, b, c] = group.nsCoefficients as number[];
    const lr = lrScalar(group.lr);
    const flags = (group.nesterov ? NESTEROV : 0) | (typeof lr !== "number" ? LR_TENSOR : 0) |
      (adjustLrFn === null || adjustLrFn === "original" ? ORIGINAL : adjustLrFn === "match_rms_adamw" ? MATCH_RMS_ADAMW : 0);
    K.muonStep(table, batch.params.length, this.scratchPointer(), 1 - momentum, momentum, a, b, c, nsSteps, eps,
      value(lr), value(sub(1, mul(lr, weightDecay))), flags);
  }
}
