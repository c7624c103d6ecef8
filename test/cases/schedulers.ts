// torch.optim.lrScheduler against PyTorch (test/fixtures/schedulers.json, written by
// test/golden/gen_schedulers.py).
//
// Each fixture case is a spec (optimizer with two param groups of different lr, scheduler
// with its options, steps or metrics) replayed here through the public API: the lr of every
// group after construction and after every step, getLastLr(), lastEpoch, momentum/betas[0]
// where CyclicLR/OneCycleLR cycle it, the keys the scheduler writes into the groups, the
// stateDict keys (PyTorch's, camelCased), and a resume from stateDict() half-way through
// into a fresh optimizer and scheduler that must continue identically.
//
// Schedules are f64 host maths in PyTorch's operation order, so they are held to a much
// tighter tolerance (LR_TOL) than the project's float32 one (1e-5 + 1e-4·|b|); the seed
// pattern's losses and weights are float32 training and use the project's tolerance.
import * as torch from "../../build/torchlet.js";
import fx from "../fixtures/schedulers.json" with { type: "json" };
import { assertClose, assertEqual, assertThrows } from "./assert.ts";

// The optimizers and schedulers are looked up by name from the spec.
// deno-lint-ignore no-explicit-any
type Any = any;
const optim: Any = torch.optim;
const S: Any = optim.lrScheduler;

/** atol, rtol for f64 schedule values (PyTorch's own floats, up to libm ulps). */
export const LR_TOL = [1e-15, 1e-10] as const;

/** The functions the fixture names; the same table is in gen_schedulers.py. */
export const LAMBDAS: Record<string, (x: number) => number> = {
  pow095: (e) => 0.95 ** e,
  epochDiv3: (e) => Math.floor(e / 3),
  linearWarmup4: (e) => Math.min(1.0, (e + 1) / 4),
  const095: () => 0.95,
  const09: () => 0.9,
  alternate: (e) => (e % 2 ? 1.1 : 0.9),
  halfPow: (x) => 0.5 ** x,
  invSqrt: (x) => (x > 0 ? 1 / Math.sqrt(x) : 1.0),
};

export interface OptimizerSpec {
  type: string;
  options?: Record<string, unknown>;
  groups: Record<string, unknown>[];
}
export interface SchedulerSpec {
  type: string;
  options?: Record<string, Any>;
  schedulers?: SchedulerSpec[];
}
export interface ScheduleCase {
  name: string;
  optimizer: OptimizerSpec;
  scheduler: SchedulerSpec;
  steps?: number;
  metrics?: number[];
  epochs?: number[];
  trackMomentum?: boolean;
  resumeAt: number;
  groupKeys: Record<string, number | number[]>[];
  stateDictKeys: string[];
  lr: number[][];
  lastLr: number[][];
  lastEpoch?: number[];
  momentum?: number[][];
}

export function makeOptimizer(spec: OptimizerSpec): Any {
  const groups = spec.groups.map((g) => ({ ...g, params: [torch.zeros([2], { requiresGrad: true })] }));
  return new optim[spec.type](groups, { ...spec.options });
}

export function makeScheduler(opt: Any, spec: SchedulerSpec): Any {
  if (spec.type === "ChainedScheduler") {
    const children = spec.schedulers!.map((s) => makeScheduler(opt, s));
    return spec.options?.optimizer ? new S.ChainedScheduler(children, { optimizer: opt }) : new S.ChainedScheduler(children);
  }
  const o: Record<string, Any> = { ...spec.options };
  if (o.schedulers) o.schedulers = o.schedulers.map((s: SchedulerSpec) => makeScheduler(opt, s));
  for (const k of ["lrLambda", "scaleFn"]) {
    if (typeof o[k] === "string") o[k] = LAMBDAS[o[k]];
    else if (Array.isArray(o[k])) o[k] = o[k].map((n: string) => LAMBDAS[n]);
  }
  const cls = spec.type === "SWALR" ? optim.swaUtils.SWALR : S[spec.type];
  return new cls(opt, o);
}

export function nSteps(c: Pick<ScheduleCase, "metrics" | "epochs" | "steps">): number {
  return c.metrics?.length ?? c.epochs?.length ?? c.steps!;
}

export function drive(sched: Any, c: Pick<ScheduleCase, "metrics" | "epochs">, i: number): void {
  if (c.metrics) sched.step(c.metrics[i - 1]);
  else if (c.epochs) sched.step(c.epochs[i - 1]);
  else sched.step();
}

const lrsOf = (opt: Any): number[] => opt.paramGroups.map((g: Any) => g.lr);
const momentumOf = (opt: Any): number[] => opt.paramGroups.map((g: Any) => ("betas" in g ? g.betas[0] : g.momentum));

export function closeLr(actual: ArrayLike<number>, expected: ArrayLike<number>, msg: string): void {
  assertClose(actual, expected, msg, LR_TOL[0], LR_TOL[1]);
}

/** Replays one fixture case: trajectory, group keys, stateDict keys, and the resume. */
export function replay(c: ScheduleCase): void {
  const opt = makeOptimizer(c.optimizer);
  const sched = makeScheduler(opt, c.scheduler);
  c.groupKeys.forEach((keys, g) => {
    for (const [k, v] of Object.entries(keys)) {
      const got = opt.paramGroups[g][k];
      if (Array.isArray(v)) closeLr(got, v, `${c.name}: paramGroups[${g}].${k}`);
      else closeLr([got], [v], `${c.name}: paramGroups[${g}].${k}`);
    }
  });
  const check = (i: number, o: Any, s: Any, full: boolean): void => {
    const at = `${c.name} after ${i} steps`;
    closeLr(lrsOf(o), c.lr[i], `${at}: lr`);
    if (c.momentum) closeLr(momentumOf(o), c.momentum[i], `${at}: momentum`);
    if (!full) return;
    closeLr(s.getLastLr(), c.lastLr[i], `${at}: getLastLr()`);
    if (c.lastEpoch) assertEqual(s.lastEpoch, c.lastEpoch[i], `${at}: lastEpoch`);
  };
  check(0, opt, sched, true);
  const n = nSteps(c);
  let saved: [Any, Any] | null = null;
  for (let i = 1; i <= n; i++) {
    drive(sched, c, i);
    check(i, opt, sched, true);
    if (i === c.resumeAt) {
      // structuredClone: the state dicts must be plain data (no functions)
      saved = [structuredClone(opt.stateDict()), structuredClone(sched.stateDict())];
      assertEqual(Object.keys(saved[1]).sort(), c.stateDictKeys, `${c.name}: stateDict() keys`);
    }
  }
  // resume: a fresh optimizer and scheduler (scheduler first, as PyTorch's docs ask), load both
  const opt2 = makeOptimizer(c.optimizer);
  const sched2 = makeScheduler(opt2, c.scheduler);
  opt2.loadStateDict(saved![0]);
  sched2.loadStateDict(saved![1]);
  for (let i = c.resumeAt + 1; i <= n; i++) {
    drive(sched2, c, i);
    check(i, opt2, sched2, false);
  }
}

// ---------------------------------------------------------------------- the seed's pattern

interface SeedPattern {
  scheduler: "StepLR" | "ReduceLROnPlateau";
  x: number[];
  y: number[];
  xVal: number[];
  yVal: number[];
  weight0: number[];
  bias0: number[];
  lr: number;
  momentum: number;
  epochs: number;
  lrs: number[];
  trainLoss: number[];
  valLoss: number[];
  finalLr: number;
  weight: number[];
  bias: number[];
}

/** `for epoch … train(); validate(); scheduler.step()` on a tiny linear regression. */
function seedPattern(p: SeedPattern): void {
  const col = (v: number[]) => torch.tensor(v, { shape: [v.length, 1] });
  const [x, y, xVal, yVal] = [col(p.x), col(p.y), col(p.xVal), col(p.yVal)];
  const model = new torch.nn.Linear(1, 1);
  torch.noGrad(() => {
    model.weight.copy_(p.weight0);
    model.bias!.copy_(p.bias0);
  });
  const opt = new optim.SGD(model.parameters(), { lr: p.lr, momentum: p.momentum });
  const scheduler =
    p.scheduler === "StepLR"
      ? new S.StepLR(opt, { stepSize: 4, gamma: 0.5 })
      : new S.ReduceLROnPlateau(opt, { factor: 0.5, patience: 1 });
  const lossFn = new torch.nn.MSELoss();
  const lrs: number[] = [];
  const trainLoss: number[] = [];
  const valLoss: number[] = [];

  const train = (): number => {
    opt.zeroGrad();
    const loss = lossFn.forward(model.forward(x), y);
    loss.backward();
    opt.step();
    return loss.item();
  };
  const validate = (): number => torch.noGrad(() => lossFn.forward(model.forward(xVal), yVal).item());

  for (let epoch = 0; epoch < p.epochs; epoch++) {
    lrs.push(opt.paramGroups[0].lr);
    trainLoss.push(train());
    const val = validate();
    valLoss.push(val);
    if (p.scheduler === "StepLR") scheduler.step();
    else scheduler.step(val);
  }
  const name = `seed pattern with ${p.scheduler}`;
  closeLr(lrs, p.lrs, `${name}: lr per epoch`);
  closeLr([opt.paramGroups[0].lr], [p.finalLr], `${name}: final lr`);
  assertClose(trainLoss, p.trainLoss, `${name}: train loss per epoch`);
  assertClose(valLoss, p.valLoss, `${name}: validation loss per epoch`);
  assertClose(model.weight.toArray(), p.weight, `${name}: final weight`);
  assertClose(model.bias!.toArray(), p.bias, `${name}: final bias`);
}

// ---------------------------------------------------------------------- bad input

const sgd = (momentum = 0.9): Any => makeOptimizer({ type: "SGD", options: { lr: 0.1, momentum }, groups: [{ lr: 0.1 }, { lr: 0.05 }] });
const adagrad = (): Any => makeOptimizer({ type: "Adagrad", options: { lr: 0.1 }, groups: [{ lr: 0.1 }, { lr: 0.05 }] });

/** Plain-data snapshot of the param groups (everything but the tensors). */
export function groupsSnapshot(opt: Any): string {
  return JSON.stringify(opt.paramGroups.map(({ params: _, ...rest }: Any) => rest));
}

/**
 * [what, setup, expected message, optimizer (default: SGD with momentum, two groups)]:
 * setup(opt) builds what the failing call needs and returns the call; the param groups must
 * be the same before and after the call.
 */
export const ERROR_CASES: [string, (opt: Any) => () => unknown, RegExp, (() => Any)?][] = [
  // missing required options
  ["StepLR without stepSize", (o) => () => new S.StepLR(o, { gamma: 0.5 }), /StepLR: missing required option stepSize/],
  ["StepLR without options", (o) => () => new S.StepLR(o), /StepLR: missing required option stepSize/],
  ["ExponentialLR without gamma", (o) => () => new S.ExponentialLR(o, {}), /ExponentialLR: missing required option gamma/],
  ["CosineAnnealingLR without TMax", (o) => () => new S.CosineAnnealingLR(o, { etaMin: 0 }), /missing required option TMax/],
  ["CosineAnnealingWarmRestarts without T0", (o) => () => new S.CosineAnnealingWarmRestarts(o, {}), /missing required option T0/],
  ["MultiStepLR without milestones", (o) => () => new S.MultiStepLR(o, {}), /missing required option milestones/],
  ["LambdaLR without lrLambda", (o) => () => new S.LambdaLR(o, {}), /missing required option lrLambda/],
  ["CyclicLR without maxLr", (o) => () => new S.CyclicLR(o, { baseLr: 0.01 }), /CyclicLR: missing required option maxLr/],
  ["CyclicLR without baseLr", (o) => () => new S.CyclicLR(o, { maxLr: 0.1 }), /CyclicLR: missing required option baseLr/],
  ["OneCycleLR without maxLr", (o) => () => new S.OneCycleLR(o, { totalSteps: 10 }), /OneCycleLR: missing required option maxLr/],
  ["OneCycleLR without a length", (o) => () => new S.OneCycleLR(o, { maxLr: 0.1, epochs: 3 }),
    /You must define either totalSteps OR \(epochs AND stepsPerEpoch\)/],
  ["SWALR without swaLr", (o) => () => new optim.swaUtils.SWALR(o, { annealEpochs: 3 }), /SWALR: missing required option swaLr/],
  ["SequentialLR without milestones", (o) => { const a = new S.StepLR(o, { stepSize: 2 }); return () => new S.SequentialLR(o, { schedulers: [a] }); },
    /SequentialLR: missing required option milestones/],
  // PyTorch's snake_case names and misspellings: refused with the nearest known name, for every scheduler
  ["StepLR with step_size", (o) => () => new S.StepLR(o, { step_size: 3 }),
    /^StepLR: unknown option "step_size" \(did you mean "stepSize"\?\); options: stepSize, gamma, lastEpoch$/],
  ["CosineAnnealingLR with T_max", (o) => () => new S.CosineAnnealingLR(o, { T_max: 3 }), /CosineAnnealingLR: unknown option "T_max" \(did you mean "TMax"\?\)/],
  ["LambdaLR with lr_lambda", (o) => () => new S.LambdaLR(o, { lr_lambda: () => 1 }), /LambdaLR: unknown option "lr_lambda" \(did you mean "lrLambda"\?\)/],
  ["MultiplicativeLR with lrLamda", (o) => () => new S.MultiplicativeLR(o, { lrLamda: () => 1 }), /MultiplicativeLR: unknown option "lrLamda" \(did you mean "lrLambda"\?\)/],
  ["MultiStepLR with milestone", (o) => () => new S.MultiStepLR(o, { milestone: [2] }), /MultiStepLR: unknown option "milestone" \(did you mean "milestones"\?\)/],
  ["ConstantLR with total_iters", (o) => () => new S.ConstantLR(o, { total_iters: 3 }), /ConstantLR: unknown option "total_iters" \(did you mean "totalIters"\?\)/],
  ["LinearLR with start_factor", (o) => () => new S.LinearLR(o, { start_factor: 0.5 }), /LinearLR: unknown option "start_factor" \(did you mean "startFactor"\?\)/],
  ["ExponentialLR with gama", (o) => () => new S.ExponentialLR(o, { gama: 0.9 }), /ExponentialLR: unknown option "gama" \(did you mean "gamma"\?\)/],
  ["PolynomialLR with pow", (o) => () => new S.PolynomialLR(o, { powr: 2 }), /PolynomialLR: unknown option "powr" \(did you mean "power"\?\)/],
  ["CosineAnnealingWarmRestarts with T_mult", (o) => () => new S.CosineAnnealingWarmRestarts(o, { T0: 2, T_mult: 2 }),
    /CosineAnnealingWarmRestarts: unknown option "T_mult" \(did you mean "TMult"\?\)/],
  ["CyclicLR with step_size_up", (o) => () => new S.CyclicLR(o, { baseLr: 0.01, maxLr: 0.1, step_size_up: 4 }),
    /CyclicLR: unknown option "step_size_up" \(did you mean "stepSizeUp"\?\)/],
  ["OneCycleLR with pct_start", (o) => () => new S.OneCycleLR(o, { maxLr: 0.1, totalSteps: 10, pct_start: 0.2 }),
    /OneCycleLR: unknown option "pct_start" \(did you mean "pctStart"\?\)/],
  ["ReduceLROnPlateau with min_lr", (o) => () => new S.ReduceLROnPlateau(o, { min_lr: 0.001 }), /ReduceLROnPlateau: unknown option "min_lr" \(did you mean "minLr"\?\)/],
  ["SequentialLR with milstones", (o) => { const a = new S.StepLR(o, { stepSize: 2 }); return () => new S.SequentialLR(o, { schedulers: [a], milstones: [] }); },
    /SequentialLR: unknown option "milstones" \(did you mean "milestones"\?\)/],
  ["ChainedScheduler with optimiser", (o) => { const a = new S.StepLR(o, { stepSize: 2 }); return () => new S.ChainedScheduler([a], { optimiser: o }); },
    /ChainedScheduler: unknown option "optimiser" \(did you mean "optimizer"\?\)/],
  ["SWALR with swa_lr", (o) => () => new optim.swaUtils.SWALR(o, { swa_lr: 0.01 }), /SWALR: unknown option "swa_lr" \(did you mean "swaLr"\?\)/],
  ["StepLR with an option nothing is near", (o) => () => new S.StepLR(o, { stepSize: 2, verbose: true }),
    /^StepLR: unknown option "verbose"; options: stepSize, gamma, lastEpoch$/],
  ["StepLR with options null", (o) => () => new S.StepLR(o, null), /StepLR: options must be an object, got null/],
  // periods and counts
  ["StepLR stepSize 0", (o) => () => new S.StepLR(o, { stepSize: 0 }), /StepLR: stepSize must be a positive integer, got 0/],
  ["StepLR stepSize -3", (o) => () => new S.StepLR(o, { stepSize: -3 }), /stepSize must be a positive integer, got -3/],
  ["StepLR stepSize 2.5", (o) => () => new S.StepLR(o, { stepSize: 2.5 }), /stepSize must be a positive integer, got 2.5/],
  ["StepLR gamma NaN", (o) => () => new S.StepLR(o, { stepSize: 2, gamma: NaN }), /gamma must be a finite number, got NaN/],
  ["CosineAnnealingLR TMax 0", (o) => () => new S.CosineAnnealingLR(o, { TMax: 0 }), /TMax must be a positive number, got 0/],
  ["CosineAnnealingLR TMax -5", (o) => () => new S.CosineAnnealingLR(o, { TMax: -5 }), /TMax must be a positive number, got -5/],
  ["CosineAnnealingWarmRestarts T0 0", (o) => () => new S.CosineAnnealingWarmRestarts(o, { T0: 0 }), /T0 must be a positive integer, got 0/],
  ["CosineAnnealingWarmRestarts T0 1.5", (o) => () => new S.CosineAnnealingWarmRestarts(o, { T0: 1.5 }), /T0 must be a positive integer, got 1.5/],
  ["CosineAnnealingWarmRestarts TMult 0", (o) => () => new S.CosineAnnealingWarmRestarts(o, { T0: 2, TMult: 0 }), /TMult must be a positive integer, got 0/],
  ["ConstantLR totalIters 0", (o) => () => new S.ConstantLR(o, { totalIters: 0 }), /totalIters must be a positive integer, got 0/],
  ["PolynomialLR totalIters -1", (o) => () => new S.PolynomialLR(o, { totalIters: -1 }), /totalIters must be a positive integer, got -1/],
  ["CyclicLR stepSizeUp 0", (o) => () => new S.CyclicLR(o, { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 0 }), /stepSizeUp must be a positive number, got 0/],
  ["CyclicLR stepSizeDown -1", (o) => () => new S.CyclicLR(o, { baseLr: 0.01, maxLr: 0.1, stepSizeDown: -1 }), /stepSizeDown must be >= 0, got -1/],
  ["OneCycleLR totalSteps 0", (o) => () => new S.OneCycleLR(o, { maxLr: 0.1, totalSteps: 0 }), /totalSteps must be a positive integer, got 0/],
  ["OneCycleLR epochs -2", (o) => () => new S.OneCycleLR(o, { maxLr: 0.1, epochs: -2, stepsPerEpoch: 3 }), /epochs must be a positive integer, got -2/],
  ["SWALR annealEpochs -1", (o) => () => new optim.swaUtils.SWALR(o, { swaLr: 0.01, annealEpochs: -1 }), /annealEpochs must be an integer >= 0, got -1/],
  ["ReduceLROnPlateau patience -1", (o) => () => new S.ReduceLROnPlateau(o, { patience: -1 }), /patience must be an integer >= 0, got -1/],
  ["ReduceLROnPlateau cooldown 0.5", (o) => () => new S.ReduceLROnPlateau(o, { cooldown: 0.5 }), /cooldown must be an integer >= 0, got 0.5/],
  // factors out of range
  ["ConstantLR factor 1.5", (o) => () => new S.ConstantLR(o, { factor: 1.5 }), /ConstantLR: factor must be in \[0, 1\], got 1.5/],
  ["ConstantLR factor -0.1", (o) => () => new S.ConstantLR(o, { factor: -0.1 }), /factor must be in \[0, 1\], got -0.1/],
  ["LinearLR startFactor 0", (o) => () => new S.LinearLR(o, { startFactor: 0 }), /LinearLR: startFactor must be in \(0, 1\], got 0/],
  ["LinearLR endFactor 2", (o) => () => new S.LinearLR(o, { endFactor: 2 }), /LinearLR: endFactor must be in \[0, 1\], got 2/],
  ["ReduceLROnPlateau factor 1", (o) => () => new S.ReduceLROnPlateau(o, { factor: 1 }), /ReduceLROnPlateau: factor must be in \[0, 1\), got 1/],
  ["OneCycleLR pctStart 1.5", (o) => () => new S.OneCycleLR(o, { maxLr: 0.1, totalSteps: 10, pctStart: 1.5 }), /pctStart must be in \[0, 1\], got 1.5/],
  ["OneCycleLR empty warm-up", (o) => () => new S.OneCycleLR(o, { maxLr: 0.1, totalSteps: 10, pctStart: 0.1 }), /pctStart \* totalSteps must not be 1/],
  ["OneCycleLR divFactor 0", (o) => () => new S.OneCycleLR(o, { maxLr: 0.1, totalSteps: 10, divFactor: 0 }), /divFactor must be a positive number, got 0/],
  // unknown modes and strategies
  ["CyclicLR mode", (o) => () => new S.CyclicLR(o, { baseLr: 0.01, maxLr: 0.1, mode: "sine" }),
    /CyclicLR: mode must be one of "triangular", "triangular2", "exp_range", got "sine"/],
  ["CyclicLR scaleMode", (o) => () => new S.CyclicLR(o, { baseLr: 0.01, maxLr: 0.1, scaleMode: "epoch" }), /scaleMode must be one of "cycle", "iterations", got "epoch"/],
  ["CyclicLR scaleFn not a function", (o) => () => new S.CyclicLR(o, { baseLr: 0.01, maxLr: 0.1, scaleFn: 2 }), /scaleFn must be a function, got 2/],
  ["OneCycleLR annealStrategy", (o) => () => new S.OneCycleLR(o, { maxLr: 0.1, totalSteps: 10, annealStrategy: "exp" }),
    /OneCycleLR: annealStrategy must be one of "cos", "linear", got "exp"/],
  ["SWALR annealStrategy", (o) => () => new optim.swaUtils.SWALR(o, { swaLr: 0.01, annealStrategy: "step" }), /SWALR: annealStrategy must be one of "cos", "linear", got "step"/],
  ["ReduceLROnPlateau mode", (o) => () => new S.ReduceLROnPlateau(o, { mode: "avg" }), /ReduceLROnPlateau: mode must be one of "min", "max", got "avg"/],
  ["ReduceLROnPlateau thresholdMode", (o) => () => new S.ReduceLROnPlateau(o, { thresholdMode: "pct" }), /thresholdMode must be one of "rel", "abs", got "pct"/],
  // per-group lists of the wrong length
  ["CyclicLR maxLr for 3 groups", (o) => () => new S.CyclicLR(o, { baseLr: 0.01, maxLr: [0.1, 0.2, 0.3] }),
    /CyclicLR: maxLr must have the same length as optimizer.paramGroups. maxLr has 3 values, paramGroups has 2./],
  ["CyclicLR baseMomentum for 1 group", (o) => () => new S.CyclicLR(o, { baseLr: 0.01, maxLr: 0.1, baseMomentum: [0.8] }), /baseMomentum has 1 values, paramGroups has 2/],
  ["OneCycleLR maxLr for 3 groups", (o) => () => new S.OneCycleLR(o, { maxLr: [0.1, 0.2, 0.3], totalSteps: 10 }), /maxLr has 3 values, paramGroups has 2/],
  ["OneCycleLR maxMomentum for 3 groups", (o) => () => new S.OneCycleLR(o, { maxLr: 0.1, totalSteps: 10, maxMomentum: [0.9, 0.9, 0.9] }),
    /maxMomentum has 3 values, paramGroups has 2/],
  ["ReduceLROnPlateau minLr for 3 groups", (o) => () => new S.ReduceLROnPlateau(o, { minLr: [0, 0, 0] }), /expected 2 minLr values \(one per param group\), got 3/],
  ["LambdaLR lrLambda for 1 group", (o) => () => new S.LambdaLR(o, { lrLambda: [() => 1] }), /LambdaLR: expected 2 lrLambda functions \(one per param group\), got 1/],
  ["LambdaLR lrLambda not a function", (o) => () => new S.LambdaLR(o, { lrLambda: 0.5 }), /lrLambda must be a function or an array of functions, got 0.5/],
  ["MultiplicativeLR lrLambda array with a number", (o) => () => new S.MultiplicativeLR(o, { lrLambda: [() => 1, 2] }), /lrLambda\[1\] must be a function, got 2/],
  ["SWALR swaLr for 3 groups", (o) => () => new optim.swaUtils.SWALR(o, { swaLr: [0.1, 0.2, 0.3] }), /swaLr has 3 values, paramGroups has 2/],
  // milestones
  ["MultiStepLR milestone -1", (o) => () => new S.MultiStepLR(o, { milestones: [-1, 3] }), /milestones\[0\] must be an integer >= 0, got -1/],
  ["SequentialLR milestones not increasing", (o) => {
    const schedulers = [new S.StepLR(o, { stepSize: 2 }), new S.ExponentialLR(o, { gamma: 0.9 }), new S.ConstantLR(o)];
    return () => new S.SequentialLR(o, { schedulers, milestones: [4, 4] });
  }, /SequentialLR: milestones must be strictly increasing, got \[4, 4\]/],
  ["SequentialLR milestones count", (o) => {
    const schedulers = [new S.StepLR(o, { stepSize: 2 }), new S.ExponentialLR(o, { gamma: 0.9 })];
    return () => new S.SequentialLR(o, { schedulers, milestones: [2, 4] });
  }, /number of schedulers 2 and the number of milestones to be equal to 2/],
  // children of SequentialLR / ChainedScheduler
  ["SequentialLR without schedulers", (o) => () => new S.SequentialLR(o, { schedulers: [], milestones: [] }), /SequentialLR expects at least one scheduler/],
  ["SequentialLR with ReduceLROnPlateau", (o) => { const r = new S.ReduceLROnPlateau(o); return () => new S.SequentialLR(o, { schedulers: [r], milestones: [] }); },
    /SequentialLR does not support `ReduceLROnPlateau`/],
  ["SequentialLR with another optimizer's scheduler", (o) => {
    const schedulers = [new S.StepLR(o, { stepSize: 2 }), new S.StepLR(sgd(), { stepSize: 2 })];
    return () => new S.SequentialLR(o, { schedulers, milestones: [3] });
  }, /expects all schedulers to belong to the same optimizer, but got scheduler StepLR at index 1/],
  ["ChainedScheduler without schedulers", () => () => new S.ChainedScheduler([]), /ChainedScheduler expects at least one scheduler/],
  ["ChainedScheduler with a number", (o) => { const a = new S.StepLR(o, { stepSize: 2 }); return () => new S.ChainedScheduler([a, 3]); }, /schedulers\[1\] is 3, not a learning rate scheduler/],
  ["ChainedScheduler with two optimizers", (o) => {
    const schedulers = [new S.StepLR(o, { stepSize: 2 }), new S.StepLR(sgd(), { stepSize: 2 })];
    return () => new S.ChainedScheduler(schedulers);
  },
    /belong to the same optimizer/],
  // not an optimizer
  ["StepLR on a plain object", () => () => new S.StepLR({ paramGroups: [{ lr: 0.1 }], defaults: {} }, { stepSize: 2 }), /StepLR: an object is not an Optimizer/],
  ["ReduceLROnPlateau on null", () => () => new S.ReduceLROnPlateau(null), /ReduceLROnPlateau: null is not an Optimizer/],
  ["OneCycleLR on a model", () => () => new S.OneCycleLR(new torch.nn.Linear(1, 1), { maxLr: 0.1, totalSteps: 5 }), /OneCycleLR: a Linear is not an Optimizer/],
  ["LambdaLR on an array of tensors", () => () => new S.LambdaLR([torch.zeros([1])], { lrLambda: () => 1 }), /is not an Optimizer/],
  ["SWALR on undefined", () => () => new optim.swaUtils.SWALR(undefined, { swaLr: 0.1 }), /SWALR: undefined is not an Optimizer/],
  // momentum cycling needs momentum or betas
  ["CyclicLR on Adagrad", (o) => () => new S.CyclicLR(o, { baseLr: 0.01, maxLr: 0.1 }),
    /CyclicLR: optimizer must support momentum or beta1 with `cycleMomentum` option enabled/, adagrad],
  ["OneCycleLR on Adagrad", (o) => () => new S.OneCycleLR(o, { maxLr: 0.1, totalSteps: 10 }), /OneCycleLR: optimizer must support momentum or beta1/, adagrad],
  // resuming needs initialLr in the groups
  ["StepLR lastEpoch 3 on a fresh optimizer", (o) => () => new S.StepLR(o, { stepSize: 2, lastEpoch: 3 }),
    /StepLR: param 'initialLr' is not specified in paramGroups\[0\] when resuming/],
  ["StepLR lastEpoch -2", (o) => () => new S.StepLR(o, { stepSize: 2, lastEpoch: -2 }), /lastEpoch must be an integer >= -1, got -2/],
  // ReduceLROnPlateau is stepped with a metric
  ["ReduceLROnPlateau.step() without a metric", (o) => { const r = new S.ReduceLROnPlateau(o); return () => r.step(); }, /step\(metrics\) needs a number or a scalar tensor, got undefined/],
  ["CosineAnnealingWarmRestarts.step(-1)", (o) => { const c = new S.CosineAnnealingWarmRestarts(o, { T0: 2 }); return () => c.step(-1); }, /expected a non-negative epoch, got -1/],
];

function errorTests(): Record<string, () => void> {
  const out: Record<string, () => void> = {};
  for (const [what, setup, re, makeOpt = sgd] of ERROR_CASES) {
    out[`error: ${what}`] = () => {
      const opt = makeOpt();
      const call = setup(opt);
      const before = groupsSnapshot(opt);
      assertThrows(call, re, what);
      // errors are thrown before the optimizer's groups change
      assertEqual(groupsSnapshot(opt), before, `${what}: param groups unchanged`);
    };
  }
  return out;
}

// ---------------------------------------------------------------------- the table of tests

const cases = (fx as unknown as { cases: ScheduleCase[] }).cases;
const seed = (fx as unknown as { seedPattern: SeedPattern[] }).seedPattern;

export const tests: Record<string, () => void | Promise<void>> = {
  ...Object.fromEntries(cases.map((c) => [`schedule: ${c.name}`, () => replay(c)])),

  "every scheduler has at least two fixture cases": () => {
    const names = [
      "LambdaLR", "MultiplicativeLR", "StepLR", "MultiStepLR", "ConstantLR", "LinearLR", "ExponentialLR",
      "PolynomialLR", "CosineAnnealingLR", "CosineAnnealingWarmRestarts", "CyclicLR", "OneCycleLR",
      "ReduceLROnPlateau", "SequentialLR", "ChainedScheduler",
    ];
    for (const n of names) {
      const k = cases.filter((c) => c.scheduler.type === n).length;
      if (k < 2) throw new Error(`${n}: ${k} fixture cases`);
      if (typeof S[n] !== "function") throw new Error(`torch.optim.lrScheduler.${n} is missing`);
    }
  },

  "OneCycleLR past totalSteps: PyTorch's error, nothing changed": () => {
    const opt = sgd();
    const sched = new S.OneCycleLR(opt, { maxLr: 0.1, totalSteps: 10 });
    for (let i = 0; i < 10; i++) sched.step(); // lastEpoch 10 == totalSteps is still allowed
    const before = groupsSnapshot(opt);
    const sd = JSON.stringify(sched.stateDict());
    assertThrows(() => sched.step(), /^Tried to step 11 times\. The specified number of total steps is 10$/);
    assertEqual(groupsSnapshot(opt), before, "param groups unchanged");
    assertEqual(JSON.stringify(sched.stateDict()), sd, "scheduler state unchanged");
    assertThrows(() => sched.step(), /Tried to step 11 times/);
  },

  "MultiStepLR: a state dict whose milestones are in PyTorch's Counter order loads and resumes PyTorch's schedule": () => {
    const c = cases.find((k) => k.name === "MultiStepLR/unordered")!;
    const opt = makeOptimizer(c.optimizer);
    const sched = makeScheduler(opt, c.scheduler);
    for (let i = 1; i <= 3; i++) sched.step();
    // torch.load of PyTorch's Counter({7: 1, 2: 2, 4: 1}) lists each milestone in insertion order
    const sd = { ...sched.stateDict(), milestones: [7, 2, 2, 4] };
    const opt2 = makeOptimizer(c.optimizer);
    const sched2 = new S.MultiStepLR(opt2, { milestones: [1] });
    opt2.loadStateDict(opt.stateDict());
    sched2.loadStateDict(sd);
    assertEqual(sched2.milestones, [2, 2, 4, 7], "milestones, sorted");
    for (let i = 4; i <= nSteps(c); i++) {
      sched2.step();
      closeLr(sched2.getLastLr(), c.lastLr[i], `after ${i} steps`);
    }
  },

  "LambdaLR stateDict stores no functions": () => {
    const opt = sgd();
    const sched = new S.LambdaLR(opt, { lrLambda: [LAMBDAS.pow095, LAMBDAS.epochDiv3] });
    sched.step();
    const sd = sched.stateDict();
    assertEqual(sd.lrLambdas, [null, null], "lrLambdas");
    assertEqual(JSON.parse(JSON.stringify(sd)).lastEpoch, 1, "JSON round trip");
  },

  "stateDict is a copy": () => {
    const opt = sgd();
    const sched = new S.StepLR(opt, { stepSize: 2 });
    const sd = sched.stateDict();
    (sd.baseLrs as number[])[0] = 99;
    assertEqual(sched.baseLrs, [0.1, 0.05], "baseLrs untouched");
    const last = sched.getLastLr();
    last[0] = 99;
    assertEqual(sched.getLastLr(), [0.1, 0.05], "getLastLr() untouched");
  },

  "two chainable schedulers on one optimizer compose": () => {
    // PyTorch's docstring example: ConstantLR(0.1, 20 iters) and ExponentialLR(0.9) stepped together
    const opt = makeOptimizer({ type: "SGD", options: { lr: 0.05 }, groups: [{ lr: 0.05 }] });
    const a = new S.ConstantLR(opt, { factor: 0.1, totalIters: 2 });
    const b = new S.ExponentialLR(opt, { gamma: 0.9 });
    const seen = [opt.paramGroups[0].lr];
    for (let i = 0; i < 3; i++) {
      a.step();
      b.step();
      seen.push(opt.paramGroups[0].lr);
    }
    closeLr(seen, [0.005, 0.0045, 0.0405, 0.03645], "lr");
  },

  "seed pattern: for epoch: train(); validate(); scheduler.step()": () => seedPattern(seed[0]),
  "seed pattern with ReduceLROnPlateau: scheduler.step(valLoss)": () => seedPattern(seed[1]),

  ...errorTests(),
};
