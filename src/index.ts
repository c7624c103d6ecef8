// torchlet: PyTorch's training API for JavaScript runtimes.
export { Tensor, tensor, zeros, ones, full, zerosLike, onesLike, fullLike, emptyLike, isGradEnabled } from "./tensor.js";
export type { CreateOptions, TensorOptions, NestedArray, Operand, TypedArray } from "./tensor.js";
export type { DType } from "./dtype.js";
export { rand, randn, manualSeed } from "./random.js";
export { tidy, noGrad, enableGrad, memory } from "./scope.js";
export * from "./ops/functions.js";
export * as nn from "./nn/index.js";
export * as optim from "./optim/index.js";
export { save, load, saveSafetensors } from "./serialization/index.js";
