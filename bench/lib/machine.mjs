// The machine a run describes: CPU model and vector extensions, cores, Node and gcc, load.
import { readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";

const VECTOR_FLAGS = ["sse4_2", "avx", "avx2", "fma", "avx512f"];

/** The CPU's model name and the vector extensions gcc's -march=native can use. */
function cpuInfo() {
  try {
    const lines = readFileSync("/proc/cpuinfo", "utf8").split("\n");
    const field = (name) => lines.find((l) => l.startsWith(name))?.split(":")[1].trim();
    const flags = new Set((field("flags") ?? "").split(" "));
    return { cpu: field("model name") ?? cpus()[0]?.model, vector: VECTOR_FLAGS.filter((f) => flags.has(f)) };
  } catch {
    return { cpu: cpus()[0]?.model ?? "unknown CPU", vector: [] }; // not Linux
  }
}

export function machine(cBuild) {
  const { cpu, vector } = cpuInfo();
  return {
    cpu,
    vector,
    cores: cpus().length,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    gcc: cBuild?.compiler ? `${cBuild.compiler}, ${cBuild.flags}` : null,
  };
}

export const loadNow = () => loadavg().map((x) => x.toFixed(2));
