// The seed's training loop end to end, step by step against PyTorch
// (test/fixtures/seed.json, written by test/golden/gen_core.py).
//
// TestNet = Linear(13, 10), ReLU, Linear(10, 1) on the first 400 rows of the Boston
// housing data (data/boston_house_prices.csv; the rows travel inside the fixture so the
// browser needs no file access). Features are standardised with the fixture's float32
// mean/std, the target MEDV is unscaled; step k trains on rows [32·(k mod 12), +32) with
// MSELoss and a plain SGD update p ← p − lr·grad written here (optimizers come later).
import * as torch from "../../build/torchlet.js";
import fx from "../fixtures/seed.json" with { type: "json" };
import { assertClose, assertEqual } from "./assert.ts";

type Tensor = ReturnType<typeof torch.tensor>;
interface TensorRec {
  shape: number[];
  values: number[];
}
interface ParamOwner {
  parameters(): Iterable<Tensor>;
  namedParameters(): Iterable<[string, Tensor]>;
  forward(x: Tensor): Tensor;
}

const seed = fx as unknown as {
  header: string[];
  csv: string[];
  nTrain: number;
  batchSize: number;
  steps: number;
  lr: number;
  mean: number[];
  std: number[];
  mean64: number[];
  std64: number[];
  init: Record<string, TensorRec>;
  losses: number[];
  afterFirstStep: Record<string, TensorRec>;
  final: Record<string, TensorRec>;
};
const NF = 13;

/** The CSV rows as float32 features [n, 13] and targets [n]. */
function parseRows(): { x: Float32Array; y: Float32Array; rows: number[][] } {
  const rows = seed.csv.map((line) => line.split(",").map(Number));
  const x = new Float32Array(rows.length * NF);
  const y = new Float32Array(rows.length);
  rows.forEach((r, i) => {
    x.set(r.slice(0, NF), i * NF);
    y[i] = r[NF];
  });
  return { x, y, rows };
}

/** Runs the fixture's loop on `net`; `names` maps the net's parameter names to the
 *  fixture's (Sequential's "0.weight", ...). */
function trainAndCompare(net: ParamOwner, names: Record<string, string>): void {
  const { x, y } = parseRows();
  const n = seed.nTrain;
  const B = seed.batchSize;

  // standardise with the library itself: x.sub(mean).div(std) in float32, as the generator
  const xs = torch
    .tensor(x, { shape: [n, NF] })
    .sub(torch.tensor(Float32Array.from(seed.mean), { shape: [NF] }))
    .div(torch.tensor(Float32Array.from(seed.std), { shape: [NF] }))
    .toArray();

  const params: Record<string, Tensor> = {};
  for (const [name, p] of net.namedParameters()) params[names[name] ?? name] = p;
  assertEqual(Object.keys(params), Object.keys(seed.init), "parameter names");
  torch.noGrad(() => {
    for (const [name, r] of Object.entries(seed.init)) {
      assertEqual([...params[name].shape], r.shape, `shape of ${name}`);
      params[name].copy_(Float32Array.from(r.values));
    }
  });

  const lossFn = new torch.nn.MSELoss();
  const nBatches = Math.floor(n / B);
  const losses: number[] = [];
  for (let k = 0; k < seed.steps; k++) {
    const b = k % nBatches;
    const xb = torch.tensor(xs.slice(b * B * NF, (b + 1) * B * NF), { shape: [B, NF] });
    const yb = torch.tensor(y.slice(b * B, (b + 1) * B), { shape: [B, 1] });
    for (const p of net.parameters()) p.grad = null;
    const loss = lossFn.forward(net.forward(xb), yb);
    losses.push(loss.item());
    loss.backward();
    torch.noGrad(() => {
      for (const p of net.parameters()) p.add_(p.grad!.mul(-seed.lr));
    });
    if (k === 0) {
      assertClose(losses[0], seed.losses[0], "loss at step 0");
      for (const [name, r] of Object.entries(seed.afterFirstStep)) {
        assertClose(params[name].toArray(), r.values, `${name} after step 0`);
      }
    }
  }
  assertClose(losses, seed.losses, "loss at every step");
  for (const [name, r] of Object.entries(seed.final)) {
    assertEqual([...params[name].shape], r.shape, `final shape of ${name}`);
    assertClose(params[name].toArray(), r.values, `final ${name}`);
  }
}

export const tests: Record<string, () => void | Promise<void>> = {
  "seed: the fixture's Boston rows parse, and their column statistics match": () => {
    assertEqual(seed.header.length, 14, "header columns");
    assertEqual(seed.header[NF], "MEDV", "target column");
    const { rows } = parseRows();
    assertEqual(rows.length, seed.nTrain, "row count");
    assertEqual(
      rows.every((r) => r.length === 14 && r.every(Number.isFinite)),
      true,
      "every row has 14 finite numbers",
    );
    // the generator's float64 population statistics, recomputed here in float64
    const mean = new Array<number>(NF).fill(0);
    const std = new Array<number>(NF).fill(0);
    for (const r of rows) for (let j = 0; j < NF; j++) mean[j] += r[j];
    for (let j = 0; j < NF; j++) mean[j] /= rows.length;
    for (const r of rows) for (let j = 0; j < NF; j++) std[j] += (r[j] - mean[j]) ** 2;
    for (let j = 0; j < NF; j++) std[j] = Math.sqrt(std[j] / rows.length);
    assertClose(mean, seed.mean64, "column means (float64)", 1e-9, 1e-9);
    assertClose(std, seed.std64, "column stds (float64)", 1e-9, 1e-9);
    assertClose(Float32Array.from(seed.mean64), Float32Array.from(seed.mean), "float32 means", 0, 0);
    assertClose(Float32Array.from(seed.std64), Float32Array.from(seed.std), "float32 stds", 0, 0);
  },

  "seed: Sequential(Linear(13, 10), ReLU, Linear(10, 1)), 50 SGD steps match PyTorch": () => {
    const net = new torch.nn.Sequential(new torch.nn.Linear(13, 10), new torch.nn.ReLU(), new torch.nn.Linear(10, 1));
    trainAndCompare(net, {});
  },

  "seed: TestNet as an nn.Module subclass, 50 SGD steps match PyTorch": () => {
    class TestNet extends torch.nn.Module {
      fc1 = new torch.nn.Linear(13, 10);
      relu = new torch.nn.ReLU();
      fc2 = new torch.nn.Linear(10, 1);
      forward(x: Tensor): Tensor {
        return this.fc2.forward(this.relu.forward(this.fc1.forward(x)));
      }
    }
    const net = new TestNet();
    const names: string[] = [];
    for (const [name] of net.namedParameters()) names.push(name);
    assertEqual(names, ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"], "TestNet namedParameters()");
    trainAndCompare(net, {
      "fc1.weight": "0.weight",
      "fc1.bias": "0.bias",
      "fc2.weight": "2.weight",
      "fc2.bias": "2.bias",
    });
  },
};
