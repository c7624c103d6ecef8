// Random numbers: torch.Generator, and the default generator behind torch.manualSeed, rand,
// randn and parameter initialisation. Each generator is a xoshiro128** stream seeded through
// splitmix32. torchlet's streams are its own: the same seed gives the same numbers in every
// runtime, but not PyTorch's numbers (tests copy PyTorch's values in explicitly).
//
// Internal API for the library's other random consumers (nn.Dropout, nn.init, DataLoader's
// shuffle, randomSplit); each draws from the generator it is given, else `defaultGenerator`:
//   g.nextFloat32()                uniform in [0, 1) with 24 random bits (exact in float32)
//   g.nextNormal()                 standard normal (Box–Muller, one draw per call), float32
//   g.nextBelow(n)                 uniform integer in [0, n), unbiased, n ≤ 2^32
//   g.fillUniform(t, low, high)    t[...] = U(low, high) in place (float32, any layout)
//   g.fillNormal(t, mean, std)     t[...] = N(mean, std²) in place (float32, any layout)
//   g.fillIntegers(t, low, range)  t[...] = low + U{0, …, range − 1} (contiguous, any dtype)
//   g.fillPermutation(t)           t = a random permutation of 0..n-1 (contiguous int32)
//   g.permutation(n)               the same as an Int32Array (DataLoader's shuffle order)
// fill* write in row-major order of t's shape, bump t's version and stay outside autograd
// (callers such as nn.init run them under noGrad, as PyTorch does). The draws happen in
// assembly/random.ts: single draws (next*) cost a kernel call each, so draw in bulk.
import { F32, I32, scratch } from "./runtime/memory.js";
import { K } from "./runtime/wasm.js";
import { copyInto, empty } from "./ops/layout.js";
import { dtypeCode } from "./dtype.js";
import type { Tensor } from "./tensor.js";

const k = K as unknown as {
  randomFill(kind: number, out: number, n: number, state: number, a: number, b: number): void;
  randomInts(out: number, n: number, state: number, low: number, range: number, dtype: number): void;
  randomPermutation(out: number, n: number, state: number): void;
};

/** PyTorch's default_rng_seed_val: the initial seed of a new torch.Generator(). */
const DEFAULT_SEED = 67280421310721;
const STATE_BYTES = 28;
const STATE_MAGIC = [0x74, 0x6c, 0x67, 0x01]; // "tlg", layout version 1

function splitmix(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** A seed from the platform's entropy (crypto where there is one), a non-negative safe integer. */
function freshSeed(): number {
  const c = (globalThis as { crypto?: { getRandomValues?(a: Uint32Array): Uint32Array } }).crypto;
  const w = new Uint32Array(2);
  if (c?.getRandomValues !== undefined) c.getRandomValues(w);
  else { w[0] = Math.random() * 2 ** 32; w[1] = (Date.now() ^ (Math.random() * 2 ** 32)) >>> 0; }
  return (w[0] & 0x1fffff) * 2 ** 32 + w[1];
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (typeof v === "object") return Object.getPrototypeOf(v)?.constructor?.name ?? "an object";
  return typeof v === "number" ? String(v) : typeof v === "string" ? JSON.stringify(v) : typeof v;
}

/**
 * A source of random numbers, as PyTorch's `torch.Generator`: pass it as `{ generator }` to
 * `rand`, `randn`, `randint`, `randperm`, `randLike`, `randnLike`, `nn.init.*`, `F.dropout`,
 * `DataLoader` and `randomSplit` to draw from a stream of your own, independent of the
 * default generator that `torch.manualSeed` seeds. A new generator starts from PyTorch's
 * default seed (67280421310721), so two new generators give the same numbers until one is
 * seeded. The numbers are torchlet's own (xoshiro128**), the same in every runtime, not
 * PyTorch's.
 *
 * ```ts
 * const g = new torch.Generator().manualSeed(42);
 * const a = torch.rand([3], { generator: g });
 * const saved = g.getState();
 * const b = torch.randn([2], { generator: g });
 * g.setState(saved);
 * torch.randn([2], { generator: g }).eq(b).sum().item(); // 2
 * ```
 */
export class Generator {
  /** @internal xoshiro128** state */ _s0 = 0;
  /** @internal */ _s1 = 0;
  /** @internal */ _s2 = 0;
  /** @internal */ _s3 = 0;
  /** @internal the seed of the last manualSeed()/seed() */ _seed = DEFAULT_SEED;

  constructor() {
    this._reseed(DEFAULT_SEED);
  }

  /**
   * Seeds the generator (an integer) and returns it, as PyTorch's
   * `torch.Generator().manual_seed(s)`.
   *
   * ```ts
   * const g1 = new torch.Generator().manualSeed(0), g2 = new torch.Generator().manualSeed(0);
   * torch.rand([4], { generator: g1 }).eq(torch.rand([4], { generator: g2 })).sum().item(); // 4
   * new torch.Generator().manualSeed(0.5); // throws: manual_seed expected a long
   * ```
   */
  manualSeed(seed: number): this {
    if (typeof seed !== "number" || !Number.isInteger(seed)) {
      throw new TypeError(`manualSeed(): manual_seed expected a long, but got ${typeof seed === "number" ? "float" : typeof seed} (${describe(seed)})`);
    }
    this._reseed(seed);
    return this;
  }

  /**
   * Seeds the generator from the platform's entropy and returns the seed chosen (PyTorch's
   * `Generator.seed()`).
   *
   * ```ts
   * const g = new torch.Generator();
   * const s = g.seed();       // different on every run
   * g.initialSeed() === s;    // true
   * ```
   */
  seed(): number {
    const s = freshSeed();
    this._reseed(s);
    return s;
  }

  /**
   * The seed of the last `manualSeed`/`seed` (67280421310721 for a new generator), as
   * PyTorch's `initial_seed()`.
   *
   * ```ts
   * new torch.Generator().manualSeed(7).initialSeed(); // 7
   * new torch.Generator().initialSeed();               // 67280421310721
   * ```
   */
  initialSeed(): number {
    return this._seed;
  }

  /**
   * The generator's state as bytes (a new `Uint8Array`: structured-cloneable, storable), as
   * PyTorch's `get_state()`; `setState` restores it, so the numbers drawn afterwards repeat.
   *
   * ```ts
   * const g = new torch.Generator().manualSeed(1);
   * const state = g.getState();
   * const a = torch.rand([2], { generator: g });
   * g.setState(state);
   * torch.rand([2], { generator: g }).eq(a).sum().item(); // 2
   * ```
   */
  getState(): Uint8Array {
    const bytes = new Uint8Array(STATE_BYTES);
    const v = new DataView(bytes.buffer);
    bytes.set(STATE_MAGIC, 0);
    v.setFloat64(4, this._seed, true);
    v.setUint32(12, this._s0 >>> 0, true);
    v.setUint32(16, this._s1 >>> 0, true);
    v.setUint32(20, this._s2 >>> 0, true);
    v.setUint32(24, this._s3 >>> 0, true);
    return bytes;
  }

  /**
   * Restores a state from `getState()` (of this or any generator) and returns the generator,
   * as PyTorch's `set_state()`. The bytes are checked completely first; on bad input nothing
   * changes.
   *
   * ```ts
   * const g1 = new torch.Generator().manualSeed(5);
   * const g2 = new torch.Generator().setState(g1.getState()); // g2 now draws what g1 would
   * torch.rand([3], { generator: g1 }).eq(torch.rand([3], { generator: g2 })).sum().item(); // 3
   * g2.setState(new Uint8Array(4)); // throws: expected a generator state of size 28
   * ```
   */
  setState(state: Uint8Array): this {
    if (!(state instanceof Uint8Array)) {
      throw new TypeError(`setState(): RNG state must be a Uint8Array from getState(), got ${describe(state)}`);
    }
    if (state.length !== STATE_BYTES) {
      throw new Error(`setState(): expected a generator state of size ${STATE_BYTES} (from getState()) but found the input RNG state size to be ${state.length}`);
    }
    if (STATE_MAGIC.some((b, i) => state[i] !== b)) {
      throw new Error(`setState(): not a torchlet generator state: the first bytes are [${Array.from(state.subarray(0, 4)).join(", ")}], ` +
        `expected [${STATE_MAGIC.join(", ")}] as getState() writes`);
    }
    const v = new DataView(state.buffer, state.byteOffset, STATE_BYTES);
    const seed = v.getFloat64(4, true);
    const s = [12, 16, 20, 24].map((o) => v.getUint32(o, true) | 0);
    if (!Number.isInteger(seed)) throw new Error(`setState(): the state's seed is ${seed}, not an integer: the bytes are corrupt`);
    if (s.every((x) => x === 0)) throw new Error("setState(): the state's stream words are all zero, which xoshiro128** cannot leave: the bytes are corrupt");
    this._seed = seed;
    [this._s0, this._s1, this._s2, this._s3] = s;
    return this;
  }

  /** @internal The stream for `seed` (torch.manualSeed's mixing of the seed's 64 bits). */
  _reseed(seed: number): void {
    const next = splitmix(Math.floor(seed) ^ Math.floor(seed / 2 ** 32));
    this._s0 = next(); this._s1 = next(); this._s2 = next(); this._s3 = next();
    this._seed = seed;
  }

  /**
   * @internal Runs a kernel of assembly/random.ts on this generator's state: the four
   * words go to the scratch block, the kernel advances them, they come back. `kernel`
   * receives the state's pointer and reads tensor pointers inside its call.
   */
  _run(kernel: (state: number) => void): void {
    let w = I32();
    const o = scratch >>> 2;
    w[o] = this._s0; w[o + 1] = this._s1; w[o + 2] = this._s2; w[o + 3] = this._s3;
    kernel(scratch);
    w = I32(); // memory may have grown while the kernel's arguments were read
    this._s0 = w[o]; this._s1 = w[o + 1]; this._s2 = w[o + 2]; this._s3 = w[o + 3];
  }

  /** @internal One draw of randomFill into the scratch block, as a float32 value. */
  _one(kind: number, a: number, b: number): number {
    this._run((s) => k.randomFill(kind, s + 16, 1, s, a, b));
    return F32()[(scratch + 16) >>> 2];
  }

  /** @internal Uniform in [0, 1) with 24 random bits (exactly representable in float32). */
  nextFloat32(): number {
    return this._one(0, 0, 1);
  }

  /** @internal A standard normal value (Box–Muller, one per call), rounded to float32. */
  nextNormal(): number {
    return this._one(1, 0, 1);
  }

  /** @internal A uniform integer in [0, n) for 1 ≤ n ≤ 2^32, without modulo bias (rejection). */
  nextBelow(n: number): number {
    this._run((s) => k.randomInts(s + 16, 1, s, -2147483648, n, 1));
    return I32()[(scratch + 16) >>> 2] + 2147483648;
  }

  /** @internal A uniformly random permutation of 0..n-1 (Fisher–Yates). */
  permutation(n: number): Int32Array {
    const t = this.fillPermutation(empty([n], "int32"));
    const p = t.toArray() as Int32Array;
    t.dispose();
    return p;
  }

  /** @internal Fills the contiguous int32 `t` of n elements with a random permutation of 0..n-1. */
  fillPermutation(t: Tensor): Tensor {
    if (t._size > 0) this._run((s) => k.randomPermutation(t._ptr, t._size, s));
    return t;
  }

  /** @internal Fills the contiguous `t` (int32, float32 or bool) with low + U{0, …, range − 1}, range ≤ 2^32. */
  fillIntegers(t: Tensor, low: number, range: number): Tensor {
    if (t._size > 0) this._run((s) => k.randomInts(t._ptr, t._size, s, low, range, dtypeCode(t.dtype)));
    return t;
  }

  /** @internal t[...] = U(low, high), in place (float32 t of any layout). */
  fillUniform(t: Tensor, low = 0, high = 1): Tensor {
    return this._fill(t, 0, low, high);
  }

  /** @internal t[...] = N(mean, std²), in place (float32 t of any layout). */
  fillNormal(t: Tensor, mean = 0, std = 1): Tensor {
    return this._fill(t, 1, mean, std);
  }

  /** @internal Draws into a float32 tensor in row-major order (through a temporary for a view). */
  _fill(t: Tensor, kind: number, a: number, b: number): Tensor {
    if (t.dtype !== "float32") throw new Error(`torchlet: internal error: random fill of a ${t.dtype} tensor`);
    if (t._storage === null) t._ptr; // the "disposed" error, before any draw
    if (t._size === 0) return t;
    if (t._contiguous) {
      this._run((s) => k.randomFill(kind, t._ptr, t._size, s, a, b));
      t._bumpVersion();
    } else {
      const tmp = empty(t.shape);
      this._run((s) => k.randomFill(kind, tmp._ptr, tmp._size, s, a, b));
      copyInto(t, tmp); // bumps t's version
      tmp.dispose();
    }
    return t;
  }
}

/**
 * The generator that `torch.manualSeed` seeds and that `rand`, `randn`, `randint`,
 * `randperm` and module initialisation use when given none (PyTorch's
 * `torch.default_generator`). Seeded from the clock when torchlet loads.
 *
 * ```ts
 * torch.defaultGenerator.manualSeed(0); // the same as torch.manualSeed(0)
 * ```
 */
export const defaultGenerator = new Generator();
defaultGenerator._reseed(Date.now());

/**
 * Seeds the default generator (used by rand, randn, randint, randperm, dropout, shuffling
 * and module initialisation) and returns it, as `torch.manual_seed`. A fractional seed is
 * rounded down, as PyTorch's `int(seed)` would truncate it.
 *
 * ```ts
 * torch.manualSeed(0);
 * const x = torch.randn([2, 3]);
 * torch.manualSeed(0);
 * torch.randn([2, 3]).eq(x).sum().item(); // 6: the same values on every run
 * ```
 */
export function manualSeed(seed: number): Generator {
  if (typeof seed !== "number" || !Number.isFinite(seed)) throw new Error(`manualSeed: seed must be a finite number, got ${seed}`);
  defaultGenerator._reseed(Math.floor(seed));
  return defaultGenerator;
}

/**
 * Seeds the default generator from the platform's entropy and returns the seed (PyTorch's
 * `torch.seed()`).
 *
 * ```ts
 * const s = torch.seed();
 * torch.initialSeed() === s; // true
 * ```
 */
export function seed(): number {
  return defaultGenerator.seed();
}

/**
 * The default generator's seed (PyTorch's `torch.initial_seed()`).
 *
 * ```ts
 * torch.manualSeed(3);
 * torch.initialSeed(); // 3
 * ```
 */
export function initialSeed(): number {
  return defaultGenerator.initialSeed();
}

/**
 * The default generator's state (PyTorch's `torch.get_rng_state()`), as `Generator.getState()`.
 *
 * ```ts
 * const s = torch.getRngState();
 * const a = torch.rand([2]);
 * torch.setRngState(s);
 * torch.rand([2]).eq(a).sum().item(); // 2
 * ```
 */
export function getRngState(): Uint8Array {
  return defaultGenerator.getState();
}

/**
 * Restores the default generator's state from `getRngState()` (PyTorch's
 * `torch.set_rng_state()`); checked completely first.
 *
 * ```ts
 * const saved = torch.getRngState();
 * const noise = torch.randn([3]);
 * torch.setRngState(saved);
 * torch.randn([3]).eq(noise).sum().item(); // 3
 * ```
 */
export function setRngState(state: Uint8Array): void {
  defaultGenerator.setState(state);
}

/** U(low, high) values from the default generator, for parameter initialisation. */
export function uniformTensor(shape: readonly number[], low: number, high: number): Tensor {
  return defaultGenerator.fillUniform(empty(shape), low, high);
}
