// 2-D pooling over contiguous (planes, H, W) — planes = N·C — forward and backward: max
// (with the argmax of each window, PyTorch's index into the input plane), average (with
// PyTorch's count_include_pad and divisor_override), and adaptive average.

// Geometry, written by the host as i32s: planes, H, W, kh, kw, sh, sw, ph, pw, dh, dw, Ho, Wo.
@inline function g(p: usize, i: i32): i32 { return load<i32>(p + (<usize>i << 2)); }

export function maxPool2dForward(x: usize, out: usize, idx: usize, geom: usize): void {
  const P = g(geom, 0), H = g(geom, 1), W = g(geom, 2), kh = g(geom, 3), kw = g(geom, 4), sh = g(geom, 5), sw = g(geom, 6);
  const ph = g(geom, 7), pw = g(geom, 8), dh = g(geom, 9), dw = g(geom, 10), Ho = g(geom, 11), Wo = g(geom, 12);
  for (let p = 0; p < P; p++) {
    const plane = x + (<usize>(p * H * W) << 2);
    for (let oh = 0; oh < Ho; oh++) {
      for (let ow = 0; ow < Wo; ow++) {
        let best: f32 = -Infinity;
        let at = -1;
        for (let i = 0; i < kh; i++) {
          const ih = oh * sh - ph + i * dh;
          if (ih < 0 || ih >= H) continue;
          for (let j = 0; j < kw; j++) {
            const iw = ow * sw - pw + j * dw;
            if (iw < 0 || iw >= W) continue;
            const v = load<f32>(plane + (<usize>(ih * W + iw) << 2));
            // PyTorch's rule: a larger value or a NaN takes the window (so ties keep the
            // first, and the last NaN wins); the index starts at the first valid position
            if (at < 0) at = ih * W + iw;
            if (v > best || v != v) { best = v; at = ih * W + iw; }
          }
        }
        const o = <usize>((p * Ho + oh) * Wo + ow);
        store<f32>(out + (o << 2), best);
        store<i32>(idx + (o << 2), at);
      }
    }
  }
}

// dx (zeroed by the host) += gout scattered to each window's argmax.
export function maxPool2dBackward(gout: usize, idx: usize, dx: usize, P: i32, HW: i32, HoWo: i32): void {
  for (let p = 0; p < P; p++) {
    const d = dx + (<usize>(p * HW) << 2);
    for (let q = 0; q < HoWo; q++) {
      const o = <usize>(p * HoWo + q) << 2;
      const at = load<i32>(idx + o);
      if (at < 0) continue;
      const t = d + (<usize>at << 2);
      store<f32>(t, load<f32>(t) + load<f32>(gout + o));
    }
  }
}

// The divisor of one average-pooling window, as PyTorch's avg_pool2d computes it.
@inline function avgDivisor(oh: i32, ow: i32, H: i32, W: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32,
  countIncludePad: i32, divisorOverride: i32): i32 {
  if (divisorOverride > 0) return divisorOverride;
  let h0 = oh * sh - ph, w0 = ow * sw - pw;
  let h1 = min(h0 + kh, H + ph), w1 = min(w0 + kw, W + pw);
  const poolSize = (h1 - h0) * (w1 - w0);
  h0 = max(h0, 0); w0 = max(w0, 0);
  h1 = min(h1, H); w1 = min(w1, W);
  return countIncludePad ? poolSize : (h1 - h0) * (w1 - w0);
}

export function avgPool2dForward(x: usize, out: usize, geom: usize, countIncludePad: i32, divisorOverride: i32): void {
  const P = g(geom, 0), H = g(geom, 1), W = g(geom, 2), kh = g(geom, 3), kw = g(geom, 4), sh = g(geom, 5), sw = g(geom, 6);
  const ph = g(geom, 7), pw = g(geom, 8), Ho = g(geom, 11), Wo = g(geom, 12);
  for (let p = 0; p < P; p++) {
    const plane = x + (<usize>(p * H * W) << 2);
    for (let oh = 0; oh < Ho; oh++) {
      for (let ow = 0; ow < Wo; ow++) {
        const h0 = max(oh * sh - ph, 0), w0 = max(ow * sw - pw, 0);
        const h1 = min(oh * sh - ph + kh, H), w1 = min(ow * sw - pw + kw, W);
        let s: f32 = 0;
        for (let ih = h0; ih < h1; ih++) for (let iw = w0; iw < w1; iw++) s += load<f32>(plane + (<usize>(ih * W + iw) << 2));
        const div = avgDivisor(oh, ow, H, W, kh, kw, sh, sw, ph, pw, countIncludePad, divisorOverride);
        store<f32>(out + (<usize>((p * Ho + oh) * Wo + ow) << 2), s / <f32>div);
      }
    }
  }
}

export function avgPool2dBackward(gout: usize, dx: usize, geom: usize, countIncludePad: i32, divisorOverride: i32): void {
  const P = g(geom, 0), H = g(geom, 1), W = g(geom, 2), kh = g(geom, 3), kw = g(geom, 4), sh = g(geom, 5), sw = g(geom, 6);
  const ph = g(geom, 7), pw = g(geom, 8), Ho = g(geom, 11), Wo = g(geom, 12);
  for (let p = 0; p < P; p++) {
    const plane = dx + (<usize>(p * H * W) << 2);
    for (let oh = 0; oh < Ho; oh++) {
      for (let ow = 0; ow < Wo; ow++) {
        const h0 = max(oh * sh - ph, 0), w0 = max(ow * sw - pw, 0);
        const h1 = min(oh * sh - ph + kh, H), w1 = min(ow * sw - pw + kw, W);
        const div = avgDivisor(oh, ow, H, W, kh, kw, sh, sw, ph, pw, countIncludePad, divisorOverride);
        const v = load<f32>(gout + (<usize>((p * Ho + oh) * Wo + ow) << 2)) / <f32>div;
        for (let ih = h0; ih < h1; ih++) for (let iw = w0; iw < w1; iw++) {
          const t = plane + (<usize>(ih * W + iw) << 2);
          store<f32>(t, load<f32>(t) + v);
        }
      }
    }
  }
}

// Adaptive average pooling: window i covers [floor(i·H/Ho), ceil((i+1)·H/Ho)).
@inline function start(i: i32, n: i32, out: i32): i32 { return <i32>Math.floor(<f64>(i * n) / <f64>out); }
@inline function end(i: i32, n: i32, out: i32): i32 { return <i32>Math.ceil(<f64>((i + 1) * n) / <f64>out); }

export function adaptiveAvgPool2d(x: usize, out: usize, P: i32, H: i32, W: i32, Ho: i32, Wo: i32, backward: i32): void {
  for (let p = 0; p < P; p++) {
    const plane = x + (<usize>(p * H * W) << 2);
    for (let oh = 0; oh < Ho; oh++) {
      const h0 = start(oh, H, Ho), h1 = end(oh, H, Ho);
      for (let ow = 0; ow < Wo; ow++) {
        const w0 = start(ow, W, Wo), w1 = end(ow, W, Wo);
        const count = <f32>((h1 - h0) * (w1 - w0));
        const o = out + (<usize>((p * Ho + oh) * Wo + ow) << 2);
        if (backward) {
          // backward: x is the input grad (zeroed, written), out the output grad (read)
          const v = load<f32>(o) / count;
          for (let ih = h0; ih < h1; ih++) for (let iw = w0; iw < w1; iw++) {
            const t = plane + (<usize>(ih * W + iw) << 2);
            store<f32>(t, load<f32>(t) + v);
          }
        } else {
          let s: f32 = 0;
          for (let ih = h0; ih < h1; ih++) for (let iw = w0; iw < w1; iw++) s += load<f32>(plane + (<usize>(ih * W + iw) << 2));
          store<f32>(o, s / count);
        }
      }
    }
  }
}
