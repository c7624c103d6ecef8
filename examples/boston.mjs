// npm run demo: the seed example. A 13-10-1 network (Linear, ReLU, Linear) regresses the
// median house value of the Boston housing data (data/README.md) with Adam and a StepLR
// schedule: for each epoch, train(); validate(); scheduler.step().
import * as torch from "../build/torchlet.js";
import { readFileSync } from "node:fs";

const { nn, optim } = torch;

// ---- data -------------------------------------------------------------------------------
const lines = readFileSync(new URL("../data/boston_house_prices.csv", import.meta.url), "utf8").trim().split(/\r?\n/);
const header = lines[1].split(",").map((h) => h.replace(/"/g, ""));
const rows = lines.slice(2).map((l) => l.split(",").map(Number));
const FEATURES = 13;

// A fixed shuffle (a small LCG) so every run splits the same way: 404 train, 102 test.
let seed = 42;
const rnd = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
for (let i = rows.length - 1; i > 0; i--) {
  const j = Math.floor(rnd() * (i + 1));
  [rows[i], rows[j]] = [rows[j], rows[i]];
}
const train = rows.slice(0, 404), test = rows.slice(404);

// Standardise features with the training split's mean and standard deviation.
const mean = new Array(FEATURES).fill(0), std = new Array(FEATURES).fill(0);
for (const r of train) for (let c = 0; c < FEATURES; c++) mean[c] += r[c] / train.length;
for (const r of train) for (let c = 0; c < FEATURES; c++) std[c] += (r[c] - mean[c]) ** 2 / train.length;
for (let c = 0; c < FEATURES; c++) std[c] = Math.sqrt(std[c]) || 1;

function toTensors(set) {
  const x = new Float32Array(set.length * FEATURES), y = new Float32Array(set.length);
  set.forEach((r, i) => {
    for (let c = 0; c < FEATURES; c++) x[i * FEATURES + c] = (r[c] - mean[c]) / std[c];
    y[i] = r[FEATURES];
  });
  return { x, y, n: set.length };
}
const trainData = toTensors(train), testData = toTensors(test);
const xTest = torch.tensor(testData.x, { shape: [testData.n, FEATURES] });
const yTest = torch.tensor(testData.y, { shape: [testData.n, 1] });

// ---- model (the seed's TestNet) -----------------------------------------------------------
class TestNet extends nn.Module {
  constructor() {
    super();
    this.hidden = new nn.Linear(FEATURES, 10);
    this.relu = new nn.ReLU();
    this.out = new nn.Linear(10, 1);
  }
  forward(x) {
    return this.out.forward(this.relu.forward(this.hidden.forward(x)));
  }
}

torch.manualSeed(0);
const model = new TestNet();
const lossFn = new nn.MSELoss();
const optimizer = new optim.Adam(model.parameters(), { lr: 0.01 });
const scheduler = new optim.lrScheduler.StepLR(optimizer, { stepSize: 100, gamma: 0.5 });
const EPOCHS = 300, BATCH = 32;

function trainEpoch() {
  let sum = 0, batches = 0;
  for (let start = 0; start < trainData.n; start += BATCH) {
    const n = Math.min(BATCH, trainData.n - start);
    const xb = torch.tensor(trainData.x.subarray(start * FEATURES, (start + n) * FEATURES), { shape: [n, FEATURES] });
    const yb = torch.tensor(trainData.y.subarray(start, start + n), { shape: [n, 1] });
    optimizer.zeroGrad();
    const loss = lossFn.forward(model.forward(xb), yb);
    loss.backward();
    optimizer.step();
    sum += loss.item();
    batches++;
  }
  return sum / batches;
}

function validate() {
  return torch.noGrad(() => {
    model.eval();
    const pred = model.forward(xTest);
    const mse = lossFn.forward(pred, yTest).item();
    const mae = pred.sub(yTest).abs().mean().item();
    model.train();
    return { rmse: Math.sqrt(mse), mae };
  });
}

console.log(`torchlet demo: ${header.slice(0, FEATURES).join(" ")} → ${header[FEATURES]}`);
console.log(`Boston housing: ${train.length} training rows, ${test.length} test rows; TestNet 13-10-1; Adam lr 0.01, StepLR(100, 0.5)\n`);
const t0 = performance.now();
let last;
for (let epoch = 1; epoch <= EPOCHS; epoch++) {
  const trainLoss = trainEpoch();
  last = validate();
  scheduler.step();
  if (epoch === 1 || epoch % 25 === 0) {
    console.log(`epoch ${String(epoch).padStart(3)}  train MSE ${trainLoss.toFixed(3).padStart(8)}  ` +
      `test RMSE ${last.rmse.toFixed(3)}  test MAE ${last.mae.toFixed(3)}  lr ${scheduler.getLastLr()[0].toExponential(2)}`);
  }
}
const seconds = (performance.now() - t0) / 1000;
const steps = EPOCHS * Math.ceil(trainData.n / BATCH);

const meanY = trainData.y.reduce((s, v) => s + v, 0) / trainData.n;
const baseline = Math.sqrt(testData.y.reduce((s, v) => s + (v - meanY) ** 2, 0) / testData.n);
const mem = torch.memory();
console.log(`\nFinal report`);
console.log(`  test RMSE          ${last.rmse.toFixed(3)} ($1000s)   (predicting the training mean: ${baseline.toFixed(3)})`);
console.log(`  test MAE           ${last.mae.toFixed(3)} ($1000s)`);
console.log(`  training           ${EPOCHS} epochs, ${steps} steps in ${seconds.toFixed(2)} s (${(steps / seconds).toFixed(0)} steps/s)`);
console.log(`  memory             ${(mem.bytesInUse / 1024).toFixed(1)} KiB in ${mem.tensors} live tensors, ${(mem.bytesReserved / 2 ** 20).toFixed(0)} MiB reserved`);
const sample = torch.noGrad(() => model.forward(xTest).toArray());
console.log(`  first test houses  predicted ${Array.from(sample.slice(0, 5), (v) => v.toFixed(1)).join(", ")}; ` +
  `actual ${Array.from(testData.y.slice(0, 5), (v) => v.toFixed(1)).join(", ")}`);
