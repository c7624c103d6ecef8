// Instantiates the embedded kernels. The bytes are inlined by esbuild, so importing the
// bundle is enough in every runtime; top-level await makes the instance ready on import
// (Chromium refuses synchronous compilation of modules over 4 KB on the main thread).
import wasmBytes from "../../build/torchlet.wasm";

export interface Kernels {
  memory: WebAssembly.Memory;
  heapBase(): number;
  binary(op: number, a: number, b: number, out: number, ndim: number, dims: number): void;
  binaryFlat(op: number, a: number, b: number, out: number, n: number): void;
  sumToStrided(src: number, dst: number, ndim: number, dims: number): void;
  sumRow(x: number, n: number): number;
  unary(op: number, x: number, out: number, n: number, p: number): void;
  unaryBackward(op: number, x: number, y: number, g: number, out: number, n: number, p: number): void;
  sumDim(x: number, out: number, outer: number, n: number, inner: number): void;
  expandDim(g: number, out: number, outer: number, n: number, inner: number, scale: number): void;
  dot(a: number, b: number, n: number): number;
  matmul(mode: number, a: number, b: number, c: number, M: number, K: number, N: number,
    batch: number, strideA: number, strideB: number, strideC: number): void;
  crossEntropy(x: number, target: number, kind: number, loss: number, prob: number, N: number, C: number): void;
  crossEntropyBackward(prob: number, target: number, kind: number, g: number, gStride: number,
    scale: number, dx: number, N: number, C: number): void;
  mse(x: number, y: number, out: number, n: number, perItem: number): number;
  mseBackward(x: number, y: number, g: number, gStride: number, norm: number, dx: number, n: number): void;
  bceWithLogits(x: number, y: number, out: number, n: number): void;
  bceWithLogitsBackward(x: number, y: number, g: number, gStride: number, scale: number, dx: number, n: number): void;
}

const { instance } = (await WebAssembly.instantiate(wasmBytes, {})) as unknown as WebAssembly.WebAssemblyInstantiatedSource;
export const K = instance.exports as unknown as Kernels;
