// Adadelta, Adagrad, ASGD, RMSprop, Rprop, LBFGS and nn.utils.clipGradNorm_/clipGradValue_
// against PyTorch (test/fixtures/optim_b.json, written by test/golden/gen_optim_b.py).
//
// Each fixture case is a run spec (optimizer, options, initial params, param groups, a loss
// with fixed or param-dependent grads, events such as an lr change or addParamGroup)
// replayed through the public API; every parameter is compared after every step (LBFGS:
// within 2e-2 relative, API.md), the closure's losses and the final state too. Then: a
// stateDict saved after k steps and loaded into a fresh optimizer over copies of the
// parameters continues bit-for-bit as the uninterrupted run; each fused kernel matches a
// float32 JS reference exactly at lengths around the SIMD width; a table of bad calls and
// the messages they must throw, leaving everything as it was.
import * as torch from "../../build/torchlet.js";
import fx from "../fixtures/optim_b.json" with { type: "json" };
import { assert, assertClose, assertEqual, assertThrows } from "./assert.ts";

// deno-lint-ignore no-explicit-any
type Any = any;
type Tensor = torch.Tensor;
const optim: Any = torch.optim;
const nn: Any = torch.nn;

interface Rec { shape: number[]; values: number[] }
interface Event { at: number; kind: "set" | "addParamGroup"; group: Any; key?: string; value?: unknown }
interface Case {
  optimizer: string;
  options: Record<string, unknown>;
  params: Rec[];
  groups: ({ params: number[] } & Record<string, unknown>)[] | null;
  problem: "fixed" | "rosen" | "linear" | "dot";
  data: { X?: Rec; Y?: Rec; c?: number[][] };
  grads: number[][][] | null;
  negate: boolean;
  closure: boolean;
  zeroGrad: "none" | "zeros";
  events: Event[];
  steps: number;
  trace: number[][][];
  losses: number[] | null;
  state: Record<string, Record<string, number | number[]>>;
}
interface ClipCase {
  fn: "clipGradNorm_" | "clipGradValue_";
  args: { maxNorm?: number; clipValue?: number; options?: Record<string, unknown> };
  shapes: number[][];
  grads: (number[] | null)[];
  expected: (number[] | null)[];
  totalNorm: number | null;
}
const CASES = (fx as unknown as { cases: Record<string, Case> }).cases;
const CLIP = (fx as unknown as { clip: Record<string, ClipCase> }).clip;

/** [atol, rtol]: the project's float32 tolerance; LBFGS's line search amplifies rounding. */
function tol(c: Case): [number, number] {
  return c.optimizer === "LBFGS" ? [1e-3, 2e-2] : [1e-5, 1e-4];
}

// ------------------------------------------------------------------ a run

function fromRec(r: Rec, requiresGrad = false): Tensor {
  return torch.tensor(Float32Array.from(r.values), { shape: r.shape, requiresGrad });
}

function makeParams(c: Case): Tensor[] {
  return c.params.map((r) => fromRec(r, true));
}

function groupSpec(g: { params: number[] } & Record<string, unknown>, params: Tensor[]): Any {
  return { ...g, params: g.params.map((i) => params[i]) };
}

function makeOptimizer(c: Case, params: Tensor[]): Any {
  const Cls = optim[c.optimizer];
  if (c.groups === null) return new Cls(params, c.options);
  return new Cls(c.groups.map((g) => groupSpec(g, params)), c.options);
}

class Run {
  params: Tensor[];
  opt: Any;
  data: { X?: Tensor; Y?: Tensor; c?: Tensor[] } = {};
  losses: number[] = [];
  k = 0;

  constructor(readonly c: Case, params?: Tensor[], opt?: Any) {
    this.params = params ?? makeParams(c);
    this.opt = opt ?? makeOptimizer(c, this.params);
    if (c.data.X) this.data.X = fromRec(c.data.X).keep();
    if (c.data.Y) this.data.Y = fromRec(c.data.Y).keep();
    if (c.data.c) this.data.c = c.data.c.map((v, i) => fromRec({ shape: c.params[i].shape, values: v }).keep());
  }

  loss(): Tensor {
    const [p0, p1] = this.params;
    let l: Tensor;
    if (this.c.problem === "rosen") {
      l = p0.neg().add(1).pow(2).sum().add(p1.sub(p0.pow(2)).pow(2).sum().mul(10));
    } else if (this.c.problem === "linear") {
      l = this.data.X!.matmul(p0.t()).add(p1).sub(this.data.Y!).pow(2).mean();
    } else {
      l = this.params.map((p, i) => p.mul(this.data.c![i]).sum()).reduce((a, b) => a.add(b));
    }
    return this.c.negate ? l.neg() : l;
  }

  evaluate(): Tensor {
    this.opt.zeroGrad(this.c.zeroGrad === "none");
    if (this.c.zeroGrad === "zeros") {
      for (const p of this.params) {
        if (p.grad !== null) assert(p.grad.toArray().every((v: number) => v === 0), `${this.c.optimizer}: zeroGrad(false) leaves zeros`);
      }
    } else for (const p of this.params) assert(p.grad === null, "zeroGrad() sets grads to null");
    const l = this.loss();
    l.backward();
    return l;
  }

  applyEvents(k: number, structureOnly = false): void {
    for (const ev of this.c.events) {
      if (ev.at !== k) continue;
      if (ev.kind === "set" && !structureOnly) this.opt.paramGroups[ev.group][ev.key!] = ev.value;
      else if (ev.kind === "addParamGroup") this.opt.addParamGroup(groupSpec(ev.group, this.params));
    }
  }

  step(): void {
    const k = this.k++;
    this.applyEvents(k);
    if (this.c.problem === "fixed") {
      this.params.forEach((p, i) => { p.grad = torch.tensor(Float32Array.from(this.c.grads![k][i]), { shape: this.c.params[i].shape }); });
      this.opt.step();
    } else if (this.c.closure) {
      const out = this.opt.step(() => this.evaluate());
      this.losses.push(out.item());
    } else {
      this.evaluate();
      this.opt.step();
    }
  }

  values(): Float32Array[] {
    return this.params.map((p) => p.toArray());
  }
}

function replay(name: string): void {
  const c = CASES[name];
  const [atol, rtol] = tol(c);
  const run = new Run(c);
  for (let k = 0; k < c.steps; k++) {
    run.step();
    run.values().forEach((v, i) => assertClose(v, c.trace[k][i], `${name}: param ${i} after step ${k + 1}`, atol, rtol));
    if (c.losses) assertClose(run.losses[k], c.losses[k], `${name}: loss returned by step ${k + 1}`, atol, rtol);
  }
  for (const [idx, expected] of Object.entries(c.state)) {
    const st = run.opt.state.get(run.params[Number(idx)]);
    assert(st !== undefined, `${name}: param ${idx} has state`);
    if (c.optimizer !== "LBFGS") assertEqual(Object.keys(st).sort(), Object.keys(expected).sort(), `${name}: state names of param ${idx}`);
    for (const [key, v] of Object.entries(expected)) {
      const got = st[key];
      if (c.optimizer === "LBFGS") {
        // funcEvals, nIter: how often the line search or a stop condition fired can differ
        // by one where a comparison sits within rounding of its threshold
        assert(Math.abs(got - (v as number)) <= 2, `${name}: state ${key} is ${got}, PyTorch's ${v}`);
      } else assertClose(got instanceof torch.Tensor ? got.toArray() : got, v, `${name}: state ${key} of param ${idx}`);
    }
  }
}

/** A run saved after k steps and resumed in a fresh optimizer must continue bit-for-bit. */
function resume(name: string, k: number): void {
  const c = CASES[name];
  const whole = new Run(c);
  const expected: Float32Array[][] = [];
  for (let s = 0; s < c.steps; s++) { whole.step(); expected.push(whole.values()); }

  const first = new Run(c);
  for (let s = 0; s < k; s++) first.step();
  const sd = structuredClone(first.opt.stateDict());
  // fresh params (copies) and a fresh optimizer with the same group structure
  const params = first.params.map((p) => torch.tensor(p.toArray(), { shape: [...p.shape], requiresGrad: true }));
  const second = new Run(c, params);
  for (let s = 0; s < k; s++) second.applyEvents(s, true);
  second.opt.loadStateDict(sd);
  second.k = k;
  second.losses = first.losses.slice();
  for (let s = k; s < c.steps; s++) {
    second.step();
    second.values().forEach((v, i) => assertEqual(v, expected[s][i], `${name} resumed after ${k}: param ${i} after step ${s + 1}`));
  }
  if (whole.losses.length) assertEqual(second.losses, whole.losses, `${name} resumed after ${k}: losses`);
  assertEqual(structuredClone(second.opt.stateDict()), structuredClone(whole.opt.stateDict()), `${name} resumed after ${k}: final stateDict`);
}

// ------------------------------------------------------------------ kernels vs a float32 reference

const f = Math.fround;
/** a·b + c rounded once to float32 (the product of two float32 is exact in a double). */
const fma = (a: number, b: number, c: number): number => f(a * b + c);
type Ref = (p: number, g: number, s: number[], step: number) => number;
/** Reference element updates (one rounding per PyTorch op), for each kernel and options. */
const REFERENCE: Record<string, { options: Record<string, unknown>; keys: string[]; init?: (k: string) => number; ref: Ref }> = {
  Adadelta: {
    options: { lr: 0.7, rho: 0.8, eps: 1e-3, weightDecay: 0.1, maximize: true }, keys: ["squareAvg", "accDelta"],
    ref: (p, g, s) => {
      g = f(f(-g) + f(f(0.1) * p));
      s[0] = f(f(s[0] * f(0.8)) + f(f(f(1 - 0.8) * g) * g));
      const std = f(Math.sqrt(f(s[0] + f(1e-3))));
      const delta = f(f(f(Math.sqrt(f(s[1] + f(1e-3)))) / std) * g);
      s[1] = f(f(s[1] * f(0.8)) + f(f(f(1 - 0.8) * delta) * delta));
      return f(p + f(f(-0.7) * delta));
    },
  },
  Adagrad: {
    options: { lr: 0.3, weightDecay: 0.2, initialAccumulatorValue: 0.5, eps: 1e-3 }, keys: ["sum"], init: () => 0.5,
    ref: (p, g, s) => {
      g = f(g + f(f(0.2) * p));
      s[0] = f(s[0] + f(g * g));
      return f(p + f(f(f(-0.3) * g) / f(f(Math.sqrt(s[0])) + f(1e-3))));
    },
  },
  ASGD: {
    // t0 = 1e6: mu stays 1, so ax copies the parameter
    options: { lr: 0.05, lambd: 0.01, weightDecay: 0.1, maximize: true }, keys: ["ax"],
    ref: (p, g, s, step) => {
      // PyTorch's add-with-alpha rounds a·b + c once (fma); ASGD's kernel does the same
      const eta = f(step === 0 ? 0.05 : 0.05 / (1 + 0.01 * 0.05 * step) ** 0.75);
      g = fma(f(0.1), p, -g);
      s[0] = fma(-eta, g, f(p * f(1 - 0.01 * eta)));
      return s[0];
    },
  },
  RMSprop: {
    options: { lr: 0.01, alpha: 0.3, eps: 1e-4, weightDecay: 0.1, momentum: 0.9, centered: true }, keys: ["squareAvg", "momentumBuffer", "gradAvg"],
    ref: (p, g, s) => {
      g = f(g + f(f(0.1) * p));
      s[0] = f(f(s[0] * f(0.3)) + f(f(f(1 - 0.3) * g) * g));
      const w = f(1 - 0.3); // 0.7: lerp's large-weight form
      s[2] = f(g - f(f(g - s[2]) * f(1 - w)));
      const avg = f(f(Math.sqrt(f(s[0] + f(f(-1 * s[2]) * s[2])))) + f(1e-4));
      s[1] = f(f(s[1] * f(0.9)) + f(g / avg));
      return f(p + f(f(-0.01) * s[1]));
    },
  },
  Rprop: {
    options: { lr: 0.05, etas: [0.5, 1.2], stepSizes: [1e-3, 1] }, keys: ["prev", "stepSize"], init: (k) => (k === "stepSize" ? f(0.05) : 0),
    ref: (p, g, s) => {
      const prod = f(g * s[0]);
      const sign = prod > 0 ? f(1.2) : prod < 0 ? f(0.5) : 1;
      s[1] = Math.min(Math.max(f(s[1] * sign), f(1e-3)), 1);
      if (sign === f(0.5)) g = 0;
      s[0] = g;
      return f(p + f(f(-1 * Math.sign(g)) * s[1]));
    },
  },
};

/** Exact equality of every fused kernel with the float32 reference, at SIMD-tail lengths. */
function kernelExact(name: string): void {
  const spec = REFERENCE[name];
  const lengths = [0, 1, 3, 4, 5, 15, 16, 17, 1023];
  const params = lengths.map((n, j) => torch.tensor(Float32Array.from({ length: n }, (_, i) => Math.sin(i * 1.3 + j)), { requiresGrad: true }));
  const opt = new optim[name](params, spec.options);
  const ref = params.map((p) => Array.from(p.toArray()));
  const state = params.map((p) => Array.from({ length: p.numel() }, () => spec.keys.map((k) => (spec.init ? spec.init(k) : 0))));
  for (let step = 0; step < 3; step++) {
    const grads = lengths.map((n, j) => Float32Array.from({ length: n }, (_, i) => (i % 5 === 2 ? 0 : Math.cos(i * 0.7 + j * 1.1 + step * 2.3))));
    params.forEach((p, j) => { p.grad = torch.tensor(grads[j]); });
    opt.step();
    params.forEach((p, j) => {
      for (let i = 0; i < lengths[j]; i++) ref[j][i] = spec.ref(ref[j][i], grads[j][i], state[j][i], step);
      assertEqual(p.toArray(), Float32Array.from(ref[j]), `${name} kernel, length ${lengths[j]}, step ${step + 1}`);
    });
  }
  // the state buffers match the reference's too
  params.forEach((p, j) => {
    const st = opt.state.get(p);
    spec.keys.forEach((k, q) => {
      if (lengths[j] === 0) return;
      assertEqual(st[k].toArray(), Float32Array.from(state[j].map((s) => s[q])), `${name} state ${k}, length ${lengths[j]}`);
    });
  });
}

// ------------------------------------------------------------------ errors

function p3(): Tensor {
  return torch.tensor([1, 2, 3], { requiresGrad: true });
}

const ERRORS: [string, () => unknown, RegExp][] = [
  ["Adadelta lr -1", () => new optim.Adadelta([p3()], { lr: -1 }), /^Invalid learning rate: -1$/],
  ["Adadelta rho 1.5", () => new optim.Adadelta([p3()], { rho: 1.5 }), /^Invalid rho value: 1.5$/],
  ["Adadelta eps -1e-6", () => new optim.Adadelta([p3()], { eps: -1e-6 }), /^Invalid epsilon value: -0.000001$/],
  ["Adadelta weightDecay -0.1", () => new optim.Adadelta([p3()], { weightDecay: -0.1 }), /^Invalid weight_decay value: -0.1$/],
  ["Adadelta group rho 2", () => new optim.Adadelta([{ params: [p3()], rho: 2 }]), /^Invalid rho value: 2$/],
  ["Adadelta bad constructor lr under a group lr", () => new optim.Adadelta([{ params: [p3()], lr: 0.1 }], { lr: -1 }), /^Invalid learning rate: -1$/],
  ["Adagrad lrDecay -1", () => new optim.Adagrad([p3()], { lrDecay: -1 }), /^Invalid lr_decay value: -1$/],
  ["Adagrad initialAccumulatorValue -1", () => new optim.Adagrad([p3()], { initialAccumulatorValue: -1 }), /^Invalid initial_accumulator_value value: -1$/],
  ["Adagrad eps -1", () => new optim.Adagrad([p3()], { eps: -1 }), /^Invalid epsilon value: -1$/],
  ["Adagrad weightDecay -1", () => new optim.Adagrad([p3()], { weightDecay: -1 }), /^Invalid weight_decay value: -1$/],
  ["Adagrad snake_case option", () => new optim.Adagrad([p3()], { weight_decay: 0.1 }), /Adagrad: unknown option "weight_decay" \(options: lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize\)/],
  ["ASGD lr -0.5", () => new optim.ASGD([p3()], { lr: -0.5 }), /^Invalid learning rate: -0.5$/],
  ["ASGD weightDecay -1", () => new optim.ASGD([p3()], { weightDecay: -1 }), /^Invalid weight_decay value: -1$/],
  ["RMSprop lr NaN", () => new optim.RMSprop([p3()], { lr: NaN }), /^Invalid learning rate: NaN$/],
  ["RMSprop eps -1", () => new optim.RMSprop([p3()], { eps: -1 }), /^Invalid epsilon value: -1$/],
  ["RMSprop momentum -0.9", () => new optim.RMSprop([p3()], { momentum: -0.9 }), /^Invalid momentum value: -0.9$/],
  ["RMSprop weightDecay -1", () => new optim.RMSprop([p3()], { weightDecay: -1 }), /^Invalid weight_decay value: -1$/],
  ["RMSprop alpha -0.99", () => new optim.RMSprop([p3()], { alpha: -0.99 }), /^Invalid alpha value: -0.99$/],
  ["RMSprop lr as a string", () => new optim.RMSprop([p3()], { lr: "0.1" }), /RMSprop: option lr must be a number, got "0.1"/],
  ["RMSprop centered as a number", () => new optim.RMSprop([p3()], { centered: 1 }), /RMSprop: option centered must be a boolean, got 1/],
  ["Rprop etas [1.5, 1.2]", () => new optim.Rprop([p3()], { etas: [1.5, 1.2] }), /^Invalid eta values: 1.5, 1.2$/],
  ["Rprop etas [0.5, 0.9]", () => new optim.Rprop([p3()], { etas: [0.5, 0.9] }), /^Invalid eta values: 0.5, 0.9$/],
  ["Rprop etas of one number", () => new optim.Rprop([p3()], { etas: [0.5] }), /Rprop: option etas must be a pair of numbers, got \[0.5\]/],
  ["Rprop lr -1", () => new optim.Rprop([p3()], { lr: -1 }), /^Invalid learning rate: -1$/],
  ["Rprop empty params", () => new optim.Rprop([]), /optimizer got an empty parameter list/],
  ["ASGD a non-leaf param", () => new optim.ASGD([p3().mul(2)]), /can't optimize a non-leaf Tensor/],
  ["Adadelta duplicate params", () => { const p = p3(); return new optim.Adadelta([{ params: [p] }, { params: [p] }]); }, /some parameters appear in more than one parameter group/],
  ["LBFGS lr -1", () => new optim.LBFGS([p3()], { lr: -1 }), /^Invalid learning rate: -1$/],
  ["LBFGS two groups", () => new optim.LBFGS([{ params: [p3()] }, { params: [p3()], lr: 0.1 }]), /^LBFGS doesn't support per-parameter options \(parameter groups\)$/],
  ["LBFGS addParamGroup", () => new optim.LBFGS([p3()]).addParamGroup({ params: [p3()] }), /^LBFGS doesn't support per-parameter options \(parameter groups\)$/],
  ["LBFGS step without a closure", () => new optim.LBFGS([p3()]).step(), /LBFGS requires a closure/],
  ["LBFGS lineSearchFn armijo", () => new optim.LBFGS([p3()], { lineSearchFn: "armijo" }), /only 'strong_wolfe' is supported/],
  ["LBFGS historySize 0", () => new optim.LBFGS([p3()], { historySize: 0 }), /LBFGS: historySize must be a positive integer, got 0/],
  ["LBFGS closure returning nothing", () => { const p = p3(); const o = new optim.LBFGS([p]); return o.step(() => undefined); }, /LBFGS: the closure must return the loss \(a Tensor or a number\), got undefined/],
  ["clipGradNorm_ non-finite with errorIfNonfinite", () => { const p = p3(); p.grad = torch.tensor([1, Infinity, 0]); return nn.utils.clipGradNorm_([p], 1, { errorIfNonfinite: true }); },
    /The total norm of order 2 for gradients from `parameters` is non-finite, so it cannot be clipped/],
  ["clipGradNorm_ on a number", () => nn.utils.clipGradNorm_(3, 1), /clipGradNorm_: parameters must be a Tensor or an iterable of Tensors, got number/],
  ["clipGradValue_ without a value", () => nn.utils.clipGradValue_([p3()]), /clipGradValue_: clipValue must be a number, got undefined/],
];

function snapshot(opt: Any, params: Tensor[]): unknown {
  return { sd: opt.stateDict(), params: params.map((p) => p.toArray()) };
}

/** Steps once with fixed grads so the optimizer has state. */
function stepped(name: string, options: Record<string, unknown> = {}, n = 2): { opt: Any; params: Tensor[] } {
  const params = [torch.tensor([1, -2, 3, 0.5, 0.25], { requiresGrad: true }), torch.tensor([[0.5, -1], [2, 1]], { requiresGrad: true })];
  const opt = new optim[name](params, options);
  const closure = () => { opt.zeroGrad(); const l = params[0].pow(2).sum().add(params[1].pow(2).sum()); l.backward(); return l; };
  for (let i = 0; i < n; i++) {
    if (name === "LBFGS") opt.step(closure);
    else { params[0].grad = torch.tensor([0.1, -0.2, 0.3, 0.4, -0.5]); params[1].grad = torch.tensor([[0.3, -0.1], [0.2, 0.6]]); opt.step(); }
  }
  return { opt, params };
}

const NAMES = ["Adadelta", "Adagrad", "ASGD", "RMSprop", "Rprop", "LBFGS"];

const LOAD_ERRORS: [string, (sd: Any) => Any, RegExp][] = [
  ["another group count", (sd) => ({ ...sd, paramGroups: [...sd.paramGroups, sd.paramGroups[0]] }), /different number of parameter groups/],
  ["another parameter count", (sd) => ({ ...sd, paramGroups: [{ ...sd.paramGroups[0], params: [0] }] }), /doesn't match the size of optimizer's group/],
  ["a state of the wrong size", (sd) => {
    const st = structuredClone(sd.state);
    const key = Object.keys(st[0]).find((k) => st[0][k] instanceof Float32Array)!;
    st[0][key] = new Float32Array(3);
    return { ...sd, state: st };
  }, /has 3 values, but the parameter .* needs/],
  ["a state name of another optimizer", (sd) => ({ ...sd, state: { ...sd.state, 0: { ...sd.state[0], expAvgSq: new Float32Array(5) } } }), /has "expAvgSq", which \w+ does not use/],
  ["not a state dict", () => ({ state: {} }), /expected \{ state, paramGroups \}/],
];

// ------------------------------------------------------------------ tests

export const tests: Record<string, () => void> = {};

for (const name of Object.keys(CASES)) tests[`optim_b: ${name}`] = () => replay(name);

const RESUMES: [string, number][] = [
  ["Adadelta mix A linear", 5], ["Adadelta groups", 5], ["Adadelta groups", 8],
  ["Adagrad mix A linear", 5], ["Adagrad groups", 8], ["Adagrad defaults fixed", 0],
  ["ASGD mix A rosen", 4], ["ASGD groups", 8], ["ASGD mix B linear", 6],
  ["RMSprop mix A linear", 5], ["RMSprop mix B rosen", 3], ["RMSprop groups", 8],
  ["Rprop mix A fixed", 5], ["Rprop groups", 8],
  ["LBFGS strong_wolfe rosen", 4], ["LBFGS mix A rosen", 5], ["LBFGS mix B rosen", 6], ["LBFGS defaults linear", 1],
];
for (const [name, k] of RESUMES) tests[`optim_b: ${name}: stateDict after ${k} steps resumes bit-for-bit`] = () => resume(name, k);

for (const name of Object.keys(REFERENCE)) {
  tests[`optim_b: ${name} kernel equals a float32 reference at lengths 0..1023`] = () => kernelExact(name);
}

for (const [name, fn, re] of ERRORS) tests[`optim_b error: ${name}`] = () => { assertThrows(fn, re, name); };

for (const name of NAMES) {
  tests[`optim_b: ${name} loadStateDict refuses mismatches and changes nothing`] = () => {
    const { opt, params } = stepped(name);
    const sd = opt.stateDict();
    const before = structuredClone(snapshot(opt, params));
    for (const [what, make, re] of LOAD_ERRORS) {
      assertThrows(() => opt.loadStateDict(make(sd)), re, `${name}: ${what}`);
      assertEqual(structuredClone(snapshot(opt, params)), before, `${name}: unchanged after refusing ${what}`);
    }
  };
  tests[`optim_b: ${name} stateDict is structured-cloneable with indices and camelCase names`] = () => {
    const { opt } = stepped(name);
    const sd = opt.stateDict();
    const copy = structuredClone(sd);
    assertEqual(copy, sd, "structuredClone keeps the state dict");
    assertEqual(Object.keys(sd.state), name === "LBFGS" ? ["0"] : ["0", "1"], "state keyed by parameter index");
    assertEqual(sd.paramGroups[0].params, [0, 1], "groups list parameter indices");
    for (const st of Object.values(sd.state) as Record<string, unknown>[]) {
      for (const k of Object.keys(st)) assert(!k.includes("_"), `${name}: state name ${k} is camelCase`);
    }
    assert(!Object.keys(sd.paramGroups[0]).some((k) => k.includes("_")), `${name}: option names are camelCase`);
  };
}

Object.assign(tests, {
  "optim_b: a step with a released grad throws before changing anything": () => {
    for (const name of NAMES.filter((n) => n !== "LBFGS")) {
      const { opt, params } = stepped(name);
      params[0].grad = torch.tensor([1, 1, 1, 1, 1]);
      params[1].grad = torch.tensor([[1, 1], [1, 1]]);
      const before = structuredClone(snapshot(opt, params));
      params[1].grad!.dispose();
      assertThrows(() => opt.step(), /disposed/, `${name}: step with a disposed grad`);
      assertEqual(structuredClone(snapshot(opt, params)), before, `${name}: nothing changed`);
    }
  },

  "optim_b: RMSprop refuses momentum turned on after the state was made, changing nothing": () => {
    const { opt, params } = stepped("RMSprop");
    opt.paramGroups[0].momentum = 0.9;
    params[0].grad = torch.tensor([1, 1, 1, 1, 1]);
    params[1].grad = torch.tensor([[1, 1], [1, 1]]);
    const before = structuredClone(snapshot(opt, params));
    assertThrows(() => opt.step(), /RMSprop: a parameter's state has no momentumBuffer: momentum was turned on after its state was created/);
    assertEqual(structuredClone(snapshot(opt, params)), before, "nothing changed");
  },

  "optim_b: Adagrad makes its state in the constructor, like PyTorch": () => {
    const p = p3();
    const opt = new optim.Adagrad([p], { initialAccumulatorValue: 0.25 });
    const sd = opt.stateDict();
    assertEqual(sd.state[0], { step: 0, sum: new Float32Array([0.25, 0.25, 0.25]) }, "state before any step");
  },

  "optim_b: params without grads are skipped and get no state": () => {
    for (const name of NAMES.filter((n) => n !== "LBFGS")) {
      const a = p3(), b = p3();
      const opt = new optim[name]([a, b]);
      a.grad = torch.tensor([0.1, 0.2, 0.3]);
      opt.step();
      assertEqual(b.toArray(), new Float32Array([1, 2, 3]), `${name}: b unchanged`);
      assert(name === "Adagrad" ? opt.state.get(b).step === 0 : !opt.state.has(b), `${name}: b has no (stepped) state`);
    }
  },

  "optim_b: LBFGS runs the step hooks once per step and returns the first loss": () => {
    const x = torch.tensor([-1.5, 2], { requiresGrad: true });
    const opt = new optim.LBFGS([x], { maxIter: 5 });
    const calls: string[] = [];
    opt.registerStepPreHook(() => calls.push("pre"));
    const h = opt.registerStepPostHook(() => calls.push("post"));
    let evals = 0;
    const closure = () => { evals++; opt.zeroGrad(); const l = x.pow(2).sum(); l.backward(); return l; };
    const loss = opt.step(closure);
    assertClose(loss.item(), 6.25, "first loss");
    assertEqual(calls, ["pre", "post"], "hooks");
    assertEqual(opt.state.get(x).funcEvals, evals, "funcEvals counts the closure calls");
    h.remove();
    opt.step(closure);
    assertEqual(calls, ["pre", "post", "pre"], "hooks after remove()");
  },

  "optim_b: LBFGS stops at once on a zero gradient": () => {
    const x = torch.tensor([1, 2], { requiresGrad: true });
    const opt = new optim.LBFGS([x]);
    let evals = 0;
    const loss = opt.step(() => { evals++; opt.zeroGrad(); const l = x.sub(torch.tensor([1, 2])).pow(2).sum(); l.backward(); return l; });
    assertEqual([loss.item(), evals, x.tolist()], [0, 1, [1, 2]], "loss, evaluations, params");
    assertEqual(Object.keys(opt.state.get(x)).sort(), ["funcEvals", "nIter"], "state counters only");
  },

  "optim_b: steps keep memory flat after warm-up (LBFGS with a full history too)": () => {
    for (const name of NAMES) {
      const c = CASES[name === "LBFGS" ? "LBFGS mix A rosen" : `${name} mix A rosen`];
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
  },
});

for (const [name, c] of Object.entries(CLIP)) {
  tests[`optim_b clip: ${name}`] = () => {
    const params = c.shapes.map((s, i) => {
      const p = torch.zeros(s, { requiresGrad: true });
      if (c.grads[i] !== null) p.grad = torch.tensor(Float32Array.from(c.grads[i]!), { shape: s });
      return p;
    });
    if (c.fn === "clipGradNorm_") {
      const total = nn.utils.clipGradNorm_(params, c.args.maxNorm, c.args.options);
      assertEqual(total.shape, [], `${name}: total norm is a 0-dim tensor`);
      assertClose(total.item(), c.totalNorm!, `${name}: total norm`);
    } else {
      assertEqual(nn.utils.clipGradValue_(params, c.args.clipValue), undefined, `${name}: returns nothing`);
    }
    params.forEach((p, i) => {
      if (c.expected[i] === null) assertEqual(p.grad, null, `${name}: grad ${i} stays null`);
      else assertClose(p.grad!.toArray(), c.expected[i]!, `${name}: grad ${i}`);
    });
  };
}

Object.assign(tests, {
  "optim_b clip: no grads gives a zero norm; a single Tensor is accepted": () => {
    const p = p3();
    assertEqual(nn.utils.clipGradNorm_([p], 1).item(), 0, "no grads");
    p.grad = torch.tensor([3, 0, 4]);
    assertClose(nn.utils.clipGradNorm_(p, 1).item(), 5, "total norm of one tensor");
    assertClose(p.grad!.toArray(), [0.6, 0, 0.8], "clipped", 1e-6, 1e-5);
    nn.utils.clipGradValue_(p, 0.7);
    assertClose(p.grad!.toArray(), [0.6, 0, 0.7], "clamped");
  },
});
