// Optimizer steps: Adam at several sizes in one tensor and spread over 100 tensors; SGD with
// momentum, RMSprop and Adagrad at 1e6 params in one tensor and 1e4 in 100 tensors (where
// per-tensor overhead shows). Each competitor steps the same parameters with the same fixed
// gradient, with PyTorch's options (tfjs's and the plain-JS loops' set to the same numbers).
import { params, grads, sample } from "../lib/data.mjs";
import { libraryOf } from "../lib/sides.mjs";

// Each optimizer as torchlet, tfjs and plain JS write it. A plain-JS optimizer is
// { state(n), begin() once per step, update(p, g, state) per tensor }.
const OPTIMIZERS = {
  adam: {
    name: "Adam",
    torchlet: (torch, ps) => new torch.optim.Adam(ps, { lr: 1e-3 }),
    // tfjs's epsilon defaults to 1e-7; PyTorch's is 1e-8.
    tfjs: (tf) => tf.train.adam(1e-3, 0.9, 0.999, 1e-8),
    js: () => {
      const lr = 1e-3, b1 = 0.9, b2 = 0.999, eps = 1e-8;
      let t = 0;
      return {
        state: (n) => ({ m: new Float32Array(n), v: new Float32Array(n) }),
        begin() { t++; },
        update(p, g, s) {
          const bc1 = 1 - b1 ** t, bc2Sqrt = Math.sqrt(1 - b2 ** t), stepSize = lr / bc1;
          const { m, v } = s;
          for (let i = 0; i < p.length; i++) {
            const gi = g[i];
            const mi = (m[i] = m[i] + (1 - b1) * (gi - m[i]));
            const vi = (v[i] = v[i] * b2 + (1 - b2) * gi * gi);
            p[i] -= (stepSize * mi) / (Math.sqrt(vi) / bc2Sqrt + eps);
          }
        },
      };
    },
  },
  sgd: {
    name: "SGD (momentum 0.9)",
    torchlet: (torch, ps) => new torch.optim.SGD(ps, { lr: 1e-2, momentum: 0.9 }),
    tfjs: (tf) => tf.train.momentum(1e-2, 0.9),
    js: () => ({
      state: (n) => ({ buf: new Float32Array(n) }),
      begin() {},
      update(p, g, { buf }) {
        const lr = 1e-2, mu = 0.9;
        for (let i = 0; i < p.length; i++) {
          const bi = (buf[i] = buf[i] * mu + g[i]); // the first step's buf = g, as PyTorch's
          p[i] -= lr * bi;
        }
      },
    }),
  },
  rmsprop: {
    name: "RMSprop",
    torchlet: (torch, ps) => new torch.optim.RMSprop(ps, { lr: 1e-2 }),
    // PyTorch's alpha 0.99 and eps 1e-8 (tfjs adds eps inside the square root; with
    // |g| ≥ 0.1 the difference is below 1e-4 relative).
    tfjs: (tf) => tf.train.rmsprop(1e-2, 0.99, 0, 1e-8),
    js: () => ({
      state: (n) => ({ v: new Float32Array(n) }),
      begin() {},
      update(p, g, { v }) {
        const lr = 1e-2, alpha = 0.99, eps = 1e-8;
        for (let i = 0; i < p.length; i++) {
          const gi = g[i];
          const vi = (v[i] = v[i] * alpha + (1 - alpha) * gi * gi);
          p[i] -= (lr * gi) / (Math.sqrt(vi) + eps);
        }
      },
    }),
  },
  adagrad: {
    name: "Adagrad",
    torchlet: (torch, ps) => new torch.optim.Adagrad(ps, { lr: 1e-2 }),
    // PyTorch's initial accumulator is 0 (tfjs's default 0.1).
    tfjs: (tf) => tf.train.adagrad(1e-2, 0),
    js: () => {
      let t = 0;
      return {
        state: (n) => ({ sum: new Float32Array(n) }),
        begin() { t++; },
        update(p, g, { sum }) {
          const lr = 1e-2, lrDecay = 0, eps = 1e-10;
          const clr = lr / (1 + (t - 1) * lrDecay);
          for (let i = 0; i < p.length; i++) {
            const gi = g[i];
            const si = (sum[i] = sum[i] + gi * gi);
            p[i] -= (clr * gi) / (Math.sqrt(si) + eps);
          }
        },
      };
    },
  },
};

/** The plain-JS loop of an optimizer (for hand-written training steps too). */
export const plainJsOptimizer = (opt) => OPTIMIZERS[opt].js();

const fmtCount = (n) => `1e${Math.round(Math.log10(n))}`;

function optimWorkload(opt, total, tensors, targets = []) {
  const each = total / tensors;
  const adam = opt === "adam";
  return {
    id: `${opt}-${fmtCount(total)}${tensors > 1 ? `x${tensors}` : ""}`,
    group: adam ? "adam" : "optim",
    module: "optim.mjs",
    label: `${OPTIMIZERS[opt].name} step, ${fmtCount(total)} params${tensors > 1 ? ` in ${tensors} tensors` : ", 1 tensor"}`,
    unit: "ms",
    sides: adam ? ["torchlet", "tfjs-wasm", "tfjs-cpu", "js", "c"] : ["torchlet", "tfjs-wasm", "tfjs-cpu", "js"],
    c: adam ? { program: "adam", args: [each, tensors] } : undefined,
    opt, each, tensors,
    targets,
  };
}

export const workloads = [
  optimWorkload("adam", 1e4, 1),
  optimWorkload("adam", 1e5, 1),
  optimWorkload("adam", 1e6, 1, [
    { vs: "tfjs-wasm", atLeast: 10 },
    { vs: "js", atLeast: 7 },
    { vs: "c", atLeast: 0.9 },
  ]),
  optimWorkload("adam", 1e7, 1),
  optimWorkload("adam", 1e4, 100, [
    { vs: "tfjs-wasm", atLeast: 1000 },
    { vs: "torchlet", of: "adam-1e4", timeAtMost: 1.5, what: "torchlet's 1e4 in 1 tensor" },
  ]),
  optimWorkload("adam", 1e6, 100),
  ...["sgd", "rmsprop", "adagrad"].flatMap((opt) => [
    optimWorkload(opt, 1e6, 1, [{ vs: "js", atLeast: 6 }]),
    optimWorkload(opt, 1e4, 100),
  ]),
];

// One side's parameters, gradients and optimizer: setGrads(s) installs gradient stream s
// (0 for the timed steps), step() is the timed call, read(k) the values of tensor k.
const ADAPTERS = {
  torchlet(torch, w) {
    const ps = [];
    for (let k = 0; k < w.tensors; k++) ps.push(torch.tensor(params(w.each, k), { shape: [w.each], requiresGrad: true }));
    const setGrads = (s) => {
      for (let k = 0; k < w.tensors; k++) ps[k].grad = torch.tensor(grads(w.each, k, s), { shape: [w.each] });
    };
    setGrads(0);
    const opt = OPTIMIZERS[w.opt].torchlet(torch, ps);
    return { setGrads, step: () => opt.step(), read: (k) => ps[k].toArray() };
  },
  tfjs(tf, w) {
    const vs = [];
    for (let k = 0; k < w.tensors; k++) vs.push(tf.variable(tf.tensor1d(params(w.each, k)), true, `bench_p${k}_${tfjsAdapters}`));
    tfjsAdapters++;
    let gradMap = {};
    const setGrads = (s) => {
      tf.dispose(Object.values(gradMap));
      gradMap = {};
      for (let k = 0; k < w.tensors; k++) gradMap[vs[k].name] = tf.tensor1d(grads(w.each, k, s));
    };
    setGrads(0);
    const opt = OPTIMIZERS[w.opt].tfjs(tf);
    return { setGrads, step: () => opt.applyGradients(gradMap), read: (k) => vs[k].dataSync().slice() };
  },
  js(_, w) {
    const opt = plainJsOptimizer(w.opt);
    const ps = [], gs = [], ss = [];
    for (let k = 0; k < w.tensors; k++) {
      ps.push(params(w.each, k));
      gs.push(grads(w.each, k, 0));
      ss.push(opt.state(w.each));
    }
    const setGrads = (s) => { for (let k = 0; k < w.tensors; k++) gs[k] = grads(w.each, k, s); };
    const step = () => {
      opt.begin();
      for (let k = 0; k < ps.length; k++) opt.update(ps[k], gs[k], ss[k]);
    };
    return { setGrads, step, read: (k) => ps[k] };
  },
};
let tfjsAdapters = 0;

const adapterFor = (side) => ADAPTERS[libraryOf(side)];

/** The timed call. */
export function setup(w, side, lib) {
  return adapterFor(side)(lib, w).step;
}

/**
 * What is compared across competitors: the change of sampled parameters of the first and
 * last tensor after three steps from fresh state, each step with a different gradient.
 */
export function check(w, side, lib) {
  const a = adapterFor(side)(lib, w);
  const ends = [0, w.tensors - 1];
  const before = ends.map((k) => sample(a.read(k)));
  for (let s = 1; s <= 3; s++) { a.setGrads(s); a.step(); }
  const after = ends.map((k) => sample(a.read(k)));
  return { "param change": after.flatMap((xs, j) => xs.map((x, i) => x - before[j][i])) };
}
