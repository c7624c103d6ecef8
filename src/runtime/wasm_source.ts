// Where the kernels' wasm comes from, in the default build: its bytes, embedded in the
// bundle by esbuild (no fetch, no fs, nothing else to serve). The edge build and the
// `torchlet/init` build replace this module (scripts/build.mjs): edge runtimes hand the
// .wasm to code as a compiled WebAssembly.Module, and init() takes one from the program.
import wasmBytes from "../../build/torchlet.wasm";

export function wasmSource(): BufferSource | WebAssembly.Module {
  return wasmBytes;
}
