// Starting the competitors' processes: a Node child per side and workload (bench/lib/child.mjs),
// a fresh process per cold start (bench/lib/cold_import.mjs), and bench/c's binary.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { TORCHLET_BUNDLE, tfjsWasmDir } from "./sides.mjs";
import { childLaunch } from "./kernel_builds.mjs";

const CHILD = fileURLToPath(new URL("child.mjs", import.meta.url));
const COLD = fileURLToPath(new URL("cold_import.mjs", import.meta.url));
const COLD_WORKERD = fileURLToPath(new URL("cold_workerd.mjs", import.meta.url));
const EDGE_BUNDLE = fileURLToPath(new URL("../../build/torchlet-edge.js", import.meta.url));
const WASM = fileURLToPath(new URL("../../build/torchlet.wasm", import.meta.url));
const C_DIR = fileURLToPath(new URL("../c/", import.meta.url));
const C_OUT = fileURLToPath(new URL("../.cache/", import.meta.url));
const TIMEOUT_MS = 15 * 60 * 1000;

/** Flags for the C ceiling. -fno-math-errno changes no result (sqrt of v ≥ 0 never sets
 *  errno); without it gcc calls libm's sqrtf per element and cannot vectorise the loop. */
export const C_FLAGS = ["-O3", "-march=native", "-fno-math-errno"];

/** Runs a command; returns the parsed BENCH_RESULT line, or throws with its stderr's tail. */
function run(cmd, args, what, env = process.env) {
  const r = spawnSync(cmd, args, { encoding: "utf8", timeout: TIMEOUT_MS, maxBuffer: 64 << 20, env });
  const line = (r.stdout ?? "").split("\n").find((l) => l.startsWith("BENCH_RESULT "));
  if (r.status === 0 && line) return JSON.parse(line.slice("BENCH_RESULT ".length));
  const lines = (r.stderr || r.stdout || "").split("\n").filter((l) => /\S/.test(l));
  const why = r.error?.message ?? lines.find((l) => /^\w*Error\b/.test(l)) ?? lines.slice(-3).join(" | ");
  throw new Error(`${what}: ${r.signal ? `killed by ${r.signal}` : `exit ${r.status}`}: ${why}`);
}

/** A Node child running a script for a side, started as the side's kernel build needs. */
function runNode(side, args, what) {
  const { nodeFlags, env } = childLaunch(side);
  return run(process.execPath, [...nodeFlags, ...args], what, env);
}

export function runNodeChild(workloadId, side, mode, options = {}) {
  return runNode(side, [CHILD, workloadId, side, mode, JSON.stringify(options)], `${workloadId} on ${side} (${mode})`);
}

export function runColdImport(side) {
  return runNode(side, [COLD, side, pathToFileURL(TORCHLET_BUNDLE).href, tfjsWasmDir()], `cold import of ${side}`);
}

/** One cold start in workerd minus an empty Worker's; `k` alternates which starts first. */
export function runColdWorkerd(k) {
  return run(process.execPath, [COLD_WORKERD, EDGE_BUNDLE, WASM, String(k % 2)], "cold start in workerd");
}

/** Compiles bench/c/PROGRAM.c; returns { binary } or { skipped: reason }. */
export function buildC(program) {
  const version = spawnSync("gcc", ["--version"], { encoding: "utf8" });
  if (version.error || version.status !== 0) return { skipped: "no gcc on this machine" };
  mkdirSync(C_OUT, { recursive: true });
  const binary = `${C_OUT}${program}`;
  const r = spawnSync("gcc", [...C_FLAGS, "-o", binary, `${C_DIR}${program}.c`, "-lm"], { encoding: "utf8" });
  if (r.status !== 0 || !existsSync(binary)) return { skipped: `gcc failed: ${(r.stderr || "").trim().split("\n")[0]}` };
  return { binary, compiler: version.stdout.split("\n")[0], flags: C_FLAGS.join(" ") };
}

/** bench/c's binary for a workload: check values, or per-step milliseconds. */
export function runC(binary, w, mode, o = {}) {
  const args = mode === "check"
    ? [...w.c.args, 0, 0, 1, 3]
    : [...w.c.args, o.warmupMs, o.sampleMs, o.samples, 0];
  const out = run(binary, args.map(String), `${w.id} in C (${mode})`);
  return mode === "check" ? { check: { "param change": out.check } } : { ms: out.ms, inner: out.inner };
}

/** Imports the built bundle once in a child: a missing or broken build fails here, first. */
export function probeTorchlet() {
  const src = `const t = await import(${JSON.stringify(pathToFileURL(TORCHLET_BUNDLE).href)});
console.log("BENCH_RESULT " + JSON.stringify({ ok: typeof t.tensor === "function" }));`;
  return run(process.execPath, ["--input-type=module", "-e", src], "probing build/torchlet.js");
}
