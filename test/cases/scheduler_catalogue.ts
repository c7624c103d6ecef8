// Scheduler setups for the state-dict tests (scheduler_state.ts, scheduler_state_props.ts):
// every lr_scheduler class and SWALR, with variants where the state dict's form changes
// (momentum cycled through momentum or betas[0], or not; two or three OneCycleLR phases;
// ReduceLROnPlateau's best finite, +Infinity or -Infinity; fractional epochs). Each builds
// a fresh optimizer with two param groups and its scheduler, and says how to step it.
import { makeOptimizer, makeScheduler, type OptimizerSpec, type SchedulerSpec } from "./schedulers.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

export interface Setup {
  name: string;
  optimizer: OptimizerSpec;
  scheduler: SchedulerSpec;
  /** metrics for ReduceLROnPlateau: step(metrics[i - 1]) */
  metrics?: number[];
  /** explicit epochs: step(epochs[i - 1]) */
  epochs?: number[];
}

const sgd: OptimizerSpec = { type: "SGD", options: { lr: 0.1, momentum: 0.9 }, groups: [{ lr: 0.1 }, { lr: 0.05 }] };
const adam: OptimizerSpec = { type: "Adam", options: { lr: 0.01, betas: [0.9, 0.999] }, groups: [{ lr: 0.01 }, { lr: 0.002 }] };
const adagrad: OptimizerSpec = { type: "Adagrad", options: { lr: 0.1 }, groups: [{ lr: 0.1 }, { lr: 0.05 }] };
const sch = (type: string, options: Record<string, Any> = {}): SchedulerSpec => ({ type, options });

/** Plateaus long enough for reductions and cooldowns (patience 1 or 2). */
const PLATEAUS = [1.0, 0.9, 0.95, 0.95, 0.95, 0.8, 0.85, 0.85, 0.85, 0.85, 0.6, 0.7, 0.7, 0.7, 0.7, 0.7, 0.65, 0.9, 0.9, 0.9];

export const SETUPS: Setup[] = [
  { name: "LambdaLR", optimizer: sgd, scheduler: sch("LambdaLR", { lrLambda: ["pow095", "linearWarmup4"] }) },
  { name: "MultiplicativeLR", optimizer: sgd, scheduler: sch("MultiplicativeLR", { lrLambda: "alternate" }) },
  { name: "StepLR", optimizer: sgd, scheduler: sch("StepLR", { stepSize: 3, gamma: 0.5 }) },
  { name: "MultiStepLR", optimizer: sgd, scheduler: sch("MultiStepLR", { milestones: [2, 5, 5, 9], gamma: 0.5 }) },
  { name: "ConstantLR", optimizer: sgd, scheduler: sch("ConstantLR", { factor: 0.5, totalIters: 4 }) },
  { name: "LinearLR", optimizer: sgd, scheduler: sch("LinearLR", { startFactor: 0.25, endFactor: 0.9, totalIters: 6 }) },
  { name: "ExponentialLR", optimizer: sgd, scheduler: sch("ExponentialLR", { gamma: 0.9 }) },
  { name: "PolynomialLR", optimizer: sgd, scheduler: sch("PolynomialLR", { totalIters: 8, power: 1.5 }) },
  { name: "CosineAnnealingLR", optimizer: sgd, scheduler: sch("CosineAnnealingLR", { TMax: 4, etaMin: 0.001 }) },
  { name: "CosineAnnealingWarmRestarts", optimizer: sgd, scheduler: sch("CosineAnnealingWarmRestarts", { T0: 2, TMult: 2, etaMin: 0.001 }) },
  {
    name: "CosineAnnealingWarmRestarts/fractional epochs", optimizer: sgd,
    scheduler: sch("CosineAnnealingWarmRestarts", { T0: 3, TMult: 1 }),
    epochs: Array.from({ length: 20 }, (_, i) => (i + 1) * 0.7),
  },
  { name: "CyclicLR", optimizer: sgd, scheduler: sch("CyclicLR", { baseLr: [0.01, 0.02], maxLr: 0.1, stepSizeUp: 2, mode: "triangular2" }) },
  {
    name: "CyclicLR/Adam betas", optimizer: adam,
    scheduler: sch("CyclicLR", { baseLr: 0.001, maxLr: 0.01, stepSizeUp: 3, stepSizeDown: 1, mode: "exp_range", gamma: 0.95 }),
  },
  { name: "CyclicLR/no momentum", optimizer: adagrad, scheduler: sch("CyclicLR", { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 2, cycleMomentum: false }) },
  { name: "OneCycleLR", optimizer: sgd, scheduler: sch("OneCycleLR", { maxLr: [0.1, 0.2], totalSteps: 30 }) },
  {
    name: "OneCycleLR/Adam three phases", optimizer: adam,
    scheduler: sch("OneCycleLR", { maxLr: 0.01, totalSteps: 30, threePhase: true, annealStrategy: "linear" }),
  },
  { name: "ReduceLROnPlateau", optimizer: sgd, scheduler: sch("ReduceLROnPlateau", { factor: 0.5, patience: 1 }), metrics: PLATEAUS },
  {
    name: "ReduceLROnPlateau/max, minLr per group", optimizer: sgd,
    scheduler: sch("ReduceLROnPlateau", { mode: "max", factor: 0.3, patience: 1, cooldown: 2, minLr: [0.005, 0.004] }),
    metrics: PLATEAUS.map((m) => 2 - m),
  },
  {
    // a -Infinity metric in "min" mode: best stays -Infinity (JSON would make it null)
    name: "ReduceLROnPlateau/best -Infinity", optimizer: sgd,
    scheduler: sch("ReduceLROnPlateau", { factor: 0.5, patience: 2, thresholdMode: "abs" }),
    metrics: [1.0, -Infinity, ...PLATEAUS],
  },
  {
    name: "SequentialLR", optimizer: sgd,
    scheduler: sch("SequentialLR", {
      schedulers: [sch("LinearLR", { startFactor: 0.1, totalIters: 3 }), sch("ExponentialLR", { gamma: 0.9 }), sch("StepLR", { stepSize: 2 })],
      milestones: [3, 8],
    }),
  },
  {
    name: "ChainedScheduler", optimizer: sgd,
    scheduler: { type: "ChainedScheduler", schedulers: [sch("ConstantLR", { factor: 0.5, totalIters: 3 }), sch("ExponentialLR", { gamma: 0.9 })] },
  },
  { name: "SWALR", optimizer: sgd, scheduler: sch("SWALR", { swaLr: 0.05, annealEpochs: 4 }) },
  { name: "SWALR/linear per group", optimizer: adam, scheduler: sch("SWALR", { swaLr: [0.005, 0.001], annealEpochs: 3, annealStrategy: "linear" }) },
];

/** The setup named `name` (a test table refers to setups by name). */
export function setup(name: string): Setup {
  const s = SETUPS.find((x) => x.name === name);
  if (!s) throw new Error(`no setup ${name}`);
  return s;
}

/** A fresh optimizer and scheduler for `s`, stepped `steps` times. */
export function build(s: Setup, steps = 0): { opt: Any; sched: Any } {
  const opt = makeOptimizer(s.optimizer);
  const sched = makeScheduler(opt, s.scheduler);
  for (let i = 1; i <= steps; i++) stepOnce(s, sched, i);
  return { opt, sched };
}

/** The i-th step (1-based) of `s`. */
export function stepOnce(s: Setup, sched: Any, i: number): void {
  if (s.metrics) sched.step(s.metrics[(i - 1) % s.metrics.length]);
  else if (s.epochs) sched.step(s.epochs[i - 1]);
  else sched.step();
}

/** Every group's lr, and momentum or betas[0] where the group has one. */
export function lrAndMomentum(opt: Any): number[] {
  return opt.paramGroups.flatMap((g: Any) => [g.lr, ...("betas" in g ? [g.betas[0]] : "momentum" in g ? [g.momentum] : [])]);
}

/** Exact equality (===, so 0 and -0 agree) of two lists of numbers. */
export function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
