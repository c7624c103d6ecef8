// A seeded generator (xoshiro128**) for rand/randn and parameter initialisation.
// torchlet's streams are its own: the same seed gives the same numbers in every runtime,
// but not PyTorch's numbers (tests copy PyTorch's values in explicitly).
import { F32 } from "./runtime/memory.js";
import { empty } from "./ops/elementwise.js";
import { checkShape } from "./shape.js";
import type { CreateOptions, Tensor } from "./tensor.js";

let s0 = 0, s1 = 0, s2 = 0, s3 = 0;

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

/** Seeds the generator used by rand, randn and module initialisation. */
export function manualSeed(seed: number): void {
  if (typeof seed !== "number" || !Number.isFinite(seed)) throw new Error(`manualSeed: seed must be a finite number, got ${seed}`);
  const next = splitmix(Math.floor(seed) ^ Math.floor(seed / 2 ** 32));
  s0 = next(); s1 = next(); s2 = next(); s3 = next();
}
manualSeed(Date.now());

function nextU32(): number {
  const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
  const t = s1 << 9;
  s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3;
  s2 ^= t;
  s3 = rotl(s3, 11);
  return result;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Uniform in [0, 1) with 24 random bits (exactly representable in float32). */
export function uniform(): number {
  return (nextU32() >>> 8) / 16777216;
}

export function normal(): number {
  // Box–Muller; 1 − u keeps the log argument in (0, 1]
  const u = 1 - uniform(), v = uniform();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

function filled(shape: readonly number[], what: string, gen: () => number, opts?: CreateOptions): Tensor {
  const t = empty(checkShape(shape, what));
  const n = t._size;
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) values[i] = gen();
  F32().set(values, t._ptr >>> 2);
  if (opts?.requiresGrad) t._requiresGrad = true;
  return t;
}

export function rand(shape: readonly number[], opts?: CreateOptions): Tensor {
  return filled(shape, "rand()", uniform, opts);
}

export function randn(shape: readonly number[], opts?: CreateOptions): Tensor {
  return filled(shape, "randn()", normal, opts);
}

/** U(low, high) values for parameter initialisation. */
export function uniformTensor(shape: readonly number[], low: number, high: number): Tensor {
  return filled(shape, "uniform", () => low + (high - low) * uniform());
}
