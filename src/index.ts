// torchlet: PyTorch's training API for JavaScript runtimes.
export { Tensor, tensor, zeros, ones, full, zerosLike, onesLike, fullLike, emptyLike, isGradEnabled } from "./tensor.js";
export type { CreateOptions, TensorOptions, NestedArray, Operand, TypedArray } from "./tensor.js";
export type { DType } from "./dtype.js";
export * from "./ops/creation.js";
export { tidy, noGrad, enableGrad, memory } from "./scope.js";
export * as autograd from "./autograd_api.js";
export * from "./ops/functions.js";
export * from "./ops/reductions.js";
export * from "./ops/math.js";
export * from "./ops/compare.js";
export * as nn from "./nn/index.js";
export * as optim from "./optim/index.js";
export * from "./ops/indexing_api.js";
export { save, load, saveSafetensors } from "./serialization/index.js";
export * as utils from "./utils/index.js";
