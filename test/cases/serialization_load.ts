// torch.load of files PyTorch 2.13 wrote (test/fixtures/checkpoints/checkpoints.json, from
// test/golden/gen_checkpoints.py): a model's state dict into TestNet, Adam (amsgrad) and
// SGD-momentum runs saved after K steps that continue K more steps on PyTorch's trajectory,
// a StepLR's state, tensors of every dtype, nested containers, views over one storage, and
// safetensors.
import * as torch from "../../build/torchlet.js";
import fx from "../fixtures/checkpoints/checkpoints.json" with { type: "json" };
import { assert, assertClose, assertEqual } from "./assert.ts";

// deno-lint-ignore no-explicit-any
type Any = any;
type Tensor = ReturnType<typeof torch.tensor>;
const { nn, optim } = torch;
const F = fx as Any;
const E = F.expected;

export function fixtureBytes(name: string): Uint8Array {
  return fileBytes(F.files, name, "checkpoints.json");
}

/** A file a generator stored as base64 in `fixture`'s `files` (browsers read no files). */
export function fileBytes(files: Record<string, string>, name: string, fixture: string): Uint8Array {
  const b64 = files[name];
  assert(b64 !== undefined, `fixture ${name} missing from ${fixture}`);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export class TestNet extends nn.Module {
  hidden = new nn.Sequential(new nn.Linear(13, 10), new nn.ReLU());
  regression = new nn.Linear(10, 1);
  forward(x: Tensor): Tensor {
    return this.regression.forward(this.hidden.forward(x));
  }
}

/** A fixture value as a number: JSON's stand-ins for infinities, and bools as toArray() gives them (1/0). */
const num = (v: number | string | boolean): number =>
  (v === "Infinity" ? Infinity : v === "-Infinity" ? -Infinity : typeof v === "boolean" ? Number(v) : (v as number));

function assertTensor(t: Any, rec: { dtype: string; shape: number[]; values: (number | string | boolean)[] }, what: string, exact = false): void {
  assert(t instanceof torch.Tensor, `${what}: expected a Tensor, got ${typeof t}`);
  assertEqual(t.dtype, rec.dtype, `${what} dtype`);
  assertEqual(t.shape.slice(), rec.shape, `${what} shape`);
  const want = rec.values.map(num);
  if (exact || rec.dtype !== "float32") assertEqual(Array.from(t.toArray() as ArrayLike<number>), want, `${what} values`);
  else assertClose(t.toArray() as Float32Array, want.map(Math.fround), what, 0, 0);
}

/** Loads a PyTorch run saved after K steps, continues K steps, compares with PyTorch's continuation. */
function continueRun(name: string, makeOpt: (params: Iterable<Tensor>) => Any): void {
  const ck = torch.load(fixtureBytes(`${name}.pt`)) as Any;
  const rec = E[name];
  const model = new TestNet();
  const { missingKeys, unexpectedKeys } = model.loadStateDict(ck.model);
  assertEqual([missingKeys, unexpectedKeys], [[], []], "strict load");
  const opt = makeOpt(model.parameters());
  const sched = new optim.lrScheduler.StepLR(opt, { stepSize: 2, gamma: 0.5 });
  opt.loadStateDict(ck.optimizer);
  sched.loadStateDict(ck.scheduler);
  assertEqual(ck.epoch, F.K, "epoch");
  // the translated state is PyTorch's, name for name (camelCase), value for value
  const sd = opt.stateDict();
  for (const [i, st] of Object.entries(rec.state as Record<string, Record<string, Any>>)) {
    for (const [k, v] of Object.entries(st)) {
      const mine = sd.state[Number(i)][k.replace(/_([a-z])/g, (_: string, c: string) => c.toUpperCase())];
      if (v.shape?.length === 0) assertEqual(mine, v.values[0], `${name} state[${i}].${k}`);
      else assertEqual(Array.from(mine as Float32Array), v.values.map(Math.fround), `${name} state[${i}].${k}`);
    }
  }
  assertEqual(sd.paramGroups[0].lr, rec.paramGroups[0].lr, `${name} lr after K scheduler steps`);
  assertEqual(sched.stateDict().lastEpoch, rec.scheduler.last_epoch, "StepLR lastEpoch");
  const x = torch.tensor(rec.x, { shape: [32, 13] });
  const y = torch.tensor(rec.y, { shape: [32, 1] });
  const lossFn = new nn.MSELoss();
  rec.continued.forEach((want: Record<string, number[]>, i: number) => {
    opt.zeroGrad();
    lossFn.forward(model.forward(x), y).backward();
    opt.step();
    sched.step();
    const got = model.stateDict() as Record<string, Tensor>;
    for (const [k, v] of Object.entries(want)) assertClose(got[k].toArray() as Float32Array, v, `${name} continued step ${i + 1} ${k}`);
  });
}

export const tests: Record<string, () => void> = {
  "torch.load: a PyTorch TestNet state dict loads strictly into TestNet, values exact": () => {
    const sd = torch.load(fixtureBytes("model.pt")) as Record<string, Tensor>;
    assertEqual(Object.keys(sd), ["hidden.0.weight", "hidden.0.bias", "regression.weight", "regression.bias"], "keys in order");
    for (const [k, rec] of Object.entries(E.model as Record<string, Any>)) assertTensor(sd[k], rec, k, true);
    const net = new TestNet();
    net.loadStateDict(sd);
    assertEqual(Array.from(net.regression.weight.toArray()), E.model["regression.weight"].values, "loaded into the module");
  },

  "torch.load: PyTorch's Adam (amsgrad) + StepLR after 3 steps go into loadStateDict and continue on PyTorch's trajectory": () => {
    continueRun("adam", (p) => new optim.Adam(p, { lr: 0.01, amsgrad: true }));
  },

  "torch.load: PyTorch's SGD (nesterov momentum) + StepLR after 3 steps continue on PyTorch's trajectory": () => {
    continueRun("sgd_momentum", (p) => new optim.SGD(p, { lr: 0.01, momentum: 0.9, nesterov: true }));
  },

  "torch.load: PyTorch's optimizer layout comes back in torchlet's (camelCase, numbers, Float32Arrays, no PyTorch-only switches)": () => {
    const ck = torch.load(fixtureBytes("adam.pt")) as Any;
    assertEqual(Object.keys(ck.optimizer), ["state", "paramGroups"], "top level");
    assertEqual(Object.keys(ck.optimizer.state), ["0", "1", "2", "3"], "param ids");
    assertEqual(Object.keys(ck.optimizer.state[0]), ["step", "expAvg", "expAvgSq", "maxExpAvgSq"], "state names");
    assertEqual(ck.optimizer.state[0].step, 3, "step is a number");
    assert(ck.optimizer.state[0].expAvg instanceof Float32Array, "expAvg is a Float32Array");
    const g = ck.optimizer.paramGroups[0];
    assertEqual(Object.keys(g), ["lr", "betas", "eps", "weightDecay", "amsgrad", "maximize", "decoupledWeightDecay", "initialLr", "params"], "group keys");
    assertEqual(g.betas, [0.9, 0.999], "betas (a tuple) as an array");
    assertEqual(ck.scheduler, { stepSize: 2, gamma: 0.5, baseLrs: [0.01], lastEpoch: 3, _stepCount: 4, _isInitial: false,
      _getLrCalledWithinStep: false, _lastLr: [E.adam.scheduler._last_lr[0]] }, "StepLR state dict in torchlet's names");
  },

  "torch.load: every dtype (float64/16, bfloat16 → float32; int64/32/16/8, uint8 → int32; bool; 0-d; empty)": () => {
    const d = torch.load(fixtureBytes("dtypes.pt")) as Record<string, Tensor>;
    for (const [k, rec] of Object.entries(E.dtypes as Record<string, Any>)) assertTensor(d[k], rec, k, true);
  },

  "torch.load: an int64 tensor with a value beyond int32 is refused, naming the tensor and the value": () => {
    let msg = "";
    try { torch.load(fixtureBytes("int64_too_big.pt")); } catch (e) { msg = (e as Error).message; }
    assert(/ids/.test(msg) && /1099511627776/.test(msg) && /int32/.test(msg), `message: ${msg}`);
  },

  "torch.load: nested containers (OrderedDict, dict, list, tuple, ints of every width, floats, str, bool, None, int keys)": () => {
    const c = torch.load(fixtureBytes("containers.pt")) as Any;
    const want = E.containers;
    for (const k of ["ordered", "plain", "tuple", "ints", "floats", "text"]) assertEqual(c[k], want[k], k);
    assertEqual(Object.keys(c.ordered), ["b", "a"], "OrderedDict order kept");
    assert(c.by_int instanceof Map, "a dict with int keys is a Map");
    assertEqual([...c.by_int.entries()], want.byInt, "int-keyed dict");
    assertEqual(Array.from(c.tensor_in_list[0].toArray()), want.tensorInList, "tensor in a list");
    assertEqual([c.empty_list, c.empty_dict], [[], {}], "empty containers");
  },

  "torch.load: views over one storage (offset, strides, transposed) and two tensors sharing it": () => {
    const v = torch.load(fixtureBytes("views.pt")) as Record<string, Tensor>;
    for (const [k, rec] of Object.entries(E.views as Record<string, Any>)) assertTensor(v[k], rec, k, true);
  },

  "torch.load: safetensors from the Python package, every dtype": () => {
    const t = torch.load(fixtureBytes("tensors.safetensors")) as Record<string, Tensor>;
    assertEqual(Object.keys(t).sort(), Object.keys(E.safetensors).sort(), "names");
    for (const [k, rec] of Object.entries(E.safetensors as Record<string, Any>)) assertTensor(t[k], rec, k, true);
  },
};
