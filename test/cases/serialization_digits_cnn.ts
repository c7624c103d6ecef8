// The digits CNN of examples/browser/model.js (Conv2d, BatchNorm2d, ReLU, MaxPool2d, Flatten,
// Linear) in checkpoints, both ways, on the first 32 images of data/digits.csv.gz
// (test/fixtures/checkpoints/digits_cnn.json, from test/golden/gen_checkpoints.py with
// PyTorch 2.13). PyTorch's Adam and SGD-momentum runs, each with a StepLR, saved after K steps
// load here and continue K more steps on PyTorch's trajectory, BatchNorm's running statistics
// and num_batches_tracked included; torchlet's own Adam run, which PyTorch loaded strictly and
// continued, continues here alike.
import * as torch from "../../build/torchlet.js";
import fx from "../fixtures/checkpoints/digits_cnn.json" with { type: "json" };
import {
  buildDigitsCnnCheckpoint, digitsBatch, digitsCnn, digitsCnnRun, DIGITS_CNN_RUNS, DIGITS_CNN_STEPS,
} from "../golden/digits_cnn_checkpoint.mjs";
import { assert, assertClose, assertEqual } from "./assert.ts";
import { fileBytes } from "./serialization_load.ts";
import { sameBytes } from "./serialization_written.ts";
import { expectedBuild } from "./wasm_build.ts";

// deno-lint-ignore no-explicit-any
type Any = any;
type Tensor = ReturnType<typeof torch.tensor>;
const F = fx as Any;
const E = F.expected;
const bytes = (name: string): Uint8Array => fileBytes(F.files, name, "digits_cnn.json");
const values = (t: Tensor): number[] => Array.from(t.toArray() as ArrayLike<number>);

/** A new CNN with the file's model, optimizer and StepLR loaded (strictly), ready to continue run `name`. */
function resume(ck: Any, name: string): { model: Any; run: Any } {
  const model = digitsCnn(torch);
  assertEqual(model.loadStateDict(ck.model), { missingKeys: [], unexpectedKeys: [] }, `${name}: strict load`);
  const run = digitsCnnRun(torch, name, model, digitsBatch(torch, E.batch));
  run.opt.loadStateDict(ck.optimizer);
  run.sched.loadStateDict(ck.scheduler);
  return { model, run };
}

/** K more steps: each step's loss, then every parameter and buffer, and the StepLR's rate, as PyTorch had them. */
function continueAsPyTorch(model: Any, run: Any, want: Any, what: string): void {
  want.losses.forEach((loss: number, i: number) => assertClose(run.step(), loss, `${what}: loss of continued step ${i + 1}`));
  const got = model.stateDict() as Record<string, Tensor>;
  assertEqual(Object.keys(got), Object.keys(want.final), `${what}: state dict keys`);
  for (const [k, v] of Object.entries(want.final as Record<string, number[]>)) {
    assertClose(values(got[k]), v, `${what}: ${k} after ${want.losses.length} more steps`);
  }
  assertClose(run.sched.getLastLr(), want.lastLr, `${what}: StepLR's rate`);
}

export const tests: Record<string, () => void> = {};

for (const [name, { optimizer, options }] of Object.entries(DIGITS_CNN_RUNS)) {
  tests[`torch.load: PyTorch's digits CNN with ${optimizer} ${JSON.stringify(options)} + StepLR after ${DIGITS_CNN_STEPS} steps ` +
    "continues on PyTorch's trajectory (losses, parameters, BatchNorm's running stats and num_batches_tracked)"] = () => {
    const ck = torch.load(bytes(`digits_cnn_${name}.pt`)) as Any;
    assertEqual(ck.epoch, F.K, "epoch");
    for (const bn of ["features.1", "features.5"]) {
      const count = ck.model[`${bn}.num_batches_tracked`];
      assertEqual([count.dtype, count.shape.length, count.item()], ["int32", 0, DIGITS_CNN_STEPS], `${bn}.num_batches_tracked (int64 in the file)`);
    }
    const { model, run } = resume(ck, name);
    // every parameter and buffer is the file's, exactly
    for (const [k, t] of Object.entries(model.stateDict() as Record<string, Tensor>)) assertEqual(values(t), values(ck.model[k]), `loaded ${k}`);
    assertEqual(run.opt.paramGroups[0].lr, E.runs[name].savedLr, "lr after the saved StepLR steps");
    continueAsPyTorch(model, run, E.runs[name], `${name} from PyTorch`);
  };
}

Object.assign(tests, {
  "torchlet's digits CNN checkpoint is what torch.save writes today (exact kernels: the same bytes; relaxed: the same values within tolerance)": () => {
    const committed = bytes("torchlet_written_cnn.pt");
    const fresh = buildDigitsCnnCheckpoint(torch, E.batch);
    if (expectedBuild().build === "exact") {
      sameBytes(fresh.bytes, committed, "torchlet_written_cnn.pt");
      return;
    }
    // fused multiply-adds move the convolutions' last bits, and so the file's values
    const [mine, theirs] = [torch.load(fresh.bytes) as Any, torch.load(committed) as Any];
    assertEqual(Object.keys(mine.model), Object.keys(theirs.model), "model keys");
    for (const [k, t] of Object.entries(theirs.model as Record<string, Tensor>)) assertClose(values(mine.model[k]), values(t), `model ${k}`);
    assertEqual(mine.optimizer.paramGroups, theirs.optimizer.paramGroups, "param groups");
    for (const [i, st] of Object.entries(theirs.optimizer.state as Record<string, Record<string, Any>>)) {
      assertEqual(Object.keys(mine.optimizer.state[i]), Object.keys(st), `state ${i} names`);
      for (const [n, v] of Object.entries(st)) assertClose(mine.optimizer.state[i][n], v, `state ${i} ${n}`);
    }
    assertEqual(mine.scheduler, theirs.scheduler, "scheduler");
  },

  "PyTorch loaded torchlet's digits CNN checkpoint strictly and continued; torchlet continues it alike": () => {
    const ck = torch.load(bytes("torchlet_written_cnn.pt")) as Any;
    assert(ck.model["features.5.running_var"] !== undefined, "BatchNorm's buffers are in the file");
    const { model, run } = resume(ck, "adam");
    continueAsPyTorch(model, run, E.fromTorchlet, "torchlet's file, continued by PyTorch");
  },
});
