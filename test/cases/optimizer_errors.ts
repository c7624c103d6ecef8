// Bad calls to the optimizers, one table: each row is a call on a freshly stepped optimizer
// (or a constructor call), the message it must throw (naming the argument, the value
// received and the form expected), and, after it, the proof that it changed nothing: the
// params, their grads, the optimizer's stateDict(), a bystander tensor and the kernels'
// tables (exp(1)) are as they were.
import * as torch from "../../build/torchlet.js";
import { assertEqual, assertThrows } from "./assert.ts";
import { CASES, ready } from "./optimizers.ts";

// deno-lint-ignore no-explicit-any
type Any = any;
type Tensor = torch.Tensor;
const optim: Any = torch.optim;

/** Every optimizer the fixtures have a case of (a new one is in this table by its fixture entry). */
export const NAMES = [...new Set(Object.values(CASES).map((c) => c.optimizer))];

/** The shapes of stepped()'s two params: a vector and a 2×2 matrix (Muon takes matrices only: a 1×5 row). */
export function paramShapes(name: string): number[][] {
  return name === "Muon" ? [[1, 5], [2, 2]] : [[5], [2, 2]];
}

/** A tensor of `p`'s shape holding `values` (row-major). */
export const like = (p: Tensor, values: number[]): Tensor => torch.tensor(Float32Array.from(values), { shape: [...p.shape] });

/** PyTorch's message for a negative lr: most optimizers' "Invalid learning rate", Adafactor's and Muon's own. */
export function lrMessage(name: string, lr: string): string {
  return ["Adafactor", "Muon"].includes(name) ? `Learning rate should be >= 0 but is: ${lr}` : `Invalid learning rate: ${lr}`;
}

/** Options under which each optimizer keeps all its state buffers (and steps visibly); others: defaults. */
export const FULL: Record<string, Any> = {
  SGD: { lr: 0.1, momentum: 0.9 }, Adam: { lr: 0.1, amsgrad: true }, AdamW: { lr: 0.1 }, Adamax: { lr: 0.1 },
  NAdam: { lr: 0.1 }, RAdam: { lr: 0.1 }, Adadelta: {}, Adagrad: {}, ASGD: { t0: 1 },
  RMSprop: { momentum: 0.9, centered: true }, Rprop: {}, LBFGS: { maxIter: 3, historySize: 2 },
  Lion: { lr: 0.1 }, LAMB: { lr: 0.1 }, ScheduleFreeAdamW: { lr: 0.1, innerMomentum: 0.9 }, ScheduleFreeSGD: { lr: 0.1 },
};

export interface Ctx {
  name: string;
  opt: Any;
  params: Tensor[];
  /** A state dict the optimizer saved (a structured clone). */
  sd: Any;
  closure: () => Tensor;
}

/** An optimizer of `name` over two params (5 values, and 2×2: paramShapes) in two groups (one for LBFGS), stepped twice. */
export function stepped(name: string, options: Any = FULL[name] ?? {}): Ctx {
  const [s0, s1] = paramShapes(name);
  const params = [torch.tensor([1, -2, 3, 0.5, 0.25], { shape: s0, requiresGrad: true }),
    torch.tensor([0.5, -1, 2, 1], { shape: s1, requiresGrad: true })];
  const Cls = optim[name];
  const opt = ready(name === "LBFGS" ? new Cls(params, options) : new Cls([{ params: [params[0]] }, { params: [params[1]], lr: 0.02 }], options));
  const closure = () => {
    opt.zeroGrad();
    const l = params[0].pow(2).sum().add(params[1].sub(0.5).pow(2).sum());
    l.backward();
    return l;
  };
  for (let i = 0; i < 2; i++) {
    if (name === "LBFGS") opt.step(closure);
    else { params[0].grad = like(params[0], [0.1, -0.2, 0.3, 0.4, -0.5]); params[1].grad = like(params[1], [0.3, -0.1, 0.2, 0.6]); opt.step(); }
  }
  if (name === "LBFGS") closure(); // grads for the table's step rows
  return { name, opt, params, sd: structuredClone(opt.stateDict()), closure };
}

/** Everything a refused call must leave as it was. */
function snapshot(ctx: Ctx, bystander: Tensor): unknown {
  return structuredClone({
    params: ctx.params.map((p) => p.toArray()),
    grads: ctx.params.map((p) => (p.grad === null ? null : p.grad.isDisposed ? "disposed" : p.grad.toArray())),
    state: ctx.opt.stateDict(),
    bystander: bystander.toArray(),
    exp1: torch.exp(torch.tensor(1)).item(),
  });
}

export interface Row {
  what: string;
  /** Sets the scene before the snapshot (a grad to release, say). */
  prepare?: (ctx: Ctx) => void;
  call: (ctx: Ctx) => unknown;
  message: RegExp;
}

/** A state dict saved by `c`, changed by `edit` (a structured clone: `c.sd` stays as saved). */
function edited(c: Ctx, edit: (sd: Any) => void): Any {
  const sd = structuredClone(c.sd);
  edit(sd);
  return sd;
}

/** The names in the saved state of param `i` (the first): its buffers, its whole-number and its float scalars. */
function stateKeys(sd: Any, i = 0): { buffer: string; count: string | undefined; float?: string } {
  const st = sd.state[i];
  const keys = Object.keys(st);
  const buffer = keys.find((k) => st[k] instanceof Float32Array)!;
  const count = keys.find((k) => k === "step" || k === "nIter") ?? "";
  const float = keys.find((k) => ["eta", "muProduct", "t", "HDiag", "trustRatio"].includes(k));
  return { buffer, count, float };
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Optimizers whose per-parameter state has no step count (LAMB and ScheduleFree count steps per group). */
const NO_STEP_STATE = new Set(["SGD", "Muon", "Lion", "LAMB", "ScheduleFreeAdamW", "ScheduleFreeSGD"]);

/** The refusal of lr −1 where it is not PyTorch's (the reference's message). */
const NEGATIVE_LR: Record<string, string> = { LAMB: "learning rate must be positive\\. \\(-1 > 0\\)" };

/** Rows every optimizer gets; `{name}` in a message is the optimizer's. */
function common(name: string): Row[] {
  const leaf = (n = 2) => torch.zeros([n], { requiresGrad: true });
  const Cls = optim[name];
  const L = `^${name}\\.loadStateDict: `;
  const rows: Row[] = [
    // the constructor and addParamGroup
    { what: "empty param list", call: () => new Cls([]), message: /^optimizer got an empty parameter list$/ },
    { what: "a Tensor for params", call: () => new Cls(leaf()), message: /iterable of Tensors or dicts, but got a Tensor/ },
    { what: "a non-leaf param", call: () => new Cls([leaf().mul(2)]), message: /can't optimize a non-leaf Tensor/ },
    { what: "lr NaN", call: () => new Cls([leaf()], { lr: NaN }), message: new RegExp(`^${esc(lrMessage(name, "NaN"))}$`) },
    { what: "lr as a string", call: () => new Cls([leaf()], { lr: "0.1" }),
      message: new RegExp(`^${name}: option lr must be a number or a 1-element Tensor, got "0.1"$`) },
    { what: "lr as a 2-element Tensor", call: () => new Cls([leaf()], { lr: torch.tensor([0.1, 0.2]) }), message: /^Tensor lr must be 1-element$/ },
    { what: "options not an object", call: () => new Cls([leaf()], 0.1), message: new RegExp(`^${name}: options must be an object, got 0.1$`) },
    { what: "a misspelt option", call: () => new Cls([leaf()], { lrr: 0.1 }),
      message: new RegExp(`^${name}: unknown option "lrr" \\(did you mean "lr"\\?\\); options: lr, `) },
    { what: "a misspelt option in a param group", call: () => new Cls([{ params: [leaf()], lR: 0.1 }]),
      message: new RegExp(`^${name} param group 0: unknown option "lR" \\(did you mean "lr"\\?\\); options: params, lr, `) },
    { what: "registerStepPreHook of a number", call: (c) => c.opt.registerStepPreHook(5),
      message: /^registerStepPreHook: hook must be a function, got number$/ },
    { what: "registerLoadStateDictPostHook with prepend 1", call: (c) => c.opt.registerLoadStateDictPostHook(() => {}, 1),
      message: /^registerLoadStateDictPostHook: prepend must be a boolean, got number$/ },
    { what: "a step pre-hook returning something else than [args, kwargs]", prepare: (c) => { c.opt.registerStepPreHook(() => 5); },
      call: (c) => c.opt.step(c.closure),
      message: new RegExp(`^${name}\\.step: a step pre-hook must return undefined or \\[newArgs, newKwargs\\], but got 5$`) },
    // the state dict's frame
    { what: "loadStateDict(null)", call: (c) => c.opt.loadStateDict(null),
      message: new RegExp(`${L}the state dict must be an object \\{ state, paramGroups \\} as stateDict\\(\\) returns; got null$`) },
    { what: "a state dict without paramGroups", call: (c) => c.opt.loadStateDict({ state: {} }),
      message: new RegExp(`${L}the state dict has no paramGroups; expected state, paramGroups$`) },
    { what: "a state dict with a __proto__ key (JSON)", call: (c) => c.opt.loadStateDict(JSON.parse('{"state": {}, "paramGroups": [], "__proto__": {"x": 1}}')),
      message: new RegExp(`${L}the state dict has "__proto__", which is not a key of a state dict; expected state, paramGroups$`) },
    { what: "state as an array", call: (c) => c.opt.loadStateDict({ ...c.sd, state: [c.sd.state[0]] }),
      message: new RegExp(`${L}state must be an object keyed by parameter index; got an array of 1 values$`) },
    // groups
    { what: "another group count", call: (c) => c.opt.loadStateDict({ ...c.sd, paramGroups: [...c.sd.paramGroups, c.sd.paramGroups[0]] }),
      message: new RegExp(`${L}paramGroups has \\d groups, but this ${name} has \\d \\(loaded state dict has a different number of parameter groups\\)$`) },
    { what: "a group with one param fewer", call: (c) => c.opt.loadStateDict(edited(c, (sd) => { sd.paramGroups[0].params.pop(); })),
      message: new RegExp(`${L}paramGroups\\[0\\]\\.params must list \\d parameter indices, as this ${name}'s group 0 has \\d params; got an array of \\d values`) },
    { what: "a param index listed twice", call: (c) => c.opt.loadStateDict(edited(c, (sd) => { const g = sd.paramGroups.at(-1); g.params[g.params.length - 1] = 0; })),
      message: new RegExp(`${L}paramGroups\\[\\d\\]\\.params\\[\\d\\] is 0, an index listed before$`) },
    { what: "a param index that is a string", call: (c) => c.opt.loadStateDict(edited(c, (sd) => { sd.paramGroups[0].params[0] = "0"; })),
      message: new RegExp(`${L}paramGroups\\[0\\]\\.params\\[0\\] must be a whole number ≥ 0; got "0" \\(a string\\)$`) },
    { what: "a misspelt group option", call: (c) => c.opt.loadStateDict(edited(c, (sd) => { sd.paramGroups[0].lrr = 0.1; })),
      message: new RegExp(`${L}paramGroups\\[0\\] has "lrr", which is not an option of ${name} or an lr scheduler's \\(did you mean "lr"\\?\\)`) },
    { what: "a group without lr", call: (c) => c.opt.loadStateDict(edited(c, (sd) => { delete sd.paramGroups[0].lr; })),
      message: new RegExp(`${L}paramGroups\\[0\\] has no lr; expected params, lr, `) },
    { what: "a group lr of -1", call: (c) => c.opt.loadStateDict(edited(c, (sd) => { sd.paramGroups[0].lr = -1; })),
      message: new RegExp(`${L}paramGroups\\[0\\]: ${NEGATIVE_LR[name] ?? esc(lrMessage(name, "-1"))}$`) },
    { what: "a group lr as a string", call: (c) => c.opt.loadStateDict(edited(c, (sd) => { sd.paramGroups[0].lr = "0.1"; })),
      message: new RegExp(`${L}paramGroups\\[0\\]: ${name}: option lr must be a number or a 1-element Tensor, got "0.1"$`) },
    { what: "a group option that is an object", call: (c) => c.opt.loadStateDict(edited(c, (sd) => { sd.paramGroups[0].lr = new Date(0); })),
      message: new RegExp(`${L}paramGroups\\[0\\]\\.lr must be a number, a boolean, a string, null, an array of them or a tensor option \\{ tensor, shape \\}; got a Date$`) },
    { what: "initialLr (an lr scheduler's) as a string", call: (c) => c.opt.loadStateDict(edited(c, (sd) => { sd.paramGroups[0].initialLr = "x"; })),
      message: new RegExp(`${L}paramGroups\\[0\\]\\.initialLr must be a number \\(or a tensor option\\); got "x" \\(a string\\)$`) },
    // state entries
    { what: "a state key that is not an index", call: (c) => c.opt.loadStateDict(edited(c, (sd) => { sd.state.x = sd.state[0]; })),
      message: new RegExp(`${L}state has the key "x", which is not the index of a parameter in paramGroups`) },
    { what: "state for an index no group lists", call: (c) => c.opt.loadStateDict(edited(c, (sd) => { sd.state[7] = sd.state[0]; })),
      message: new RegExp(`${L}state has the key "7", which is not the index of a parameter in paramGroups`) },
    { what: "a state entry that is a number", call: (c) => c.opt.loadStateDict(edited(c, (sd) => { sd.state[0] = 5; })),
      message: new RegExp(`${L}state\\[0\\] must be an object of state values; got 5$`) },
    { what: "another optimizer's state name", call: (c) => c.opt.loadStateDict(edited(c, (sd) => { sd.state[0].expAvgSqX = new Float32Array(5); })),
      message: new RegExp(`${L}state\\[0\\] has "expAvgSqX", which is not a state ${name} keeps`) },
  ];
  // buffers and scalars, named from what this optimizer saved
  const keys = (c: Ctx) => stateKeys(c.sd);
  /** A row that replaces the first buffer of state[0] by `value(n)`, n its length. */
  const bufferRow = (what: string, value: (n: number) => unknown, got: string, expected = ""): Row => ({
    what, call: (c) => c.opt.loadStateDict(edited(c, (sd) => {
      const key = keys(c).buffer;
      sd.state[0][key] = value(sd.state[0][key].length);
    })),
    message: new RegExp(`${L}state\\[0\\]\\.\\w+ must be a Float32Array, an array of numbers or a Tensor of \\d+ values.*${expected}; got ${got}$`),
  });
  rows.push(
    bufferRow("a buffer as a Float64Array", (n) => new Float64Array(n), "a Float64Array of \\d+ values"),
    bufferRow("a buffer of 3 values", () => [1, 2, 3], "an array of 3 values"),
    bufferRow("a buffer as an Int32Array", (n) => new Int32Array(n), "an Int32Array of \\d+ values"),
    bufferRow("a buffer as a string", () => "0,0,0,0,0", '"0,0,0,0,0" \\(a string\\)'),
    bufferRow("a buffer as an empty object", () => ({}), "an empty object",
      ' \\(or the object JSON makes of a Float32Array, with keys "0" to "\\d+"\\)'),
    bufferRow("a buffer as a Tensor of 4 values", () => torch.zeros([4]), "a Tensor of shape \\[4\\]"),
    bufferRow("a buffer as a released Tensor", (n) => { const t = torch.zeros([n]); t.dispose(); return t; }, "a released Tensor"),
    bufferRow("a buffer as null", () => null, "null"),
    {
      what: "a buffer with a null (JSON's NaN)", call: (c) => c.opt.loadStateDict(edited(c, (sd) => {
        const key = keys(c).buffer;
        sd.state[0][key] = Array.from(sd.state[0][key], (x, i) => (i === 1 ? null : x));
      })),
      message: new RegExp(`${L}state\\[0\\]\\.\\w+\\[1\\] must be a number \\(or "NaN", "Infinity", "-Infinity", "-0"\\); got null \\(JSON writes NaN`),
    },
    {
      what: "a buffer as an incomplete {\"0\": …} object (JSON of a plain Float32Array, one key renamed)",
      call: (c) => c.opt.loadStateDict(edited(c, (sd) => {
        const key = keys(c).buffer;
        const o = JSON.parse(JSON.stringify(Float32Array.from(sd.state[0][key])));
        o.x = o[2];
        delete o[2];
        sd.state[0][key] = o;
      })),
      message: new RegExp(`${L}state\\[0\\]\\.\\w+\\["2"\\] must be a number; got undefined$`),
    },
  );
  if (!NO_STEP_STATE.has(name)) rows.push( // these keep no step count
    {
      what: "a whole-number state as a string", call: (c) => c.opt.loadStateDict(edited(c, (sd) => { sd.state[0][keys(c).count!] = "2"; })),
      message: new RegExp(`${L}state\\[0\\]\\.(step|nIter) must be a whole number ≥ 0; got "2" \\(a string\\)$`),
    },
    {
      what: "a whole-number state of 2.5", call: (c) => c.opt.loadStateDict(edited(c, (sd) => { sd.state[0][keys(c).count!] = 2.5; })),
      message: new RegExp(`${L}state\\[0\\]\\.(step|nIter) must be a whole number ≥ 0; got 2.5$`),
    },
    {
      what: "a state entry without its step (a truncated checkpoint)", call: (c) => c.opt.loadStateDict(edited(c, (sd) => { delete sd.state[0][keys(c).count!]; })),
      message: new RegExp(`${L}state\\[0\\] has no (step|nIter); expected `),
    },
  );
  if (name !== "SGD") rows.push( // SGD starts a missing buffer from the grad (PyTorch)
    {
      what: "an empty state entry", call: (c) => c.opt.loadStateDict(edited(c, (sd) => { sd.state[0] = {}; })),
      message: new RegExp(`${L}state\\[0\\] has no \\w+; expected `),
    },
    {
      what: "a state entry without a buffer the step always uses",
      call: (c) => c.opt.loadStateDict(edited(c, (sd) => { delete sd.state[0][keys(c).buffer]; })),
      message: new RegExp(`${L}state\\[0\\] (has no \\w+; expected|has no \\w+, but its nIter is)`),
    },
  );
  if (["NAdam", "ASGD", "LBFGS", "LAMB"].includes(name)) {
    rows.push({
      what: "a float state of NaN", call: (c) => c.opt.loadStateDict(edited(c, (sd) => { sd.state[0][keys(c).float!] = NaN; })),
      message: new RegExp(`${L}state\\[0\\]\\.(muProduct|eta|t|trustRatio) must be a finite number; got NaN$`),
    });
  }
  if (name !== "LBFGS") {
    rows.push(
      { what: "addParamGroup with a misspelt option", call: (c) => c.opt.addParamGroup({ params: [leaf()], lrr: 0.1 }),
        message: new RegExp(`^${name} param group 2: unknown option "lrr" \\(did you mean "lr"\\?\\)`) },
      { what: "addParamGroup with a param already in a group", call: (c) => c.opt.addParamGroup({ params: [c.params[0]] }),
        message: /^some parameters appear in more than one parameter group$/ },
      { what: "step with a closure that is not a function", call: (c) => c.opt.step(5),
        message: new RegExp(`^${name}\\.step: closure must be a function, got 5$`) },
      { what: "a step with a released grad", prepare: (c) => {
        c.params[0].grad = torch.ones(c.params[0].shape);
        const g = torch.ones([2, 2]);
        c.params[1].grad = g;
        g.dispose();
      }, call: (c) => c.opt.step(), message: /disposed/ },
      { what: "a step with a state buffer of another size", prepare: (c) => {
        c.params[0].grad = torch.ones(c.params[0].shape);
        c.params[1].grad = torch.ones([2, 2]);
        c.opt.state.get(c.params[1])[stateKeys(c.sd, 1).buffer] = torch.zeros([3]);
      }, call: (c) => c.opt.step(), message: new RegExp(`^${name}\\.step: the state \\w+ of a parameter of shape \\[2, 2\\] has 3 values, not \\d$`) },
      { what: "a step with a state buffer deleted", prepare: (c) => {
        c.params[0].grad = torch.ones(c.params[0].shape);
        c.params[1].grad = torch.ones([2, 2]);
        delete c.opt.state.get(c.params[1])[stateKeys(c.sd, 1).buffer];
      }, call: (c) => c.opt.step(), message: new RegExp(`^${name}\\.step: the state of a parameter of shape \\[2, 2\\] has no \\w+, which every step reads$`) },
    );
    if (name === "SGD") rows.pop(); // SGD makes a missing momentum buffer from the grad, as PyTorch
  }
  return rows.map((r) => ({ ...r, message: new RegExp(r.message.source.replace(/\{name\}/g, esc(name))) }));
}

const ROWS: [string, Row][] = [];
for (const name of NAMES) for (const row of common(name)) ROWS.push([name, row]);

const p3 = () => torch.tensor([1, 2, 3], { requiresGrad: true });
const SPECIFIC: [string, Row][] = [
  ["SGD", { what: "nesterov without momentum in a group", call: () => new optim.SGD([{ params: [p3()] }, { params: [p3()], nesterov: true }], { momentum: 0 }),
    message: /^Nesterov momentum requires a momentum and zero dampening$/ }],
  ["SGD", { what: "a momentum buffer of the wrong size", call: (c) => c.opt.loadStateDict(edited(c, (sd) => { sd.state[1].momentumBuffer = new Float32Array(5); })),
    message: /^SGD\.loadStateDict: state\[1\]\.momentumBuffer must be a Float32Array, an array of numbers or a Tensor of 4 values \(the parameter's shape is \[2, 2\]\); got a Float32Array of 5 values$/ }],
  ["Adam", { what: "betas not a pair", call: () => new optim.Adam([p3()], { betas: [0.9] }), message: /^Adam: option betas must be a pair of numbers, got \[0.9\]$/ }],
  ["Adam", { what: "addParamGroup with a bad beta", call: (c) => c.opt.addParamGroup({ params: [p3()], betas: [1.5, 0.9] }),
    message: /^Invalid beta parameter at index 0: 1.5$/ }],
  ["Adam", { what: "a loaded group's betas of one number", call: (c) => c.opt.loadStateDict(edited(c, (sd) => { sd.paramGroups[1].betas = [0.9]; })),
    message: /^Adam\.loadStateDict: paramGroups\[1\]: Adam: option betas must be a pair of numbers, got \[0.9\]$/ }],
  ["Adam", { what: "a loaded group's amsgrad as 1", call: (c) => c.opt.loadStateDict(edited(c, (sd) => { sd.paramGroups[1].amsgrad = 1; })),
    message: /^Adam\.loadStateDict: paramGroups\[1\]: Adam: option amsgrad must be a boolean, got 1$/ }],
  ["AdamW", { what: "decoupledWeightDecay as an AdamW option", call: () => new optim.AdamW([p3()], { decoupledWeightDecay: false }),
    message: /^AdamW: unknown option "decoupledWeightDecay"/ }],
  ["Adam", { what: "a negative expAvgSq", call: (c) => c.opt.loadStateDict(edited(c, (sd) => { sd.state[0].expAvgSq[3] = -1e-3; })),
    message: /^Adam\.loadStateDict: state\[0\]\.expAvgSq\[3\] must be ≥ 0 \(it accumulates squares or magnitudes\); got -0\.0010000000474974513$/ }],
  ["Adagrad", { what: "a sum of -Infinity (JSON text)", call: (c) => c.opt.loadStateDict(edited(c, (sd) => { sd.state[1].sum = ["-Infinity", 0, 0, 0]; })),
    message: /^Adagrad\.loadStateDict: state\[1\]\.sum\[0\] must be ≥ 0 \(it accumulates squares or magnitudes\); got -Infinity$/ }],
  ["NAdam", { what: "muProduct as a string", call: (c) => c.opt.loadStateDict(edited(c, (sd) => { sd.state[0].muProduct = "1"; })),
    message: /^NAdam\.loadStateDict: state\[0\]\.muProduct must be a finite number; got "1" \(a string\)$/ }],
  ["Adagrad", { what: "a snake_case option", call: () => new optim.Adagrad([p3()], { weight_decay: 0.1 }),
    message: /^Adagrad: unknown option "weight_decay" \(did you mean "weightDecay"\?\); options: lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize$/ }],
  ["ASGD", { what: "mu as Infinity", call: (c) => c.opt.loadStateDict(edited(c, (sd) => { sd.state[1].mu = Infinity; })),
    message: /^ASGD\.loadStateDict: state\[1\]\.mu must be a finite number; got Infinity$/ }],
  ["RMSprop", { what: "centered as a number", call: () => new optim.RMSprop([p3()], { centered: 1 }), message: /^RMSprop: option centered must be a boolean, got 1$/ }],
  ["RMSprop", { what: "a gradAvg of the wrong size", call: (c) => c.opt.loadStateDict(edited(c, (sd) => { sd.state[0].gradAvg = [1, 2]; })),
    message: /^RMSprop\.loadStateDict: state\[0\]\.gradAvg must be a Float32Array, an array of numbers or a Tensor of 5 values \(the parameter's shape is \[5\]\); got an array of 2 values$/ }],
  ["Rprop", { what: "etas of one number", call: () => new optim.Rprop([p3()], { etas: [0.5] }), message: /^Rprop: option etas must be a pair of numbers, got \[0.5\]$/ }],
  ["Rprop", { what: "a loaded group's etas out of range", call: (c) => c.opt.loadStateDict(edited(c, (sd) => { sd.paramGroups[0].etas = [1.5, 1.2]; })),
    message: /^Rprop\.loadStateDict: paramGroups\[0\]: Invalid eta values: 1.5, 1.2$/ }],
  ["LBFGS", { what: "two groups", call: () => new optim.LBFGS([{ params: [p3()] }, { params: [p3()], lr: 0.1 }]),
    message: /^LBFGS doesn't support per-parameter options \(parameter groups\)$/ }],
  ["LBFGS", { what: "addParamGroup", call: (c) => c.opt.addParamGroup({ params: [p3()] }), message: /^LBFGS doesn't support per-parameter options \(parameter groups\)$/ }],
  ["LBFGS", { what: "step without a closure", call: (c) => c.opt.step(), message: /^LBFGS\.step\(closure\): LBFGS requires a closure/ }],
  ["LBFGS", { what: "lineSearchFn armijo", call: () => new optim.LBFGS([p3()], { lineSearchFn: "armijo" }), message: /^only 'strong_wolfe' is supported$/ }],
  ["LBFGS", { what: "historySize 0", call: () => new optim.LBFGS([p3()], { historySize: 0 }), message: /^LBFGS: historySize must be a positive integer, got 0$/ }],
  ["LBFGS", { what: "a closure returning nothing", call: () => new optim.LBFGS([p3()]).step(() => undefined),
    message: /^LBFGS: the closure must return the loss \(a Tensor or a number\), got undefined$/ }],
  ["LBFGS", { what: "a history of vectors of the wrong size", call: (c) => c.opt.loadStateDict(edited(c, (sd) => { sd.state[0].oldDirs = [new Float32Array(3)]; })),
    message: /^LBFGS\.loadStateDict: state\[0\]\.oldDirs\[0\] must be a Float32Array, an array of numbers or a Tensor of 9 values; got a Float32Array of 3 values$/ }],
  ["LBFGS", { what: "history lists of different lengths", call: (c) => c.opt.loadStateDict(edited(c, (sd) => { sd.state[0].ro = [...sd.state[0].ro, 1]; })),
    message: /^LBFGS\.loadStateDict: state\[0\]: oldDirs, oldStps and ro must have one length \(a history entry each\); got \d, \d, \d$/ }],
  ["LBFGS", { what: "a direction without the rest of the iteration state", call: (c) => c.opt.loadStateDict(edited(c, (sd) => { sd.state[0] = { funcEvals: 3, nIter: 0, d: sd.state[0].d }; })),
    message: /^LBFGS\.loadStateDict: state\[0\] has d, but its nIter is 0: the direction, step and history/ }],
  ["LBFGS", { what: "state on the second parameter", call: (c) => c.opt.loadStateDict(edited(c, (sd) => { sd.state[1] = sd.state[0]; delete sd.state[0]; })),
    message: /^LBFGS\.loadStateDict: state\[1\]: LBFGS keeps its state on the first parameter \(index of params\[0\]\) only$/ }],
  ["LBFGS", { what: "al with a string", call: (c) => c.opt.loadStateDict(edited(c, (sd) => { sd.state[0].al = ["x"]; })),
    message: /^LBFGS\.loadStateDict: state\[0\]\.al\[0\] must be a finite number; got "x" \(a string\)$/ }],
  ["Adafactor", { what: "eps not a pair", call: () => new optim.Adafactor([p3()], { eps: [1e-3] }),
    message: /^Adafactor: option eps must be \[null or a number, a number\], got \[0.001\]$/ }],
  ["Adafactor", { what: "eps2 null", call: () => new optim.Adafactor([p3()], { eps: [null, null] }),
    message: /^Adafactor: option eps must be \[null or a number, a number\], got \[null, null\]$/ }],
  ["Adafactor", { what: "a rowVar of the parameter's size", call: (c) => c.opt.loadStateDict(edited(c, (sd) => { sd.state[1].rowVar = new Float32Array(4); })),
    message: /^Adafactor\.loadStateDict: state\[1\]\.rowVar must be a Float32Array, an array of numbers or a Tensor of 2 values \(the parameter's shape is \[2, 2\], this state's \[2, 1\]\); got a Float32Array of 4 values$/ }],
  ["Adafactor", { what: "a variance for a matrix", call: (c) => c.opt.loadStateDict(edited(c, (sd) => { sd.state[1].variance = new Float32Array(4); })),
    message: /^Adafactor\.loadStateDict: state\[1\]\.variance: a parameter of shape \[2, 2\] has no such state$/ }],
  ["Adafactor", { what: "a rowVar for a vector", call: (c) => c.opt.loadStateDict(edited(c, (sd) => { sd.state[0].rowVar = new Float32Array(5); })),
    message: /^Adafactor\.loadStateDict: state\[0\]\.rowVar: a parameter of shape \[5\] has no such state$/ }],
  ["Adafactor", { what: "a matrix's state without its colVar", call: (c) => c.opt.loadStateDict(edited(c, (sd) => { delete sd.state[1].colVar; })),
    message: /^Adafactor\.loadStateDict: state\[1\] has no colVar; expected step, rowVar, colVar$/ }],
  ["Adafactor", { what: "a negative colVar", call: (c) => c.opt.loadStateDict(edited(c, (sd) => { sd.state[1].colVar[1] = -1; })),
    message: /^Adafactor\.loadStateDict: state\[1\]\.colVar\[1\] must be ≥ 0 \(it accumulates squares or magnitudes\); got -1$/ }],
  ["Muon", { what: "a vector param", call: () => new optim.Muon([torch.zeros([2, 2], { requiresGrad: true }), p3()]),
    message: /^Muon only supports 2D parameters whereas we found a parameter with size: \[3\]$/ }],
  ["Muon", { what: "addParamGroup with a vector (PyTorch: a ValueError mid-step)", call: (c) => c.opt.addParamGroup({ params: [p3()] }),
    message: /^Muon only supports 2D parameters whereas we found a parameter with size: \[3\]$/ }],
  ["Muon", { what: "nsSteps 100", call: () => new optim.Muon([torch.zeros([2, 2], { requiresGrad: true })], { nsSteps: 100 }),
    message: /^Number of steps must be less than 100 for computational efficiency$/ }],
  ["Muon", { what: "nsSteps set to 100 mid-run, then a step", prepare: (c) => {
    c.opt.paramGroups[1].nsSteps = 100;
    c.params[0].grad = torch.ones([1, 5]);
    c.params[1].grad = torch.ones([2, 2]);
  }, call: (c) => c.opt.step(), message: /^Number of steps must be less than 100 for computational efficiency$/ }],
  ["Muon", { what: "nsSteps 2.5", call: () => new optim.Muon([torch.zeros([2, 2], { requiresGrad: true })], { nsSteps: 2.5 }),
    message: /^Muon: option nsSteps must be a whole number, got 2.5$/ }],
  ["Muon", { what: "two coefficients", call: () => new optim.Muon([torch.zeros([2, 2], { requiresGrad: true })], { nsCoefficients: [1, 2] }),
    message: /^Muon: option nsCoefficients must be an array of 3 numbers, got \[1, 2\]$/ }],
  ["Muon", { what: "a loaded group's adjustLrFn unknown", call: (c) => c.opt.loadStateDict(edited(c, (sd) => { sd.paramGroups[0].adjustLrFn = "fast"; })),
    message: /^Muon\.loadStateDict: paramGroups\[0\]: Adjust learning rate function fast is not supported$/ }],
  ["Lion", { what: "useTriton: true", call: () => new optim.Lion([p3()], { useTriton: true }),
    message: /^Lion: useTriton is not available: it selects lion-pytorch's Triton kernel for CUDA GPUs; torchlet steps Lion with its WebAssembly kernel/ }],
  ["Lion", { what: "lr 0 (lion-pytorch asserts lr > 0)", call: () => new optim.Lion([p3()], { lr: 0 }),
    message: /^Lion: lr must be > 0 \(lion-pytorch asserts lr > 0 in its constructor\), got 0$/ }],
  ["Lion", { what: "a beta above 1", call: () => new optim.Lion([p3()], { betas: [0.9, 1.5] }),
    message: /^Invalid beta parameter at index 1: 1.5 \(Lion's betas are in \[0, 1\]\)$/ }],
  ["Lion", { what: "a negative weightDecay", call: () => new optim.Lion([p3()], { weightDecay: -0.1 }), message: /^Invalid weight_decay value: -0.1$/ }],
  ["Lion", { what: "decoupledWeightDecay in a param group (lion-pytorch's is the optimizer's)",
    call: () => new optim.Lion([{ params: [p3()], decoupledWeightDecay: true }]), message: /^Lion param group 0: unknown option "decoupledWeightDecay"/ }],
  ["LAMB", { what: "foreach (the reference's switch between its two paths)", call: () => new optim.LAMB([p3()], { foreach: false }),
    message: /^LAMB: unknown option "foreach"; options: lr, betas, weightDecay, weightDecouple, fixedDecay, rectify, gradAveraging, maxGradNorm, adam, eps, degeneratedToSgd, nSmaThreshold, preNorm, maximize$/ }],
  ["LAMB", { what: "preNorm in a param group (the reference's is the optimizer's)", call: () => new optim.LAMB([{ params: [p3()], preNorm: true }]),
    message: /^LAMB param group 0: unknown option "preNorm"/ }],
  ["LAMB", { what: "step in a param group (the optimizer's count)", call: () => new optim.LAMB([{ params: [p3()], step: 3 }]),
    message: /^LAMB param group 0: unknown option "step"/ }],
  ["LAMB", { what: "nSmaThreshold as a string", call: () => new optim.LAMB([p3()], { nSmaThreshold: "5" }),
    message: /^LAMB: option nSmaThreshold must be a number, got "5"$/ }],
  ["LAMB", { what: "a loaded group's step of 2.5", call: (c) => c.opt.loadStateDict(edited(c, (sd) => { sd.paramGroups[0].step = 2.5; })),
    message: /^LAMB\.loadStateDict: paramGroups\[0\]\.step must be a whole number ≥ 0; got 2.5$/ }],
  ["LAMB", { what: "a loaded group's stepp", call: (c) => c.opt.loadStateDict(edited(c, (sd) => { sd.paramGroups[0].stepp = 2; })),
    message: /^LAMB\.loadStateDict: paramGroups\[0\] has "stepp", which is not an option of LAMB or an lr scheduler's \(did you mean "step"\?\)/ }],
  ["ScheduleFreeAdamW", { what: "β1 of 0 (eval() divides by it)", call: () => new optim.ScheduleFreeAdamW([p3()], { betas: [0, 0.9] }),
    message: /^Invalid beta parameter at index 0: 0 \(in \(0, 1\): eval\(\) divides by it\)$/ }],
  ["ScheduleFreeAdamW", { what: "innerMomentum 1", call: () => new optim.ScheduleFreeAdamW([p3()], { innerMomentum: 1 }),
    message: /^Invalid inner_momentum value: 1 \(in \[0, 1\)\)$/ }],
  ...["ScheduleFreeAdamW", "ScheduleFreeSGD"].flatMap((name): [string, Row][] => [
    [name, { what: "step() in eval mode", prepare: (c) => c.opt.eval(), call: (c) => c.opt.step(),
      message: new RegExp(`^${name}\\.step: the optimizer is in eval mode \\(paramGroups\\[0\\]\\.trainMode is false\\): call optimizer\\.train\\(\\) before training steps`) }],
    [name, { what: "step(closure) in eval mode: the closure does not run", prepare: (c) => c.opt.eval(),
      call: (c) => c.opt.step(() => { throw new Error("the closure ran"); }), message: new RegExp(`^${name}\\.step: the optimizer is in eval mode`) }],
    [name, { what: "eval() with a z of another size", prepare: (c) => { c.opt.state.get(c.params[1]).z = torch.zeros([3]); },
      call: (c) => c.opt.eval(), message: new RegExp(`^${name}\\.eval: the state z of a parameter of shape \\[2, 2\\] has 3 values, not 4$`) }],
    [name, { what: "foreach (the reference's switch, one path here)", call: () => new optim[name]([p3()], { foreach: true }),
      message: new RegExp(`^${name}: unknown option "foreach"`) }],
    [name, { what: "warmupSteps 1.5", call: () => new optim[name]([p3()], { warmupSteps: 1.5 }),
      message: /^Invalid warmup_steps value: 1.5 \(a whole number ≥ 0\)$/ }],
    [name, { what: "a loaded group's trainMode of 1", call: (c) => c.opt.loadStateDict(edited(c, (sd) => { sd.paramGroups[0].trainMode = 1; })),
      message: new RegExp(`^${name}\\.loadStateDict: paramGroups\\[0\\]: ${name}: option trainMode must be a boolean, got 1$`) }],
    [name, { what: "a loaded group's k of -1", call: (c) => c.opt.loadStateDict(edited(c, (sd) => { sd.paramGroups[1].k = -1; })),
      message: new RegExp(`^${name}\\.loadStateDict: paramGroups\\[1\\]: ${name}: k \\(the group's step count\\) must be a whole number ≥ 0, got -1$`) }],
    [name, { what: "a loaded group's lrMax as a string", call: (c) => c.opt.loadStateDict(edited(c, (sd) => { sd.paramGroups[0].lrMax = "x"; })),
      message: new RegExp(`^${name}\\.loadStateDict: paramGroups\\[0\\]: ${name}: lrMax must be a number or a 1-element Tensor, got "x"$`) }],
  ]),
];
ROWS.push(...SPECIFIC);

export const tests: Record<string, () => void> = {};

tests[`${ROWS.length} bad calls over ${NAMES.length} optimizers: each throws its message and changes nothing`] = () => {
  const failures: string[] = [];
  for (const [name, row] of ROWS) {
    try {
      const ctx = stepped(name);
      const bystander = torch.tensor([0.5, -1.5, 2.5]).keep();
      row.prepare?.(ctx);
      const before = snapshot(ctx, bystander);
      assertThrows(() => row.call(ctx), row.message, `${name}: ${row.what}`);
      assertEqual(snapshot(ctx, bystander), before, `${name}: ${row.what}: nothing changed`);
    } catch (e) {
      failures.push((e as Error).message);
    }
  }
  if (failures.length > 0) throw new Error(`${failures.length} of ${ROWS.length} rows failed:\n${failures.join("\n")}`);
};
