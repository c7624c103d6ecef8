// Comparisons and logical ops into bool (one byte, 0 or 1), and where(cond, a, b), over
// broadcast strided operands (strided.ts's table). Operands of a comparison share one
// dtype, chosen by the host (PyTorch's promotion): kind 0 float32, 1 int32, 2 bool; the
// logical ops read bool operands the host made with a cast (x != 0).
import { nextRow, rowLength, rowOffset, rowStride, startRows } from "./strided";

export const EQ: i32 = 0;
export const NE: i32 = 1;
export const LT: i32 = 2;
export const LE: i32 = 3;
export const GT: i32 = 4;
export const GE: i32 = 5;
export const AND: i32 = 6;
export const OR: i32 = 7;
export const XOR: i32 = 8;

/** The op with its operands swapped: a < b is b > a. */
@inline function flipped(op: i32): i32 {
  if (op == LT) return GT;
  if (op == LE) return GE;
  if (op == GT) return LT;
  if (op == GE) return LE;
  return op;
}

@inline function cmpS<T>(op: i32, x: T, y: T): u8 {
  if (op == EQ) return <u8>(x == y);
  if (op == NE) return <u8>(x != y);
  if (op == LT) return <u8>(x < y);
  if (op == LE) return <u8>(x <= y);
  if (op == GT) return <u8>(x > y);
  if (op == GE) return <u8>(x >= y);
  if (isInteger<T>()) { // the logical ops, on bool bytes
    if (op == AND) return <u8>(x & y);
    if (op == OR) return <u8>(x | y);
    return <u8>(x ^ y);
  }
  return 0;
}

// Lane masks (all ones where true) for four 4-byte lanes or sixteen bool bytes.
@inline function cmpV<T>(op: i32, x: v128, y: v128): v128 {
  if (isFloat<T>()) {
    if (op == EQ) return f32x4.eq(x, y);
    if (op == NE) return f32x4.ne(x, y);
    if (op == LT) return f32x4.lt(x, y);
    if (op == LE) return f32x4.le(x, y);
    if (op == GT) return f32x4.gt(x, y);
    return f32x4.ge(x, y);
  }
  if (sizeof<T>() == 4) {
    if (op == EQ) return i32x4.eq(x, y);
    if (op == NE) return i32x4.ne(x, y);
    if (op == LT) return i32x4.lt_s(x, y);
    if (op == LE) return i32x4.le_s(x, y);
    if (op == GT) return i32x4.gt_s(x, y);
    return i32x4.ge_s(x, y);
  }
  if (op == EQ) return i8x16.eq(x, y);
  if (op == NE) return i8x16.ne(x, y);
  if (op == LT) return i8x16.lt_u(x, y);
  if (op == LE) return i8x16.le_u(x, y);
  if (op == GT) return i8x16.gt_u(x, y);
  if (op == GE) return i8x16.ge_u(x, y);
  if (op == AND) return v128.and(x, y);
  if (op == OR) return v128.or(x, y);
  return v128.xor(x, y);
}

/** b's next vector: loaded (stride 1) or its one element splatted (stride 0). */
@inline function operand<T>(p: usize, s: i32, i: i32, splat: v128): v128 {
  return s == 0 ? splat : v128.load(p + (<usize>i) * sizeof<T>());
}

@inline function splatOf<T>(p: usize): v128 {
  return sizeof<T>() == 4 ? v128.load32_splat(p) : v128.load8_splat(p);
}

// One row: out[i] = a[i·sa] op b[i·sb]. SIMD when a is contiguous and b contiguous or
// broadcast (the caller swaps a broadcast a into b's place), sixteen results per step.
@inline function cmpRow<T>(op: i32, a: usize, sa: i32, b: usize, sb: i32, out: usize, n: i32): void {
  let i = 0;
  if (sa == 1 && (sb == 1 || sb == 0)) {
    const one = i8x16.splat(1);
    const bs = splatOf<T>(b);
    if (sizeof<T>() == 4) {
      for (; i + 16 <= n; i += 16) {
        const pa = a + (<usize>i << 2);
        const m0 = cmpV<T>(op, v128.load(pa), operand<T>(b, sb, i, bs));
        const m1 = cmpV<T>(op, v128.load(pa, 16), operand<T>(b, sb, i + 4, bs));
        const m2 = cmpV<T>(op, v128.load(pa, 32), operand<T>(b, sb, i + 8, bs));
        const m3 = cmpV<T>(op, v128.load(pa, 48), operand<T>(b, sb, i + 12, bs));
        const bytes = i8x16.narrow_i16x8_s(i16x8.narrow_i32x4_s(m0, m1), i16x8.narrow_i32x4_s(m2, m3));
        v128.store(out + <usize>i, v128.and(bytes, one));
      }
    } else {
      for (; i + 16 <= n; i += 16) {
        const m = cmpV<T>(op, v128.load(a + <usize>i), operand<T>(b, sb, i, bs));
        v128.store(out + <usize>i, v128.and(m, one));
      }
    }
  }
  const size = <usize>sizeof<T>();
  for (; i < n; i++) {
    store<u8>(out + <usize>i, cmpS<T>(op, load<T>(a + <usize>(i * sa) * size), load<T>(b + <usize>(i * sb) * size)));
  }
}

@inline function cmpRowOf<T>(op: i32, a: usize, sa: i32, b: usize, sb: i32, out: usize, n: i32): void {
  switch (op) {
    case EQ: cmpRow<T>(EQ, a, sa, b, sb, out, n); break;
    case NE: cmpRow<T>(NE, a, sa, b, sb, out, n); break;
    case LT: cmpRow<T>(LT, a, sa, b, sb, out, n); break;
    case LE: cmpRow<T>(LE, a, sa, b, sb, out, n); break;
    case GT: cmpRow<T>(GT, a, sa, b, sb, out, n); break;
    default: cmpRow<T>(GE, a, sa, b, sb, out, n);
  }
}

/**
 * out (bool, contiguous) = a op b over the broadcast described at `dims` (2 operands).
 * kind: 0 float32, 1 int32, 2 bool. The logical ops (AND, OR, XOR) take bool operands.
 */
export function compare(op: i32, kind: i32, a: usize, b: usize, out: usize, ndim: i32, dims: usize): void {
  const rows = startRows(ndim, dims, 2);
  const n = rowLength(ndim, dims);
  const sa0 = rowStride(ndim, dims, 0), sb0 = rowStride(ndim, dims, 1);
  // a broadcast along the row and b not: swap them so the SIMD path sees b broadcast
  const swap = sa0 == 0 && sb0 == 1;
  const o = swap ? flipped(op) : op;
  const sa = swap ? sb0 : sa0, sb = swap ? sa0 : sb0;
  const size = kind == 2 ? 1 : 4;
  for (let r = 0; r < rows; r++) {
    const pa = a + <usize>(rowOffset(ndim, dims, 2, 0) * size);
    const pb = b + <usize>(rowOffset(ndim, dims, 2, 1) * size);
    const x = swap ? pb : pa, y = swap ? pa : pb;
    const dst = out + <usize>r * <usize>n;
    if (kind == 0) cmpRowOf<f32>(o, x, sa, y, sb, dst, n);
    else if (kind == 1) cmpRowOf<i32>(o, x, sa, y, sb, dst, n);
    else if (o == AND) cmpRow<u8>(AND, x, sa, y, sb, dst, n);
    else if (o == OR) cmpRow<u8>(OR, x, sa, y, sb, dst, n);
    else if (o == XOR) cmpRow<u8>(XOR, x, sa, y, sb, dst, n);
    else cmpRowOf<u8>(o, x, sa, y, sb, dst, n);
    nextRow(ndim, dims, 2);
  }
}

// ---- where ------------------------------------------------------------------------------

// One row of out[i] = c[i·sc] ? a[i·sa] : b[i·sb]; SIMD when the condition is contiguous
// and a and b are each contiguous or broadcast.
@inline function whereRow<T>(c: usize, sc: i32, a: usize, sa: i32, b: usize, sb: i32, out: usize, n: i32): void {
  const size = <usize>sizeof<T>();
  let i = 0;
  if (sc == 1 && (sa == 0 || sa == 1) && (sb == 0 || sb == 1)) {
    const as = splatOf<T>(a), bs = splatOf<T>(b);
    const zero = i8x16.splat(0);
    if (size == 4) {
      for (; i + 4 <= n; i += 4) {
        const bytes = v128.load32_zero(c + <usize>i);
        const mask = i32x4.ne(i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(bytes)), zero);
        const o = out + (<usize>i << 2);
        v128.store(o, v128.bitselect(operand<T>(a, sa, i, as), operand<T>(b, sb, i, bs), mask));
      }
    } else {
      for (; i + 16 <= n; i += 16) {
        const mask = i8x16.ne(v128.load(c + <usize>i), zero);
        v128.store(out + <usize>i, v128.bitselect(operand<T>(a, sa, i, as), operand<T>(b, sb, i, bs), mask));
      }
    }
  }
  for (; i < n; i++) {
    const v = load<u8>(c + <usize>(i * sc)) != 0 ? load<T>(a + <usize>(i * sa) * size) : load<T>(b + <usize>(i * sb) * size);
    store<T>(out + <usize>i * size, v);
  }
}

/**
 * out (contiguous) = cond ? a : b over the broadcast at `dims` (3 operands: cond, a, b);
 * cond is bool, a, b and out have elements of `elemBytes` (4 or 1).
 */
export function where(c: usize, a: usize, b: usize, out: usize, ndim: i32, dims: usize, elemBytes: i32): void {
  const rows = startRows(ndim, dims, 3);
  const n = rowLength(ndim, dims);
  const sc = rowStride(ndim, dims, 0), sa = rowStride(ndim, dims, 1), sb = rowStride(ndim, dims, 2);
  const size = <usize>elemBytes;
  for (let r = 0; r < rows; r++) {
    const pc = c + <usize>rowOffset(ndim, dims, 3, 0);
    const pa = a + <usize>rowOffset(ndim, dims, 3, 1) * size;
    const pb = b + <usize>rowOffset(ndim, dims, 3, 2) * size;
    const dst = out + <usize>r * <usize>n * size;
    if (elemBytes == 4) whereRow<u32>(pc, sc, pa, sa, pb, sb, dst, n);
    else whereRow<u8>(pc, sc, pa, sa, pb, sb, dst, n);
    nextRow(ndim, dims, 3);
  }
}
