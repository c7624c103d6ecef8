// Norm accumulations and clamping for torch.nn.utils.clip_grad_norm_ / clip_grad_value_
// (also LBFGS's max|g| and Σ|g|).

// ord 1: Σ|x|; 2: Σx²; +∞: max|x|; -∞: min|x|; 0: count of x ≠ 0; other p: Σ|x|^p.
// Sums accumulate in f64 (PyTorch accumulates in f32 with its own order; f64 is closer to
// the exact value both approximate). Roots are left to the host.
export function normAccum(x: usize, n: i32, ord: f64): f64 {
  let i = 0;
  if (ord == Infinity || ord == -Infinity) {
    const hi = ord > 0;
    let accV = f32x4.splat(hi ? 0 : Infinity);
    for (; i + 4 <= n; i += 4) {
      const a = f32x4.abs(v128.load(x + (<usize>i << 2)));
      accV = hi ? f32x4.max(accV, a) : f32x4.min(accV, a);
    }
    let m: f32 = hi ? max(max(f32x4.extract_lane(accV, 0), f32x4.extract_lane(accV, 1)),
      max(f32x4.extract_lane(accV, 2), f32x4.extract_lane(accV, 3)))
      : min(min(f32x4.extract_lane(accV, 0), f32x4.extract_lane(accV, 1)),
        min(f32x4.extract_lane(accV, 2), f32x4.extract_lane(accV, 3)));
    for (; i < n; i++) {
      const a = Mathf.abs(load<f32>(x + (<usize>i << 2)));
      m = hi ? max(m, a) : min(m, a);
    }
    return <f64>m;
  }
  let total: f64 = 0;
  if (ord == 1 || ord == 2) {
    const sq = ord == 2;
    let lo = f64x2.splat(0), hi = f64x2.splat(0);
    for (; i + 4 <= n; i += 4) {
      const v = v128.load(x + (<usize>i << 2));
      const t = sq ? f32x4.mul(v, v) : f32x4.abs(v);
      lo = f64x2.add(lo, f64x2.promote_low_f32x4(t));
      hi = f64x2.add(hi, f64x2.promote_low_f32x4(v128.shuffle<f32>(t, t, 2, 3, 0, 1)));
    }
    total = (f64x2.extract_lane(lo, 0) + f64x2.extract_lane(lo, 1)) + (f64x2.extract_lane(hi, 0) + f64x2.extract_lane(hi, 1));
    for (; i < n; i++) {
      const v = load<f32>(x + (<usize>i << 2));
      total += sq ? <f64>(v * v) : <f64>Mathf.abs(v);
    }
    return total;
  }
  for (; i < n; i++) {
    const v = Math.abs(<f64>load<f32>(x + (<usize>i << 2)));
    total += ord == 0 ? (v != 0 ? 1 : 0) : Math.pow(v, ord);
  }
  return total;
}

// x = clamp(x, lo, hi) in place (PyTorch's clamp_: min(max(x, lo), hi), NaN stays NaN).
export function clampInPlace(x: usize, n: i32, lo: f32, hi: f32): void {
  const loV = f32x4.splat(lo), hiV = f32x4.splat(hi);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(x + o, f32x4.min(f32x4.max(v128.load(x + o), loV), hiV));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(x + o, min(max(load<f32>(x + o), lo), hi));
  }
}
