// How code outside the tensor core (nn/, optim/) reaches a tensor's storage. The core
// (tensor.ts, autograd.ts, ops/, runtime/) owns lifetimes; everything else goes through
// these helpers and never reads a pointer field, a lifetime flag, or does pointer
// arithmetic of its own.
//
// The rule for pointers: storage may move out of wasm memory when unused (runtime/
// storage.ts), so read `ptr(t)` inside the kernel call's argument list, after the last
// allocation before that call, and never keep it across a call that can allocate.
import { Tensor } from "./tensor.js";
import { fmt } from "./shape.js";
import { I32, tableScratch } from "./runtime/memory.js";
import { clock } from "./runtime/storage.js";
export { iterationBoundary, withoutEviction } from "./runtime/storage.js";

/** The byte pointer of `t`'s storage, brought into wasm memory if it was moved out. */
export function ptr(t: Tensor): number {
  return t._ptr;
}

/**
 * Pointers for a kernel's table: every storage is brought into wasm memory first, so
 * none of the returned pointers can be invalidated by a later one's restore.
 */
export function ptrs(ts: readonly Tensor[]): number[] {
  const out = new Array<number>(ts.length);
  for (let i = 0; i < ts.length; i++) out[i] = ts[i]._ptr;
  return out;
}

/**
 * The sweeps so far. Storage leaves wasm memory only in a sweep, so pointers read while
 * this stays the same are still those of their (undisposed) tensors: code that reads
 * pointers ahead of an allocation checks it before the call and reads them again if it moved.
 */
export function sweepCount(): number {
  return clock;
}

/**
 * Copies a table of i32 values (pointers and sizes from `ptr`/`numel`) into a scratch block
 * for one kernel call; returns its pointer, valid until the next call that writes a table.
 */
export function kernelTable(values: readonly number[]): number {
  const table = tableScratch(Math.max(values.length, 1) * 4);
  I32().set(values, table >>> 2); // the view is taken after tableScratch, which can grow memory
  return table;
}

/** Throws the tensor's "disposed" error now, before anything changes, if it was freed. */
export function assertLive(t: Tensor): void {
  if (t._storage === null) t._ptr; // throws the error that says when and how it was freed
}

/** Marks a tensor the library holds for the user (optimizer state, a module's copy): tidy() leaves it. */
export function owned<T extends Tensor>(t: T): T {
  t._owned = true;
  return t;
}

/** Frees a tensor the library owns and no longer needs (replaced optimizer state). */
export function discard(t: Tensor): void {
  t._owned = false;
  t.dispose();
}

/** A parameter's grad as the engine sees it (reading it here does not hand it to the user). */
export function gradOf(p: Tensor): Tensor | null {
  return p._grad;
}

/** zeroGrad(): the grad set to null (freed now if backward() made it and nobody read it) or to zero. */
export function clearGrad(p: Tensor, setToNone: boolean): void {
  const g = p._grad;
  if (g === null) return;
  if (setToNone) p._dropGrad();
  else g._zeroInPlace();
}

/** Records that a kernel wrote `t` in place (autograd's version counter). */
export function bumpVersion(t: Tensor): void {
  t._bumpVersion();
}

/** Takes back a bumpVersion() whose write did not happen (a step refused after counting it). */
export function unbumpVersion(t: Tensor): void {
  t._storage!.version--;
}

/** The shape for messages. */
export function shapeOf(t: Tensor): string {
  return fmt(t.shape);
}

export { Tensor };
