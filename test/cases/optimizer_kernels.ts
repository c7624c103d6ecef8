// Every fused kernel against a plain-JS float32 reference of PyTorch's op order (every
// operation rounded with Math.fround; a·b + c rounded once where PyTorch fuses it and the
// kernel does too), bit for bit, at lengths that exercise the SIMD body and the scalar tail
// (0, 1, 3, 4, 5, 15, 16, 17, 1023), for option mixes that take every branch of each kernel.
// The golden fixtures check the same formulas against PyTorch, but only on small tensors.
import * as torch from "../../build/torchlet.js";
import { assertEqual } from "./assert.ts";
import { ready } from "./optimizers.ts";

// deno-lint-ignore no-explicit-any
type Any = any;
const optim: Any = torch.optim;
const f = Math.fround;
const LENGTHS = [0, 1, 3, 4, 5, 15, 16, 17, 1023];
const STEPS = 8; // RAdam's ρ_t passes 5 at step 6 (β2 = 0.999) or 7 (β2 = 0.9)

/** Deterministic values in about [-1, 1] with some exact zeros. */
export function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed * 7919 + 13;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    out[i] = i % 11 === 5 ? 0 : (s / 1073741824 - 1);
  }
  return out;
}

type St = Record<string, Any>;
type Ref = (o: Any, p: Float32Array, g: Float32Array, st: St) => void;

/** a·b + c rounded once to float32 (the product of two float32 is exact in a double). */
const fma = (a: number, b: number, c: number): number => f(a * b + c);
const zeros = (st: St, key: string, n: number, fill = 0): Float32Array => (st[key] ??= new Float32Array(n).fill(fill));

const lerp = (self: number, end: number, w32: number): number =>
  Math.abs(w32) < 0.5 ? f(self + f(w32 * f(end - self))) : f(end - f(f(end - self) * f(1 - w32)));
const sign = (x: number): number => (x > 0 ? 1 : 0) - (x < 0 ? 1 : 0); // torch.sign: 0 for ±0 and NaN

/**
 * schedulefree's per-group schedule at the next step (f64, as its Python floats): the lr
 * after warmup, and ckp1, the weight of the new point in the average.
 */
function scheduleFree(o: Any, st: St): { lr: number; ckp1: number; k: number } {
  const k = st.k ?? 0;
  const lr = o.lr * (k < o.warmupSteps ? (k + 1) / o.warmupSteps : 1);
  st.lrMax = Math.max(lr, st.lrMax ?? -1);
  const weight = (k + 1) ** o.r * st.lrMax ** o.weightLrPower;
  st.weightSum = (st.weightSum ?? 0) + weight;
  st.k = k + 1;
  return { lr, ckp1: st.weightSum === 0 ? 0 : weight / st.weightSum, k };
}

/** y and z after a ScheduleFree step on the normalised gradient `gn` of element i (z starts as the param). */
function scheduleFreeMove(p: Float32Array, z: Float32Array, i: number, gn: number, lr: number, ckp1: number, beta1: number): void {
  p[i] = f(lerp(p[i], z[i], f(ckp1)) + f(f(lr * (beta1 * (1 - ckp1) - 1)) * gn));
  z[i] = f(z[i] + f(f(-lr) * gn));
}

/**
 * Σx² as the LAMB kernel sums it: float32 squares in four float32 lanes (element i in lane
 * i mod 4) over blocks of 64 elements, each block's lanes then added in f64, and the elements
 * after the last whole group of four squared in f64.
 */
function lambSquares(x: ArrayLike<number>): number {
  const body = x.length - (x.length % 4);
  let total = 0, acc = [0, 0, 0, 0];
  const flush = () => { total += (acc[0] + acc[2]) + (acc[1] + acc[3]); acc = [0, 0, 0, 0]; };
  for (let i = 0; i < body; i += 4) {
    for (let j = 0; j < 4; j++) acc[j] = f(acc[j] + f(x[i + j] * x[i + j]));
    if (i % 64 === 60) flush();
  }
  flush();
  for (let i = body; i < x.length; i++) total += x[i] * x[i];
  return total;
}

/** One element's grad after maximize and coupled weight decay. */
const gradOf = (o: Any, g: number, p: number, coupled: boolean): number => {
  let x = o.maximize ? -g : g;
  if (coupled && o.weightDecay !== 0) x = f(x + f(f(o.weightDecay) * p));
  return x;
};

const REFS: Record<string, Ref> = {
  SGD(o, p, g, st) {
    const first = st.buf === undefined;
    if (o.momentum !== 0 && first) st.buf = new Float32Array(p.length);
    for (let i = 0; i < p.length; i++) {
      let x = gradOf(o, g[i], p[i], true);
      if (o.momentum !== 0) {
        const b = first ? x : f(f(st.buf[i] * f(o.momentum)) + f(f(1 - o.dampening) * x));
        st.buf[i] = b;
        x = o.nesterov ? f(x + f(f(o.momentum) * b)) : b;
      }
      p[i] = f(p[i] + f(f(-o.lr) * x));
    }
  },
  Adam(o, p, g, st) {
    const t = (st.step = (st.step ?? 0) + 1);
    st.m ??= new Float32Array(p.length); st.v ??= new Float32Array(p.length); st.x ??= new Float32Array(p.length);
    const [b1, b2] = o.betas;
    const decoupled = o.decoupledWeightDecay && o.weightDecay !== 0;
    const decay = f(decoupled ? 1 - o.lr * o.weightDecay : 1);
    const nss = f(-(o.lr / (1 - b1 ** t))), bc2s = f((1 - b2 ** t) ** 0.5);
    for (let i = 0; i < p.length; i++) {
      const x = gradOf(o, g[i], p[i], !decoupled);
      const q = f(p[i] * decay);
      const m = (st.m[i] = lerp(st.m[i], x, f(1 - b1)));
      const v = (st.v[i] = f(f(st.v[i] * f(b2)) + f(f(f(1 - b2) * x) * x)));
      const vh = o.amsgrad ? (st.x[i] = Math.max(st.x[i], v)) : v;
      const den = f(f(f(Math.sqrt(vh)) / bc2s) + f(o.eps));
      p[i] = f(q + f(f(nss * m) / den));
    }
  },
  Adamax(o, p, g, st) {
    const t = (st.step = (st.step ?? 0) + 1);
    st.m ??= new Float32Array(p.length); st.u ??= new Float32Array(p.length);
    const [b1, b2] = o.betas;
    const nclr = f(-(o.lr / (1 - b1 ** t)));
    for (let i = 0; i < p.length; i++) {
      const x = gradOf(o, g[i], p[i], true);
      const m = (st.m[i] = lerp(st.m[i], x, f(1 - b1)));
      const u = (st.u[i] = Math.max(f(st.u[i] * f(b2)), f(Math.abs(x) + f(o.eps))));
      p[i] = f(p[i] + f(f(nclr * m) / u));
    }
  },
  NAdam(o, p, g, st) {
    const t = (st.step = (st.step ?? 0) + 1);
    st.m ??= new Float32Array(p.length); st.v ??= new Float32Array(p.length); st.mp ??= 1;
    const [b1, b2] = o.betas;
    const mu = b1 * (1 - 0.5 * 0.96 ** (t * o.momentumDecay));
    const muNext = b1 * (1 - 0.5 * 0.96 ** ((t + 1) * o.momentumDecay));
    st.mp = f(f(st.mp) * f(mu));
    const c1 = f(-o.lr * (1 - mu) / (1 - st.mp)), c2 = f((-o.lr * muNext) / (1 - st.mp * muNext));
    const decoupled = o.decoupledWeightDecay && o.weightDecay !== 0;
    const decay = f(decoupled ? 1 - o.lr * o.weightDecay : 1), bc2 = f(1 - b2 ** t);
    for (let i = 0; i < p.length; i++) {
      const x = gradOf(o, g[i], p[i], !decoupled);
      let q = f(p[i] * decay);
      const m = (st.m[i] = lerp(st.m[i], x, f(1 - b1)));
      const v = (st.v[i] = f(f(st.v[i] * f(b2)) + f(f(f(1 - b2) * x) * x)));
      const d = f(f(Math.sqrt(f(v / bc2))) + f(o.eps));
      q = f(q + f(f(c1 * x) / d));
      p[i] = f(q + f(f(c2 * m) / d));
    }
  },
  RAdam(o, p, g, st) {
    const t = (st.step = (st.step ?? 0) + 1);
    st.m ??= new Float32Array(p.length); st.v ??= new Float32Array(p.length);
    const [b1, b2] = o.betas;
    const bc1 = 1 - b1 ** t, bc2 = 1 - b2 ** t;
    const rhoInf = 2 / (1 - b2) - 1, rhoT = rhoInf - 2 * t * b2 ** t / bc2;
    const rect = f(((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT)) ** 0.5);
    const decoupled = o.decoupledWeightDecay && o.weightDecay !== 0;
    const decay = f(decoupled ? 1 - o.lr * o.weightDecay : 1);
    for (let i = 0; i < p.length; i++) {
      const x = gradOf(o, g[i], p[i], !decoupled);
      const q = f(p[i] * decay);
      const m = (st.m[i] = lerp(st.m[i], x, f(1 - b1)));
      const v = (st.v[i] = f(f(st.v[i] * f(b2)) + f(f(f(1 - b2) * x) * x)));
      let u = f(f(m / f(bc1)) * f(o.lr));
      if (rhoT > 5) {
        const adaptive = f(f(1 / f(f(Math.sqrt(v)) + f(o.eps))) * f(bc2 ** 0.5)); // reciprocal(·)·scalar
        u = f(f(u * adaptive) * rect);
      }
      p[i] = f(q - u);
    }
  },
  Adadelta(o, p, g, st) {
    const v = zeros(st, "v", p.length), u = zeros(st, "u", p.length);
    for (let i = 0; i < p.length; i++) {
      const x = gradOf(o, g[i], p[i], true);
      v[i] = f(f(v[i] * f(o.rho)) + f(f(f(1 - o.rho) * x) * x));
      const std = f(Math.sqrt(f(v[i] + f(o.eps))));
      const delta = f(f(f(Math.sqrt(f(u[i] + f(o.eps)))) / std) * x);
      u[i] = f(f(u[i] * f(o.rho)) + f(f(f(1 - o.rho) * delta) * delta));
      p[i] = f(p[i] + f(f(-o.lr) * delta));
    }
  },
  Adagrad(o, p, g, st) {
    const t = (st.step = (st.step ?? 0) + 1);
    const s = zeros(st, "s", p.length, o.initialAccumulatorValue);
    const clr = f(-(o.lr / (1 + (t - 1) * o.lrDecay)));
    for (let i = 0; i < p.length; i++) {
      const x = gradOf(o, g[i], p[i], true);
      s[i] = f(s[i] + f(x * x));
      p[i] = f(p[i] + f(f(clr * x) / f(f(Math.sqrt(s[i])) + f(o.eps))));
    }
  },
  ASGD(o, p, g, st) {
    // PyTorch's add-with-alpha rounds a·b + c once (fma); ASGD's kernel does the same
    const t = (st.step = (st.step ?? 0) + 1);
    const eta = (st.eta ??= f(o.lr)), mu = (st.mu ??= 1);
    const ax = zeros(st, "ax", p.length);
    for (let i = 0; i < p.length; i++) {
      let x = o.maximize ? -g[i] : g[i];
      if (o.weightDecay !== 0) x = fma(f(o.weightDecay), p[i], x);
      p[i] = fma(f(-eta), x, f(p[i] * f(1 - o.lambd * eta)));
      ax[i] = f(mu) !== 1 ? f(ax[i] + f(f(p[i] - ax[i]) * f(mu))) : p[i];
    }
    st.eta = f(o.lr / (1 + o.lambd * o.lr * t) ** o.alpha);
    st.mu = f(1 / Math.max(1, t - o.t0));
  },
  RMSprop(o, p, g, st) {
    const v = zeros(st, "v", p.length), b = zeros(st, "b", p.length), ga = zeros(st, "ga", p.length);
    for (let i = 0; i < p.length; i++) {
      const x = gradOf(o, g[i], p[i], true);
      v[i] = f(f(v[i] * f(o.alpha)) + f(f(f(1 - o.alpha) * x) * x));
      let avg: number;
      if (o.centered) {
        ga[i] = lerp(ga[i], x, f(1 - o.alpha));
        avg = f(Math.sqrt(f(v[i] + f(f(-1 * ga[i]) * ga[i]))));
      } else avg = f(Math.sqrt(v[i]));
      avg = f(avg + f(o.eps));
      if (o.momentum > 0) {
        b[i] = f(f(b[i] * f(o.momentum)) + f(x / avg));
        p[i] = f(p[i] + f(f(-o.lr) * b[i]));
      } else p[i] = f(p[i] + f(f(f(-o.lr) * x) / avg));
    }
  },
  Lion(o, p, g, st) {
    const m = zeros(st, "m", p.length);
    const [b1, b2] = o.betas;
    const decay = f(1 - o.lr * (o.decoupledWeightDecay ? o.weightDecay / o.lr : o.weightDecay));
    for (let i = 0; i < p.length; i++) {
      const u = sign(f(f(m[i] * f(b1)) + f(f(1 - b1) * g[i])));
      p[i] = f(f(p[i] * decay) + f(-o.lr) * u);
      m[i] = f(f(m[i] * f(b2)) + f(f(1 - b2) * g[i]));
    }
  },
  LAMB(o, p, g, st) {
    // one param: the global grad norm is its own
    const t = (st.step = (st.step ?? 0) + 1);
    const m = zeros(st, "m", p.length), v = zeros(st, "v", p.length);
    const [b1, b2] = o.betas;
    let gradNorm = 1;
    if (o.preNorm && o.maxGradNorm !== 0) {
      const norm = f(Math.sqrt(g.reduce((s, x) => s + f(x * x), 0)));
      gradNorm = Math.min(f(f(1 / f(f(Math.sqrt(f(norm * norm))) + f(o.eps))) * f(o.maxGradNorm)), 1);
    }
    let stepSize = o.lr, adaptive = false;
    if (o.rectify) {
      const max = 2 / (1 - b2) - 1, b2t = b2 ** t, nSma = max - 2 * t * b2t / (1 - b2t);
      adaptive = nSma >= o.nSmaThreshold;
      stepSize *= adaptive ? Math.sqrt((1 - b2t) * (nSma - 4) / (max - 4) * (nSma - 2) / nSma * max / (max - 2))
        : o.degeneratedToSgd ? 1 : -1;
    }
    stepSize /= 1 - b1 ** t;
    const s = f(-stepSize), eps = f(o.eps);
    const coupled = !o.rectify && !o.weightDecouple && o.weightDecay !== 0;
    const decay = o.weightDecouple && (o.rectify || o.weightDecay !== 0) ? f(1 - o.weightDecay * (o.fixedDecay ? 1 : o.lr)) : 1;
    const den = (i: number) => f(f(Math.sqrt(v[i])) + eps);
    const u = new Float32Array(p.length);
    for (let i = 0; i < p.length; i++) {
      let x = o.maximize ? -g[i] : g[i];
      if (o.preNorm) x = f(x / f(gradNorm));
      if (coupled) x = f(x + f(f(o.weightDecay) * p[i]));
      p[i] = f(p[i] * decay);
      m[i] = f(f(m[i] * f(b1)) + f(f(o.gradAveraging ? 1 - b1 : 1) * x));
      v[i] = f(f(v[i] * f(b2)) + f(f(f(1 - b2) * x) * x));
      u[i] = !o.rectify ? f(m[i] * f(1 / den(i))) : adaptive ? f(p[i] + f(f(s * m[i]) / den(i))) : f(p[i] + f(s * m[i]));
    }
    const wn = Math.min(f(Math.sqrt(lambSquares(p))), 10), un = f(Math.sqrt(lambSquares(u)));
    const ratio = wn === 0 || un === 0 ? 1 : f(wn / f(un + eps));
    const used = o.adam ? 1 : ratio;
    const a = o.rectify ? f(s * used) : f(-stepSize * used);
    for (let i = 0; i < p.length; i++) {
      p[i] = !o.rectify ? f(p[i] + f(a * f(m[i] * f(1 / den(i))))) : adaptive ? f(p[i] + f(f(a * m[i]) / den(i))) : f(p[i] + f(a * m[i]));
    }
  },
  ScheduleFreeSGD(o, p, g, st) {
    const z: Float32Array = (st.z ??= p.slice());
    const { lr, ckp1 } = scheduleFree(o, st);
    for (let i = 0; i < p.length; i++) {
      const x = o.weightDecay !== 0 ? f(g[i] + f(f(o.weightDecay) * p[i])) : g[i];
      scheduleFreeMove(p, z, i, x, lr, ckp1, o.momentum);
    }
  },
  ScheduleFreeAdamW(o, p, g, st) {
    const z: Float32Array = (st.z ??= p.slice());
    const v = zeros(st, "v", p.length), m = zeros(st, "m", p.length);
    const { lr, ckp1, k } = scheduleFree(o, st);
    const [b1, b2] = o.betas, mu = o.innerMomentum;
    const bc2 = f(1 - b2 ** (k + 1)), bc1 = f(mu !== 0 ? 1 - mu ** (k + 1) : 1);
    for (let i = 0; i < p.length; i++) {
      v[i] = f(f(v[i] * f(b2)) + f(f(f(1 - b2) * g[i]) * g[i]));
      const d = f(f(Math.sqrt(f(v[i] / bc2))) + f(o.eps));
      let gn: number;
      if (mu !== 0) {
        m[i] = f(f(m[i] * f(mu)) + f(f(1 - mu) * g[i]));
        gn = f(f(m[i] / bc1) / d);
      } else gn = f(g[i] / d);
      if (o.weightDecay !== 0) gn = f(gn + f(f(o.weightDecay) * p[i]));
      scheduleFreeMove(p, z, i, gn, lr, ckp1, b1);
    }
  },
  Rprop(o, p, g, st) {
    const prev = zeros(st, "prev", p.length), size = zeros(st, "size", p.length, f(o.lr));
    const [em, ep] = o.etas.map(f), [lo, hi] = o.stepSizes.map(f);
    for (let i = 0; i < p.length; i++) {
      let x = o.maximize ? -g[i] : g[i];
      const prod = f(x * prev[i]);
      const s = prod > 0 ? ep : prod < 0 ? em : 1;
      size[i] = Math.min(Math.max(f(size[i] * s), lo), hi);
      if (s === em) x = 0;
      prev[i] = x;
      p[i] = f(p[i] + f(f(-1 * Math.sign(x)) * size[i]));
    }
  },
};

// Option mixes per optimizer; every one is complete (the reference reads each option).
const SGD0 = { lr: 0.1, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false };
const ADAM0 = { lr: 0.05, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false, decoupledWeightDecay: false };
const ADADELTA0 = { lr: 0.7, rho: 0.8, eps: 1e-3, weightDecay: 0, maximize: false };
const ADAGRAD0 = { lr: 0.3, lrDecay: 0.05, weightDecay: 0, initialAccumulatorValue: 0.5, eps: 1e-3, maximize: false };
const ASGD0 = { lr: 0.05, lambd: 0.01, alpha: 0.75, t0: 1e6, weightDecay: 0, maximize: false };
const RMSPROP0 = { lr: 0.01, alpha: 0.99, eps: 1e-4, weightDecay: 0, momentum: 0, centered: false, maximize: false };
const RPROP0 = { lr: 0.05, etas: [0.5, 1.2], stepSizes: [1e-3, 1], maximize: false };
const LAMB0 = {
  lr: 0.01, betas: [0.9, 0.999], weightDecay: 0, weightDecouple: true, fixedDecay: false, rectify: false, degeneratedToSgd: false,
  nSmaThreshold: 5, gradAveraging: true, maxGradNorm: 1, adam: false, preNorm: false, eps: 1e-6, maximize: false,
};
const SFSGD0 = { lr: 0.05, momentum: 0.9, weightDecay: 0, warmupSteps: 0, r: 0, weightLrPower: 2 };
const SFADAMW0 = { lr: 0.05, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, warmupSteps: 0, r: 0, weightLrPower: 2, innerMomentum: 0 };
const MIXES: [string, string, Any][] = [
  ["SGD", "SGD", SGD0],
  ["SGD", "SGD", { ...SGD0, momentum: 0.9, dampening: 0.2, weightDecay: 0.1, maximize: true }],
  ["SGD", "SGD", { ...SGD0, momentum: 0.8, nesterov: true }],
  ["SGD", "SGD", { ...SGD0, momentum: 0.8, nesterov: true, weightDecay: 0.05 }],
  ["Adam", "Adam", ADAM0],
  ["Adam", "Adam", { ...ADAM0, betas: [0.3, 0.9], weightDecay: 0.1, amsgrad: true, maximize: true }],
  ["Adam", "Adam", { ...ADAM0, weightDecay: 0.2, decoupledWeightDecay: true, amsgrad: true }],
  ["AdamW", "Adam", { ...ADAM0, weightDecay: 0.01, decoupledWeightDecay: true }],
  ["Adamax", "Adamax", { lr: 0.02, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, maximize: false }],
  ["Adamax", "Adamax", { lr: 0.02, betas: [0.2, 0.9], eps: 1e-3, weightDecay: 0.1, maximize: true }],
  ["NAdam", "NAdam", { lr: 0.02, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, momentumDecay: 4e-3, decoupledWeightDecay: false, maximize: false }],
  ["NAdam", "NAdam", { lr: 0.02, betas: [0.4, 0.9], eps: 1e-6, weightDecay: 0.1, momentumDecay: 0.01, decoupledWeightDecay: false, maximize: true }],
  ["NAdam", "NAdam", { lr: 0.02, betas: [0.9, 0.99], eps: 1e-8, weightDecay: 0.1, momentumDecay: 4e-3, decoupledWeightDecay: true, maximize: false }],
  ["RAdam", "RAdam", { lr: 0.02, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, decoupledWeightDecay: false, maximize: false }],
  ["RAdam", "RAdam", { lr: 0.02, betas: [0.3, 0.9], eps: 1e-6, weightDecay: 0.1, decoupledWeightDecay: false, maximize: true }],
  ["RAdam", "RAdam", { lr: 0.02, betas: [0.9, 0.95], eps: 1e-8, weightDecay: 0.2, decoupledWeightDecay: true, maximize: false }],
  ["Adadelta", "Adadelta", ADADELTA0],
  ["Adadelta", "Adadelta", { ...ADADELTA0, weightDecay: 0.1, maximize: true }],
  ["Adagrad", "Adagrad", ADAGRAD0],
  ["Adagrad", "Adagrad", { ...ADAGRAD0, weightDecay: 0.2, maximize: true }],
  ["ASGD", "ASGD", ASGD0],
  ["ASGD", "ASGD", { ...ASGD0, weightDecay: 0.1, maximize: true, t0: 2 }],
  ["RMSprop", "RMSprop", RMSPROP0],
  ["RMSprop", "RMSprop", { ...RMSPROP0, alpha: 0.3, weightDecay: 0.1, momentum: 0.9, centered: true }],
  ["RMSprop", "RMSprop", { ...RMSPROP0, alpha: 0.9, centered: true, maximize: true }],
  ["RMSprop", "RMSprop", { ...RMSPROP0, momentum: 0.5, weightDecay: 0.1 }],
  ["Rprop", "Rprop", RPROP0],
  ["Rprop", "Rprop", { ...RPROP0, etas: [0.3, 1.5], maximize: true }],
  // etaminus rounds to 1 in float32: PyTorch's `s == etaminus` then holds where s is 1 too
  ["Rprop", "Rprop", { ...RPROP0, etas: [0.99999999, 1.2] }],
  ["Lion", "Lion", { lr: 0.01, betas: [0.9, 0.99], weightDecay: 0, decoupledWeightDecay: false }],
  ["Lion", "Lion", { lr: 0.02, betas: [0.5, 0.9], weightDecay: 0.1, decoupledWeightDecay: true }],
  ["LAMB", "LAMB", LAMB0],
  ["LAMB", "LAMB", { ...LAMB0, weightDecay: 0.1, weightDecouple: false, preNorm: true, maxGradNorm: 0.5, gradAveraging: false, maximize: true }],
  ["LAMB", "LAMB", { ...LAMB0, weightDecay: 0.05, betas: [0.9, 0.999], lr: 0.05 }],
  // ρ_t reaches 4 at step 5: the per-parameter path's two branches
  ["LAMB", "LAMB", { ...LAMB0, betas: [0.9, 0.9], weightDecay: 0.05, fixedDecay: true, rectify: true, degeneratedToSgd: true, nSmaThreshold: 4 }],
  // the rectified step size is −lr until ρ_t reaches 5 (step 7); a coupled decay is dropped on that path
  ["LAMB", "LAMB", { ...LAMB0, betas: [0.5, 0.8], rectify: true, adam: true, weightDecay: 0.01, weightDecouple: false, preNorm: true }],
  ["ScheduleFreeSGD", "ScheduleFreeSGD", SFSGD0],
  ["ScheduleFreeSGD", "ScheduleFreeSGD", { ...SFSGD0, momentum: 0.4, weightDecay: 0.1, warmupSteps: 3, r: 1, weightLrPower: 1.5 }],
  ["ScheduleFreeAdamW", "ScheduleFreeAdamW", SFADAMW0],
  ["ScheduleFreeAdamW", "ScheduleFreeAdamW",
    { ...SFADAMW0, betas: [0.5, 0.9], eps: 1e-4, weightDecay: 0.1, warmupSteps: 3, r: 0.5, innerMomentum: 0.9 }],
];

/** ScheduleFree's eval() and train(): x = lerp(y, z, 1 − 1/β1), y = lerp(x, z, 1 − β1). */
const SWAPS: Record<string, (o: Any) => number> = {
  ScheduleFreeSGD: (o) => o.momentum,
  ScheduleFreeAdamW: (o) => o.betas[0],
};

export const tests: Record<string, () => void | Promise<void>> = {};
MIXES.forEach(([name, ref, o], mi) => {
  tests[`${name} kernel equals a float32 reference, mix ${mi}, lengths ${LENGTHS.join(" ")}`] = () => {
    const options = name === "AdamW" ? (({ decoupledWeightDecay: _d, ...rest }) => rest)(o) : o;
    for (const n of LENGTHS) {
      const p = torch.tensor(values(n, n + 1), { shape: [n], requiresGrad: true });
      const opt = ready(new optim[name]([p], options));
      const want = values(n, n + 1);
      const st: St = {};
      for (let t = 0; t < STEPS; t++) {
        const g = values(n, 100 * (t + 1) + n);
        p.grad = torch.tensor(g, { shape: [n] });
        opt.step();
        REFS[ref](o, want, g, st);
        assertEqual(p.toArray(), want, `${name} mix ${mi}, length ${n}, step ${t + 1}`);
      }
      if (SWAPS[ref] !== undefined) {
        const beta1 = SWAPS[ref](o);
        for (const [mode, w] of [["eval", 1 - 1 / beta1], ["train", 1 - beta1]] as const) {
          opt[mode]();
          want.forEach((y, i) => { want[i] = lerp(y, st.z[i], f(w)); });
          assertEqual(p.toArray(), want, `${name} mix ${mi}, length ${n}, after ${mode}()`);
        }
      }
    }
  };
});

tests["a group's params stepped unequally: one kernel call per step count, same as stepping apart"] = () => {
  for (const name of ["Adam", "Adamax", "NAdam", "RAdam"]) {
    const a = torch.tensor(values(17, 1), { shape: [17], requiresGrad: true });
    const b = torch.tensor(values(5, 2), { shape: [5], requiresGrad: true });
    const a2 = torch.tensor(values(17, 1), { shape: [17], requiresGrad: true });
    const b2 = torch.tensor(values(5, 2), { shape: [5], requiresGrad: true });
    const together = new optim[name]([a, b], { lr: 0.01 });
    const apartA = new optim[name]([a2], { lr: 0.01 });
    const apartB = new optim[name]([b2], { lr: 0.01 });
    for (let t = 0; t < 5; t++) {
      const ga = values(17, 10 + t), gb = values(5, 20 + t);
      a.grad = torch.tensor(ga, { shape: [17] });
      a2.grad = torch.tensor(ga, { shape: [17] });
      b.grad = t < 2 ? null : torch.tensor(gb, { shape: [5] }); // b joins at step 3
      b2.grad = t < 2 ? null : torch.tensor(gb, { shape: [5] });
      together.step(); apartA.step(); apartB.step();
      assertEqual(a.toArray(), a2.toArray(), `${name}: a at step ${t + 1}`);
      assertEqual(b.toArray(), b2.toArray(), `${name}: b at step ${t + 1}`);
    }
    assertEqual(together.state.get(a).step, 5, `${name}: a's step`);
    assertEqual(together.state.get(b).step, 3, `${name}: b's step`);
  }
};
