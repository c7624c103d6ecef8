// End to end: a small CNN (two Conv2d, BatchNorm2d, MaxPool2d, Dropout, Linear) trained with
// a shuffled DataLoader on the UCI handwritten digits (data/digits.csv.gz: 1,797 images of
// 8×8 pixels, 10 classes), split 80/20 by randomSplit with a fixed seed, must reach at least
// 95% accuracy on the held-out fifth. Prints the accuracy and the time taken.
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { expect, it } from "vitest";
import * as torch from "../../build/torchlet.js";

type Tensor = torch.Tensor;
const { nn, optim } = torch;
const { DataLoader, TensorDataset, randomSplit } = torch.utils.data;

/** The digits as x [N, 1, 8, 8] (pixels / 16, in [0, 1]) and labels y [N] (int32). */
function loadDigits(): { x: Tensor; y: Tensor } {
  const lines = gunzipSync(readFileSync(new URL("../../data/digits.csv.gz", import.meta.url))).toString("utf8").trim().split("\n");
  const pixels = new Float32Array(lines.length * 64), labels = new Int32Array(lines.length);
  lines.forEach((line, i) => {
    const v = line.split(",").map(Number);
    if (v.length !== 65) throw new Error(`digits.csv.gz line ${i + 1}: ${v.length} values, expected 64 pixels and a label`);
    for (let j = 0; j < 64; j++) pixels[i * 64 + j] = v[j] / 16;
    labels[i] = v[64];
  });
  return { x: torch.tensor(pixels, { shape: [lines.length, 1, 8, 8] }), y: torch.tensor(labels, { dtype: "int32" }) };
}

class DigitsCNN extends nn.Module {
  features = new nn.Sequential(
    new nn.Conv2d(1, 16, 3, { padding: 1 }), new nn.BatchNorm2d(16), new nn.ReLU(), new nn.MaxPool2d(2), // [16, 4, 4]
    new nn.Conv2d(16, 32, 3, { padding: 1 }), new nn.ReLU(), new nn.MaxPool2d(2), // [32, 2, 2]
  );
  classifier = new nn.Sequential(new nn.Flatten(), new nn.Dropout(0.25), new nn.Linear(32 * 2 * 2, 10));
  forward(x: Tensor): Tensor {
    return this.classifier.forward(this.features.forward(x));
  }
}

it("e2e: a CNN trained with DataLoader on the 8×8 digits reaches ≥ 95% test accuracy", () => {
  const start = performance.now();
  const { x, y } = loadDigits();
  expect(x.shape).toEqual([1797, 1, 8, 8]);
  const [train, test] = randomSplit(new TensorDataset(x, y), [0.8, 0.2], new torch.Generator().manualSeed(0));
  torch.manualSeed(0);
  const model = new DigitsCNN();
  const optimizer = new optim.Adam(model.parameters(), { lr: 3e-3 });
  const lossFn = new nn.CrossEntropyLoss();
  const loader = new DataLoader(train, { batchSize: 32, shuffle: true, generator: new torch.Generator().manualSeed(0) });
  const testLoader = new DataLoader(test, { batchSize: 128 });

  const accuracy = (): number => {
    model.eval();
    let correct = 0;
    torch.noGrad(() => {
      for (const [xb, yb] of testLoader) correct += model.forward(xb).argmax(1).eq(yb).sum().item();
    });
    model.train();
    return correct / test.len();
  };

  const epochs = 15;
  let lastLoss = NaN;
  for (let epoch = 0; epoch < epochs; epoch++) {
    let sum = 0;
    for (const [xb, yb] of loader) {
      optimizer.zeroGrad();
      const loss = lossFn.forward(model.forward(xb), yb);
      loss.backward();
      optimizer.step();
      sum += loss.item();
    }
    lastLoss = sum / loader.length;
  }
  const acc = accuracy();
  const seconds = (performance.now() - start) / 1000;
  console.log(`digits CNN: ${train.len()} training and ${test.len()} test images, ${epochs} epochs, ` +
    `last epoch's mean loss ${lastLoss.toFixed(4)}, test accuracy ${(100 * acc).toFixed(2)}%, ${seconds.toFixed(1)} s`);
  expect(acc).toBeGreaterThanOrEqual(0.95);
}, 120_000);
