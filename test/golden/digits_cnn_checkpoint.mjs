// The digits CNN of examples/browser/model.js in checkpoints, both ways. test/golden/
// gen_checkpoints.py trains it in PyTorch with each of DIGITS_CNN_RUNS, saves it after
// DIGITS_CNN_STEPS steps and records how PyTorch continues; write_torchlet_checkpoint.mjs
// saves torchlet's own Adam run (buildDigitsCnnCheckpoint) for PyTorch to load and continue.
// Takes the torchlet module, so it runs in every test runtime
// (test/cases/serialization_digits_cnn.ts).

export const DIGITS_CNN_STEPS = 3;
/** How many images of data/digits.csv.gz (its first rows) the runs train on. */
export const DIGITS_CNN_IMAGES = 32;

/**
 * The runs, each with a StepLR(stepSize 2, gamma 0.5). Adam's weight decay is there for the
 * convolutions' biases: each feeds a BatchNorm2d, whose batch mean takes it out again, so its
 * gradient is zero but for rounding noise, which Adam would scale up to lr-sized steps that
 * no two implementations share; the decay term gives those gradients a value PyTorch and
 * torchlet agree on.
 */
export const DIGITS_CNN_RUNS = {
  adam: { optimizer: "Adam", options: { lr: 0.01, weightDecay: 0.01 } },
  sgd_momentum: { optimizer: "SGD", options: { lr: 0.05, momentum: 0.9 } },
};
export const DIGITS_CNN_STEP_LR = { stepSize: 2, gamma: 0.5 };

/** examples/browser/model.js's network, layer for layer (PyTorch's twin is in gen_checkpoints.py). */
export function digitsCnn(torch) {
  const { nn } = torch;
  class DigitsCNN extends nn.Module {
    features = new nn.Sequential(
      new nn.Conv2d(1, 16, 3, { padding: 1 }), new nn.BatchNorm2d(16), new nn.ReLU(), new nn.MaxPool2d(2), // [N, 16, 4, 4]
      new nn.Conv2d(16, 32, 3, { padding: 1 }), new nn.BatchNorm2d(32), new nn.ReLU(), new nn.MaxPool2d(2), // [N, 32, 2, 2]
    );
    classifier = new nn.Sequential(new nn.Flatten(), new nn.Linear(32 * 2 * 2, 10));
    forward(x) { return this.classifier.forward(this.features.forward(x)); }
  }
  return new DigitsCNN();
}

/** The batch as tensors: x [N, 1, 8, 8] (pixels / 16), y [N] int32. */
export function digitsBatch(torch, batch) {
  return {
    x: torch.tensor(batch.x, { shape: [batch.y.length, 1, 8, 8] }),
    y: torch.tensor(batch.y, { dtype: "int32" }),
  };
}

/**
 * A model (in train mode) with run `name`'s optimizer and StepLR; `step()` takes one step on
 * the batch and returns the loss before it.
 */
export function digitsCnnRun(torch, name, model, data) {
  const { optimizer, options } = DIGITS_CNN_RUNS[name];
  const opt = new torch.optim[optimizer](model.parameters(), options);
  const sched = new torch.optim.lrScheduler.StepLR(opt, DIGITS_CNN_STEP_LR);
  const lossFn = new torch.nn.CrossEntropyLoss();
  const step = () => {
    opt.zeroGrad();
    const loss = lossFn.forward(model.forward(data.x), data.y);
    loss.backward();
    opt.step();
    sched.step();
    return loss.item();
  };
  return { opt, sched, step };
}

/** torchlet's own Adam run from a seeded initialisation, DIGITS_CNN_STEPS steps, saved with torch.save. */
export function buildDigitsCnnCheckpoint(torch, batch) {
  const data = digitsBatch(torch, batch);
  torch.manualSeed(13);
  const model = digitsCnn(torch);
  const run = digitsCnnRun(torch, "adam", model, data);
  for (let i = 0; i < DIGITS_CNN_STEPS; i++) run.step();
  const bytes = torch.save({ model: model.stateDict(), optimizer: run.opt, scheduler: run.sched, epoch: DIGITS_CNN_STEPS });
  return { model, data, ...run, bytes };
}

/**
 * What the generator checks PyTorch's reading against, small enough to commit: each tensor's
 * shape, its sum and its sum weighted by position (1, 2, 3, …), in float64.
 */
export function fingerprint(values) {
  let sum = 0, weighted = 0;
  for (let i = 0; i < values.length; i++) {
    sum += values[i];
    weighted += values[i] * (i + 1);
  }
  return { sum, weighted };
}

/** The file's contents as fingerprints, with the run's settings and batch, for the generator. */
export function digitsCnnExpected(ck, batch) {
  const t = (v) => ({ shape: v.shape.slice(), dtype: v.dtype, ...fingerprint(v.toArray()) });
  const model = Object.fromEntries(Object.entries(ck.model.stateDict()).map(([k, v]) => [k, t(v)]));
  const state = Object.fromEntries(Object.entries(ck.opt.stateDict().state).map(([i, e]) => [i, Object.fromEntries(
    Object.entries(e).map(([n, v]) => [n, v instanceof Float32Array ? fingerprint(v) : v]))]));
  return {
    steps: DIGITS_CNN_STEPS, runs: DIGITS_CNN_RUNS, stepLr: DIGITS_CNN_STEP_LR, batch,
    model, optimizer: { state, paramGroups: ck.opt.stateDict().paramGroups }, scheduler: ck.sched.stateDict(),
  };
}
