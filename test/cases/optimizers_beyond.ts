// The optimizers beyond PyTorch (Lion, LAMB, ScheduleFreeAdamW, ScheduleFreeSGD), besides the
// replay of their fixture cases with every other optimizer's (optimizers.ts, and the error,
// property and kernel tables): their defaults against their references', ScheduleFree's
// train()/eval() scripts against the reference's params in both modes, the grads a step
// leaves (the references change them in place; torchlet does not), and a training loop's
// memory over 1,000 steps. Fixtures: test/fixtures/optimizers_beyond.json, written by
// test/golden/gen_optimizers_beyond.py.
import * as torch from "../../build/torchlet.js";
import beyond from "../fixtures/optimizers_beyond.json" with { type: "json" };
import { assert, assertClose, assertEqual, assertThrows } from "./assert.ts";
import { ready } from "./optimizers.ts";

// deno-lint-ignore no-explicit-any
type Any = any;
type Tensor = torch.Tensor;
const optim: Any = torch.optim;
const fx = beyond as Any;

interface Modes {
  optimizer: string;
  options: Record<string, Any>;
  added: Record<string, Any>;
  shapes: number[][];
  init: number[][];
  data: { X: number[]; Y: number[] };
  actions: ("step" | "train" | "eval" | "add")[];
  trace: number[][][];
  messages: (string | null)[];
  state: Record<string, Record<string, number[]>>;
  groupOptions: Record<string, Any>[];
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export const tests: Record<string, () => void> = {};

tests["defaults are the references' (their defaults dicts, camelCased); each fixture case names its reference's commit"] = () => {
  for (const [name, want] of Object.entries(fx.defaults as Record<string, Any>)) {
    assertEqual(new optim[name]([torch.zeros([2], { requiresGrad: true })]).defaults, want, `${name}.defaults`);
  }
  for (const [name, c] of Object.entries(fx.cases as Record<string, Any>)) {
    assert(/^[0-9a-f]{40}$/.test(c.reference.commit) && c.reference.options !== undefined, `${name}: the reference and its commit`);
  }
  const lamb = new optim.LAMB([torch.zeros([2], { requiresGrad: true })], { preNorm: true, nSmaThreshold: 4 });
  assertEqual([lamb.preNorm, lamb.nSmaThreshold, lamb.maximize, lamb.degeneratedToSgd], [true, 4, false, false],
    "LAMB's own options (the reference's instance attributes)");
  assertEqual(new optim.Lion([torch.zeros([2], { requiresGrad: true })], { decoupledWeightDecay: true }).decoupledWeightDecay, true,
    "Lion's decoupledWeightDecay");
};

for (const [name, m] of Object.entries(fx.modes as Record<string, Modes>)) {
  tests[`${name}: params after each step, train() and eval() equal the reference's (a step in eval mode refused as it refuses it)`] = () => {
    const params = m.init.map((v, i) => torch.tensor(Float32Array.from(v), { shape: m.shapes[i], requiresGrad: true }));
    const X = torch.tensor(Float32Array.from(m.data.X), { shape: [m.data.X.length / 3, 3] });
    const Y = torch.tensor(Float32Array.from(m.data.Y), { shape: [m.data.Y.length, 1] });
    const F = torch.nn.functional;
    const [w1, b1, w2, b2] = params;
    // no train() first: the script starts in eval mode, as a new optimizer does
    const opt = new optim[m.optimizer]([{ params: params.slice(0, 2) }], m.options);
    m.actions.forEach((action, i) => {
      const at = `${name}, action ${i + 1} (${action})`;
      if (action === "step") {
        opt.zeroGrad();
        for (const p of params) p.grad = null;
        F.mseLoss(F.linear(F.linear(X, w1, b1).tanh(), w2, b2), Y).backward();
        const message = m.messages[i];
        if (message === null) opt.step();
        else {
          const before = structuredClone({ sd: opt.stateDict(), params: params.map((p) => p.toArray()) });
          assertThrows(() => opt.step(), new RegExp(`^${m.optimizer}\\.step: the optimizer is in eval mode.*${escape(message)}`), at);
          assertEqual(structuredClone({ sd: opt.stateDict(), params: params.map((p) => p.toArray()) }), before, `${at}: nothing changed`);
        }
      } else if (action === "add") opt.addParamGroup({ ...m.added, params: params.slice(2) });
      else opt[action]();
      params.forEach((p, k) => assertClose(p.toArray(), m.trace[i][k], `${at}: param ${k}`));
    });
    const sd = opt.stateDict();
    assertEqual(Object.keys(sd.state), Object.keys(m.state), `${name}: params with state`);
    for (const [idx, st] of Object.entries(m.state)) {
      assertEqual(Object.keys(sd.state[idx]), Object.keys(st), `${name}: state[${idx}] names`);
      for (const [k, v] of Object.entries(st)) assertClose(sd.state[idx][k], v, `${name}: state[${idx}].${k}`);
    }
    m.groupOptions.forEach((want, g) => {
      const { params: _p, ...got } = sd.paramGroups[g];
      assertEqual(Object.keys(got).sort(), Object.keys(want).sort(), `${name}: group ${g} option names`);
      for (const [k, v] of Object.entries(want)) {
        if (typeof v === "number") assertClose(got[k], v, `${name}: group ${g} ${k}`);
        else assertEqual(got[k], v, `${name}: group ${g} ${k}`);
      }
    });
  };
}

tests["a step leaves p.grad as it was (the references negate, scale or decay it in place)"] = () => {
  for (const [name, options] of [
    ["LAMB", { maximize: true, preNorm: true, weightDecay: 0.1, weightDecouple: false }],
    ["LAMB", { maximize: true, preNorm: true, rectify: true }],
    ["ScheduleFreeSGD", { lr: 0.1, weightDecay: 0.1 }],
    ["ScheduleFreeAdamW", { weightDecay: 0.1 }],
  ] as const) {
    const p = torch.tensor([0.5, -1, 2, 0.25, 3], { requiresGrad: true });
    const opt = ready(new optim[name]([p], options));
    const g = Float32Array.of(3, -4, 0.5, 1, -2);
    p.grad = torch.tensor(g);
    opt.step();
    assertEqual(p.grad!.toArray(), g, `${name} ${JSON.stringify(options)}: grad after the step`);
  }
};

tests["a training loop of each, 1,000 steps: wasm memory never grows after the first, and bytes and tensors in use stay as at step 10"] = () => {
  const X = torch.tensor(Float32Array.from({ length: 24 }, (_, i) => Math.sin(i)), { shape: [8, 3] }).keep();
  const Y = torch.tensor(Float32Array.from({ length: 16 }, (_, i) => Math.cos(i)), { shape: [8, 2] }).keep();
  for (const [name, options] of [
    ["Lion", { lr: 1e-3, weightDecay: 0.1 }], ["LAMB", { weightDecay: 0.01 }], ["LAMB", { rectify: true, preNorm: true }],
    ["ScheduleFreeAdamW", { innerMomentum: 0.9, weightDecay: 0.01 }], ["ScheduleFreeSGD", { lr: 0.05, warmupSteps: 10 }],
    ["ScheduleFreeSGD", { lr: torch.tensor(0.05) }],
  ] as [string, Any][]) {
    const W = torch.tensor([[0.1, -0.2, 0.3], [0.4, 0.5, -0.6]], { requiresGrad: true });
    const b = torch.tensor([0.1, -0.1], { requiresGrad: true });
    const opt = ready(new optim[name]([W, b], options));
    const loss = () => X.matmul(W.t()).add(b).sub(Y).pow(2).mean();
    // tidy frees the step's graph and loss at once, so what stays is what the optimizer keeps
    const step = () => torch.tidy(() => { opt.zeroGrad(); loss().backward(); opt.step(); });
    step();
    const first = torch.memory();
    let settled: string | null = null;
    for (let i = 2; i <= 1000; i++) {
      step();
      // an evaluation every 100 steps, in eval mode for ScheduleFree (the loop a user writes)
      if (i % 100 === 0 && opt.eval !== undefined) {
        opt.eval();
        torch.tidy(() => loss().item());
        opt.train();
      }
      const m = torch.memory();
      assertEqual(m.bytesReserved, first.bytesReserved, `${name} ${JSON.stringify(options)}: wasm memory after step ${i}`);
      // the first steps also sweep out what earlier tests left: the count settles by step 10
      const now = `${m.bytesInUse} bytes in ${m.tensors} tensors`;
      if (i === 10) settled = now;
      else if (i > 10) assertEqual(now, settled, `${name} ${JSON.stringify(options)}: wasm bytes after step ${i} (as after step 10)`);
    }
    W.dispose();
    b.dispose();
  }
};
