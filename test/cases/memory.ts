// Memory, from the user's side: programs written with ordinary PyTorch habits (tensors
// held across steps, in arrays, closures and Maps, two models trained in turns, async
// tasks) keep working, and loops with no cleanup calls keep wasm memory flat.
import * as torch from "../../build/torchlet.js";
import { assert, assertClose, assertEqual, assertThrows } from "./assert.ts";

type Tensor = torch.Tensor;
const { nn, optim } = torch;

const g = globalThis as { Deno?: unknown; window?: unknown };
/** Headless Chromium runs the long loops shorter (stated in each test's name). */
const inBrowser = g.Deno === undefined && g.window !== undefined;

class TestNet extends nn.Module {
  hidden = new nn.Sequential(new nn.Linear(13, 10), new nn.ReLU());
  regression = new nn.Linear(10, 1);
  forward(x: Tensor): Tensor {
    return this.regression.forward(this.hidden.forward(x));
  }
}

function setup(seed = 1) {
  torch.manualSeed(seed);
  const model = new TestNet();
  const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
  const lossFn = new nn.MSELoss();
  const x = torch.randn([32, 13]);
  const y = torch.randn([32, 1]);
  const step = (): Tensor => {
    opt.zeroGrad();
    const loss = lossFn.forward(model.forward(x), y);
    loss.backward();
    opt.step();
    return loss;
  };
  return { model, opt, lossFn, x, y, step };
}

const same = (t: Tensor, values: Float32Array, what: string) => assertEqual(Array.from(t.toArray()), Array.from(values), what);

export const tests: Record<string, () => void | Promise<void>> = {
  "held: a tensor made in an outer loop stays usable across inner training steps": () => {
    const { model, step } = setup();
    for (let it = 0; it < 3; it++) {
      const z = torch.randn([4, 13]);
      const zv = z.toArray();
      for (let k = 0; k < 2; k++) step();
      const out = model.forward(z);
      assertEqual(out.shape, [4, 1], `forward(z) at it = ${it}`);
      same(z, zv, `z at it = ${it}`);
    }
  },

  "held: losses.push(loss) summed at the end of the epoch": () => {
    const { step } = setup();
    const losses: Tensor[] = [];
    let expected = 0;
    for (let i = 0; i < 60; i++) {
      const loss = step();
      losses.push(loss);
      expected += loss.item();
    }
    const total = losses.reduce((a, b) => a.add(b)).item();
    assertClose(total, expected, "sum of the held losses", 1e-4, 1e-5);
  },

  "held: a validation set built after training started, and a best-loss tensor": () => {
    const { model, lossFn, step } = setup();
    let best: Tensor | null = null;
    for (let i = 0; i < 20; i++) {
      const loss = step();
      if (best === null || loss.item() < best.item()) best = loss;
    }
    const xVal = torch.randn([16, 13]), yVal = torch.randn([16, 1]);
    const xv = xVal.toArray();
    const bestValue = best!.item();
    for (let i = 0; i < 30; i++) step();
    const val = torch.noGrad(() => lossFn.forward(model.forward(xVal), yVal));
    assert(Number.isFinite(val.item()), "validation loss");
    same(xVal, xv, "validation inputs");
    assertEqual(best!.item(), bestValue, "best loss");
  },

  "held: tensors captured in a closure and kept in a Map": () => {
    const { step } = setup();
    const cache = new Map<string, Tensor>();
    const a = torch.randn([50]);
    cache.set("a", a);
    const av = a.toArray();
    const read = ((t: Tensor) => () => t.sum().item())(torch.ones([7]));
    for (let i = 0; i < 40; i++) step();
    same(cache.get("a")!, av, "Map entry");
    assertEqual(read(), 7, "closure");
  },

  "held: two models trained in turns, with data made after training started": () => {
    const A = setup(1), B = setup(2);
    for (let i = 0; i < 10; i++) A.step();
    const xB = torch.randn([32, 13]), yB = torch.randn([32, 1]);
    for (let round = 0; round < 20; round++) {
      for (let k = 0; k < 3; k++) A.step();
      B.opt.zeroGrad();
      const loss = B.lossFn.forward(B.model.forward(xB), yB);
      loss.backward();
      B.opt.step();
      assert(Number.isFinite(loss.item()), `B's loss at round ${round}`);
    }
  },

  "held: a GAN with 3 discriminator steps per generator step": () => {
    torch.manualSeed(3);
    const G = new nn.Sequential(new nn.Linear(4, 16), new nn.ReLU(), new nn.Linear(16, 8));
    const D = new nn.Sequential(new nn.Linear(8, 16), new nn.ReLU(), new nn.Linear(16, 1));
    const optG = new optim.Adam(G.parameters(), { lr: 1e-3 }), optD = new optim.Adam(D.parameters(), { lr: 1e-3 });
    const bce = new nn.BCEWithLogitsLoss();
    const real = torch.randn([32, 8]).add(2);
    const ones = torch.ones([32, 1]), zeros = torch.zeros([32, 1]);
    for (let round = 0; round < 30; round++) {
      for (let k = 0; k < 3; k++) {
        optD.zeroGrad();
        const fake = G.forward(torch.randn([32, 4])).detach();
        const lossD = bce.forward(D.forward(real), ones).add(bce.forward(D.forward(fake), zeros));
        lossD.backward();
        optD.step();
      }
      optG.zeroGrad();
      const lossG = bce.forward(D.forward(G.forward(torch.randn([32, 4]))), ones);
      lossG.backward();
      optG.step();
      assert(Number.isFinite(lossG.item()), `generator loss at round ${round}`);
    }
  },

  "held: an async task that awaits between creating and using a tensor": async () => {
    const { step } = setup();
    const task = (async () => {
      const t = torch.randn([100]);
      const tv = t.toArray();
      for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 1));
      same(t, tv, "the task's tensor");
      return t.mul(2).sum().item();
    })();
    for (let i = 0; i < 50; i++) {
      step();
      if (i % 10 === 0) await new Promise((r) => setTimeout(r, 0));
    }
    assert(Number.isFinite(await task), "the task finished");
  },

  "held: a grad read by the program survives zeroGrad()": () => {
    const { model, step } = setup();
    step();
    const w = model.regression.weight;
    const g = w.grad!;
    const gv = g.toArray();
    for (let i = 0; i < 10; i++) step();
    same(g, gv, "the grad read before zeroGrad()");
  },

  "keep(): pins in wasm and survives assignment as a grad and zeroGrad()": () => {
    const { model, opt, step } = setup();
    const w = model.regression.weight;
    const mine = torch.full([1, 10], 0.5).keep();
    w.grad = mine;
    opt.zeroGrad();
    assertEqual(w.grad, null, "zeroGrad set the grad to null");
    for (let i = 0; i < 20; i++) step();
    const restores = torch.memory().restores;
    assertClose(mine.add(0).toArray(), new Array(10).fill(0.5), "the kept tensor");
    assertEqual(torch.memory().restores, restores, "a kept tensor is never moved out of wasm memory");
    const n = torch.memory().tensors;
    assertEqual(torch.tidy(() => { torch.ones([3]); return mine; }), mine, "tidy returns it");
    assertEqual(torch.memory().tensors, n, "tidy freed its temporary");
  },

  "explicit: dispose() and using free now; a disposed tensor says so": () => {
    const m0 = torch.memory();
    const t = torch.zeros([1000]);
    assertEqual(torch.memory().bytesInUse - m0.bytesInUse, 4000, "4000 bytes in use");
    t.dispose();
    assertEqual(torch.memory().bytesInUse, m0.bytesInUse, "bytes back after dispose");
    assertThrows(() => t.add(1), /disposed with dispose\(\)/);
    const dispose = (Symbol as { dispose?: symbol }).dispose;
    if (dispose !== undefined) {
      const u = torch.ones([10]);
      (u as any)[dispose]();
      assertThrows(() => u.toArray(), /disposed/);
    }
  },

  "explicit: tidy() frees what it made; an async fn is refused before it runs": () => {
    const before = torch.memory();
    let inner: Tensor | null = null;
    const kept = torch.tidy(() => {
      inner = torch.ones([2]).mul(3);
      return torch.ones([2]).mul(4);
    });
    assertThrows(() => inner!.toArray(), /tidy\(\)/);
    assertClose(kept.toArray(), [4, 4], "tidy's result survives");
    kept.dispose();
    let ran = false;
    assertThrows(() => torch.tidy((async () => { ran = true; torch.ones([5]); }) as any), /async/);
    assert(!ran, "the async fn did not run");
    assertThrows(() => torch.tidy((() => { torch.ones([5]); return Promise.resolve(1); }) as any), /Promise/);
    const after = torch.memory();
    assertEqual([after.bytesInUse, after.tensors], [before.bytesInUse, before.tensors], "nothing left behind");
  },

  "flat: 1,000 discarded model.stateDict() calls and a new optimizer per epoch": () => {
    const { model, x, y, lossFn } = setup();
    const m0 = torch.memory();
    for (let i = 0; i < 1000; i++) model.stateDict();
    const m1 = torch.memory();
    assertEqual([m1.bytesInUse, m1.tensors], [m0.bytesInUse, m0.tensors], "stateDict() made no storage (views, as PyTorch)");
    let mark = 0;
    for (let epoch = 0; epoch < 300; epoch++) {
      const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
      for (let k = 0; k < 3; k++) {
        opt.zeroGrad();
        lossFn.forward(model.forward(x), y).backward();
        opt.step();
      }
      if (epoch === 20) mark = torch.memory().bytesInUse;
    }
    const end = torch.memory().bytesInUse;
    assert(end <= mark, `bytesInUse after 300 optimizers (${end}) ≤ after 20 (${mark})`);
  },

  [`flat: ${inBrowser ? "20,000" : "100,000"} steps of the 13-10-1 network with Adam and StepLR, no cleanup calls`]: () => {
    const { opt, step } = setup();
    const sched = new optim.lrScheduler.StepLR(opt, { stepSize: 1000, gamma: 0.99 });
    const steps = inBrowser ? 20_000 : 100_000;
    let warm = { bytesInUse: 0, bytesReserved: 0 };
    for (let i = 0; i < steps; i++) {
      step();
      sched.step();
      if (i === 1000) warm = torch.memory();
    }
    const end = torch.memory();
    assertEqual(end.bytesInUse, warm.bytesInUse, "bytesInUse at the end equals bytesInUse after warm-up");
    assertEqual(end.bytesReserved, warm.bytesReserved, "no growth of wasm memory");
  },

  "flat: 20,000 predictions after training, results pushed as numbers": () => {
    const { model, step } = setup();
    for (let i = 0; i < 200; i++) step();
    model.eval();
    const preds: number[] = [];
    let peakFirst = 0, peakSecond = 0, reserved = 0;
    for (let i = 0; i < 20_000; i++) {
      const xi = torch.randn([1, 13]);
      preds.push(torch.noGrad(() => model.forward(xi)).item());
      const b = torch.memory().bytesInUse;
      if (i < 10_000) peakFirst = Math.max(peakFirst, b);
      else peakSecond = Math.max(peakSecond, b);
      if (i === 10_000) reserved = torch.memory().bytesReserved;
    }
    assert(preds.every(Number.isFinite), "predictions");
    assert(peakSecond <= peakFirst, `peak bytesInUse in the last 10,000 (${peakSecond}) ≤ in the first 10,000 (${peakFirst})`);
    assertEqual(torch.memory().bytesReserved, reserved, "no growth of wasm memory");
  },

  "flat: 200 trials of a sweep that builds a new Sequential(13, 64, 1) and Adam each trial": () => {
    torch.manualSeed(5);
    const x = torch.randn([32, 13]), y = torch.randn([32, 1]);
    const lossFn = new nn.MSELoss();
    let mark = 0, reserved = 0, peak = 0;
    for (let trial = 0; trial < 200; trial++) {
      const model = new nn.Sequential(new nn.Linear(13, 64), new nn.ReLU(), new nn.Linear(64, 1));
      const opt = new optim.Adam(model.parameters(), { lr: 1e-3 * (1 + trial % 5) });
      for (let k = 0; k < 20; k++) {
        opt.zeroGrad();
        lossFn.forward(model.forward(x), y).backward();
        opt.step();
      }
      const b = torch.memory().bytesInUse;
      if (trial === 20) { mark = b; reserved = torch.memory().bytesReserved; }
      if (trial > 20) peak = Math.max(peak, b);
    }
    assert(peak <= mark, `bytesInUse over trials 21–199 (peak ${peak}) ≤ at trial 20 (${mark})`);
    assertEqual(torch.memory().bytesReserved, reserved, "no growth of wasm memory");
  },

  "growth: growing wasm memory keeps every tensor intact": () => {
    const before = torch.memory().bytesReserved;
    const keep = Array.from({ length: 8 }, (_, i) => torch.full([1000], i + 0.5));
    const sums = torch.tidy(() => Array.from({ length: 8 }, (_, i) => torch.full([1 << 20], i)).map((b) => b.sum().item()));
    assert(torch.memory().bytesReserved > before, "memory grew");
    keep.forEach((t, i) => assertClose(t.toArray(), new Array(1000).fill(i + 0.5), `tensor ${i} after growth`));
    assertEqual(sums, [0, 1 << 20, 2 << 20, 3 << 20, 4 << 20, 5 << 20, 6 << 20, 7 << 20], "sums of the big blocks");
  },

  "moved: an optimizer step whose new state pushes another group's tensors out of wasm memory": () => {
    // Adam with a constant grad moves each value by lr·sign(g) per step (m/√v = g/|g|).
    const lr = 0.01;
    const small = [0, 1, 2].map((k) => torch.tensor(Array.from({ length: 40 }, (_, i) => (i + k) / 10 - 2), { requiresGrad: true }));
    const grads = small.map((_, k) => Array.from({ length: 40 }, (_, i) => ((i * 7 + k) % 5) - 2.5));
    const big = Array.from({ length: 6 }, () => torch.zeros([100_000], { requiresGrad: true }));
    const opt = new optim.Adam([{ params: big }, { params: small }], { lr });
    small.forEach((p, k) => { p.grad = torch.tensor(grads[k]); });
    const start = small.map((p) => p.toArray());
    opt.step(); // the small params' state
    big.forEach((p) => { p.grad = torch.ones([100_000]); });
    const evictions = torch.memory().evictions;
    opt.step(); // the big params' first step: 4.8 MB of new state, made after the step checked every tensor
    assert(torch.memory().evictions > evictions, "the step moved storage out of wasm memory");
    small.forEach((p, k) => assertClose(p.toArray(), Array.from(start[k], (v, i) => v - 2 * lr * Math.sign(grads[k][i])), `small param ${k}`));
    big.forEach((p, k) => assertClose(p.toArray(), new Array(100_000).fill(-lr), `big param ${k}`));
  },
};
