// tidy, noGrad, enableGrad and memory(): the user-facing side of runtime/lifetime.ts and
// runtime/storage.ts.
import { Tensor } from "./tensor.js";
import { runScoped, type Handle } from "./runtime/lifetime.js";
import { memoryStats } from "./runtime/storage.js";
import { bytesReserved } from "./runtime/memory.js";
import { setGradEnabled } from "./autograd.js";

function collectTensors(value: unknown, out: Set<Handle>, depth = 0): void {
  if (value instanceof Tensor) { out.add(value); return; }
  if (depth > 4 || value === null || typeof value !== "object") return;
  if (Array.isArray(value)) { for (const v of value) collectTensors(v, out, depth + 1); return; }
  if (value instanceof Map) { for (const v of value.values()) collectTensors(v, out, depth + 1); return; }
  if (Object.getPrototypeOf(value) === Object.prototype) {
    for (const v of Object.values(value)) collectTensors(v, out, depth + 1);
  }
}

/**
 * Runs fn and frees every tensor it created except those it returns (also inside returned
 * arrays, Maps and plain objects), parameters, grads, optimizer state and kept tensors.
 * fn must be synchronous: an async fn is refused before it runs.
 *
 * ```ts
 * const mean = torch.tidy(() => x.sub(mu).pow(2).mean()); // the temporaries are freed now
 * ```
 */
export function tidy<T>(fn: () => T): T {
  return runScoped(fn, collectTensors, "freed when the tidy() that created it returned", "tidy");
}

/**
 * Runs fn without recording a graph (PyTorch's `torch.no_grad()`), and frees the tensors
 * it created except those it returns, as tidy() does.
 */
export function noGrad<T>(fn: () => T): T {
  const prev = setGradEnabled(false);
  try {
    return runScoped(fn, collectTensors, "freed when the noGrad() that created it returned", "noGrad");
  } finally {
    setGradEnabled(prev);
  }
}

/** Runs fn with autograd recording on (inside a noGrad, say). */
export function enableGrad<T>(fn: () => T): T {
  const prev = setGradEnabled(true);
  try { return fn(); } finally { setGradEnabled(prev); }
}

export interface MemoryInfo {
  /** Bytes of tensor storage in wasm memory. */
  bytesInUse: number;
  /** Bytes of wasm memory reserved (it grows, never shrinks). */
  bytesReserved: number;
  /** Tensor storages in wasm memory (views of one storage count once). */
  tensors: number;
  /** Storages moved out of wasm memory since start (unused for a while), and brought back. */
  evictions: number;
  restores: number;
}

/** Wasm memory in use: `{ bytesInUse, bytesReserved, tensors, evictions, restores }`. */
export function memory(): MemoryInfo {
  const s = memoryStats();
  return { bytesInUse: s.bytesInUse, bytesReserved: bytesReserved(), tensors: s.tensors, evictions: s.evictions, restores: s.restores };
}
