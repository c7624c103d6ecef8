// One training step of the digits CNN of examples/browser — Conv2d 1→16 3×3 pad 1,
// BatchNorm2d, ReLU, MaxPool2d 2, Conv2d 16→32, BatchNorm2d, ReLU, MaxPool2d 2, Flatten,
// Linear 128→10 — with cross-entropy and Adam (lr 1e-3), on the first 64 of the 8×8 digits
// (data/digits.csv.gz). Both sides start from the same weights. tfjs-core has no layers:
// its side is the model in ops as a tfjs-core user writes it (NHWC, which tf.conv2d takes;
// batch statistics by tf.moments into tf.batchNorm, as a training-mode batch norm), trained
// by optimizer.minimize. There is no plain-JS side: nobody hand-writes a CNN with batch
// norm and its backward to compare.
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { params } from "../lib/data.mjs";
import { trainingStepWorkload } from "../lib/training_step.mjs";

export const workloads = [{
  id: "cnn-digits-b64",
  group: "train",
  module: "cnn.mjs",
  label: "train step, digits CNN, batch 64",
  unit: "ms",
  sides: ["torchlet", "torchlet-relaxed", "tfjs-wasm", "tfjs-cpu"], // the convolutions are matrix products
  batch: 64,
  targets: [],
  // what a tfjs user hits (tf-backend-wasm.node.js registers Conv2D and
  // Conv2DBackpropInput, not the filter's gradient)
  cannot: { "tfjs-wasm": "tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter kernel: it cannot train a conv layer" },
}];

const C1 = 16, C2 = 32, CLASSES = 10, FLAT = C2 * 2 * 2;

/** The first `batch` digits: pixels scaled to [0, 1] (NCHW = NHWC for one channel) and labels. */
function digits(batch) {
  const rows = gunzipSync(readFileSync(new URL("../../data/digits.csv.gz", import.meta.url))).toString("utf8").trim().split("\n");
  const x = new Float32Array(batch * 64), y = new Int32Array(batch);
  for (let n = 0; n < batch; n++) {
    const v = rows[n].split(",").map(Number);
    for (let i = 0; i < 64; i++) x[n * 64 + i] = v[i] / 16;
    y[n] = v[64];
  }
  return { x, y };
}

/** Initial weights in PyTorch's layouts, in PyTorch's init ranges (1/sqrt(fan_in)). */
function weights() {
  const s1 = 1 / Math.sqrt(9), s2 = 1 / Math.sqrt(C1 * 9), s3 = 1 / Math.sqrt(FLAT);
  return {
    conv1: params(C1 * 9, 31, s1), bias1: params(C1, 32, s1),
    conv2: params(C2 * C1 * 9, 33, s2), bias2: params(C2, 34, s2),
    fc: params(CLASSES * FLAT, 35, s3), fcBias: params(CLASSES, 36, s3),
  };
}

/** PyTorch's conv weight [O, I, kh, kw] as tfjs's filter [kh, kw, I, O], and back. */
function toHwio(w, O, I) {
  const out = new Float32Array(w.length);
  for (let o = 0; o < O; o++) for (let i = 0; i < I; i++) for (let k = 0; k < 9; k++) out[(k * I + i) * O + o] = w[(o * I + i) * 9 + k];
  return out;
}
function fromHwio(f, O, I) {
  const out = new Float32Array(f.length);
  for (let o = 0; o < O; o++) for (let i = 0; i < I; i++) for (let k = 0; k < 9; k++) out[(o * I + i) * 9 + k] = f[(k * I + i) * O + o];
  return out;
}
// Flatten order: PyTorch's [C, H, W] feature c·4 + h·2 + w is tfjs's [H, W, C] (h·2 + w)·32 + c.
const nhwcFeature = (f) => (f % 4) * C2 + Math.floor(f / 4);
/** PyTorch's Linear weight [10, 128] as tfjs's kernel [128 (NHWC order), 10], and back. */
function toKernel(w) {
  const out = new Float32Array(w.length);
  for (let o = 0; o < CLASSES; o++) for (let f = 0; f < FLAT; f++) out[nhwcFeature(f) * CLASSES + o] = w[o * FLAT + f];
  return out;
}
function fromKernel(k) {
  const out = new Float32Array(k.length);
  for (let o = 0; o < CLASSES; o++) for (let f = 0; f < FLAT; f++) out[o * FLAT + f] = k[nhwcFeature(f) * CLASSES + o];
  return out;
}

// step() is one training step returning its loss; weights() the conv weights and the
// linear weight and bias in PyTorch's layouts. (Not the conv biases: batch norm subtracts
// the batch mean right after them, so their gradient is zero up to rounding noise, which
// Adam's normalisation turns into steps of any sign — a comparison of noise.)
const ADAPTERS = {
  torchlet(torch, w) {
    const { nn } = torch;
    const d = digits(w.batch), init = weights();
    const conv1 = new nn.Conv2d(1, C1, 3, { padding: 1 }), conv2 = new nn.Conv2d(C1, C2, 3, { padding: 1 });
    const fc = new nn.Linear(FLAT, CLASSES);
    torch.noGrad(() => {
      conv1.weight.copy_(torch.tensor(init.conv1, { shape: [C1, 1, 3, 3] })); conv1.bias.copy_(init.bias1);
      conv2.weight.copy_(torch.tensor(init.conv2, { shape: [C2, C1, 3, 3] })); conv2.bias.copy_(init.bias2);
      fc.weight.copy_(torch.tensor(init.fc, { shape: [CLASSES, FLAT] })); fc.bias.copy_(init.fcBias);
    });
    const model = new nn.Sequential(
      conv1, new nn.BatchNorm2d(C1), new nn.ReLU(), new nn.MaxPool2d(2),
      conv2, new nn.BatchNorm2d(C2), new nn.ReLU(), new nn.MaxPool2d(2),
      new nn.Flatten(), fc);
    const lossFn = new nn.CrossEntropyLoss();
    const optimizer = new torch.optim.Adam(model.parameters(), { lr: 1e-3 });
    const x = torch.tensor(d.x, { shape: [w.batch, 1, 8, 8] }), y = torch.tensor(d.y); // int32 class indices (torchlet's integer dtype)
    return {
      step() {
        optimizer.zeroGrad();
        const loss = lossFn.forward(model.forward(x), y);
        loss.backward();
        optimizer.step();
        return loss;
      },
      lossValue: (loss) => loss.item(),
      weights: () => [conv1.weight, conv2.weight, fc.weight, fc.bias].map((p) => p.toArray()),
    };
  },
  tfjs(tf, w) {
    const d = digits(w.batch), init = weights();
    let names = 0;
    const v = (values, shape) => tf.variable(tf.tensor(values, shape), true, `bench_cnn_${tfjsAdapters}_${names++}`);
    tfjsAdapters++;
    const f1 = v(toHwio(init.conv1, C1, 1), [3, 3, 1, C1]), b1 = v(init.bias1, [C1]);
    const g1 = v(new Float32Array(C1).fill(1), [C1]), beta1 = v(new Float32Array(C1), [C1]);
    const f2 = v(toHwio(init.conv2, C2, C1), [3, 3, C1, C2]), b2 = v(init.bias2, [C2]);
    const g2 = v(new Float32Array(C2).fill(1), [C2]), beta2 = v(new Float32Array(C2), [C2]);
    const k = v(toKernel(init.fc), [FLAT, CLASSES]), kb = v(init.fcBias, [CLASSES]);
    const x = tf.tensor4d(d.x, [w.batch, 8, 8, 1]);
    const y = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(d.y, "int32"), CLASSES), "float32"));
    // PyTorch's BatchNorm2d in training: batch mean and biased variance, eps 1e-5
    const block = (input, filter, bias, gamma, beta) => {
      const z = tf.add(tf.conv2d(input, filter, 1, "same"), bias);
      const { mean, variance } = tf.moments(z, [0, 1, 2]);
      return tf.maxPool(tf.relu(tf.batchNorm(z, mean, variance, beta, gamma, 1e-5)), 2, 2, "valid");
    };
    const model = () => {
      const h = block(block(x, f1, b1, g1, beta1), f2, b2, g2, beta2);
      return tf.add(tf.matMul(tf.reshape(h, [w.batch, FLAT]), k), kb);
    };
    const optimizer = tf.train.adam(1e-3, 0.9, 0.999, 1e-8);
    const lossOf = () => tf.losses.softmaxCrossEntropy(y, model());
    return {
      step: () => optimizer.minimize(lossOf, false),
      checkedStep: () => optimizer.minimize(lossOf, true),
      lossValue: (cost) => { const value = cost.dataSync()[0]; cost.dispose(); return value; },
      weights: () => [
        fromHwio(f1.dataSync(), C1, 1), fromHwio(f2.dataSync(), C2, C1), fromKernel(k.dataSync()), kb.dataSync().slice(),
      ],
    };
  },
};
let tfjsAdapters = 0;

export const { setup, check } = trainingStepWorkload(ADAPTERS);
