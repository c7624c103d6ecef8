// Register-tiled SIMD matrix products, batched, without materialising transposes:
//   mode 0  C = A·B    A [M,K], B [K,N]
//   mode 1  C = Aᵀ·B   A stored [K,M]
//   mode 2  C = A·Bᵀ   B stored [N,K]
// A dense layer's backward needs exactly modes 1 and 2. Small products run unpacked
// kernels; larger A·B and Aᵀ·B the packed path below, with the same sums. Batch strides are in elements
// (0 broadcasts an operand over the batch).

@inline function ldA(a: usize, ra: i32, ca: i32, i: i32, k: i32): v128 {
  return f32x4.splat(load<f32>(a + (<usize>(i * ra + k * ca) << 2)));
}

// Modes 0 and 1: splat one A element, multiply a row segment of B. A(i,k) = a[i*ra + k*ca].
function gemmRowsB(a: usize, ra: i32, ca: i32, b: usize, c: usize, M: i32, K: i32, N: i32): void {
  let i = 0;
  for (; i + 4 <= M; i += 4) {
    let j = 0;
    for (; j + 8 <= N; j += 8) {
      let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
      let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
      for (let k = 0; k < K; k++) {
        const bp = b + (<usize>(k * N + j) << 2);
        const b0 = v128.load(bp), b1 = v128.load(bp, 16);
        let av = ldA(a, ra, ca, i, k);
        c00 = f32x4.add(c00, f32x4.mul(av, b0)); c01 = f32x4.add(c01, f32x4.mul(av, b1));
        av = ldA(a, ra, ca, i + 1, k);
        c10 = f32x4.add(c10, f32x4.mul(av, b0)); c11 = f32x4.add(c11, f32x4.mul(av, b1));
        av = ldA(a, ra, ca, i + 2, k);
        c20 = f32x4.add(c20, f32x4.mul(av, b0)); c21 = f32x4.add(c21, f32x4.mul(av, b1));
        av = ldA(a, ra, ca, i + 3, k);
        c30 = f32x4.add(c30, f32x4.mul(av, b0)); c31 = f32x4.add(c31, f32x4.mul(av, b1));
      }
      const cp = c + (<usize>(i * N + j) << 2);
      const rs = <usize>N << 2;
      v128.store(cp, c00); v128.store(cp, c01, 16);
      v128.store(cp + rs, c10); v128.store(cp + rs, c11, 16);
      v128.store(cp + 2 * rs, c20); v128.store(cp + 2 * rs, c21, 16);
      v128.store(cp + 3 * rs, c30); v128.store(cp + 3 * rs, c31, 16);
    }
    for (; j + 4 <= N; j += 4) {
      let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
      for (let k = 0; k < K; k++) {
        const b0 = v128.load(b + (<usize>(k * N + j) << 2));
        c0 = f32x4.add(c0, f32x4.mul(ldA(a, ra, ca, i, k), b0));
        c1 = f32x4.add(c1, f32x4.mul(ldA(a, ra, ca, i + 1, k), b0));
        c2 = f32x4.add(c2, f32x4.mul(ldA(a, ra, ca, i + 2, k), b0));
        c3 = f32x4.add(c3, f32x4.mul(ldA(a, ra, ca, i + 3, k), b0));
      }
      const cp = c + (<usize>(i * N + j) << 2);
      const rs = <usize>N << 2;
      v128.store(cp, c0); v128.store(cp + rs, c1); v128.store(cp + 2 * rs, c2); v128.store(cp + 3 * rs, c3);
    }
    for (; j < N; j++) {
      let s0: f32 = 0, s1: f32 = 0, s2: f32 = 0, s3: f32 = 0;
      for (let k = 0; k < K; k++) {
        const bv = load<f32>(b + (<usize>(k * N + j) << 2));
        s0 += load<f32>(a + (<usize>(i * ra + k * ca) << 2)) * bv;
        s1 += load<f32>(a + (<usize>((i + 1) * ra + k * ca) << 2)) * bv;
        s2 += load<f32>(a + (<usize>((i + 2) * ra + k * ca) << 2)) * bv;
        s3 += load<f32>(a + (<usize>((i + 3) * ra + k * ca) << 2)) * bv;
      }
      store<f32>(c + (<usize>(i * N + j) << 2), s0);
      store<f32>(c + (<usize>((i + 1) * N + j) << 2), s1);
      store<f32>(c + (<usize>((i + 2) * N + j) << 2), s2);
      store<f32>(c + (<usize>((i + 3) * N + j) << 2), s3);
    }
  }
  for (; i < M; i++) {
    let j = 0;
    for (; j + 8 <= N; j += 8) {
      let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
      for (let k = 0; k < K; k++) {
        const bp = b + (<usize>(k * N + j) << 2);
        const av = ldA(a, ra, ca, i, k);
        c0 = f32x4.add(c0, f32x4.mul(av, v128.load(bp)));
        c1 = f32x4.add(c1, f32x4.mul(av, v128.load(bp, 16)));
      }
      const cp = c + (<usize>(i * N + j) << 2);
      v128.store(cp, c0); v128.store(cp, c1, 16);
    }
    for (; j + 4 <= N; j += 4) {
      let c0 = f32x4.splat(0);
      for (let k = 0; k < K; k++) {
        c0 = f32x4.add(c0, f32x4.mul(ldA(a, ra, ca, i, k), v128.load(b + (<usize>(k * N + j) << 2))));
      }
      v128.store(c + (<usize>(i * N + j) << 2), c0);
    }
    for (; j < N; j++) {
      let s: f32 = 0;
      for (let k = 0; k < K; k++) {
        s += load<f32>(a + (<usize>(i * ra + k * ca) << 2)) * load<f32>(b + (<usize>(k * N + j) << 2));
      }
      store<f32>(c + (<usize>(i * N + j) << 2), s);
    }
  }
}

@inline function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) +
    f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

@inline function dotTail(a: usize, b: usize, k0: i32, K: i32): f32 {
  let s: f32 = 0;
  for (let k = k0; k < K; k++) s += load<f32>(a + (<usize>k << 2)) * load<f32>(b + (<usize>k << 2));
  return s;
}

// Mode 2: both operands are contiguous along k; 2×4 tiles of dot products.
function gemmDots(a: usize, b: usize, c: usize, M: i32, K: i32, N: i32): void {
  const K4 = K & ~3;
  const rowBytes = <usize>K << 2;
  let i = 0;
  for (; i + 2 <= M; i += 2) {
    const a0 = a + <usize>i * rowBytes, a1 = a0 + rowBytes;
    let j = 0;
    for (; j + 4 <= N; j += 4) {
      const b0 = b + <usize>j * rowBytes, b1 = b0 + rowBytes, b2 = b1 + rowBytes, b3 = b2 + rowBytes;
      let s00 = f32x4.splat(0), s01 = f32x4.splat(0), s02 = f32x4.splat(0), s03 = f32x4.splat(0);
      let s10 = f32x4.splat(0), s11 = f32x4.splat(0), s12 = f32x4.splat(0), s13 = f32x4.splat(0);
      for (let k = 0; k < K4; k += 4) {
        const o = <usize>k << 2;
        const x0 = v128.load(a0 + o), x1 = v128.load(a1 + o);
        let y = v128.load(b0 + o);
        s00 = f32x4.add(s00, f32x4.mul(x0, y)); s10 = f32x4.add(s10, f32x4.mul(x1, y));
        y = v128.load(b1 + o);
        s01 = f32x4.add(s01, f32x4.mul(x0, y)); s11 = f32x4.add(s11, f32x4.mul(x1, y));
        y = v128.load(b2 + o);
        s02 = f32x4.add(s02, f32x4.mul(x0, y)); s12 = f32x4.add(s12, f32x4.mul(x1, y));
        y = v128.load(b3 + o);
        s03 = f32x4.add(s03, f32x4.mul(x0, y)); s13 = f32x4.add(s13, f32x4.mul(x1, y));
      }
      const c0 = c + (<usize>(i * N + j) << 2), c1 = c0 + (<usize>N << 2);
      store<f32>(c0, hsum(s00) + dotTail(a0, b0, K4, K));
      store<f32>(c0, hsum(s01) + dotTail(a0, b1, K4, K), 4);
      store<f32>(c0, hsum(s02) + dotTail(a0, b2, K4, K), 8);
      store<f32>(c0, hsum(s03) + dotTail(a0, b3, K4, K), 12);
      store<f32>(c1, hsum(s10) + dotTail(a1, b0, K4, K));
      store<f32>(c1, hsum(s11) + dotTail(a1, b1, K4, K), 4);
      store<f32>(c1, hsum(s12) + dotTail(a1, b2, K4, K), 8);
      store<f32>(c1, hsum(s13) + dotTail(a1, b3, K4, K), 12);
    }
    for (; j < N; j++) {
      const bj = b + <usize>j * rowBytes;
      let s0 = f32x4.splat(0), s1 = f32x4.splat(0);
      for (let k = 0; k < K4; k += 4) {
        const o = <usize>k << 2;
        const y = v128.load(bj + o);
        s0 = f32x4.add(s0, f32x4.mul(v128.load(a0 + o), y));
        s1 = f32x4.add(s1, f32x4.mul(v128.load(a1 + o), y));
      }
      store<f32>(c + (<usize>(i * N + j) << 2), hsum(s0) + dotTail(a0, bj, K4, K));
      store<f32>(c + (<usize>((i + 1) * N + j) << 2), hsum(s1) + dotTail(a1, bj, K4, K));
    }
  }
  for (; i < M; i++) {
    const ai = a + <usize>i * rowBytes;
    for (let j = 0; j < N; j++) {
      const bj = b + <usize>j * rowBytes;
      let s = f32x4.splat(0);
      for (let k = 0; k < K4; k += 4) {
        const o = <usize>k << 2;
        s = f32x4.add(s, f32x4.mul(v128.load(ai + o), v128.load(bj + o)));
      }
      store<f32>(c + (<usize>(i * N + j) << 2), hsum(s) + dotTail(ai, bj, K4, K));
    }
  }
}

// The packed path, for products large enough to pay for packing (GotoBLAS's scheme, in
// small): k runs in blocks of at most KC and rows in blocks of at most MC. A block of A is
// copied into PACKED_A as 4-row strips (the 4 values of one k adjacent, zero past M), and
// each panel of 8 columns of B into PACKED_B (8 values per k, zero past N), where it stays
// in L1 while the 4×8 tiles of C sweep down the strips. Packing A takes either layout, so
// A·B and Aᵀ·B share one tile kernel (A·Bᵀ keeps its dot products: both operands are
// contiguous along k, and they run as fast). Each element of C is one running sum in k order
// (a k block resumes the sums the last one stored), as in the unpacked kernels.
//
// The relaxed build (asc --enable relaxed-simd) fuses the tile's multiply-adds
// (f32x4.relaxed_madd: one rounding, and twice the arithmetic per cycle where the hardware
// has FMA); there, large A·Bᵀ products are packed too. Small products stay unfused in both
// builds, so a small model computes the same bits whichever build runs it.
const KC = 256, MC = 64;
const PACKED_A = memory.data(MC * KC * 4, 64);
const PACKED_B = memory.data(KC * 8 * 4, 64);
const TILE = memory.data(4 * 8 * 4, 16);

// A(i, k) at a + (i·ra + k·ca)·4: rows i0..i0+mc-1, k0..k0+kc-1 into 4-row strips.
function packA(a: usize, ra: i32, ca: i32, i0: i32, mc: i32, k0: i32, kc: i32): void {
  const strips = (mc + 3) >> 2;
  const kStep = <usize>ca << 2;
  for (let s = 0; s < strips; s++) {
    const strip = PACKED_A + (<usize>(s * kc) << 4);
    const rows = min(4, mc - 4 * s);
    if (rows < 4) memory.fill(strip, 0, <usize>kc << 4);
    for (let r = 0; r < rows; r++) {
      let src = a + (<usize>((i0 + 4 * s + r) * ra + k0 * ca) << 2), dst = strip + (<usize>r << 2);
      for (let k = 0; k < kc; k++) {
        store<f32>(dst, load<f32>(src));
        src += kStep; dst += 16;
      }
    }
  }
}

// B(k, j) at b + (k·rb + j·cb)·4: columns j..j+w-1 of rows k0..k0+kc-1 into PACKED_B, 8 per k.
function packB(b: usize, rb: i32, cb: i32, k0: i32, kc: i32, j: i32, w: i32): void {
  const kStep = <usize>rb << 2, colStep = <usize>cb << 2;
  let src = b + (<usize>(k0 * rb + j * cb) << 2), dst = PACKED_B;
  if (cb == 1 && w == 8) {
    for (let k = 0; k < kc; k++) {
      v128.store(dst, v128.load(src));
      v128.store(dst, v128.load(src, 16), 16);
      src += kStep; dst += 32;
    }
    return;
  }
  for (let k = 0; k < kc; k++) {
    v128.store(dst, v128.splat<f32>(0)); v128.store(dst, v128.splat<f32>(0), 16);
    let from = src;
    for (let col = 0; col < w; col++) {
      store<f32>(dst + (<usize>col << 2), load<f32>(from));
      from += colStep;
    }
    src += kStep; dst += 32;
  }
}

// c + a·b, fused in the relaxed build.
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

// TILE = the 4×8 product of a packed strip of A (at ap) and PACKED_B over kc, continuing
// TILE's sums when resuming. One k per iteration: V8 hoists the loads of an unrolled body
// ahead of the arithmetic and spills.
function tile(ap: usize, kc: i32, resume: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  if (resume) {
    c00 = v128.load(TILE); c01 = v128.load(TILE, 16); c10 = v128.load(TILE, 32); c11 = v128.load(TILE, 48);
    c20 = v128.load(TILE, 64); c21 = v128.load(TILE, 80); c30 = v128.load(TILE, 96); c31 = v128.load(TILE, 112);
  }
  let bp = PACKED_B;
  const end = ap + (<usize>kc << 4);
  while (ap < end) {
    const b0 = v128.load(bp), b1 = v128.load(bp, 16);
    let av = v128.load32_splat(ap);
    c00 = madd(av, b0, c00); c01 = madd(av, b1, c01);
    av = v128.load32_splat(ap, 4);
    c10 = madd(av, b0, c10); c11 = madd(av, b1, c11);
    av = v128.load32_splat(ap, 8);
    c20 = madd(av, b0, c20); c21 = madd(av, b1, c21);
    av = v128.load32_splat(ap, 12);
    c30 = madd(av, b0, c30); c31 = madd(av, b1, c31);
    ap += 16; bp += 32;
  }
  v128.store(TILE, c00); v128.store(TILE, c01, 16);
  v128.store(TILE, c10, 32); v128.store(TILE, c11, 48);
  v128.store(TILE, c20, 64); v128.store(TILE, c21, 80);
  v128.store(TILE, c30, 96); v128.store(TILE, c31, 112);
}

// C's rows × w block at c to and from TILE (zero past them). (memory.copy is a call out of
// wasm in V8: too slow for 32 bytes.)
function loadTile(c: usize, ldc: usize, rows: i32, w: i32): void {
  if (rows < 4 || w < 8) memory.fill(TILE, 0, 128);
  for (let r = 0; r < rows; r++) {
    const dst = TILE + (<usize>r << 5);
    if (w == 8) {
      v128.store(dst, v128.load(c)); v128.store(dst, v128.load(c, 16), 16);
    } else {
      for (let col = 0; col < w; col++) store<f32>(dst + (<usize>col << 2), load<f32>(c + (<usize>col << 2)));
    }
    c += ldc;
  }
}

function storeTile(c: usize, ldc: usize, rows: i32, w: i32): void {
  for (let r = 0; r < rows; r++) {
    const src = TILE + (<usize>r << 5);
    if (w == 8) {
      v128.store(c, v128.load(src)); v128.store(c, v128.load(src, 16), 16);
    } else {
      for (let col = 0; col < w; col++) store<f32>(c + (<usize>col << 2), load<f32>(src + (<usize>col << 2)));
    }
    c += ldc;
  }
}

// C [M×N] = A·B with A(i, k) at a + (i·ra + k·ca)·4 and B(k, j) at b + (k·rb + j·cb)·4.
function gemmPacked(a: usize, ra: i32, ca: i32, b: usize, rb: i32, cb: i32, c: usize, M: i32, K: i32, N: i32): void {
  const blocks = (K + KC - 1) / KC;
  const kcMax = min(KC, (((K + blocks - 1) / blocks) + 3) & ~3);
  const ldc = <usize>N << 2;
  for (let k0 = 0; k0 < K; k0 += kcMax) {
    const kc = min(kcMax, K - k0);
    for (let i0 = 0; i0 < M; i0 += MC) {
      const mc = min(MC, M - i0);
      packA(a, ra, ca, i0, mc, k0, kc);
      for (let j = 0; j < N; j += 8) {
        const w = min(8, N - j);
        packB(b, rb, cb, k0, kc, j, w);
        for (let s = 0; 4 * s < mc; s++) {
          const ct = c + (<usize>((i0 + 4 * s) * N + j) << 2), rows = min(4, mc - 4 * s);
          if (k0 > 0) loadTile(ct, ldc, rows, w);
          tile(PACKED_A + (<usize>(s * kc) << 4), kc, k0 > 0);
          storeTile(ct, ldc, rows, w);
        }
      }
    }
  }
}

// Products this small are over before packing would pay.
@inline function packs(M: i32, K: i32, N: i32): bool {
  return M >= 8 && N >= 8 && K >= 8 && M * N >= 1024;
}

export function matmul(mode: i32, a: usize, b: usize, c: usize, M: i32, K: i32, N: i32,
                       batch: i32, strideA: i32, strideB: i32, strideC: i32): void {
  for (let t = 0; t < batch; t++) {
    const at = a + (<usize>(t * strideA) << 2);
    const bt = b + (<usize>(t * strideB) << 2);
    const ct = c + (<usize>(t * strideC) << 2);
    if (K == 0) { memory.fill(ct, 0, <usize>(M * N) << 2); continue; }
    if (packs(M, K, N)) {
      if (mode == 0) gemmPacked(at, K, 1, bt, N, 1, ct, M, K, N);
      else if (mode == 1) gemmPacked(at, 1, M, bt, N, 1, ct, M, K, N);
      else if (ASC_FEATURE_RELAXED_SIMD) gemmPacked(at, K, 1, bt, 1, K, ct, M, K, N);
      else gemmDots(at, bt, ct, M, K, N); // unfused, the dot products run as fast as packing
    } else if (mode == 0) gemmRowsB(at, K, 1, bt, ct, M, K, N);
    else if (mode == 1) gemmRowsB(at, 1, M, bt, ct, M, K, N);
    else gemmDots(at, bt, ct, M, K, N);
  }
}
