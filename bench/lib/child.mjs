// One competitor on one workload, in a process of its own (a non-shared memory.grow in one
// process slows every typed-array loop in it, so no side shares a process with another).
// Usage: node child.mjs WORKLOAD SIDE MODE OPTIONS_JSON
//   MODE "check": print the workload's check values (computed from fresh state)
//   MODE "time":  print per-call milliseconds of timed batches (OPTIONS: measure()'s)
// The result is the stdout line starting with "BENCH_RESULT ".
import { findWorkload } from "../workloads/index.mjs";
import { loadSide } from "./sides.mjs";
import { measure } from "./measure.mjs";

const [id, side, mode, optionsJson] = process.argv.slice(2);
const w = findWorkload(id);
const lib = await loadSide(side);
const mod = await import(`../workloads/${w.module}`);
const result = {};

if (mode === "check") {
  result.check = mod.check(w, side, lib);
} else if (mode === "time") {
  const step = mod.setup(w, side, lib);
  Object.assign(result, measure(step, JSON.parse(optionsJson)));
  if (side.startsWith("tfjs")) {
    // A tfjs call that leaves tensors behind would be timing its leak, not its work.
    const n0 = lib.memory().numTensors;
    step();
    const leaked = lib.memory().numTensors - n0;
    if (leaked !== 0) throw new Error(`${side} leaves ${leaked} tensors per call on ${id}`);
  }
} else {
  throw new Error(`mode must be "check" or "time", got ${JSON.stringify(mode)}`);
}
console.log("BENCH_RESULT " + JSON.stringify(result));
