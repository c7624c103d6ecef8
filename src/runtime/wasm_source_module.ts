// The edge build's wasm source (Cloudflare Workers, Vercel Edge: compiling wasm from bytes
// is disallowed there): the runtime compiles the package's .wasm file and hands it to the
// module importing it as a WebAssembly.Module. The specifier is kept as written in the
// output, next to which the build puts torchlet.wasm.
import wasmModule from "./torchlet.wasm";

export function wasmSource(): BufferSource | WebAssembly.Module {
  return wasmModule as unknown as WebAssembly.Module;
}
