// Adafactor: one call steps a param group's params that share a step count. PyTorch 2.13's
// _single_tensor_adafactor (the default: foreach=None) on CPU, per parameter:
//   g = maximize ? −grad : grad
//   alpha = max(eps2, ‖p‖ / √numel) · ρ             (ρ = min(lr, 1/√t), from the host)
//   p = p·(1 − lr·wd)
//   ≥ 2-D, per matrix of the last two dims (R×C):
//     R_i = lerp(R_i, (‖g_i,:‖)² / C, w);  C_j = lerp(C_j, (‖g_:,j‖)² / R, w)     (w = t^β2decay)
//     V_ij = R_i·C_j / max(mean(R), eps1)
//   1-D (and 0-D):  V = lerp(V, g·g, w)
//   U = rsqrt(max(V, eps1²))·g
//   p = p − alpha / max(1, ‖U‖ / (√numel·d))·U
// Each value is rounded to f32 where PyTorch holds it in a float32 tensor; the norms and the
// mean are summed in f64 (PyTorch sums in f32 in another order: a difference in the last bit).
// PyTorch's sums and its square roots (MKL's, not correctly rounded) keep this kernel from
// being bit-identical anyway, so lerp and add(alpha=) round twice, as moments.ts's do, where
// PyTorch's fused multiply-add rounds once (an ulp at most; fma.ts's emulation would double
// the kernel's time).
//
// The fused base gives the kernel each row's last two sizes (ADAFACTOR_ROWS = 0 for a
// parameter of fewer than two dimensions, which has a variance instead of the row and column
// moments) and a scratch block: U (numel floats, the update PyTorch materialises too) after
// the column sums (C doubles, for the factored moments).
import { flipS, lerpCoef, lerpS, lerpSmall, lerpSmallMask, lerpV } from "./moments";
import { MAXIMIZE, tableRow, rowColumn, rowNumel, rowParam, rowGrad } from "./table";

// The row: numel, param, grad (table.ts), then
export const ADAFACTOR_ROW_VAR: i32 = 3;  // ≥ 2-D: [..., R, 1]
export const ADAFACTOR_COL_VAR: i32 = 4;  // ≥ 2-D: [..., 1, C]
export const ADAFACTOR_VARIANCE: i32 = 5; // < 2-D: the parameter's shape
export const ADAFACTOR_ROWS: i32 = 6;     // size(−2), 0 below 2-D
export const ADAFACTOR_COLS: i32 = 7;     // size(−1)
export const ADAFACTOR_ROW: i32 = 8;
// Flags, besides MAXIMIZE (table.ts)
export const ADAFACTOR_RHO_TENSOR: i32 = 4; // ρ is a float32 tensor (a tensor lr): alpha is float32

/** f32 elements of scratch a call needs for a parameter of numel values whose last two sizes are these (rows 0 below 2-D). */
export function adafactorScratch(rows: i32, cols: i32, numel: i32): i32 {
  return (rows > 0 ? 2 * cols : 0) + numel;
}

export function adafactorStep(table: usize, count: i32, scratch: usize, w: f32, rho: f64, eps1: f32, eps1Sq: f32,
  eps2: f64, d: f64, decay: f32, flags: i32): void {
  const c = lerpCoef(w), small = lerpSmall(w);
  const bit: u32 = (flags & MAXIMIZE) != 0 ? 0x80000000 : 0;
  for (let r = 0; r < count; r++) {
    const row = tableRow(table, r, ADAFACTOR_ROW);
    const numel = rowNumel(row), pp = rowParam(row), gp = rowGrad(row);
    const rows = load<i32>(row + (<usize>ADAFACTOR_ROWS << 2)), cols = load<i32>(row + (<usize>ADAFACTOR_COLS << 2));
    // alpha, from the parameter before its decay (param.norm(2).item() is float32)
    const rms = <f64><f32>Math.sqrt(sumSquares(pp, numel)) / Math.sqrt(<f64>numel);
    const scale = rms > eps2 ? rms : eps2; // Python's max(eps2, rms)
    const colSums = scratch, u = scratch + (rows > 0 ? <usize>cols << 3 : 0);
    const sq = rows > 0
      ? factoredUpdate(gp, rowColumn(row, ADAFACTOR_ROW_VAR), rowColumn(row, ADAFACTOR_COL_VAR), colSums, u, numel, rows,
        cols, c, small, eps1, eps1Sq, bit)
      : vectorUpdate(gp, rowColumn(row, ADAFACTOR_VARIANCE), u, numel, c, small, eps1Sq, bit);
    const ratio = <f64><f32>Math.sqrt(sq) / (Math.sqrt(<f64>numel) * d);
    const denom = ratio > 1 ? ratio : 1; // max(1.0, ratio)
    let stepScale: f32;
    if ((flags & ADAFACTOR_RHO_TENSOR) != 0) stepScale = -(<f32>scale * <f32>rho) / <f32>denom;
    else stepScale = <f32>(-(scale * rho) / denom);
    apply(pp, u, numel, stepScale, decay);
  }
}

/** Σ x² over n values, in f64. */
function sumSquares(p: usize, n: i32): f64 {
  let acc = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) acc = addSquares(acc, v128.load(p + (<usize>i << 2)));
  let s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  for (; i < n; i++) {
    const v = <f64>load<f32>(p + (<usize>i << 2));
    s += v * v;
  }
  return s;
}

/** acc + Σ of the four lanes' squares, in f64 (two lanes per f64x2). */
@inline function addSquares(acc: v128, x: v128): v128 {
  const lo = f64x2.promote_low_f32x4(x), hi = f64x2.promote_low_f32x4(v128.shuffle<f32>(x, x, 2, 3, 2, 3));
  return f64x2.add(acc, f64x2.add(f64x2.mul(lo, lo), f64x2.mul(hi, hi)));
}

/** PyTorch's norm(…).square_().div_(n) of a sum of squares: each step rounded to f32. */
@inline function meanSquare(sum: f64, n: i32): f32 {
  const norm = <f32>Math.sqrt(sum);
  return (norm * norm) / <f32>n;
}

/** rsqrt(max(v, eps1²))·g, rounded as PyTorch's clamp_, rsqrt_, mul_ (NaN stays NaN). */
@inline function scaled(v: f32, g: f32, eps1Sq: f32): f32 {
  const clamped = v < eps1Sq ? eps1Sq : v;
  return (<f32>1 / Mathf.sqrt(clamped)) * g;
}

@inline function scaledV(v: v128, g: v128, epsV: v128): v128 {
  const clamped = v128.bitselect(epsV, v, f32x4.lt(v, epsV));
  return f32x4.mul(f32x4.div(f32x4.splat(1), f32x4.sqrt(clamped)), g);
}

/** p = p·decay + stepScale·U over n values (mul_, then add_ with alpha). */
function apply(pp: usize, u: usize, n: i32, stepScale: f32, decay: f32): void {
  const sV = f32x4.splat(stepScale), dV = f32x4.splat(decay);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(pp + o, f32x4.add(f32x4.mul(v128.load(pp + o), dV), f32x4.mul(sV, v128.load(u + o))));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(pp + o, load<f32>(pp + o) * decay + stepScale * load<f32>(u + o));
  }
}

/** The 1-D path: V = lerp(V, g·g, w), then U into u; returns ‖U‖² (f64). */
function vectorUpdate(gp: usize, vp: usize, u: usize, n: i32, c: f32, small: bool, eps1Sq: f32, bit: u32): f64 {
  const cV = f32x4.splat(c), smallV = lerpSmallMask(small), epsV = f32x4.splat(eps1Sq), sign = i32x4.splat(bit);
  let acc = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const g = v128.xor(v128.load(gp + o), sign);
    const v = lerpV(v128.load(vp + o), f32x4.mul(g, g), cV, smallV);
    v128.store(vp + o, v);
    const x = scaledV(v, g, epsV);
    v128.store(u + o, x);
    acc = addSquares(acc, x);
  }
  let sq = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const g = flipS(load<f32>(gp + o), bit);
    const v = lerpS(load<f32>(vp + o), g * g, c, small);
    store<f32>(vp + o, v);
    const x = scaled(v, g, eps1Sq);
    store<f32>(u + o, x);
    sq += <f64>x * <f64>x;
  }
  return sq;
}

/**
 * The factored path, over each R×C matrix of the last two dims: the row and column moments,
 * then U into u; returns ‖U‖² (f64).
 */
function factoredUpdate(gp: usize, rv: usize, cv: usize, colSums: usize, u: usize, numel: i32, rows: i32, cols: i32,
  c: f32, small: bool, eps1: f32, eps1Sq: f32, bit: u32): f64 {
  const per = rows * cols, batches = per == 0 ? 0 : numel / per;
  const epsV = f32x4.splat(eps1Sq), sign = i32x4.splat(bit);
  let acc = f64x2.splat(0), sq: f64 = 0;
  for (let b = 0; b < batches; b++) {
    const g0 = gp + (<usize>(b * per) << 2), u0 = u + (<usize>(b * per) << 2);
    const r0 = rv + (<usize>(b * rows) << 2), c0 = cv + (<usize>(b * cols) << 2);
    memory.fill(colSums, 0, <usize>cols << 3);
    for (let i = 0; i < rows; i++) {
      const gi = g0 + (<usize>(i * cols) << 2);
      let acc = f64x2.splat(0);
      let j = 0;
      for (; j + 4 <= cols; j += 4) {
        const v = v128.load(gi + (<usize>j << 2));
        const lo = f64x2.promote_low_f32x4(v), hi = f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 2, 3));
        const sl = f64x2.mul(lo, lo), sh = f64x2.mul(hi, hi);
        acc = f64x2.add(acc, f64x2.add(sl, sh));
        const cs = colSums + (<usize>j << 3);
        v128.store(cs, f64x2.add(v128.load(cs), sl));
        v128.store(cs, f64x2.add(v128.load(cs, 16), sh), 16);
      }
      let rs = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
      for (; j < cols; j++) {
        const v = <f64>load<f32>(gi + (<usize>j << 2));
        const s = v * v;
        rs += s;
        const cs = colSums + (<usize>j << 3);
        store<f64>(cs, load<f64>(cs) + s);
      }
      const ri = r0 + (<usize>i << 2);
      store<f32>(ri, lerpS(load<f32>(ri), meanSquare(rs, cols), c, small));
    }
    for (let j = 0; j < cols; j++) {
      const cj = c0 + (<usize>j << 2);
      store<f32>(cj, lerpS(load<f32>(cj), meanSquare(load<f64>(colSums + (<usize>j << 3)), rows), c, small));
    }
    // row_var.mean(dim=-2).clamp_(min=eps1): a sum, then a division, in f32
    let sum: f64 = 0;
    for (let i = 0; i < rows; i++) sum += <f64>load<f32>(r0 + (<usize>i << 2));
    let mean = <f32>sum / <f32>rows;
    if (mean < eps1) mean = eps1;
    const meanV = f32x4.splat(mean);
    // V = R·C / mean (the outer product rounded, then the division), U = rsqrt(max(V, eps1²))·g
    for (let i = 0; i < rows; i++) {
      const off = <usize>(i * cols) << 2;
      const rI = load<f32>(r0 + (<usize>i << 2));
      const rIV = f32x4.splat(rI);
      let j = 0;
      for (; j + 4 <= cols; j += 4) {
        const o = <usize>j << 2;
        const v = f32x4.div(f32x4.mul(rIV, v128.load(c0 + o)), meanV);
        const x = scaledV(v, v128.xor(v128.load(g0 + off + o), sign), epsV);
        v128.store(u0 + off + o, x);
        acc = addSquares(acc, x);
      }
      for (; j < cols; j++) {
        const o = <usize>j << 2;
        const x = scaled((rI * load<f32>(c0 + o)) / mean, flipS(load<f32>(g0 + off + o), bit), eps1Sq);
        store<f32>(u0 + off + o, x);
        sq += <f64>x * <f64>x;
      }
    }
  }
  return sq + f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
}
