declare module "*.wasm" {
  const bytes: Uint8Array;
  export default bytes;
}
// The default build's embedded kernels, as base64 (scripts/build.mjs).
declare module "embedded-wasm:*" {
  const base64: string;
  export default base64;
}
