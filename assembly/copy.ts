// Layout and type kernels: a strided copy (views made contiguous, writes through views,
// expands, concatenation) for 4-byte and 1-byte elements, and dtype casts.

// Walks `ndim` dims; `dims` points at 3·ndim i32s — shape, src strides, dst strides, in
// elements — followed by ndim scratch words for the multi-index.
@inline function stridedLoop<T>(src: usize, dst: usize, ndim: i32, dims: usize): void {
  const last = ndim - 1;
  const size = <usize>sizeof<T>();
  const n = load<i32>(dims + (<usize>last << 2));
  const ss = load<i32>(dims + (<usize>(ndim + last) << 2));
  const sd = load<i32>(dims + (<usize>(2 * ndim + last) << 2));
  let rows = 1;
  for (let d = 0; d < last; d++) rows *= load<i32>(dims + (<usize>d << 2));
  if (n == 0 || rows == 0) return;
  const idx = dims + (<usize>(3 * ndim) << 2);
  for (let d = 0; d < last; d++) store<i32>(idx + (<usize>d << 2), 0);
  let offS = 0, offD = 0;
  for (let r = 0; r < rows; r++) {
    const s = src + <usize>offS * size, o = dst + <usize>offD * size;
    if (ss == 1 && sd == 1) memory.copy(o, s, <usize>n * size);
    else for (let i = 0; i < n; i++) store<T>(o + <usize>(i * sd) * size, load<T>(s + <usize>(i * ss) * size));
    for (let d = last - 1; d >= 0; d--) {
      const p = idx + (<usize>d << 2);
      const v = load<i32>(p) + 1;
      const ssd = load<i32>(dims + (<usize>(ndim + d) << 2));
      const sdd = load<i32>(dims + (<usize>(2 * ndim + d) << 2));
      if (v < load<i32>(dims + (<usize>d << 2))) { store<i32>(p, v); offS += ssd; offD += sdd; break; }
      store<i32>(p, 0);
      offS -= ssd * (v - 1); offD -= sdd * (v - 1);
    }
  }
}

/** dst[strided] = src[strided], elements of `elemBytes` (4 or 1). */
export function stridedCopy(src: usize, dst: usize, ndim: i32, dims: usize, elemBytes: i32): void {
  if (elemBytes == 4) stridedLoop<u32>(src, dst, ndim, dims);
  else stridedLoop<u8>(src, dst, ndim, dims);
}

// Cast kinds: source and destination dtypes (0 float32, 1 int32, 2 bool), as 3·src + dst.
export function cast(kind: i32, src: usize, dst: usize, n: i32): void {
  const from = kind / 3, to = kind % 3;
  for (let i = 0; i < n; i++) {
    let v: f64;
    if (from == 0) v = <f64>load<f32>(src + (<usize>i << 2));
    else if (from == 1) v = <f64>load<i32>(src + (<usize>i << 2));
    else v = <f64>load<u8>(src + <usize>i);
    if (to == 0) store<f32>(dst + (<usize>i << 2), <f32>v);
    // float → int truncates toward zero as PyTorch's .int(); NaN and out-of-range give
    // INT_MIN, as x86's conversion does in PyTorch
    else if (to == 1) store<i32>(dst + (<usize>i << 2), v != v || v >= 2147483648.0 || v < -2147483648.0 ? i32.MIN_VALUE : <i32>v);
    else store<u8>(dst + <usize>i, v != 0 ? 1 : 0);
  }
}

// int32 arithmetic with broadcasting: out (contiguous) = a op b, op 0 add, 1 sub, 2 mul,
// 3 floor division, 4 remainder (Python's sign: that of the divisor). `dims` as in
// elementwise.ts's binary: shape, a's strides, b's strides, then scratch.
@inline function intOp(op: i32, a: i32, b: i32): i32 {
  if (op == 0) return a + b;
  if (op == 1) return a - b;
  if (op == 2) return a * b;
  if (b == 0) return 0; // the host refuses integer division by zero before the call
  let q = a / b;
  const r = a - q * b;
  if (op == 3) return r != 0 && ((r < 0) != (b < 0)) ? q - 1 : q;
  return r != 0 && ((r < 0) != (b < 0)) ? r + b : r;
}

export function binaryInt(op: i32, a: usize, b: usize, out: usize, ndim: i32, dims: usize): void {
  const last = ndim - 1;
  const n = load<i32>(dims + (<usize>last << 2));
  const sa = load<i32>(dims + (<usize>(ndim + last) << 2));
  const sb = load<i32>(dims + (<usize>(2 * ndim + last) << 2));
  let rows = 1;
  for (let d = 0; d < last; d++) rows *= load<i32>(dims + (<usize>d << 2));
  if (n == 0 || rows == 0) return;
  const idx = dims + (<usize>(3 * ndim) << 2);
  for (let d = 0; d < last; d++) store<i32>(idx + (<usize>d << 2), 0);
  let offA = 0, offB = 0;
  for (let r = 0; r < rows; r++) {
    const o = out + (<usize>(r * n) << 2);
    for (let i = 0; i < n; i++) {
      store<i32>(o + (<usize>i << 2), intOp(op, load<i32>(a + (<usize>(offA + i * sa) << 2)), load<i32>(b + (<usize>(offB + i * sb) << 2))));
    }
    for (let d = last - 1; d >= 0; d--) {
      const p = idx + (<usize>d << 2);
      const v = load<i32>(p) + 1;
      const sad = load<i32>(dims + (<usize>(ndim + d) << 2));
      const sbd = load<i32>(dims + (<usize>(2 * ndim + d) << 2));
      if (v < load<i32>(dims + (<usize>d << 2))) { store<i32>(p, v); offA += sad; offB += sbd; break; }
      store<i32>(p, 0);
      offA -= sad * (v - 1); offB -= sbd * (v - 1);
    }
  }
}

/** 1 if any of n float32 values is NaN (anomaly detection), else 0. */
export function anyNaN(x: usize, n: i32): i32 {
  for (let i = 0; i < n; i++) {
    const v = load<f32>(x + (<usize>i << 2));
    if (v != v) return 1;
  }
  return 0;
}
