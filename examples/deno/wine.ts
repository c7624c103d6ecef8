// A wine classifier in Deno: `deno run --allow-read examples/deno/wine.ts` (after `npm run
// build`). Trains a small network on the UCI wine data (data/README.md: 178 wines, 13
// chemical measurements, 3 cultivars) with SGD (Nesterov momentum) under the 1cycle policy,
// then prints the accuracy on wines it never trained on.
import * as torch from "../../build/torchlet.js";
import { seededRandom, shuffleInPlace } from "../common/seeded_random.js";

const { nn, optim } = torch;

const CSV = new URL("../../data/wine_data.csv", import.meta.url);
const FEATURES = 13, CLASSES = 3;
const SEED = 0, TEST_FRACTION = 0.25, BATCH_SIZE = 16, EPOCHS = 40;

// ---- the data ----------------------------------------------------------------------------
interface Wine { features: number[]; cultivar: number }

/** The rows of data/wine_data.csv, checked: a "178,13,class_0,…" line, then 178 rows of 14 numbers. */
async function readWines(): Promise<Wine[]> {
  const [first, ...lines] = (await Deno.readTextFile(CSV)).trim().split(/\r?\n/);
  const [count, features] = first.split(",").map(Number);
  const rows = lines.map((line) => line.split(",").map(Number));
  const ok = count === rows.length && features === FEATURES && rows.every((r) =>
    r.length === FEATURES + 1 && r.every(Number.isFinite) && Number.isInteger(r[FEATURES]) && r[FEATURES] >= 0 && r[FEATURES] < CLASSES);
  if (!ok) throw new Error(`${CSV.pathname}: expected a "rows,${FEATURES},…" line, then that many rows of ${FEATURES} numbers and a class 0–${CLASSES - 1}`);
  return rows.map((r) => ({ features: r.slice(0, FEATURES), cultivar: r[FEATURES] }));
}

/** Features standardised with the training rows' mean and standard deviation, as [N, 13]; cultivars as int32 [N]. */
function toTensors(wines: Wine[], mean: number[], std: number[]) {
  const x = new Float32Array(wines.length * FEATURES);
  wines.forEach((w, i) => w.features.forEach((v, c) => (x[i * FEATURES + c] = (v - mean[c]) / std[c])));
  return {
    x: torch.tensor(x, { shape: [wines.length, FEATURES] }),
    y: torch.tensor(wines.map((w) => w.cultivar), { dtype: "int32" }),
  };
}

function columnStats(wines: Wine[]) {
  const mean = Array.from({ length: FEATURES }, (_, c) => wines.reduce((s, w) => s + w.features[c], 0) / wines.length);
  const std = mean.map((m, c) => Math.sqrt(wines.reduce((s, w) => s + (w.features[c] - m) ** 2, 0) / wines.length) || 1);
  return { mean, std };
}

// ---- training ----------------------------------------------------------------------------
const wines = shuffleInPlace(await readWines(), seededRandom(SEED));
const nTest = Math.round(wines.length * TEST_FRACTION);
const trainWines = wines.slice(nTest), testWines = wines.slice(0, nTest);
const { mean, std } = columnStats(trainWines); // the test wines never inform the scaling
const train = toTensors(trainWines, mean, std), test = toTensors(testWines, mean, std);

torch.manualSeed(SEED);
const model = new nn.Sequential(new nn.Linear(FEATURES, 16), new nn.ReLU(), new nn.Linear(16, CLASSES));
const lossFn = new nn.CrossEntropyLoss();
const optimizer = new optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.9, nesterov: true, weightDecay: 1e-4 });
// When torch.utils.data lands, this line becomes:
const loader = new torch.utils.data.DataLoader(new torch.utils.data.TensorDataset(train.x, train.y),
  { batchSize: BATCH_SIZE, shuffle: true, generator: new torch.Generator().manualSeed(SEED) });
// OneCycleLR sets the lr (and cycles the momentum between 0.95 and 0.85) at every batch.
const scheduler = new optim.lrScheduler.OneCycleLR(optimizer, { maxLr: 0.1, epochs: EPOCHS, stepsPerEpoch: loader.length });

console.log(`torchlet in Deno ${Deno.version.deno}: a classifier for the UCI wine data`);
console.log(`  data       ${trainWines.length} training wines, ${testWines.length} test wines (fixed-seed split); ${FEATURES} standardised features, ${CLASSES} cultivars`);
console.log(`  model      Sequential(Linear(${FEATURES}, 16), ReLU(), Linear(16, ${CLASSES})), cross-entropy loss`);
console.log(`  optimizer  SGD(momentum 0.9, nesterov, weightDecay 1e-4), OneCycleLR(maxLr 0.1), ${EPOCHS} epochs of ${loader.length} batches of ${BATCH_SIZE}\n`);

const started = performance.now();
for (let epoch = 1; epoch <= EPOCHS; epoch++) {
  model.train();
  let sum = 0;
  for (const [xb, yb] of loader) {
    optimizer.zeroGrad();
    const loss = lossFn.forward(model.forward(xb), yb);
    loss.backward();
    optimizer.step();
    scheduler.step();
    sum += loss.item() * xb.shape[0];
  }
  if (epoch === 1 || epoch % 10 === 0) {
    console.log(`epoch ${String(epoch).padStart(2)}/${EPOCHS}  training loss ${(sum / trainWines.length).toFixed(4)}  lr ${optimizer.paramGroups[0].lr.toExponential(2)}`);
  }
}
const seconds = (performance.now() - started) / 1000;

// ---- evaluation --------------------------------------------------------------------------
model.eval();
const predicted = torch.noGrad(() => model.forward(test.x).argmax(1)).toArray();
const truth = test.y.toArray();
const confusion = Array.from({ length: CLASSES }, () => new Array<number>(CLASSES).fill(0));
truth.forEach((t, i) => confusion[t][predicted[i]]++);
const correct = confusion.reduce((s, row, c) => s + row[c], 0);

console.log(`\ntest accuracy ${(100 * correct / testWines.length).toFixed(1)}% (${correct} of ${testWines.length} wines), trained in ${seconds.toFixed(2)} s`);
console.log(`confusion    rows: true cultivar, columns: predicted`);
for (const [c, row] of confusion.entries()) console.log(`  class_${c}    ${row.map((v) => String(v).padStart(3)).join(" ")}`);
