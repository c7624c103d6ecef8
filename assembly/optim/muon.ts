// Muon: one call steps a param group of matrices. PyTorch 2.13's _single_tensor_muon on CPU,
// per m×n parameter, in its op order:
//   buf = buf.lerp(g, 1 − μ)                              (f32, fused as PyTorch's lerp)
//   u   = nesterov ? g.lerp(buf, μ) : buf
//   X   = bf16(u), as an r×c matrix (r = min(m, n): transposed when m > n)
//   X   = bf16(X / max(bf16(‖X‖), bf16(eps)))
//   nsSteps times:  G = bf16(X·Xᵀ);  U = bf16(b·G + c·(G·G));  X = bf16(a·X + U·X)
//   p   = p·(1 − lr·wd);  p = fma(−adjustedLr, X (transposed back), p)
// with adjustedLr = lr·√max(1, m/n) ("original", the default) or lr·0.2·√max(m, n)
// ("match_rms_adamw"), or lr. The matrix products are bfloat16.ts's, each summed in the order
// PyTorch's own CPU kernel for its operands' layout sums it (see there for oneDNN's): X is
// contiguous except in the first iteration of a transposed matrix (PyTorch's .T is a view),
// where the Gram matrix sums in order and the product U·X is a dot product along the view.
//
// Not element-wise, so the fused base gives it more than a table: each row carries the
// matrix's rows (MUON_ROWS; n = numel / m), and the call gets a scratch block of
// 3·r·c + 2·r² floats (X, the next X, Xᵀ, G, U) for its largest matrix. X is kept in both
// layouts so that every product reads rows (a product that walks columns with a stride of
// a row is several times slower).
import { fmaS, fmaV, lerpFmaS, lerpFmaV } from "./fma";
import { lerpCoef, lerpSmall, lerpSmallMask } from "./moments";
import { bf16, gemmDots4, gemmDots8, gemmEpilogue, transpose } from "./bfloat16";
import { matmul } from "../matmul";
import { tableRow, rowColumn, rowNumel, rowParam, rowGrad } from "./table";

// The row: numel, param, grad (table.ts), then
export const MUON_MOMENTUM_BUFFER: i32 = 3;
export const MUON_ROWS: i32 = 4; // m, the parameter's size(0)
export const MUON_ROW: i32 = 5;
// Flags (MAXIMIZE and WEIGHT_DECAY do not apply: Muon always decays, as PyTorch's)
export const MUON_NESTEROV: i32 = 4;
export const MUON_ADJUST_ORIGINAL: i32 = 8;         // adjust_lr_fn None or "original"
export const MUON_ADJUST_MATCH_RMS_ADAMW: i32 = 16; // "match_rms_adamw"; neither flag: the lr as is
export const MUON_LR_TENSOR: i32 = 32;              // lr is a float32 tensor: lr·ratio is float32

/** f32 elements of scratch a call needs for an m×n parameter. */
export function muonScratch(m: i32, n: i32): i32 {
  const r = min(m, n), c = max(m, n);
  return 3 * r * c + 2 * r * r;
}

export function muonStep(table: usize, count: i32, scratch: usize, lerpWeight: f32, momentum: f32,
  a: f32, b: f32, c: f32, nsSteps: i32, eps: f32, lr: f64, decay: f32, flags: i32): void {
  for (let row = 0; row < count; row++) {
    const t = tableRow(table, row, MUON_ROW);
    const numel = rowNumel(t), m = load<i32>(t + (<usize>MUON_ROWS << 2));
    const n = m == 0 ? 0 : numel / m;
    const r = min(m, n), cc = max(m, n);
    const x = scratch, y = x + (<usize>(r * cc) << 2), xt = y + (<usize>(r * cc) << 2);
    const g = xt + (<usize>(r * cc) << 2), u = g + (<usize>(r * r) << 2);
    const transposed = m > n;
    momentumToX(rowGrad(t), rowColumn(t, MUON_MOMENTUM_BUFFER), x, xt, m, n, lerpWeight, momentum,
      (flags & MUON_NESTEROV) != 0, transposed);
    normalize(x, xt, r * cc, eps, transposed);
    // X (r×c) and Xᵀ (c×r) are both kept: each product then reads rows, contiguous
    if (!transposed && nsSteps > 0) transpose(x, xt, r, cc);
    let cur = x, next = y;
    for (let it = 0; it < nsSteps; it++) {
      const first = transposed && it == 0;
      // G = X·Xᵀ (r×r, symmetric)
      if (first) matmul(0, cur, xt, g, r, cc, r, 1, 0, 0, 0); // in order along the view
      else gemmDots8(cur, cur, g, r, r, cc, true);
      gemmEpilogue(g, g, r * r, 1, 0);
      // U = b·G + c·(G·G): G's columns are its rows
      gemmDots4(g, g, u, r, r, r, true);
      gemmEpilogue(u, g, r * r, c, b);
      // X = a·X + U·X: X's columns are Xᵀ's rows
      if (first) gemmDots8(u, xt, next, r, cc, r, false);
      else gemmDots4(u, xt, next, r, cc, r, false);
      gemmEpilogue(next, cur, r * cc, 1, a);
      if (it + 1 < nsSteps) transpose(next, xt, r, cc);
      const swap = cur; cur = next; next = swap;
    }
    // the adjusted lr, in f64 as Python's _adjust_lr (float32 from a tensor lr)
    let ratio: f64 = 1;
    if ((flags & MUON_ADJUST_ORIGINAL) != 0) ratio = Math.sqrt(max<f64>(1, <f64>m / <f64>n));
    else if ((flags & MUON_ADJUST_MATCH_RMS_ADAMW) != 0) ratio = 0.2 * Math.sqrt(<f64>max(m, n));
    const negLr: f32 = (flags & MUON_LR_TENSOR) != 0 ? -(<f32>lr * <f32>ratio) : <f32>-(lr * ratio);
    applyUpdate(rowParam(t), cur, m, n, decay, negLr, transposed);
  }
}

/**
 * buf = lerp(buf, g, 1 − μ); u = nesterov ? lerp(g, buf, μ) : buf; X = bf16(u) as r×c (and
 * Xᵀ, the m×n layout, when transposed).
 */
function momentumToX(gp: usize, bp: usize, x: usize, xt: usize, m: i32, n: i32, w: f32, mu: f32,
  nesterov: bool, transposed: bool): void {
  const total = m * n;
  const c1 = lerpCoef(w), small1 = lerpSmall(w), c2 = lerpCoef(mu), small2 = lerpSmall(mu);
  const c1V = f32x4.splat(c1), small1V = lerpSmallMask(small1), c2V = f32x4.splat(c2), small2V = lerpSmallMask(small2);
  const dst = transposed ? xt : x;
  let i = 0;
  for (; i + 4 <= total; i += 4) {
    const o = <usize>i << 2;
    const grad = v128.load(gp + o);
    const buf = lerpFmaV(v128.load(bp + o), grad, c1V, small1V);
    v128.store(bp + o, buf);
    v128.store(dst + o, nesterov ? lerpFmaV(grad, buf, c2V, small2V) : buf);
  }
  for (; i < total; i++) {
    const o = <usize>i << 2;
    const grad = load<f32>(gp + o);
    const buf = lerpFmaS(load<f32>(bp + o), grad, c1, small1);
    store<f32>(bp + o, buf);
    store<f32>(dst + o, nesterov ? lerpFmaS(grad, buf, c2, small2) : buf);
  }
  if (!transposed) return;
  for (let a = 0; a < m; a++) {
    for (let b = 0; b < n; b++) store<f32>(x + (<usize>(b * m + a) << 2), load<f32>(xt + (<usize>(a * n + b) << 2)));
  }
}

/** X = bf16(bf16(X) / max(bf16(‖bf16(X)‖), bf16(eps))), and Xᵀ alike when transposed. */
function normalize(x: usize, xt: usize, total: i32, eps: f32, transposed: bool): void {
  let sum: f64 = 0;
  for (let i = 0; i < total; i++) {
    const o = <usize>i << 2;
    const v = bf16(load<f32>(x + o));
    store<f32>(x + o, v);
    sum += <f64>v * <f64>v;
  }
  // the norm of a bf16 tensor: accumulated in f32 by PyTorch (here f64), rounded to bf16
  let norm = bf16(<f32>Math.sqrt(sum));
  const floor = bf16(eps);
  if (norm < floor) norm = floor; // clamp(min=eps); NaN stays NaN
  for (let i = 0; i < total; i++) {
    const o = <usize>i << 2;
    store<f32>(x + o, bf16(load<f32>(x + o) / norm));
    if (transposed) store<f32>(xt + o, bf16(bf16(load<f32>(xt + o)) / norm));
  }
}

/** p = fma(negLr, O, p·decay), O the r×c result (transposed back when m > n). */
function applyUpdate(pp: usize, o: usize, m: i32, n: i32, decay: f32, negLr: f32, transposed: bool): void {
  const total = m * n;
  if (!transposed) {
    const dV = f32x4.splat(decay), lV = f32x4.splat(negLr);
    let i = 0;
    for (; i + 4 <= total; i += 4) {
      const off = <usize>i << 2;
      v128.store(pp + off, fmaV(lV, v128.load(o + off), f32x4.mul(v128.load(pp + off), dV)));
    }
    for (; i < total; i++) {
      const off = <usize>i << 2;
      store<f32>(pp + off, fmaS(negLr, load<f32>(o + off), load<f32>(pp + off) * decay));
    }
    return;
  }
  for (let a = 0; a < m; a++) {
    for (let b = 0; b < n; b++) {
      const off = <usize>(a * n + b) << 2;
      store<f32>(pp + off, fmaS(negLr, load<f32>(o + (<usize>(b * m + a) << 2)), load<f32>(pp + off) * decay));
    }
  }
}
