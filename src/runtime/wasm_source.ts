// Where the kernels' wasm comes from, in the default build: both builds' bytes, embedded in
// the bundle as base64 by scripts/build.mjs (no fetch, no fs, nothing else to serve); only
// the one that runs is decoded. The edge build and the `torchlet/init` build replace this
// module (scripts/build.mjs): edge runtimes hand the .wasm to code as a compiled
// WebAssembly.Module, and init() takes one from the program.
import exactBase64 from "embedded-wasm:exact";
import relaxedBase64 from "embedded-wasm:relaxed";
import type { WasmBuild } from "./wasm_build.js";

// deno-lint-ignore no-explicit-any
type Any = any;

function decode(base64: string): Uint8Array {
  const Buffer = (globalThis as Any).Buffer;
  if (typeof Buffer?.from === "function") return Buffer.from(base64, "base64"); // Node: native
  const fromBase64 = (Uint8Array as Any).fromBase64;
  if (typeof fromBase64 === "function") return fromBase64(base64);
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export const RELAXED_BUNDLED = true;

export function wasmSource(build: WasmBuild): BufferSource | WebAssembly.Module {
  return decode(build === "relaxed" ? relaxedBase64 : exactBase64);
}
