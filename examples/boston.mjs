// npm run demo: the seed example, run. The seed's TestNet regresses the median house value
// of the Boston housing data (data/README.md) with the seed's second optimizer form
// (per-layer param groups) and a scheduler stepped once per epoch, in the seed's loop:
// for each epoch, train(); validate(); scheduler.step(). `--compare` runs the same with
// each of the seed's nine optimizers. `--help` lists the flags.
import { mkdirSync, writeFileSync } from "node:fs";
import { relative, resolve } from "node:path";
import * as torch from "../build/torchlet.js";
import { readFlags, USAGE } from "./boston/cli.mjs";
import { FEATURES, loadBoston } from "./boston/data.mjs";
import { buildOptimizer, describeSettings, OPTIMIZER_NAMES, OPTIMIZER_SETTINGS } from "./boston/optimizers.mjs";
import { lossCurvesSvg } from "./boston/plot.mjs";
import { progress } from "./boston/progress.mjs";
import { schedulerPlan } from "./boston/schedulers.mjs";

const { nn } = torch;
const BATCH_SIZE = 32;

// ---- the seed's model ---------------------------------------------------------------------
class TestNet extends nn.Module {
  constructor() {
    super();
    this.hidden = new nn.Sequential(new nn.Linear(FEATURES, 10), new nn.ReLU());
    this.regression = new nn.Linear(10, 1);
  }
  forward(x) {
    return this.regression.forward(this.hidden.forward(x));
  }
}

// ---- one training run ---------------------------------------------------------------------
/**
 * Trains a fresh TestNet (same initial weights every run) with optimizer `name` and
 * scheduler `schedulerName` for `epochs` epochs. Returns the model, the per-epoch training
 * and validation losses, the number of optimizer steps and the time taken.
 */
function fit(data, { optimizer: name, lr, scheduler: schedulerName, epochs }, display = {}) {
  torch.manualSeed(0);
  const model = new TestNet();
  const lossFn = new nn.MSELoss();
  const optimizer = buildOptimizer(name, model, lr);
  const { fullBatch, closure } = OPTIMIZER_SETTINGS[name];
  const n = data.xTrain.shape[0];

  const loader = new torch.utils.data.DataLoader(new torch.utils.data.TensorDataset(data.xTrain, data.yTrain),
    { batchSize: fullBatch ? n : BATCH_SIZE, shuffle: !fullBatch, generator: new torch.Generator().manualSeed(0) });

  const plan = schedulerPlan(schedulerName, epochs);
  const scheduler = plan.make(optimizer, loader.length);

  function train() {
    model.train();
    let sum = 0;
    for (const [xb, yb] of loader) {
      let loss;
      if (closure) {
        // LBFGS evaluates the loss several times per step: the loop's body becomes a closure.
        loss = optimizer.step(() => {
          optimizer.zeroGrad();
          const loss = lossFn.forward(model.forward(xb), yb);
          loss.backward();
          return loss;
        });
      } else {
        optimizer.zeroGrad();
        const output = model.forward(xb);
        loss = lossFn.forward(output, yb);
        loss.backward();
        optimizer.step();
      }
      if (plan.perBatch) scheduler.step();
      sum += loss.item() * xb.shape[0];
    }
    return sum / n;
  }

  function validate() {
    return torch.noGrad(() => {
      model.eval();
      return lossFn.forward(model.forward(data.xTest), data.yTest).item();
    });
  }

  const trainLosses = [], validationLosses = [];
  const bar = progress(epochs, display);
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const trainLoss = train();
    const validationLoss = validate();
    if (scheduler && !plan.perBatch) plan.onMetric ? scheduler.step(validationLoss) : scheduler.step();
    trainLosses.push(trainLoss);
    validationLosses.push(validationLoss);
    bar.update(epoch, { loss: trainLoss, lr: optimizer.paramGroups.at(-1).lr });
  }
  const ms = bar.done();
  return { model, trainLosses, validationLosses, steps: epochs * loader.length, seconds: ms / 1000 };
}

// ---- measures -----------------------------------------------------------------------------
/** Root mean squared error and mean absolute error of `pred` against `y` (both [N, 1]). */
function errors(pred, y) {
  return torch.noGrad(() => {
    const diff = pred.sub(y);
    return { rmse: Math.sqrt(diff.pow(2).mean().item()), mae: diff.abs().mean().item() };
  });
}

function modelErrors(model, x, y) {
  model.eval();
  return errors(torch.noGrad(() => model.forward(x)), y);
}

/** The baseline: predict the training rows' mean price for every house. */
function meanBaseline(data, x, y) {
  const mean = data.yTrain.mean().item();
  return errors(torch.full([x.shape[0], 1], mean), y);
}

// ---- output -------------------------------------------------------------------------------
function writeSvg(dir, file, svg) {
  mkdirSync(dir, { recursive: true });
  const path = resolve(dir, file);
  writeFileSync(path, svg);
  return relative(process.cwd(), path) || path;
}

const f2 = (v) => v.toFixed(2);
const pad = (s, n) => String(s).padEnd(n);

function header(data, extra) {
  console.log(`torchlet demo: the seed's TestNet on the Boston housing data`);
  console.log(`  data       ${data.xTrain.shape[0]} training rows, ${data.xTest.shape[0]} test rows (fixed-seed 80/20 split); ` +
    `${FEATURES} standardised features → ${data.names[FEATURES]} ($1000s)`);
  console.log(`  model      TestNet: hidden = Sequential(Linear(13, 10), ReLU()), regression = Linear(10, 1)`);
  for (const line of extra) console.log(`  ${line}`);
  console.log("");
}

function single(data, flags) {
  const { fullBatch, closure } = OPTIMIZER_SETTINGS[flags.optimizer];
  const settings = describeSettings(flags.optimizer, flags.lr);
  const plan = schedulerPlan(flags.scheduler, flags.epochs);
  header(data, [
    `optimizer  ${flags.optimizer}, ${closure ? "one param group" : "per-layer param groups"}: ${settings}`,
    `schedule   ${plan.label}`,
    `batches    ${fullBatch ? `the whole training set, one ${closure ? "step(closure)" : "step"} per epoch`
      : `minibatches of ${BATCH_SIZE}, reshuffled each epoch (fixed seed)`}; MSE loss`,
  ]);

  const run = fit(data, flags);
  const train = modelErrors(run.model, data.xTrain, data.yTrain), test = modelErrors(run.model, data.xTest, data.yTest);
  const baseTrain = meanBaseline(data, data.xTrain, data.yTrain), baseTest = meanBaseline(data, data.xTest, data.yTest);

  console.log(`\nResults (house prices in $1000s)      RMSE     MAE`);
  console.log(`  TestNet, training rows           ${f2(train.rmse).padStart(7)} ${f2(train.mae).padStart(7)}`);
  console.log(`  TestNet, test rows               ${f2(test.rmse).padStart(7)} ${f2(test.mae).padStart(7)}`);
  console.log(`  predict the mean, training rows  ${f2(baseTrain.rmse).padStart(7)} ${f2(baseTrain.mae).padStart(7)}`);
  console.log(`  predict the mean, test rows      ${f2(baseTest.rmse).padStart(7)} ${f2(baseTest.mae).padStart(7)}`);
  console.log(`  test RMSE ${f2(test.rmse)} against the baseline's ${f2(baseTest.rmse)}: ${Math.round((100 * test.rmse) / baseTest.rmse)}% of it`);
  console.log(`\n  time       ${flags.epochs} epochs, ${run.steps} optimizer steps in ${run.seconds.toFixed(2)} s`);

  const svg = lossCurvesSvg({
    title: `TestNet on Boston housing: ${flags.optimizer} and ${flags.scheduler}, ${flags.epochs} epochs`,
    subtitle: `${flags.optimizer} ${settings}; ${plan.label}; legend: final MSE`,
    panels: [{
      series: [{ name: "training loss", values: run.trainLosses }, { name: "validation loss", values: run.validationLosses }],
      references: [{ name: "predict the mean", value: baseTest.rmse ** 2 }],
    }],
    notes: { "training loss": f2(run.trainLosses.at(-1)), "validation loss": f2(run.validationLosses.at(-1)), "predict the mean": f2(baseTest.rmse ** 2) },
  });
  console.log(`  loss curve ${writeSvg(flags.out, "boston-loss.svg", svg)}`);
}

function compare(data, flags) {
  const plan = schedulerPlan(flags.scheduler, flags.epochs);
  header(data, [
    `optimizers the seed's nine, each at its own lr, in per-layer param groups (LBFGS: one group, full batch, step(closure))`,
    `schedule   ${plan.label}`,
  ]);
  const rows = [], runs = [];
  const width = Math.max(...OPTIMIZER_NAMES.map((s) => s.length)) + 2;
  for (const name of OPTIMIZER_NAMES) {
    const run = fit(data, { ...flags, optimizer: name, lr: undefined }, { label: pad(name, width), lines: 0 });
    const test = modelErrors(run.model, data.xTest, data.yTest);
    rows.push({ name, settings: describeSettings(name), test, seconds: run.seconds });
    runs.push({ name, trainLosses: run.trainLosses, validationLosses: run.validationLosses });
    if (!process.stdout.isTTY) console.log(`${pad(name, width)}done: test RMSE ${f2(test.rmse)} in ${run.seconds.toFixed(2)} s`);
  }
  const base = meanBaseline(data, data.xTest, data.yTest);
  const best = Math.min(...rows.map((r) => r.test.rmse));
  const settingsWidth = Math.max(...rows.map((r) => r.settings.length));
  console.log(`\n  ${pad("optimizer", width)}${pad("settings", settingsWidth + 2)}test RMSE  test MAE    time`);
  for (const r of rows) {
    console.log(`  ${pad(r.name, width)}${pad(r.settings, settingsWidth + 2)}${f2(r.test.rmse).padStart(9)}${f2(r.test.mae).padStart(10)}` +
      `${(r.seconds.toFixed(2) + " s").padStart(8)}${r.test.rmse === best ? "  ← best" : ""}`);
  }
  console.log(`  ${pad("predict the mean", width + settingsWidth + 2)}${f2(base.rmse).padStart(9)}${f2(base.mae).padStart(10)}`);
  const total = rows.reduce((s, r) => s + r.seconds, 0);
  console.log(`\n  time       ${rows.length} runs of ${flags.epochs} epochs in ${total.toFixed(1)} s`);
  const baseTrain = meanBaseline(data, data.xTrain, data.yTrain);
  const svg = lossCurvesSvg({
    title: `TestNet on Boston housing: the seed's nine optimizers, ${flags.epochs} epochs`,
    subtitle: `each at its own lr (see the table); ${plan.label.replace(/\(.*/, "")} for all; legend: final test RMSE`,
    panels: [
      { title: "training loss", series: runs.map((r) => ({ name: r.name, values: r.trainLosses })),
        references: [{ name: "predict the mean", value: baseTrain.rmse ** 2 }] },
      { title: "validation loss (test rows)", series: runs.map((r) => ({ name: r.name, values: r.validationLosses })),
        references: [{ name: "predict the mean", value: base.rmse ** 2 }] },
    ],
    notes: { ...Object.fromEntries(rows.map((r) => [r.name, f2(r.test.rmse)])), "predict the mean": f2(base.rmse) },
  });
  console.log(`  loss curves ${writeSvg(flags.out, "boston-compare.svg", svg)}`);
}

// ---- main ---------------------------------------------------------------------------------
let flags;
try {
  flags = readFlags(process.argv.slice(2));
} catch (e) {
  console.error(`boston.mjs: ${e.message}\nRun with --help for the flags.`);
  process.exit(2);
}
if (flags.help) {
  console.log(USAGE);
} else {
  const data = loadBoston();
  (flags.compare ? compare : single)(data, flags);
}
