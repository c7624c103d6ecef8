// Dropout (torch.nn.functional.dropout in training): the Bernoulli mask is drawn while the
// output is written, one call forward, one backward. PyTorch multiplies by a noise tensor
// (0 or 1/(1−p)), so a dropped NaN or ±Infinity stays NaN, as x·0 does here.
import { enter, leave, uniform } from "./random";

/**
 * out[i] = x[i]·(kept ? scale : 0) with kept = U[0, 1) < keep, and mask[i] (u8) = kept, for
 * i < n, drawing from the generator state at `state`. keep = 0 (p = 1) draws nothing, as
 * PyTorch's p = 1 multiplies by zero without sampling. `out` may be `x` (in place).
 */
export function dropoutForward(x: usize, out: usize, mask: usize, n: i32, state: usize, keep: f64, scale: f32): void {
  if (keep <= 0) {
    for (let i = 0; i < n; i++) {
      const o = <usize>i << 2;
      store<f32>(out + o, load<f32>(x + o) * <f32>0);
      store<u8>(mask + <usize>i, 0);
    }
    return;
  }
  enter(state);
  for (let i = 0; i < n; i++) {
    const kept = uniform() < keep;
    const o = <usize>i << 2;
    store<f32>(out + o, load<f32>(x + o) * (kept ? scale : <f32>0));
    store<u8>(mask + <usize>i, kept ? 1 : 0);
  }
  leave(state);
}

/** gx[i] = g[i]·(mask[i] ? scale : 0), for i < n: the gradient of the forward's product. */
export function dropoutBackward(g: usize, mask: usize, gx: usize, n: i32, scale: f32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(gx + o, load<f32>(g + o) * (load<u8>(mask + <usize>i) != 0 ? scale : <f32>0));
  }
}
