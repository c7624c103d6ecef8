// The training run, written as a PyTorch user writes one: a fixed split, a fixed seed, the
// optimizer and lr scheduler the page picked (choices.js), minibatches of 64, and a look at
// the held-out digits a few times an epoch. It reports through `report(message)`; worker.js
// posts those to the page.
import * as torch from "../../build/torchlet.js";
import { checkChoice, OPTIMIZERS, SCHEDULERS } from "./choices.js";
import { INK_MAX, SIDE, splitDigits } from "./digits.js";
import { DESCRIPTION, DigitsCNN } from "./model.js";

const { nn, optim } = torch;

export const SETTINGS = { seed: 0, testFraction: 0.2, batchSize: 64, reportsPerEpoch: 4 };

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
 * The optimizers `name` makes over `model`'s parameters at `lr`: one, or for Muon two, as
 * PyTorch's docs pair them (Muon takes only 2-D parameters: the Linear layer's weight; AdamW
 * the convolutions' filters, the biases and the batch norms).
 */
function buildOptimizers(name, lr, model) {
  const { options = {} } = OPTIMIZERS[name];
  if (name !== "Muon") return [new optim[name](model.parameters(), { lr, ...options })];
  const matrices = model.parameters().filter((p) => p.dim() === 2);
  const others = model.parameters().filter((p) => p.dim() !== 2);
  return [new optim.Muon(matrices, { lr, ...options }), new optim.AdamW(others, { lr })];
}

/**
 * Trains a fresh DigitsCNN on `split` (from splitForTraining) as `choice` says
 * (`{ optimizer, lr, scheduler, epochs }`, checked by choices.js's checkChoice). Reports, in
 * order: `{ type: "progress", … }` a few times an epoch (the first at epoch 0, before any
 * step), with the test digits' loss, accuracy and predictions; then
 * `{ type: "done", seconds, samples }`. Between reports it awaits `pause()`, so the thread
 * can take messages. Throws when the training loss stops being a finite number.
 */
export async function trainDigits(split, choice, { report, pause = async () => {} }) {
  const { optimizer: name, lr, scheduler: schedulerName, epochs } = checkChoice(choice);
  const { seed, batchSize, reportsPerEpoch } = SETTINGS;
  const train = toTensors(split.train), test = toTensors(split.test);

  torch.manualSeed(seed);
  const model = new DigitsCNN();
  const lossFn = new nn.CrossEntropyLoss();
  const loader = new torch.utils.data.DataLoader(new torch.utils.data.TensorDataset(train.x, train.y),
    { batchSize, shuffle: true, generator: new torch.Generator().manualSeed(seed) });
  const optimizers = buildOptimizers(name, lr, model);
  const [optimizer] = optimizers;
  const { scheduleFree = false } = OPTIMIZERS[name];
  const plan = SCHEDULERS[schedulerName];
  const run = { epochs, stepsPerEpoch: loader.length, scheduleFree };
  const schedulers = optimizers.map((o) => plan.make(optim.lrScheduler, o, run)).filter((s) => s !== null);
  const reportEvery = Math.ceil(loader.length / reportsPerEpoch);

  /** Loss, accuracy and each digit's predicted class on the held-out digits. */
  const evaluate = () => torch.noGrad(() => {
    // A schedule-free optimizer trains at one point and averages its iterates at another:
    // eval() puts the weights at the average, the model to evaluate; train() takes them back
    // (and, after the look before the first step, out of the eval mode it starts in).
    if (scheduleFree) optimizer.eval();
    model.eval();
    const logits = model.forward(test.x);
    const predictions = logits.argmax(1);
    const result = {
      testLoss: lossFn.forward(logits, test.y).item(),
      testAccuracy: predictions.eq(test.y).float().mean().item(),
      predictions: Int32Array.from(predictions.toArray()),
    };
    model.train();
    if (scheduleFree) optimizer.train();
    return result;
  });

  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  report({ type: "progress", epoch: 0, trainLoss: null, trainAccuracy: null, lr: optimizer.paramGroups[0].lr, seconds: 0, samples: 0, ...evaluate() });
  await pause();

  let samples = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    let batch = 0, lossSum = 0, correct = 0, seen = 0, testLoss;
    for (const [xb, yb] of loader) {
      // Every torch.optim optimizer takes the step's loss as a closure; LBFGS calls it several
      // times a step, the others once. The first call's loss and accuracy are the ones reported.
      let right = null;
      const closure = () => {
        model.zeroGrad();
        const logits = model.forward(xb);
        const loss = lossFn.forward(logits, yb);
        loss.backward();
        right ??= torch.noGrad(() => logits.argmax(1).eq(yb).sum().item());
        return loss;
      };
      // LBFGS's line search also evaluates the loss at trial points, some far off, and in train
      // mode each evaluation moves the batch norms' running statistics (which read the test
      // digits): they are put back after its step, then moved once, at the point it reached.
      const runningStats = name === "LBFGS" ? model.buffers().map((b) => b.clone()) : null;
      const loss = optimizer.step(closure).item();
      if (runningStats) torch.noGrad(() => {
        model.buffers().forEach((b, i) => b.copy_(runningStats[i]));
        model.forward(xb);
      });
      for (const other of optimizers.slice(1)) other.step(); // Muon's AdamW, on the same gradients
      if (!Number.isFinite(loss)) {
        throw new Error(`the training loss became ${loss} in epoch ${epoch + 1}: lr ${lr} is too large for ${name} here ` +
          `(its default on this page is ${OPTIMIZERS[name].lr}); try a smaller one`);
      }
      if (plan.perBatch) for (const s of schedulers) s.step();

      const n = xb.shape[0];
      lossSum += loss * n;
      correct += right;
      seen += n;
      samples += n;
      batch++;
      if (batch % reportEvery === 0 || batch === loader.length) {
        const evaluation = evaluate();
        testLoss = evaluation.testLoss;
        report({
          type: "progress", epoch: epoch + batch / loader.length, trainLoss: lossSum / seen, trainAccuracy: correct / seen,
          lr: optimizer.paramGroups[0].lr, seconds: seconds(), samples, ...evaluation,
        });
        lossSum = correct = seen = 0;
        await pause();
      }
    }
    if (!plan.perBatch) for (const s of schedulers) plan.onTestLoss ? s.step(testLoss) : s.step();
  }
  report({ type: "done", seconds: seconds(), samples });
}
