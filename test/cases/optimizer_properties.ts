// Property tests (fast-check) of the optimizers' state: state dicts, valid, mutated or random,
// thrown at every optimizer's loadStateDict; and random sequences of step / zeroGrad /
// addParamGroup / stateDict / loadStateDict on SGD against a plain-JS model of it.
//
// fast-check is imported by its package name: vitest resolves it from node_modules in Node
// and Chromium, and Deno from node_modules too (deno.json: "nodeModulesDir": "manual").
import fc from "fast-check";
import * as torch from "../../build/torchlet.js";
import { assert, assertEqual } from "./assert.ts";
import { FULL, NAMES, like, paramShapes, stepped } from "./optimizer_errors.ts";

// deno-lint-ignore no-explicit-any
type Any = any;
type Tensor = torch.Tensor;
const optim: Any = torch.optim;
const f = Math.fround;

// ------------------------------------------------------------------ state dicts at loadStateDict

/** The values a state dict may hold, decoded here independently of the library. */
const SPECIAL: Record<string, number> = { NaN: NaN, Infinity: Infinity, "-Infinity": -Infinity, "-0": -0 };
function values(v: Any): Float32Array {
  if (v instanceof Float32Array) return v.slice();
  if (v instanceof torch.Tensor) return v.toArray();
  if (Array.isArray(v)) return Float32Array.from(v, (x: Any) => (typeof x === "string" ? SPECIAL[x] : x));
  return Float32Array.from({ length: Object.keys(v).length }, (_, i) => v[i]);
}

// LBFGS's state: flat vectors of all the parameters' values, lists of them, lists of scalars
const VECTORS = new Set(["d", "prevFlatGrad"]);
const VECTOR_LISTS = new Set(["oldDirs", "oldStps"]);
const SCALAR_LISTS = new Set(["ro", "al"]);

/** An optimizer given `sd`'s values directly (its state and options set by hand, no loadStateDict). */
function given(name: string, sd: Any, paramValues: Float32Array[]): { opt: Any; params: Tensor[] } {
  const params = paramValues.map((v, i) => torch.tensor(v, { shape: paramShapes(name)[i], requiresGrad: true }));
  const opt = name === "LBFGS" ? new optim[name](params, FULL[name])
    : new optim[name]([{ params: [params[0]] }, { params: [params[1]] }], FULL[name] ?? {});
  sd.paramGroups.forEach((g: Any, gi: number) => {
    const own = opt.paramGroups[gi];
    for (const k of Object.keys(own)) if (k !== "params") delete own[k];
    for (const [k, v] of Object.entries(g)) {
      if (k === "params") continue;
      own[k] = v !== null && typeof v === "object" && !Array.isArray(v) ? torch.tensor(v.tensor).keep() : Array.isArray(v) ? [...v] : v;
    }
  });
  const byIndex = new Map<number, Tensor>();
  sd.paramGroups.forEach((g: Any, gi: number) => g.params.forEach((i: number, k: number) => byIndex.set(i, opt.paramGroups[gi].params[k])));
  opt.state = new Map();
  for (const [key, entry] of Object.entries(sd.state) as [string, Any][]) {
    const p = byIndex.get(Number(key))!;
    const st: Any = {};
    for (const [k, v] of Object.entries(entry) as [string, Any][]) {
      // kept: the library's own state is exempt from automatic release, these are not
      if (VECTOR_LISTS.has(k)) st[k] = v.map((x: Any) => torch.tensor(values(x)).keep());
      else if (VECTORS.has(k)) st[k] = torch.tensor(values(v)).keep();
      else if (SCALAR_LISTS.has(k)) st[k] = [...v];
      else if (typeof v === "number") st[k] = v;
      else {
        // a buffer of the parameter's size, or of its own (Adafactor's factored moments)
        const x = values(v);
        st[k] = torch.tensor(x, { shape: x.length === p.numel() ? [...p.shape] : [x.length] }).keep();
      }
    }
    opt.state.set(p, st);
  }
  return { opt, params };
}

/** One step of `opt` over `params` with fixed grads (LBFGS: a closure); the error it threw, if any. */
function stepOnce(name: string, opt: Any, params: Tensor[]): string | null {
  try {
    if (name === "LBFGS") {
      opt.step(() => {
        opt.zeroGrad();
        const l = params[0].pow(2).sum().add(params[1].sub(0.5).pow(2).sum());
        l.backward();
        return l;
      });
    } else {
      params[0].grad = like(params[0], [0.3, -0.1, 0.2, -0.4, 0.05]);
      params[1].grad = like(params[1], [-0.2, 0.1, 0.4, -0.3]);
      opt.step();
    }
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

const exp1 = () => torch.exp(torch.tensor(1)).item();
const EXP1 = exp1();

/**
 * The property: `opt.loadStateDict(sd)` either refuses and changes nothing, or loads, and then
 * steps exactly as an optimizer given those values; the params are NaN only where that one's
 * are; a bystander tensor and exp(1) never change.
 */
const outcomes = { loaded: 0, refused: 0 };

function loadsOrRefuses(name: string, sd: Any): void {
  const ctx = stepped(name);
  const bystander = torch.tensor([0.5, -1.5, 2.5]).keep();
  const before = structuredClone({ params: ctx.params.map((p) => p.toArray()), state: ctx.opt.stateDict() });
  let refused = false;
  try {
    ctx.opt.loadStateDict(sd);
  } catch (e) {
    refused = true;
    assert(e instanceof Error && /loadStateDict|must|hook/.test(e.message), `${name}: a refusal says why: ${e}`);
  }
  outcomes[refused ? "refused" : "loaded"]++;
  if (refused) {
    assertEqual(structuredClone({ params: ctx.params.map((p) => p.toArray()), state: ctx.opt.stateDict() }), before,
      `${name}: a refused state dict changes nothing`);
  } else {
    const ref = given(name, sd, ctx.params.map((p) => p.toArray()));
    const [errA, errB] = [stepOnce(name, ctx.opt, ctx.params), stepOnce(name, ref.opt, ref.params)];
    assertEqual(errA, errB, `${name}: the step after loading fails exactly when the given optimizer's does`);
    ctx.params.forEach((p, i) => {
      const a = p.toArray(), b = ref.params[i].toArray();
      assertEqual(a, b, `${name}: param ${i} after a step from the loaded state (bit for bit)`);
      assert(a.every((x, j) => !Number.isNaN(x) || Number.isNaN(b[j])), `${name}: no NaN the given optimizer does not have`);
    });
    assertEqual(structuredClone(ctx.opt.stateDict()), structuredClone(ref.opt.stateDict()), `${name}: state after that step`);
  }
  assertEqual(bystander.toArray(), new Float32Array([0.5, -1.5, 2.5]), `${name}: a bystander tensor is untouched`);
  assertEqual(exp1(), EXP1, `${name}: exp(1) is untouched (the kernels' tables)`);
}

/** Every path in a state dict (object keys and array indices), the root first. */
function paths(v: Any, at: (string | number)[] = []): (string | number)[][] {
  const out = [at];
  if (v === null || typeof v !== "object" || ArrayBuffer.isView(v) || v instanceof torch.Tensor) return out;
  for (const k of Object.keys(v)) out.push(...paths(v[k], [...at, Array.isArray(v) ? Number(k) : k]));
  return out;
}

/** Values to put in a state dict: of the right form or not, of the sizes the optimizers use or not. */
const sizes = fc.constantFrom(3, 4, 5, 9);
const anyValue: fc.Arbitrary<() => unknown> = fc.oneof(
  fc.constantFrom<unknown>(NaN, Infinity, -Infinity, -0, 0, 1, -1, 2.5, 1e300, 7, "2", "", "NaN", "-0", null, undefined, true,
    false, [], {}, { tensor: 0.01, shape: [] }, { tensor: -1, shape: [2] }).map((v) => () => v),
  fc.integer({ min: 0, max: 60 }).map((v) => () => v),
  fc.double().map((v) => () => v),
  fc.string({ maxLength: 4 }).map((v) => () => v),
  sizes.chain((n) => fc.oneof(
    fc.float32Array({ minLength: n, maxLength: n }).map((v) => () => v),
    fc.array(fc.double({ min: -4, max: 4, noNaN: true }), { minLength: n, maxLength: n }).map((v) => () => v),
    fc.array(fc.oneof(fc.double({ noNaN: true }), fc.constantFrom<unknown>("NaN", "-0", "Infinity", null, "x")), { minLength: n, maxLength: n })
      .map((v) => () => v),
    fc.array(fc.float({ min: 0, max: 2, noNaN: true }), { minLength: n, maxLength: n })
      .map((v) => () => Object.fromEntries(v.map((x, i) => [String(i), x]))),
    fc.constant(() => new Float64Array(n)),
    fc.array(fc.float({ noNaN: true }), { minLength: n, maxLength: n }).map((v) => () => torch.tensor(v)),
    fc.constant(() => { const t = torch.zeros([n]); t.dispose(); return t; }),
  )),
  fc.dictionary(fc.constantFrom("0", "1", "x", "__proto__", "step"), fc.integer({ min: -1, max: 5 }), { maxKeys: 3 }).map((v) => () => v),
);
const mutation = fc.record({
  at: fc.nat(),
  op: fc.constantFrom("set", "set", "set", "delete", "add"),
  key: fc.constantFrom("__proto__", "constructor", "prototype", "step", "expAvg", "lrr", "x", "0", "7"),
  value: anyValue,
});

/** `sd` after the mutations (each on a path chosen among the current ones). */
function mutate(sd: Any, mutations: { at: number; op: string; key: string; value: () => unknown }[]): Any {
  for (const m of mutations) {
    const all = paths(sd);
    const path = all[m.at % all.length];
    if (path.length === 0) {
      if (m.op === "set") sd = m.value();
      else if (m.op === "add" && sd !== null && typeof sd === "object") {
        Object.defineProperty(sd, m.key, { value: m.value(), enumerable: true, configurable: true, writable: true });
      }
      continue;
    }
    const parent = path.slice(0, -1).reduce((o: Any, k) => o[k], sd);
    const key = path[path.length - 1];
    if (m.op === "delete") {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
    } else if (m.op === "add" && parent !== null && typeof parent === "object" && !Array.isArray(parent)) {
      // an own key, as JSON.parse makes it (even "__proto__")
      Object.defineProperty(parent, m.key, { value: m.value(), enumerable: true, configurable: true, writable: true });
    } else parent[key] = m.value();
  }
  return sd;
}

const transports: Record<string, (sd: Any) => Any> = {
  object: (sd) => sd, structuredClone: (sd) => structuredClone(sd), JSON: (sd) => JSON.parse(JSON.stringify(sd)),
};

export const tests: Record<string, () => void> = {};

const MUTATED_RUNS = 120;
for (const name of NAMES) {
  tests[`${name}: ${MUTATED_RUNS} runs: a mutated state dict loads and steps as an optimizer given its values, or is refused changing nothing`] = () => {
    const saved = stepped(name).sd;
    outcomes.loaded = outcomes.refused = 0;
    fc.assert(fc.property(
      fc.constantFrom("object", "structuredClone", "JSON"),
      fc.array(mutation, { minLength: 0, maxLength: 3 }),
      (transport, mutations) => loadsOrRefuses(name, mutate(transports[transport](structuredClone(saved)), mutations)),
    ), { numRuns: MUTATED_RUNS, seed: 42 + name.length });
    // both outcomes were tried, often (about a third of the mutated dicts load)
    assert(outcomes.loaded >= MUTATED_RUNS / 10 && outcomes.refused >= MUTATED_RUNS / 10,
      `${name}: loaded ${outcomes.loaded}, refused ${outcomes.refused} of ${MUTATED_RUNS}`);
  };
}

const RANDOM_RUNS = 20;
tests[`${RANDOM_RUNS} runs per optimizer (${NAMES.length} optimizers): a random value at loadStateDict is refused, changing nothing`] = () => {
  for (const name of NAMES) {
    fc.assert(fc.property(fc.oneof(fc.anything(), fc.record({ state: fc.anything(), paramGroups: fc.anything() })),
      (sd) => loadsOrRefuses(name, sd)), { numRuns: RANDOM_RUNS, seed: 7 });
  }
};

// ------------------------------------------------------------------ SGD against a plain-JS model

interface ModelGroup { params: number[]; lr: number; momentum: number; dampening: number; weightDecay: number; nesterov: boolean; maximize: boolean }
interface Model {
  params: Float32Array[];
  grads: (Float32Array | null)[];
  groups: ModelGroup[];
  buffers: Map<number, Float32Array>;
  saved: { groups: ModelGroup[]; buffers: Map<number, Float32Array> }[];
}
interface Real { params: Tensor[]; opt: Any; saved: Any[] }

const clone = (m: Model["saved"][number]) => ({
  groups: m.groups.map((g) => ({ ...g, params: [...g.params] })),
  buffers: new Map([...m.buffers].map(([i, b]) => [i, b.slice()])),
});

/** PyTorch's SGD step on one parameter, rounded as the kernel rounds (float32, one rounding per op). */
function modelStep(m: Model): void {
  for (const g of m.groups) {
    for (const i of g.params) {
      const grad = m.grads[i];
      if (grad === null) continue;
      const p = m.params[i];
      const fresh = g.momentum !== 0 && !m.buffers.has(i);
      if (fresh) m.buffers.set(i, new Float32Array(p.length));
      const buf = m.buffers.get(i);
      for (let j = 0; j < p.length; j++) {
        let x = g.maximize ? -grad[j] : grad[j];
        if (g.weightDecay !== 0) x = f(x + f(f(g.weightDecay) * p[j]));
        if (g.momentum !== 0) {
          buf![j] = fresh ? x : f(f(buf![j] * f(g.momentum)) + f(f(1 - g.dampening) * x));
          x = g.nesterov ? f(x + f(f(g.momentum) * buf![j])) : buf![j];
        }
        p[j] = f(p[j] + f(f(-g.lr) * x));
      }
    }
  }
}

/** The real optimizer agrees with the model: params, grads, state and options. */
function agree(m: Model, r: Real, after: string): void {
  r.params.forEach((p, i) => {
    assertEqual(p.toArray(), m.params[i], `${after}: param ${i}`);
    assertEqual(p.grad === null ? null : p.grad.toArray(), m.grads[i], `${after}: grad ${i}`);
  });
  const sd = r.opt.stateDict();
  const order = m.groups.flatMap((g) => g.params);
  const want: Any = {};
  order.forEach((i, k) => { if (m.buffers.has(i)) want[k] = { momentumBuffer: m.buffers.get(i) }; });
  assertEqual(sd.state, want, `${after}: state`);
  assertEqual(sd.paramGroups.map(({ params: _p, ...o }: Any) => o), m.groups.map(({ params: _p, ...o }) => o), `${after}: options`);
}

type Cmd = fc.Command<Model, Real>;
const cmd = (name: string, check: (m: Model) => boolean, run: (m: Model, r: Real) => void): Cmd => ({
  check, run: (m, r) => { run(m, r); agree(m, r, name); }, toString: () => name,
});
const f32s = (n: number) => fc.array(fc.float({ min: -2, max: 2, noNaN: true, noDefaultInfinity: true }), { minLength: n, maxLength: n })
  .map((v) => Float32Array.from(v));
const groupOptions = fc.record({
  lr: fc.constantFrom(0, 0.01, 0.1, 0.5), momentum: fc.constantFrom(0, 0.5, 0.9), dampening: fc.constantFrom(0, 0.3),
  weightDecay: fc.constantFrom(0, 0.05), maximize: fc.boolean(),
}).map((o) => ({ ...o, nesterov: o.momentum > 0 && o.dampening === 0 }));
const SIZES = [3, 5, 4, 1, 6, 2];

const commands = [
  fc.tuple(fc.nat(5), fc.option(f32s(6), { freq: 4 })).map(([k, values]) => cmd(`grad of param ${k}${values ? "" : " = null"}`,
    (m) => k < m.params.length, (m, r) => {
      const v = values && values.slice(0, m.params[k].length);
      m.grads[k] = v ? v.slice() : null;
      r.params[k].grad = v ? torch.tensor(v) : null;
    })),
  fc.boolean().map((setToNone) => cmd(`zeroGrad(${setToNone})`, () => true, (m, r) => {
    r.opt.zeroGrad(setToNone);
    for (const i of m.groups.flatMap((g) => g.params)) if (m.grads[i] !== null) m.grads[i] = setToNone ? null : new Float32Array(m.params[i].length);
  })),
  fc.constant(cmd("step()", () => true, (m, r) => { r.opt.step(); modelStep(m); })),
  fc.tuple(f32s(6), groupOptions).map(([v, o]) => cmd(`addParamGroup(${JSON.stringify(o)})`, (m) => m.params.length < SIZES.length, (m, r) => {
    const values = v.slice(0, SIZES[m.params.length]);
    const p = torch.tensor(values, { requiresGrad: true });
    r.opt.addParamGroup({ params: [p], ...o });
    r.params.push(p);
    m.groups.push({ params: [m.params.length], ...o });
    m.params.push(values.slice());
    m.grads.push(null);
  })),
  fc.tuple(fc.nat(5), fc.constantFrom(0, 0.02, 0.3)).map(([gi, lr]) => cmd(`paramGroups[${gi}].lr = ${lr}`, (m) => gi < m.groups.length,
    (m, r) => { r.opt.paramGroups[gi].lr = lr; m.groups[gi].lr = lr; })),
  fc.constantFrom("structuredClone", "JSON").map((how) => cmd(`stateDict() through ${how}`, () => true, (m, r) => {
    r.saved.push(transports[how](r.opt.stateDict()));
    m.saved.push(clone(m));
  })),
  fc.nat(10).map((k) => cmd(`loadStateDict(saved #${k})`, (m) => k < m.saved.length, (m, r) => {
    const saved = m.saved[k];
    const fits = saved.groups.length === m.groups.length && saved.groups.every((g, gi) => g.params.length === m.groups[gi].params.length);
    let threw = false;
    try { r.opt.loadStateDict(r.saved[k]); } catch { threw = true; }
    assertEqual(threw, !fits, `loadStateDict(saved #${k}) refused exactly when its groups do not fit`);
    if (fits) {
      const c = clone(saved);
      m.groups = c.groups;
      m.buffers = c.buffers;
    }
  })),
];

const MODEL_RUNS = 100;
tests[`SGD against a plain-JS model: ${MODEL_RUNS} runs of up to 40 random step/zeroGrad/addParamGroup/stateDict/loadStateDict calls`] = () => {
  fc.assert(fc.property(groupOptions, fc.commands(commands, { maxCommands: 40 }), (o, cmds) => {
    const init = [Float32Array.of(0.5, -1, 2), Float32Array.of(1, 0.25, -0.5, 3, -2)];
    const params = init.map((v) => torch.tensor(v, { requiresGrad: true }));
    const real: Real = { params, opt: new optim.SGD([{ params: [params[0]] }, { params: [params[1]], lr: 0.05 }], o), saved: [] };
    const model: Model = {
      params: init.map((v) => v.slice()), grads: [null, null],
      groups: [{ params: [0], ...o }, { params: [1], ...o, lr: 0.05 }], buffers: new Map(), saved: [],
    };
    fc.modelRun(() => ({ model, real }), cmds);
  }), { numRuns: MODEL_RUNS, seed: 1 });
};
