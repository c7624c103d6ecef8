// The sampler behind nn.init.truncNormal_: PyTorch 2.x's two methods (torch/nn/init.py,
// _no_grad_trunc_normal_) written with tensor ops, each redraw round freeing what it replaces.
import type { Tensor } from "../tensor.js";
import { where } from "../ops/compare.js";
import { empty } from "../ops/layout.js";
import { noGrad, tidy } from "../scope.js";
import type { Generator } from "../random.js";

/** erf(x) (Abramowitz & Stegun 7.1.26, |error| < 1.5e-7): only picks the method. */
function erf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y = 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-x * x);
  return x >= 0 ? y : -y;
}

const normCdf = (x: number): number => (1 + erf(x / Math.SQRT2)) / 2;

/** The share of N(mean, std²) that lies in [a, b]; PyTorch redraws normals when it exceeds 0.3. */
export function massWithin(mean: number, std: number, a: number, b: number): number {
  return normCdf((b - mean) / std) - normCdf((a - mean) / std);
}

const any = (mask: Tensor): boolean => tidy(() => mask.sum().item() > 0);

/** Replaces `old` by what `body` returns, freeing body's temporaries and the old tensors. */
function round(old: Tensor[], body: () => Tensor[]): Tensor[] {
  const next = tidy(body);
  for (const o of old) o.dispose();
  return next;
}

/**
 * Writes N(mean, std²) truncated to [a, b] into the float32 `t` (checked by the caller:
 * std > 0, a ≤ b, finite bounds when the mass within is ≤ 0.3), drawing from `gen`.
 */
export function truncatedNormalInto(t: Tensor, gen: Generator, mean: number, std: number, a: number, b: number): void {
  const normal = (): Tensor => gen.fillNormal(empty(t.shape), mean, std);
  const proposal = (): Tensor => gen.fillUniform(empty(t.shape), a, b);
  // PyTorch's accept_buf.uniform_().log_(), as log(1 − U) ∈ (−∞, 0]: log(U) is −∞ for U = 0 (one
  // draw in 2^24), which would accept any proposal, however unlikely
  const logU = (): Tensor => gen.fillUniform(empty(t.shape), 1, 0).log();
  noGrad(() => {
    let result: Tensor, pending: Tensor;
    if (massWithin(mean, std, a, b) > 0.3) {
      // redraw the values outside [a, b] (as float32: PyTorch compares against new_tensor(a).item())
      const lo = Math.fround(a), hi = Math.fround(b);
      const outside = (r: Tensor): Tensor => r.lt(lo).logicalOr(r.gt(hi));
      result = normal();
      pending = tidy(() => outside(result));
      while (any(pending)) {
        [result, pending] = round([result, pending], () => {
          const r = where(pending, normal(), result);
          return [r, outside(r)];
        });
      }
    } else {
      // uniform proposals on [a, b], accepted with probability density / density at the mode
      const mode = Math.max(a, Math.min(mean, b));
      const logPeak = -0.5 * ((mode - mean) / std) ** 2;
      const logRatio = (c: Tensor): Tensor => c.sub(mean).div(std).pow(2).mul(-0.5).sub(logPeak);
      result = proposal();
      pending = tidy(() => logU().gt(logRatio(result)));
      while (any(pending)) {
        [result, pending] = round([result, pending], () => {
          const c = proposal();
          return [where(pending, c, result), where(pending, logU().gt(logRatio(c)), pending)];
        });
      }
    }
    t.copy_(result);
  });
}
