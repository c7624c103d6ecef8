// Every optimizer against PyTorch (test/fixtures/optimizers.json, written by
// test/golden/gen_optimizers.py, whose docstring describes a case), and the optimizers beyond
// PyTorch against their reference implementations (test/fixtures/optimizers_beyond.json,
// written by test/golden/gen_optimizers_beyond.py, with cases of the same form).
//
// Per fixture case: every parameter after every step, the losses step(closure) returned,
// zeroGrad()/zeroGrad(false), the final state (PyTorch's names in camelCase) and group
// options; then, JS against JS, a state dict saved after each of the case's `resumeAt`
// steps (through structuredClone) and loaded into a fresh optimizer over copies of the
// parameters continues bit for bit. Then the constructor calls PyTorch refuses, with its
// messages, and PyTorch's defaults.
import * as torch from "../../build/torchlet.js";
import fx from "../fixtures/optimizers.json" with { type: "json" };
import beyond from "../fixtures/optimizers_beyond.json" with { type: "json" };
import { assert, assertClose, assertEqual, assertThrows } from "./assert.ts";

// deno-lint-ignore no-explicit-any
type Any = any;
type Tensor = torch.Tensor;
const optim: Any = torch.optim;

interface Event { at: number; kind: "set" | "addParamGroup" | "dropGrad" | "zeroGradKeep"; [k: string]: Any }
export interface Case {
  optimizer: string;
  options: Record<string, Any>;
  groups: ({ params: number[] } & Record<string, Any>)[] | null;
  /** A second optimizer for the params listed (Muon's AdamW), stepped after the case's. */
  companion: { optimizer: string; options: Record<string, Any>; params: number[] } | null;
  shapes: number[][];
  init: number[][];
  problem: "fixed" | "mlp" | "rosen" | "linear" | "dot" | "unused";
  data: { X?: number[]; Y?: number[]; c?: number[][] };
  grads: number[][][] | null;
  negate: boolean;
  closure: boolean;
  zeroGrad: "none" | "zeros";
  events: Event[];
  steps: number;
  trace: number[][][];
  losses: number[] | null;
  state: Record<string, Record<string, number | number[]>>;
  groupOptions: Record<string, Any>[];
  tolerance: [number, number];
  resumeAt: number[];
}

export const CASES = { ...(fx as Any).cases, ...(beyond as Any).cases } as Record<string, Case>;
/** |a − b| ≤ 1e-5 + 1e-4·|b|: every case's last step (LBFGS's mid-run steps take the case's looser one). */
const PROJECT_TOLERANCE: [number, number] = [1e-5, 1e-4];

/** An option value of the fixture: a number, or {tensor: x} for a 0-d float32 tensor. */
function optionValue(v: Any): Any {
  return v !== null && typeof v === "object" && !Array.isArray(v) && "tensor" in v ? torch.tensor(v.tensor) : v;
}

function options(o: Record<string, Any>): Record<string, Any> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, optionValue(v)]));
}

function groupSpec(g: { params: number[] } & Record<string, Any>, params: Tensor[]): Any {
  const { params: idx, ...rest } = g;
  return { ...options(rest), params: idx.map((i) => params[i]) };
}

export function makeParams(c: Case, values: ArrayLike<number>[] = c.init): Tensor[] {
  return values.map((v, i) => torch.tensor(Float32Array.from(v), { shape: c.shapes[i], requiresGrad: true }));
}

export function makeOptimizer(c: Case, params: Tensor[]): Any {
  const Cls = optim[c.optimizer];
  const own = c.companion === null ? params : params.filter((_, i) => !c.companion!.params.includes(i));
  if (c.groups === null) return ready(new Cls(own, options(c.options)));
  return ready(new Cls(c.groups.map((g) => groupSpec(g, params)), options(c.options)));
}

/**
 * An optimizer ready for training steps: the ScheduleFree ones start in eval mode, as their
 * reference's do, and a training loop puts them in train mode first (so do the fixtures).
 */
export function ready<T>(opt: T): T {
  if (typeof (opt as Any).train === "function") (opt as Any).train();
  return opt;
}

/** The case's second optimizer over its params, or null. */
function makeCompanion(c: Case, params: Tensor[]): Any {
  return c.companion === null ? null
    : new optim[c.companion.optimizer](c.companion.params.map((i) => params[i]), options(c.companion.options));
}

/** One run of a case's loop: `step()` takes the next step, as the generator's `run` does. */
export class Run {
  readonly history: Float32Array[][] = [];
  losses: number[] = [];
  k = 0;
  private readonly X: Tensor | null;
  private readonly Y: Tensor | null;
  private readonly c_: Tensor[] | null;

  readonly companion: Any;

  constructor(readonly c: Case, readonly params: Tensor[] = makeParams(c), readonly opt: Any = makeOptimizer(c, params)) {
    this.companion = makeCompanion(c, params);
    const { data, problem } = c;
    const rows = (v: number[] | undefined, cols: number) => v && torch.tensor(Float32Array.from(v), { shape: [v.length / cols, cols] }).keep();
    this.X = rows(data.X, 3) ?? null;
    this.Y = rows(data.Y, problem === "mlp" ? 1 : 2) ?? null;
    this.c_ = data.c ? data.c.map((v, i) => torch.tensor(Float32Array.from(v), { shape: c.shapes[i] }).keep()) : null;
  }

  /** Applies the events before step k+1; only the structural ones (added groups) if asked. */
  applyEvents(k: number, structureOnly = false): void {
    for (const e of this.c.events) {
      if (e.at !== k) continue;
      if (e.kind === "set" && !structureOnly) this.opt.paramGroups[e.group][e.key] = optionValue(e.value);
      else if (e.kind === "addParamGroup") this.opt.addParamGroup(groupSpec(e.group, this.params));
    }
  }

  private clear(): void {
    const { opt, params, c } = this;
    opt.zeroGrad(c.zeroGrad === "none");
    for (const p of opt.paramGroups.flatMap((g: Any) => g.params) as Tensor[]) {
      if (c.zeroGrad === "none") assert(p.grad === null, `${c.optimizer}: zeroGrad() sets grads to null`);
      else if (p.grad !== null) assert(p.grad.toArray().every((v) => v === 0), `${c.optimizer}: zeroGrad(false) zeroes`);
    }
    for (const p of params) { // params not (yet) in a group too
      if (p.grad === null) continue;
      if (c.zeroGrad === "none") p.grad = null;
      else p.grad.zero_();
    }
  }

  private loss(): Tensor {
    const { c, params } = this;
    const F = torch.nn.functional;
    if (c.problem === "rosen" || c.problem === "unused") {
      const [a, b] = params;
      return a.neg().add(1).pow(2).sum().add(b.sub(a.pow(2)).pow(2).sum().mul(10));
    }
    if (c.problem === "linear") return this.X!.matmul(params[0].t()).add(params[1]).sub(this.Y!).pow(2).mean();
    if (c.problem === "mlp") {
      const [w1, b1, w2, b2] = params;
      return F.mseLoss(F.linear(F.linear(this.X!, w1, b1).tanh(), w2, b2), this.Y!);
    }
    return params.map((p, i) => p.mul(this.c_![i]).sum()).reduce((a, b) => a.add(b));
  }

  private evaluate(k: number, drops: number[]): Tensor {
    const { c, params } = this;
    let loss: Tensor;
    if (c.problem === "fixed") {
      params.forEach((p, i) => { p.grad = torch.tensor(Float32Array.from(c.grads![k][i]), { shape: c.shapes[i] }); });
      loss = torch.tensor(k + 1);
    } else {
      this.clear();
      loss = this.loss();
      if (c.negate) loss = loss.neg();
      loss.backward();
    }
    for (const i of drops) params[i].grad = null;
    return loss;
  }

  step(): void {
    const { c, opt, params } = this;
    const k = this.k++;
    const events = c.events.filter((e) => e.at === k);
    const drops: number[] = events.filter((e) => e.kind === "dropGrad").flatMap((e) => e.params);
    this.applyEvents(k);
    if (events.some((e) => e.kind === "zeroGradKeep")) {
      opt.zeroGrad(false);
      for (const p of params) if (p.grad !== null) p.grad.zero_();
      assertEqual(opt.step(), undefined, `${c.optimizer}: step() without a closure returns nothing`);
    } else if (c.closure) {
      const ret = opt.step(() => this.evaluate(k, drops));
      assert(ret instanceof torch.Tensor, `${c.optimizer} step ${k + 1}: step(closure) returns the closure's loss`);
      this.losses.push(ret.item());
    } else {
      this.evaluate(k, drops);
      assertEqual(opt.step(), undefined, `${c.optimizer}: step() without a closure returns nothing`);
    }
    this.companion?.step();
    this.history.push(params.map((p) => p.toArray()));
  }
}

function golden(name: string): void {
  const c = CASES[name];
  const run = new Run(c);
  for (let k = 0; k < c.steps; k++) {
    run.step();
    const [atol, rtol] = k === c.steps - 1 ? PROJECT_TOLERANCE : c.tolerance;
    run.history[k].forEach((v, i) => assertClose(v, c.trace[k][i], `${name}: param ${i} after step ${k + 1}`, atol, rtol));
    if (c.losses) assertClose(run.losses[k], c.losses[k], `${name}: loss returned by step ${k + 1}`, atol, rtol);
  }
  const sd = run.opt.stateDict();
  assertEqual(Object.keys(sd.state).sort(), Object.keys(c.state).sort(), `${name}: params with state`);
  for (const [idx, want] of Object.entries(c.state)) {
    const got = sd.state[Number(idx)];
    if (c.optimizer === "LBFGS") {
      // funcEvals, nIter: how often the line search or a stop condition fired can differ
      // by one where a comparison sits within rounding of its threshold
      for (const [k, v] of Object.entries(want)) {
        assert(Math.abs(got[k] - (v as number)) <= 2, `${name}: state ${k} is ${got[k]}, PyTorch's ${v}`);
      }
      continue;
    }
    assertEqual(Object.keys(got), Object.keys(want), `${name}: state[${idx}] keys (PyTorch's, camelCased, in order)`);
    for (const [k, v] of Object.entries(want)) {
      if (k === "step") assertEqual(got[k], v, `${name}: state[${idx}].step`);
      else assertClose(got[k] as Any, v as Any, `${name}: state[${idx}].${k}`);
    }
  }
  assertEqual(sd.paramGroups.length, c.groupOptions.length, `${name}: group count`);
  c.groupOptions.forEach((want, g) => {
    const { params: _p, ...got } = sd.paramGroups[g];
    assertEqual(Object.keys(got).sort(), Object.keys(want).sort(), `${name}: group ${g} option names`);
    for (const [k, v] of Object.entries(want)) {
      // a tensor option's float32 value, written as its shortest decimal
      const expected = v !== null && typeof v === "object" && "tensor" in v ? { ...v, tensor: Math.fround(v.tensor) } : v;
      if (typeof v === "number" || expected?.tensor !== undefined) {
        // numbers a step computes (ScheduleFree's weightSum, a sum of powers: JavaScript's
        // and C's pow may round them an ulp apart) within the tolerance; the others exactly
        assertEqual(got[k]?.shape, expected?.shape, `${name}: group ${g} ${k} (kind)`);
        assertClose(got[k]?.tensor ?? got[k], expected?.tensor ?? expected, `${name}: group ${g} ${k}`);
      } else assertEqual(got[k], expected, `${name}: group ${g} ${k}`);
    }
  });
}

/** Saves after `at` steps, loads `transport(saved)` into a fresh optimizer, continues bit for bit. */
export function resume(name: string, at: number, transport: (sd: Any) => Any = structuredClone): void {
  const c = CASES[name];
  const whole = new Run(c);
  for (let k = 0; k < c.steps; k++) whole.step();

  const first = new Run(c);
  for (let k = 0; k < at; k++) first.step();
  const saved = transport(first.opt.stateDict());
  const savedCompanion = first.companion && transport(first.companion.stateDict());
  // a fresh optimizer over copies, with the groups it had then (added groups too)
  const params = makeParams(c, first.params.map((p) => p.toArray()));
  const second = new Run(c, params);
  for (let k = 0; k < at; k++) second.applyEvents(k, true);
  second.opt.loadStateDict(saved);
  second.companion?.loadStateDict(savedCompanion);
  second.k = at;
  second.losses = first.losses.slice();
  for (let k = at; k < c.steps; k++) {
    second.step();
    second.history[k - at].forEach((v, i) =>
      assertEqual(v, whole.history[k][i], `${name} resumed after ${at}: param ${i} after step ${k + 1} (bit for bit)`));
  }
  assertEqual(second.losses, whole.losses, `${name} resumed after ${at}: losses`);
  assertEqual(structuredClone(second.opt.stateDict()), structuredClone(whole.opt.stateDict()),
    `${name} resumed after ${at}: final stateDict`);
}

export const tests: Record<string, () => void> = {};
for (const name of Object.keys(CASES)) {
  tests[`golden ${name}`] = () => golden(name);
  for (const at of CASES[name].resumeAt) {
    tests[`resume ${name} after ${at} steps (structuredClone)`] = () => resume(name, at);
    tests[`resume ${name} after ${at} steps (JSON text)`] = () => resume(name, at, (sd) => JSON.parse(JSON.stringify(sd)));
  }
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

tests["constructor errors: PyTorch's messages (and the references' beyond it)"] = () => {
  const errors = [...(fx as Any).errors, ...(beyond as Any).errors] as { optimizer: string; options: Any; message: string | null }[];
  for (const e of errors) {
    const p = torch.zeros([2], { requiresGrad: true });
    // null: the reference refuses it with a bare assert; torchlet with a message of its own
    assertThrows(() => new optim[e.optimizer]([p], e.options), e.message === null ? /Invalid|must/ :
      new RegExp(`^${escape(e.message)}$`), `${e.optimizer}(${JSON.stringify(e.options)})`);
  }
};

tests["defaults are PyTorch's; AdamW forces decoupled weight decay"] = () => {
  const want: Record<string, Any> = {
    SGD: { lr: 1e-3, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false },
    Adam: { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false, decoupledWeightDecay: false },
    AdamW: { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 1e-2, amsgrad: false, maximize: false, decoupledWeightDecay: true },
    Adamax: { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, maximize: false },
    NAdam: { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, momentumDecay: 4e-3, decoupledWeightDecay: false, maximize: false },
    RAdam: { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, decoupledWeightDecay: false, maximize: false },
    Adadelta: { lr: 1, rho: 0.9, eps: 1e-6, weightDecay: 0, maximize: false },
    Adagrad: { lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, maximize: false },
    ASGD: { lr: 1e-2, lambd: 1e-4, alpha: 0.75, t0: 1e6, weightDecay: 0, maximize: false },
    RMSprop: { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false },
    Rprop: { lr: 1e-2, etas: [0.5, 1.2], stepSizes: [1e-6, 50], maximize: false },
    LBFGS: { lr: 1, maxIter: 20, maxEval: 25, toleranceGrad: 1e-7, toleranceChange: 1e-9, historySize: 100, lineSearchFn: null },
    Adafactor: { lr: 1e-2, beta2Decay: -0.8, eps: [null, 1e-3], d: 1, weightDecay: 0, maximize: false },
    Muon: { lr: 1e-3, weightDecay: 0.1, momentum: 0.95, nesterov: true, nsCoefficients: [3.4445, -4.775, 2.0315], eps: 1e-7,
      nsSteps: 5, adjustLrFn: null },
  };
  for (const [name, d] of Object.entries(want)) {
    const o = new optim[name]([torch.zeros(name === "Muon" ? [2, 2] : [2], { requiresGrad: true })], { lr: undefined });
    assertEqual(o.defaults, d, `${name}.defaults`);
  }
  assertThrows(() => new optim.AdamW([torch.zeros([2], { requiresGrad: true })], { decoupledWeightDecay: false }),
    /^AdamW: unknown option "decoupledWeightDecay"/, "decoupledWeightDecay is not an option of AdamW");
};

tests["a training loop keeps memory flat after warm-up, every optimizer"] = () => {
  for (const name of Object.keys(CASES).filter((n) => n.endsWith(" rosen") && /(defaults|mix A) rosen$/.test(n))) {
    const c = CASES[name];
    const run = new Run({ ...c, events: [], steps: 1000 });
    // live memory varies by a loss or two with where the step's boundaries fall (LBFGS
    // evaluates a varying number of times): no growth means later peaks ≤ earlier ones
    const peak = [0, 0], peakBytes = [0, 0];
    for (let s = 0; s < 60; s++) {
      run.step();
      if (s < 10) continue;
      const m = torch.memory(), half = s < 30 ? 0 : 1;
      peak[half] = Math.max(peak[half], m.tensors);
      peakBytes[half] = Math.max(peakBytes[half], m.bytesInUse);
    }
    assert(peak[1] <= peak[0] && peakBytes[1] <= peakBytes[0],
      `${name}: live tensors/bytes peak at steps 11-30 ${peak[0]}/${peakBytes[0]}, at steps 31-60 ${peak[1]}/${peakBytes[1]}`);
  }
};

tests["1,000 steps on fixed grads: wasm memory unchanged after the first, every fused optimizer"] = () => {
  for (const name of new Set(Object.values(CASES).map((c) => c.optimizer))) {
    if (name === "LBFGS") continue; // its closure's graph allocates by design (the loop above covers it)
    const c = CASES[`${name} defaults fixed`];
    const params = makeParams(c);
    const opt = makeOptimizer(c, params);
    params.forEach((p, i) => { p.grad = torch.tensor(Float32Array.from(c.grads![0][i]), { shape: c.shapes[i] }); });
    opt.step();
    const first = torch.memory();
    for (let s = 1; s < 1000; s++) opt.step();
    const end = torch.memory();
    assertEqual([end.bytesInUse, end.bytesReserved, end.tensors], [first.bytesInUse, first.bytesReserved, first.tensors],
      `${name}: wasm bytes in use, reserved, and live tensors after step 1000 as after step 1`);
  }
};
