// Instantiates the kernels from wasm_source.ts: in the default build, the embedded bytes of
// the build wasm_build.ts chooses; in the edge and init builds, the module the runtime or the
// program supplies. Top-level await makes the instance ready on import (Chromium refuses
// synchronous compilation of modules over 4 KB on the main thread).
import { wasmSource, RELAXED_BUNDLED } from "./wasm_source.js";
import { chooseBuild } from "./wasm_build.js";
import type { instantiate } from "../../build/kernels.js";

/**
 * The instance's exports (kernels, and the layout constants of the optimizer kernels' tables),
 * typed by the declarations asc generates from assembly/ (build/kernels.d.ts, written by
 * scripts/build.mjs): a kernel's signature is written once, in AssemblyScript.
 */
export type Kernels = Awaited<ReturnType<typeof instantiate>>;

// instantiate() gives an Instance for a Module, and { module, instance } for bytes
const source = RELAXED_BUNDLED ? wasmSource(chooseBuild()) : wasmSource("exact");
const made = (await WebAssembly.instantiate(source as BufferSource, {})) as unknown as WebAssembly.WebAssemblyInstantiatedSource | WebAssembly.Instance;
const instance = made instanceof WebAssembly.Instance ? made : made.instance;
export const K = instance.exports as unknown as Kernels;
