// The edge build's wasm source (Cloudflare Workers, Vercel Edge: compiling wasm from bytes
// is disallowed there): the runtime compiles the package's .wasm file and hands it to the
// module importing it as a WebAssembly.Module. The specifier is kept as written in the
// output, next to which the build puts torchlet.wasm. Only the exact build: a Worker ships
// one module, which must load in every runtime.
import wasmModule from "./torchlet.wasm";

export const RELAXED_BUNDLED = false;

export function wasmSource(_build?: string): BufferSource | WebAssembly.Module {
  return wasmModule as unknown as WebAssembly.Module;
}
