// What a step does besides its arithmetic (which optimizers.ts checks against PyTorch): params
// without a grad are skipped, state is made when PyTorch makes it, a group's params at
// different steps are stepped as if apart, options turned on mid-run that need state the
// params lack are refused like PyTorch refuses them, and step hooks run around the update.
import * as torch from "../../build/torchlet.js";
import fx from "../fixtures/optimizers.json" with { type: "json" };
import { assert, assertClose, assertEqual, assertThrows } from "./assert.ts";
import { FULL, NAMES, like, stepped } from "./optimizer_errors.ts";
import { ready } from "./optimizers.ts";

// deno-lint-ignore no-explicit-any
type Any = any;
const optim: Any = torch.optim;
const FUSED = NAMES.filter((n) => n !== "LBFGS");

export const tests: Record<string, () => void> = {};

tests["a param whose grad is null is skipped and gets no state (Adagrad's from its constructor)"] = () => {
  for (const name of FUSED) {
    // Muon takes matrices only: rows
    const param = (v: number[]) => torch.tensor(v, { shape: name === "Muon" ? [1, v.length] : [v.length], requiresGrad: true });
    const p = param([1, 2, 3]), q = param([4, 5]);
    const opt = ready(new optim[name]([p, q], FULL[name]));
    p.grad = torch.tensor([0.1, 0.2, 0.3], { shape: p.shape });
    opt.step();
    assertEqual(Array.from(q.toArray()), [4, 5], `${name}: a param with a null grad does not move`);
    assert(name === "Adagrad" ? opt.state.get(q).step === 0 : !opt.state.has(q), `${name}: q has no (stepped) state`);
    assert(!p.toArray().every((v: number, i: number) => v === [1, 2, 3][i]), `${name}: p moved`);
  }
};

tests["Adagrad makes its state in the constructor, like PyTorch"] = () => {
  const p = torch.tensor([1, 2, 3], { requiresGrad: true });
  const opt = new optim.Adagrad([p], { initialAccumulatorValue: 0.25 });
  assertEqual(opt.stateDict().state[0], { step: 0, sum: new Float32Array([0.25, 0.25, 0.25]) }, "state before any step");
};

tests["a group's params at different steps: one kernel call per step count, same as stepping apart"] = () => {
  for (const name of ["Adam", "Adamax", "NAdam", "RAdam", "Adagrad", "ASGD"]) {
    const make = (v: number[]) => torch.tensor(v, { requiresGrad: true });
    const a = make([0.5, -1, 2, 0.25, 3]), b = make([1, -2, 0.5]);
    const a2 = make([0.5, -1, 2, 0.25, 3]), b2 = make([1, -2, 0.5]);
    const together = new optim[name]([a, b], { lr: 0.01 });
    const apartA = new optim[name]([a2], { lr: 0.01 });
    const apartB = new optim[name]([b2], { lr: 0.01 });
    for (let t = 0; t < 5; t++) {
      const ga = [0.1, -0.3, 0.2, 0.5, -0.1].map((v) => v * (t + 1)), gb = [0.4, -0.2, 0.1].map((v) => v - t / 10);
      a.grad = torch.tensor(ga);
      a2.grad = torch.tensor(ga);
      b.grad = t < 2 ? null : torch.tensor(gb); // b joins at step 3
      b2.grad = t < 2 ? null : torch.tensor(gb);
      together.step(); apartA.step(); apartB.step();
      assertEqual(a.toArray(), a2.toArray(), `${name}: a at step ${t + 1}`);
      assertEqual(b.toArray(), b2.toArray(), `${name}: b at step ${t + 1}`);
    }
    assertEqual(together.state.get(a).step, 5, `${name}: a's step`);
    assertEqual(together.state.get(b).step, 3, `${name}: b's step`);
  }
};

tests["an option turned on mid-run whose state the params lack is refused before anything changes (PyTorch: KeyError)"] = () => {
  for (const [name, options, key, option] of [
    ["RMSprop", {}, "momentum", 0.9], ["RMSprop", {}, "centered", true], ["Adam", {}, "amsgrad", true],
    ["ScheduleFreeAdamW", {}, "innerMomentum", 0.9],
  ] as const) {
    const ctx = stepped(name, options);
    ctx.opt.paramGroups[1][key] = option;
    ctx.params[0].grad = torch.tensor([1, 1, 1, 1, 1]);
    ctx.params[1].grad = torch.tensor([[1, 1], [1, 1]]);
    const before = structuredClone({ sd: ctx.opt.stateDict(), params: ctx.params.map((p) => p.toArray()) });
    assertThrows(() => ctx.opt.step(), new RegExp(`^${name}: a parameter's state has no \\w+: ${key} was turned on after its state was created`));
    assertEqual(structuredClone({ sd: ctx.opt.stateDict(), params: ctx.params.map((p) => p.toArray()) }), before, `${name} ${key}: nothing changed`);
  }
  // SGD's momentum buffer starts from the grad when missing, as in PyTorch
  const ctx = stepped("SGD", { lr: 0.1 });
  ctx.opt.paramGroups[0].momentum = 0.9;
  ctx.params[0].grad = torch.tensor([1, 1, 1, 1, 1]);
  ctx.opt.step();
  assertEqual(ctx.opt.state.get(ctx.params[0]).momentumBuffer.toArray(), new Float32Array([1, 1, 1, 1, 1]), "SGD: new buffer = grad");
};

tests["stateDict: structured-cloneable, state keyed by parameter index, camelCase names"] = () => {
  for (const name of NAMES) {
    const { opt } = stepped(name);
    const sd = opt.stateDict();
    assertEqual(structuredClone(sd), sd, `${name}: structuredClone keeps the state dict`);
    assertEqual(Object.keys(sd.state), name === "LBFGS" ? ["0"] : ["0", "1"], `${name}: state keyed by parameter index`);
    assertEqual(sd.paramGroups.flatMap((g: Any) => g.params), [0, 1], `${name}: groups list parameter indices`);
    for (const st of Object.values(sd.state) as Record<string, unknown>[]) {
      for (const k of Object.keys(st)) assert(!k.includes("_"), `${name}: state name ${k} is camelCase`);
    }
    assert(!Object.keys(sd.paramGroups[0]).some((k) => k.includes("_")), `${name}: option names are camelCase`);
  }
};

tests["LBFGS runs the step hooks once per step and returns the first loss"] = () => {
  const x = torch.tensor([-1.5, 2], { requiresGrad: true });
  const opt = new optim.LBFGS([x], { maxIter: 5 });
  const calls: string[] = [];
  opt.registerStepPreHook(() => { calls.push("pre"); });
  const h = opt.registerStepPostHook(() => { calls.push("post"); });
  let evals = 0;
  const closure = () => { evals++; opt.zeroGrad(); const l = x.pow(2).sum(); l.backward(); return l; };
  const loss = opt.step(closure);
  assertClose(loss.item(), 6.25, "first loss");
  assertEqual(calls, ["pre", "post"], "hooks");
  assertEqual(opt.state.get(x).funcEvals, evals, "funcEvals counts the closure calls");
  h.remove();
  opt.step(closure);
  assertEqual(calls, ["pre", "post", "pre"], "hooks after remove()");
};

tests["LBFGS stops at once on a zero gradient"] = () => {
  const x = torch.tensor([1, 2], { requiresGrad: true });
  const opt = new optim.LBFGS([x]);
  let evals = 0;
  const loss = opt.step(() => { evals++; opt.zeroGrad(); const l = x.sub(torch.tensor([1, 2])).pow(2).sum(); l.backward(); return l; });
  assertEqual([loss.item(), evals, x.tolist()], [0, 1, [1, 2]], "loss, evaluations, params");
  assertEqual(Object.keys(opt.state.get(x)).sort(), ["funcEvals", "nIter"], "state counters only");
};

tests["stateDict through JSON text keeps NaN, ±Infinity and -0 in buffers, bit for bit"] = () => {
  const make = () => {
    const p = torch.tensor([1, -2, 0, 3, 0.5], { requiresGrad: true });
    return { p, opt: new optim.Adam([p], { lr: 0.1 }) };
  };
  const a = make();
  a.p.grad = torch.tensor([0.5, -0.5, 0.25, 1, 2]);
  a.opt.step();
  // state with every value JSON numbers cannot carry (as a diverged run or a loaded one has them)
  const sd = a.opt.stateDict();
  sd.state[0].expAvg = Float32Array.of(-0, Infinity, -Infinity, NaN, 1e30);
  sd.state[0].expAvgSq = Float32Array.of(0, Infinity, NaN, 1, 3e38);
  a.opt.loadStateDict(sd);
  const text = JSON.stringify(a.opt.stateDict());
  for (const s of ['"-0"', '"Infinity"', '"-Infinity"', '"NaN"']) assert(text.includes(s), `the JSON text writes ${s}: ${text}`);
  const b = make();
  torch.noGrad(() => b.p.copy_(a.p.toArray()));
  b.opt.loadStateDict(JSON.parse(text));
  assertEqual(b.opt.stateDict(), a.opt.stateDict(), "loaded state");
  for (const { p, opt } of [a, b]) {
    p.grad = torch.tensor([-0, -0.5, 0.25, 1, -0]);
    opt.step();
  }
  assertEqual(b.p.toArray(), a.p.toArray(), "params after a step (bit for bit, NaN where NaN)");
  assertEqual(b.opt.stateDict(), a.opt.stateDict(), "state after a step");
};

tests["hooks: the order and effect of every kind, as PyTorch's (a scripted run against its log)"] = () => {
  const p = torch.tensor([1, 2], { requiresGrad: true });
  const opt = new optim.SGD([p], { lr: 0.1, momentum: 0.9 });
  const log: string[] = [];
  const closure = () => {
    log.push("closure");
    opt.zeroGrad();
    const loss = p.mul(p).sum();
    loss.backward();
    return loss;
  };
  opt.registerStepPreHook((_o: Any, args: unknown[]) => { log.push(`step pre 1 args=${args.length}`); });
  opt.registerStepPreHook((_o: Any, args: unknown[], kwargs: Any) => {
    log.push(`step pre 2 args=${args.length}`);
    return args.length > 0 ? undefined : [[closure], kwargs];
  });
  opt.registerStepPostHook((_o: Any, args: unknown[]) => { log.push(`step post args=${args.length}`); });
  log.push(`step() returned ${opt.step().item()}`);
  // the shortest decimal that reads back as the same float32, as the fixture writes it
  const short = (x: number) => [1, 2, 3, 4, 5, 6, 7, 8, 9].map((d) => Number(x.toPrecision(d))).find((v) => Math.fround(v) === x);
  log.push(`p=[${Array.from(p.toArray(), short).join(", ")}]`);

  const pre = opt.registerStateDictPreHook(() => { log.push("state_dict pre 1"); });
  opt.registerStateDictPreHook(() => { log.push("state_dict pre 0 (prepended)"); }, true);
  opt.registerStateDictPostHook((_o: Any, sd: Any) => {
    log.push("state_dict post 1 sets lr 0.5 in place");
    sd.paramGroups[0].lr = 0.5;
  });
  opt.registerStateDictPostHook((_o: Any, sd: Any) => {
    log.push("state_dict post 0 (prepended) returns a new dict");
    return { state: sd.state, paramGroups: sd.paramGroups.map((g: Any) => ({ ...g })) };
  }, true);
  const sd = opt.stateDict();
  log.push(`saved lr=${sd.paramGroups[0].lr}`);
  pre.remove();
  log.push(`saved again lr=${opt.stateDict().paramGroups[0].lr}`);

  opt.registerLoadStateDictPreHook((_o: Any, d: Any) => { log.push(`load pre 1 sees lr=${d.paramGroups[0].lr}`); });
  opt.registerLoadStateDictPreHook((_o: Any, d: Any) => {
    log.push("load pre 2 returns a dict with lr 0.25");
    return { state: d.state, paramGroups: [{ ...d.paramGroups[0], lr: 0.25 }] };
  });
  opt.registerLoadStateDictPostHook((o: Any) => { log.push(`load post 1 lr=${o.paramGroups[0].lr}`); });
  opt.registerLoadStateDictPostHook(() => { log.push("load post 0 (prepended)"); }, true);
  opt.loadStateDict(sd);
  log.push(`loaded lr=${opt.paramGroups[0].lr}`);

  opt.registerStepPreHook(() => 5);
  try {
    opt.step(closure);
  } catch {
    log.push("a step pre-hook returning 5 raised, before the closure");
  }
  assertEqual(log, (fx as Any).hooks, "the log of the run");
};

// A step keeps each param's state object from one step to the next while opt.state is
// unchanged: whatever the program does to opt.state between steps must be what the next step reads.

/** A deep copy of a state entry (each tensor cloned). */
const copied = (st: Any): Any => Object.fromEntries(Object.entries(st).map(([k, v]) =>
  [k, v instanceof torch.Tensor ? v.clone() : Array.isArray(v) ? v.map((x) => (x instanceof torch.Tensor ? x.clone() : x)) : v]));
const values = (st: Any): Any => Object.fromEntries(Object.entries(st).map(([k, v]) =>
  [k, v instanceof torch.Tensor ? Array.from(v.toArray()) : Array.isArray(v) ? v.map((x) => (x instanceof torch.Tensor ? Array.from(x.toArray()) : x)) : v]));

tests["a state entry replaced with opt.state.set() between steps is the one the next step updates"] = () => {
  for (const name of FUSED) {
    const a = stepped(name), twin = stepped(name);
    const p = a.params[0];
    const old = a.opt.state.get(p), before = values(old);
    const mine = copied(old);
    a.opt.state.set(p, mine);
    for (const c of [a, twin]) {
      c.params[0].grad = like(c.params[0], [0.2, 0.1, -0.3, 0.5, 0.4]);
      c.params[1].grad = like(c.params[1], [0.1, 0.2, -0.4, 0.3]);
      c.opt.step();
    }
    assertEqual(a.params.map((q) => Array.from(q.toArray())), twin.params.map((q) => Array.from(q.toArray())), `${name}: params as the twin's`);
    assertEqual(values(mine), values(twin.opt.state.get(twin.params[0])), `${name}: the new entry was stepped`);
    assertEqual(values(old), before, `${name}: the replaced entry was left alone`);
  }
};

// Adam with a constant grad g: after t steps from fresh state, expAvg = (1 − 0.9^t)·g and
// expAvgSq = (1 − 0.999^t)·g².
function assertAdamState(st: Any, t: number, g: number[], what: string): void {
  assertEqual(st.step, t, `${what}: step`);
  assertClose(st.expAvg.toArray(), g.map((x) => (1 - 0.9 ** t) * x), `${what}: expAvg`);
  assertClose(st.expAvgSq.toArray(), g.map((x) => (1 - 0.999 ** t) * x * x), `${what}: expAvgSq`, 1e-9);
}

tests["Adam: a state entry deleted, or a whole new opt.state Map, between steps: the next step reads what the map holds"] = () => {
  const g = [0.5, -1, 2];
  const p = torch.tensor([1, 2, 3], { requiresGrad: true }), q = torch.tensor([4, 5, 6], { requiresGrad: true });
  const opt = new optim.Adam([p, q]);
  p.grad = torch.tensor(g);
  q.grad = torch.tensor(g);
  for (let i = 0; i < 3; i++) opt.step();
  opt.state.delete(p);
  opt.step();
  assertAdamState(opt.state.get(p), 1, g, "p after its entry was deleted");
  assertAdamState(opt.state.get(q), 4, g, "q");
  const kept = opt.state.get(q);
  opt.state = new Map([[q, copied(kept)]]);
  opt.step();
  assertAdamState(opt.state.get(p), 1, g, "p in a new Map without it");
  assertAdamState(opt.state.get(q), 5, g, "q's copy in the new Map");
  assertAdamState(kept, 4, g, "q's entry in the old Map");
};

tests["Adam: loadStateDict() into an optimizer that stepped since, and a group's params reordered: each param steps its own state"] = () => {
  const gp = [0.5, -1, 2], gq = [-0.25, 3, 1];
  const p = torch.tensor([1, 2, 3], { requiresGrad: true }), q = torch.tensor([4, 5, 6], { requiresGrad: true });
  const opt = new optim.Adam([p, q]);
  p.grad = torch.tensor(gp);
  q.grad = torch.tensor(gq);
  opt.step();
  const sd = structuredClone(opt.stateDict());
  for (let i = 0; i < 3; i++) opt.step();
  opt.loadStateDict(sd);
  opt.step();
  assertAdamState(opt.state.get(p), 2, gp, "p after the load");
  assertAdamState(opt.state.get(q), 2, gq, "q after the load");
  opt.paramGroups[0].params.reverse();
  opt.step();
  assertAdamState(opt.state.get(p), 3, gp, "p after the reorder");
  assertAdamState(opt.state.get(q), 3, gq, "q after the reorder");
  opt.addParamGroup({ params: [torch.tensor([7, 8, 9], { requiresGrad: true })] });
  const r = opt.paramGroups[1].params[0];
  r.grad = torch.tensor(gp);
  opt.step();
  assertAdamState(opt.state.get(r), 1, gp, "a param of a group added since");
  assertAdamState(opt.state.get(p), 4, gp, "p after the added group");
};

tests["a step refused by the second group's state leaves the first group's param unwritten for autograd too: a graph that saved it backpropagates"] = () => {
  for (const name of FUSED) {
    const c = stepped(name);
    const [p, q] = c.params;
    p.grad = null;
    const saved = p.mul(p).sum(); // saves p for backward
    p.grad = like(p, [0.2, 0.1, -0.3, 0.5, 0.4]);
    q.grad = like(q, [0.1, 0.2, -0.4, 0.3]);
    for (const v of Object.values(c.opt.state.get(q))) if (v instanceof torch.Tensor) v.dispose();
    const before = Array.from(p.toArray());
    assertThrows(() => c.opt.step(), /disposed/, `${name}: the step`);
    p.grad = null;
    saved.backward();
    assertClose(p.grad!.toArray(), before.map((v) => 2 * v), `${name}: d(Σp²)/dp`);
  }
};

tests["Adam: a buffer the options no longer read (maxExpAvgSq after amsgrad is turned off) is not touched by the step, as in PyTorch"] = () => {
  const g = [0.5, -1, 2];
  const p = torch.tensor([1, 2, 3], { requiresGrad: true });
  const opt = new optim.Adam([p], { amsgrad: true });
  p.grad = torch.tensor(g);
  opt.step();
  opt.paramGroups[0].amsgrad = false;
  const max = opt.state.get(p).maxExpAvgSq;
  max.dispose();
  opt.step();
  assertAdamState(opt.state.get(p), 2, g, "p");
  assert(opt.state.get(p).maxExpAvgSq === max, "the unread buffer is left where it was");
};
