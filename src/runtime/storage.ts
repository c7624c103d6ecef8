// Tensor storage, with wasm linear memory as a cache (docs/memory.md).
//
// JavaScript cannot tell us, during a synchronous loop, which tensor objects the program
// still holds. So nothing that might be held is ever freed behind the program's back:
// a storage that has not been used for a while is *evicted* — its bytes move to a
// JS-owned array and its wasm block is freed — and the next kernel call that reads it
// brings it back. What the program dropped is then reclaimed by the JS garbage collector
// with the tensor that referenced it. Data used in every step never leaves wasm.
//
// "A while" is counted by sweeps. A sweep runs at every iteration boundary (backward(),
// zeroGrad()) and whenever enough bytes were allocated since the last one, so loops that
// never call backward() are covered too. A storage untouched for AGE sweeps is evicted.
// Sweeps walk a ring of generations that holds storages, never tensor objects: an
// evicted storage is reachable only through its tensors.
//
// The rule that makes sweeps safe at any allocation: a pointer is read (`ptrOf`) inside
// the kernel call that uses it, after the call's last allocation. Restoring never sweeps.
import { alloc, free, U8 } from "./memory.js";

export class Storage {
  /** Byte pointer of the wasm block; 0 while evicted or after free. */
  ptr: number;
  readonly bytes: number;
  /** Tensor handles using this storage that were not disposed. */
  refs = 0;
  /** autograd's version counter, bumped by every in-place write (shared by views). */
  version = 0;
  /** keep() and internal pins: a pinned storage is never evicted. */
  pins = 0;
  /** The sweep clock at the last use. */
  lastUse: number;
  /** Evicted bytes: a chunk of JS memory and the offset in it (null while in wasm). */
  heap: Uint8Array | null = null;
  heapOff = 0;

  constructor(ptr: number, bytes: number) {
    this.ptr = ptr;
    this.bytes = bytes;
    this.lastUse = clock;
  }
}

// ---- accounting ---------------------------------------------------------------------

let residentBytes = 0;
let residentStorages = 0;
let evictions = 0;
let restores = 0;

// ---- sweeps ---------------------------------------------------------------------------

/** Sweeps since start (from RING, so clock − AGE is never negative); a storage's lastUse is the clock when it was last read. */
export let clock = 8;
// Four sweeps: a step's activations leave wasm a few steps after it, and a model trained
// in turns with another (a GAN's generator between discriminator steps) stays in wasm.
const AGE = 4;
const RING = AGE + 1;
const ring: Storage[][] = Array.from({ length: RING }, () => []);
let paused = 0;

// The volume trigger: a sweep once this many bytes were allocated since the last sweep:
// at least MIN_VOLUME; a sixth of what stayed resident after it, so a large working set
// is not evicted and restored within one step (in a loop whose allocations are all
// garbage, resident bytes settle below twice the live set: r = live + (AGE-1)·r/6); and
// twice what the last iteration allocated — the sum of the last two boundary intervals, as
// a training step has two boundaries (zeroGrad, backward) and almost all of its allocation
// falls in one of them — so a training loop is swept at its boundaries only and its
// optimizer state, used once a step, is never evicted between two steps. Without
// boundaries that figure halves at every sweep.
const MIN_VOLUME = 1 << 18;
let volume = MIN_VOLUME;
let allocatedSinceSweep = 0;
let allocatedSinceBoundary = 0;
let lastInterval = 0;
let perIteration = 0;

/** A new storage of `bytes` in wasm memory. May sweep first (see the rule above). */
export function newStorage(bytes: number): Storage {
  allocatedSinceSweep += bytes;
  if (allocatedSinceSweep > volume) {
    perIteration /= 2;
    sweep();
  }
  const s = new Storage(alloc(bytes), bytes);
  residentBytes += bytes;
  residentStorages++;
  ring[clock % RING].push(s);
  return s;
}

/** The block's pointer, bringing the storage back into wasm memory if it was evicted. */
export function restore(s: Storage): number {
  const heap = s.heap;
  if (heap === null) throw new Error("torchlet: internal error: restore of a freed storage");
  const p = alloc(s.bytes); // never sweeps: pointers read before this one stay valid
  U8().set(s.bytes === heap.length && s.heapOff === 0 ? heap : heap.subarray(s.heapOff, s.heapOff + s.bytes), p);
  s.ptr = p;
  s.heap = null;
  s.lastUse = clock;
  residentBytes += s.bytes;
  residentStorages++;
  restores++;
  ring[clock % RING].push(s);
  return p;
}

// Evicted bytes go into shared chunks when small (one JS allocation serves many
// storages; a typed array over 64 bytes costs V8 an off-heap allocation of ~0.7 µs),
// and into an array of their own when large (so a long-held small tensor never pins a
// big chunk, and a big one is never copied twice).
const CHUNK = 1 << 16;
const SMALL = 4096;
let chunk = new Uint8Array(0);
let chunkUsed = 0;

function evict(s: Storage): void {
  const p = s.ptr, n = s.bytes;
  const mem = U8();
  if (n > SMALL || n <= 64) {
    s.heap = mem.slice(p, p + n);
    s.heapOff = 0;
  } else {
    if (chunkUsed + n > chunk.length) { chunk = new Uint8Array(CHUNK); chunkUsed = 0; }
    chunk.set(mem.subarray(p, p + n), chunkUsed);
    s.heap = chunk;
    s.heapOff = chunkUsed;
    chunkUsed += (n + 7) & ~7;
  }
  free(p, n);
  s.ptr = 0;
  residentBytes -= n;
  residentStorages--;
  evictions++;
}

/** Evicts every storage not used in the last AGE sweeps. */
export function sweep(): void {
  allocatedSinceBoundary += allocatedSinceSweep;
  allocatedSinceSweep = 0;
  if (paused > 0) return;
  clock++;
  const slot = ring[(clock - AGE) % RING];
  if (slot.length === 0) return;
  const oldest = clock - AGE;
  const items = slot.splice(0, slot.length);
  for (const s of items) {
    if (s.ptr === 0) continue; // evicted (and restored into another slot) or freed
    if (s.pins > 0) ring[clock % RING].push(s);
    else if (s.lastUse > oldest) ring[s.lastUse % RING].push(s);
    else evict(s);
  }
  volume = Math.max(MIN_VOLUME, residentBytes / 6, 2 * perIteration);
}

/**
 * An iteration boundary (backward(), zeroGrad()): a sweep, unless nothing was allocated
 * since the last one (so zeroGrad() right after backward(), or two zeroGrad() calls, do
 * not age the parameters by two sweeps while nothing ran).
 */
export function iterationBoundary(): void {
  if (allocatedSinceSweep === 0) return;
  const interval = allocatedSinceBoundary + allocatedSinceSweep;
  perIteration = lastInterval + interval;
  lastInterval = interval;
  allocatedSinceBoundary = 0;
  sweep();
  allocatedSinceBoundary = 0;
}

/** Runs fn with sweeps held off (for code that keeps pointers across calls that allocate). */
export function withoutEviction<T>(fn: () => T): T {
  paused++;
  try {
    return fn();
  } finally {
    paused--;
  }
}

// ---- references --------------------------------------------------------------------------

/** A tensor handle starts using `s`. */
export function addRef(s: Storage): void {
  s.refs++;
}

/** A tensor handle stops using `s` (dispose); the last one frees it. */
export function dropRef(s: Storage): void {
  if (--s.refs > 0) return;
  if (s.ptr !== 0) {
    free(s.ptr, s.bytes);
    residentBytes -= s.bytes;
    residentStorages--;
    s.ptr = 0; // its ring entry is skipped at the next sweep of its slot
    s.pins = 0;
  }
  s.heap = null;
}

export function memoryStats(): { bytesInUse: number; tensors: number; evictions: number; restores: number } {
  return { bytesInUse: residentBytes, tensors: residentStorages, evictions, restores };
}
