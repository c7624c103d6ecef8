// 2-D pooling (PyTorch's max_pool2d, avg_pool2d, adaptive_avg_pool2d) over [N, C, H, W]
// or unbatched [C, H, W] input, forward and backward in wasm (assembly/pool.ts).
import { Tensor } from "../tensor.js";
import { K } from "../runtime/wasm.js";
import { needsGrad, record } from "../autograd.js";
import { dense, dropTemp, empty, fill, live, writeTable } from "./layout.js";
import { fmt } from "../shape.js";

const k = K as unknown as {
  maxPool2dForward(x: number, out: number, idx: number, geom: number): void;
  maxPool2dBackward(gout: number, idx: number, dx: number, P: number, HW: number, HoWo: number): void;
  avgPool2dForward(x: number, out: number, geom: number, countIncludePad: number, divisorOverride: number): void;
  avgPool2dBackward(gout: number, dx: number, geom: number, countIncludePad: number, divisorOverride: number): void;
  adaptiveAvgPool2d(x: number, out: number, P: number, H: number, W: number, Ho: number, Wo: number, backward: number): void;
};

type Pair = number | readonly number[];

export interface MaxPool2dOptions {
  stride?: Pair | null;
  padding?: Pair;
  dilation?: Pair;
  ceilMode?: boolean;
}

export interface AvgPool2dOptions {
  stride?: Pair | null;
  padding?: Pair;
  ceilMode?: boolean;
  countIncludePad?: boolean;
  divisorOverride?: number | null;
}

function pair(v: unknown, name: string, where: string, min: number): [number, number] {
  const list = typeof v === "number" ? [v, v] : Array.isArray(v) ? v : null;
  if (list === null || list.length !== 2 || list.some((x) => typeof x !== "number" || !Number.isInteger(x) || x < min)) {
    throw new Error(`${where}: ${name} must be an integer ≥ ${min} or a pair of them, got ${JSON.stringify(v)}`);
  }
  return [list[0], list[1]];
}

function checkInput(where: string, x: unknown): Tensor {
  if (!(x instanceof Tensor)) throw new TypeError(`${where}: input must be a Tensor, got ${x === null ? "null" : typeof x}`);
  if (x.dtype !== "float32") throw new TypeError(`${where}: input must be float32, got ${x.dtype}`);
  if (x.shape.length !== 3 && x.shape.length !== 4) {
    throw new Error(`${where}: expected 3D (unbatched) or 4D (batched) input to ${where}, but got input of size: ${fmt(x.shape)}`);
  }
  live(x);
  return x;
}

/** PyTorch's pooling output size, with ceil_mode's rule that the last window starts inside the input. */
function outSize(size: number, k: number, s: number, p: number, d: number, ceil: boolean): number {
  const span = size + 2 * p - d * (k - 1) - 1;
  let out = Math.floor((ceil ? span + (s - 1) : span) / s) + 1;
  if (ceil && (out - 1) * s >= size + p) out--;
  return out;
}

function windows(where: string, x: Tensor, kernelSize: Pair, o: { stride?: Pair | null; padding?: Pair; dilation?: Pair; ceilMode?: boolean }) {
  const [kh, kw] = pair(kernelSize, "kernelSize", where, 1);
  const [sh, sw] = o.stride === undefined || o.stride === null ? [kh, kw] : pair(o.stride, "stride", where, 1);
  const [ph, pw] = pair(o.padding ?? 0, "padding", where, 0);
  const [dh, dw] = pair(o.dilation ?? 1, "dilation", where, 1);
  if (ph > kh / 2 || pw > kw / 2) {
    throw new Error(`${where}: pad should be at most half of effective kernel size, but got pad=${fmt([ph, pw])}, kernel_size=${fmt([kh, kw])}`);
  }
  const [H, W] = x.shape.slice(-2);
  const ceil = o.ceilMode ?? false;
  const Ho = outSize(H, kh, sh, ph, dh, ceil), Wo = outSize(W, kw, sw, pw, dw, ceil);
  if (Ho < 1 || Wo < 1) {
    throw new Error(`${where}: Given input size: ${fmt(x.shape.slice(-3))}. Calculated output size: ${fmt([x.shape[x.shape.length - 3], Ho, Wo])}. Output size is too small`);
  }
  const P = x._size / (H * W);
  return { P, H, W, Ho, Wo, geom: [P, H, W, kh, kw, sh, sw, ph, pw, dh, dw, Ho, Wo] };
}

/**
 * PyTorch's `F.max_pool2d(input, kernelSize, { stride = kernelSize, padding = 0,
 * dilation = 1, ceilMode = false })` over [N, C, H, W] or [C, H, W]: the largest value of
 * each window (the gradient goes to it).
 *
 * ```ts
 * const x = torch.arange(16).float().reshape(1, 1, 4, 4);
 * F.maxPool2d(x, 2); // tensor([[[[ 5.,  7.], [13., 15.]]]])
 * F.maxPool2d(x, 3, { stride: 1 }).shape; // [1, 1, 2, 2]
 * ```
 */
export function maxPool2d(input: Tensor, kernelSize: Pair, options: MaxPool2dOptions = {}): Tensor {
  const x = checkInput("maxPool2d", input);
  const G = windows("maxPool2d", x, kernelSize, options);
  const xd = dense(x);
  const outShape = [...x.shape.slice(0, -2), G.Ho, G.Wo];
  const out = empty(outShape);
  const idx = empty(outShape, "int32");
  k.maxPool2dForward(xd._ptr, out._ptr, idx._ptr, writeTable(G.geom));
  dropTemp(xd, x);
  if (!needsGrad(x)) { idx.dispose(); return out; }
  record(out, "MaxPool2DWithIndicesBackward0", [x], (g) => {
    const dx = fill(x.shape, 0);
    k.maxPool2dBackward(g._ptr, idx._ptr, dx._ptr, G.P, G.H * G.W, G.Ho * G.Wo);
    return [dx];
  }, [], [idx]);
  return out;
}

/**
 * PyTorch's `F.avg_pool2d(input, kernelSize, { stride = kernelSize, padding = 0,
 * ceilMode = false, countIncludePad = true, divisorOverride })`: the mean of each window.
 *
 * ```ts
 * const x = torch.arange(16).float().reshape(1, 1, 4, 4);
 * F.avgPool2d(x, 2); // tensor([[[[ 2.5000,  4.5000], [10.5000, 12.5000]]]])
 * ```
 */
export function avgPool2d(input: Tensor, kernelSize: Pair, options: AvgPool2dOptions = {}): Tensor {
  const x = checkInput("avgPool2d", input);
  const G = windows("avgPool2d", x, kernelSize, options);
  const include = options.countIncludePad ?? true;
  const div = options.divisorOverride ?? 0;
  if (!Number.isInteger(div) || div < 0) throw new Error(`avgPool2d: divisorOverride must be a positive integer or null, got ${String(div)}`);
  const xd = dense(x);
  const out = empty([...x.shape.slice(0, -2), G.Ho, G.Wo]);
  k.avgPool2dForward(xd._ptr, out._ptr, writeTable(G.geom), include ? 1 : 0, div);
  dropTemp(xd, x);
  if (needsGrad(x)) {
    record(out, "AvgPool2DBackward0", [x], (g) => {
      const dx = fill(x.shape, 0);
      k.avgPool2dBackward(g._ptr, dx._ptr, writeTable(G.geom), include ? 1 : 0, div);
      return [dx];
    });
  }
  return out;
}

/**
 * PyTorch's `F.adaptive_avg_pool2d(input, outputSize)`: averages over windows chosen so the
 * output is `outputSize` (a number, a pair, or null for a dim kept as is), whatever the
 * input's size.
 *
 * ```ts
 * const x = torch.arange(16).float().reshape(1, 1, 4, 4);
 * F.adaptiveAvgPool2d(x, 1);               // global average: tensor([[[[7.5000]]]])
 * F.adaptiveAvgPool2d(x, [2, null]).shape; // [1, 1, 2, 4]
 * ```
 */
export function adaptiveAvgPool2d(input: Tensor, outputSize: number | readonly (number | null)[]): Tensor {
  const x = checkInput("adaptiveAvgPool2d", input);
  const [H, W] = x.shape.slice(-2);
  const req = typeof outputSize === "number" ? [outputSize, outputSize] : outputSize;
  if (!Array.isArray(req) || req.length !== 2 || req.some((v) => v !== null && (!Number.isInteger(v) || (v as number) < 1))) {
    throw new Error(`adaptiveAvgPool2d: outputSize must be a positive integer or a pair (null keeps a dim), got ${JSON.stringify(outputSize)}`);
  }
  const Ho = req[0] ?? H, Wo = req[1] ?? W;
  const P = x._size / (H * W);
  const xd = dense(x);
  const out = empty([...x.shape.slice(0, -2), Ho, Wo]);
  k.adaptiveAvgPool2d(xd._ptr, out._ptr, P, H, W, Ho, Wo, 0);
  dropTemp(xd, x);
  if (needsGrad(x)) {
    record(out, "AdaptiveAvgPool2DBackward0", [x], (g) => {
      const dx = fill(x.shape, 0);
      k.adaptiveAvgPool2d(dx._ptr, g._ptr, P, H, W, Ho, Wo, 1);
      return [dx];
    });
  }
  return out;
}
