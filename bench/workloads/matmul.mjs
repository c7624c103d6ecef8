// Matrix products A·B, Aᵀ·B and A·Bᵀ (the three a dense layer's forward and backward need)
// at 256³, 512³ and [64×784]·[784×256]. Every layout computes the same product of the same
// logical A [M×K] and B [K×N]; only how the operands are stored differs (Aᵀ·B takes A
// stored [K×M], A·Bᵀ takes B stored [N×K]), and each side writes it as its users do.
import { uniform, sample, transposed } from "../lib/data.mjs";
import { libraryOf } from "../lib/sides.mjs";

const SIZES = [
  { key: "256", dims: "256³", M: 256, K: 256, N: 256 },
  { key: "512", dims: "512³", M: 512, K: 512, N: 512 },
  { key: "64x784x256", dims: "[64×784]·[784×256]", M: 64, K: 784, N: 256 },
];
const LAYOUTS = [
  { key: "ab", label: "A·B" },
  { key: "atb", label: "Aᵀ·B" },
  { key: "abt", label: "A·Bᵀ" },
];

export const workloads = SIZES.flatMap((size) => LAYOUTS.map((layout) => ({
  id: `mm-${size.key}-${layout.key}`,
  group: "matmul",
  module: "matmul.mjs",
  label: `matmul ${size.dims} ${layout.label}`,
  unit: "GFLOP/s",
  flops: 2 * size.M * size.K * size.N,
  sides: ["torchlet", "torchlet-relaxed", "tfjs-wasm", "tfjs-cpu", "js"],
  M: size.M, K: size.K, N: size.N,
  layout: layout.key,
  // Every layout against tfjs-wasm's plain A·B at the same size.
  targets: [{ vs: "tfjs-wasm", of: `mm-${size.key}-ab`, atLeast: 1, what: "tfjs-wasm's A·B" }],
})));

/** The operands as stored for the layout, with their shapes. */
function operands(w) {
  const { M, K, N } = w;
  const a = uniform(M * K, 11), b = uniform(K * N, 12);
  if (w.layout === "atb") return { a: transposed(a, M, K), aShape: [K, M], b, bShape: [K, N] };
  if (w.layout === "abt") return { a, aShape: [M, K], b: transposed(b, K, N), bShape: [N, K] };
  return { a, aShape: [M, K], b, bShape: [K, N] };
}

// Plain JS, each layout with its loops ordered so the inner loop runs along memory.
const JS_PRODUCTS = {
  ab(a, b, c, M, K, N) {
    c.fill(0);
    for (let i = 0; i < M; i++) {
      const co = i * N;
      for (let k = 0; k < K; k++) {
        const av = a[i * K + k], bo = k * N;
        for (let j = 0; j < N; j++) c[co + j] += av * b[bo + j];
      }
    }
  },
  atb(a, b, c, M, K, N) { // a stored [K×M]
    c.fill(0);
    for (let k = 0; k < K; k++) {
      const bo = k * N;
      for (let i = 0; i < M; i++) {
        const av = a[k * M + i], co = i * N;
        for (let j = 0; j < N; j++) c[co + j] += av * b[bo + j];
      }
    }
  },
  abt(a, b, c, M, K, N) { // b stored [N×K]
    for (let i = 0; i < M; i++) {
      const ao = i * K;
      for (let j = 0; j < N; j++) {
        const bo = j * K;
        let s = 0;
        for (let k = 0; k < K; k++) s += a[ao + k] * b[bo + k];
        c[i * N + j] = s;
      }
    }
  },
};

// step() is the timed product; result() runs it once more and returns the output's values.
const ADAPTERS = {
  torchlet(torch, w) {
    const o = operands(w);
    const a = torch.tensor(o.a, { shape: o.aShape }), b = torch.tensor(o.b, { shape: o.bShape });
    const product = {
      ab: () => a.matmul(b),
      atb: () => a.t().matmul(b),
      abt: () => a.matmul(b.t()),
    }[w.layout];
    return {
      step: () => torch.tidy(() => { product(); }), // the product is freed at once
      result: () => torch.tidy(() => product().toArray()),
    };
  },
  tfjs(tf, w) {
    const o = operands(w);
    const a = tf.tensor2d(o.a, o.aShape), b = tf.tensor2d(o.b, o.bShape);
    const product = () => tf.matMul(a, b, w.layout === "atb", w.layout === "abt");
    return {
      step: () => product().dispose(),
      result: () => { const c = product(); const v = c.dataSync().slice(); c.dispose(); return v; },
    };
  },
  js(_, w) {
    const o = operands(w), c = new Float32Array(w.M * w.N);
    const step = () => JS_PRODUCTS[w.layout](o.a, o.b, c, w.M, w.K, w.N);
    return { step, result: () => { step(); return c.slice(); } };
  },
};

const adapterFor = (side) => ADAPTERS[libraryOf(side)];

export function setup(w, side, lib) {
  return adapterFor(side)(lib, w).step;
}

export function check(w, side, lib) {
  return { product: Array.from(sample(adapterFor(side)(lib, w).result())) };
}
