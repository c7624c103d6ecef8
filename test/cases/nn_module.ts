// nn.Module as PyTorch defines it: parameters() keeps frozen parameters, names and order
// of namedParameters()/namedBuffers()/stateDict() as PyTorch gives them (the trees in
// test/fixtures/nn.json "moduleNames", from test/golden/gen_nn.py), Linear's bias option
// in both forms, and a state dict saved through JSON that loads and trains on bit for bit.
import * as torch from "../../build/torchlet.js";
import fx from "../fixtures/nn.json" with { type: "json" };
import { assert, assertEqual, assertThrows } from "./assert.ts";

type Tensor = ReturnType<typeof torch.tensor>;
interface Names {
  namedParameters: string[];
  requiresGrad: boolean[];
  namedBuffers: string[];
  stateDict: string[];
}
const NAMES = (fx as unknown as { moduleNames: Record<string, Names> }).moduleNames;
const nn = torch.nn;

class OwnAfterChild extends nn.Module {
  fc = new nn.Linear(3, 2);
  scale = torch.ones([2], { requiresGrad: true });
  running = torch.zeros([2]);
  forward(x: Tensor): Tensor { return this.fc.forward(x).mul(this.scale); }
}

class Tied extends nn.Module {
  a = new nn.Linear(2, 2);
  b = new nn.Linear(2, 2);
  constructor() {
    super();
    this.b.weight = this.a.weight;
  }
  forward(x: Tensor): Tensor { return this.b.forward(this.a.forward(x)); }
}

class SharedChild extends nn.Module {
  a = new nn.Linear(2, 2);
  b = this.a;
  forward(x: Tensor): Tensor { return this.b.forward(this.a.forward(x)); }
}

function trees(): Record<string, InstanceType<typeof nn.Module>> {
  const frozen = new nn.Sequential(new nn.Linear(2, 3), new nn.ReLU(), new nn.Linear(3, 1));
  for (const p of frozen[0].parameters()) p.requiresGrad = false;
  const frozenAll = new nn.Linear(3, 2);
  for (const p of frozenAll.parameters()) p.requiresGrad = false;
  return {
    ownAfterChild: new OwnAfterChild(),
    tied: new Tied(),
    sharedChild: new SharedChild(),
    sequentialFirstFrozen: frozen,
    linearFrozen: frozenAll,
    linearPositionalNoBias: new nn.Linear(3, 2, false),
  };
}

function bits(t: Tensor): number[] {
  return Array.from(new Uint32Array(t.toArray().buffer));
}

/** JSON.stringify of a state dict; tensors in their JSON form { dtype, shape, values } (the core's toJSON when it has one). */
function stateJSON(sd: Record<string, Tensor>): string {
  return JSON.stringify(sd, (_k, v) =>
    v instanceof torch.Tensor ? { dtype: "float32", shape: [...v.shape], values: Array.from(v.toArray()) } : v);
}

function mlp(seed: number) {
  torch.manualSeed(seed);
  return new nn.Sequential(new nn.Linear(4, 8), new nn.Tanh(), new nn.Linear(8, 2));
}

function trainSteps(model: ReturnType<typeof mlp>, opt: { zeroGrad(): void; step(): unknown }, steps: number): void {
  const x = torch.tensor([[0.5, -1, 2, 0.25], [1.5, 0.5, -0.75, 1], [-2, 1, 0, 0.5]]);
  const y = torch.tensor([[1, 0], [0, 1], [0.5, 0.5]]);
  const lossFn = new nn.MSELoss();
  for (let i = 0; i < steps; i++) {
    opt.zeroGrad();
    lossFn.forward(model.forward(x), y).backward();
    opt.step();
  }
}

export const tests: Record<string, () => void> = {
  "nn module: names and order of parameters, buffers and stateDict() as PyTorch": () => {
    for (const [name, m] of Object.entries(trees())) {
      const want = NAMES[name];
      assertEqual(m.namedParameters().map(([n]) => n), want.namedParameters, `${name}: namedParameters()`);
      assertEqual(m.parameters().map((p) => p.requiresGrad), want.requiresGrad, `${name}: requiresGrad of each parameter`);
      assertEqual(m.namedBuffers().map(([n]) => n), want.namedBuffers, `${name}: namedBuffers()`);
      assertEqual(Object.keys(m.stateDict()), want.stateDict, `${name}: stateDict() keys`);
    }
  },

  "nn module: freezing keeps parameters; the unfreeze loop and a later optimizer see them": () => {
    const model = new nn.Linear(3, 2);
    for (const p of model.parameters()) p.requiresGrad = false;
    assertEqual(model.parameters().length, 2, "parameters() after freezing (PyTorch: 2)");
    const before = bits(model.weight);
    for (const p of model.parameters()) p.requiresGrad = true;
    assert(model.weight.requiresGrad && model.bias!.requiresGrad, "the unfreeze loop reached both");
    const opt = new torch.optim.SGD(model.parameters(), { lr: 0.1 });
    opt.zeroGrad();
    model.forward(torch.ones([1, 3])).sum().backward();
    opt.step();
    assert(bits(model.weight).some((b, i) => b !== before[i]), "the unfrozen weight trained");
  },

  "nn module: an optimizer built while frozen includes the layer, and steps it once unfrozen": () => {
    const model = new nn.Sequential(new nn.Linear(2, 2), new nn.Linear(2, 1));
    for (const p of model[0].parameters()) p.requiresGrad = false;
    const opt = new torch.optim.SGD(model.parameters(), { lr: 0.5 });
    assertEqual(opt.paramGroups[0].params.length, 4, "optimizer params");
    const first = bits((model[0] as InstanceType<typeof nn.Linear>).weight);
    for (const p of model[0].parameters()) p.requiresGrad = true;
    opt.zeroGrad();
    model.forward(torch.tensor([[1, -1]])).sum().backward();
    opt.step();
    assert(bits((model[0] as InstanceType<typeof nn.Linear>).weight).some((b, i) => b !== first[i]), "first layer stepped");
  },

  "nn module: a tensor field first seen frozen-after-walk stays a parameter; non-leaf and plain fields are not": () => {
    class Net extends nn.Module {
      w = torch.ones([3], { requiresGrad: true });
      stats = torch.zeros([3]);
      last: Tensor | null = null;
      forward(x: Tensor): Tensor { this.last = x.mul(this.w); return this.last; }
    }
    const net = new Net();
    assertEqual(net.namedParameters().map(([n]) => n), ["w"], "w is a parameter");
    net.w.requiresGrad = false;
    net.forward(torch.ones([3], { requiresGrad: true }));
    assertEqual(net.namedParameters().map(([n]) => n), ["w"], "frozen w is still a parameter; the non-leaf `last` is not");
    assertEqual(net.namedBuffers().map(([n]) => n), ["stats", "last"], "buffers");
  },

  "nn module: Linear's bias option, as an options object and as PyTorch's positional bool": () => {
    for (const [label, m, hasBias] of [
      ["Linear(3, 2)", new nn.Linear(3, 2), true],
      ["Linear(3, 2, false)", new nn.Linear(3, 2, false), false],
      ["Linear(3, 2, true)", new nn.Linear(3, 2, true), true],
      ["Linear(3, 2, { bias: false })", new nn.Linear(3, 2, { bias: false }), false],
      ["Linear(3, 2, {})", new nn.Linear(3, 2, {}), true],
    ] as const) {
      assertEqual(m.bias === null, !hasBias, `${label}: bias`);
      assertEqual(m.parameters().length, hasBias ? 2 : 1, `${label}: parameters()`);
      assertEqual([...m.forward(torch.ones([4, 3])).shape], [4, 2], `${label}: forward shape`);
    }
    assertThrows(() => new nn.Linear(2, 3, { bais: false } as never), /unknown option "bais".*did you mean "bias"/, "misspelt bias");
  },

  "nn module: a frozen model copied by AveragedModel keeps its parameters": () => {
    const model = new nn.Linear(3, 2);
    for (const p of model.parameters()) p.requiresGrad = false;
    const avg = new torch.optim.swaUtils.AveragedModel(model);
    assertEqual(avg.module.namedParameters().map(([n]) => n), ["weight", "bias"], "copied parameters");
  },

  "nn module: JSON.parse(JSON.stringify(stateDict())) loads and training continues bit for bit": () => {
    const a = mlp(11);
    trainSteps(a, new torch.optim.Adam(a.parameters(), { lr: 0.01 }), 5);
    const json = stateJSON(a.stateDict());
    const b = mlp(99);
    const result = b.loadStateDict(JSON.parse(json));
    assertEqual(result, { missingKeys: [], unexpectedKeys: [] }, "loadStateDict result");
    for (const [[name, p], [, q]] of a.namedParameters().map((e, i) => [e, b.namedParameters()[i]] as const)) {
      assertEqual(bits(q), bits(p), `${name} after load`);
    }
    const x = torch.tensor([[0.1, 0.2, -0.3, 0.4]]);
    assertEqual(bits(b.forward(x)), bits(a.forward(x)), "outputs after load");
    trainSteps(a, new torch.optim.SGD(a.parameters(), { lr: 0.05 }), 3);
    trainSteps(b, new torch.optim.SGD(b.parameters(), { lr: 0.05 }), 3);
    for (const [[name, p], [, q]] of a.namedParameters().map((e, i) => [e, b.namedParameters()[i]] as const)) {
      assertEqual(bits(q), bits(p), `${name} after 3 more steps`);
    }
  },

  "nn module: a BatchNorm2d model's state dict through JSON text loads (num_batches_tracked: an int32 JSON form)": () => {
    const build = (seed: number) => {
      torch.manualSeed(seed);
      return new nn.Sequential(new nn.Conv2d(1, 2, 2), new nn.BatchNorm2d(2));
    };
    const a = build(1);
    for (let i = 0; i < 3; i++) a.forward(torch.randn([2, 1, 3, 3]));
    const b = build(2);
    assertEqual(b.loadStateDict(JSON.parse(JSON.stringify(a.stateDict()))), { missingKeys: [], unexpectedKeys: [] }, "loadStateDict result");
    const [sa, sb] = [a.stateDict(), b.stateDict()];
    for (const k of Object.keys(sa)) {
      assertEqual(sb[k].dtype, sa[k].dtype, `${k}: dtype`);
      assertEqual(sb[k].toArray(), sa[k].toArray(), `${k}: values`);
    }
    assertEqual(sb["1.num_batches_tracked"].item(), 3, "num_batches_tracked");
  },

  "nn module: AveragedModel's state dict through JSON text loads (n_averaged) and averages on identically": () => {
    const build = (seed: number) => {
      torch.manualSeed(seed);
      const model = new nn.Linear(3, 2);
      return { model, avg: new torch.optim.swaUtils.AveragedModel(model) };
    };
    const a = build(1);
    for (let i = 0; i < 2; i++) {
      torch.noGrad(() => a.model.weight.add_(0.5));
      a.avg.updateParameters(a.model);
    }
    const b = build(2);
    b.avg.loadStateDict(JSON.parse(JSON.stringify(a.avg.stateDict())));
    assertEqual(b.avg.nAveraged.item(), 2, "n_averaged");
    assertEqual(b.avg.nAveraged.dtype, "int32", "n_averaged: still an integer tensor");
    a.avg.updateParameters(a.model);
    b.avg.updateParameters(a.model);
    assertEqual(b.avg.module.stateDict()["weight"].toArray(), a.avg.module.stateDict()["weight"].toArray(), "weight after one more update");
  },

  // PyTorch 2.13 (torch/nn/modules/module.py, _load_from_state_dict): copy_ takes NaN and ±inf and
  // casts another dtype; a shape-[1] value loads into a 0-d buffer; a size mismatch raises even
  // with strict=False
  "nn module: as PyTorch, NaN and ±Infinity load, another dtype is cast, a [1]-shaped value loads into a 0-d buffer": () => {
    const bn = new nn.BatchNorm1d(3);
    bn.loadStateDict({
      weight: torch.tensor([NaN, Infinity, -Infinity]),
      bias: torch.tensor([1, 0, 3], { dtype: "int32" }),
      running_mean: torch.tensor([true, false, true]),
      running_var: Float32Array.of(Infinity, 2, -Infinity),
      num_batches_tracked: torch.tensor([5]),
    });
    assertEqual(Array.from(bn.weight!.toArray()), [NaN, Infinity, -Infinity], "weight");
    assertEqual(Array.from(bn.bias!.toArray()), [1, 0, 3], "bias from int32");
    assertEqual(Array.from(bn.runningMean!.toArray()), [1, 0, 1], "running_mean from bool");
    assertEqual(Array.from(bn.runningVar!.toArray()), [Infinity, 2, -Infinity], "running_var");
    assertEqual([bn.numBatchesTracked!.dtype, [...bn.numBatchesTracked!.shape], bn.numBatchesTracked!.item()], ["int32", [], 5],
      "num_batches_tracked from a float32 [1]");
    bn.loadStateDict({ num_batches_tracked: { dtype: "int32", shape: [1], values: [7] } }, { strict: false });
    assertEqual(bn.numBatchesTracked!.item(), 7, "num_batches_tracked from a [1]-shaped JSON form");
    assertThrows(() => bn.loadStateDict({ bias: [1, 2], weight: [1, 2, 3] }, { strict: false }), /size mismatch for bias/,
      "a size mismatch with strict: false");
    assertEqual(Array.from(bn.weight!.toArray()), [NaN, Infinity, -Infinity], "nothing loaded from the refused dict");
  },

  "nn module: an integer buffer refuses what it cannot hold exactly (2.5, NaN, 2^31), naming it, changing nothing": () => {
    const bn = new nn.BatchNorm1d(2);
    bn.forward(torch.tensor([[1, 2], [3, 5]]));
    const before = Object.entries(bn.stateDict()).map(([k, t]) => [k, Array.from(t.toArray())]);
    for (const [label, v, shown] of [
      ["a float32 Tensor of 2.5", torch.tensor(2.5), "2\\.5"],
      ["NaN in number[]", [NaN], "NaN"],
      ["2^31 in the JSON form", { dtype: "int32", shape: [], values: [2 ** 31] }, "2147483648"],
      ["-1.5 in the JSON form without dtype", { shape: [], values: [-1.5] }, "-1\\.5"],
    ] as const) {
      assertThrows(() => bn.loadStateDict({ ...bn.stateDict(), weight: [9, 9], num_batches_tracked: v as never }),
        new RegExp(`num_batches_tracked: value 0 is ${shown}; expected an integer in int32's range`), label);
      assertEqual(Object.entries(bn.stateDict()).map(([k, t]) => [k, Array.from(t.toArray())]), before, `${label}: nothing changed`);
    }
    bn.loadStateDict({ num_batches_tracked: torch.tensor(4) }, { strict: false });
    assertEqual(bn.numBatchesTracked!.item(), 4, "a float32 Tensor of a whole number loads");
  },

  // PyTorch copies entry by entry in key order, so there the second weight would receive the
  // first one's new values; here every value is read before anything is written
  "nn module: a dict holding the model's own tensors under other keys loads the values they held": () => {
    torch.manualSeed(4);
    const m = new nn.Sequential(new nn.Linear(2, 2), new nn.Linear(2, 2));
    const sd = m.stateDict();
    const [w0, w1] = [sd["0.weight"].toArray(), sd["1.weight"].toArray()];
    m.loadStateDict({ ...sd, "0.weight": sd["1.weight"], "1.weight": sd["0.weight"] });
    assertEqual(m.stateDict()["0.weight"].toArray(), w1, "0.weight: 1.weight's values");
    assertEqual(m.stateDict()["1.weight"].toArray(), w0, "1.weight: 0.weight's values");
  },

  "nn module: loadStateDict takes Tensors, Float32Arrays, number[] and { shape, values }": () => {
    const m = new nn.Linear(2, 2);
    const w = [1, 2, 3, 4];
    for (const [label, value] of [
      ["Tensor", torch.tensor([[1, 2], [3, 4]])],
      ["Float32Array", Float32Array.from(w)],
      ["number[]", w],
      ["{ shape, values }", { shape: [2, 2], values: w }],
      ["{ dtype, shape, values }", { dtype: "float32", shape: [2, 2], values: w }],
      ["NaN values", [NaN, 2, 3, 4]],
    ] as const) {
      torch.noGrad(() => m.weight.copy_([0, 0, 0, 0]));
      m.loadStateDict({ weight: value as never, bias: [5, 6] });
      const got = Array.from(m.weight.toArray());
      assertEqual(got.map((v) => (Number.isNaN(v) ? "NaN" : v)), label === "NaN values" ? ["NaN", 2, 3, 4] : w, label);
      assertEqual(Array.from(m.bias!.toArray()), [5, 6], `${label}: bias`);
    }
    const res = m.loadStateDict({ weight: w, extra: [1] } as never, { strict: false });
    assertEqual(res, { missingKeys: ["bias"], unexpectedKeys: ["extra"] }, "strict: false reports, loads the rest");
    assertEqual(m.loadStateDict({ bias: [7, 8] } as never, false), { missingKeys: ["weight"], unexpectedKeys: [] }, "positional strict");
    assertEqual(Array.from(m.bias!.toArray()), [7, 8], "bias loaded non-strict");
  },
};
