// The machine a run describes: CPU model, cores, Node and gcc versions, load.
import { readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";

function cpuModel() {
  try {
    const line = readFileSync("/proc/cpuinfo", "utf8").split("\n").find((l) => l.startsWith("model name"));
    if (line) return line.split(":")[1].trim();
  } catch { /* not Linux: fall back to what os reports */ }
  return cpus()[0]?.model ?? "unknown CPU";
}

export function machine(cBuild) {
  return {
    cpu: cpuModel(),
    cores: cpus().length,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    gcc: cBuild?.compiler ? `${cBuild.compiler}, ${cBuild.flags}` : null,
  };
}

export const loadNow = () => loadavg().map((x) => x.toFixed(2));
