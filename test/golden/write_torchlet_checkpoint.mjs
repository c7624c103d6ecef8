// Writes test/fixtures/checkpoints/torchlet_written.{pt,safetensors,json} from the built
// bundle (npm run build first), and torchlet_written_cnn.{pt,json}: the digits CNN's Adam run
// on the first images of data/digits.csv.gz. gen_checkpoints.py runs this (with the exact
// kernel build, TORCHLET_WASM=exact, whose results every runtime repeats bit for bit), then
// reads the files in PyTorch.
import { readFileSync, writeFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import * as torch from "../../build/torchlet.js";
import { buildCheckpoint, buildOptimizerCheckpoints, buildSchedulerCheckpoint, expectedValues, optimizerExpected, SCHEDULERS, SCHEDULER_STEPS } from "./torchlet_checkpoint.mjs";
import { buildDigitsCnnCheckpoint, digitsCnnExpected, DIGITS_CNN_IMAGES } from "./digits_cnn_checkpoint.mjs";

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

// the first DIGITS_CNN_IMAGES rows: 64 pixels (0–16, as x / 16) and the digit
const rows = gunzipSync(readFileSync(new URL("../../data/digits.csv.gz", import.meta.url))).toString("utf8").trim().split("\n")
  .slice(0, DIGITS_CNN_IMAGES).map((line) => line.split(",").map(Number));
const batch = { x: rows.flatMap((r) => r.slice(0, 64).map((v) => v / 16)), y: rows.map((r) => r[64]) };
const cnn = buildDigitsCnnCheckpoint(torch, batch);
writeFileSync(new URL("torchlet_written_cnn.pt", dir), cnn.bytes);
writeFileSync(new URL("torchlet_written_cnn.json", dir), JSON.stringify(digitsCnnExpected(cnn, batch)) + "\n");
console.log(`wrote torchlet_written.pt (${ck.bytes.length} bytes), .safetensors (${ck.safetensors.length} bytes), .json; ` +
  `torchlet_written_cnn.pt (${cnn.bytes.length} bytes), .json`);
