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
//   p = fma(−alpha / max(1, ‖U‖ / (√numel·d)), U, p)
// Each value is rounded to f32 where PyTorch holds it in a float32 tensor; the norms and the
// mean are summed in f64 (PyTorch sums in f32 in another order: a difference in the last
// bit). U is computed twice, once for its norm and once for the update, by the same code.
//
// The fused base gives the kernel each row's last two sizes (ADAFACTOR_ROWS = 0 for a
// parameter of fewer than two dimensions, which has a variance instead of the row and column
// moments) and a scratch block of 2·C floats: the column sums, in f64.
import { fmaS, fmaSplatV, lerpFmaS } from "./fma";
import { flipS, lerpCoef, lerpSmall } from "./moments";
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

/** f32 elements of scratch a call needs for a parameter whose last two sizes are these (rows 0 below 2-D). */
export function adafactorScratch(rows: i32, cols: i32): i32 {
  return rows > 0 ? 2 * cols : 0;
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
    let sq: f64;
    if (rows > 0) {
      const rv = rowColumn(row, ADAFACTOR_ROW_VAR), cv = rowColumn(row, ADAFACTOR_COL_VAR);
      sq = factoredMoments(gp, rv, cv, scratch, numel, rows, cols, c, small, eps1, eps1Sq, bit, 0, 0);
    } else {
      sq = variance(gp, rowColumn(row, ADAFACTOR_VARIANCE), numel, c, small, eps1Sq, bit, 0, 0);
    }
    const ratio = <f64><f32>Math.sqrt(sq) / (Math.sqrt(<f64>numel) * d);
    const denom = ratio > 1 ? ratio : 1; // max(1.0, ratio)
    let stepScale: f32;
    if ((flags & ADAFACTOR_RHO_TENSOR) != 0) stepScale = -(<f32>scale * <f32>rho) / <f32>denom;
    else stepScale = <f32>(-(scale * rho) / denom);
    if (rows > 0) {
      factoredMoments(gp, rowColumn(row, ADAFACTOR_ROW_VAR), rowColumn(row, ADAFACTOR_COL_VAR), scratch, numel, rows,
        cols, c, small, eps1, eps1Sq, bit, pp, stepScale, decay);
    } else {
      variance(gp, rowColumn(row, ADAFACTOR_VARIANCE), numel, c, small, eps1Sq, bit, pp, stepScale, decay);
    }
  }
}

/** Σ x² over n values, in f64. */
function sumSquares(p: usize, n: i32): f64 {
  let acc = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(p + (<usize>i << 2));
    const lo = f64x2.promote_low_f32x4(v), hi = f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 2, 3));
    acc = f64x2.add(acc, f64x2.add(f64x2.mul(lo, lo), f64x2.mul(hi, hi)));
  }
  let s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  for (; i < n; i++) {
    const v = <f64>load<f32>(p + (<usize>i << 2));
    s += v * v;
  }
  return s;
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

/**
 * The 1-D path. Without `pp` (0): V = lerp(V, g·g, w), and returns ‖U‖². With `pp`: applies
 * p = fma(stepScale, U, p·decay), U from the V just stored.
 */
function variance(gp: usize, vp: usize, n: i32, c: f32, small: bool, eps1Sq: f32, bit: u32, pp: usize,
  stepScale: f32, decay: f32 = 1): f64 {
  let sq: f64 = 0;
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const g = flipS(load<f32>(gp + o), bit);
    if (pp == 0) {
      const v = lerpFmaS(load<f32>(vp + o), g * g, c, small);
      store<f32>(vp + o, v);
      const u = <f64>scaled(v, g, eps1Sq);
      sq += u * u;
    } else {
      store<f32>(pp + o, fmaS(stepScale, scaled(load<f32>(vp + o), g, eps1Sq), load<f32>(pp + o) * decay));
    }
  }
  return sq;
}

/**
 * The factored path, over each R×C matrix of the last two dims. Without `pp` (0): updates the
 * row and column moments and returns ‖U‖². With `pp`: applies p = fma(stepScale, U, p·decay).
 */
function factoredMoments(gp: usize, rv: usize, cv: usize, colSums: usize, numel: i32, rows: i32, cols: i32,
  c: f32, small: bool, eps1: f32, eps1Sq: f32, bit: u32, pp: usize, stepScale: f32, decay: f32 = 1): f64 {
  const per = rows * cols, batches = per == 0 ? 0 : numel / per;
  let sq: f64 = 0, sqV = f64x2.splat(0);
  const sV = f64x2.splat(<f64>stepScale), dV = f32x4.splat(decay);
  for (let b = 0; b < batches; b++) {
    const g0 = gp + (<usize>(b * per) << 2), r0 = rv + (<usize>(b * rows) << 2), c0 = cv + (<usize>(b * cols) << 2);
    if (pp == 0) {
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
          const sqj = v * v;
          rs += sqj;
          const cs = colSums + (<usize>j << 3);
          store<f64>(cs, load<f64>(cs) + sqj);
        }
        const ri = r0 + (<usize>i << 2);
        store<f32>(ri, lerpFmaS(load<f32>(ri), meanSquare(rs, cols), c, small));
      }
      for (let j = 0; j < cols; j++) {
        const cj = c0 + (<usize>j << 2);
        store<f32>(cj, lerpFmaS(load<f32>(cj), meanSquare(load<f64>(colSums + (<usize>j << 3)), rows), c, small));
      }
    }
    // row_var.mean(dim=-2).clamp_(min=eps1): a sum, then a division, in f32
    let sum: f64 = 0;
    for (let i = 0; i < rows; i++) sum += <f64>load<f32>(r0 + (<usize>i << 2));
    let mean = <f32>sum / <f32>rows;
    if (mean < eps1) mean = eps1;
    const meanV = f32x4.splat(mean), epsV = f32x4.splat(eps1Sq), one = f32x4.splat(1);
    for (let i = 0; i < rows; i++) {
      const gi = g0 + (<usize>(i * cols) << 2);
      const rI = load<f32>(r0 + (<usize>i << 2));
      const rIV = f32x4.splat(rI);
      const pi = pp + (<usize>(b * per + i * cols) << 2);
      let j = 0;
      for (; j + 4 <= cols; j += 4) {
        const o = <usize>j << 2;
        const v = f32x4.div(f32x4.mul(rIV, v128.load(c0 + o)), meanV);
        const clamped = v128.bitselect(epsV, v, f32x4.lt(v, epsV));
        const g = v128.xor(v128.load(gi + o), i32x4.splat(bit));
        const u = f32x4.mul(f32x4.div(one, f32x4.sqrt(clamped)), g);
        if (pp == 0) {
          const lo = f64x2.promote_low_f32x4(u), hi = f64x2.promote_low_f32x4(v128.shuffle<f32>(u, u, 2, 3, 2, 3));
          sqV = f64x2.add(sqV, f64x2.add(f64x2.mul(lo, lo), f64x2.mul(hi, hi)));
        } else {
          v128.store(pi + o, fmaSplatV(sV, u, f32x4.mul(v128.load(pi + o), dV)));
        }
      }
      for (; j < cols; j++) {
        const o = <usize>j << 2;
        const u = scaled((rI * load<f32>(c0 + o)) / mean, flipS(load<f32>(gi + o), bit), eps1Sq);
        if (pp == 0) sq += <f64>u * <f64>u;
        else store<f32>(pi + o, fmaS(stepScale, u, load<f32>(pi + o) * decay));
      }
    }
  }
  return sq + f64x2.extract_lane(sqV, 0) + f64x2.extract_lane(sqV, 1);
}
