// torch.nn.utils' gradient clipping (torch/nn/utils/clip_grad.py): clipGradNorm_ and
// clipGradValue_, in place on the grads, one kernel call per gradient.
import { Tensor, tensor } from "../tensor.js";
import { K } from "../runtime/wasm.js";
import { Un } from "../ops/codes.js";
import { assertLive, bumpVersion, gradOf, ptr } from "../storage_access.js";

const k = K as unknown as {
  normAccum(x: number, n: number, ord: number): number;
  clampInPlace(x: number, n: number, lo: number, hi: number): void;
};

function paramList(parameters: Iterable<Tensor> | Tensor, fn: string): Tensor[] {
  if (parameters instanceof Tensor) return [parameters];
  if (parameters === null || typeof (parameters as any)?.[Symbol.iterator] !== "function") {
    throw new Error(`${fn}: parameters must be a Tensor or an iterable of Tensors, got ${parameters === null ? "null" : typeof parameters}`);
  }
  const list = [...parameters];
  for (const p of list) {
    if (!(p instanceof Tensor)) throw new Error(`${fn}: parameters must be Tensors, but one is ${p === null ? "null" : typeof p}`);
  }
  return list;
}

function grads(params: Tensor[]): Tensor[] {
  const out = params.flatMap((p) => { const g = gradOf(p); return g === null ? [] : [g]; });
  for (const g of out) assertLive(g); // a released grad throws here, before anything changes
  return out;
}

/** PyTorch's vector_norm of one tensor's values, as a float32 value. */
function norm(g: Tensor, ord: number): number {
  const acc = k.normAccum(ptr(g), g.numel(), ord);
  if (ord === Infinity || ord === -Infinity || ord === 0 || ord === 1) return Math.fround(acc);
  if (ord === 2) return Math.fround(Math.sqrt(acc));
  return Math.fround(acc ** (1 / ord));
}

/** vector_norm over the per-tensor norms (PyTorch stacks them and takes the norm again). */
function combine(norms: number[], ord: number): number {
  if (ord === Infinity) return Math.max(...norms);
  if (ord === -Infinity) return Math.min(...norms);
  if (ord === 0) return norms.filter((v) => v !== 0).length;
  let acc = 0;
  for (const v of norms) acc += ord === 1 ? Math.abs(v) : ord === 2 ? Math.fround(v * v) : Math.abs(v) ** ord;
  return Math.fround(ord === 1 ? acc : ord === 2 ? Math.sqrt(acc) : acc ** (1 / ord));
}

/**
 * Clips the gradient norm of `parameters` in place, as `torch.nn.utils.clip_grad_norm_`: the
 * norm of all grads taken together (as one vector) is computed, and if it exceeds `maxNorm`
 * every grad is scaled by `maxNorm / (totalNorm + 1e-6)`. Returns the total norm (before
 * clipping) as a 0-dim tensor. Options: `normType = 2` (`Infinity`: max |g|),
 * `errorIfNonfinite = false` (true: a NaN or infinite total norm throws instead of scaling).
 *
 * ```ts
 * const model = new nn.Linear(2, 1);
 * const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
 * const loss = model.forward(torch.tensor([[30, 40]])).sum();
 * loss.backward();                                     // grads: weight [30, 40], bias [1]
 * nn.utils.clipGradNorm_(model.parameters(), 1.0);     // tensor(50.0100)
 * model.weight.grad!.norm().item();                    // 0.9998
 * opt.step();
 * ```
 */
export function clipGradNorm_(parameters: Iterable<Tensor> | Tensor, maxNorm: number,
  options: { normType?: number; errorIfNonfinite?: boolean } = {}): Tensor {
  const { normType = 2, errorIfNonfinite = false } = options ?? {};
  if (typeof maxNorm !== "number") throw new Error(`clipGradNorm_: maxNorm must be a number, got ${typeof maxNorm}`);
  if (typeof normType !== "number") throw new Error(`clipGradNorm_: normType must be a number (Infinity for the max norm), got ${typeof normType}`);
  const gs = grads(paramList(parameters, "clipGradNorm_"));
  if (gs.length === 0) return tensor(0);
  const total = combine(gs.map((g) => norm(g, normType)), normType);
  if (errorIfNonfinite && !Number.isFinite(total)) {
    throw new Error(`The total norm of order ${normType} for gradients from \`parameters\` is non-finite, so it cannot be ` +
      "clipped. To disable this error and scale the gradients by the non-finite norm anyway, set `errorIfNonfinite: false`");
  }
  // float32 like PyTorch's tensor arithmetic: clip_coef = max_norm / (total_norm + 1e-6), clamped to 1
  const coef = Math.fround(Math.fround(maxNorm) / Math.fround(total + Math.fround(1e-6)));
  const clamped = coef > 1 ? 1 : coef; // torch.clamp(max=1.0) keeps NaN
  for (const g of gs) {
    K.unary(Un.MULS, ptr(g), ptr(g), g.numel(), clamped);
    bumpVersion(g);
  }
  return tensor(total);
}

/**
 * Clamps every gradient of `parameters` into [−clipValue, clipValue], in place, as
 * `torch.nn.utils.clip_grad_value_`.
 *
 * ```ts
 * const model = new nn.Linear(2, 1);
 * model.forward(torch.tensor([[3, -0.2]])).sum().backward();
 * nn.utils.clipGradValue_(model.parameters(), 0.5);
 * model.weight.grad; // tensor([[ 0.5000, -0.2000]])
 * ```
 */
export function clipGradValue_(parameters: Iterable<Tensor> | Tensor, clipValue: number): void {
  if (typeof clipValue !== "number") throw new Error(`clipGradValue_: clipValue must be a number, got ${typeof clipValue}`);
  for (const g of grads(paramList(parameters, "clipGradValue_"))) {
    k.clampInPlace(ptr(g), g.numel(), -clipValue, clipValue);
    bumpVersion(g);
  }
}
