// Embedding lookup (rows of a weight [num, D] by i32 index) and its backward, the rows'
// gradients summed into dW as PyTorch's embedding_dense_backward (a padding row gets none).

export function embeddingForward(w: usize, idx: usize, out: usize, n: i32, D: i32): void {
  const rowBytes = <usize>D << 2;
  for (let i = 0; i < n; i++) {
    const r = load<i32>(idx + (<usize>i << 2));
    memory.copy(out + <usize>i * rowBytes, w + <usize>r * rowBytes, rowBytes);
  }
}

// dw (zeroed by the host) += g rows at their indices; paddingIdx < 0 when there is none.
export function embeddingBackward(g: usize, idx: usize, dw: usize, n: i32, D: i32, paddingIdx: i32): void {
  for (let i = 0; i < n; i++) {
    const r = load<i32>(idx + (<usize>i << 2));
    if (r == paddingIdx) continue;
    const dst = dw + (<usize>(r * D) << 2), src = g + (<usize>(i * D) << 2);
    let j = 0;
    for (; j + 4 <= D; j += 4) {
      const o = <usize>j << 2;
      v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)));
    }
    for (; j < D; j++) {
      const o = <usize>j << 2;
      store<f32>(dst + o, load<f32>(dst + o) + load<f32>(src + o));
    }
  }
}
