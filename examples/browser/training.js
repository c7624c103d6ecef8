// The training run, written as a PyTorch user writes one: a fixed split, a fixed seed, Adam
// under the 1cycle policy, minibatches of 64, and a look at the held-out digits a few times
// an epoch. It reports through `report(message)`; worker.js posts those to the page.
import * as torch from "../../build/torchlet.js";
import { INK_MAX, SIDE, splitDigits } from "./digits.js";
import { DESCRIPTION, DigitsCNN } from "./model.js";

const { nn, optim } = torch;

export const SETTINGS = { seed: 0, testFraction: 0.2, batchSize: 64, maxLr: 0.01, reportsPerEpoch: 4 };

/** Images as a float32 [N, 1, 8, 8] tensor scaled to [0, 1]; labels as int32 [N]. */
function toTensors({ pixels, labels, count }) {
  return {
    x: torch.tensor(Float32Array.from(pixels, (v) => v / INK_MAX), { shape: [count, 1, SIDE, SIDE] }),
    y: torch.tensor(Int32Array.from(labels), { dtype: "int32" }),
  };
}

/** What the page's footer says about the network: a line of layers and the parameter count. */
export function describeModel() {
  return { description: DESCRIPTION, parameters: new DigitsCNN().parameters().reduce((s, p) => s + p.numel(), 0) };
}

/** `{ train, test }`: the digits (from loadDigits) split the same way on every run. */
export const splitForTraining = (digits) => splitDigits(digits, SETTINGS);

/**
 * Trains a fresh DigitsCNN on `split` (from splitForTraining) for `epochs` epochs. Reports,
 * in order: `{ type: "progress", … }` a few times an epoch (the first at epoch 0, before any
 * step), with the test digits' loss, accuracy and predictions; then
 * `{ type: "done", seconds, samples }`. Between reports it awaits
 * `pause()`, so the thread can take messages.
 */
export async function trainDigits(split, { epochs, report, pause = async () => {} }) {
  const { seed, batchSize, maxLr, reportsPerEpoch } = SETTINGS;
  const train = toTensors(split.train), test = toTensors(split.test);

  torch.manualSeed(seed);
  const model = new DigitsCNN();
  const lossFn = new nn.CrossEntropyLoss();
  const optimizer = new optim.Adam(model.parameters()); // OneCycleLR sets its lr (and cycles betas[0])
  // When torch.utils.data lands, this line becomes:
  const loader = new torch.utils.data.DataLoader(new torch.utils.data.TensorDataset(train.x, train.y),
    { batchSize, shuffle: true, generator: new torch.Generator().manualSeed(seed) });
  const scheduler = new optim.lrScheduler.OneCycleLR(optimizer, { maxLr, epochs, stepsPerEpoch: loader.length });
  const reportEvery = Math.ceil(loader.length / reportsPerEpoch);

  /** Loss, accuracy and each digit's predicted class on the held-out digits. */
  const evaluate = () => torch.noGrad(() => {
    model.eval();
    const logits = model.forward(test.x);
    const predictions = logits.argmax(1);
    return {
      testLoss: lossFn.forward(logits, test.y).item(),
      testAccuracy: predictions.eq(test.y).float().mean().item(),
      predictions: Int32Array.from(predictions.toArray()),
    };
  });

  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  report({ type: "progress", epoch: 0, trainLoss: null, trainAccuracy: null, lr: optimizer.paramGroups[0].lr, seconds: 0, samples: 0, ...evaluate() });
  await pause();

  let samples = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    let batch = 0, lossSum = 0, correct = 0, seen = 0;
    model.train();
    for (const [xb, yb] of loader) {
      optimizer.zeroGrad();
      const logits = model.forward(xb);
      const loss = lossFn.forward(logits, yb);
      loss.backward();
      optimizer.step();
      scheduler.step();

      const n = xb.shape[0];
      lossSum += loss.item() * n;
      correct += torch.noGrad(() => logits.argmax(1).eq(yb).sum().item());
      seen += n;
      samples += n;
      batch++;
      if (batch % reportEvery === 0 || batch === loader.length) {
        report({
          type: "progress", epoch: epoch + batch / loader.length, trainLoss: lossSum / seen, trainAccuracy: correct / seen,
          lr: optimizer.paramGroups[0].lr, seconds: seconds(), samples, ...evaluate(),
        });
        lossSum = correct = seen = 0;
        model.train();
        await pause();
      }
    }
  }
  report({ type: "done", seconds: seconds(), samples });
}
