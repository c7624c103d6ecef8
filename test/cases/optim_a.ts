// SGD, Adam, AdamW, Adamax, NAdam and RAdam against PyTorch (test/fixtures/optim_a.json,
// written by test/golden/gen_optim_a.py; its docstring describes a case).
//
// Per fixture case: every parameter after every step (project tolerance), the closure's
// loss returned by step(), zeroGrad()/zeroGrad(false), the final state (PyTorch's names in
// camelCase) and group options; then, JS against JS, a stateDict saved after `resumeAt`
// steps (through structuredClone) and loaded into a fresh optimizer over copies of the
// parameters must continue bit-for-bit. Then a table of bad calls with their messages, and
// refused loadStateDict calls that must leave the optimizer exactly as it was.
import * as torch from "../../build/torchlet.js";
import fx from "../fixtures/optim_a.json" with { type: "json" };
import { assert, assertClose, assertEqual, assertThrows } from "./assert.ts";

// deno-lint-ignore no-explicit-any
type Any = any;
type Tensor = torch.Tensor;
const optim: Any = torch.optim;

type Event = [string, ...Any[]];
interface Case {
  name: string;
  optimizer: string;
  options: Record<string, Any>;
  groups: ({ params: number[] } & Record<string, Any>)[] | null;
  shapes: number[][];
  init: number[][];
  loss: "fixed" | "mlp";
  grads: (number[] | null)[][] | null;
  X: number[] | null;
  Y: number[] | null;
  steps: number;
  events: Record<string, Event[]>;
  zeroGrad: "none" | "zeros";
  closure: boolean;
  params: number[][][];
  losses: number[] | null;
  state: Record<string, Record<string, number | number[]>>;
  groupOptions: Record<string, Any>[];
  resumeAt: number;
}

const cases = (fx as Any).cases as Case[];

function groupOf(g: { params: number[] } & Record<string, Any>, params: Tensor[]): Any {
  return { ...g, params: g.params.map((i) => params[i]) };
}

function makeOptimizer(c: Case, params: Tensor[]): Any {
  const cls = optim[c.optimizer];
  if (c.groups === null) return new cls(params, { ...c.options });
  return new cls(c.groups.map((g) => groupOf(g, params)), { ...c.options });
}

/** One run of a case's loop; `from` resumes after that step with `opt`, `params` given. */
class Run {
  readonly history: Float32Array[][] = [];
  readonly losses: number[] = [];
  readonly X: Tensor | null;
  readonly Y: Tensor | null;

  constructor(readonly c: Case, readonly params: Tensor[], readonly opt: Any) {
    this.X = c.X && torch.tensor(Float32Array.from(c.X), { shape: [6, 3] }).keep();
    this.Y = c.Y && torch.tensor(Float32Array.from(c.Y), { shape: [6, 1] }).keep();
  }

  private makeGrads(t: number): Tensor {
    const { c, params } = this;
    if (c.loss === "fixed") {
      params.forEach((p, i) => {
        const g = c.grads![t][i];
        // the fixture's nulls are dropped grads; the golden run assigns then drops them
        p.grad = g === null ? null : torch.tensor(Float32Array.from(g), { shape: c.shapes[i] });
      });
      return torch.tensor(t + 1);
    }
    const [w1, b1, w2, b2] = params;
    const out = torch.nn.functional.linear(torch.nn.functional.linear(this.X!, w1, b1).tanh(), w2, b2);
    const loss = torch.nn.functional.mseLoss(out, this.Y!);
    loss.backward();
    return loss;
  }

  step(t: number): void {
    const { c, params, opt } = this;
    const events = c.events[String(t + 1)] ?? [];
    const drops: number[] = events.filter((e) => e[0] === "dropGrad").flatMap((e) => e[1]);
    for (const e of events) {
      if (e[0] === "setLr") opt.paramGroups[e[1]].lr = e[2];
      else if (e[0] === "addParamGroup") opt.addParamGroup(groupOf(e[1], params));
    }
    let ret: Any;
    if (events.some((e) => e[0] === "zeroGradKeep")) {
      opt.zeroGrad(false);
      for (const p of params) if (p.grad !== null) p.grad.zero_();
      for (const p of params) {
        assert(p.grad !== null, `${c.name} step ${t + 1}: zeroGrad(false) must leave a grad, not null`);
        assertEqual(Array.from(p.grad.toArray()), new Array(p.numel()).fill(0), `${c.name} step ${t + 1}: zeroGrad(false) grads`);
      }
      ret = opt.step();
    } else if (c.closure) {
      ret = opt.step(() => {
        for (const p of params) p.grad = null;
        const loss = this.makeGrads(t);
        for (const i of drops) params[i].grad = null;
        return loss;
      });
      assert(ret instanceof torch.Tensor, `${c.name} step ${t + 1}: step(closure) returns the closure's loss`);
      this.losses.push(ret.item());
    } else {
      if (c.loss === "mlp") {
        opt.zeroGrad(c.zeroGrad === "none");
        for (const p of params) {
          if (p.grad === null) continue;
          if (c.zeroGrad === "none") p.grad = null;
          else p.grad.zero_();
        }
        for (const p of opt.paramGroups.flatMap((g: Any) => g.params) as Tensor[]) {
          if (c.zeroGrad === "none") assert(p.grad === null, `${c.name}: zeroGrad() sets grads to null`);
          else if (p.grad !== null) assertEqual(p.grad.toArray().some((v) => v !== 0), false, `${c.name}: zeroGrad(false) zeroes`);
        }
      }
      this.makeGrads(t);
      for (const i of drops) params[i].grad = null;
      ret = opt.step();
      assertEqual(ret, undefined, `${c.name}: step() without a closure returns`);
    }
    this.history.push(params.map((p) => p.toArray()));
  }
}

function freshParams(c: Case, values: ArrayLike<number>[]): Tensor[] {
  return values.map((v, i) => torch.tensor(Float32Array.from(v), { shape: c.shapes[i], requiresGrad: true }));
}

function golden(c: Case): void {
  const params = freshParams(c, c.init);
  const run = new Run(c, params, makeOptimizer(c, params));
  for (let t = 0; t < c.steps; t++) {
    run.step(t);
    params.forEach((_, i) => assertClose(run.history[t][i], c.params[t][i], `${c.name}: param ${i} after step ${t + 1}`));
  }
  if (c.losses) assertClose(run.losses, c.losses, `${c.name}: losses returned by step(closure)`);
  // final state, keyed by parameter index like PyTorch's state_dict
  const sd = run.opt.stateDict();
  assertEqual(Object.keys(sd.state).sort(), Object.keys(c.state).sort(), `${c.name}: params with state`);
  for (const [idx, want] of Object.entries(c.state)) {
    const got = sd.state[Number(idx)];
    assertEqual(Object.keys(got), Object.keys(want), `${c.name}: state[${idx}] keys (PyTorch's, camelCased, in order)`);
    for (const [k, v] of Object.entries(want)) {
      if (k === "step") assertEqual(got[k], v, `${c.name}: state[${idx}].step`);
      else assertClose(got[k] as Any, v as Any, `${c.name}: state[${idx}].${k}`);
    }
  }
  assertEqual(sd.paramGroups.length, c.groupOptions.length, `${c.name}: group count`);
  c.groupOptions.forEach((want, g) => {
    const { params: _p, ...got } = sd.paramGroups[g];
    assertEqual(Object.keys(got).sort(), Object.keys(want).sort(), `${c.name}: group ${g} option names`);
    for (const [k, v] of Object.entries(want)) assertEqual(got[k], v, `${c.name}: group ${g} ${k}`);
  });
}

function resume(c: Case): void {
  const start = (): Run => { const ps = freshParams(c, c.init); return new Run(c, ps, makeOptimizer(c, ps)); };
  const full = start();
  for (let t = 0; t < c.steps; t++) full.step(t);

  const first = start();
  for (let t = 0; t < c.resumeAt; t++) first.step(t);
  const saved = structuredClone(first.opt.stateDict());

  // a fresh optimizer over copies, with the groups it had then (added groups too)
  const params = freshParams(c, first.params.map((p) => p.toArray()));
  const opt = makeOptimizer(c, params);
  for (let s = 1; s <= c.resumeAt; s++) {
    for (const e of c.events[String(s)] ?? []) if (e[0] === "addParamGroup") opt.addParamGroup(groupOf(e[1], params));
  }
  opt.loadStateDict(saved);
  const second = new Run(c, params, opt);
  for (let t = c.resumeAt; t < c.steps; t++) {
    second.step(t);
    const got = second.history[t - c.resumeAt];
    got.forEach((v, i) => assertEqual(v, full.history[t][i], `${c.name}: resumed param ${i} after step ${t + 1} (bit-for-bit)`));
  }
  if (c.losses) assertEqual(second.losses, full.losses.slice(c.resumeAt), `${c.name}: resumed losses`);
}

export const tests: Record<string, () => void | Promise<void>> = {};
for (const c of cases) {
  tests[`golden ${c.name}`] = () => golden(c);
  tests[`resume ${c.name}`] = () => resume(c);
}

// ---- bad input ------------------------------------------------------------------------

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const leaf = (n = 2) => torch.zeros([n], { requiresGrad: true });

tests["constructor errors: PyTorch's messages"] = () => {
  for (const e of (fx as Any).errors as { optimizer: string; options: Any; message: string }[]) {
    assertThrows(() => new optim[e.optimizer]([leaf()], e.options), new RegExp(`^${escape(e.message)}$`),
      `${e.optimizer}(${JSON.stringify(e.options)})`);
  }
};

const NAMES = ["SGD", "Adam", "AdamW", "Adamax", "NAdam", "RAdam"];
const BAD: [string, () => unknown, RegExp][] = [];
for (const name of NAMES) {
  const cls = optim[name];
  BAD.push(
    [`${name}: empty list`, () => new cls([]), /optimizer got an empty parameter list/],
    [`${name}: duplicate`, () => { const p = leaf(); return new cls([{ params: [p] }, { params: [p] }]); },
      /some parameters appear in more than one parameter group/],
    [`${name}: non-leaf`, () => new cls([leaf().mul(2)]), /can't optimize a non-leaf Tensor/],
    [`${name}: a Tensor`, () => new cls(leaf()), /iterable of Tensors or dicts/],
    [`${name}: bad lr in a group`, () => new cls([{ params: [leaf()] }, { params: [leaf()], lr: -1 }]),
      /^Invalid learning rate: -1$/],
    [`${name}: addParamGroup with a bad lr`, () => new cls([leaf()]).addParamGroup({ params: [leaf()], lr: -2 }),
      /^Invalid learning rate: -2$/],
    [`${name}: NaN lr`, () => new cls([leaf()], { lr: NaN }), /^Invalid learning rate: NaN$/],
  );
  if (name !== "SGD") {
    BAD.push([`${name}: betas not a pair`, () => new cls([leaf()], { betas: [0.9] }),
      new RegExp(`^${name}: option betas must be a pair of numbers, got \\[0.9\\]$`)]);
  }
  BAD.push(
    [`${name}: unknown option`, () => new cls([leaf()], { learningRate: 0.1 }), new RegExp(`^${name}: unknown option "learningRate"`)],
    [`${name}: lr as a string`, () => new cls([leaf()], { lr: "0.1" }), new RegExp(`^${name}: option lr must be a number, got "0.1"$`)],
    [`${name}: maximize as a number`, () => new cls([{ params: [leaf()], maximize: 1 }]),
      new RegExp(`^${name}: option maximize must be a boolean, got 1$`)],
    [`${name}: options not an object`, () => new cls([leaf()], 0.1), new RegExp(`^${name}: options must be an object`)],
  );
}
BAD.push(
  ["SGD: nesterov without momentum in a group",
    () => new optim.SGD([{ params: [leaf()] }, { params: [leaf()], nesterov: true }], { momentum: 0 }),
    /^Nesterov momentum requires a momentum and zero dampening$/],
);

tests["bad calls: table"] = () => {
  for (const [what, fn, re] of BAD) assertThrows(fn, re, what);
};

tests["addParamGroup refused: groups unchanged"] = () => {
  const opt = new optim.Adam([leaf()]);
  assertThrows(() => opt.addParamGroup({ params: [leaf()], betas: [1.5, 0.9] }), /Invalid beta parameter at index 0: 1.5/);
  assertThrows(() => opt.addParamGroup({ params: opt.paramGroups[0].params }), /more than one parameter group/);
  assertEqual(opt.paramGroups.length, 1, "group count after refused addParamGroup");
};

/** Two optimizers over equal params, stepped equally: `spoil` runs on the first only. */
function twins(name: string, options: Any, spoil: (opt: Any, params: Tensor[]) => void): void {
  const init = [[0.5, -1, 2, 0.25, -0.75], [1, 2, 3]];
  const shapes = [[5], [3]];
  const mk = () => init.map((v, i) => torch.tensor(v, { requiresGrad: true, shape: shapes[i] }));
  const [pa, pb] = [mk(), mk()];
  const build = (ps: Tensor[]) => new optim[name]([{ params: [ps[0]] }, { params: [ps[1]], lr: 0.02 }], options);
  const [a, b] = [build(pa), build(pb)];
  const feed = (ps: Tensor[], t: number) => ps.forEach((p, i) => {
    p.grad = torch.tensor(init[i].map((v, j) => Math.sin(v * (t + 1) + j)), { shape: shapes[i] });
  });
  for (let t = 0; t < 3; t++) { feed(pa, t); a.step(); feed(pb, t); b.step(); }
  spoil(a, pa);
  for (let t = 3; t < 6; t++) {
    feed(pa, t); a.step(); feed(pb, t); b.step();
    pa.forEach((p, i) => assertEqual(p.toArray(), pb[i].toArray(), `${name}: param ${i} after a refused call, step ${t + 1}`));
  }
  assertEqual(a.stateDict(), b.stateDict(), `${name}: state after a refused call`);
}

const OPTS: Record<string, Any> = {
  SGD: { lr: 0.1, momentum: 0.9 }, Adam: { lr: 0.1, amsgrad: true }, AdamW: { lr: 0.1 },
  Adamax: { lr: 0.1 }, NAdam: { lr: 0.1 }, RAdam: { lr: 0.1 },
};

for (const name of NAMES) {
  tests[`${name}: refused loadStateDict leaves it as it was`] = () => {
    twins(name, OPTS[name], (opt, params) => {
      const good = opt.stateDict();
      const other = new optim[name === "SGD" ? "Adam" : "SGD"]([{ params: [leaf(5)] }, { params: [leaf(3)] }]).stateDict();
      assertThrows(() => opt.loadStateDict(other), /has no option|does not use|another optimizer/, "another optimizer's dict");
      assertThrows(() => opt.loadStateDict({ ...good, paramGroups: good.paramGroups.slice(0, 1) }),
        /different number of parameter groups/, "group count");
      const fewer = structuredClone(good);
      fewer.paramGroups[1].params = [];
      assertThrows(() => opt.loadStateDict(fewer), /doesn't match the size of optimizer's group/, "param count");
      const wrong = structuredClone(good);
      const key = name === "SGD" ? "momentumBuffer" : "expAvg";
      wrong.state[0][key] = new Float32Array(3);
      assertThrows(() => opt.loadStateDict(wrong), new RegExp(`"${key}" for parameter 0 has 3 values`), "state size");
      const alien = structuredClone(good);
      alien.state[1].squareAvg = new Float32Array(3);
      assertThrows(() => opt.loadStateDict(alien), /does not use/, "unknown state name");
      // a late failure (state of the second param) must not have applied the first groups
      const late = structuredClone(good);
      late.paramGroups[0].lr = 123;
      late.state[1][key] = new Float32Array(1);
      assertThrows(() => opt.loadStateDict(late), /has 1 values/, "late failure");
      assert(opt.paramGroups[0].lr !== 123, "a refused loadStateDict must not change group options");
      void params;
    });
  };

  tests[`${name}: step with a released grad throws before touching anything`] = () => {
    twins(name, OPTS[name], (opt, params) => {
      params[0].grad = torch.ones([5]);
      const g = torch.ones([3]);
      params[1].grad = g;
      g.dispose();
      assertThrows(() => opt.step(), /releas|dispos/i, "released grad");
      params[0].grad = null;
      params[1].grad = null;
    });
  };

  tests[`${name}: a param without a grad is skipped and keeps its state`] = () => {
    const p = torch.tensor([1, 2, 3], { requiresGrad: true });
    const q = torch.tensor([4, 5], { requiresGrad: true });
    const opt = new optim[name]([p, q], OPTS[name]);
    p.grad = torch.tensor([0.1, 0.2, 0.3]);
    opt.step();
    assertEqual(Array.from(q.toArray()), [4, 5], `${name}: a param with a null grad does not move`);
    assert(!opt.state.has(q), `${name}: no state for a param that never had a grad`);
  };
}

tests["AdamW forces decoupled weight decay; defaults are PyTorch's"] = () => {
  const opt = new optim.AdamW([leaf()]);
  assertEqual(opt.paramGroups[0].decoupledWeightDecay, true, "AdamW decoupledWeightDecay");
  assertEqual(opt.paramGroups[0].weightDecay, 0.01, "AdamW weightDecay default");
  // like Python's AdamW(decoupled_weight_decay=...): not an option of AdamW
  assertThrows(() => new optim.AdamW([leaf()], { decoupledWeightDecay: false }), /^AdamW: unknown option "decoupledWeightDecay"/);
  const want: Record<string, Any> = {
    SGD: { lr: 1e-3, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false },
    Adam: { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false, decoupledWeightDecay: false },
    Adamax: { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, maximize: false },
    NAdam: { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, momentumDecay: 4e-3, decoupledWeightDecay: false, maximize: false },
    RAdam: { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, decoupledWeightDecay: false, maximize: false },
  };
  for (const [name, d] of Object.entries(want)) {
    const o = new optim[name]([leaf()], { lr: undefined });
    assertEqual(o.defaults, d, `${name}.defaults`);
  }
};
