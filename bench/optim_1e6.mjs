// Step timings of Adadelta, Adagrad, ASGD, RMSprop (plain, and centered with momentum),
// Rprop, Adafactor (a 1000×1000 matrix: its factored moments; and a vector), Muon (a
// 250×4000 matrix) and the optimizers beyond PyTorch (Lion, LAMB, ScheduleFreeAdamW,
// ScheduleFreeSGD) at 1e6 parameters in one tensor, beside a plain-JS Float32Array loop of the
// same formula in the same run (median ms per step). Target: ≥ 5× the plain-JS loop.
// Muon's step is five Newton–Schulz iterations of matrix products (about 4.4e9
// multiply-adds at this shape): it runs fewer times.
//
// The plain-JS loops run first: once wasm memory grows (a non-shared grow detaches its old
// ArrayBuffer) V8 slows every typed-array loop in the process, and the baseline should not
// pay for that.
import { time, table, fmtMs } from "./util.mjs";

const N = 1_000_000;

// Plain-JS steps of PyTorch's formulas at the options below (f64 arithmetic on f32 arrays).
const JS = {
  Adadelta: {
    options: { lr: 1, rho: 0.9, eps: 1e-6, weightDecay: 0.01 },
    state: (n) => ({ v: new Float32Array(n), u: new Float32Array(n) }),
    step(p, g, s) {
      const lr = 1, rho = 0.9, eps = 1e-6, wd = 0.01, v = s.v, u = s.u;
      for (let i = 0; i < p.length; i++) {
        const gi = g[i] + wd * p[i];
        const vi = (v[i] = v[i] * rho + (1 - rho) * gi * gi);
        const d = (Math.sqrt(u[i] + eps) / Math.sqrt(vi + eps)) * gi;
        u[i] = u[i] * rho + (1 - rho) * d * d;
        p[i] -= lr * d;
      }
    },
  },
  Adagrad: {
    options: { lr: 1e-2, lrDecay: 1e-3 },
    state: (n) => ({ s: new Float32Array(n), t: 0 }),
    step(p, g, st) {
      const t = ++st.t, clr = 1e-2 / (1 + (t - 1) * 1e-3), eps = 1e-10, s = st.s;
      for (let i = 0; i < p.length; i++) {
        const gi = g[i];
        const si = (s[i] = s[i] + gi * gi);
        p[i] -= (clr * gi) / (Math.sqrt(si) + eps);
      }
    },
  },
  ASGD: {
    options: { lr: 1e-2, t0: 0 },
    state: (n) => ({ ax: new Float32Array(n), t: 0, eta: 1e-2, mu: 1 }),
    step(p, g, st) {
      const lambd = 1e-4, eta = st.eta, mu = st.mu, ax = st.ax, decay = 1 - lambd * eta;
      for (let i = 0; i < p.length; i++) {
        const pi = (p[i] = p[i] * decay - eta * g[i]);
        ax[i] = mu !== 1 ? ax[i] + (pi - ax[i]) * mu : pi;
      }
      const t = ++st.t;
      st.eta = 1e-2 / (1 + lambd * 1e-2 * t) ** 0.75;
      st.mu = 1 / Math.max(1, t);
    },
  },
  RMSprop: {
    options: { lr: 1e-2 },
    state: (n) => ({ v: new Float32Array(n) }),
    step(p, g, s) {
      const lr = 1e-2, alpha = 0.99, eps = 1e-8, v = s.v;
      for (let i = 0; i < p.length; i++) {
        const gi = g[i];
        const vi = (v[i] = v[i] * alpha + (1 - alpha) * gi * gi);
        p[i] -= (lr * gi) / (Math.sqrt(vi) + eps);
      }
    },
  },
  "RMSprop centered, momentum": {
    name: "RMSprop",
    options: { lr: 1e-2, centered: true, momentum: 0.9 },
    state: (n) => ({ v: new Float32Array(n), ga: new Float32Array(n), b: new Float32Array(n) }),
    step(p, g, s) {
      const lr = 1e-2, alpha = 0.99, eps = 1e-8, mom = 0.9, v = s.v, ga = s.ga, b = s.b;
      for (let i = 0; i < p.length; i++) {
        const gi = g[i];
        const vi = (v[i] = v[i] * alpha + (1 - alpha) * gi * gi);
        const gai = (ga[i] = ga[i] + (1 - alpha) * (gi - ga[i]));
        const bi = (b[i] = b[i] * mom + gi / (Math.sqrt(vi - gai * gai) + eps));
        p[i] -= lr * bi;
      }
    },
  },
  "Adafactor, 1000×1000": {
    name: "Adafactor",
    shape: [1000, 1000],
    options: { lr: 1e-2, weightDecay: 0.01 },
    state: (n) => ({ r: new Float32Array(1000), c: new Float32Array(1000), u: new Float32Array(n), cs: new Float64Array(1000), t: 0 }),
    step(p, g, s) {
      const R = 1000, C = 1000, n = p.length, t = ++s.t, lr = 1e-2, eps1 = 2 ** -23, eps2 = 1e-3, wd = 0.01;
      const w = t ** -0.8, rho = Math.min(lr, 1 / Math.sqrt(t));
      let pp = 0;
      for (let i = 0; i < n; i++) pp += p[i] * p[i];
      const alpha = Math.max(eps2, Math.sqrt(pp / n)) * rho;
      const r = s.r, c = s.c, u = s.u, cs = s.cs.fill(0);
      for (let i = 0; i < R; i++) {
        let rs = 0;
        for (let j = 0; j < C; j++) { const q = g[i * C + j] ** 2; rs += q; cs[j] += q; }
        r[i] += w * (rs / C - r[i]);
      }
      let mean = 0;
      for (let j = 0; j < C; j++) c[j] += w * (cs[j] / R - c[j]);
      for (let i = 0; i < R; i++) mean += r[i];
      mean = Math.max(mean / R, eps1);
      let uu = 0;
      for (let i = 0; i < R; i++) {
        for (let j = 0; j < C; j++) {
          const k = i * C + j, v = u[k] = g[k] / Math.sqrt(Math.max(r[i] * c[j] / mean, eps1 * eps1));
          uu += v * v;
        }
      }
      const step = alpha / Math.max(1, Math.sqrt(uu / n)), decay = 1 - lr * wd;
      for (let i = 0; i < n; i++) p[i] = p[i] * decay - step * u[i];
    },
  },
  "Adafactor, a vector": {
    name: "Adafactor",
    options: { lr: 1e-2 },
    state: (n) => ({ v: new Float32Array(n), u: new Float32Array(n), t: 0 }),
    step(p, g, s) {
      const n = p.length, t = ++s.t, lr = 1e-2, eps1 = 2 ** -23, eps2 = 1e-3, v = s.v, u = s.u;
      const w = t ** -0.8, rho = Math.min(lr, 1 / Math.sqrt(t));
      let pp = 0;
      for (let i = 0; i < n; i++) pp += p[i] * p[i];
      const alpha = Math.max(eps2, Math.sqrt(pp / n)) * rho;
      let uu = 0;
      for (let i = 0; i < n; i++) {
        const vi = (v[i] += w * (g[i] * g[i] - v[i]));
        const x = u[i] = g[i] / Math.sqrt(Math.max(vi, eps1 * eps1));
        uu += x * x;
      }
      const step = alpha / Math.max(1, Math.sqrt(uu / n));
      for (let i = 0; i < n; i++) p[i] -= step * u[i];
    },
  },
  // Plain JS in f32 arrays without bfloat16 rounding (which would only add work): momentum,
  // the normalisation, five iterations of X ← aX + (bA + cA²)X with A = XXᵀ, the update.
  "Muon, 250×4000": {
    name: "Muon",
    shape: [250, 4000],
    options: { lr: 0.02 },
    runs: { runs: 3, warmup: 0 },
    state: (n) => ({ b: new Float32Array(n), x: new Float32Array(n), y: new Float32Array(n),
      a: new Float32Array(250 * 250), a2: new Float32Array(250 * 250) }),
    step(p, g, s) {
      const M = 250, N = 4000, n = p.length, mu = 0.95, lr = 0.02, wd = 0.1, [ca, cb, cc] = [3.4445, -4.775, 2.0315];
      let { x, y } = s;
      const { b, a, a2 } = s;
      let norm = 0;
      for (let i = 0; i < n; i++) {
        b[i] += (1 - mu) * (g[i] - b[i]);
        x[i] = g[i] + mu * (b[i] - g[i]);
        norm += x[i] * x[i];
      }
      norm = Math.max(Math.sqrt(norm), 1e-7);
      for (let i = 0; i < n; i++) x[i] /= norm;
      for (let it = 0; it < 5; it++) {
        for (let i = 0; i < M; i++) {
          for (let j = i; j < M; j++) {
            let d = 0;
            for (let k = 0; k < N; k++) d += x[i * N + k] * x[j * N + k];
            a[i * M + j] = a[j * M + i] = d;
          }
        }
        for (let i = 0; i < M; i++) {
          for (let j = 0; j < M; j++) {
            let d = 0;
            for (let k = 0; k < M; k++) d += a[i * M + k] * a[k * M + j];
            a2[i * M + j] = cb * a[i * M + j] + cc * d;
          }
        }
        for (let i = 0; i < M; i++) {
          for (let j = 0; j < N; j++) y[i * N + j] = ca * x[i * N + j];
          for (let k = 0; k < M; k++) {
            const f = a2[i * M + k];
            for (let j = 0; j < N; j++) y[i * N + j] += f * x[k * N + j];
          }
        }
        [x, y] = [y, x];
      }
      s.x = x; s.y = y;
      const decay = 1 - lr * wd;
      for (let i = 0; i < n; i++) p[i] = p[i] * decay - lr * x[i];
    },
  },
  Rprop: {
    options: { lr: 1e-2 },
    state: (n) => ({ prev: new Float32Array(n), ss: new Float32Array(n).fill(1e-2) }),
    step(p, g, s) {
      const em = 0.5, ep = 1.2, lo = 1e-6, hi = 50, prev = s.prev, ss = s.ss;
      for (let i = 0; i < p.length; i++) {
        let gi = g[i];
        const prod = gi * prev[i];
        const f = prod > 0 ? ep : prod < 0 ? em : 1;
        const st = (ss[i] = Math.min(Math.max(ss[i] * f, lo), hi));
        if (prod < 0) gi = 0;
        p[i] -= Math.sign(gi) * st;
        prev[i] = gi;
      }
    },
  },
  // beyond PyTorch, at their references' defaults (ScheduleFree: a fixed schedule step, k = 1)
  Lion: {
    options: { lr: 1e-4, weightDecay: 0.01 },
    state: (n) => ({ m: new Float32Array(n) }),
    step(p, g, s) {
      const lr = 1e-4, b1 = 0.9, b2 = 0.99, decay = 1 - lr * 0.01, m = s.m;
      for (let i = 0; i < p.length; i++) {
        const c = b1 * m[i] + (1 - b1) * g[i];
        p[i] = p[i] * decay - lr * Math.sign(c);
        m[i] = b2 * m[i] + (1 - b2) * g[i];
      }
    },
  },
  LAMB: {
    options: { weightDecay: 0.01 },
    state: (n) => ({ m: new Float32Array(n), v: new Float32Array(n), t: 0 }),
    step(p, g, s) {
      const t = ++s.t, lr = 1e-3, b1 = 0.9, b2 = 0.999, eps = 1e-6, decay = 1 - 0.01 * lr, m = s.m, v = s.v;
      let pn = 0, un = 0;
      for (let i = 0; i < p.length; i++) {
        const gi = g[i], pi = (p[i] = p[i] * decay);
        const mi = (m[i] = b1 * m[i] + (1 - b1) * gi), vi = (v[i] = b2 * v[i] + (1 - b2) * gi * gi);
        const u = mi / (Math.sqrt(vi) + eps);
        pn += pi * pi;
        un += u * u;
      }
      const wn = Math.min(Math.sqrt(pn), 10), r = wn === 0 || un === 0 ? 1 : wn / (Math.sqrt(un) + eps);
      const a = (lr / (1 - b1 ** t)) * r;
      for (let i = 0; i < p.length; i++) p[i] -= (a * m[i]) / (Math.sqrt(v[i]) + eps);
    },
  },
  ScheduleFreeAdamW: {
    options: { weightDecay: 0.01 },
    state: (n) => ({ z: new Float32Array(n), v: new Float32Array(n) }),
    step(p, g, s) {
      const lr = 0.0025, b1 = 0.9, b2 = 0.999, eps = 1e-8, wd = 0.01, c = 0.5, bc2 = 1 - b2 ** 2, z = s.z, v = s.v;
      const yc = lr * (b1 * (1 - c) - 1);
      for (let i = 0; i < p.length; i++) {
        const gi = g[i], vi = (v[i] = v[i] * b2 + (1 - b2) * gi * gi);
        const gn = gi / (Math.sqrt(vi / bc2) + eps) + wd * p[i];
        p[i] = p[i] + c * (z[i] - p[i]) + yc * gn;
        z[i] -= lr * gn;
      }
    },
  },
  ScheduleFreeSGD: {
    options: { lr: 0.1, weightDecay: 0.01 },
    state: (n) => ({ z: new Float32Array(n) }),
    step(p, g, s) {
      const lr = 0.1, mom = 0.9, wd = 0.01, c = 0.5, yc = lr * (mom * (1 - c) - 1), z = s.z;
      for (let i = 0; i < p.length; i++) {
        const gi = g[i] + wd * p[i];
        p[i] = p[i] + c * (z[i] - p[i]) + yc * gi;
        z[i] -= lr * gi;
      }
    },
  },
};

const fill = (a, seed) => { for (let i = 0; i < a.length; i++) a[i] = Math.sin(i * 0.37 + seed); return a; };
const opts = { runs: 31, warmup: 5 };

// 1. plain JS, before the wasm memory grows
const jsMs = {};
for (const [label, spec] of Object.entries(JS)) {
  const p = fill(new Float32Array(N), 0), g = fill(new Float32Array(N), 0.5), s = spec.state(N);
  jsMs[label] = time(() => spec.step(p, g, s), spec.runs ?? opts);
}

// 2. torchlet
const torch = await import("../build/torchlet.js");
const rows = [["optimizer", "size", "torchlet", "plain JS", "speed-up"]];
for (const [label, spec] of Object.entries(JS)) {
  const shape = spec.shape ?? [N];
  const p = torch.tensor(fill(new Float32Array(N), 0), { shape, requiresGrad: true });
  p.grad = torch.tensor(fill(new Float32Array(N), 0.5), { shape });
  const opt = new torch.optim[spec.name ?? label]([p], spec.options);
  opt.train?.(); // ScheduleFree's start in eval mode
  const tl = time(() => opt.step(), spec.runs ?? opts);
  rows.push([label, "1e6 params, 1 tensor", fmtMs(tl), fmtMs(jsMs[label]), `${(jsMs[label] / tl).toFixed(1)}×`]);
}
table(rows);
console.log("\nmedian per step; target ≥ 5× plain JS at 1e6 params");
