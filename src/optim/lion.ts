import { K } from "../runtime/wasm.js";
import type { Tensor } from "../tensor.js";
import type { ParamGroup, ParamState, Params } from "./optimizer.js";
import { type Batch, FusedOptimizer, column, fusedLayout } from "./fused.js";
import { checkLr, checkTypes, lrScalar, lrValue, show, withOwnOptions } from "./options.js";
import { div, mul, neg, sub, value } from "./py_scalar.js";

const LAYOUT = fusedLayout(K.LION_ROW, { expAvg: column(K.LION_EXP_AVG) });
const DEFAULTS = { lr: 1e-4, betas: [0.9, 0.99], weightDecay: 0 };
/** lion-pytorch keeps these on the optimizer, not in its param groups. */
const OWN = { useTriton: false, decoupledWeightDecay: false };

export interface LionOptions {
  lr?: number | Tensor;
  betas?: [number, number];
  weightDecay?: number;
  /** lion-pytorch's Triton (GPU) kernel: not available here; only `false` is accepted. */
  useTriton?: false;
  decoupledWeightDecay?: boolean;
}

/**
 * Lion, EvoLved Sign Momentum (Chen et al., 2023, https://arxiv.org/abs/2302.06675), as
 * lion-pytorch's `Lion` (https://github.com/lucidrains/lion-pytorch; the fixtures replay its
 * runs, naming the commit). For each parameter θ with gradient g:
 * ```
 * θ ← θ·(1 − lr·λ)                       λ = weightDecay (÷ the constructor's lr when decoupledWeightDecay)
 * θ ← θ − lr·sign(β1·m + (1 − β1)·g)
 * m ← β2·m + (1 − β2)·g
 * ```
 * Options (lion-pytorch's defaults): `lr = 1e-4` (the constructor's must be > 0, as the
 * reference asserts), `betas = [0.9, 0.99]` (each in [0, 1]), `weightDecay = 0`,
 * `decoupledWeightDecay = false` (like lion-pytorch's, an option of the optimizer, not of a
 * param group: the decay is then `weightDecay / lr₀` times each step's lr, lr₀ the
 * constructor's), `useTriton` (refused: there is no Triton here). A negative weightDecay is
 * refused, as torch.optim refuses it (the reference does not check it). State per
 * parameter: `expAvg`.
 *
 * ```ts
 * const w = torch.tensor([1, -2], { requiresGrad: true });
 * const opt = new optim.Lion([w], { lr: 0.1 });
 * for (let i = 0; i < 3; i++) {
 *   opt.zeroGrad();
 *   w.pow(2).sum().backward(); // minimise Σw²
 *   opt.step();
 * }
 * w; // after 3 steps, as lion-pytorch: tensor([ 0.7000, -1.7000], requiresGrad=true)
 * ```
 */
export class Lion extends FusedOptimizer {
  protected readonly layout = LAYOUT;
  protected override readonly bucketKey = null;
  /**
   * lion-pytorch's `decoupled_wd`, an option of the optimizer (not of a param group): the
   * decay is then `weightDecay / lr₀` times each step's lr.
   *
   * ```ts
   * const opt = new optim.Lion([torch.zeros([2], { requiresGrad: true })], { decoupledWeightDecay: true });
   * opt.decoupledWeightDecay; // true
   * ```
   */
  readonly decoupledWeightDecay: boolean;
  /** The constructor's lr (lion-pytorch's `_init_lr`, read at each step), which a decoupled weight decay is divided by. */
  private readonly initLr: number | Tensor;

  constructor(params: Params, options?: LionOptions) {
    const [defaults, own] = withOwnOptions("Lion", options, DEFAULTS, OWN);
    if (own.useTriton) {
      throw new Error("Lion: useTriton is not available: it selects lion-pytorch's Triton kernel for CUDA GPUs; " +
        "torchlet steps Lion with its WebAssembly kernel (leave useTriton unset or false)");
    }
    super(params, defaults);
    const lr = lrValue(defaults.lr);
    if (!(lr > 0)) throw new Error(`Lion: lr must be > 0 (lion-pytorch asserts lr > 0 in its constructor), got ${lr}`);
    this.decoupledWeightDecay = own.decoupledWeightDecay;
    this.initLr = defaults.lr;
  }

  protected validateGroup(group: ParamGroup): void {
    checkTypes("Lion", group, DEFAULTS);
    checkLr(group.lr);
    const betas = group.betas as number[];
    betas.forEach((beta, i) => {
      if (!(beta >= 0 && beta <= 1)) throw new Error(`Invalid beta parameter at index ${i}: ${show(beta)} (Lion's betas are in [0, 1])`);
    });
    if (!(group.weightDecay >= 0)) throw new Error(`Invalid weight_decay value: ${group.weightDecay}`);
  }

  protected initState(p: Tensor): ParamState {
    return { expAvg: this.stateTensor(p) };
  }

  protected launch(group: ParamGroup, batch: Batch, table: number): void {
    const [beta1, beta2] = group.betas as number[];
    const lr = lrScalar(group.lr);
    // update_fn's scalars: Python floats, or float32 tensors with a tensor lr
    const wd = this.decoupledWeightDecay ? div(group.weightDecay, lrScalar(this.initLr)) : group.weightDecay;
    K.lionStep(table, batch.params.length, value(sub(1, mul(lr, wd))), value(neg(lr)), beta1, 1 - beta1, beta2, 1 - beta2);
  }
}
