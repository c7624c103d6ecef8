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

/**
 * A nonlinearity by its `torch.nn.functional` name, as PyTorch's `calculate_gain` and the
 * Kaiming initialisers take it (snake_case, as PyTorch spells these strings).
 *
 * ```ts
 * const act: nn.init.Nonlinearity = "tanh";
 * nn.init.calculateGain(act); // 1.6666666666666667
 * ```
 */
export type Nonlinearity = "linear" | "conv1d" | "conv2d" | "conv3d" | "conv_transpose1d" | "conv_transpose2d" |
  "conv_transpose3d" | "sigmoid" | "tanh" | "relu" | "leaky_relu" | "selu";
/**
 * Which fan the Kaiming initialisers scale by: `"fan_in"` (the default: preserves the
 * forward pass's variance) or `"fan_out"` (the backward pass's).
 *
 * ```ts
 * const mode: nn.init.FanMode = "fan_out";
 * const w = nn.init.kaimingUniform_(torch.zeros([400, 100]), { mode }); // fan_out = 400
 * w.abs().max().item() <= Math.sqrt(6 / 400); // true
 * ```
 */
export type FanMode = "fan_in" | "fan_out";

interface GeneratorOption {
  /** The generator to draw from (default: the one `torch.manualSeed` seeds). */
  generator?: Generator | null;
}
/**
 * Options of `nn.init.uniform_`: the bounds `a` (default 0) and `b` (default 1), and a
 * `generator`.
 *
 * ```ts
 * const opts: nn.init.UniformOptions = { a: -1, b: 1 };
 * nn.init.uniform_(torch.zeros([100]), opts).abs().max().item() <= 1; // true
 * ```
 */
export interface UniformOptions extends GeneratorOption {
  /** The lower bound (default 0). */
  a?: number;
  /** The upper bound (default 1). */
  b?: number;
}
/**
 * Options of `nn.init.normal_`: `mean` (default 0), `std` (default 1), and a `generator`.
 *
 * ```ts
 * const opts: nn.init.NormalOptions = { mean: 5, std: 0.1 };
 * Math.abs(nn.init.normal_(torch.zeros([10000]), opts).mean().item() - 5) < 0.01; // true
 * ```
 */
export interface NormalOptions extends GeneratorOption {
  /** The mean (default 0). */
  mean?: number;
  /** The standard deviation, ≥ 0 (default 1). */
  std?: number;
}
/**
 * Options of `nn.init.truncNormal_`: `mean` (0), `std` (1), the cut-offs `a` (−2) and
 * `b` (2) in absolute values (not in stds, as PyTorch), and a `generator`.
 *
 * ```ts
 * const opts: nn.init.TruncNormalOptions = { std: 0.02, a: -0.04, b: 0.04 };
 * nn.init.truncNormal_(torch.zeros([1000]), opts).abs().max().item() <= 0.04; // true
 * ```
 */
export interface TruncNormalOptions extends NormalOptions {
  /** The lower cut-off (default −2). */
  a?: number;
  /** The upper cut-off (default 2). */
  b?: number;
}
/**
 * Options of `xavierUniform_`, `xavierNormal_` and `orthogonal_`: the scale `gain`
 * (default 1), and a `generator`.
 *
 * ```ts
 * const opts: nn.init.GainOptions = { gain: nn.init.calculateGain("relu") };
 * nn.init.xavierUniform_(torch.zeros([50, 100]), opts).shape; // [50, 100]
 * ```
 */
export interface GainOptions extends GeneratorOption {
  /** The scale factor (default 1; `calculateGain` gives PyTorch's value for a nonlinearity). */
  gain?: number;
}
/**
 * Options of `kaimingUniform_` and `kaimingNormal_` (PyTorch's defaults): `a = 0` (the
 * negative slope of leaky_relu), `mode = "fan_in"`, `nonlinearity = "leaky_relu"`, and a
 * `generator`.
 *
 * ```ts
 * const opts: nn.init.KaimingOptions = { mode: "fan_out", nonlinearity: "relu" };
 * nn.init.kaimingNormal_(torch.zeros([64, 3, 3, 3]), opts).shape; // [64, 3, 3, 3]
 * ```
 */
export interface KaimingOptions extends GeneratorOption {
  /** The negative slope of leaky_relu (default 0; used when `nonlinearity` is "leaky_relu"). */
  a?: number;
  /** `"fan_in"` (default) or `"fan_out"`. */
  mode?: FanMode;
  /** The nonlinearity after this layer, by its functional name (default "leaky_relu"). */
  nonlinearity?: Nonlinearity;
}

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

/**
 * Fills `tensor` in place with U(a, b) (defaults 0 and 1) and returns it, as
 * `torch.nn.init.uniform_` (outside autograd).
 *
 * ```ts
 * const w = nn.init.uniform_(torch.zeros([1000]), { a: -0.1, b: 0.1 });
 * w.abs().max().item() <= 0.1; // true
 * ```
 */
export function uniform_(tensor: Tensor, options?: UniformOptions): Tensor {
  const owner = "nn.init.uniform_";
  const o = checkOptions(owner, options, ["a", "b", "generator"]);
  const t = target(owner, tensor, true);
  const a = finite(owner, "a", o.a ?? 0), b = finite(owner, "b", o.b ?? 1);
  uniformBounds(owner, a, b);
  return draw(t, generatorArg(owner, o.generator), false, a, b);
}

/**
 * Fills `tensor` in place with N(mean, std²) (defaults 0 and 1) and returns it, as
 * `torch.nn.init.normal_`.
 *
 * ```ts
 * const w = nn.init.normal_(torch.zeros([10000]), { std: 0.02 });
 * Math.abs(w.std().item() - 0.02) < 0.001; // true
 * ```
 */
export function normal_(tensor: Tensor, options?: NormalOptions): Tensor {
  const owner = "nn.init.normal_";
  const o = checkOptions(owner, options, ["mean", "std", "generator"]);
  const t = target(owner, tensor, true);
  const mean = finite(owner, "mean", o.mean ?? 0), std = finite(owner, "std", o.std ?? 1);
  normalStd(owner, std);
  return draw(t, generatorArg(owner, o.generator), true, mean, std);
}

/**
 * Fills `tensor` with N(mean, std²) truncated to [a, b] (defaults 0, 1, −2, 2), as
 * `torch.nn.init.trunc_normal_`, by PyTorch 2.x's method: redraw out-of-range normals when
 * [a, b] holds more than 30% of the mass, else uniform proposals on [a, b] accepted with the
 * normal's density ratio.
 *
 * ```ts
 * // a and b are absolute: cut at 2 stds here
 * const w = nn.init.truncNormal_(torch.zeros([768, 768]), { std: 0.02, a: -0.04, b: 0.04 });
 * w.abs().max().item() <= 0.04; // true
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
 * Fills `tensor` with `val` (PyTorch's `constant_`; an int32 tensor truncates it, as
 * `fill_`) and returns it.
 *
 * ```ts
 * const layer = new nn.Linear(4, 2);
 * nn.init.constant_(layer.bias!, 0.1); // tensor([0.1000, 0.1000], requiresGrad=true)
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

/**
 * Fills `tensor` with zeros and returns it, as `torch.nn.init.zeros_`.
 *
 * ```ts
 * nn.init.zeros_(new nn.Linear(2, 2).weight); // tensor([[0., 0.], [0., 0.]], requiresGrad=true)
 * ```
 */
export function zeros_(tensor: Tensor): Tensor {
  const t = target("nn.init.zeros_", tensor, false);
  noGrad(() => t.zero_());
  return t;
}

/**
 * Fills `tensor` with ones and returns it, as `torch.nn.init.ones_`.
 *
 * ```ts
 * nn.init.ones_(torch.zeros([3])); // tensor([1., 1., 1.])
 * ```
 */
export function ones_(tensor: Tensor): Tensor {
  const t = target("nn.init.ones_", tensor, false);
  noGrad(() => t.fill_(1));
  return t;
}

/**
 * Fills the 2-D `tensor` with the identity (ones on the main diagonal), keeping as many
 * inputs of a Linear layer as its shape allows, as `torch.nn.init.eye_`.
 *
 * ```ts
 * nn.init.eye_(torch.zeros([2, 3])); // tensor([[1., 0., 0.], [0., 1., 0.]])
 * ```
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
 * Xavier (Glorot) uniform, as `torch.nn.init.xavier_uniform_`: U(−bound, bound) with
 * bound = gain·√(6/(fanIn + fanOut)) (gain default 1).
 *
 * ```ts
 * const layer = new nn.Linear(100, 50);
 * nn.init.xavierUniform_(layer.weight, { gain: nn.init.calculateGain("relu") });
 * layer.weight.abs().max().item() <= Math.sqrt(2) * Math.sqrt(6 / 150); // true
 * ```
 */
export function xavierUniform_(tensor: Tensor, options?: GainOptions): Tensor {
  const owner = "nn.init.xavierUniform_";
  const o = checkOptions(owner, options, ["gain", "generator"]);
  const t = target(owner, tensor, true);
  const bound = Math.sqrt(3.0) * xavierStd(owner, t, gainOf(owner, o));
  return draw(t, generatorArg(owner, o.generator), false, -bound, bound);
}

/**
 * Xavier (Glorot) normal, as `torch.nn.init.xavier_normal_`: N(0, std²) with
 * std = gain·√(2/(fanIn + fanOut)).
 *
 * ```ts
 * const w = nn.init.xavierNormal_(torch.zeros([200, 200]));
 * Math.abs(w.std().item() - Math.sqrt(2 / 400)) < 0.002; // true
 * ```
 */
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
 * Kaiming (He) uniform, as `torch.nn.init.kaiming_uniform_`: U(−bound, bound) with
 * bound = gain·√(3/fan), gain from `nonlinearity` (default "leaky_relu" with slope `a` = 0,
 * i.e. √2) and fan from `mode` (default "fan_in").
 *
 * ```ts
 * const conv = new nn.Conv2d(3, 16, 3);
 * nn.init.kaimingUniform_(conv.weight, { mode: "fan_out", nonlinearity: "relu" });
 * conv.weight.abs().max().item() <= Math.sqrt(2) * Math.sqrt(3 / (16 * 9)); // true
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

/**
 * Kaiming (He) normal, as `torch.nn.init.kaiming_normal_`: N(0, std²) with std = gain/√fan
 * (options as `kaimingUniform_`).
 *
 * ```ts
 * const w = nn.init.kaimingNormal_(torch.zeros([256, 512]), { nonlinearity: "relu" });
 * Math.abs(w.std().item() - Math.sqrt(2 / 512)) < 0.002; // true
 * ```
 */
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
 * matrix times `gain`, as `torch.nn.init.orthogonal_`: the Q of the QR decomposition of a
 * standard normal matrix, with PyTorch's sign correction (Saxe et al., 2013).
 *
 * ```ts
 * const w = nn.init.orthogonal_(torch.zeros([3, 3]));
 * w.matmul(w.t()).sub(torch.eye(3)).abs().max().item() < 1e-5; // true
 * nn.init.orthogonal_(torch.zeros([4, 2]), { gain: nn.init.calculateGain("tanh") }).shape; // [4, 2]
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
