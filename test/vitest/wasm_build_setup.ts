// Browser runs: TORCHLET_WASM from the runner's environment (vitest.config.ts defines it) as
// the global the bundle reads, set before the cases import the bundle.
declare const __TORCHLET_WASM__: string;
if (__TORCHLET_WASM__) (globalThis as { TORCHLET_WASM?: string }).TORCHLET_WASM = __TORCHLET_WASM__;
