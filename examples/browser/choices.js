// What the page lets a person pick: every optimizer torchlet has, each with a learning rate
// that trains this network well in a few epochs, and the lr schedulers, each set up from the
// run's length alone. Plain data and small functions, no torchlet: the page's thread reads
// it to fill its selects, and the worker (training.js) builds from it, passing in
// `torch.optim.lrScheduler`.

/**
 * name → `{ lr, options?, note?, scheduleFree? }`: `lr` is the default the page fills in,
 * `options` go to the constructor beside it. Listed as the selects show them: PyTorch's
 * `torch.optim` first, then the ones beyond it.
 */
export const OPTIMIZERS = {
  Adadelta: { lr: 1 },
  Adafactor: { lr: 0.1, note: "the lr caps its relative step size" },
  Adagrad: { lr: 0.05 },
  Adam: { lr: 0.01 },
  AdamW: { lr: 0.01 },
  Adamax: { lr: 0.02 },
  ASGD: { lr: 0.1 },
  // LBFGS re-evaluates the loss several times a step (training.js passes it a closure); a
  // few iterations and a line search per minibatch keep a step's cost and size in hand.
  LBFGS: { lr: 1, options: { maxIter: 4, historySize: 10, lineSearchFn: "strong_wolfe" }, note: "4 iterations a minibatch, strong Wolfe line search" },
  // Muon takes only 2-D parameters (here the Linear layer's weight); AdamW takes the rest,
  // at the same lr, which Muon's "match_rms_adamw" scaling is made for (PyTorch's docs).
  Muon: { lr: 0.005, options: { adjustLrFn: "match_rms_adamw" }, note: "for the Linear weight; AdamW for the rest" },
  NAdam: { lr: 0.01 },
  RAdam: { lr: 0.01 },
  RMSprop: { lr: 0.003 },
  Rprop: { lr: 0.01 },
  SGD: { lr: 0.05, options: { momentum: 0.9, nesterov: true }, note: "momentum 0.9, Nesterov" },
  Lion: { lr: 0.001 },
  LAMB: { lr: 0.005 },
  ScheduleFreeAdamW: { lr: 0.01, scheduleFree: true },
  ScheduleFreeSGD: { lr: 0.3, scheduleFree: true },
};
/** The optimizers torchlet has beyond `torch.optim` (the select lists them apart). */
export const BEYOND_PYTORCH = ["Lion", "LAMB", "ScheduleFreeAdamW", "ScheduleFreeSGD"];

/**
 * name → `{ label, describe(epochs), make(lrScheduler, optimizer, run) → scheduler | null,
 * perBatch?, onTestLoss? }`, `run` being `{ epochs, stepsPerEpoch, scheduleFree }`. Stepped
 * after every batch where the schedule is a curve over the whole run (`perBatch`), else once
 * an epoch as in PyTorch's docs; ReduceLROnPlateau (`onTestLoss`) gets the epoch's test loss.
 */
export const SCHEDULERS = {
  none: { label: "none (constant lr)", describe: () => "a constant lr", make: () => null },
  OneCycleLR: {
    label: "OneCycleLR", perBatch: true, describe: () => "OneCycleLR (up to the lr 30% in, then down to ~0)",
    // Momentum (or β1) is cycled where there is one, as PyTorch refuses it otherwise; not in a
    // schedule-free optimizer, whose train() and eval() each read β1 and must read the same.
    make: (lrScheduler, opt, { epochs, stepsPerEpoch, scheduleFree }) => new lrScheduler.OneCycleLR(opt, {
      maxLr: opt.paramGroups.map((g) => g.lr), epochs, stepsPerEpoch,
      cycleMomentum: !scheduleFree && ("momentum" in opt.defaults || "betas" in opt.defaults),
    }),
  },
  StepLR: {
    label: "StepLR", describe: (epochs) => `StepLR (×0.3 every ${stepSize(epochs)} epochs)`,
    make: (lrScheduler, opt, { epochs }) => new lrScheduler.StepLR(opt, { stepSize: stepSize(epochs), gamma: 0.3 }),
  },
  CosineAnnealingLR: {
    label: "CosineAnnealingLR", perBatch: true, describe: () => "CosineAnnealingLR (a half cosine down to 0 over the run)",
    make: (lrScheduler, opt, { epochs, stepsPerEpoch }) => new lrScheduler.CosineAnnealingLR(opt, { TMax: epochs * stepsPerEpoch }),
  },
  ExponentialLR: {
    label: "ExponentialLR", describe: (epochs) => `ExponentialLR (×${decay(epochs).toFixed(2)} an epoch, to a hundredth)`,
    make: (lrScheduler, opt, { epochs }) => new lrScheduler.ExponentialLR(opt, { gamma: decay(epochs) }),
  },
  LinearLR: {
    label: "LinearLR warmup", perBatch: true, describe: () => "LinearLR (warmup from a tenth of the lr over the first epoch)",
    make: (lrScheduler, opt, { stepsPerEpoch }) => new lrScheduler.LinearLR(opt, { startFactor: 0.1, totalIters: stepsPerEpoch }),
  },
  ReduceLROnPlateau: {
    label: "ReduceLROnPlateau", onTestLoss: true, describe: () => "ReduceLROnPlateau (×0.3 when the test loss stalls 2 epochs)",
    make: (lrScheduler, opt) => new lrScheduler.ReduceLROnPlateau(opt, { factor: 0.3, patience: 1 }),
  },
};
const stepSize = (epochs) => Math.max(1, Math.round(epochs / 3));
const decay = (epochs) => 0.01 ** (1 / epochs);

/** The page's first choice: today's recipe, Adam under OneCycleLR. */
export const DEFAULT_CHOICE = { optimizer: "Adam", lr: OPTIMIZERS.Adam.lr, scheduler: "OneCycleLR", epochs: 10 };

/** The lr typed in `text` as a number, or throws a message a person can act on. */
export function parseLr(text) {
  const lr = Number(text);
  if (String(text).trim() === "" || !Number.isFinite(lr) || lr <= 0) {
    throw new Error(`Learning rate: expected a positive number such as 0.01 or 1e-3, got ${JSON.stringify(String(text))}`);
  }
  return lr;
}

/**
 * `choice` (`{ optimizer, lr, scheduler, epochs }`) checked completely, as the worker gets
 * it from a message: throws naming the first bad field.
 */
export function checkChoice(choice) {
  const { optimizer, lr, scheduler, epochs } = choice ?? {};
  if (!Object.hasOwn(OPTIMIZERS, optimizer)) throw new Error(`optimizer: expected one of ${Object.keys(OPTIMIZERS).join(", ")}, got ${JSON.stringify(optimizer)}`);
  if (!Object.hasOwn(SCHEDULERS, scheduler)) throw new Error(`scheduler: expected one of ${Object.keys(SCHEDULERS).join(", ")}, got ${JSON.stringify(scheduler)}`);
  if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`epochs: expected a whole number ≥ 1, got ${JSON.stringify(epochs)}`);
  if (typeof lr !== "number") throw new Error(`lr: expected a number, got ${JSON.stringify(lr)}`);
  parseLr(lr);
  return choice;
}

/** The choice in a line, for the page's footer: "Adam (lr 0.01) under OneCycleLR (…)". */
export function describeChoice({ optimizer, lr, scheduler, epochs }) {
  const { options = {}, note } = OPTIMIZERS[optimizer];
  const extra = note ?? Object.entries(options).map(([k, v]) => `${k} ${v}`).join(", ");
  return `${optimizer} (lr ${lr}${extra ? `, ${extra}` : ""}) with ${SCHEDULERS[scheduler].describe(epochs)}`;
}
