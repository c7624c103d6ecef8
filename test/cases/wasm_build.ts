// Which kernel build ran, told by its arithmetic: the relaxed build fuses the multiply-adds
// of large matrix products (one rounding per step), the exact build rounds the product and
// then the sum. The test runner runs the suite once per build (TORCHLET_WASM=exact, then
// relaxed where the runtime has relaxed SIMD) and this case prints which one this run used.
import * as torch from "../../build/torchlet.js";
import { assertEqual } from "./assert.ts";
import { RELAXED_PROBE } from "../relaxed_probe.mjs";

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
    const M = 32, K = 64, N = 32; // large enough for the packed product
    const a = Float32Array.from({ length: M * K }, (_, i) => Math.sin(i * 1.7));
    const b = Float32Array.from({ length: K * N }, (_, i) => Math.cos(i * 0.3));
    const c = torch.tensor(a, { shape: [M, K] }).matmul(torch.tensor(b, { shape: [K, N] })).toArray();
    let rounded = 0, fused = 0;
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let r = 0, f = 0;
        for (let k = 0; k < K; k++) {
          const x = a[i * K + k], y = b[k * N + j];
          r = Math.fround(r + Math.fround(x * y));
          f = Math.fround(f + x * y); // x·y is exact in a double: one rounding, as an FMA's
        }
        if (r === c[i * N + j]) rounded++;
        if (f === c[i * N + j]) fused++;
      }
    }
    const ran = rounded === M * N ? "exact" : fused === M * N ? "relaxed" : `neither (${rounded} rounded, ${fused} fused of ${M * N})`;
    const { build, supported } = expectedBuild();
    console.log(`torchlet kernels: the ${ran} build ran (asked: ${build}; relaxed SIMD ${supported ? "supported" : "not supported"} here)`);
    assertEqual(ran, build, "the build that ran");
  },
};
