// torch.save's files as PyTorch reads them. test/golden/gen_checkpoints.py loaded the
// committed torchlet_written.pt and torchlet_optim_<Name>.pt with torch.load(weights_only=True),
// checked that each optimizer state dict has exactly the structure PyTorch's own has (names,
// tensor shapes and dtypes, group options), loaded them into PyTorch (model strictly,
// optimizer, StepLR) and recorded how PyTorch continues. Here: torch.save still writes those
// exact bytes, and torchlet continuing its own run lands where PyTorch did. Also every
// optimizer's run saved by PyTorch (optim_<Name>.pt) loads here and continues on PyTorch's
// trajectory, and a save → load round trip through PyTorch's layout continues exactly.
import * as torch from "../../build/torchlet.js";
import fx from "../fixtures/checkpoints/checkpoints.json" with { type: "json" };
import {
  buildCheckpoint, buildOptimizerCheckpoints, buildSchedulerCheckpoint, optimizerData, optimizerRun, OPTIMIZERS, OPTIMIZER_STEPS,
  schedulerRun, SCHEDULERS, SCHEDULER_STEPS,
} from "../golden/torchlet_checkpoint.mjs";
import { assert, assertClose, assertEqual } from "./assert.ts";
import { fixtureBytes, TestNet } from "./serialization_load.ts";

// deno-lint-ignore no-explicit-any
type Any = any;
type Tensor = ReturnType<typeof torch.tensor>;
const E = (fx as Any).expected;

export function sameBytes(a: Uint8Array, b: Uint8Array, what: string): void {
  assertEqual(a.length, b.length, `${what}: length`);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) assert(false, `${what}: byte ${i} is ${a[i]}, PyTorch read ${b[i]}`);
}

function matchTrajectory(model: Any, step: () => void, want: Record<string, number[]>[], what: string, rtol = 1e-4): void {
  want.forEach((w, i) => {
    step();
    const got = model.stateDict() as Record<string, Tensor>;
    for (const [k, v] of Object.entries(w)) assertClose(got[k].toArray() as Float32Array, v, `${what}: step ${i + 1} ${k}`, 1e-5, rtol);
  });
}

function paramValues(model: Any): number[][] {
  return Object.values(model.stateDict() as Record<string, Tensor>).map((t) => Array.from(t.toArray() as Float32Array));
}

const tests: Record<string, () => void> = {
  "torch.save writes the bytes PyTorch read (TestNet, Adam amsgrad, StepLR, int/bool/0-d tensors, containers, bytes)": () => {
    const ck = buildCheckpoint(torch);
    sameBytes(ck.bytes, fixtureBytes("torchlet_written.pt"), "torchlet_written.pt");
    sameBytes(ck.safetensors, fixtureBytes("torchlet_written.safetensors"), "torchlet_written.safetensors");
  },

  "the run PyTorch continued from torchlet's checkpoint is the run torchlet continues": () => {
    const ck = buildCheckpoint(torch);
    matchTrajectory(ck.model, ck.step, E.fromTorchlet.continued, "TestNet + Adam + StepLR");
    assertClose(ck.sched.getLastLr(), E.fromTorchlet.lastLr, "StepLR lr");
  },

  "torch.load of torch.save: model, optimizer and scheduler come back as stateDict() gave them, and the run continues exactly": () => {
    const ck = buildCheckpoint(torch);
    const back = torch.load(ck.bytes) as Any;
    assertEqual(back.optimizer, ck.opt.stateDict(), "optimizer state dict");
    assertEqual(back.scheduler, ck.sched.stateDict(), "scheduler state dict");
    assertEqual(Object.keys(back.model), Object.keys(ck.model.stateDict()), "model keys");
    assertEqual(back.extras.nested, [1, -2, 2 ** 40, 0.1, "text", true, false, null, [[]], new Map([[0, "zero"], [7, "seven"]])], "containers");
    assertEqual(Array.from(back.extras.bytes), [0, 1, 254, 255], "bytes");
    assertEqual([back.extras.indices.dtype, Array.from(back.extras.indices.toArray())], ["int32", [0, 5, -3, 2147483647]], "int32 via int64");
    assertEqual([back.extras.mask.dtype, back.extras.scalar.shape.length, back.extras.scalar.item()], ["bool", 0, 2.5], "bool, 0-d");
    // a fresh model, optimizer and scheduler from the file continue as the original does
    const model = new TestNet();
    model.loadStateDict(back.model);
    const opt = new torch.optim.Adam(model.parameters(), { lr: 0.01, amsgrad: true });
    const sched = new torch.optim.lrScheduler.StepLR(opt, { stepSize: 2, gamma: 0.5 });
    opt.loadStateDict(back.optimizer);
    sched.loadStateDict(back.scheduler);
    const lossFn = new torch.nn.MSELoss();
    for (let i = 0; i < 3; i++) {
      ck.step();
      opt.zeroGrad();
      lossFn.forward(model.forward(back.data.x), back.data.y).backward();
      opt.step();
      sched.step();
      assertEqual(paramValues(model), paramValues(ck.model), `resumed step ${i + 1}`);
    }
  },

  "safetensors: torch.load reads saveSafetensors' file back (int32 via I64, bool, names)": () => {
    const ck = buildCheckpoint(torch);
    const back = torch.load(ck.safetensors) as Record<string, Tensor>;
    for (const [k, t] of Object.entries(ck.model.stateDict() as Record<string, Tensor>)) {
      assertEqual(Array.from(back[k].toArray()), Array.from(t.toArray()), k);
      assertEqual(back[k].shape.slice(), t.shape.slice(), `${k} shape`);
    }
    assertEqual(Array.from(back.indices.toArray()), [0, 5, -3, 2147483647], "indices");
    assertEqual(back.mask.dtype, "bool", "mask dtype");
  },
};

for (const name of Object.keys(OPTIMIZERS)) {
  const rtol = name === "LBFGS" ? 2e-2 : 1e-4; // LBFGS's line search amplifies rounding (see the project's tolerance notes)
  tests[`${name}: torch.save writes the file PyTorch loaded (its own layout, name for name) and continued from; torchlet continues alike`] = () => {
    const { runs } = buildOptimizerCheckpoints(torch);
    sameBytes(runs[name].bytes, fixtureBytes(`torchlet_optim_${name}.pt`), `torchlet_optim_${name}.pt`);
    matchTrajectory(runs[name].model, runs[name].step, E.optimizers[name].fromTorchlet, `${name} continued`, rtol);
  };
  tests[`${name}: PyTorch's state dict after ${OPTIMIZER_STEPS} steps goes into loadStateDict and continues on PyTorch's trajectory`] = () => {
    const ck = torch.load(fixtureBytes(`optim_${name}.pt`)) as Any;
    const model = new torch.nn.Linear(3, 2);
    model.loadStateDict(ck.model);
    const { opt, step } = optimizerRun(torch, name, model, optimizerData(torch));
    opt.loadStateDict(ck.optimizer);
    matchTrajectory(model, step, E.optimizers[name].continued, `${name} from PyTorch`, rtol);
  };
  tests[`${name}: save → load through PyTorch's layout into a fresh optimizer continues exactly (===)`] = () => {
    const { runs, data } = buildOptimizerCheckpoints(torch);
    const run = runs[name];
    const back = torch.load(run.bytes) as Any;
    assertEqual(back.optimizer, run.opt.stateDict(), `${name} state dict through the file`);
    const model = new torch.nn.Linear(3, 2);
    model.loadStateDict(back.model);
    const twin = optimizerRun(torch, name, model, data);
    twin.opt.loadStateDict(back.optimizer);
    for (let i = 0; i < OPTIMIZER_STEPS; i++) {
      run.step();
      twin.step();
      assertEqual(paramValues(model), paramValues(run.model), `${name} resumed step ${i + 1}`);
    }
  };
}

tests["schedulers: torch.save writes the file whose scheduler state dicts PyTorch loaded (its own keys, nested ones too)"] = () => {
  sameBytes(buildSchedulerCheckpoint(torch).bytes, fixtureBytes("torchlet_schedulers.pt"), "torchlet_schedulers.pt");
};

for (const name of Object.keys(SCHEDULERS)) {
  const check = (run: Any, want: number[][], what: string): void => {
    want.forEach((w, k) => {
      const i = SCHEDULER_STEPS + k + 1;
      run.step(i);
      assertClose(run.read(), w, `${name} ${what}: lr and momentum after step ${i}`, 1e-12, 1e-12);
    });
  };
  tests[`${name}: PyTorch continued from torchlet's state dict as torchlet continues`] = () => {
    const run = schedulerRun(torch, name);
    for (let i = 1; i <= SCHEDULER_STEPS; i++) run.step(i);
    check(run, E.schedulers[name].fromTorchlet, "from torchlet's file");
  };
  tests[`${name}: PyTorch's state dict loads (into loadStateDict's strict check) and continues on PyTorch's trajectory`] = () => {
    const ck = (torch.load(fixtureBytes("schedulers.pt")) as Any)[name];
    const run = schedulerRun(torch, name);
    run.opt.loadStateDict(ck.optimizer);
    run.sched.loadStateDict(ck.scheduler);
    check(run, E.schedulers[name].continued, "from PyTorch's file");
  };
}

export { tests };
