// Which kernel build ran, told by its arithmetic: the relaxed build fuses the multiply-adds
// of large matrix products (one rounding per step), the exact build rounds the product and
// then the sum. The test runner runs the suite once per build (TORCHLET_WASM=exact, then
// relaxed where the runtime has relaxed SIMD) and this case prints which one this run used.
import * as torch from "../../build/torchlet.js";
import { assertEqual } from "./assert.ts";
import { RELAXED_PROBE } from "../relaxed_probe.mjs";
import { kernelBuildThatRan } from "../kernel_build_ran.mjs";

// deno-lint-ignore no-explicit-any
type Any = any;


/** The build this run should use: TORCHLET_WASM as the runner set it, else relaxed where supported. */
export function expectedBuild(): { build: string; supported: boolean } {
  const g = globalThis as Any;
  const supported = WebAssembly.validate(RELAXED_PROBE);
  let asked = g.TORCHLET_WASM;
  if (asked === undefined && g.Deno !== undefined) {
    const readable = g.Deno.permissions.querySync({ name: "env", variable: "TORCHLET_WASM" }).state === "granted";
    asked = readable ? g.Deno.env.get("TORCHLET_WASM") : undefined;
  } else if (asked === undefined) asked = g.process?.env?.TORCHLET_WASM;
  return { build: asked || (supported ? "relaxed" : "exact"), supported };
}

export const tests: Record<string, () => void> = {
  "the kernel build in use is the one asked for (exact: rounded products; relaxed: fused multiply-adds)": () => {
    const { ran: which, rounded, fused, total } = kernelBuildThatRan(torch);
    const ran = which ?? `neither (${rounded} rounded, ${fused} fused of ${total})`;
    const { build, supported } = expectedBuild();
    console.log(`torchlet kernels: the ${ran} build ran (asked: ${build}; relaxed SIMD ${supported ? "supported" : "not supported"} here)`);
    assertEqual(ran, build, "the build that ran");
  },
};
