// Optimizer step timings: Adam, SGD with momentum, RMSprop and Adagrad at 1e6 parameters in
// one tensor and at 1e4 parameters in 100 tensors, beside a plain-JS Float32Array loop of
// the same formula, in the same run (median ms per step).
//
// The plain-JS loops run first: once wasm memory grows (a non-shared grow detaches its old
// ArrayBuffer), V8 slows every typed-array loop in the process for good (DESIGN.md), and
// the baseline should not pay for that.
import { time, table, fmtMs } from "./util.mjs";

const SIZES = [
  { label: "1e6 params, 1 tensor", tensors: 1, each: 1_000_000 },
  { label: "1e4 params, 100 tensors", tensors: 100, each: 100 },
];

// Plain-JS steps, PyTorch's formulas at the default options (the bench's options below).
const JS = {
  Adam: {
    options: { lr: 1e-3 },
    state: (n) => ({ m: new Float32Array(n), v: new Float32Array(n), t: 0 }),
    step(ps, gs, ss) {
      const st0 = ss[0];
      const t = ++st0.t;
      for (let k = 1; k < ss.length; k++) ss[k].t = t;
      const b1 = 0.9, b2 = 0.999, lr = 1e-3, eps = 1e-8;
      const bc1 = 1 - b1 ** t, bc2s = Math.sqrt(1 - b2 ** t), ss_ = lr / bc1;
      for (let k = 0; k < ps.length; k++) {
        const p = ps[k], g = gs[k], m = ss[k].m, v = ss[k].v;
        for (let i = 0; i < p.length; i++) {
          const gi = g[i];
          const mi = (m[i] = m[i] + (1 - b1) * (gi - m[i]));
          const vi = (v[i] = v[i] * b2 + (1 - b2) * gi * gi);
          p[i] -= (ss_ * mi) / (Math.sqrt(vi) / bc2s + eps);
        }
      }
    },
  },
  "SGD (momentum 0.9)": {
    name: "SGD",
    options: { lr: 1e-3, momentum: 0.9 },
    state: (n) => ({ b: new Float32Array(n) }),
    step(ps, gs, ss) {
      const lr = 1e-3, mu = 0.9;
      for (let k = 0; k < ps.length; k++) {
        const p = ps[k], g = gs[k], b = ss[k].b;
        for (let i = 0; i < p.length; i++) {
          const bi = (b[i] = b[i] * mu + g[i]);
          p[i] -= lr * bi;
        }
      }
    },
  },
  RMSprop: {
    options: { lr: 1e-2 },
    state: (n) => ({ v: new Float32Array(n) }),
    step(ps, gs, ss) {
      const lr = 1e-2, alpha = 0.99, eps = 1e-8;
      for (let k = 0; k < ps.length; k++) {
        const p = ps[k], g = gs[k], v = ss[k].v;
        for (let i = 0; i < p.length; i++) {
          const gi = g[i];
          const vi = (v[i] = v[i] * alpha + (1 - alpha) * gi * gi);
          p[i] -= (lr * gi) / (Math.sqrt(vi) + eps);
        }
      }
    },
  },
  Adagrad: {
    options: { lr: 1e-2 },
    state: (n) => ({ s: new Float32Array(n), t: 0 }),
    step(ps, gs, ss) {
      const t = ++ss[0].t;
      const lr = 1e-2, lrDecay = 0, eps = 1e-10;
      const clr = lr / (1 + (t - 1) * lrDecay);
      for (let k = 0; k < ps.length; k++) {
        const p = ps[k], g = gs[k], s = ss[k].s;
        for (let i = 0; i < p.length; i++) {
          const gi = g[i];
          const si = (s[i] = s[i] + gi * gi);
          p[i] -= (clr * gi) / (Math.sqrt(si) + eps);
        }
      }
    },
  },
};

const fill = (a, seed) => { for (let i = 0; i < a.length; i++) a[i] = Math.sin(i * 0.37 + seed); return a; };
const runsFor = (size) => (size.each >= 1e6 ? { runs: 31, warmup: 5 } : { runs: 41 });

// 1. plain JS, before the wasm memory grows
const jsMs = {};
for (const [label, spec] of Object.entries(JS)) {
  for (const size of SIZES) {
    const ps = [], gs = [], ss = [];
    for (let k = 0; k < size.tensors; k++) {
      ps.push(fill(new Float32Array(size.each), k));
      gs.push(fill(new Float32Array(size.each), k + 0.5));
      ss.push(spec.state(size.each));
    }
    jsMs[`${label}|${size.label}`] = time(() => spec.step(ps, gs, ss), runsFor(size));
  }
}

// 2. torchlet
const torch = await import("../build/torchlet.js");
const rows = [["optimizer", "size", "torchlet", "plain JS", "speed-up"]];
for (const [label, spec] of Object.entries(JS)) {
  const cls = torch.optim[spec.name ?? label];
  for (const size of SIZES) {
    const js = jsMs[`${label}|${size.label}`];
    if (cls === undefined) {
      rows.push([label, size.label, "(absent)", fmtMs(js), "—"]);
      continue;
    }
    const params = [];
    for (let k = 0; k < size.tensors; k++) {
      const p = torch.tensor(fill(new Float32Array(size.each), k), { shape: [size.each], requiresGrad: true });
      p.grad = torch.tensor(fill(new Float32Array(size.each), k + 0.5), { shape: [size.each] });
      params.push(p);
    }
    const opt = new cls(params, spec.options);
    const tl = time(() => opt.step(), runsFor(size));
    rows.push([label, size.label, fmtMs(tl), fmtMs(js), `${(js / tl).toFixed(1)}×`]);
  }
}
table(rows);
console.log("\nmedian per step; target ≥ 5× plain JS at 1e6 params (DESIGN.md: Adam ≥ 6×)");
