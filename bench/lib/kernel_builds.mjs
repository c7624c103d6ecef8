// Which of torchlet's two kernel builds (README, "Two kernel builds") a side runs. The
// `torchlet` side runs the exact build, forced by TORCHLET_WASM=exact: where the runtime has
// relaxed SIMD by default (Node 22+) torchlet would otherwise choose the relaxed build, and
// the two columns must still mean exact against relaxed. The `torchlet-relaxed` side runs
// the relaxed build: TORCHLET_WASM unset, and Node started with V8's flag where this Node
// needs it (Node 20). Each torchlet child checks that the build that ran is its side's.
import { spawnSync } from "node:child_process";
import { RELAXED_PROBE } from "../../test/relaxed_probe.mjs";
import { kernelBuildThatRan } from "../../test/kernel_build_ran.mjs";

export const RELAXED_SIDE = "torchlet-relaxed";
export const BUILD_OF_SIDE = { torchlet: "exact", [RELAXED_SIDE]: "relaxed" };
const RELAXED_FLAG = "--experimental-wasm-relaxed-simd";

let support;
/**
 * How a relaxed child starts: { nodeFlags } (none where this Node has relaxed SIMD by
 * default), or { skipped: reason } where this Node has none, not even with the flag.
 */
export function relaxedSimdSupport() {
  return (support ??= probeRelaxedSimd());
}

function probeRelaxedSimd() {
  if (WebAssembly.validate(RELAXED_PROBE)) return { nodeFlags: [] };
  const probe = `console.log(WebAssembly.validate(new Uint8Array(${JSON.stringify([...RELAXED_PROBE])})))`;
  const r = spawnSync(process.execPath, [RELAXED_FLAG, "-e", probe], { encoding: "utf8" });
  if (r.status !== 0) {
    const why = (r.error?.message ?? r.stderr ?? "").trim().split("\n")[0];
    return { skipped: `Node ${process.version} refuses ${RELAXED_FLAG} (${why})` };
  }
  if (r.stdout.trim() !== "true") return { skipped: `Node ${process.version} has no relaxed SIMD, not even with ${RELAXED_FLAG}` };
  return { nodeFlags: [RELAXED_FLAG] };
}

/** Node flags and environment of a child running `side` (not torchlet: as this process's). */
export function childLaunch(side) {
  const build = BUILD_OF_SIDE[side];
  if (!build) return { nodeFlags: [], env: process.env };
  const { TORCHLET_WASM: _, ...env } = process.env;
  if (build === "exact") return { nodeFlags: [], env: { ...env, TORCHLET_WASM: "exact" } };
  const { nodeFlags, skipped } = relaxedSimdSupport();
  if (skipped) throw new Error(`${side}: ${skipped}`);
  return { nodeFlags, env };
}

/** Throws unless the kernel build that runs in this process is `build`. */
export function assertKernelBuild(torch, build) {
  const { ran, rounded, fused, total } = kernelBuildThatRan(torch);
  if (ran === build) return;
  const seen = ran
    ? `the ${ran} build's sums${ran === "exact" ? " (the exact build ran, or this CPU has no FMA for relaxed_madd)" : ""}`
    : `neither build's sums (${rounded} rounded, ${fused} fused of ${total})`;
  throw new Error(`torchlet: asked for the ${build} kernel build, its matmul gives ${seen}`);
}
