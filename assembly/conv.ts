// 2-D convolution (1-D is 2-D with height 1) by im2col and the SIMD matmul, one sample at a
// time inside one call (a whole batch's columns would not fit for 28×28 inputs), forward
// and backward. Tensors are contiguous NCHW; weight [O, C/groups, kh, kw].
import { matmul } from "./matmul";

// Geometry, written by the host as 14 i32s: N, C, H, W, O, groups, kh, kw, sh, sw, ph, pw, dh, dw
// (then Ho, Wo at 14, 15).
@inline function g(p: usize, i: i32): i32 { return load<i32>(p + (<usize>i << 2)); }

// cols [Cg·kh·kw, Ho·Wo] of channels c0..c0+Cg of one sample x (C, H, W); zeros for padding.
function im2col(x: usize, cols: usize, c0: i32, Cg: i32, H: i32, W: i32, kh: i32, kw: i32, sh: i32, sw: i32,
  ph: i32, pw: i32, dh: i32, dw: i32, Ho: i32, Wo: i32): void {
  const HW = Ho * Wo;
  let row = 0;
  for (let c = 0; c < Cg; c++) {
    const plane = x + (<usize>((c0 + c) * H * W) << 2);
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const dst = cols + (<usize>(row * HW) << 2);
        for (let oh = 0; oh < Ho; oh++) {
          const ih = oh * sh - ph + i * dh;
          const d = dst + (<usize>(oh * Wo) << 2);
          if (ih < 0 || ih >= H) { memory.fill(d, 0, <usize>Wo << 2); continue; }
          const src = plane + (<usize>(ih * W) << 2);
          for (let ow = 0; ow < Wo; ow++) {
            const iw = ow * sw - pw + j * dw;
            store<f32>(d + (<usize>ow << 2), iw >= 0 && iw < W ? load<f32>(src + (<usize>iw << 2)) : 0);
          }
        }
        row++;
      }
    }
  }
}

// The reverse: dx (C, H, W) of one sample += cols scattered back (channels c0..c0+Cg).
function col2im(cols: usize, dx: usize, c0: i32, Cg: i32, H: i32, W: i32, kh: i32, kw: i32, sh: i32, sw: i32,
  ph: i32, pw: i32, dh: i32, dw: i32, Ho: i32, Wo: i32): void {
  const HW = Ho * Wo;
  let row = 0;
  for (let c = 0; c < Cg; c++) {
    const plane = dx + (<usize>((c0 + c) * H * W) << 2);
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const src = cols + (<usize>(row * HW) << 2);
        for (let oh = 0; oh < Ho; oh++) {
          const ih = oh * sh - ph + i * dh;
          if (ih < 0 || ih >= H) continue;
          const s = src + (<usize>(oh * Wo) << 2);
          const d = plane + (<usize>(ih * W) << 2);
          for (let ow = 0; ow < Wo; ow++) {
            const iw = ow * sw - pw + j * dw;
            if (iw >= 0 && iw < W) {
              const p = d + (<usize>iw << 2);
              store<f32>(p, load<f32>(p) + load<f32>(s + (<usize>ow << 2)));
            }
          }
        }
        row++;
      }
    }
  }
}

// out (N, O, Ho, Wo) = conv(x, w) (+ bias added by the host). cols: Cg·kh·kw·Ho·Wo floats.
export function conv2dForward(x: usize, w: usize, out: usize, cols: usize, geom: usize): void {
  const N = g(geom, 0), C = g(geom, 1), H = g(geom, 2), W = g(geom, 3), O = g(geom, 4), G = g(geom, 5);
  const kh = g(geom, 6), kw = g(geom, 7), sh = g(geom, 8), sw = g(geom, 9), ph = g(geom, 10), pw = g(geom, 11);
  const dh = g(geom, 12), dw = g(geom, 13), Ho = g(geom, 14), Wo = g(geom, 15);
  const Cg = C / G, Og = O / G, K = Cg * kh * kw, HW = Ho * Wo;
  for (let n = 0; n < N; n++) {
    const xn = x + (<usize>(n * C * H * W) << 2);
    for (let gi = 0; gi < G; gi++) {
      im2col(xn, cols, gi * Cg, Cg, H, W, kh, kw, sh, sw, ph, pw, dh, dw, Ho, Wo);
      // out[n, group rows] = W_g [Og, K] · cols [K, HW]
      matmul(0, w + (<usize>(gi * Og * K) << 2), cols, out + (<usize>((n * O + gi * Og) * HW) << 2), Og, K, HW, 1, 0, 0, 0);
    }
  }
}

// dx (zeroed by the host) and dw (overwritten) from gout (N, O, Ho, Wo). Scratch: cols
// (K·HW floats) and dwTmp (Og·K floats). Either output pointer may be 0 (not needed).
export function conv2dBackward(x: usize, w: usize, gout: usize, dx: usize, dwOut: usize, cols: usize, dwTmp: usize, geom: usize): void {
  const N = g(geom, 0), C = g(geom, 1), H = g(geom, 2), W = g(geom, 3), O = g(geom, 4), G = g(geom, 5);
  const kh = g(geom, 6), kw = g(geom, 7), sh = g(geom, 8), sw = g(geom, 9), ph = g(geom, 10), pw = g(geom, 11);
  const dh = g(geom, 12), dw = g(geom, 13), Ho = g(geom, 14), Wo = g(geom, 15);
  const Cg = C / G, Og = O / G, K = Cg * kh * kw, HW = Ho * Wo;
  if (dwOut != 0) memory.fill(dwOut, 0, <usize>(O * K) << 2);
  for (let n = 0; n < N; n++) {
    const xn = x + (<usize>(n * C * H * W) << 2);
    const dxn = dx + (<usize>(n * C * H * W) << 2);
    for (let gi = 0; gi < G; gi++) {
      const gn = gout + (<usize>((n * O + gi * Og) * HW) << 2);
      const wg = w + (<usize>(gi * Og * K) << 2);
      if (dwOut != 0) {
        // dW_g += g_n [Og, HW] · cols_nᵀ
        im2col(xn, cols, gi * Cg, Cg, H, W, kh, kw, sh, sw, ph, pw, dh, dw, Ho, Wo);
        matmul(2, gn, cols, dwTmp, Og, HW, K, 1, 0, 0, 0);
        const dst = dwOut + (<usize>(gi * Og * K) << 2);
        const m = Og * K;
        let i = 0;
        for (; i + 4 <= m; i += 4) {
          const o = <usize>i << 2;
          v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(dwTmp + o)));
        }
        for (; i < m; i++) {
          const o = <usize>i << 2;
          store<f32>(dst + o, load<f32>(dst + o) + load<f32>(dwTmp + o));
        }
      }
      if (dx != 0) {
        // dcols = W_gᵀ [K, Og] · g_n [Og, HW], scattered back into dx
        matmul(1, wg, gn, cols, K, Og, HW, 1, 0, 0, 0);
        col2im(cols, dxn, gi * Cg, Cg, H, W, kh, kw, sh, sw, ph, pw, dh, dw, Ho, Wo);
      }
    }
  }
}
