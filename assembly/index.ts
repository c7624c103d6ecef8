// The wasm module's exports: kernels over raw pointers. The host owns all memory above
// __heap_base (this module allocates nothing).
export { binary, binaryFlat, sumToStrided, sumRow } from "./elementwise";
export { unary, unaryBackward } from "./unary";
export { sumDim, expandDim, dot } from "./reduce";
export { matmul } from "./matmul";
export { crossEntropy, crossEntropyBackward, bceWithLogits, bceWithLogitsBackward, mse, mseBackward, nll, nllBackward, pointwiseLoss, pointwiseLossBackward } from "./loss";

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
export * from "./optim/adafactor";
export * from "./optim/muon";
export * from "./optim/lion";
export * from "./optim/lamb";
export * from "./optim/schedule_free";
export { axpy } from "./optim/lbfgs";
export { normAccum, clampInPlace } from "./optim/clip_grad";

// Layout and dtype kernels: strided copies, casts, int32 arithmetic.
export { stridedCopy, cast, binaryInt, anyNaN } from "./copy";

// Convolution (im2col + matmul), pooling and normalisation, forward and backward.
export { conv2dForward, conv2dBackward } from "./conv";
export { maxPool2dForward, maxPool2dBackward, avgPool2dForward, avgPool2dBackward, adaptiveAvgPool2d } from "./pool";
export { layerNormForward, layerNormBackward, batchNormForward, batchNormBackward } from "./normalization";
export { activation, activationBackward } from "./activation";
export { embeddingForward, embeddingBackward } from "./embedding";

// Indexing: advanced indexing, index_put, gather/scatter, index_select; index checks and nonzero.
export { indexedCopy, indexCheck, maskCount, nonzero } from "./indexing";

// Reductions and softmax.
export * from "./reductions";

// Element-wise math, comparisons and selection (ops/math.ts, ops/compare.ts on the host).
export { compare, where } from "./compare";
export { binaryMath, clamp, clampTensor, unaryInt, minmaxBackward, powBackward, clampBackward, clampTensorBackward } from "./math";

// Random streams (torch.Generator): uniform/normal fills, integers, permutations.
export { randomFill, randomInts, randomPermutation } from "./random";

// Dropout: the mask drawn while the output is written (nn.Dropout, F.dropout).
export { dropoutForward, dropoutBackward } from "./dropout";
