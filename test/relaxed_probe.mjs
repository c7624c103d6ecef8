// A module that is valid only where WebAssembly has relaxed SIMD (the library carries its own
// copy, src/runtime/wasm_build.ts): for the test runner, vitest.config.ts and the cases.
// (module (func (param v128 v128 v128) (result v128) local.get 0..2 f32x4.relaxed_madd))
export const RELAXED_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 8, 1, 0x60, 3, 0x7b, 0x7b, 0x7b, 1, 0x7b,
  3, 2, 1, 0, 10, 13, 1, 11, 0, 0x20, 0, 0x20, 1, 0x20, 2, 0xfd, 0x85, 0x02, 0x0b]);
