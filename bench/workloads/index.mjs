// Every workload run.mjs times, in table order. A workload names its module (which exports
// setup(w, side, lib) → the timed call, and check(w, side, lib) → named arrays of numbers
// compared across sides), the sides that run it and its targets.
import { workloads as optim } from "./optim.mjs";
import { workloads as matmul } from "./matmul.mjs";
import { workloads as train } from "./train.mjs";
import { workloads as cnn } from "./cnn.mjs";
import { workloads as cold } from "./cold.mjs";

export const WORKLOADS = [...optim, ...matmul, ...train, ...cnn, ...cold];
export const GROUPS = [...new Set(WORKLOADS.map((w) => w.group))];

export function findWorkload(id) {
  const w = WORKLOADS.find((x) => x.id === id);
  if (!w) throw new Error(`unknown workload ${JSON.stringify(id)}; known: ${WORKLOADS.map((x) => x.id).join(", ")}`);
  return w;
}
