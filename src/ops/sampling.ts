// Random tensors: rand, randn, randint, randperm, randLike, randnLike. Each draws from the
// `generator` option (a torch.Generator) or the default generator that torch.manualSeed
// seeds; arguments are checked completely before the first draw, so a refused call leaves
// the generator's stream where it was.
import { Tensor, createOptions, type CreateOptions } from "../tensor.js";
import type { DType } from "../dtype.js";
import type { Generator } from "../random.js";
import { castTo, empty } from "./layout.js";
import { generatorOf, intArg, leaf, negativeDimension, refuseDType, sizeArg } from "./creation_args.js";

/**
 * Options of the random creation functions (`rand`, `randn`, `randint`, `randperm`,
 * `randLike`, `randnLike`): `dtype`, `requiresGrad`, and the `generator` to draw from
 * (PyTorch's keyword arguments).
 *
 * ```ts
 * const opts: torch.RandomOptions = { generator: new torch.Generator().manualSeed(7) };
 * const a = torch.rand([3], opts);
 * const b = torch.rand([3], { generator: new torch.Generator().manualSeed(7) });
 * a.eq(b).sum().item(); // 3
 * ```
 */
export interface RandomOptions extends CreateOptions {
  /** The generator to draw from (default: the one `torch.manualSeed` seeds). */
  generator?: Generator | null;
}

const KEYS = ["dtype", "requiresGrad", "generator"];
const INT32_MIN = -2147483648, INT32_MAX = 2147483647;

/** A float32 tensor of `shape` filled by one of the generator's fills. */
function floatDraw(where: string, shape: unknown, opts: unknown, normal: boolean, dtypeDefault: DType = "float32"): Tensor {
  const size = sizeArg(shape, where);
  const { dtype, requiresGrad } = createOptions(opts, where, KEYS, dtypeDefault);
  refuseDType(dtype, ["float32"], where, `${normal ? "randn" : "rand"} draws floating point values`);
  const g = generatorOf(opts, where);
  const t = empty(size);
  return leaf(normal ? g.fillNormal(t) : g.fillUniform(t), requiresGrad);
}

/**
 * Uniform random values in [0, 1), float32 (PyTorch's `torch.rand`), from the default
 * generator (seeded by `torch.manualSeed`) or `generator`. torchlet's streams are its own:
 * a seed gives the same numbers in every runtime, not PyTorch's numbers.
 *
 * ```ts
 * torch.manualSeed(0);
 * const x = torch.rand([2, 3]);
 * torch.manualSeed(0);
 * torch.rand([2, 3]).eq(x).sum().item(); // 6
 * const y = torch.rand([4], { generator: new torch.Generator().manualSeed(1), requiresGrad: true });
 * y.requiresGrad; // true
 * ```
 */
export function rand(shape: readonly number[], opts?: RandomOptions): Tensor {
  return floatDraw("rand()", shape, opts, false);
}

/**
 * Standard normal random values (mean 0, variance 1), float32 (PyTorch's `torch.randn`).
 *
 * ```ts
 * const noise = torch.randn([32, 10]);
 * noise.shape; // [32, 10]
 * Math.abs(torch.randn([100000]).mean().item()) < 0.02; // true
 * ```
 */
export function randn(shape: readonly number[], opts?: RandomOptions): Tensor {
  return floatDraw("randn()", shape, opts, true);
}

/** The input of randLike/randnLike, whose dtype is the default: it must be float32 unless a dtype is given. */
function likeInput(t: unknown, opts: unknown, where: string): Tensor {
  if (!(t instanceof Tensor)) throw new TypeError(`${where}: input must be a Tensor, got ${t === null ? "null" : typeof t}`);
  if (t.dtype !== "float32" && (opts as CreateOptions | null | undefined)?.dtype === undefined) {
    throw new TypeError(`${where}: the input's dtype is ${t.dtype} and random values are floating point: pass { dtype: "float32" }`);
  }
  return t;
}

/**
 * Uniform [0, 1) values in a new tensor of t's shape (PyTorch's `torch.rand_like`); the
 * dtype is t's unless given, and must be float32.
 *
 * ```ts
 * const x = torch.zeros([2, 3]);
 * const keep = torch.randLike(x).lt(0.5);                  // a random bool mask
 * keep.shape;                                              // [2, 3]
 * const indices = torch.arange(4);
 * torch.randLike(indices, { dtype: "float32" }).dtype;     // "float32"
 * torch.randLike(indices);                                 // throws: pass { dtype: "float32" }
 * ```
 */
export function randLike(t: Tensor, opts?: RandomOptions): Tensor {
  const x = likeInput(t, opts, "randLike()");
  return floatDraw("randLike()", x.shape.slice(), opts, false, x.dtype);
}

/**
 * Standard normal values in a new tensor of t's shape (PyTorch's `torch.randn_like`); the
 * dtype is t's unless given, and must be float32.
 *
 * ```ts
 * const x = torch.ones([4]);
 * const noisy = x.add(torch.randnLike(x).mul(0.1));
 * noisy.shape; // [4]
 * ```
 */
export function randnLike(t: Tensor, opts?: RandomOptions): Tensor {
  const x = likeInput(t, opts, "randnLike()");
  return floatDraw("randnLike()", x.shape.slice(), opts, true, x.dtype);
}

/**
 * Random integers uniform in [0, high), int32 unless `dtype` is given (PyTorch's
 * `torch.randint(high, size)`, whose default int64 is torchlet's int32).
 *
 * ```ts
 * const bits = torch.randint(2, [8]);
 * bits.shape;                               // [8]
 * bits.ge(0).logicalAnd(bits.lt(2)).sum().item(); // 8
 * ```
 */
export function randint(high: number, shape: readonly number[], opts?: RandomOptions): Tensor;
/**
 * Random integers uniform in [low, high), int32 unless `dtype` is given (PyTorch's
 * `torch.randint(low, high, size)`). The bounds must fit the dtype (int32's range also for
 * float32; [0, 2) for bool).
 *
 * ```ts
 * const dice = torch.randint(1, 7, [3, 2], { generator: new torch.Generator().manualSeed(0) });
 * dice.dtype;              // "int32"
 * dice.min().item() >= 1;  // true
 * torch.randint(5, 5, [1]); // throws: expects 'from' to be less than 'to'
 * ```
 */
export function randint(low: number, high: number, shape: readonly number[], opts?: RandomOptions): Tensor;
export function randint(a: number, b: number | readonly number[], c?: readonly number[] | RandomOptions, d?: RandomOptions): Tensor {
  const where = "randint()";
  const short = Array.isArray(b);
  const low = short ? 0 : intArg(a, "low", 1, where);
  const high = short ? intArg(a, "high", 1, where) : intArg(b, "high", 2, where);
  const size = sizeArg(short ? b : c, where);
  const opts = short ? c : d;
  const { dtype, requiresGrad } = createOptions(opts, where, KEYS, "int32");
  if (low >= high) {
    throw new Error(`${where}: random_ expects 'from' to be less than 'to', but got from=${low} >= to=${high}`);
  }
  const [min, max, name] = dtype === "bool" ? [0, 1, "bool"] : [INT32_MIN, INT32_MAX, "int"];
  if (low < min) throw new Error(`${where}: from is out of bounds for ${name} (low ${low} < ${min})`);
  if (high - 1 > max) throw new Error(`${where}: to - 1 is out of bounds for ${name} (high - 1 = ${high - 1} > ${max})`);
  const g = generatorOf(opts, where);
  return leaf(g.fillIntegers(empty(size, dtype), low, high - low), requiresGrad);
}

/**
 * A random permutation of 0..n-1, int32 unless `dtype` is given (PyTorch's
 * `torch.randperm`). Every permutation is equally likely.
 *
 * ```ts
 * const order = torch.randperm(5);          // a shuffle of 0..4
 * Array.from(order.toArray()).sort().join(); // "0,1,2,3,4"
 * torch.randperm(100, { generator: new torch.Generator().manualSeed(0) }).sum().item(); // 4950
 * ```
 */
export function randperm(n: number, opts?: RandomOptions): Tensor {
  const where = "randperm()";
  intArg(n, "n", 1, where);
  if (n < 0) throw negativeDimension(n, [n], where);
  const { dtype, requiresGrad } = createOptions(opts, where, KEYS, "int32");
  if (dtype === "bool") throw new TypeError(`${where}: "randperm" not implemented for 'Bool': dtype must be "int32" or "float32", got "bool"`);
  if (dtype === "float32" && n > 2 ** 24 + 1) {
    throw new Error(`${where}: n cannot be greater than 2^24+1 for Float type (got n = ${n}; float32 holds whole numbers exactly only up to 2^24)`);
  }
  const g = generatorOf(opts, where);
  const p = g.fillPermutation(empty([n], "int32"));
  if (dtype === "int32") return leaf(p, requiresGrad);
  const f = castTo(p, dtype);
  p.dispose();
  return leaf(f, requiresGrad);
}
