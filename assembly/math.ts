// Element-wise math beyond elementwise.ts and unary.ts: maximum, minimum and pow of two
// broadcast operands (float32 or int32), clamp, the int32 unary ops that keep their
// dtype, and the backwards of maximum/minimum, pow and clamp.
//
// NaN as PyTorch: maximum, minimum and clamp propagate a NaN from either side (wasm's
// f32x4.max/min do; maxP/minP below are their scalar form).
import { nextRow, rowLength, rowOffset, rowStride, startRows } from "./strided";
import { cpow } from "./unary";

export const MAX: i32 = 0;
export const MIN: i32 = 1;
export const POW: i32 = 2;

@inline function maxP(a: f32, b: f32): f32 {
  return a > b || a != a ? a : b;
}

@inline function minP(a: f32, b: f32): f32 {
  return a < b || a != a ? a : b;
}

/** Integer power as PyTorch's powi: wraps on overflow; a negative exponent gives 0 except for bases ±1. */
@inline function powInt(a: i32, b: i32): i32 {
  if (b < 0) {
    if (a == 1) return 1;
    if (a == -1) return (b & 1) != 0 ? -1 : 1;
    return 0;
  }
  let r = 1;
  while (b != 0) {
    if ((b & 1) != 0) r *= a;
    b >>= 1;
    a *= a;
  }
  return r;
}

@inline function mathS<T>(op: i32, a: T, b: T): T {
  if (isFloat<T>()) {
    if (op == MAX) return <T>maxP(<f32>a, <f32>b);
    if (op == MIN) return <T>minP(<f32>a, <f32>b);
    return <T>cpow(<f64>a, <f64>b);
  }
  if (op == MAX) return a > b ? a : b;
  if (op == MIN) return a < b ? a : b;
  return <T>powInt(<i32>a, <i32>b);
}

// f32x4.max/min carry NaN but lower to ~8 x86 instructions each; pmax/pmin (one each)
// carry a NaN in `a` only, so a NaN in b is put back with one compare and one select.
@inline function maxV(a: v128, b: v128): v128 {
  return v128.bitselect(b, f32x4.pmax(a, b), f32x4.ne(b, b));
}

@inline function minV(a: v128, b: v128): v128 {
  return v128.bitselect(b, f32x4.pmin(a, b), f32x4.ne(b, b));
}

@inline function mathV<T>(op: i32, a: v128, b: v128): v128 {
  if (isFloat<T>()) return op == MAX ? maxV(a, b) : minV(a, b);
  return op == MAX ? i32x4.max_s(a, b) : i32x4.min_s(a, b);
}

// One row of out[i] = a[i·sa] op b[i·sb]; SIMD for maximum/minimum when a is contiguous
// and b contiguous or broadcast (the caller swaps a broadcast a into b's place).
@inline function mathRow<T>(op: i32, a: usize, sa: i32, b: usize, sb: i32, out: usize, n: i32): void {
  let i = 0;
  if (op != POW && sa == 1 && (sb == 0 || sb == 1)) {
    const bs = v128.load32_splat(b);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(out + o, mathV<T>(op, v128.load(a + o), sb == 0 ? bs : v128.load(b + o)));
    }
  }
  for (; i < n; i++) {
    store<T>(out + (<usize>i << 2), mathS<T>(op, load<T>(a + (<usize>(i * sa) << 2)), load<T>(b + (<usize>(i * sb) << 2))));
  }
}

@inline function mathRowOf<T>(op: i32, a: usize, sa: i32, b: usize, sb: i32, out: usize, n: i32): void {
  if (op == MAX) mathRow<T>(MAX, a, sa, b, sb, out, n);
  else if (op == MIN) mathRow<T>(MIN, a, sa, b, sb, out, n);
  else mathRow<T>(POW, a, sa, b, sb, out, n);
}

/**
 * out (contiguous) = maximum / minimum / pow of a and b over the broadcast at `dims`
 * (2 operands); kind 0 float32, 1 int32.
 */
export function binaryMath(op: i32, kind: i32, a: usize, b: usize, out: usize, ndim: i32, dims: usize): void {
  const rows = startRows(ndim, dims, 2);
  const n = rowLength(ndim, dims);
  const sa0 = rowStride(ndim, dims, 0), sb0 = rowStride(ndim, dims, 1);
  const swap = op != POW && sa0 == 0 && sb0 == 1; // maximum and minimum are symmetric
  const sa = swap ? sb0 : sa0, sb = swap ? sa0 : sb0;
  for (let r = 0; r < rows; r++) {
    const pa = a + (<usize>rowOffset(ndim, dims, 2, 0) << 2);
    const pb = b + (<usize>rowOffset(ndim, dims, 2, 1) << 2);
    const dst = out + (<usize>(r * n) << 2);
    if (kind == 0) mathRowOf<f32>(op, swap ? pb : pa, sa, swap ? pa : pb, sb, dst, n);
    else mathRowOf<i32>(op, swap ? pb : pa, sa, swap ? pa : pb, sb, dst, n);
    nextRow(ndim, dims, 2);
  }
}

// ---- clamp ------------------------------------------------------------------------------

/**
 * out = min(max(x, lo), hi) over n contiguous elements; kind 0 float32, 1 int32 (lo and hi
 * then whole numbers in int32's range). A missing bound is passed as ±Infinity (int32:
 * its extreme). min > max gives max everywhere, as PyTorch.
 */
export function clamp(kind: i32, x: usize, out: usize, n: i32, lo: f64, hi: f64): void {
  let i = 0;
  if (kind == 0) {
    const l = <f32>lo, h = <f32>hi;
    const lv = f32x4.splat(l), hv = f32x4.splat(h);
    // pmax(x, lo) is x < lo ? lo : x, so a NaN x stays NaN; NaN bounds take the scalar loop
    if (l == l && h == h) {
      for (; i + 4 <= n; i += 4) {
        const o = <usize>i << 2;
        v128.store(out + o, f32x4.pmin(f32x4.pmax(v128.load(x + o), lv), hv));
      }
    }
    for (; i < n; i++) {
      const o = <usize>i << 2;
      store<f32>(out + o, minP(maxP(load<f32>(x + o), l), h));
    }
  } else {
    const l = <i32>lo, h = <i32>hi;
    const lv = i32x4.splat(l), hv = i32x4.splat(h);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(out + o, i32x4.min_s(i32x4.max_s(v128.load(x + o), lv), hv));
    }
    for (; i < n; i++) {
      const o = <usize>i << 2;
      const v = load<i32>(x + o);
      store<i32>(out + o, min(max(v, l), h));
    }
  }
}

/**
 * clamp with tensor bounds: out = min(max(x, lo), hi) over the broadcast at `dims`
 * (3 operands: x, lo, hi; the host passes a 0-d ±Infinity, or int32 extreme, for a
 * missing bound). kind 0 float32, 1 int32.
 */
export function clampTensor(kind: i32, x: usize, lo: usize, hi: usize, out: usize, ndim: i32, dims: usize): void {
  const rows = startRows(ndim, dims, 3);
  const n = rowLength(ndim, dims);
  const sx = rowStride(ndim, dims, 0), sl = rowStride(ndim, dims, 1), sh = rowStride(ndim, dims, 2);
  for (let r = 0; r < rows; r++) {
    const px = x + (<usize>rowOffset(ndim, dims, 3, 0) << 2);
    const pl = lo + (<usize>rowOffset(ndim, dims, 3, 1) << 2);
    const ph = hi + (<usize>rowOffset(ndim, dims, 3, 2) << 2);
    const dst = out + (<usize>(r * n) << 2);
    for (let i = 0; i < n; i++) {
      const ox = <usize>(i * sx) << 2, ol = <usize>(i * sl) << 2, oh = <usize>(i * sh) << 2;
      if (kind == 0) store<f32>(dst + (<usize>i << 2), minP(maxP(load<f32>(px + ox), load<f32>(pl + ol)), load<f32>(ph + oh)));
      else store<i32>(dst + (<usize>i << 2), min(max(load<i32>(px + ox), load<i32>(pl + ol)), load<i32>(ph + oh)));
    }
    nextRow(ndim, dims, 3);
  }
}

// ---- int32 unary ops that keep the dtype ------------------------------------------------

export const INEG: i32 = 0;
export const IABS: i32 = 1;
export const ISIGN: i32 = 2;
export const ISQUARE: i32 = 3;

@inline function intUnaryV(op: i32, x: v128): v128 {
  if (op == INEG) return i32x4.neg(x);
  if (op == IABS) return i32x4.abs(x);
  if (op == ISQUARE) return i32x4.mul(x, x);
  const z = i32x4.splat(0);
  return i32x4.sub(i32x4.lt_s(x, z), i32x4.gt_s(x, z)); // masks are -1 where true: -[x<0] + [x>0]
}

@inline function intUnaryS(op: i32, x: i32): i32 {
  if (op == INEG) return -x;
  if (op == IABS) return x < 0 ? -x : x;
  if (op == ISQUARE) return x * x;
  return x > 0 ? 1 : (x < 0 ? -1 : 0);
}

@inline function intUnaryLoop(op: i32, x: usize, out: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, intUnaryV(op, v128.load(x + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<i32>(out + o, intUnaryS(op, load<i32>(x + o)));
  }
}

/** int32 neg, abs, sign, square over n contiguous elements (wrapping, as int arithmetic). */
export function unaryInt(op: i32, x: usize, out: usize, n: i32): void {
  if (op == INEG) intUnaryLoop(INEG, x, out, n);
  else if (op == IABS) intUnaryLoop(IABS, x, out, n);
  else if (op == ISIGN) intUnaryLoop(ISIGN, x, out, n);
  else intUnaryLoop(ISQUARE, x, out, n);
}

// ---- backwards (float32, every operand contiguous and of the output's length) -----------

/**
 * maximum (isMax 1) / minimum backward, as PyTorch's formula: grad where this side wins,
 * grad / 2 on ties, 0 where the other side wins (a NaN on either side wins for both).
 * ga or gb may be 0 (not wanted).
 */
export function minmaxBackward(isMax: i32, a: usize, b: usize, g: usize, ga: usize, gb: usize, n: i32): void {
  let i = 0;
  const half = f32x4.splat(0.5);
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const av = v128.load(a + o), bv = v128.load(b + o), gv = v128.load(g + o);
    const shared = v128.bitselect(f32x4.mul(gv, half), gv, f32x4.eq(av, bv));
    const aLoses = isMax ? f32x4.lt(av, bv) : f32x4.gt(av, bv);
    const bLoses = isMax ? f32x4.gt(av, bv) : f32x4.lt(av, bv);
    if (ga != 0) v128.store(ga + o, v128.andnot(shared, aLoses));
    if (gb != 0) v128.store(gb + o, v128.andnot(shared, bLoses));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const x = load<f32>(a + o), y = load<f32>(b + o), gi = load<f32>(g + o);
    const shared = x == y ? gi * 0.5 : gi;
    if (ga != 0) store<f32>(ga + o, (isMax ? x < y : x > y) ? 0 : shared);
    if (gb != 0) store<f32>(gb + o, (isMax ? x > y : x < y) ? 0 : shared);
  }
}

/**
 * pow backward (PyTorch's pow_backward_self / pow_backward_exponent):
 * ga = exponent == 0 ? 0 : g · (b · a^(b−1)); gb = g · (a == 0 && b ≥ 0 ? 0 : y · log a).
 * y is the forward result; ga or gb may be 0 (not wanted).
 */
export function powBackward(a: usize, b: usize, y: usize, g: usize, ga: usize, gb: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const x = load<f32>(a + o), e = load<f32>(b + o), gi = load<f32>(g + o);
    if (ga != 0) store<f32>(ga + o, e == 0 ? 0 : gi * (e * <f32>cpow(<f64>x, <f64>(e - 1))));
    if (gb != 0) store<f32>(gb + o, gi * (x == 0 && e >= 0 ? 0 : load<f32>(y + o) * Mathf.log(x)));
  }
}

/** clamp backward with number bounds (±Infinity when missing): g where lo ≤ x ≤ hi, else 0 (NaN x: 0). */
export function clampBackward(x: usize, g: usize, out: usize, n: i32, lo: f32, hi: f32): void {
  let i = 0;
  const lv = f32x4.splat(lo), hv = f32x4.splat(hi);
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const xv = v128.load(x + o);
    v128.store(out + o, v128.and(v128.load(g + o), v128.and(f32x4.ge(xv, lv), f32x4.le(xv, hv))));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const v = load<f32>(x + o);
    store<f32>(out + o, v >= lo && v <= hi ? load<f32>(g + o) : 0);
  }
}

/**
 * clamp backward with tensor bounds (PyTorch's clamp_backward and clamp_backward_min_max):
 * with both bounds gx = g where lo ≤ x ≤ hi, glo = g where x < lo and lo < hi, ghi = g
 * where x > hi or hi < lo; with one bound, gx = g where x is inside it and that bound's
 * grad = g where x is outside. gx, glo, ghi may be 0 (not wanted); lo (hi) is unread
 * unless hasLo (hasHi).
 */
export function clampTensorBackward(x: usize, lo: usize, hi: usize, g: usize, gx: usize, glo: usize, ghi: usize,
  n: i32, hasLo: i32, hasHi: i32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const v = load<f32>(x + o), gi = load<f32>(g + o);
    const l = hasLo ? load<f32>(lo + o) : -Infinity, h = hasHi ? load<f32>(hi + o) : Infinity;
    if (gx != 0) store<f32>(gx + o, v >= l && v <= h ? gi : 0);
    if (glo != 0) store<f32>(glo + o, v < l && (!hasHi || l < h) ? gi : 0);
    if (ghi != 0) store<f32>(ghi + o, v > h || (hasLo && h < l) ? gi : 0);
  }
}
