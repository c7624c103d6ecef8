// Element-wise kernels: binary ops over broadcast strides, unary ops and their backwards.
// Every kernel takes byte pointers into linear memory and scalars; none allocates.

export const ADD: i32 = 0;
export const SUB: i32 = 1;
export const MUL: i32 = 2;
export const DIV: i32 = 3;
export const TAKE_A: i32 = 4; // strided copy of a (b unread): transposes, expands

@inline function binV(op: i32, a: v128, b: v128): v128 {
  if (op == ADD) return f32x4.add(a, b);
  if (op == SUB) return f32x4.sub(a, b);
  if (op == MUL) return f32x4.mul(a, b);
  if (op == TAKE_A) return a;
  return f32x4.div(a, b);
}

@inline function binS(op: i32, a: f32, b: f32): f32 {
  if (op == ADD) return a + b;
  if (op == SUB) return a - b;
  if (op == MUL) return a * b;
  if (op == TAKE_A) return a;
  return a / b;
}

// One innermost row: out[i] = a[i*sa] op b[i*sb], strides in elements.
@inline function binaryRow(op: i32, a: usize, sa: i32, b: usize, sb: i32, out: usize, n: i32): void {
  let i = 0;
  if (sa == 1 && sb == 1) {
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(out + o, binV(op, v128.load(a + o), v128.load(b + o)));
    }
    for (; i < n; i++) {
      const o = <usize>i << 2;
      store<f32>(out + o, binS(op, load<f32>(a + o), load<f32>(b + o)));
    }
  } else if (sa == 1 && sb == 0) {
    const bs = load<f32>(b);
    const bv = f32x4.splat(bs);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(out + o, binV(op, v128.load(a + o), bv));
    }
    for (; i < n; i++) {
      const o = <usize>i << 2;
      store<f32>(out + o, binS(op, load<f32>(a + o), bs));
    }
  } else if (sa == 0 && sb == 1) {
    const as = load<f32>(a);
    const av = f32x4.splat(as);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(out + o, binV(op, av, v128.load(b + o)));
    }
    for (; i < n; i++) {
      const o = <usize>i << 2;
      store<f32>(out + o, binS(op, as, load<f32>(b + o)));
    }
  } else {
    for (; i < n; i++) {
      store<f32>(out + (<usize>i << 2), binS(op,
        load<f32>(a + (<usize>(i * sa) << 2)), load<f32>(b + (<usize>(i * sb) << 2))));
    }
  }
}

// Walks every row of a contiguous output of `ndim` dims. `dims` points at 3·ndim i32s:
// shape, a's strides, b's strides (elements; 0 where that operand broadcasts).
@inline function binaryLoop(op: i32, a: usize, b: usize, out: usize, ndim: i32, dims: usize): void {
  const last = ndim - 1;
  const n = load<i32>(dims + (<usize>last << 2));
  const sa = load<i32>(dims + (<usize>(ndim + last) << 2));
  const sb = load<i32>(dims + (<usize>(2 * ndim + last) << 2));
  let rows = 1;
  for (let d = 0; d < last; d++) rows *= load<i32>(dims + (<usize>d << 2));
  if (n == 0 || rows == 0) return;
  // idx counters for the outer dims live in the scratch words right after the table
  const idx = dims + (<usize>(3 * ndim) << 2);
  for (let d = 0; d < last; d++) store<i32>(idx + (<usize>d << 2), 0);
  let offA = 0, offB = 0;
  for (let r = 0; r < rows; r++) {
    binaryRow(op, a + (<usize>offA << 2), sa, b + (<usize>offB << 2), sb, out + (<usize>(r * n) << 2), n);
    // increment the multi-index over the outer dims, carrying
    for (let d = last - 1; d >= 0; d--) {
      const p = idx + (<usize>d << 2);
      const v = load<i32>(p) + 1;
      const sad = load<i32>(dims + (<usize>(ndim + d) << 2));
      const sbd = load<i32>(dims + (<usize>(2 * ndim + d) << 2));
      if (v < load<i32>(dims + (<usize>d << 2))) {
        store<i32>(p, v); offA += sad; offB += sbd;
        break;
      }
      store<i32>(p, 0);
      offA -= sad * (v - 1); offB -= sbd * (v - 1);
    }
  }
}

export function binary(op: i32, a: usize, b: usize, out: usize, ndim: i32, dims: usize): void {
  if (op == ADD) binaryLoop(ADD, a, b, out, ndim, dims);
  else if (op == SUB) binaryLoop(SUB, a, b, out, ndim, dims);
  else if (op == MUL) binaryLoop(MUL, a, b, out, ndim, dims);
  else if (op == DIV) binaryLoop(DIV, a, b, out, ndim, dims);
  else binaryLoop(TAKE_A, a, b, out, ndim, dims);
}

// Contiguous same-length fast path (no stride table): out = a op b.
export function binaryFlat(op: i32, a: usize, b: usize, out: usize, n: i32): void {
  if (op == ADD) binaryRow(ADD, a, 1, b, 1, out, n);
  else if (op == SUB) binaryRow(SUB, a, 1, b, 1, out, n);
  else if (op == MUL) binaryRow(MUL, a, 1, b, 1, out, n);
  else if (op == DIV) binaryRow(DIV, a, 1, b, 1, out, n);
  else binaryRow(TAKE_A, a, 1, b, 1, out, n);
}

// Sums a contiguous `src` of `ndim` dims into `dst`, whose strides (0 on summed dims) are
// given: the reverse of broadcasting, for the gradients of broadcast operands. dst must be
// zeroed by the caller. `dims` holds shape then dst strides, then ndim scratch words.
export function sumToStrided(src: usize, dst: usize, ndim: i32, dims: usize): void {
  const last = ndim - 1;
  const n = load<i32>(dims + (<usize>last << 2));
  const sd = load<i32>(dims + (<usize>(ndim + last) << 2));
  let rows = 1;
  for (let d = 0; d < last; d++) rows *= load<i32>(dims + (<usize>d << 2));
  if (n == 0 || rows == 0) return;
  const idx = dims + (<usize>(2 * ndim) << 2);
  for (let d = 0; d < last; d++) store<i32>(idx + (<usize>d << 2), 0);
  let off = 0;
  for (let r = 0; r < rows; r++) {
    const s = src + (<usize>(r * n) << 2);
    const o = dst + (<usize>off << 2);
    if (sd == 1) binaryRow(ADD, o, 1, s, 1, o, n);
    else if (sd == 0) store<f32>(o, load<f32>(o) + sumRow(s, n));
    else for (let i = 0; i < n; i++) {
      const p = o + (<usize>(i * sd) << 2);
      store<f32>(p, load<f32>(p) + load<f32>(s + (<usize>i << 2)));
    }
    for (let d = last - 1; d >= 0; d--) {
      const p = idx + (<usize>d << 2);
      const v = load<i32>(p) + 1;
      const sdd = load<i32>(dims + (<usize>(ndim + d) << 2));
      if (v < load<i32>(dims + (<usize>d << 2))) { store<i32>(p, v); off += sdd; break; }
      store<i32>(p, 0);
      off -= sdd * (v - 1);
    }
  }
}

// Sum of a contiguous row: four f32 lanes per block of 1024, blocks summed in f64, so long
// sums stay close to PyTorch's cascade summation.
export function sumRow(x: usize, n: i32): f32 {
  let total: f64 = 0;
  let i = 0;
  while (i < n) {
    const end = min(n, i + 1024);
    let acc = f32x4.splat(0);
    for (; i + 4 <= end; i += 4) acc = f32x4.add(acc, v128.load(x + (<usize>i << 2)));
    let s: f64 = <f64>f32x4.extract_lane(acc, 0) + <f64>f32x4.extract_lane(acc, 1) +
      <f64>f32x4.extract_lane(acc, 2) + <f64>f32x4.extract_lane(acc, 3);
    for (; i < end; i++) s += <f64>load<f32>(x + (<usize>i << 2));
    total += s;
  }
  return <f32>total;
}
