// The Boston housing data (data/README.md) as tensors: a fixed-seed 80/20 split, features
// standardised with the training split's mean and standard deviation (the test split never
// informs the scaling), the target MEDV left in $1000s.
import { readFileSync } from "node:fs";
import * as torch from "../../build/torchlet.js";
import { seededRandom, shuffleInPlace } from "../common/seeded_random.js";

const CSV = new URL("../../data/boston_house_prices.csv", import.meta.url);
export const FEATURES = 13;

function readRows() {
  // scikit-learn's layout: a "506,13" line, the header, then the rows.
  const lines = readFileSync(CSV, "utf8").trim().split(/\r?\n/);
  const names = lines[1].split(",").map((h) => h.replace(/"/g, ""));
  const rows = lines.slice(2).map((line) => line.split(",").map(Number));
  const [count, features] = lines[0].split(",").map(Number);
  if (rows.length !== count || features !== FEATURES || names.length !== FEATURES + 1 ||
      rows.some((r) => r.length !== FEATURES + 1 || r.some((v) => !Number.isFinite(v)))) {
    throw new Error(`${CSV.pathname}: expected ${count} rows of ${FEATURES} features and MEDV, all numbers`);
  }
  return { names, rows };
}

function columnStats(rows) {
  const mean = new Array(FEATURES).fill(0), std = new Array(FEATURES).fill(0);
  for (const r of rows) for (let c = 0; c < FEATURES; c++) mean[c] += r[c] / rows.length;
  for (const r of rows) for (let c = 0; c < FEATURES; c++) std[c] += (r[c] - mean[c]) ** 2 / rows.length;
  return { mean, std: std.map((v) => Math.sqrt(v) || 1) };
}

function toTensors(rows, { mean, std }) {
  const x = new Float32Array(rows.length * FEATURES), y = new Float32Array(rows.length);
  rows.forEach((r, i) => {
    for (let c = 0; c < FEATURES; c++) x[i * FEATURES + c] = (r[c] - mean[c]) / std[c];
    y[i] = r[FEATURES];
  });
  return [torch.tensor(x, { shape: [rows.length, FEATURES] }), torch.tensor(y, { shape: [rows.length, 1] })];
}

/**
 * `{ names, xTrain, yTrain, xTest, yTest }`: 404 training rows and 102 test rows, the same
 * ones on every run (shuffled with `seed`).
 */
export function loadBoston({ seed = 42, testFraction = 0.2 } = {}) {
  const { names, rows } = readRows();
  shuffleInPlace(rows, seededRandom(seed));
  const nTrain = Math.round(rows.length * (1 - testFraction));
  const train = rows.slice(0, nTrain), test = rows.slice(nTrain);
  const stats = columnStats(train);
  const [xTrain, yTrain] = toTensors(train, stats);
  const [xTest, yTest] = toTensors(test, stats);
  return { names, xTrain, yTrain, xTest, yTest };
}
