// The checkpoint torchlet writes for PyTorch to read (test/golden/gen_checkpoints.py loads it
// with torch.load(weights_only=True) and continues the run). Shared by the writer below and
// by test/cases/serialization_written.ts, which checks that torch.save still writes these
// exact bytes. Takes the torchlet module, so it runs in every test runtime;
// write_torchlet_checkpoint.mjs writes the files.

export const STEPS = 3;

/** TestNet (as in the README) trained STEPS Adam steps with a StepLR, on seeded data. */
export function buildCheckpoint(torch) {
  const { nn, optim } = torch;
  class TestNet extends nn.Module {
    hidden = new nn.Sequential(new nn.Linear(13, 10), new nn.ReLU());
    regression = new nn.Linear(10, 1);
    forward(x) { return this.regression.forward(this.hidden.forward(x)); }
  }
  torch.manualSeed(7);
  const model = new TestNet();
  const x = torch.randn([32, 13]);
  const y = torch.randn([32, 1]);
  const opt = new optim.Adam(model.parameters(), { lr: 0.01, amsgrad: true });
  const sched = new optim.lrScheduler.StepLR(opt, { stepSize: 2, gamma: 0.5 });
  const lossFn = new nn.MSELoss();
  const step = () => {
    opt.zeroGrad();
    lossFn.forward(model.forward(x), y).backward();
    opt.step();
    sched.step();
  };
  for (let i = 0; i < STEPS; i++) step();
  const obj = {
    model: model.stateDict(),
    optimizer: opt,
    scheduler: sched,
    epoch: STEPS,
    data: { x, y },
    extras: {
      indices: torch.tensor([0, 5, -3, 2147483647], { dtype: "int32" }),
      mask: torch.tensor([true, false, true]),
      scalar: torch.tensor(2.5),
      nested: [1, -2, 2 ** 40, 0.1, "text", true, false, null, [[]], new Map([[0, "zero"], [7, "seven"]])],
      bytes: new Uint8Array([0, 1, 254, 255]),
    },
  };
  const safetensors = torch.saveSafetensors(
    { ...model.stateDict(), indices: obj.extras.indices, mask: obj.extras.mask },
    { format: "pt", writer: "torchlet" },
  );
  return { model, opt, sched, step, obj, bytes: torch.save(obj), safetensors, x, y };
}

/**
 * One run per optimizer (options that create every state entry), on Linear(3, 2): the file
 * after 2 steps goes to PyTorch, which continues 2 more steps; so do the JS tests.
 */
export const OPTIMIZERS = {
  SGD: { lr: 0.05, momentum: 0.9, dampening: 0.1, weightDecay: 0.01 },
  Adam: { lr: 0.01, amsgrad: true },
  AdamW: { lr: 0.01, weightDecay: 0.1 },
  Adadelta: { lr: 0.5, weightDecay: 0.01 },
  Adagrad: { lr: 0.1, lrDecay: 0.01, initialAccumulatorValue: 0.1 },
  Adamax: { lr: 0.01 },
  ASGD: { lr: 0.01, t0: 1 },
  LBFGS: { lr: 0.5, historySize: 3, maxIter: 4 },
  NAdam: { lr: 0.01 },
  RAdam: { lr: 0.01 },
  RMSprop: { lr: 0.01, momentum: 0.9, centered: true },
  Rprop: { lr: 0.01 },
  Adafactor: { lr: 0.05, weightDecay: 0.01 },
  Muon: { lr: 0.02 },
};
export const OPTIMIZER_STEPS = 2;

/** The data of the optimizer runs (seeded; the JSON carries it to PyTorch). */
export function optimizerData(torch) {
  torch.manualSeed(11);
  return { x: torch.randn([4, 3]), y: torch.randn([4, 2]) };
}

/**
 * A Linear(3, 2) and `name` with its OPTIMIZERS options (Muon takes the weight only: it takes
 * matrices); `step()` takes one step (LBFGS: with a closure).
 */
export function optimizerRun(torch, name, model, data) {
  const opt = new torch.optim[name](name === "Muon" ? [model.weight] : model.parameters(), OPTIMIZERS[name]);
  const lossFn = new torch.nn.MSELoss();
  const closure = () => {
    opt.zeroGrad();
    const loss = lossFn.forward(model.forward(data.x), data.y);
    loss.backward();
    return loss;
  };
  const step = () => { if (name === "LBFGS") opt.step(closure); else { closure(); opt.step(); } };
  return { opt, step };
}

/** Each optimizer after OPTIMIZER_STEPS steps from a seeded Linear(3, 2), saved with torch.save. */
export function buildOptimizerCheckpoints(torch) {
  const data = optimizerData(torch);
  const out = {};
  for (const name of Object.keys(OPTIMIZERS)) {
    torch.manualSeed(5);
    const model = new torch.nn.Linear(3, 2);
    const run = optimizerRun(torch, name, model, data);
    for (let i = 0; i < OPTIMIZER_STEPS; i++) run.step();
    out[name] = { model, ...run, bytes: torch.save({ model: model.stateDict(), optimizer: run.opt }) };
  }
  return { data, runs: out };
}

/** Plain values of what was saved, for the generator to compare PyTorch's reading with. */
export function expectedValues(ck) {
  const t = (v) => ({ dtype: v.dtype, shape: v.shape.slice(), values: Array.from(v.toArray()) });
  const model = Object.fromEntries(Object.entries(ck.model.stateDict()).map(([k, v]) => [k, t(v)]));
  const sd = ck.opt.stateDict();
  const state = Object.fromEntries(Object.entries(sd.state).map(([k, e]) => [k, Object.fromEntries(
    Object.entries(e).map(([n, v]) => [n, v instanceof Float32Array ? Array.from(v) : v]))]));
  return { model, optimizer: { state, paramGroups: sd.paramGroups }, scheduler: ck.sched.stateDict(), x: t(ck.x), y: t(ck.y), steps: STEPS };
}

/** What the generator needs to rebuild the optimizer runs in PyTorch. */
export function optimizerExpected(torch, ckpts) {
  const t = (v) => ({ shape: v.shape.slice(), values: Array.from(v.toArray()) });
  return { options: OPTIMIZERS, steps: OPTIMIZER_STEPS, x: t(ckpts.data.x), y: t(ckpts.data.y) };
}

/**
 * One of each scheduler on SGD(lr 0.1, momentum 0.9) over a Linear(3, 2), stepped
 * SCHEDULER_STEPS times and saved, then continued as many steps (by PyTorch and here).
 * Functions travel by name (LAMBDAS), as a state dict never holds them.
 */
export const SCHEDULERS = {
  StepLR: { options: { stepSize: 2, gamma: 0.5 } },
  MultiStepLR: { options: { milestones: [1, 3], gamma: 0.5 } },
  ExponentialLR: { options: { gamma: 0.9 } },
  CosineAnnealingLR: { options: { TMax: 5, etaMin: 0.01 } },
  LinearLR: { options: { startFactor: 0.5, totalIters: 3 } },
  ConstantLR: { options: { factor: 0.5, totalIters: 2 } },
  PolynomialLR: { options: { totalIters: 4, power: 2 } },
  LambdaLR: { options: { lrLambda: "pow09" } },
  MultiplicativeLR: { options: { lrLambda: "const095" } },
  CosineAnnealingWarmRestarts: { options: { T0: 2, TMult: 2, etaMin: 0.001 } },
  CyclicLR: { options: { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 2 } },
  OneCycleLR: { options: { maxLr: 0.1, totalSteps: 10 } },
  ReduceLROnPlateau: { options: { factor: 0.5, patience: 0 }, metrics: [1, 1, 0.5, 0.5, 0.5, 0.4] },
  SequentialLR: { children: [["ConstantLR", { factor: 0.5, totalIters: 2 }], ["ExponentialLR", { gamma: 0.9 }]], options: { milestones: [2] } },
  ChainedScheduler: { children: [["ConstantLR", { factor: 0.5, totalIters: 2 }], ["ExponentialLR", { gamma: 0.9 }]] },
  SWALR: { options: { swaLr: 0.05, annealEpochs: 3 } },
};
export const SCHEDULER_STEPS = 3;
const LAMBDAS = { pow09: (e) => 0.9 ** e, const095: () => 0.95 };

/** A fresh SGD and the scheduler `name`; `step(i)` takes step i (1-based). */
export function schedulerRun(torch, name) {
  const L = torch.optim.lrScheduler;
  const spec = SCHEDULERS[name];
  torch.manualSeed(5);
  const model = new torch.nn.Linear(3, 2);
  const opt = new torch.optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
  const options = { ...spec.options };
  if (typeof options.lrLambda === "string") options.lrLambda = LAMBDAS[options.lrLambda];
  const children = (spec.children ?? []).map(([type, o]) => new L[type](opt, o));
  const sched = name === "SWALR" ? new torch.optim.swaUtils.SWALR(opt, options)
    : name === "ChainedScheduler" ? new L.ChainedScheduler(children)
    : name === "SequentialLR" ? new L.SequentialLR(opt, { schedulers: children, ...options })
    : new L[name](opt, options);
  const step = (i) => (spec.metrics ? sched.step(spec.metrics[i - 1]) : sched.step());
  /** What the tests compare: group 0's lr and momentum. */
  const read = () => [opt.paramGroups[0].lr, opt.paramGroups[0].momentum];
  return { opt, sched, step, read };
}

/** Every scheduler after SCHEDULER_STEPS steps, in one torch.save. */
export function buildSchedulerCheckpoint(torch) {
  const runs = {};
  const obj = {};
  for (const name of Object.keys(SCHEDULERS)) {
    const run = schedulerRun(torch, name);
    for (let i = 1; i <= SCHEDULER_STEPS; i++) run.step(i);
    runs[name] = run;
    obj[name] = { optimizer: run.opt, scheduler: run.sched };
  }
  return { runs, bytes: torch.save(obj) };
}
