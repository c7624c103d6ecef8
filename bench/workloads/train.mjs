// Full training steps — zeroGrad, forward, loss, backward, Adam (lr 1e-3) — of two MLPs
// (Linear, ReLU, Linear): 784-256-10 with cross-entropy at batch 64 and 13-10-1 with MSE at
// batch 32. Every side starts from the same weights and trains on the same batch; tfjs is
// written as its users write it (variables and optimizer.minimize), plain JS by hand.
import { uniform, params, transposed } from "../lib/data.mjs";
import { trainingStepWorkload } from "../lib/training_step.mjs";
import { plainJsOptimizer } from "./optim.mjs";

function mlpWorkload(id, [I, H, O], batch, loss, targets) {
  return {
    id,
    group: "train",
    module: "train.mjs",
    label: `train step, MLP ${I}-${H}-${O}, batch ${batch}`,
    unit: "ms",
    sides: ["torchlet", "torchlet-relaxed", "tfjs-wasm", "tfjs-cpu", "js"],
    I, H, O, batch, loss,
    targets,
  };
}

export const workloads = [
  mlpWorkload("mlp-784-256-10", [784, 256, 10], 64, "cross-entropy", [{ vs: "tfjs-wasm", atLeast: 10 }]),
  mlpWorkload("mlp-13-10-1", [13, 10, 1], 32, "mse", [
    { vs: "tfjs-wasm", atLeast: 30 },
    { vs: "js", timeAtMost: 1 },
  ]),
];

/** Initial weights in PyTorch's layout (W [out, in]) and PyTorch's init range, and the batch. */
function data(w) {
  const { I, H, O, batch: B } = w;
  return {
    W1: params(H * I, 21, 1 / Math.sqrt(I)), b1: params(H, 22, 1 / Math.sqrt(I)),
    W2: params(O * H, 23, 1 / Math.sqrt(H)), b2: params(O, 24, 1 / Math.sqrt(H)),
    x: uniform(B * I, 25),
    // MSE regresses onto values in [-1, 1); cross-entropy's classes are 0..O-1.
    y: w.loss === "mse" ? uniform(B * O, 26) : Int32Array.from(uniform(B, 26), (u) => Math.min(O - 1, Math.floor(((u + 1) / 2) * O))),
  };
}

// step() is one training step and returns the loss (a tensor or number; read only by the
// check); weights() returns [W1, b1, W2, b2] in PyTorch's layout.
const ADAPTERS = {
  torchlet(torch, w) {
    const d = data(w);
    const { nn } = torch;
    const l1 = new nn.Linear(w.I, w.H), l2 = new nn.Linear(w.H, w.O);
    torch.noGrad(() => {
      l1.weight.copy_(d.W1); l1.bias.copy_(d.b1);
      l2.weight.copy_(d.W2); l2.bias.copy_(d.b2);
    });
    const model = new nn.Sequential(l1, new nn.ReLU(), l2);
    const lossFn = w.loss === "mse" ? new nn.MSELoss() : new nn.CrossEntropyLoss();
    const x = torch.tensor(d.x, { shape: [w.batch, w.I] });
    const y = w.loss === "mse" ? torch.tensor(d.y, { shape: [w.batch, w.O] }) : d.y;
    const optimizer = new torch.optim.Adam(model.parameters(), { lr: 1e-3 });
    return {
      step() {
        optimizer.zeroGrad();
        const loss = lossFn.forward(model.forward(x), y);
        loss.backward();
        optimizer.step();
        return loss;
      },
      lossValue: (loss) => loss.item(),
      weights: () => [l1.weight, l1.bias, l2.weight, l2.bias].map((p) => p.toArray()),
    };
  },
  tfjs(tf, w) {
    const d = data(w);
    const v = (values, shape) => tf.variable(tf.tensor(values, shape), true, `bench_${tfjsAdapters++}`);
    // tfjs's dense kernels are [in, out].
    const W1 = v(transposed(d.W1, w.H, w.I), [w.I, w.H]), b1 = v(d.b1, [w.H]);
    const W2 = v(transposed(d.W2, w.O, w.H), [w.H, w.O]), b2 = v(d.b2, [w.O]);
    const x = tf.tensor2d(d.x, [w.batch, w.I]);
    const y = w.loss === "mse"
      ? tf.tensor2d(d.y, [w.batch, w.O])
      : tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(d.y, "int32"), w.O), "float32"));
    const optimizer = tf.train.adam(1e-3, 0.9, 0.999, 1e-8);
    const model = (input) => tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(input, W1), b1)), W2), b2);
    const lossOf = w.loss === "mse"
      ? () => tf.losses.meanSquaredError(y, model(x))
      : () => tf.losses.softmaxCrossEntropy(y, model(x));
    return {
      step: () => optimizer.minimize(lossOf, false),
      checkedStep: () => optimizer.minimize(lossOf, true),
      lossValue: (cost) => { const value = cost.dataSync()[0]; cost.dispose(); return value; },
      weights: () => [
        transposed(W1.dataSync(), w.I, w.H), b1.dataSync().slice(),
        transposed(W2.dataSync(), w.H, w.O), b2.dataSync().slice(),
      ],
    };
  },
  js(_, w) {
    const d = data(w);
    return handWrittenMlp(w, d);
  },
};
let tfjsAdapters = 0;

/** The same step written by hand over Float32Arrays: forward, loss, backward, Adam. */
function handWrittenMlp({ I, H, O, batch: B, loss }, { W1, b1, W2, b2, x, y }) {
  const ps = [W1, b1, W2, b2];
  const gs = ps.map((p) => new Float32Array(p.length));
  const [gW1, gb1, gW2, gb2] = gs;
  const adam = plainJsOptimizer("adam");
  const states = ps.map((p) => adam.state(p.length));
  const h = new Float32Array(B * H), out = new Float32Array(B * O);
  const dOut = new Float32Array(B * O), dH = new Float32Array(B * H);
  return {
    step() {
      // forward: h = relu(x·W1ᵀ + b1), out = h·W2ᵀ + b2
      for (let n = 0; n < B; n++) {
        for (let j = 0; j < H; j++) {
          let s = b1[j];
          const xo = n * I, wo = j * I;
          for (let k = 0; k < I; k++) s += x[xo + k] * W1[wo + k];
          h[n * H + j] = s > 0 ? s : 0;
        }
        for (let o = 0; o < O; o++) {
          let s = b2[o];
          const ho = n * H, wo = o * H;
          for (let j = 0; j < H; j++) s += h[ho + j] * W2[wo + j];
          out[n * O + o] = s;
        }
      }
      // loss and its gradient at the output
      let total = 0;
      if (loss === "mse") {
        const scale = 1 / (B * O);
        for (let i = 0; i < B * O; i++) {
          const e = out[i] - y[i];
          total += e * e;
          dOut[i] = 2 * e * scale;
        }
        total *= scale;
      } else {
        for (let n = 0; n < B; n++) {
          const o0 = n * O;
          let max = -Infinity;
          for (let o = 0; o < O; o++) max = Math.max(max, out[o0 + o]);
          let sum = 0;
          for (let o = 0; o < O; o++) sum += Math.exp(out[o0 + o] - max);
          total += Math.log(sum) + max - out[o0 + y[n]];
          for (let o = 0; o < O; o++) dOut[o0 + o] = Math.exp(out[o0 + o] - max) / sum / B;
          dOut[o0 + y[n]] -= 1 / B;
        }
        total /= B;
      }
      // backward (the grads are rebuilt from zero each step, as after zeroGrad)
      gW2.fill(0); gb2.fill(0); gW1.fill(0); gb1.fill(0);
      for (let n = 0; n < B; n++) {
        for (let o = 0; o < O; o++) {
          const g = dOut[n * O + o], wo = o * H, ho = n * H;
          gb2[o] += g;
          for (let j = 0; j < H; j++) gW2[wo + j] += g * h[ho + j];
        }
        for (let j = 0; j < H; j++) {
          let s = 0;
          if (h[n * H + j] > 0) for (let o = 0; o < O; o++) s += dOut[n * O + o] * W2[o * H + j];
          dH[n * H + j] = s;
        }
      }
      for (let n = 0; n < B; n++) {
        const xo = n * I;
        for (let j = 0; j < H; j++) {
          const g = dH[n * H + j];
          if (g === 0) continue;
          gb1[j] += g;
          const wo = j * I;
          for (let k = 0; k < I; k++) gW1[wo + k] += g * x[xo + k];
        }
      }
      adam.begin();
      for (let q = 0; q < 4; q++) adam.update(ps[q], gs[q], states[q]);
      return total;
    },
    lossValue: (total) => total,
    weights: () => ps.map((p) => p.slice()),
  };
}

export const { setup, check } = trainingStepWorkload(ADAPTERS);
