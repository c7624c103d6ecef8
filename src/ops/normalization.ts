// Layer norm and batch norm (PyTorch's F.layer_norm and F.batch_norm), each one fused
// kernel forward and one backward (assembly/normalization.ts).
import { Tensor } from "../tensor.js";
import { K } from "../runtime/wasm.js";
import { needsGrad, record } from "../autograd.js";
import { dense, dropTemp, empty, live } from "./layout.js";
import { fmt, numelOf, sameShape } from "../shape.js";

const k = K as unknown as {
  layerNormForward(x: number, gamma: number, beta: number, y: number, mean: number, rstd: number, rows: number, D: number, eps: number): void;
  layerNormBackward(dy: number, x: number, gamma: number, mean: number, rstd: number, dx: number, dgamma: number, dbeta: number,
    rows: number, D: number): void;
  batchNormForward(x: number, gamma: number, beta: number, y: number, mean: number, rstd: number, runMean: number, runVar: number,
    N: number, C: number, S: number, eps: number, momentum: number, training: number): void;
  batchNormBackward(dy: number, x: number, gamma: number, mean: number, rstd: number, dx: number, dgamma: number, dbeta: number,
    N: number, C: number, S: number, training: number): void;
};

function optionalParam(v: unknown, shape: readonly number[], name: string, where: string): Tensor | null {
  if (v === null || v === undefined) return null;
  if (!(v instanceof Tensor)) throw new TypeError(`${where}: ${name} must be a Tensor or null, got ${typeof v}`);
  if (!sameShape(v.shape, shape)) throw new Error(`${where}: ${name} must have shape ${fmt(shape)}, got ${fmt(v.shape)}`);
  live(v);
  return v;
}

/**
 * PyTorch's `F.layer_norm(input, normalizedShape, weight?, bias?, eps = 1e-5)`: each slice
 * over the last dims (`normalizedShape`) shifted to mean 0 and scaled to variance 1 (the
 * biased variance), then `· weight + bias` where given. (eps is positional here, as the
 * fifth argument.)
 *
 * ```ts
 * F.layerNorm(torch.tensor([[1, 2, 3]]), [3]); // tensor([[-1.2247,  0.0000,  1.2247]])
 * ```
 */
export function layerNorm(input: Tensor, normalizedShape: number | readonly number[], weight?: Tensor | null,
  bias?: Tensor | null, eps = 1e-5): Tensor {
  if (!(input instanceof Tensor)) throw new TypeError(`layerNorm: input must be a Tensor, got ${input === null ? "null" : typeof input}`);
  const ns = typeof normalizedShape === "number" ? [normalizedShape] : Array.from(normalizedShape ?? []);
  const tail = input.shape.slice(input.shape.length - ns.length);
  if (ns.length === 0 || ns.length > input.shape.length || !sameShape(tail, ns)) {
    throw new Error(`layerNorm: Given normalized_shape=${fmt(ns)}, expected input with shape [*, ${ns.join(", ")}], but got input of size ${fmt(input.shape)}`);
  }
  const w = optionalParam(weight, ns, "weight", "layerNorm"), b = optionalParam(bias, ns, "bias", "layerNorm");
  const D = numelOf(ns), rows = D === 0 ? 0 : input._size / D;
  const x = dense(input);
  const wd = w === null ? null : dense(w), bd = b === null ? null : dense(b);
  const y = empty(input.shape);
  const mean = empty([rows]), rstd = empty([rows]);
  k.layerNormForward(x._ptr, wd !== null ? wd._ptr : 0, bd !== null ? bd._ptr : 0, y._ptr, mean._ptr, rstd._ptr, rows, D, eps);
  if (bd !== null) dropTemp(bd, b!);
  if (!needsGrad(input, w, b)) {
    mean.dispose(); rstd.dispose(); dropTemp(x, input); if (wd !== null) dropTemp(wd, w!);
    return y;
  }
  const saved = [mean, rstd, ...(x !== input ? [x] : []), ...(wd !== null && wd !== w ? [wd] : [])];
  const inputs = [input, ...(w ? [w] : []), ...(b ? [b] : [])];
  record(y, "NativeLayerNormBackward0", inputs, (g) => {
    const dx = input.requiresGrad ? empty(input.shape) : null;
    const dw = w !== null && w.requiresGrad ? empty(ns) : null;
    const db = b !== null && b.requiresGrad ? empty(ns) : null;
    k.layerNormBackward(g._ptr, x._ptr, wd !== null ? wd._ptr : 0, mean._ptr, rstd._ptr,
      dx !== null ? dx._ptr : 0, dw !== null ? dw._ptr : 0, db !== null ? db._ptr : 0, rows, D);
    return [dx, ...(w ? [dw] : []), ...(b ? [db] : [])];
  }, [input, ...(w ? [w] : [])], saved);
  return y;
}

export interface BatchNormOptions {
  weight?: Tensor | null;
  bias?: Tensor | null;
  training?: boolean;
  momentum?: number;
  eps?: number;
}

/**
 * PyTorch's `F.batch_norm(input, runningMean, runningVar, { weight, bias, training = false,
 * momentum = 0.1, eps = 1e-5 })` over [N, C] or [N, C, *]: batch statistics per channel
 * when training (the running ones updated in place with the unbiased variance), the running
 * statistics otherwise.
 *
 * ```ts
 * const mean = torch.zeros([1]), variance = torch.ones([1]);
 * F.batchNorm(torch.tensor([[1], [3]]), mean, variance, { training: true }); // tensor([[-1.0000], [ 1.0000]])
 * mean;     // moved 0.1 of the way to the batch mean: tensor([0.2000])
 * variance; // tensor([1.1000])
 * ```
 */
export function batchNorm(input: Tensor, runningMean: Tensor | null, runningVar: Tensor | null, options: BatchNormOptions = {}): Tensor {
  const where = "batchNorm";
  if (!(input instanceof Tensor)) throw new TypeError(`${where}: input must be a Tensor, got ${input === null ? "null" : typeof input}`);
  if (input.shape.length < 2) throw new Error(`${where}: expected an input of at least 2 dims [N, C, ...], got ${fmt(input.shape)}`);
  const training = options.training ?? false, momentum = options.momentum ?? 0.1, eps = options.eps ?? 1e-5;
  const [N, C] = input.shape;
  const S = input.shape.slice(2).reduce((a, v) => a * v, 1);
  const rm = optionalParam(runningMean, [C], "runningMean", where), rv = optionalParam(runningVar, [C], "runningVar", where);
  if ((rm === null) !== (rv === null)) throw new Error(`${where}: runningMean and runningVar must both be given or both be null`);
  if (!training && rm === null) throw new Error(`${where}: running_mean and running_var must be defined in evaluation mode`);
  if (training && N * S <= 1) {
    throw new Error(`${where}: Expected more than 1 value per channel when training, got input size ${fmt(input.shape)}`);
  }
  for (const t of [rm, rv]) if (t !== null && !t._contiguous) throw new Error(`${where}: running statistics must be contiguous`);
  const w = optionalParam(options.weight, [C], "weight", where), b = optionalParam(options.bias, [C], "bias", where);
  const x = dense(input);
  const wd = w === null ? null : dense(w), bd = b === null ? null : dense(b);
  const y = empty(input.shape);
  const mean = empty([C]), rstd = empty([C]);
  if (!training) {
    // the backward reads running statistics as "mean" and "rstd"
    k.batchNormForward(x._ptr, wd !== null ? wd._ptr : 0, bd !== null ? bd._ptr : 0, y._ptr, mean._ptr, rstd._ptr,
      rm!._ptr, rv!._ptr, N, C, S, eps, momentum, 0);
  } else {
    k.batchNormForward(x._ptr, wd !== null ? wd._ptr : 0, bd !== null ? bd._ptr : 0, y._ptr, mean._ptr, rstd._ptr,
      rm !== null ? rm._ptr : 0, rv !== null ? rv._ptr : 0, N, C, S, eps, momentum, 1);
    if (rm !== null) { rm._bumpVersion(); rv!._bumpVersion(); }
  }
  if (bd !== null) dropTemp(bd, b!);
  if (!needsGrad(input, w, b)) {
    mean.dispose(); rstd.dispose(); dropTemp(x, input); if (wd !== null) dropTemp(wd, w!);
    return y;
  }
  if (!training) {
    // eval: the statistics the backward uses are the running ones, as they are now
    const m = rm!.toArray(), v = rv!.toArray();
    const rs = v.map((vv) => Math.fround(1 / Math.fround(Math.sqrt(Math.fround(vv + Math.fround(eps))))));
    mean.copy_(m);
    rstd.copy_(rs);
  }
  const saved = [mean, rstd, ...(x !== input ? [x] : []), ...(wd !== null && wd !== w ? [wd] : [])];
  const inputs = [input, ...(w ? [w] : []), ...(b ? [b] : [])];
  record(y, "NativeBatchNormBackward0", inputs, (g) => {
    const dx = input.requiresGrad ? empty(input.shape) : null;
    const dw = w !== null && w.requiresGrad ? empty([C]) : null;
    const db = b !== null && b.requiresGrad ? empty([C]) : null;
    k.batchNormBackward(g._ptr, x._ptr, wd !== null ? wd._ptr : 0, mean._ptr, rstd._ptr,
      dx !== null ? dx._ptr : 0, dw !== null ? dw._ptr : 0, db !== null ? db._ptr : 0, N, C, S, training ? 1 : 0);
    return [dx, ...(w ? [dw] : []), ...(b ? [db] : [])];
  }, [input, ...(w ? [w] : [])], saved);
  return y;
}
