// Convolutions (PyTorch's conv1d / conv2d): one wasm call for the whole batch forward and
// one backward, im2col and the SIMD matmul inside (assembly/conv.ts). conv1d is conv2d
// with a height of 1.
import { Tensor } from "../tensor.js";
import { K } from "../runtime/wasm.js";
import { needsGrad, record } from "../autograd.js";
import { clone, copyInto, dense, dropTemp, empty, fill, live, writeTable } from "./layout.js";
import { viewOf } from "./views.js";
import { binaryRaw, reduceTo } from "./elementwise.js";
import { Bin } from "./codes.js";
import { fmt, stridesOf } from "../shape.js";

const k = K as unknown as {
  conv2dForward(x: number, w: number, out: number, cols: number, geom: number): void;
  conv2dBackward(x: number, w: number, gout: number, dx: number, dw: number, cols: number, dwTmp: number, geom: number): void;
};

export type Pair = number | readonly [number, number];
export type Padding = Pair | "valid" | "same";

export interface ConvOptions {
  stride?: Pair | number[];
  padding?: Padding | number[];
  dilation?: Pair | number[];
  groups?: number;
}

function pair(v: unknown, name: string, where: string, dims: number, min: number): number[] {
  const list = typeof v === "number" ? new Array<number>(dims).fill(v) : Array.isArray(v) ? v : null;
  if (list === null || list.length !== dims || list.some((x) => typeof x !== "number" || !Number.isInteger(x) || x < min)) {
    throw new Error(`${where}: ${name} must be an integer ≥ ${min} or ${dims === 1 ? "an array of 1" : `a pair of ${dims}`} ` +
      `such integers, got ${JSON.stringify(v)}`);
  }
  return list.slice();
}

/** The geometry of a convolution after checking every argument (PyTorch's messages). */
function geometry(where: string, x: Tensor, w: Tensor, o: ConvOptions, dims: 1 | 2) {
  const rank = dims + 2;
  if (x.shape.length !== rank && x.shape.length !== rank - 1) {
    throw new Error(`${where}: expected ${rank - 1}D (unbatched) or ${rank}D (batched) input, but got input of size: ${fmt(x.shape)}`);
  }
  if (w.shape.length !== rank) throw new Error(`${where}: weight must be ${rank}-D [out, in/groups, ${dims === 2 ? "kH, kW" : "k"}], got ${fmt(w.shape)}`);
  const groups = o.groups ?? 1;
  if (!Number.isInteger(groups) || groups < 1) throw new Error(`${where}: groups must be a positive integer, got ${String(groups)}`);
  const stride = pair(o.stride ?? 1, "stride", where, dims, 1);
  const dilation = pair(o.dilation ?? 1, "dilation", where, dims, 1);
  const batched = x.shape.length === rank;
  const [N, C] = batched ? [x.shape[0], x.shape[1]] : [1, x.shape[0]];
  const spatial = x.shape.slice(batched ? 2 : 1);
  const [O, Cg] = w.shape;
  const kernel = w.shape.slice(2);
  if (O % groups !== 0) throw new Error(`${where}: out_channels (${O}) must be divisible by groups (${groups})`);
  if (Cg * groups !== C) {
    throw new Error(`${where}: Given groups=${groups}, weight of size ${fmt(w.shape)}, expected input${fmt(x.shape)} to have ` +
      `${Cg * groups} channels, but got ${C} channels instead`);
  }
  let padding: number[];
  const p = o.padding ?? 0;
  if (p === "valid") padding = new Array(dims).fill(0);
  else if (p === "same") {
    if (stride.some((s) => s !== 1)) throw new Error(`${where}: padding='same' is not supported for strided convolutions`);
    // PyTorch pads the total k−1 (per dim, dilated) with the extra one on the right; for
    // an odd total the symmetric part is used and the input is padded on the right first
    padding = kernel.map((kk, i) => (dilation[i] * (kk - 1)) >> 1);
  } else if (typeof p === "string") throw new Error(`${where}: padding must be "valid", "same", an integer or a pair, got ${JSON.stringify(p)}`);
  else padding = pair(p, "padding", where, dims, 0);
  const extraRight = p === "same" ? kernel.map((kk, i) => (dilation[i] * (kk - 1)) % 2) : new Array(dims).fill(0);
  const inSize = spatial.map((s, i) => s + extraRight[i]);
  const out = inSize.map((s, i) => Math.floor((s + 2 * padding[i] - dilation[i] * (kernel[i] - 1) - 1) / stride[i]) + 1);
  if (out.some((v) => v < 1)) {
    throw new Error(`${where}: calculated output size ${fmt(out)} is too small: input ${fmt(spatial)} (with padding ${fmt(padding)}) ` +
      `is smaller than the dilated kernel ${fmt(kernel.map((kk, i) => dilation[i] * (kk - 1) + 1))}`);
  }
  return { batched, N, C, O, groups, kernel, stride, padding, dilation, spatial, inSize, extraRight, out };
}

/** A contiguous tensor's values under another shape (no graph). */
function reshaped(t: Tensor, shape: readonly number[]): Tensor {
  return viewOf(t, shape, stridesOf(shape), t._offset);
}

/** The view of t's first `sizes` entries along its trailing dims (no graph). */
function leading(t: Tensor, sizes: readonly number[]): Tensor {
  return viewOf(t, [...t.shape.slice(0, t.shape.length - sizes.length), ...sizes], t._strides, t._offset);
}

/** conv2d / conv1d on the host side; `dims` 1 maps everything onto height 1. */
function convNd(where: string, dims: 1 | 2, input: Tensor, weight: Tensor, bias: Tensor | null | undefined, options: ConvOptions): Tensor {
  for (const [name, t] of [["input", input], ["weight", weight]] as const) {
    if (!(t instanceof Tensor)) throw new TypeError(`${where}: ${name} must be a Tensor, got ${t === null ? "null" : typeof t}`);
    if (t.dtype !== "float32") throw new TypeError(`${where}: ${name} must be float32, got ${t.dtype}`);
  }
  if (bias !== null && bias !== undefined && !(bias instanceof Tensor)) throw new TypeError(`${where}: bias must be a Tensor or null`);
  const G = geometry(where, input, weight, options, dims);
  if (bias && (bias.shape.length !== 1 || bias.shape[0] !== G.O)) throw new Error(`${where}: bias must have shape [${G.O}], got ${fmt(bias.shape)}`);
  live(input); live(weight); if (bias) live(bias);
  // as 2-D: [N, C, H, W] with H = 1 for conv1d; "same" with an odd total pads right first
  const H = dims === 2 ? G.inSize[0] : 1, W = G.inSize[dims - 1];
  const Ho = dims === 2 ? G.out[0] : 1, Wo = G.out[dims - 1];
  let x = dense(input);
  if (G.extraRight.some((e) => e > 0)) {
    const padded = fill([G.N, G.C, ...G.inSize], 0);
    const region = leading(padded, G.spatial), src = reshaped(x, [G.N, G.C, ...G.spatial]);
    copyInto(region, src);
    region.dispose(); src.dispose();
    dropTemp(x, input);
    x = padded;
  }
  const w = dense(weight);
  const kh = dims === 2 ? G.kernel[0] : 1, kw = G.kernel[dims - 1];
  const geom = [G.N, G.C, H, W, G.O, G.groups, kh, kw,
    dims === 2 ? G.stride[0] : 1, G.stride[dims - 1], dims === 2 ? G.padding[0] : 0, G.padding[dims - 1],
    dims === 2 ? G.dilation[0] : 1, G.dilation[dims - 1], Ho, Wo];
  const Kc = (G.C / G.groups) * kh * kw;
  const outShape = G.batched ? [G.N, G.O, ...G.out] : [G.O, ...G.out];
  const out = empty(outShape);
  const cols = empty([Kc * Ho * Wo]);
  k.conv2dForward(x._ptr, w._ptr, out._ptr, cols._ptr, writeTable(geom));
  if (bias) {
    const b4 = viewOf(bias, [G.O, ...new Array(dims).fill(1)], [bias._strides[0], ...new Array(dims).fill(1)], bias._offset);
    binaryRaw(Bin.ADD, out, b4, out.shape, out);
    b4.dispose();
  }
  if (!needsGrad(input, weight, bias)) {
    cols.dispose();
    dropTemp(x, input); dropTemp(w, weight);
    return out;
  }
  const saved = [cols, ...(x !== input ? [x] : []), ...(w !== weight ? [w] : [])];
  const name = "ConvolutionBackward0";
  record(out, name, bias ? [input, weight, bias] : [input, weight], (g) => {
    const needX = input.requiresGrad, needW = weight.requiresGrad;
    const dx = needX ? fill(x.shape, 0) : null;
    const dw = needW ? empty(weight.shape) : null;
    const dwTmp = needW ? empty([(G.O / G.groups) * Kc]) : null;
    k.conv2dBackward(x._ptr, w._ptr, g._ptr, dx !== null ? dx._ptr : 0, dw !== null ? dw._ptr : 0, cols._ptr,
      dwTmp !== null ? dwTmp._ptr : 0, writeTable(geom));
    dwTmp?.dispose();
    let gx: Tensor | null = dx;
    if (dx !== null && G.extraRight.some((e) => e > 0)) {
      const region = leading(dx, G.spatial);
      const c = clone(region);
      region.dispose(); dx.dispose();
      gx = reshaped(c, input.shape);
      c.dispose();
    }
    let gb: Tensor | null = null;
    if (bias && bias.requiresGrad) {
      const r = reduceTo(g, [G.O, ...new Array(dims).fill(1)]);
      gb = reshaped(r, [G.O]);
      r.dispose();
    }
    return bias ? [gx, dw, gb] : [gx, dw];
  }, [input, weight], saved);
  return out;
}

/**
 * PyTorch's `F.conv2d(input, weight, bias?, { stride, padding, dilation, groups })`: a 2-D
 * cross-correlation of input [N, C_in, H, W] (or [C_in, H, W]) with weight [C_out,
 * C_in / groups, kH, kW]. Options default to stride 1, padding 0 (a number, a pair,
 * `"valid"` or `"same"`), dilation 1, groups 1.
 *
 * ```ts
 * const x = torch.ones([1, 1, 3, 3]);
 * const w = torch.ones([1, 1, 2, 2]);
 * F.conv2d(x, w);                               // tensor([[[[4., 4.], [4., 4.]]]])
 * F.conv2d(x, w, null, { padding: "same" }).shape; // [1, 1, 3, 3]
 * ```
 */
export function conv2d(input: Tensor, weight: Tensor, bias?: Tensor | null, options: ConvOptions = {}): Tensor {
  return convNd("conv2d", 2, input, weight, bias, options);
}

/**
 * PyTorch's `F.conv1d(input, weight, bias?, { stride, padding, dilation, groups })`: a 1-D
 * cross-correlation of input [N, C_in, L] (or [C_in, L]) with weight [C_out, C_in / groups,
 * k]; options as `conv2d`'s, single numbers.
 *
 * ```ts
 * const signal = torch.tensor([[[1, 2, 3, 4]]]);
 * F.conv1d(signal, torch.tensor([[[1, -1]]])); // differences: tensor([[[-1., -1., -1.]]])
 * ```
 */
export function conv1d(input: Tensor, weight: Tensor, bias?: Tensor | null, options: ConvOptions = {}): Tensor {
  return convNd("conv1d", 1, input, weight, bias, options);
}
