// torchlet's random streams, in bulk: xoshiro128** over a generator's four state words at
// `state` (read at entry, written back at exit), 24-bit uniforms, Box–Muller normals (one
// per two uniforms), unbiased integers by rejection, Fisher–Yates permutations.
// src/random.ts owns the state and documents the stream. enter/uniform/leave are exported
// for kernels that draw while they compute (assembly/dropout.ts).

let s0: u32 = 0, s1: u32 = 0, s2: u32 = 0, s3: u32 = 0;

@inline export function enter(state: usize): void {
  s0 = load<u32>(state); s1 = load<u32>(state, 4); s2 = load<u32>(state, 8); s3 = load<u32>(state, 12);
}

@inline export function leave(state: usize): void {
  store<u32>(state, s0); store<u32>(state, s1, 4); store<u32>(state, s2, 8); store<u32>(state, s3, 12);
}

@inline function nextU32(): u32 {
  const result = rotl<u32>(s1 * 5, 7) * 9;
  const t = s1 << 9;
  s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3;
  s2 ^= t;
  s3 = rotl<u32>(s3, 11);
  return result;
}

/** Uniform in [0, 1) with 24 random bits. */
@inline export function uniform(): f64 {
  return <f64>(nextU32() >>> 8) / 16777216.0;
}

/** A uniform integer in [0, n) for 1 ≤ n ≤ 2^32, by rejection (no modulo bias). */
@inline function below(n: u64): u64 {
  if (n == <u64>0x100000000) return <u64>nextU32();
  const limit: u64 = <u64>0x100000000 - <u64>0x100000000 % n; // a multiple of n
  let x = <u64>nextU32();
  while (x >= limit) x = <u64>nextU32();
  return x % n;
}

/**
 * out[i] = a + (b − a)·U[0, 1) (kind 0) or a + b·N(0, 1) (kind 1), float32, for i < n.
 * Box–Muller's 1 − u keeps the log argument in (0, 1].
 */
export function randomFill(kind: i32, out: usize, n: i32, state: usize, a: f64, b: f64): void {
  enter(state);
  if (kind == 0) {
    const w = b - a;
    for (let i = 0; i < n; i++) store<f32>(out + (<usize>i << 2), <f32>(a + w * uniform()));
  } else {
    for (let i = 0; i < n; i++) {
      const u = 1.0 - uniform(), v = uniform();
      store<f32>(out + (<usize>i << 2), <f32>(a + b * (Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2.0 * Math.PI * v))));
    }
  }
  leave(state);
}

/** out[i] = low + uniform integer in [0, range), range ≤ 2^32, stored as dtype 0 float32, 1 int32, 2 bool. */
export function randomInts(out: usize, n: i32, state: usize, low: f64, range: f64, dtype: i32): void {
  enter(state);
  const r = <u64>range;
  for (let i = 0; i < n; i++) {
    const v = low + <f64>below(r);
    if (dtype == 0) store<f32>(out + (<usize>i << 2), <f32>v);
    else if (dtype == 1) store<i32>(out + (<usize>i << 2), <i32>v);
    else store<u8>(out + <usize>i, v != 0 ? 1 : 0);
  }
  leave(state);
}

/** out (int32) = a uniformly random permutation of 0..n-1 (Fisher–Yates from the top). */
export function randomPermutation(out: usize, n: i32, state: usize): void {
  enter(state);
  for (let i = 0; i < n; i++) store<i32>(out + (<usize>i << 2), i);
  for (let i = n - 1; i > 0; i--) {
    const j = <i32>below(<u64>(i + 1));
    const pi = out + (<usize>i << 2), pj = out + (<usize>j << 2);
    const t = load<i32>(pi);
    store<i32>(pi, load<i32>(pj));
    store<i32>(pj, t);
  }
  leave(state);
}
