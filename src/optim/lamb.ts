import { K } from "../runtime/wasm.js";
import type { Tensor } from "../tensor.js";
import { empty } from "../ops/elementwise.js";
import { assertLive, discard, gradOf, owned, ptr } from "../storage_access.js";
import type { ParamGroup, ParamState, Params } from "./optimizer.js";
import { type Batch, FusedOptimizer, MAXIMIZE, WEIGHT_DECAY, column, fusedLayout } from "./fused.js";
import { checkTypes, lrScalar, lrValue, withOwnOptions } from "./options.js";
import { F32, type Py, div, mul, neg, sub, value } from "./py_scalar.js";

const LAYOUT = fusedLayout(K.LAMB_ROW, {
  expAvg: column(K.LAMB_EXP_AVG),
  expAvgSq: column(K.LAMB_EXP_AVG_SQ, { nonNegative: true }),
  weightNorm: "float",
  adamNorm: "float",
  trustRatio: "float",
});
const PRE_NORM = K.LAMB_PRE_NORM.value, RECTIFY = K.LAMB_RECTIFY.value, ADAPTIVE = K.LAMB_ADAPTIVE.value;
const ADAM = K.LAMB_ADAM.value;
const DEFAULTS = {
  lr: 1e-3, betas: [0.9, 0.999], weightDecay: 0, weightDecouple: true, fixedDecay: false, rectify: false,
  gradAveraging: true, maxGradNorm: 1.0, adam: false, eps: 1e-6,
};
/** pytorch_optimizer keeps these on the optimizer, not in its param groups. */
const OWN = { degeneratedToSgd: false, nSmaThreshold: 5, preNorm: false, maximize: false };

export interface LAMBOptions {
  lr?: number | Tensor;
  betas?: [number, number];
  weightDecay?: number;
  weightDecouple?: boolean;
  fixedDecay?: boolean;
  rectify?: boolean;
  degeneratedToSgd?: boolean;
  nSmaThreshold?: number;
  gradAveraging?: boolean;
  maxGradNorm?: number;
  adam?: boolean;
  preNorm?: boolean;
  eps?: number;
  maximize?: boolean;
}

/**
 * LAMB, layer-wise adaptive moments (You et al., 2019, https://arxiv.org/abs/1904.00962), as
 * pytorch_optimizer's `Lamb` (https://github.com/kozistr/pytorch_optimizer; the fixtures
 * replay its runs, naming the commit). For each parameter θ with gradient g, at the group's
 * step t (counted per group, in the group: `paramGroups[i].step`, as the reference does):
 * ```
 * g ← maximize ? −g : g;   preNorm: g ← g / min(maxGradNorm / (‖all grads‖ + eps), 1)
 * λ ≠ 0: weightDecouple ? θ ← θ·(1 − λ·(fixedDecay ? 1 : lr)) : g ← g + λ·θ
 * m ← β1·m + β3·g  (β3 = gradAveraging ? 1 − β1 : 1);   v ← β2·v + (1 − β2)·g²
 * u = m / (√v + ε);   r = min(‖θ‖, 10) / (‖u‖ + ε)  (1 if either norm is 0; adam: 1)
 * θ ← θ − (lr / (1 − β1^t))·r·u
 * ```
 * With `rectify` (RAdam's rectification) the reference takes its per-parameter path, whose
 * numbers differ and which torchlet follows too: the step size is scaled by RAdam's r_t once
 * ρ_t reaches `nSmaThreshold` (the update then divides by √v + ε), before that by 1 with
 * `degeneratedToSgd` and by −1 without it (the first steps go uphill, as the reference's
 * do); the trust ratio's ‖u‖ is the norm of θ plus the update; and a coupled weight decay
 * (`weightDecouple: false`) is not applied.
 *
 * Options (pytorch_optimizer's names and defaults): `lr = 1e-3`, `betas = [0.9, 0.999]`,
 * `weightDecay = 0`, `weightDecouple = true`, `fixedDecay = false`, `rectify = false`,
 * `degeneratedToSgd = false`, `nSmaThreshold = 5`, `gradAveraging = true`,
 * `maxGradNorm = 1.0`, `adam = false`, `preNorm = false`, `eps = 1e-6`, `maximize = false`.
 * `degeneratedToSgd`, `nSmaThreshold`, `preNorm` and `maximize` are options of the optimizer,
 * not of a param group (as in the reference); the pre-norm reads the constructor's
 * `maxGradNorm` and `eps`. The reference's `foreach` switch (which here would only select
 * between its two paths' roundings) and its extra keyword options are not taken. Unlike the
 * reference, the step leaves `p.grad` as it was (the reference negates and divides it in
 * place). State per parameter: `expAvg`, `expAvgSq`, and the last step's `weightNorm`,
 * `adamNorm` and `trustRatio`.
 *
 * ```ts
 * const w = torch.tensor([1, -2], { requiresGrad: true });
 * const opt = new optim.LAMB([w], { lr: 0.1 });
 * for (let i = 0; i < 3; i++) {
 *   opt.zeroGrad();
 *   w.pow(2).sum().backward(); // minimise Σw²
 *   opt.step();
 * }
 * w; // after 3 steps, as pytorch_optimizer: tensor([-0.6049,  0.1863], requiresGrad=true)
 * ```
 */
export class LAMB extends FusedOptimizer {
  protected readonly layout = LAYOUT;
  protected override readonly bucketKey = null;
  /**
   * With `rectify`: before ρ_t reaches nSmaThreshold, step as SGD (true) or by −1 times it (false, the reference's).
   *
   * ```ts
   * const opt = new optim.LAMB([torch.zeros([2], { requiresGrad: true })], { rectify: true, degeneratedToSgd: true });
   * opt.degeneratedToSgd; // true
   * ```
   */
  readonly degeneratedToSgd: boolean;
  /**
   * With `rectify`: the ρ_t from which RAdam's rectification applies (the reference's `n_sma_threshold`).
   *
   * ```ts
   * const opt = new optim.LAMB([torch.zeros([2], { requiresGrad: true })], { rectify: true, nSmaThreshold: 4 });
   * opt.nSmaThreshold; // 4
   * ```
   */
  readonly nSmaThreshold: number;
  /**
   * Scale every gradient by the global gradient norm (clipped at `maxGradNorm`) before the step.
   *
   * ```ts
   * const opt = new optim.LAMB([torch.zeros([2], { requiresGrad: true })], { preNorm: true });
   * opt.preNorm; // true
   * ```
   */
  readonly preNorm: boolean;
  /**
   * Maximise the objective: the step goes up the gradient.
   *
   * ```ts
   * const opt = new optim.LAMB([torch.zeros([2], { requiresGrad: true })], { maximize: true });
   * opt.maximize; // true
   * ```
   */
  readonly maximize: boolean;
  /** Each row's ‖θ‖, ‖u‖ and r, written by the kernel (3 values per parameter, grown as needed). */
  private norms: Tensor | null = null;
  private gradNorm = 1;

  constructor(params: Params, options?: LAMBOptions) {
    const [defaults, own] = withOwnOptions("LAMB", options, DEFAULTS, OWN);
    super(params, defaults);
    this.degeneratedToSgd = own.degeneratedToSgd;
    this.nSmaThreshold = own.nSmaThreshold;
    this.preNorm = own.preNorm;
    this.maximize = own.maximize;
  }

  /** The reference's checks, with its messages (NaN refused too, as torch.optim refuses it). */
  protected validateGroup(group: ParamGroup): void {
    checkTypes("LAMB", group, DEFAULTS);
    const lr = lrValue(group.lr);
    if (Number.isNaN(lr)) throw new Error(`Invalid learning rate: ${lr}`);
    if (lr < 0) throw new Error(`learning rate must be positive. (${lr} > 0)`);
    (group.betas as number[]).forEach((beta, i) => {
      if (!(beta >= 0 && beta < 1)) throw new Error(`beta${i + 1} must be in the range [0.0, 1.0)`);
    });
    for (const [key, name] of [["weightDecay", "weight_decay"], ["maxGradNorm", "max_grad_norm"], ["eps", "eps"]]) {
      if (!(group[key] >= 0)) throw new Error(`${name} must be non-negative`);
    }
  }

  protected override groupState(): Readonly<Record<string, "count">> {
    return { step: "count" };
  }

  protected initState(p: Tensor): ParamState {
    return { expAvg: this.stateTensor(p), expAvgSq: this.stateTensor(p) };
  }

  /** Every group's step counts, whether its params have grads or not (the reference's init_group). */
  protected override stepGroups(): void {
    // before any group changes: the global grad norm, and room for every row's norms (an
    // allocation after the kernel table is written could move a storage it points to)
    this.gradNorm = this.preNorm ? this.globalGradNorm() : 1;
    let rows = 0;
    for (const g of this.paramGroups) rows = Math.max(rows, g.params.length);
    if (this.norms === null || this.norms.numel() < 3 * rows) {
      if (this.norms !== null) discard(this.norms);
      this.norms = owned(empty([3 * rows]));
    }
    super.stepGroups();
    for (const g of this.paramGroups) g.step = (g.step ?? 0) + 1;
  }

  /**
   * get_global_gradient_norm's factor: min(maxGradNorm / (√Σ‖g‖² + eps), 1), in float32 as
   * its tensors are (each ‖g‖ a float32, squared and summed in param order); 1 when the
   * constructor's maxGradNorm is 0.
   */
  private globalGradNorm(): number {
    const { maxGradNorm, eps } = this.defaults;
    if (maxGradNorm === 0) return 1;
    const f = Math.fround;
    let sum = 0;
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        const g = gradOf(p);
        if (g === null) continue;
        assertLive(g);
        const norm = f(Math.sqrt(K.normAccum(ptr(g), g.numel(), 2)));
        sum = f(sum + f(norm * norm));
      }
    }
    return Math.min(value(div(maxGradNorm, new F32(f(Math.sqrt(sum)) + f(eps)))), 1);
  }

  protected launch(group: ParamGroup, batch: Batch, table: number): void {
    const step = (group.step ?? 0) + 1;
    const [beta1, beta2] = group.betas as number[];
    const { weightDecay, weightDecouple, fixedDecay, rectify } = group;
    const lr = lrScalar(group.lr);
    // Lamb.step's scalars, in its order (Python floats, or float32 tensors with a tensor lr)
    let stepSize: Py = lr, adaptive = false;
    if (rectify) {
      const nSmaMax = 2 / (1 - beta2) - 1;
      const beta2t = beta2 ** step;
      const nSma = nSmaMax - 2 * step * beta2t / (1 - beta2t);
      adaptive = nSma >= this.nSmaThreshold;
      const rt = adaptive
        ? Math.sqrt((1 - beta2t) * (nSma - 4) / (nSmaMax - 4) * (nSma - 2) / nSma * nSmaMax / (nSmaMax - 2))
        : this.degeneratedToSgd ? 1 : -1;
      stepSize = mul(stepSize, rt);
    }
    stepSize = div(stepSize, 1 - beta1 ** step);
    // the foreach path decays (or adds λ·θ to g) only when λ ≠ 0; the per-parameter path
    // decays whenever weightDecouple (by 1 when λ = 0) and never adds λ·θ
    const decays = weightDecouple && (rectify || weightDecay !== 0);
    const decay = decays ? value(sub(1, mul(weightDecay, fixedDecay ? 1 : lr))) : 1;
    const flags = (this.maximize ? MAXIMIZE : 0) | (!rectify && !weightDecouple && weightDecay !== 0 ? WEIGHT_DECAY : 0) |
      (this.preNorm ? PRE_NORM : 0) | (rectify ? RECTIFY : 0) | (adaptive ? ADAPTIVE : 0) | (group.adam ? ADAM : 0);
    const n = batch.params.length;
    K.lambStep(table, n, this.gradNorm, weightDecay, decay, beta1, group.gradAveraging ? 1 - beta1 : 1, beta2, 1 - beta2,
      group.eps, value(neg(stepSize)), flags, ptr(this.norms!));
    const out = this.norms!.toArray();
    batch.states.forEach((st, i) => {
      st.weightNorm = out[3 * i];
      st.adamNorm = out[3 * i + 1];
      st.trustRatio = out[3 * i + 2];
    });
  }
}
