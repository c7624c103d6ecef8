// Explicit release: dispose() and tidy() scopes. (Storage that is merely unused is not
// released but evicted from wasm memory: runtime/storage.ts.)
import { addRef, dropRef, type Storage } from "./storage.js";

/** The lifetime fields of a tensor (Tensor implements them). */
export interface Handle {
  _storage: Storage | null;
  _released: string | null;
  _kept: boolean; // keep(): pinned in wasm memory, and left by tidy()
  _owned: boolean; // held by the library for the user (grads, optimizer state): left by tidy()
  readonly requiresGrad: boolean;
  readonly isLeaf: boolean;
}

const scopes: Handle[][] = [];

/** A new tensor handle starts using `storage`; inside tidy() it belongs to the scope. */
export function track(t: Handle, storage: Storage): void {
  addRef(storage);
  if (scopes.length > 0) scopes[scopes.length - 1].push(t);
}

/** Frees the handle now; the storage goes when its last handle does. */
export function release(t: Handle, why: string): void {
  const s = t._storage;
  if (s === null) return;
  if (t._kept) { t._kept = false; s.pins--; }
  t._storage = null;
  t._released = why;
  dropRef(s);
}

/** Pins the storage in wasm memory (keep()). */
export function pin(t: Handle): void {
  if (t._kept || t._storage === null) return;
  t._kept = true;
  t._storage.pins++;
}

/** Parameters, grads, optimizer state and kept tensors outlive the tidy() that made them. */
function exempt(t: Handle): boolean {
  return t._kept || t._owned || (t.requiresGrad && t.isLeaf);
}

function isAsync(fn: Function): boolean {
  return Object.prototype.toString.call(fn) === "[object AsyncFunction]" ||
    Object.prototype.toString.call(fn) === "[object AsyncGeneratorFunction]";
}

/**
 * Runs fn in a scope and releases what it created, except the tensors `collect` finds in
 * its result and exempt ones. An async fn is refused before it runs: a scope cannot
 * follow it across awaits.
 */
export function runScoped<T>(fn: () => T, collect: (value: unknown, out: Set<Handle>) => void, why: string, api: string): T {
  if (typeof fn !== "function") throw new TypeError(`${api}(fn): fn must be a function, got ${fn === null ? "null" : typeof fn}`);
  if (isAsync(fn)) {
    throw new TypeError(`${api}(fn): fn is an async function; a scope cannot follow it across awaits. ` +
      `Call ${api}() on the synchronous parts, or dispose() tensors yourself`);
  }
  const scope: Handle[] = [];
  scopes.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    scopes.pop();
    for (const t of scope) if (!exempt(t)) release(t, why);
    throw e;
  }
  scopes.pop();
  if (result !== null && typeof result === "object" && typeof (result as { then?: unknown }).then === "function") {
    for (const t of scope) if (!exempt(t)) release(t, why);
    throw new TypeError(`${api}(fn): fn returned a Promise; ${api}() takes a synchronous function ` +
      "(the tensors it created before returning were released)");
  }
  const returned = new Set<Handle>();
  collect(result, returned);
  const parent = scopes.length > 0 ? scopes[scopes.length - 1] : null;
  for (const t of scope) {
    if (t._storage === null) continue;
    if (returned.has(t)) { if (parent !== null) parent.push(t); }
    else if (!exempt(t)) release(t, why);
  }
  return result;
}
