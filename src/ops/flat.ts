// Vector arithmetic over whole tensors taken as flat float32 vectors, outside autograd,
// for optimizers that work on all parameters as one vector (LBFGS): the parameters and
// their grads gathered into one vector and scattered back, dot products, norms, axpy.
// Every pointer is read in the kernel call's argument list (storage_access.ts's rule).
import type { Tensor } from "../tensor.js";
import { K } from "../runtime/wasm.js";
import { Bin, Un } from "./codes.js";

/** Copies each part (zeros for null) into consecutive ranges of `flat`, in order. */
export function gatherInto(flat: Tensor, parts: readonly (Tensor | null)[], sizes: readonly number[]): void {
  let at = 0;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i], n = sizes[i];
    if (part === null) K.unary(Un.FILL, flat._ptr + at * 4, flat._ptr + at * 4, n, 0);
    else K.unary(Un.COPY, part._ptr, flat._ptr + at * 4, n, 0);
    at += n;
  }
  flat._bumpVersion();
}

/** Copies consecutive ranges of `flat` back into `targets` (the reverse of gatherInto). */
export function scatterFrom(flat: Tensor, targets: readonly Tensor[]): void {
  let at = 0;
  for (const t of targets) {
    const n = t._size;
    K.unary(Un.COPY, flat._ptr + at * 4, t._ptr, n, 0);
    t._bumpVersion();
    at += n;
  }
}

/** targets += alpha · (their ranges of flat). */
export function addScaledFrom(targets: readonly Tensor[], flat: Tensor, alpha: number): void {
  let at = 0;
  for (const t of targets) {
    const n = t._size;
    K.axpy(t._ptr, flat._ptr + at * 4, alpha, n);
    t._bumpVersion();
    at += n;
  }
}

/** y += a·x (float32 a). */
export function axpy(y: Tensor, x: Tensor, a: number): void {
  K.axpy(y._ptr, x._ptr, a, y._size);
  y._bumpVersion();
}

/** Σ aᵢ·bᵢ, accumulated in f64. */
export function dot(a: Tensor, b: Tensor): number {
  return K.dot(a._ptr, b._ptr, a._size);
}

/** Σ|xᵢ|^ord accumulated as the norm kernels do; ord Infinity gives max|xᵢ|, 1 gives Σ|xᵢ|. */
export function normAccum(x: Tensor, ord: number): number {
  return K.normAccum(x._ptr, x._size, ord);
}

export function copyInto(dst: Tensor, src: Tensor): void {
  K.unary(Un.COPY, src._ptr, dst._ptr, dst._size, 0);
  dst._bumpVersion();
}

/** out = s·x (s = -1 negates). */
export function scaleInto(out: Tensor, x: Tensor, s: number): void {
  if (s === -1) K.unary(Un.NEG, x._ptr, out._ptr, out._size, 0);
  else K.unary(Un.MULS, x._ptr, out._ptr, out._size, s);
  out._bumpVersion();
}

/** out = a − b. */
export function subInto(out: Tensor, a: Tensor, b: Tensor): void {
  K.binaryFlat(Bin.SUB, a._ptr, b._ptr, out._ptr, out._size);
  out._bumpVersion();
}
