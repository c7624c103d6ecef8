// When tensor storage is released. JS has no reference counts we can see, and a
// FinalizationRegistry callback only runs when the event loop turns, which a synchronous
// training loop never does. So release is deterministic (see README "Memory"):
//
//  - tidy(fn) / noGrad(fn): tensors created inside are released when fn returns, except
//    what it returns.
//  - iterations: once training has started (the first backward() or zeroGrad()), each
//    backward() and zeroGrad() is an iteration boundary. A tensor created at top level is
//    released at the third boundary after it was last used (created, read, or an op input),
//    so whatever one iteration makes is gone two iterations later, while data used every
//    iteration stays. The first zeroGrad() of each optimizer or module starts a new
//    training: tensors that exist at that moment become "setup" and are never released
//    automatically.
//  - exempt always: parameters (leaf tensors that require grad), grads, optimizer state,
//    module fields, and tensors the user kept with t.keep().
//  - backstop: a FinalizationRegistry frees storage of tensor objects nobody references.
import { alloc, free } from "./memory.js";

export class Storage {
  refs = 0;
  version = 0; // autograd's version counter, shared by every tensor over this storage
  constructor(readonly ptr: number, readonly bytes: number) {}
}

/** The lifetime fields of a tensor (Tensor implements them). */
export interface Tracked {
  _storage: Storage | null;
  _released: string | null;
  _kept: boolean;
  _owned: boolean; // held by the library for the user (optimizer state, grads): tidy leaves it
  _gen: number; // iteration of last use when pooled, -1 when not pooled
  _fin: boolean; // registered with the finalizer
  requiresGrad: boolean;
  readonly isLeaf: boolean;
}

let liveTensors = 0;
let liveBytes = 0;

const finalizer = new FinalizationRegistry<Storage>((storage) => {
  liveTensors--;
  dropStorageRef(storage);
});

export function newStorage(bytes: number): Storage {
  const s = new Storage(alloc(bytes), bytes);
  liveBytes += bytes;
  return s;
}

function dropStorageRef(s: Storage): void {
  if (--s.refs === 0) {
    free(s.ptr, s.bytes);
    liveBytes -= s.bytes;
  }
}

// ---- scopes -------------------------------------------------------------------------

const scopes: Tracked[][] = [];
let pooling = false;
let boundary = 0;
const GENERATIONS = 4;
const pool: Tracked[][] = Array.from({ length: GENERATIONS }, () => []);
const trainers = new WeakSet<object>();

/**
 * Registers a new tensor that owns a reference to `storage`. Tensors in a scope or the
 * iteration pool are released deterministically; only those outside both are registered
 * with the finalizer (registration costs about as much as a small op).
 */
export function track(t: Tracked, storage: Storage): void {
  storage.refs++;
  liveTensors++;
  if (scopes.length > 0) scopes[scopes.length - 1].push(t);
  else home(t);
}

/** Puts a top-level tensor in the iteration pool, or under the finalizer before training. */
function home(t: Tracked): void {
  if (pooling) {
    t._gen = boundary;
    pool[boundary % GENERATIONS].push(t);
  } else unpool(t);
}

/** Takes a tensor out of automatic release; the finalizer is then its backstop. */
function unpool(t: Tracked): void {
  t._gen = -1;
  if (!t._fin && t._storage !== null) {
    t._fin = true;
    finalizer.register(t, t._storage, t);
  }
}

/** Marks a pooled tensor as used in the current iteration. */
export function touch(t: Tracked): void {
  if (t._gen >= 0) t._gen = boundary;
}

export function release(t: Tracked, why: string): void {
  const s = t._storage;
  if (s === null) return;
  if (t._fin) finalizer.unregister(t);
  t._storage = null;
  t._released = why;
  liveTensors--;
  dropStorageRef(s);
}

function exempt(t: Tracked): boolean {
  return t._kept || t._owned || (t.requiresGrad && t.isLeaf);
}

/**
 * An iteration boundary: backward() passes no trainer; zeroGrad() passes its optimizer or
 * module, whose first call promotes every pooled tensor to setup.
 */
export function iterationBoundary(trainer?: object): void {
  if (trainer !== undefined && !trainers.has(trainer)) {
    trainers.add(trainer);
    for (const gen of pool) {
      for (const t of gen) if (t._storage !== null) unpool(t);
      gen.length = 0;
    }
  }
  pooling = true;
  boundary++;
  const expiring = boundary - 3;
  if (expiring < 0) return;
  const slot = pool[expiring % GENERATIONS];
  if (slot.length === 0) return;
  const items = slot.splice(0, slot.length);
  for (const t of items) {
    if (t._storage === null || t._gen < 0) continue;
    if (exempt(t)) { unpool(t); continue; }
    if (t._gen > expiring) pool[t._gen % GENERATIONS].push(t);
    else {
      t._gen = -1;
      release(t, "released automatically three iterations (backward()/zeroGrad() calls) after its last use");
    }
  }
}

/** Runs fn in a scope; releases what it created except `keep(result)` and exempt tensors. */
export function runScoped<T>(fn: () => T, collect: (value: unknown, out: Set<Tracked>) => void, why: string): T {
  const scope: Tracked[] = [];
  scopes.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    scopes.pop();
    for (const t of scope) {
      if (!exempt(t)) release(t, why);
      else if (t._storage !== null) unpool(t);
    }
    throw e;
  }
  scopes.pop();
  if (result instanceof Promise) {
    throw new Error("torchlet: tidy()/noGrad() take a synchronous function; it returned a Promise");
  }
  const returned = new Set<Tracked>();
  collect(result, returned);
  const parent = scopes.length > 0 ? scopes[scopes.length - 1] : null;
  for (const t of scope) {
    if (t._storage === null) continue;
    if (returned.has(t)) {
      if (parent !== null) parent.push(t);
      else home(t);
    } else if (!exempt(t)) release(t, why);
    else unpool(t);
  }
  return result;
}

export function memoryStats(): { bytesInUse: number; tensors: number } {
  return { bytesInUse: liveBytes, tensors: liveTensors };
}
