// Instantiates the embedded kernels. The bytes are inlined by esbuild, so importing the
// bundle is enough in every runtime; top-level await makes the instance ready on import
// (Chromium refuses synchronous compilation of modules over 4 KB on the main thread).
import wasmBytes from "../../build/torchlet.wasm";
import type { instantiate } from "../../build/kernels.js";

/**
 * The instance's exports (kernels, and the layout constants of the optimizer kernels' tables),
 * typed by the declarations asc generates from assembly/ (build/kernels.d.ts, written by
 * scripts/build.mjs): a kernel's signature is written once, in AssemblyScript.
 */
export type Kernels = Awaited<ReturnType<typeof instantiate>>;

const { instance } = (await WebAssembly.instantiate(wasmBytes, {})) as unknown as WebAssembly.WebAssemblyInstantiatedSource;
export const K = instance.exports as unknown as Kernels;
