// torchlet: PyTorch's training API for JavaScript runtimes.
export { Tensor, tensor, zeros, ones, full, zerosLike, onesLike, isGradEnabled } from "./tensor.js";
export type { CreateOptions, TensorOptions, NestedArray, Operand } from "./tensor.js";
export { rand, randn, manualSeed } from "./random.js";
export { tidy, noGrad, enableGrad, memory } from "./scope.js";
export * from "./ops/functions.js";
export * as nn from "./nn/index.js";
export * as optim from "./optim/index.js";
