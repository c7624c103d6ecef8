import type { Tensor } from "../tensor.js";
import type { Params } from "./optimizer.js";
import { Adam } from "./adam.js";
import { withDefaults } from "./options.js";

const DEFAULTS = { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 1e-2, amsgrad: false, maximize: false };

export interface AdamWOptions {
  lr?: number | Tensor;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
  amsgrad?: boolean;
  maximize?: boolean;
}

/**
 * AdamW (Loshchilov & Hutter, 2017, https://arxiv.org/abs/1711.05101), as
 * `torch.optim.AdamW`: Adam with decoupled weight decay, θ ← θ·(1 − lr·λ) before the Adam
 * update, so the decay does not pass through the moment estimates. Same algorithm, state and
 * kernel as {@link Adam} with `decoupledWeightDecay: true` (always set in every group).
 *
 * Options (PyTorch's defaults): `lr = 1e-3`, `betas = [0.9, 0.999]`, `eps = 1e-8`,
 * `weightDecay = 1e-2`, `amsgrad = false`, `maximize = false`.
 *
 * ```ts
 * const w = torch.tensor([1, -2], { requiresGrad: true });
 * const opt = new optim.AdamW([w], { lr: 0.1, weightDecay: 0.1 });
 * for (let i = 0; i < 3; i++) {
 *   opt.zeroGrad();
 *   w.pow(2).sum().backward(); // minimise Σw²
 *   opt.step();
 * }
 * w; // after 3 steps, as PyTorch: tensor([ 0.6751, -1.6444], requiresGrad=true)
 * ```
 */
export class AdamW extends Adam {
  constructor(params: Params, options?: AdamWOptions) {
    super(params, { ...withDefaults("AdamW", options, DEFAULTS), decoupledWeightDecay: true });
  }
}
