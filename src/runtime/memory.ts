// The allocator over wasm linear memory and the views onto it.
//
// The host owns every byte above __heap_base (the kernels allocate nothing). Blocks are
// 16-byte aligned for v128 loads and kept in free lists by size class, so a training loop
// that frees and re-allocates the same shapes reuses the same blocks. Memory grows at
// least by doubling: a non-shared memory.grow detaches the old ArrayBuffer, and once any
// buffer is detached V8 slows every typed-array loop in the process, so growth is rare.
import { K } from "./wasm.js";

const memory = K.memory;
let top = (K.heapBase() + 15) & ~15;
const freeLists = new Map<number, number[]>();
let reservedCached = memory.buffer.byteLength;

let f32 = new Float32Array(memory.buffer);
let i32 = new Int32Array(memory.buffer);
let u8 = new Uint8Array(memory.buffer);

/** The current Float32Array over all of linear memory. Never keep it across a call that can allocate. */
export function F32(): Float32Array {
  if (f32.byteLength === 0) refreshViews();
  return f32;
}

export function I32(): Int32Array {
  if (i32.byteLength === 0) refreshViews();
  return i32;
}

export function U8(): Uint8Array {
  if (u8.byteLength === 0) refreshViews();
  return u8;
}

function refreshViews(): void {
  f32 = new Float32Array(memory.buffer);
  i32 = new Int32Array(memory.buffer);
  u8 = new Uint8Array(memory.buffer);
  reservedCached = memory.buffer.byteLength;
}

/** Size classes: multiples of 16 up to 4 KiB, then 8 classes per power of two. */
export function sizeClass(bytes: number): number {
  if (bytes <= 4096) return bytes <= 16 ? 16 : (bytes + 15) & ~15;
  const step = 2 ** (Math.floor(Math.log2(bytes)) - 3);
  return Math.ceil(bytes / step) * step;
}

/** Allocates `bytes` (rounded up to its size class); returns a 16-aligned byte pointer. */
export function alloc(bytes: number): number {
  const size = sizeClass(bytes);
  const list = freeLists.get(size);
  if (list !== undefined && list.length > 0) return list.pop()!;
  if (top + size > memory.buffer.byteLength) grow(top + size);
  const ptr = top;
  top += size;
  return ptr;
}

/** Returns a block from `alloc(bytes)` (same `bytes`) to its free list. */
export function free(ptr: number, bytes: number): void {
  const size = sizeClass(bytes);
  let list = freeLists.get(size);
  if (list === undefined) freeLists.set(size, (list = []));
  list.push(ptr);
}

function grow(needed: number): void {
  const current = memory.buffer.byteLength;
  const target = Math.max(needed, current * 2);
  const pages = Math.ceil((target - current) / 65536);
  try {
    memory.grow(pages);
  } catch {
    const minimal = Math.ceil((needed - current) / 65536);
    try {
      memory.grow(minimal);
    } catch {
      throw new Error(`torchlet: out of wasm memory: needed ${needed} bytes, have ${current}`);
    }
  }
  refreshViews();
}

export function bytesReserved(): number {
  if (f32.byteLength === 0) refreshViews();
  return reservedCached;
}

// A small scratch block for kernel argument tables (shapes, strides). Written just before
// each call, never kept.
const SCRATCH_WORDS = 256;
export const scratch = alloc(SCRATCH_WORDS * 4);
export const SCRATCH_MAX_DIMS = 32;

// A growable block for the optimizers' pointer tables (one fused call steps a whole group).
let tablePtr = 0;
let tableBytes = 0;

/** A block of at least `bytes` for a kernel argument table; valid until the next call. */
export function tableScratch(bytes: number): number {
  if (bytes > tableBytes) {
    if (tablePtr !== 0) free(tablePtr, tableBytes);
    tableBytes = Math.max(sizeClass(bytes), 1024);
    tablePtr = alloc(tableBytes);
  }
  return tablePtr;
}
