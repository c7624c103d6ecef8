// Convolution, pooling and normalisation layers against PyTorch (test/fixtures/nn_layers.json,
// written by test/golden/gen_nn_layers.py): each case builds the module, loads PyTorch's
// state dict, and runs its steps (train or eval, forward, backward with PyTorch's upstream
// gradient), comparing outputs, input grads, parameter grads and the state after each step.
import * as torch from "../../build/torchlet.js";
import fx from "../fixtures/nn_layers.json" with { type: "json" };
import { assert, assertClose, assertEqual, assertThrows } from "./assert.ts";

interface Rec { shape: number[]; values: number[] }
interface Step {
  train: boolean; input: Rec; upstream: Rec; output: Rec; inputGrad: Rec;
  paramGrads: Record<string, Rec | null>; state: Record<string, Rec>;
}
interface Case { name: string; module: [string, unknown[]]; state: Record<string, Rec>; steps: Step[] }

const cases = (fx as unknown as { cases: Case[] }).cases;
const fromRec = (r: Rec, requiresGrad = false) => torch.tensor(Float32Array.from(r.values), { shape: r.shape, requiresGrad });

export const tests: Record<string, () => void> = {};

for (const c of cases) {
  tests[`nn layers: ${c.name} against PyTorch`] = () => {
    const [cls, args] = c.module;
    const Ctor = (torch.nn as unknown as Record<string, new (...a: unknown[]) => torch.nn.Module>)[cls];
    const m = new Ctor(...args);
    assertEqual(Object.keys(m.stateDict()), Object.keys(c.state), "state dict keys are PyTorch's");
    m.loadStateDict(Object.fromEntries(Object.entries(c.state).map(([k, r]) => [k, r.values])));
    c.steps.forEach((s, i) => {
      const at = `step ${i} (${s.train ? "train" : "eval"})`;
      m.train(s.train);
      const x = fromRec(s.input, true);
      const y = m.forward(x) as torch.Tensor;
      assertEqual(y.shape, s.output.shape, `${at}: output shape`);
      assertClose(y.toArray(), s.output.values, `${at}: output`);
      y.backward(fromRec(s.upstream));
      assertClose(x.grad!.toArray(), s.inputGrad.values, `${at}: input grad`);
      for (const [name, p] of m.namedParameters()) {
        const want = s.paramGrads[name];
        if (want === null || want === undefined) assertEqual(p.grad, null, `${at}: ${name}.grad`);
        else assertClose(p.grad!.toArray(), want.values, `${at}: ${name}.grad`);
      }
      const sd = m.stateDict();
      for (const [k, r] of Object.entries(s.state)) assertClose(Array.from(sd[k].toArray()), r.values, `${at}: state ${k}`);
      m.zeroGrad();
    });
  };
}

tests["nn layers: wrong input rank names the shape"] = () => {
  assertThrows(() => new torch.nn.Conv2d(1, 2, 3).forward(torch.zeros([8, 8])), /expected 3D \(unbatched\) or 4D \(batched\) input.*\[8, 8\]/);
  assertThrows(() => new torch.nn.MaxPool2d(2).forward(torch.zeros([4, 8])), /3D \(unbatched\) or 4D \(batched\).*\[4, 8\]/);
  assertThrows(() => new torch.nn.BatchNorm2d(3).forward(torch.zeros([2, 3, 4])), /expected 4D input.*\[2, 3, 4\]/);
  assertThrows(() => new torch.nn.LayerNorm(5).forward(torch.zeros([2, 4])), /normalized_shape=\[5\].*\[2, 4\]/);
  assertThrows(() => new torch.nn.Conv2d(3, 2, 3).forward(torch.zeros([1, 2, 5, 5])), /expected input\[1, 2, 5, 5\] to have 3 channels, but got 2 channels/);
  assertThrows(() => new torch.nn.Conv2d(1, 2, 5).forward(torch.zeros([1, 1, 3, 3])), /output size.*too small/);
  assertThrows(() => new torch.nn.Conv2d(2, 3, 3, { groups: 2 }), /out_channels must be divisible by groups/);
  assertThrows(() => new torch.nn.Conv2d(2, 2, 3, { stride: 2, padding: "same" }).forward(torch.zeros([1, 2, 5, 5])), /padding='same' is not supported for strided/);
  assertThrows(() => new torch.nn.Conv2d(2, 2, 3, { paddding: 1 } as any), /unknown option "paddding".*did you mean "padding"/);
  assertThrows(() => new torch.nn.BatchNorm1d(3).forward(torch.zeros([1, 3])), /more than 1 value per channel when training/);
};

tests["nn layers: eval() batch norm uses the running statistics and leaves them alone"] = () => {
  const bn = new torch.nn.BatchNorm1d(2);
  bn.forward(torch.tensor([[1, 2], [3, 6]]));
  const before = Array.from(bn.runningMean!.toArray());
  assertClose(before, [0.2, 0.4], "running mean after one batch (momentum 0.1)");
  assertClose(bn.runningVar!.toArray(), [0.9 + 0.1 * 2, 0.9 + 0.1 * 8], "running var, unbiased");
  assertEqual(bn.numBatchesTracked!.item(), 1, "num_batches_tracked");
  bn.eval();
  bn.forward(torch.tensor([[10, 20], [30, 60]]));
  assertEqual(Array.from(bn.runningMean!.toArray()), before, "running mean unchanged in eval()");
  assert(bn.numBatchesTracked!.dtype === "int32", "num_batches_tracked is an integer buffer");
};

interface LossCase {
  name: string; module: [string, unknown[]]; input: Rec; target: Rec; targetKind: "float" | "index";
  upstream: Rec; output: Rec; inputGrad: Rec;
}
const losses = (fx as unknown as { losses: LossCase[]; lossWeights: Record<string, number[]> });

for (const c of losses.losses) {
  tests[`nn losses: ${c.name} against PyTorch`] = () => {
    const [cls, args] = c.module;
    // option values naming a weight vector in the fixture ("W") become tensors
    const opts = args.map((a) => (a !== null && typeof a === "object" ? Object.fromEntries(Object.entries(a as object)
      .map(([k, v]) => [k, typeof v === "string" && v in losses.lossWeights ? torch.tensor(losses.lossWeights[v]) : v])) : a));
    const Ctor = (torch.nn as unknown as Record<string, new (...a: unknown[]) => torch.nn.Module>)[cls];
    const m = new Ctor(...opts);
    const x = fromRec(c.input, true);
    const t = c.targetKind === "index" ? torch.tensor(c.target.values, { shape: c.target.shape, dtype: "int32" }) : fromRec(c.target);
    const y = m.forward(x, t) as torch.Tensor;
    assertEqual(y.shape, c.output.shape, "output shape");
    assertClose(y.toArray(), c.output.values, "output");
    y.backward(fromRec(c.upstream));
    assertClose(x.grad!.toArray(), c.inputGrad.values, "input grad");
  };
}

interface EmbeddingCase { name: string; args: unknown[]; state: Record<string, Rec>; indices: Rec; upstream: Rec; output: Rec; weightGrad: Rec }

for (const c of (fx as unknown as { embeddings: EmbeddingCase[] }).embeddings) {
  tests[`nn embedding: ${c.name} against PyTorch`] = () => {
    const m = new (torch.nn as any).Embedding(...c.args) as torch.nn.Module & { weight: torch.Tensor };
    m.loadStateDict({ weight: c.state.weight.values });
    const idx = torch.tensor(c.indices.values, { shape: c.indices.shape, dtype: "int32" });
    const y = m.forward(idx) as torch.Tensor;
    assertEqual(y.shape, c.output.shape, "output shape");
    assertClose(y.toArray(), c.output.values, "output");
    y.backward(fromRec(c.upstream));
    assertClose(m.weight.grad!.toArray(), c.weightGrad.values, "weight grad (padding row none)");
  };
}

tests["nn embedding: an index out of range and a paddingIdx out of range are refused"] = () => {
  const e = new torch.nn.Embedding(4, 2);
  assertThrows(() => e.forward(torch.tensor([1, 4], { dtype: "int32" })), /index 4 is out of range for an embedding of 4 rows/);
  assertThrows(() => new torch.nn.Embedding(4, 2, { paddingIdx: 4 }), /paddingIdx must be within num_embeddings \(-4 to 3\), got 4/);
  assertThrows(() => e.forward(torch.tensor([1, 2])), /indices must be an int32 tensor/);
};

tests["nn: a state dict exported by PyTorch for a small CNN loads with strict and gives PyTorch's eval() outputs"] = () => {
  const { nn } = torch;
  const cnn = (fx as unknown as { cnn: { state: Record<string, Rec>; input: Rec; output: Rec } }).cnn;
  const net = new nn.Sequential(new nn.Conv2d(1, 4, 3, { padding: 1 }), new nn.BatchNorm2d(4), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Flatten(), new nn.Linear(4 * 4 * 4, 10));
  assertEqual(Object.keys(net.stateDict()), Object.keys(cnn.state), "PyTorch's state dict keys, in PyTorch's order");
  const r = net.loadStateDict(Object.fromEntries(Object.entries(cnn.state).map(([k, v]) => [k, v.values])));
  assertEqual(r, { missingKeys: [], unexpectedKeys: [] }, "strict load");
  net.eval();
  const out = torch.noGrad(() => net.forward(fromRec(cnn.input)) as torch.Tensor);
  assertClose(out.toArray(), cnn.output.values, "eval() outputs");
  assertThrows(() => net.loadStateDict({ "0.weight": cnn.state["0.weight"].values }), /Missing key\(s\) in state_dict: "0.bias", "1.weight"/);
};

tests["nn: Parameter, registerBuffer, apply, requiresGrad_, buffers and modules"] = () => {
  const { nn } = torch;
  class Scale extends nn.Module {
    s = nn.Parameter(torch.ones([2]));
    fixed = torch.zeros([2]);
    constructor() { super(); this.registerBuffer("steps", torch.zeros([1])); this.registerBuffer("cache", torch.ones([1]), { persistent: false }); }
    forward(x: torch.Tensor) { return x.mul(this.s); }
  }
  const m = new nn.Sequential(new Scale(), new nn.Linear(2, 1));
  assertEqual(m.namedParameters().map(([k]) => k), ["0.s", "1.weight", "1.bias"], "parameters");
  assertEqual(m.namedBuffers().map(([k]) => k), ["0.fixed", "0.steps", "0.cache"], "buffers (non-persistent too)");
  assertEqual(Object.keys(m.stateDict()), ["0.s", "0.fixed", "0.steps", "1.weight", "1.bias"], "state dict: no non-persistent buffer");
  m.requiresGrad_(false);
  assert(m.parameters().every((p) => !p.requiresGrad), "all frozen");
  assertEqual(m.parameters().length, 3, "frozen parameters are still parameters");
  const seen: string[] = [];
  m.apply((mod) => { seen.push(mod.constructor.name); });
  assertEqual(seen, ["Scale", "Linear", "Sequential"], "apply visits children first");
  assertEqual(m.modules().length, 3, "modules()");
  const p = nn.Parameter(torch.tensor([1, 2]), false);
  assert(p.isLeaf && !p.requiresGrad, "Parameter(t, false)");
};
