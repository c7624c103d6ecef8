// bfloat16 arithmetic as PyTorch 2.13 does it on x86-64 CPUs, for Muon's Newton–Schulz
// iteration (which runs in bfloat16: a float32 iteration lands 25 to 85 test tolerances from
// PyTorch's parameters after 12 steps at lr 0.02). Values are kept as f32 holding bfloat16
// values exactly.
//
// PyTorch's own bf16 matmuls (at::native::cpublas::gemm's kernels) multiply exactly (a product
// of two bf16 values fits in f32), add in f32, then round each result once to bf16 after the
// epilogue `beta·C + alpha·dot`, which its compiler contracts to fma(beta, C, alpha·dot). How
// the f32 sums are ordered depends on the operands' layout, and a sum that differs in its last
// f32 bit can round to another bf16 value, so each order is reproduced:
//   gemmDots8    A·Bᵀ with both operands contiguous along k (PyTorch's gemm_transa_, via its
//                dot_with_fp32_arith at AVX2 width): 8 accumulators of 8 lanes over blocks of
//                64, reduced as a tree, then blocks of 16 into 8 lanes, then the rest in turn
//   gemmDots4    A·B with both contiguous (gemm_notrans_): 4 partial sums by k mod 4, the
//                leftover k into the first, then ((s0 + s1) + s2) + s3; B's columns given as
//                the rows of Bᵀ, so that every dot product reads contiguous memory
//   in-order sums, k ascending (gemm_transb_): matmul.ts's mode 0 already sums that way
// PyTorch's kernels were identified by results on crafted inputs where the orders disagree;
// Muon's steps are then torch.optim.Muon's bit for bit, at every size tried (1×1 to 100×1000)
// where PyTorch runs these kernels: always on a CPU without bfloat16 matrix instructions.
// With them (AVX512-BF16, AMX) PyTorch hands products above 16³ multiply-adds to oneDNN,
// whose summation order is the hardware's and is not reproduced: a step of a large matrix
// then differs in a few bf16 values, and the parameters by up to a few test tolerances.
import { fmaS, fmaV } from "./fma";

/** f32 → bf16 (as f32), round to nearest even; NaN → the quiet NaN (c10's round_to_nearest_even). */
@inline export function bf16(x: f32): f32 {
  const u = reinterpret<u32>(x);
  if (x != x) return reinterpret<f32>(<u32>0x7FC00000);
  return reinterpret<f32>((u + 0x7FFF + ((u >> 16) & 1)) & 0xFFFF0000);
}

@inline export function bf16V(x: v128): v128 {
  const bias = i32x4.add(i32x4.splat(0x7FFF), v128.and(i32x4.shr_u(x, 16), i32x4.splat(1)));
  const r = v128.and(i32x4.add(x, bias), i32x4.splat(0xFFFF0000));
  return v128.bitselect(r, i32x4.splat(0x7FC00000), f32x4.eq(x, x));
}

/** Rounds n values at p to bf16, in place. */
export function roundBf16(p: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(p + o, bf16V(v128.load(p + o)));
  }
  for (; i < n; i++) store<f32>(p + (<usize>i << 2), bf16(load<f32>(p + (<usize>i << 2))));
}

/**
 * The epilogue of PyTorch's bf16 gemm over n values: out = bf16(beta·c + alpha·out), with
 * `beta·c + alpha·out` one fma of the rounded alpha·out (beta = 0: bf16(alpha·out)).
 */
export function gemmEpilogue(out: usize, c: usize, n: i32, alpha: f32, beta: f32): void {
  const aV = f32x4.splat(alpha);
  const bV = f32x4.splat(beta);
  let i = 0;
  if (beta == 0) {
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(out + o, bf16V(f32x4.mul(aV, v128.load(out + o))));
    }
    for (; i < n; i++) {
      const o = <usize>i << 2;
      store<f32>(out + o, bf16(alpha * load<f32>(out + o)));
    }
    return;
  }
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, bf16V(fmaV(bV, v128.load(c + o), f32x4.mul(aV, v128.load(out + o)))));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, bf16(fmaS(beta, load<f32>(c + o), alpha * load<f32>(out + o))));
  }
}

@inline function addHalves(lo: v128, hi: v128): f32 {
  // AVX2's vec_reduce_all over 8 lanes: lane l with l^4, then l^2, then l^1
  const v = f32x4.add(lo, hi);
  const w = f32x4.add(v, v128.shuffle<f32>(v, v, 2, 3, 0, 1));
  return f32x4.extract_lane(w, 0) + f32x4.extract_lane(w, 1);
}

/** PyTorch's dot_with_fp32_arith (AVX2 width) of a and b, k values each. */
function dot8(a: usize, b: usize, k: i32): f32 {
  let x0 = f32x4.splat(0), x1 = f32x4.splat(0), x2 = f32x4.splat(0), x3 = f32x4.splat(0);
  let x4 = f32x4.splat(0), x5 = f32x4.splat(0), x6 = f32x4.splat(0), x7 = f32x4.splat(0);
  let x8 = f32x4.splat(0), x9 = f32x4.splat(0), x10 = f32x4.splat(0), x11 = f32x4.splat(0);
  let x12 = f32x4.splat(0), x13 = f32x4.splat(0), x14 = f32x4.splat(0), x15 = f32x4.splat(0);
  const main = k & ~63;
  for (let j = 0; j < main; j += 64) {
    const pa = a + (<usize>j << 2), pb = b + (<usize>j << 2);
    // register r (8 lanes) is the pair x(2r), x(2r+1): elements 8r to 8r+7 of the block
    x0 = f32x4.add(x0, f32x4.mul(v128.load(pa), v128.load(pb)));
    x1 = f32x4.add(x1, f32x4.mul(v128.load(pa, 16), v128.load(pb, 16)));
    x2 = f32x4.add(x2, f32x4.mul(v128.load(pa, 32), v128.load(pb, 32)));
    x3 = f32x4.add(x3, f32x4.mul(v128.load(pa, 48), v128.load(pb, 48)));
    x4 = f32x4.add(x4, f32x4.mul(v128.load(pa, 64), v128.load(pb, 64)));
    x5 = f32x4.add(x5, f32x4.mul(v128.load(pa, 80), v128.load(pb, 80)));
    x6 = f32x4.add(x6, f32x4.mul(v128.load(pa, 96), v128.load(pb, 96)));
    x7 = f32x4.add(x7, f32x4.mul(v128.load(pa, 112), v128.load(pb, 112)));
    x8 = f32x4.add(x8, f32x4.mul(v128.load(pa, 128), v128.load(pb, 128)));
    x9 = f32x4.add(x9, f32x4.mul(v128.load(pa, 144), v128.load(pb, 144)));
    x10 = f32x4.add(x10, f32x4.mul(v128.load(pa, 160), v128.load(pb, 160)));
    x11 = f32x4.add(x11, f32x4.mul(v128.load(pa, 176), v128.load(pb, 176)));
    x12 = f32x4.add(x12, f32x4.mul(v128.load(pa, 192), v128.load(pb, 192)));
    x13 = f32x4.add(x13, f32x4.mul(v128.load(pa, 208), v128.load(pb, 208)));
    x14 = f32x4.add(x14, f32x4.mul(v128.load(pa, 224), v128.load(pb, 224)));
    x15 = f32x4.add(x15, f32x4.mul(v128.load(pa, 240), v128.load(pb, 240)));
  }
  // registers: r += r+4, then r += r+2, then 0 += 1
  x0 = f32x4.add(x0, x8); x1 = f32x4.add(x1, x9); x2 = f32x4.add(x2, x10); x3 = f32x4.add(x3, x11);
  x4 = f32x4.add(x4, x12); x5 = f32x4.add(x5, x13); x6 = f32x4.add(x6, x14); x7 = f32x4.add(x7, x15);
  x0 = f32x4.add(x0, x4); x1 = f32x4.add(x1, x5); x2 = f32x4.add(x2, x6); x3 = f32x4.add(x3, x7);
  x0 = f32x4.add(x0, x2); x1 = f32x4.add(x1, x3);
  let sum = addHalves(x0, x1);
  // blocks of 16 (one bf16 register) into 8 lanes: lane l takes element l, then l + 8
  let tl = f32x4.splat(0), th = f32x4.splat(0);
  const blocks = k & ~15;
  for (let j = main; j < blocks; j += 16) {
    const pa = a + (<usize>j << 2), pb = b + (<usize>j << 2);
    tl = f32x4.add(tl, f32x4.mul(v128.load(pa), v128.load(pb)));
    th = f32x4.add(th, f32x4.mul(v128.load(pa, 16), v128.load(pb, 16)));
    tl = f32x4.add(tl, f32x4.mul(v128.load(pa, 32), v128.load(pb, 32)));
    th = f32x4.add(th, f32x4.mul(v128.load(pa, 48), v128.load(pb, 48)));
  }
  sum += addHalves(tl, th);
  for (let j = blocks; j < k; j++) sum += load<f32>(a + (<usize>j << 2)) * load<f32>(b + (<usize>j << 2));
  return sum;
}

/**
 * c[i][j] = dot8(a row i, b row j) for an m×k a and an n×k b (rows contiguous), unrounded;
 * `symmetric` (a = b): the lower triangle copied from the upper (same products, same order).
 */
export function gemmDots8(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, symmetric: bool): void {
  const rowA = <usize>k << 2;
  for (let i = 0; i < m; i++) {
    const ci = c + (<usize>(i * n) << 2);
    for (let j = symmetric ? i : 0; j < n; j++) {
      const v = dot8(a + <usize>i * rowA, b + <usize>j * rowA, k);
      store<f32>(ci + (<usize>j << 2), v);
      if (symmetric) store<f32>(c + (<usize>(j * n + i) << 2), v);
    }
  }
}

/**
 * PyTorch's sum() (gemm_notrans_'s dot products) of a and b, k values each: 4 partial sums by
 * index mod 4 (the lanes of acc), the leftover indices into the first, then ((s0 + s1) + s2) + s3.
 */
@inline function dot4(a: usize, b: usize, k: i32, k4: i32, acc: v128): f32 {
  let s0 = f32x4.extract_lane(acc, 0);
  for (let l = k4; l < k; l++) s0 += load<f32>(a + (<usize>l << 2)) * load<f32>(b + (<usize>l << 2));
  return ((s0 + f32x4.extract_lane(acc, 1)) + f32x4.extract_lane(acc, 2)) + f32x4.extract_lane(acc, 3);
}

/**
 * c[i][j] = a row i · b row j for an m×k a and an n×k b (rows contiguous), unrounded, each sum
 * in gemm_notrans_'s order (dot4). PyTorch's A·B walks B's columns; they are rows here: the
 * caller passes Bᵀ (or B itself when it is symmetric, as G is). `symmetric` (a = b, a symmetric
 * product): the lower triangle copied from the upper. Four dot products at a time share a's loads.
 */
export function gemmDots4(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, symmetric: bool): void {
  const row = <usize>k << 2;
  const k4 = k & ~3;
  for (let i = 0; i < m; i++) {
    const ai = a + <usize>i * row, ci = c + (<usize>(i * n) << 2);
    let j = symmetric ? i : 0;
    for (; j + 4 <= n; j += 4) {
      const b0 = b + <usize>j * row, b1 = b0 + row, b2 = b1 + row, b3 = b2 + row;
      let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
      for (let l = 0; l < k4; l += 4) {
        const o = <usize>l << 2;
        const x = v128.load(ai + o);
        s0 = f32x4.add(s0, f32x4.mul(x, v128.load(b0 + o)));
        s1 = f32x4.add(s1, f32x4.mul(x, v128.load(b1 + o)));
        s2 = f32x4.add(s2, f32x4.mul(x, v128.load(b2 + o)));
        s3 = f32x4.add(s3, f32x4.mul(x, v128.load(b3 + o)));
      }
      const v0 = dot4(ai, b0, k, k4, s0), v1 = dot4(ai, b1, k, k4, s1);
      const v2 = dot4(ai, b2, k, k4, s2), v3 = dot4(ai, b3, k, k4, s3);
      store<f32>(ci + (<usize>j << 2), v0);
      store<f32>(ci + (<usize>j << 2), v1, 4);
      store<f32>(ci + (<usize>j << 2), v2, 8);
      store<f32>(ci + (<usize>j << 2), v3, 12);
      if (symmetric) {
        store<f32>(c + (<usize>(j * n + i) << 2), v0);
        store<f32>(c + (<usize>((j + 1) * n + i) << 2), v1);
        store<f32>(c + (<usize>((j + 2) * n + i) << 2), v2);
        store<f32>(c + (<usize>((j + 3) * n + i) << 2), v3);
      }
    }
    for (; j < n; j++) {
      const bj = b + <usize>j * row;
      let s = f32x4.splat(0);
      for (let l = 0; l < k4; l += 4) s = f32x4.add(s, f32x4.mul(v128.load(ai + (<usize>l << 2)), v128.load(bj + (<usize>l << 2))));
      const v = dot4(ai, bj, k, k4, s);
      store<f32>(ci + (<usize>j << 2), v);
      if (symmetric) store<f32>(c + (<usize>(j * n + i) << 2), v);
    }
  }
}

/** dst (n×m) = srcᵀ for a row-major m×n src, in blocks that stay in cache. */
export function transpose(src: usize, dst: usize, m: i32, n: i32): void {
  for (let i0 = 0; i0 < m; i0 += 32) {
    const i1 = min(m, i0 + 32);
    for (let j0 = 0; j0 < n; j0 += 32) {
      const j1 = min(n, j0 + 32);
      for (let i = i0; i < i1; i++) {
        for (let j = j0; j < j1; j++) store<f32>(dst + (<usize>(j * m + i) << 2), load<f32>(src + (<usize>(i * n + j) << 2)));
      }
    }
  }
}
