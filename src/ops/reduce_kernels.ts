// The reduction family's kernels (assembly/reductions.ts), typed once. Every kernel walks
// a contiguous tensor viewed as [outer, n, inner] (see assembly/rows.ts); pointers are
// byte offsets in wasm memory, read in the call's argument list.
import { K } from "../runtime/wasm.js";

export const RK = K as unknown as {
  sumDim(x: number, out: number, outer: number, n: number, inner: number): void;
  expandDim(g: number, out: number, outer: number, n: number, inner: number, scale: number): void;
  sumDimInt(x: number, out: number, outer: number, n: number, inner: number): void;
  /** dtype 0 float32, 1 int32. */
  prodDim(dtype: number, x: number, out: number, outer: number, n: number, inner: number): void;
  prodBackward(x: number, y: number, g: number, gx: number, outer: number, n: number, inner: number): void;
  /** op 0 max, 1 min; dtype 0 float32, 1 int32, 2 bool; vals or idx may be 0. */
  extremaDim(op: number, dtype: number, x: number, vals: number, idx: number, outer: number, n: number, inner: number): void;
  /** mode 0 amax/amin (scale_grad_by_count), 1 full max()/min() (evenly_distribute_backward). */
  extremaBackward(mode: number, x: number, y: number, g: number, gx: number, outer: number, n: number, inner: number): void;
  scatterDim(g: number, idx: number, gx: number, outer: number, n: number, inner: number): void;
  varDim(x: number, out: number, outer: number, n: number, inner: number, correction: number, takeSqrt: number): void;
  varBackward(x: number, y: number, g: number, gx: number, outer: number, n: number, inner: number,
    correction: number, isStd: number, full: number): void;
  normDim(x: number, out: number, outer: number, n: number, inner: number, ord: number): void;
  normBackward(x: number, y: number, g: number, gx: number, outer: number, n: number, inner: number, ord: number): void;
  /** log 0 softmax, 1 log_softmax. */
  softmaxDim(log: number, x: number, out: number, outer: number, n: number, inner: number): void;
  softmaxBackward(log: number, y: number, g: number, gx: number, outer: number, n: number, inner: number): void;
  logsumexpDim(x: number, out: number, outer: number, n: number, inner: number): void;
  logsumexpBackward(x: number, y: number, g: number, gx: number, outer: number, n: number, inner: number): void;
  /** dtype 0 float32, 1 int32; reverse 1 sums from the end. */
  cumsumDim(dtype: number, reverse: number, x: number, out: number, outer: number, n: number, inner: number): void;
};
