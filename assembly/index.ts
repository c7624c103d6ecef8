// The wasm module's exports: kernels over raw pointers. The host owns all memory above
// __heap_base (this module allocates nothing).
export { binary, binaryFlat, sumToStrided, sumRow } from "./elementwise";
export { unary, unaryBackward } from "./unary";
export { sumDim, expandDim, dot } from "./reduce";
export { matmul } from "./matmul";
export { crossEntropy, crossEntropyBackward, bceWithLogits, bceWithLogitsBackward } from "./loss";

export function heapBase(): usize { return __heap_base; }
