// The `torchlet/init` build's wasm source: whatever the program gave init(). The library's
// modules are imported only after that (entries/init.ts), so nothing reads the kernels early.
let source: BufferSource | WebAssembly.Module | null = null;

export function provideWasm(s: BufferSource | WebAssembly.Module): void {
  source = s;
}

export const RELAXED_BUNDLED = false;

export function wasmSource(_build?: string): BufferSource | WebAssembly.Module {
  if (source === null) throw new Error("torchlet: call `await torch.init(wasm)` (torchlet/init) before using the library");
  return source;
}
