// Indexing kernels: advanced indexing, index_put, gather, scatter, scatter_add and
// index_select are one strided walk (PyTorch's restrided TensorIterator): an iteration
// shape, an operand A addressed through its strides plus, for each index tensor,
// index · (A's stride of the indexed dim), and an operand B addressed through its strides
// alone. Gather reads A into B; put writes B into A (last write wins for repeated
// indices, as PyTorch's serial CPU loop); accumulate adds B into A.
//
// dims: ndim shape, ndim A strides, ndim B strides (in elements), ndim scratch words.
// idx:  per index tensor REC = 3 + ndim words: byte pointer of its int32 values, size of
//       the indexed dim (negative indices wrap by it), A's stride of that dim, then its
//       ndim strides over the iteration shape; after the records, nIdx scratch words.
// The host checks every index against its size first (indexCheck).

const GATHER = 0;
const PUT = 1; // any other mode accumulates

@inline function i32At(p: usize, word: i32): i32 {
  return load<i32>(p + (<usize>word << 2));
}

@inline function combine<T>(x: T, y: T): T {
  if (sizeof<T>() == 1) return <T>(x | y); // bool: True + True stays True
  return <T>(x + y);
}

/** One element: B = A (gather), A = B (put) or A += B. */
@inline function element<T>(pa: usize, pb: usize, mode: i32): void {
  if (mode == GATHER) store<T>(pb, load<T>(pa));
  else if (mode == PUT) store<T>(pa, load<T>(pb));
  else store<T>(pa, combine<T>(load<T>(pa), load<T>(pb)));
}

/** Index record k's contribution to A's offset, reading its value at `at`. */
@inline function indexTerm(e: usize, at: i32): i32 {
  let v = load<i32>(<usize>i32At(e, 0) + (<usize>at << 2));
  if (v < 0) v += i32At(e, 1);
  return v * i32At(e, 2);
}

/** A row of n elements with one index record at `e` (its values read from `at`, by its stride in the row). */
@inline function oneIndexRow<T>(pa: usize, sa: i32, pb: usize, sb: i32, n: i32, e: usize, at: i32, last: i32, mode: i32): void {
  const p = <usize>i32At(e, 0), wrap = i32At(e, 1), st = i32At(e, 2), si = i32At(e, 3 + last);
  const size = <usize>sizeof<T>();
  for (let i = 0; i < n; i++) {
    let v = load<i32>(p + (<usize>at << 2));
    if (v < 0) v += wrap;
    element<T>(pa + <usize>(i * sa + v * st) * size, pb + <usize>(i * sb) * size, mode);
    at += si;
  }
}

// One instance per element type; the mode branch in the inner loop is the same for every
// element (predicted), which keeps the module a third of the size of one walk per mode.
function walk<T>(a: usize, b: usize, ndim: i32, dims: usize, nIdx: i32, idx: usize, mode: i32): void {
  const last = ndim - 1;
  const size = <usize>sizeof<T>();
  const rec = 3 + ndim;
  const n = i32At(dims, last);
  const sa = i32At(dims, ndim + last);
  const sb = i32At(dims, 2 * ndim + last);
  let rows = 1;
  for (let d = 0; d < last; d++) rows *= i32At(dims, d);
  if (n == 0 || rows == 0) return;
  const pos = dims + (<usize>(3 * ndim) << 2);
  const offs = idx + (<usize>(nIdx * rec) << 2);
  for (let d = 0; d < last; d++) store<i32>(pos + (<usize>d << 2), 0);
  // Rows along which no index moves (x[idx] of rows, index_select of dim 0, basic puts)
  // take one offset per row and copy the row as a block.
  let rowConst = true;
  for (let k = 0; k < nIdx; k++) {
    store<i32>(offs + (<usize>k << 2), 0);
    if (i32At(idx + (<usize>(k * rec) << 2), 3 + last) != 0) rowConst = false;
  }
  const block = sa == 1 && sb == 1 && (mode == GATHER || mode == PUT); // accumulate adds element by element
  let offA = 0, offB = 0;
  for (let r = 0; r < rows; r++) {
    if (rowConst) {
      let oa = offA;
      for (let k = 0; k < nIdx; k++) oa += indexTerm(idx + (<usize>(k * rec) << 2), i32At(offs, k));
      const pa = a + <usize>oa * size, pb = b + <usize>offB * size;
      if (block && mode == GATHER) memory.copy(pb, pa, <usize>n * size);
      else if (block) memory.copy(pa, pb, <usize>n * size);
      else for (let i = 0; i < n; i++) element<T>(pa + <usize>(i * sa) * size, pb + <usize>(i * sb) * size, mode);
    } else if (nIdx == 1) {
      // one index (gather, scatter, index_select, x[idx] along the last dim): a loop per mode
      const pa = a + <usize>offA * size, pb = b + <usize>offB * size, at = i32At(offs, 0);
      if (mode == GATHER) oneIndexRow<T>(pa, sa, pb, sb, n, idx, at, last, GATHER);
      else if (mode == PUT) oneIndexRow<T>(pa, sa, pb, sb, n, idx, at, last, PUT);
      else oneIndexRow<T>(pa, sa, pb, sb, n, idx, at, last, PUT + 1);
    } else {
      for (let i = 0; i < n; i++) {
        let oa = offA + i * sa;
        for (let k = 0; k < nIdx; k++) {
          const e = idx + (<usize>(k * rec) << 2);
          oa += indexTerm(e, i32At(offs, k) + i * i32At(e, 3 + last));
        }
        element<T>(a + <usize>oa * size, b + <usize>(offB + i * sb) * size, mode);
      }
    }
    for (let d = last - 1; d >= 0; d--) {
      const p = pos + (<usize>d << 2);
      const v = load<i32>(p) + 1;
      const sad = i32At(dims, ndim + d), sbd = i32At(dims, 2 * ndim + d);
      if (v < i32At(dims, d)) {
        store<i32>(p, v);
        offA += sad; offB += sbd;
        for (let k = 0; k < nIdx; k++) {
          const o = offs + (<usize>k << 2);
          store<i32>(o, load<i32>(o) + i32At(idx + (<usize>(k * rec) << 2), 3 + d));
        }
        break;
      }
      store<i32>(p, 0);
      offA -= sad * (v - 1); offB -= sbd * (v - 1);
      for (let k = 0; k < nIdx; k++) {
        const o = offs + (<usize>k << 2);
        store<i32>(o, load<i32>(o) - i32At(idx + (<usize>(k * rec) << 2), 3 + d) * (v - 1));
      }
    }
  }
}

/** The indexed walk above; mode 0 gather, 1 put, 2 accumulate; kind 0 float32, 1 int32, 2 bool. */
export function indexedCopy(a: usize, b: usize, ndim: i32, dims: usize, nIdx: i32, idx: usize, mode: i32, kind: i32): void {
  if (kind == 0) walk<f32>(a, b, ndim, dims, nIdx, idx, mode);
  else if (kind == 1) walk<i32>(a, b, ndim, dims, nIdx, idx, mode);
  else walk<u8>(a, b, ndim, dims, nIdx, idx, mode);
}

/** The position of the first of n int32 values outside [lo, hi), or -1. */
export function indexCheck(p: usize, n: i32, lo: i32, hi: i32): i32 {
  for (let i = 0; i < n; i++) {
    const v = load<i32>(p + (<usize>i << 2));
    if (v < lo || v >= hi) return i;
  }
  return -1;
}

/** How many of n bool bytes are true. */
export function maskCount(m: usize, n: i32): i32 {
  let c = 0;
  for (let i = 0; i < n; i++) if (load<u8>(m + <usize>i) != 0) c++;
  return c;
}

/**
 * The coordinates of the true entries of a contiguous bool mask (PyTorch's nonzero, as
 * index tensors): out holds ndim rows of `count` int32s. `dims` points at the ndim sizes,
 * followed by ndim scratch words.
 */
export function nonzero(m: usize, n: i32, ndim: i32, dims: usize, out: usize, count: i32): void {
  const pos = dims + (<usize>ndim << 2);
  for (let d = 0; d < ndim; d++) store<i32>(pos + (<usize>d << 2), 0);
  let j = 0;
  for (let i = 0; i < n; i++) {
    if (load<u8>(m + <usize>i) != 0) {
      for (let d = 0; d < ndim; d++) store<i32>(out + (<usize>(d * count + j) << 2), i32At(pos, d));
      j++;
    }
    for (let d = ndim - 1; d >= 0; d--) {
      const p = pos + (<usize>d << 2);
      const v = load<i32>(p) + 1;
      if (v < i32At(dims, d)) { store<i32>(p, v); break; }
      store<i32>(p, 0);
    }
  }
}
