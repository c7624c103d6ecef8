// torch.optim.swaUtils against PyTorch (test/fixtures/swa.json, written by
// test/golden/gen_schedulers.py): SWALR schedules (replayed like the lr schedulers), and
// AveragedModel over an nn.Linear(3, 2) whose weights are set explicitly before each
// updateParameters() call: the default equal-weight average (SWA), EMA through
// getEmaMultiAvgFn(0.9), and a custom avgFn.
import * as torch from "../../build/torchlet.js";
import fx from "../fixtures/swa.json" with { type: "json" };
import { assertClose, assertEqual, assertThrows } from "./assert.ts";
import { replay, type ScheduleCase } from "./schedulers.ts";

// deno-lint-ignore no-explicit-any
type Any = any;
const swa: Any = (torch.optim as Any).swaUtils;

interface AveragedCase {
  kind: "swa" | "ema" | "avgFn";
  steps: { weight: number[]; bias: number[]; nAveraged: number }[];
  forward: number[];
  stateDictKeys: string[];
}
const am = fx.averagedModel as unknown as {
  weight0: number[][];
  bias0: number[];
  updates: [number[][], number[]][];
  x: number[][];
  cases: AveragedCase[];
};

function linear(w: number[][], b: number[]): Any {
  const model = new torch.nn.Linear(3, 2);
  setWeights(model, w, b);
  return model;
}

function setWeights(model: Any, w: number[][], b: number[]): void {
  torch.noGrad(() => {
    model.weight.copy_(w.flat());
    model.bias.copy_(b);
  });
}

function averaged(kind: AveragedCase["kind"], model: Any): Any {
  if (kind === "swa") return new swa.AveragedModel(model);
  if (kind === "ema") return new swa.AveragedModel(model, { multiAvgFn: swa.getEmaMultiAvgFn(0.9) });
  // the fixture's avg_fn: (a + c) * 0.5 whatever the count
  return new swa.AveragedModel(model, { avgFn: (a: Any, c: Any) => a.add(c).mul(0.5) });
}

function averagedModelCase(c: AveragedCase): void {
  const model = linear(am.weight0, am.bias0);
  const avg = averaged(c.kind, model);
  // a deep copy: its own tensors, the model's values, nothing averaged yet
  if (avg.module.weight === model.weight) throw new Error("AveragedModel shares the model's weight tensor");
  assertClose(avg.module.weight.toArray(), am.weight0.flat(), `${c.kind}: copied weight`);
  assertEqual(avg.nAveraged.item(), 0, `${c.kind}: nAveraged before any update`);
  am.updates.forEach(([w, b], i) => {
    setWeights(model, w, b);
    avg.updateParameters(model);
    const want = c.steps[i];
    assertClose(avg.module.weight.toArray(), want.weight, `${c.kind} update ${i + 1}: weight`);
    assertClose(avg.module.bias.toArray(), want.bias, `${c.kind} update ${i + 1}: bias`);
    assertEqual(avg.nAveraged.item(), want.nAveraged, `${c.kind} update ${i + 1}: nAveraged`);
  });
  const y = torch.noGrad(() => avg.forward(torch.tensor(am.x)).toArray());
  assertClose(y, c.forward, `${c.kind}: forward`);
  assertEqual(Object.keys(avg.stateDict()).sort(), c.stateDictKeys, `${c.kind}: stateDict() keys`);
}

const swalr = (fx as unknown as { swalr: ScheduleCase[] }).swalr;

export const tests: Record<string, () => void | Promise<void>> = {
  ...Object.fromEntries(swalr.map((c) => [`schedule: ${c.name}`, () => replay(c)])),
  ...Object.fromEntries(am.cases.map((c) => [`AveragedModel: ${c.kind}`, () => averagedModelCase(c)])),

  "AveragedModel stateDict round trip continues identically": () => {
    const model = linear(am.weight0, am.bias0);
    const a = averaged("swa", model);
    const [first, second, ...rest] = am.updates;
    for (const [w, b] of [first, second]) {
      setWeights(model, w, b);
      a.updateParameters(model);
    }
    const b = averaged("swa", linear(am.weight0, am.bias0));
    b.loadStateDict(a.stateDict());
    assertEqual(b.nAveraged.item(), 2, "nAveraged restored");
    // PyTorch 2.13: list(AveragedModel(nn.Linear(2, 1)).state_dict()) and n_averaged's dtype (int64, int32 here)
    assertEqual(Object.keys(a.stateDict()), ["n_averaged", "module.weight", "module.bias"], "PyTorch's state dict keys");
    assertEqual(a.nAveraged.dtype, "int32", "n_averaged: an integer tensor");
    for (const [w, bias] of rest) {
      setWeights(model, w, bias);
      a.updateParameters(model);
      b.updateParameters(model);
    }
    assertClose(b.module.weight.toArray(), a.module.weight.toArray(), "weight", 0, 0);
    assertClose(b.module.bias.toArray(), a.module.bias.toArray(), "bias", 0, 0);
  },

  "AveragedModel errors": () => {
    const model = linear(am.weight0, am.bias0);
    assertThrows(() => swa.getEmaMultiAvgFn(1.5), /Invalid decay value 1.5 provided. Please provide a value in \[0,1\] range./);
    assertThrows(
      () => new swa.AveragedModel(model, { avgFn: (a: Any) => a, multiAvgFn: () => {} }),
      /Only one of avgFn and multiAvgFn should be provided/,
    );
    assertThrows(() => new swa.AveragedModel({ weight: 1 }), /AveragedModel: model must be an nn.Module, got an object/);
    assertThrows(() => new swa.AveragedModel(model, { avg_fn: () => 0 }), /AveragedModel: unknown option "avg_fn" \(did you mean "avgFn"\?\)/);
    const avg = new swa.AveragedModel(model);
    assertThrows(() => avg.updateParameters(new torch.nn.Linear(2, 2)), /do not match the averaged ones/);
    assertEqual(avg.nAveraged.item(), 0, "nothing averaged after the error");
  },
};
