// Instantiates the kernels from wasm_source.ts (embedded bytes in the default build, a
// compiled module in the edge and init builds). Top-level await makes the instance ready on
// import (Chromium refuses synchronous compilation of modules over 4 KB on the main thread).
import { wasmSource } from "./wasm_source.js";
import type { instantiate } from "../../build/kernels.js";

/**
 * The instance's exports (kernels, and the layout constants of the optimizer kernels' tables),
 * typed by the declarations asc generates from assembly/ (build/kernels.d.ts, written by
 * scripts/build.mjs): a kernel's signature is written once, in AssemblyScript.
 */
export type Kernels = Awaited<ReturnType<typeof instantiate>>;

// instantiate() gives an Instance for a Module, and { module, instance } for bytes
const made = (await WebAssembly.instantiate(wasmSource() as BufferSource, {})) as unknown as WebAssembly.WebAssemblyInstantiatedSource | WebAssembly.Instance;
const instance = made instanceof WebAssembly.Instance ? made : made.instance;
export const K = instance.exports as unknown as Kernels;
