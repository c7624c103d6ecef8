// Which kernel build runs: "relaxed" (asc --enable relaxed-simd: the large matrix products,
// and so the convolutions, use fused multiply-adds) where the runtime validates relaxed SIMD
// and the bundle carries that build, else "exact" (plain SIMD; every result PyTorch's within
// the test tolerance, bit for bit the same in every runtime). Node 22+, Deno, Chromium and
// Firefox have relaxed SIMD; Node 20 (without --experimental-wasm-relaxed-simd) and Safari
// do not. TORCHLET_WASM=exact (a global, or the environment variable where the runtime
// lets code read it) asks for the exact build; the test runner runs the suite once per build.
export type WasmBuild = "exact" | "relaxed";

// (module (func (param v128 v128 v128) (result v128) local.get 0..2 f32x4.relaxed_madd))
const RELAXED_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 8, 1, 0x60, 3, 0x7b, 0x7b, 0x7b, 1, 0x7b,
  3, 2, 1, 0, 10, 13, 1, 11, 0, 0x20, 0, 0x20, 1, 0x20, 2, 0xfd, 0x85, 0x02, 0x0b]);

/** Whether this runtime's WebAssembly has relaxed SIMD. */
export function relaxedSimdSupported(): boolean {
  return WebAssembly.validate(RELAXED_PROBE);
}

// deno-lint-ignore no-explicit-any
type Any = any;

/** TORCHLET_WASM as set: a global first, then the environment (Deno: only when readable without a prompt). */
function requested(): unknown {
  const g = globalThis as Any;
  if (g.TORCHLET_WASM !== undefined) return g.TORCHLET_WASM;
  if (g.Deno !== undefined) {
    const readable = g.Deno.permissions?.querySync?.({ name: "env", variable: "TORCHLET_WASM" })?.state === "granted";
    return readable ? g.Deno.env.get("TORCHLET_WASM") : undefined;
  }
  return g.process?.env?.TORCHLET_WASM;
}

/** The build to run, for a bundle that carries both (the edge and init builds run what they are given). */
export function chooseBuild(): WasmBuild {
  const asked = requested();
  if (asked !== undefined && asked !== "" && asked !== "exact" && asked !== "relaxed") {
    throw new Error(`torchlet: TORCHLET_WASM must be "exact" or "relaxed" (or unset: relaxed where supported), got ${JSON.stringify(asked)}`);
  }
  // "relaxed" is the default: a child process that inherits it from a relaxed test run
  // but not V8's flag (Node 20) runs the exact build rather than failing to load
  return asked !== "exact" && relaxedSimdSupported() ? "relaxed" : "exact";
}
