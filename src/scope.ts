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
 * arrays, Maps and plain objects), parameters, grads, optimizer state and kept tensors
 * (TensorFlow.js's `tf.tidy`; PyTorch frees by reference counting instead). fn must be
 * synchronous: an async fn is refused before it runs. Not needed for correctness: it frees
 * wasm memory at once instead of when the tensors become unreachable.
 *
 * ```ts
 * const x = torch.tensor([1, 2, 3, 4]);
 * const mu = x.mean();
 * const variance = torch.tidy(() => x.sub(mu).pow(2).mean()); // x.sub(mu) and its square are freed now
 * variance; // tensor(1.2500)
 * ```
 */
export function tidy<T>(fn: () => T): T {
  return runScoped(fn, collectTensors, "freed when the tidy() that created it returned", "tidy");
}

/**
 * Runs fn without recording a graph (PyTorch's `with torch.no_grad():`), and frees the
 * tensors it created except those it returns, as `tidy()` does. For evaluation, and for
 * updating parameters by hand.
 *
 * ```ts
 * const w = torch.tensor([1, 2], { requiresGrad: true });
 * const y = torch.noGrad(() => w.mul(2));
 * y.requiresGrad; // false
 * w.sum().backward();
 * torch.noGrad(() => { w.sub_(w.grad!.mul(0.1)); }); // a hand-written SGD step
 * w; // tensor([0.9000, 1.9000], requiresGrad=true)
 * ```
 */
export function noGrad<T>(fn: () => T): T {
  const prev = setGradEnabled(false);
  try {
    return runScoped(fn, collectTensors, "freed when the noGrad() that created it returned", "noGrad");
  } finally {
    setGradEnabled(prev);
  }
}

/**
 * Runs fn with autograd recording on, inside a `noGrad` say (PyTorch's `torch.enable_grad()`).
 *
 * ```ts
 * const w = torch.ones([1], { requiresGrad: true });
 * torch.noGrad(() => torch.enableGrad(() => w.mul(2)).requiresGrad); // true
 * ```
 */
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

/**
 * Wasm memory in use: `{ bytesInUse, bytesReserved, tensors, evictions, restores }` (what
 * `tf.memory()` reports in TensorFlow.js; PyTorch's nearest is `torch.cuda.memory_allocated`).
 * Storage unused for a while moves to the JS heap (`evictions`) and comes back when used
 * (`restores`).
 *
 * ```ts
 * const before = torch.memory().tensors;
 * const t = torch.zeros([1000]);
 * torch.memory().tensors - before; // 1
 * t.dispose();
 * torch.memory().tensors - before; // 0
 * ```
 */
export function memory(): MemoryInfo {
  const s = memoryStats();
  return { bytesInUse: s.bytesInUse, bytesReserved: bytesReserved(), tensors: s.tensors, evictions: s.evictions, restores: s.restores };
}
