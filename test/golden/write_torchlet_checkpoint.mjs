// Writes test/fixtures/checkpoints/torchlet_written.{pt,safetensors,json} from the built
// bundle (npm run build first). gen_checkpoints.py runs this, then reads the files in PyTorch.
import { writeFileSync } from "node:fs";
import * as torch from "../../build/torchlet.js";
import { buildCheckpoint, buildOptimizerCheckpoints, buildSchedulerCheckpoint, expectedValues, optimizerExpected, SCHEDULERS, SCHEDULER_STEPS } from "./torchlet_checkpoint.mjs";

const dir = new URL("../fixtures/checkpoints/", import.meta.url);
const ck = buildCheckpoint(torch);
writeFileSync(new URL("torchlet_written.pt", dir), ck.bytes);
writeFileSync(new URL("torchlet_written.safetensors", dir), ck.safetensors);
const optimizers = buildOptimizerCheckpoints(torch);
for (const [name, run] of Object.entries(optimizers.runs)) writeFileSync(new URL(`torchlet_optim_${name}.pt`, dir), run.bytes);
writeFileSync(new URL("torchlet_schedulers.pt", dir), buildSchedulerCheckpoint(torch).bytes);
writeFileSync(new URL("torchlet_written.json", dir), JSON.stringify({
  ...expectedValues(ck), optimizers: optimizerExpected(torch, optimizers), schedulers: { specs: SCHEDULERS, steps: SCHEDULER_STEPS },
}) + "\n");
console.log(`wrote torchlet_written.pt (${ck.bytes.length} bytes), .safetensors (${ck.safetensors.length} bytes), .json`);
