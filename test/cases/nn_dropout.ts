// nn.Dropout and F.dropout against PyTorch (test/fixtures/nn_dropout.json, written by
// test/golden/gen_nn_dropout.py). PyTorch's masks come from its own random numbers, so the
// tests compare what does not depend on them: the elements both keep (x·fl(1/(1−p))), the
// grads there, the input returned itself (eval, p = 0), p = 1, NaN and ±Infinity; and, by
// the generator's stream, that the mask is U[0, 1) < 1 − p drawn from torch.manualSeed's
// generator (or `{ generator }`), with the keep rate of 10^5 draws within 4.75σ.
import * as torch from "../../build/torchlet.js";
import fx from "../fixtures/nn_dropout.json" with { type: "json" };
import { assert, assertClose, assertEqual, assertThrows } from "./assert.ts";

type Tensor = torch.Tensor;
const { nn } = torch;
const F = torch.nn.functional;
const Z = 4.75;

interface Rec { shape: number[]; values: number[] }
interface Case { p: number; training: boolean; input: Rec; upstream: Rec; output: Rec; inputGrad: Rec; same: boolean }
type Num = number | string;
const data = fx as unknown as { cases: Case[]; scales: { p: number; x: number; kept: number }[]; nonfinite: { p: number; input: Num[]; output: Num[] }[] };

const seeded = (s: number) => new torch.Generator().manualSeed(s);
const fromRec = (r: Rec, requiresGrad = false) => torch.tensor(Float32Array.from(r.values), { shape: r.shape, requiresGrad });
const num = (v: Num): number => (v === "nan" ? NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : (v as number));
const arr = (t: Tensor): number[] => Array.from(t.toArray());

export const tests: Record<string, () => void> = {};

for (const [i, c] of data.cases.entries()) {
  tests[`F.dropout(p ${c.p.toPrecision(4)}, training ${c.training}) against PyTorch: kept elements, grads${c.same ? ", the input itself" : ""}`] = () => {
    const x = fromRec(c.input, true);
    const y = F.dropout(x, { p: c.p, training: c.training, generator: seeded(i) });
    assertEqual(y === x, c.same, "returns the input itself where PyTorch does");
    assertEqual(y.shape, c.output.shape, "shape");
    y.mul(fromRec(c.upstream)).sum().backward();
    const got = arr(y), grad = arr(x.grad!);
    const want = c.output.values, wantGrad = c.inputGrad.values;
    let both = 0;
    for (let k = 0; k < got.length; k++) {
      if (got[k] === 0) assert(grad[k] === 0, `element ${k}: dropped, so no gradient (got ${grad[k]})`);
      else if (c.training && c.p > 0) assert(Math.abs(got[k]) > Math.abs(c.input.values[k]), `element ${k}: kept elements are scaled up`);
      if (got[k] === 0 || want[k] === 0) continue;
      both++;
      assertEqual(got[k], Math.fround(want[k]), `element ${k} (kept by both): x·1/(1−p) in float32`);
      assertClose(grad[k], wantGrad[k], `element ${k} (kept by both): grad`);
    }
    if (c.p < 0.9 && c.training) assert(both > 0, "some elements are kept by both");
  };
}

tests["F.dropout scales kept elements by PyTorch's float32 1/(1−p), for p up to 0.999"] = () => {
  for (const s of data.scales) {
    const y = F.dropout(torch.full([2000], s.x), { p: s.p, generator: seeded(3) });
    const kept = new Set(arr(y).filter((v) => v !== 0));
    assert(kept.size <= 1, `p ${s.p}, x ${s.x}: one kept value, got ${[...kept]}`);
    for (const v of kept) assertEqual(v, Math.fround(s.kept), `p ${s.p}, x ${s.x}: the kept value`);
  }
};

tests["F.dropout: NaN stays NaN and dropped ±Infinity becomes NaN (x·0), as PyTorch; p = 1 is all NaN there"] = () => {
  for (const c of data.nonfinite) {
    const y = arr(F.dropout(torch.tensor(c.input.map(num)), { p: c.p, generator: seeded(5) }));
    const input = c.input.map(num);
    input.forEach((v, k) => {
      // PyTorch's outputs for the same input value: its kept and its dropped form
      const seen = c.output.map(num).filter((_, j) => Object.is(input[j], v));
      assert(seen.some((w) => Object.is(w, y[k]) || (Number.isNaN(w) && Number.isNaN(y[k]))),
        `p ${c.p}, input ${v}: output ${y[k]} is one of PyTorch's ${JSON.stringify(c.output.filter((_, j) => Object.is(input[j], v)))}`);
    });
    if (c.p === 1) assert(y.slice(0, 24).every(Number.isNaN), "p = 1: every non-finite input gives NaN");
  }
};

tests["F.dropout: the mask is U[0, 1) < 1 − p from the default generator (torch.manualSeed) or { generator }; 10^5 draws keep 1 − p"] = () => {
  const n = 100_000;
  for (const p of [0.1, 0.5, 0.8]) {
    torch.manualSeed(42);
    const y = arr(F.dropout(torch.ones([n]), { p }));
    torch.manualSeed(42);
    const u = arr(torch.rand([n]));
    const scale = Math.fround(1 / Math.fround(1 - p));
    assertEqual(y.map((v) => v !== 0), u.map((v) => v < 1 - p), `p ${p}: kept where the stream's uniform is below 1 − p`);
    assertEqual(arr(F.dropout(torch.ones([n]), { p, generator: seeded(42) })), y, `p ${p}: { generator } seeded 42 draws the same`);
    const kept = y.filter((v) => v !== 0).length;
    assert(Math.abs(kept / n - (1 - p)) < Z * Math.sqrt(p * (1 - p) / n), `p ${p}: kept ${kept} of ${n}`);
    const mean = y.reduce((s, v) => s + v, 0) / n;
    assert(Math.abs(mean - 1) < Z * scale * Math.sqrt(p * (1 - p) / n), `p ${p}: E[dropout(x)] = x, mean ${mean}`);
  }
  torch.manualSeed(1);
  const a = arr(F.dropout(torch.ones([64])));
  const b = arr(F.dropout(torch.ones([64])));
  assert(a.some((v, k) => v !== b[k]), "each call draws a new mask");
};

tests["nn.Dropout: p as a number or { p, inplace }, 0.5 by default; off in eval() (the input itself); no parameters or state"] = () => {
  assertEqual([new nn.Dropout().p, new nn.Dropout(0.2).p, new nn.Dropout({ p: 0.3 }).p, new nn.Dropout({ inplace: true }).inplace], [0.5, 0.2, 0.3, true], "p and inplace");
  torch.manualSeed(7);
  const model = new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Dropout(0.5), new nn.Linear(8, 2));
  assertEqual(Object.keys(model.stateDict()), ["0.weight", "0.bias", "3.weight", "3.bias"], "Dropout adds no state");
  const x = torch.randn([16, 4]);
  const drop = model[2] as InstanceType<typeof nn.Dropout>;
  const h = torch.randn([16, 8]);
  assert(drop.forward(h) !== h, "training: a new tensor");
  model.eval();
  assert(drop.forward(h) === h, "eval: the input itself");
  const e1 = arr(model.forward(x)), e2 = arr(model.forward(x));
  assertEqual(e1, e2, "eval: deterministic");
  model.train();
  torch.manualSeed(3);
  const t1 = arr(model.forward(x));
  torch.manualSeed(3);
  assertEqual(arr(model.forward(x)), t1, "train: the same seed, the same output");
  assert(t1.some((v, k) => v !== e1[k]), "train differs from eval");
};

tests["F.dropout in place: returns the input, equals the out-of-place result and grads for the same seed, also on a view; refused on a leaf that requires grad"] = () => {
  const x0 = torch.randn([6, 5], { generator: seeded(1) });
  const upstream = torch.randn([6, 5], { generator: seeded(2) });
  const run = (inplace: boolean, view: boolean) => {
    const x = torch.tensor(x0.toArray(), { shape: [6, 5], requiresGrad: true });
    const h = view ? x.t().mul(1).t() : x.mul(1); // a non-leaf; the view case is non-contiguous
    const y = F.dropout(h, { p: 0.4, inplace, generator: seeded(9) });
    if (inplace) assert(y === h, "in place returns its input");
    y.mul(upstream).sum().backward();
    return [arr(y), arr(x.grad!)];
  };
  const [y, g] = run(false, false);
  assertEqual(run(true, false), [y, g], "in place = out of place (contiguous)");
  assertEqual(run(true, true), [y, g], "in place = out of place (a transposed view)");
  assertEqual(run(false, true), [y, g], "out of place on a view");
  const leaf = torch.ones([3], { requiresGrad: true });
  assertThrows(() => F.dropout(leaf, { inplace: true }), /leaf Variable that requires grad.*in-place/);
  assertEqual(arr(leaf), [1, 1, 1], "the refused leaf is unchanged");
  const plain = torch.ones([4]);
  assert(new nn.Dropout({ p: 1, inplace: true }).forward(plain) === plain && arr(plain).every((v) => v === 0), "p = 1 in place zeroes the input");
};

tests["F.dropout: memory flat over 2,000 training steps of an MLP with Dropout; no mask left behind without grad"] = () => {
  torch.manualSeed(0);
  const model = new nn.Sequential(new nn.Linear(13, 32), new nn.ReLU(), new nn.Dropout(0.3), new nn.Linear(32, 1));
  const opt = new torch.optim.SGD(model.parameters(), { lr: 1e-3 });
  const x = torch.randn([32, 13]), y = torch.randn([32, 1]);
  const lossFn = new nn.MSELoss();
  let warm = { bytesInUse: 0, bytesReserved: 0 };
  for (let i = 0; i < 2000; i++) {
    opt.zeroGrad();
    lossFn.forward(model.forward(x), y).backward();
    opt.step();
    if (i === 100) warm = torch.memory();
  }
  const end = torch.memory();
  assert(end.bytesInUse <= warm.bytesInUse, `bytesInUse ${end.bytesInUse} ≤ after warm-up ${warm.bytesInUse}`);
  assertEqual(end.bytesReserved, warm.bytesReserved, "no growth of wasm memory");
  const h = torch.randn([100]);
  const before = torch.memory();
  const out = F.dropout(h);
  const after = torch.memory();
  assertEqual([after.tensors - before.tensors, after.bytesInUse - before.bytesInUse], [1, 400], "only the output remains");
  out.dispose();
};
