// tidy, noGrad and memory(): the user-facing side of runtime/lifetime.ts.
import { Tensor } from "./tensor.js";
import { runScoped, memoryStats, type Tracked } from "./runtime/lifetime.js";
import { bytesReserved } from "./runtime/memory.js";
import { setGradEnabled } from "./autograd.js";

function collectTensors(value: unknown, out: Set<Tracked>, depth = 0): void {
  if (value instanceof Tensor) { out.add(value); return; }
  if (depth > 4 || value === null || typeof value !== "object") return;
  if (Array.isArray(value)) { for (const v of value) collectTensors(v, out, depth + 1); return; }
  if (value instanceof Map) { for (const v of value.values()) collectTensors(v, out, depth + 1); return; }
  if (Object.getPrototypeOf(value) === Object.prototype) {
    for (const v of Object.values(value)) collectTensors(v, out, depth + 1);
  }
}

/** Runs fn and frees every tensor it created except those it returns (in arrays/objects too). */
export function tidy<T>(fn: () => T): T {
  if (typeof fn !== "function") throw new Error("tidy(fn): fn must be a function");
  return runScoped(fn, collectTensors, "released when the tidy() that created it returned");
}

/**
 * Runs fn without recording a graph (PyTorch's torch.no_grad()), and frees the tensors it
 * created except those it returns, like tidy.
 */
export function noGrad<T>(fn: () => T): T {
  if (typeof fn !== "function") throw new Error("noGrad(fn): fn must be a function");
  const prev = setGradEnabled(false);
  try {
    return runScoped(fn, collectTensors, "released when the noGrad() that created it returned");
  } finally {
    setGradEnabled(prev);
  }
}

/** Runs fn with autograd recording on (inside a noGrad, say). */
export function enableGrad<T>(fn: () => T): T {
  const prev = setGradEnabled(true);
  try { return fn(); } finally { setGradEnabled(prev); }
}

export function memory(): { bytesInUse: number; bytesReserved: number; tensors: number } {
  const s = memoryStats();
  return { bytesInUse: s.bytesInUse, bytesReserved: bytesReserved(), tensors: s.tensors };
}
