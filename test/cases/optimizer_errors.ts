// Bad calls to the optimizers, one table: each row is a call on a freshly stepped optimizer
// (or a constructor call), the message it must throw (naming the argument, the value
// received and the form expected), and, after it, the proof that it changed nothing: the
// params, their grads, the optimizer's stateDict(), a bystander tensor and the kernels'
// tables (exp(1)) are as they were.
import * as torch from "../../build/torchlet.js";
import { assertEqual, assertThrows } from "./assert.ts";

// deno-lint-ignore no-explicit-any
type Any = any;
type Tensor = torch.Tensor;
const optim: Any = torch.optim;

export const NAMES = ["SGD", "Adam", "AdamW", "Adamax", "NAdam", "RAdam", "Adadelta", "Adagrad", "ASGD", "RMSprop", "Rprop", "LBFGS"];

/** Options under which each optimizer keeps all its state buffers (and steps visibly). */
export const FULL: Record<string, Any> = {
  SGD: { lr: 0.1, momentum: 0.9 }, Adam: { lr: 0.1, amsgrad: true }, AdamW: { lr: 0.1 }, Adamax: { lr: 0.1 },
  NAdam: { lr: 0.1 }, RAdam: { lr: 0.1 }, Adadelta: {}, Adagrad: {}, ASGD: { t0: 1 },
  RMSprop: { momentum: 0.9, centered: true }, Rprop: {}, LBFGS: { maxIter: 3, historySize: 2 },
};

export interface Ctx {
  name: string;
  opt: Any;
  params: Tensor[];
  /** A state dict the optimizer saved (a structured clone). */
  sd: Any;
  closure: () => Tensor;
}

/** An optimizer of `name` over two params (5 values, and 2×2) in two groups (one for LBFGS), stepped twice. */
export function stepped(name: string, options: Any = FULL[name]): Ctx {
  const params = [torch.tensor([1, -2, 3, 0.5, 0.25], { requiresGrad: true }), torch.tensor([[0.5, -1], [2, 1]], { requiresGrad: true })];
  const Cls = optim[name];
  const opt = name === "LBFGS" ? new Cls(params, options) : new Cls([{ params: [params[0]] }, { params: [params[1]], lr: 0.02 }], options);
  const closure = () => {
    opt.zeroGrad();
    const l = params[0].pow(2).sum().add(params[1].sub(0.5).pow(2).sum());
    l.backward();
    return l;
  };
  for (let i = 0; i < 2; i++) {
    if (name === "LBFGS") opt.step(closure);
    else { params[0].grad = torch.tensor([0.1, -0.2, 0.3, 0.4, -0.5]); params[1].grad = torch.tensor([[0.3, -0.1], [0.2, 0.6]]); opt.step(); }
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

/** Rows every optimizer gets (its name in `{name}` of the message). */
function common(name: string): Row[] {
  const leaf = (n = 2) => torch.zeros([n], { requiresGrad: true });
  const Cls = optim[name];
  return [
    { what: "empty param list", call: () => new Cls([]), message: /^optimizer got an empty parameter list$/ },
    { what: "a Tensor for params", call: () => new Cls(leaf()), message: /iterable of Tensors or dicts, but got a Tensor/ },
    { what: "a non-leaf param", call: () => new Cls([leaf().mul(2)]), message: /can't optimize a non-leaf Tensor/ },
    { what: "lr NaN", call: () => new Cls([leaf()], { lr: NaN }), message: /^Invalid learning rate: NaN$/ },
    { what: "lr as a string", call: () => new Cls([leaf()], { lr: "0.1" }), message: new RegExp(`^${name}: option lr must be a number, got "0.1"$`) },
    { what: "options not an object", call: () => new Cls([leaf()], 0.1), message: new RegExp(`^${name}: options must be an object, got 0.1`) },
    { what: "an unknown option", call: () => new Cls([leaf()], { learningRate: 0.1 }), message: new RegExp(`^${name}: unknown option "learningRate"`) },
    { what: "loadStateDict of a non-dict", call: (c) => c.opt.loadStateDict({ state: {} }), message: /expected \{ state, paramGroups \}/ },
    { what: "loadStateDict with another group count", call: (c) => c.opt.loadStateDict({ ...c.sd, paramGroups: [...c.sd.paramGroups, c.sd.paramGroups[0]] }),
      message: /different number of parameter groups/ },
    { what: "loadStateDict with another param count", call: (c) => {
      const sd = structuredClone(c.sd);
      sd.paramGroups[0].params = sd.paramGroups[0].params.slice(1);
      return c.opt.loadStateDict(sd);
    }, message: /doesn't match the size of optimizer's group/ },
    { what: "loadStateDict with a buffer of the wrong size", call: (c) => {
      const sd = structuredClone(c.sd);
      const key = Object.keys(sd.state[0]).find((k) => sd.state[0][k] instanceof Float32Array)!;
      sd.state[0][key] = new Float32Array(3);
      return c.opt.loadStateDict(sd);
    }, message: /has 3 values, but the parameter .* needs/ },
    { what: "loadStateDict with another optimizer's state name", call: (c) => {
      const sd = structuredClone(c.sd);
      sd.state[0].expAvgSqX = new Float32Array(5);
      return c.opt.loadStateDict(sd);
    }, message: /has "expAvgSqX", which \w+ does not use/ },
  ];
}

const ROWS: [string, Row][] = [];
for (const name of NAMES) for (const row of common(name)) ROWS.push([name, row]);

const p3 = () => torch.tensor([1, 2, 3], { requiresGrad: true });
const SPECIFIC: [string, Row][] = [
  ["SGD", { what: "nesterov without momentum in a group", call: () => new optim.SGD([{ params: [p3()] }, { params: [p3()], nesterov: true }], { momentum: 0 }),
    message: /^Nesterov momentum requires a momentum and zero dampening$/ }],
  ["Adam", { what: "betas not a pair", call: () => new optim.Adam([p3()], { betas: [0.9] }), message: /^Adam: option betas must be a pair of numbers, got \[0.9\]$/ }],
  ["Adam", { what: "addParamGroup with a bad beta", call: (c) => c.opt.addParamGroup({ params: [p3()], betas: [1.5, 0.9] }),
    message: /^Invalid beta parameter at index 0: 1.5$/ }],
  ["Adam", { what: "addParamGroup with a param already in a group", call: (c) => c.opt.addParamGroup({ params: [c.params[0]] }),
    message: /some parameters appear in more than one parameter group/ }],
  ["Adagrad", { what: "a snake_case option", call: () => new optim.Adagrad([p3()], { weight_decay: 0.1 }), message: /Adagrad: unknown option "weight_decay"/ }],
  ["RMSprop", { what: "centered as a number", call: () => new optim.RMSprop([p3()], { centered: 1 }), message: /RMSprop: option centered must be a boolean, got 1/ }],
  ["Rprop", { what: "etas of one number", call: () => new optim.Rprop([p3()], { etas: [0.5] }), message: /Rprop: option etas must be a pair of numbers, got \[0.5\]/ }],
  ["LBFGS", { what: "two groups", call: () => new optim.LBFGS([{ params: [p3()] }, { params: [p3()], lr: 0.1 }]),
    message: /^LBFGS doesn't support per-parameter options \(parameter groups\)$/ }],
  ["LBFGS", { what: "addParamGroup", call: (c) => c.opt.addParamGroup({ params: [p3()] }), message: /^LBFGS doesn't support per-parameter options \(parameter groups\)$/ }],
  ["LBFGS", { what: "step without a closure", call: (c) => c.opt.step(), message: /LBFGS requires a closure/ }],
  ["LBFGS", { what: "lineSearchFn armijo", call: () => new optim.LBFGS([p3()], { lineSearchFn: "armijo" }), message: /only 'strong_wolfe' is supported/ }],
  ["LBFGS", { what: "historySize 0", call: () => new optim.LBFGS([p3()], { historySize: 0 }), message: /LBFGS: historySize must be a positive integer, got 0/ }],
  ["LBFGS", { what: "a closure returning nothing", call: () => new optim.LBFGS([p3()]).step(() => undefined),
    message: /LBFGS: the closure must return the loss \(a Tensor or a number\), got undefined/ }],
];
ROWS.push(...SPECIFIC);
for (const name of NAMES.filter((n) => n !== "LBFGS")) {
  ROWS.push([name, { what: "a step with a released grad", prepare: (c) => {
    c.params[0].grad = torch.tensor([1, 1, 1, 1, 1]);
    const g = torch.tensor([[1, 1], [1, 1]]);
    c.params[1].grad = g;
    g.dispose();
  }, call: (c) => c.opt.step(), message: /disposed/ }]);
}

export const tests: Record<string, () => void> = {};

tests[`${ROWS.length} bad calls over ${NAMES.length} optimizers: each throws its message and changes nothing`] = () => {
  for (const [name, row] of ROWS) {
    const ctx = stepped(name);
    const bystander = torch.tensor([0.5, -1.5, 2.5]).keep();
    row.prepare?.(ctx);
    const before = snapshot(ctx, bystander);
    assertThrows(() => row.call(ctx), row.message, `${name}: ${row.what}`);
    assertEqual(snapshot(ctx, bystander), before, `${name}: ${row.what}: nothing changed`);
  }
};
