// The wasm module's exports: kernels over raw pointers. The host owns all memory above
// __heap_base (this module allocates nothing).
export { binary, binaryFlat, sumToStrided, sumRow } from "./elementwise";
export { unary, unaryBackward } from "./unary";
export { sumDim, expandDim, dot } from "./reduce";
export { matmul } from "./matmul";
export { crossEntropy, crossEntropyBackward, bceWithLogits, bceWithLogitsBackward, mse, mseBackward } from "./loss";

export function heapBase(): usize { return __heap_base; }

// Fused optimizer steps: each kernel file exports its step function and the constants of its
// table row and flags (read by the host from these exports); one line per optimizer family.
export { ROW_NUMEL, ROW_PARAM, ROW_GRAD, MAXIMIZE, WEIGHT_DECAY } from "./optim/table";
export * from "./optim/sgd";
export * from "./optim/adam";
export * from "./optim/adamax";
export * from "./optim/nadam";
export * from "./optim/radam";
export * from "./optim/adadelta";
export * from "./optim/adagrad";
export * from "./optim/asgd";
export * from "./optim/rmsprop";
export * from "./optim/rprop";
export { axpy } from "./optim/lbfgs";
export { normAccum, clampInPlace } from "./optim/clip_grad";
