// torch.nn.init (torch/nn/init.py): in-place initialisers that run under noGrad and return
// the tensor, with PyTorch's formulas, fans (_calculate_fan_in_and_fan_out) and gains
// (calculate_gain), drawing from `{ generator }` or the default generator. Every argument is
// checked before the first draw, so a refused call changes neither the tensor nor the stream.
import type { Tensor } from "../tensor.js";
import { eye } from "../ops/ranges.js";
import { empty } from "../ops/layout.js";
import { generatorArg } from "../generator_option.js";
import { noGrad } from "../scope.js";
import type { Generator } from "../random.js";
import { checkOptions, checkTensor, describe } from "./check.js";
import { orthonormalFactor } from "./qr.js";
import { massWithin, truncatedNormalInto } from "./trunc_normal.js";
import { fmt } from "../shape.js";

export type Nonlinearity = "linear" | "conv1d" | "conv2d" | "conv3d" | "conv_transpose1d" | "conv_transpose2d" |
  "conv_transpose3d" | "sigmoid" | "tanh" | "relu" | "leaky_relu" | "selu";
export type FanMode = "fan_in" | "fan_out";

interface GeneratorOption { generator?: Generator | null }
export interface UniformOptions extends GeneratorOption { a?: number; b?: number }
export interface NormalOptions extends GeneratorOption { mean?: number; std?: number }
export interface TruncNormalOptions extends NormalOptions { a?: number; b?: number }
export interface GainOptions extends GeneratorOption { gain?: number }
export interface KaimingOptions extends GeneratorOption { a?: number; mode?: FanMode; nonlinearity?: Nonlinearity }

const LINEAR_FNS = ["linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d"];
const NONLINEARITIES = [...LINEAR_FNS, "sigmoid", "tanh", "relu", "leaky_relu", "selu"];

function finite(owner: string, name: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isFinite(v)) throw new TypeError(`${owner}: ${name} must be a finite number, got ${describe(v)}`);
  return v;
}

/** The tensor argument; `random` ones must be float32, as PyTorch's uniform_/normal_ refuse integer dtypes. */
function target(owner: string, t: unknown, random: boolean): Tensor {
  const x = checkTensor(owner, "tensor", t, random ? "a float32 tensor" : "any shape");
  if (random && x.dtype !== "float32") throw new TypeError(`${owner}: tensor must be float32 to hold random values, got ${x.dtype}`);
  return x;
}

/** A random fill under noGrad (PyTorch's _no_grad_uniform_ / _no_grad_normal_). */
function draw(t: Tensor, gen: Generator, normal: boolean, a: number, b: number): Tensor {
  noGrad(() => (normal ? gen.fillNormal(t, a, b) : gen.fillUniform(t, a, b)));
  return t;
}

function uniformBounds(owner: string, a: number, b: number): void {
  if (a > b) throw new RangeError(`${owner}: a must not exceed b: uniform_ expects to return a [from, to) range, but found from=${a} > to=${b}`);
}

function normalStd(owner: string, std: number): void {
  if (std < 0) throw new RangeError(`${owner}: std must be ≥ 0: normal expects std >= 0.0, but found std ${std}`);
}

/**
 * PyTorch's recommended gain for a nonlinearity (its `nn.functional` name): 1 for linear,
 * convolutions and sigmoid, 5/3 for tanh, √2 for relu, √(2/(1 + slope²)) for leaky_relu
 * (`param` is the negative slope, default 0.01), 3/4 for selu.
 *
 * ```ts
 * nn.init.calculateGain("leaky_relu", 0.2); // 1.3867504905630728
 * ```
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number | null): number {
  return gainFor("nn.init.calculateGain", nonlinearity, param);
}

function gainFor(owner: string, nonlinearity: string, param: unknown): number {
  if (LINEAR_FNS.includes(nonlinearity) || nonlinearity === "sigmoid") return 1;
  if (nonlinearity === "tanh") return 5.0 / 3;
  if (nonlinearity === "relu") return Math.sqrt(2.0);
  if (nonlinearity === "leaky_relu") {
    if (param !== undefined && param !== null && (typeof param !== "number" || Number.isNaN(param))) {
      throw new TypeError(`${owner}: param, the negative slope of leaky_relu, must be a number, got ${describe(param)}`);
    }
    const slope = param ?? 0.01;
    return Math.sqrt(2.0 / (1 + slope * slope));
  }
  if (nonlinearity === "selu") return 3.0 / 4; // found empirically (pytorch/pytorch#50664)
  throw new RangeError(`${owner}: Unsupported nonlinearity ${describe(nonlinearity)}; nonlinearity must be one of ${NONLINEARITIES.map((n) => `"${n}"`).join(", ")}`);
}

/** [fanIn, fanOut] as _calculate_fan_in_and_fan_out: dims 1 and 0, times the receptive field (dims 2…). */
function fans(owner: string, t: Tensor): [number, number] {
  const s = t.shape;
  if (s.length < 2) {
    throw new RangeError(`${owner}: tensor of shape ${fmt(s)}: Fan in and fan out can not be computed for tensor with fewer than 2 dimensions`);
  }
  let receptive = 1;
  for (let d = 2; d < s.length; d++) receptive *= s[d];
  return [s[1] * receptive, s[0] * receptive];
}

/** Fills `tensor` with U(a, b) (defaults 0 and 1). */
export function uniform_(tensor: Tensor, options?: UniformOptions): Tensor {
  const owner = "nn.init.uniform_";
  const o = checkOptions(owner, options, ["a", "b", "generator"]);
  const t = target(owner, tensor, true);
  const a = finite(owner, "a", o.a ?? 0), b = finite(owner, "b", o.b ?? 1);
  uniformBounds(owner, a, b);
  return draw(t, generatorArg(owner, o.generator), false, a, b);
}

/** Fills `tensor` with N(mean, std²) (defaults 0 and 1). */
export function normal_(tensor: Tensor, options?: NormalOptions): Tensor {
  const owner = "nn.init.normal_";
  const o = checkOptions(owner, options, ["mean", "std", "generator"]);
  const t = target(owner, tensor, true);
  const mean = finite(owner, "mean", o.mean ?? 0), std = finite(owner, "std", o.std ?? 1);
  normalStd(owner, std);
  return draw(t, generatorArg(owner, o.generator), true, mean, std);
}

/**
 * Fills `tensor` with N(mean, std²) truncated to [a, b] (defaults 0, 1, −2, 2), by
 * PyTorch 2.x's method: redraw out-of-range normals when [a, b] holds more than 30% of the
 * mass, else uniform proposals on [a, b] accepted with the normal's density ratio.
 *
 * ```ts
 * nn.init.truncNormal_(w, { std: 0.02 });
 * ```
 */
export function truncNormal_(tensor: Tensor, options?: TruncNormalOptions): Tensor {
  const owner = "nn.init.truncNormal_";
  const o = checkOptions(owner, options, ["mean", "std", "a", "b", "generator"]);
  const t = target(owner, tensor, true);
  const mean = finite(owner, "mean", o.mean ?? 0), std = finite(owner, "std", o.std ?? 1);
  const a = o.a ?? -2, b = o.b ?? 2;
  for (const [name, v] of [["a", a], ["b", b]] as const) {
    if (typeof v !== "number" || Number.isNaN(v)) throw new TypeError(`${owner}: ${name} must be a number (±Infinity allowed), got ${describe(v)}`);
  }
  if (!(std > 0)) throw new RangeError(`${owner}: std must be > 0 (the truncation bounds are measured in stds), got ${std}`);
  uniformBounds(owner, a, b);
  const mass = massWithin(mean, std, a, b);
  if (mass <= 0.3 && !(Number.isFinite(a) && Number.isFinite(b))) {
    throw new RangeError(`${owner}: [${a}, ${b}] holds ${(100 * mass).toPrecision(3)}% of N(${mean}, ${std}²): ` +
      "PyTorch then draws uniform proposals, which needs finite a and b");
  }
  const gen = generatorArg(owner, o.generator);
  if (t.numel() === 0) return t;
  truncatedNormalInto(t, gen, mean, std, a, b);
  return t;
}

/**
 * Fills `tensor` with `val` (PyTorch's constant_; an int32 tensor truncates it, as fill_).
 *
 * ```ts
 * nn.init.constant_(layer.bias, 0.1);
 * ```
 */
export function constant_(tensor: Tensor, val: number): Tensor {
  const owner = "nn.init.constant_";
  const t = target(owner, tensor, false);
  if (typeof val !== "number") throw new TypeError(`${owner}: val must be a number, got ${describe(val)}`);
  if (t.dtype !== "float32" && !Number.isFinite(val)) {
    throw new RangeError(`${owner}: val must be finite to fill a ${t.dtype} tensor, got ${val}`);
  }
  noGrad(() => t.fill_(val));
  return t;
}

/** Fills `tensor` with zeros. */
export function zeros_(tensor: Tensor): Tensor {
  const t = target("nn.init.zeros_", tensor, false);
  noGrad(() => t.zero_());
  return t;
}

/** Fills `tensor` with ones. */
export function ones_(tensor: Tensor): Tensor {
  const t = target("nn.init.ones_", tensor, false);
  noGrad(() => t.fill_(1));
  return t;
}

/**
 * Fills the 2-D `tensor` with the identity (ones on the main diagonal), keeping as many
 * inputs of a Linear layer as its shape allows.
 */
export function eye_(tensor: Tensor): Tensor {
  const owner = "nn.init.eye_";
  const t = target(owner, tensor, false);
  if (t.shape.length !== 2) throw new RangeError(`${owner}: tensor of shape ${fmt(t.shape)}: Only tensors with 2 dimensions are supported`);
  noGrad(() => t.copy_(eye(t.shape[0], t.shape[1], { dtype: t.dtype })));
  return t;
}

function gainOf(owner: string, o: { gain?: number }): number {
  return finite(owner, "gain", o.gain ?? 1);
}

/** The std gain·√(2/(fanIn + fanOut)) of the Xavier (Glorot) initialisers. */
function xavierStd(owner: string, t: Tensor, gain: number): number {
  const [fanIn, fanOut] = fans(owner, t);
  if (fanIn + fanOut === 0) throw new RangeError(`${owner}: fan_in + fan_out is 0 for a tensor of shape ${fmt(t.shape)}: float division by zero`);
  return gain * Math.sqrt(2.0 / (fanIn + fanOut));
}

/**
 * Xavier (Glorot) uniform: U(−bound, bound) with bound = gain·√(6/(fanIn + fanOut)).
 *
 * ```ts
 * nn.init.xavierUniform_(layer.weight, { gain: nn.init.calculateGain("relu") });
 * ```
 */
export function xavierUniform_(tensor: Tensor, options?: GainOptions): Tensor {
  const owner = "nn.init.xavierUniform_";
  const o = checkOptions(owner, options, ["gain", "generator"]);
  const t = target(owner, tensor, true);
  const bound = Math.sqrt(3.0) * xavierStd(owner, t, gainOf(owner, o));
  return draw(t, generatorArg(owner, o.generator), false, -bound, bound);
}

/** Xavier (Glorot) normal: N(0, std²) with std = gain·√(2/(fanIn + fanOut)). */
export function xavierNormal_(tensor: Tensor, options?: GainOptions): Tensor {
  const owner = "nn.init.xavierNormal_";
  const o = checkOptions(owner, options, ["gain", "generator"]);
  const t = target(owner, tensor, true);
  const std = xavierStd(owner, t, gainOf(owner, o));
  return draw(t, generatorArg(owner, o.generator), true, 0, std);
}

/**
 * The std gain/√fan of the Kaiming (He) initialisers, or null for a tensor with a 0 in its
 * shape (which PyTorch leaves as it is, with a warning).
 */
function kaimingStd(owner: string, t: Tensor, o: KaimingOptions): number | null {
  const a = o.a ?? 0;
  if (typeof a !== "number" || !Number.isFinite(a)) throw new TypeError(`${owner}: a (the negative slope) must be a finite number, got ${describe(a)}`);
  const mode = o.mode ?? "fan_in";
  const m = typeof mode === "string" ? mode.toLowerCase() : mode; // PyTorch lower-cases the mode
  if (m !== "fan_in" && m !== "fan_out") {
    throw new RangeError(`${owner}: Mode ${describe(mode)} not supported, please use one of "fan_in", "fan_out"`);
  }
  const gain = gainFor(owner, o.nonlinearity ?? "leaky_relu", a);
  if (t.shape.includes(0)) return null;
  const [fanIn, fanOut] = fans(owner, t);
  return gain / Math.sqrt(m === "fan_in" ? fanIn : fanOut);
}

/**
 * Kaiming (He) uniform: U(−bound, bound) with bound = gain·√(3/fan), gain from
 * `nonlinearity` (default "leaky_relu" with slope `a` = 0, i.e. √2) and fan from `mode`
 * (default "fan_in").
 *
 * ```ts
 * nn.init.kaimingUniform_(conv.weight, { mode: "fan_out", nonlinearity: "relu" });
 * ```
 */
export function kaimingUniform_(tensor: Tensor, options?: KaimingOptions): Tensor {
  const owner = "nn.init.kaimingUniform_";
  const o = checkOptions(owner, options, ["a", "mode", "nonlinearity", "generator"]);
  const t = target(owner, tensor, true);
  const std = kaimingStd(owner, t, o);
  const gen = generatorArg(owner, o.generator);
  if (std === null) return t;
  const bound = Math.sqrt(3.0) * std;
  return draw(t, gen, false, -bound, bound);
}

/** Kaiming (He) normal: N(0, std²) with std = gain/√fan (options as kaimingUniform_). */
export function kaimingNormal_(tensor: Tensor, options?: KaimingOptions): Tensor {
  const owner = "nn.init.kaimingNormal_";
  const o = checkOptions(owner, options, ["a", "mode", "nonlinearity", "generator"]);
  const t = target(owner, tensor, true);
  const std = kaimingStd(owner, t, o);
  const gen = generatorArg(owner, o.generator);
  if (std === null) return t;
  return draw(t, gen, true, 0, std);
}

/**
 * Fills `tensor` (2 dims or more; the trailing ones are flattened) with a (semi-)orthogonal
 * matrix times `gain`: the Q of the QR decomposition of a standard normal matrix, with
 * PyTorch's sign correction (Saxe et al., 2013).
 *
 * ```ts
 * nn.init.orthogonal_(rnn.weight, { gain: nn.init.calculateGain("tanh") });
 * ```
 */
export function orthogonal_(tensor: Tensor, options?: GainOptions): Tensor {
  const owner = "nn.init.orthogonal_";
  const o = checkOptions(owner, options, ["gain", "generator"]);
  const t = target(owner, tensor, true);
  if (t.shape.length < 2) throw new RangeError(`${owner}: tensor of shape ${fmt(t.shape)}: Only tensors with 2 or more dimensions are supported`);
  const gain = gainOf(owner, o);
  const gen = generatorArg(owner, o.generator);
  if (t.numel() === 0) return t;
  const rows = t.shape[0], cols = t.numel() / rows;
  noGrad(() => {
    const flattened = gen.fillNormal(empty([rows, cols]), 0, 1).toArray();
    const tall = rows >= cols;
    // QR of the tall orientation: the flattened matrix, or its transpose (PyTorch's t_())
    const [m, n] = tall ? [rows, cols] : [cols, rows];
    const a = tall ? flattened : transpose(flattened, rows, cols);
    const q = orthonormalFactor(a, m, n);
    t.copy_(tall ? q : transpose(q, cols, rows));
    t.mul_(gain);
  });
  return t;
}

/** The transpose of an r×c row-major matrix. */
function transpose(x: ArrayLike<number>, r: number, c: number): Float64Array {
  const out = new Float64Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = x[i * c + j];
  return out;
}
