// Tensors as a checkpoint describes them (a storage's bytes plus offset, shape and strides),
// checked against their storage when read, and decoded into torchlet's dtypes: float64,
// float16 and bfloat16 become float32; int64 becomes int32 when every value fits (else the
// load is refused, naming the tensor); int32/int16/int8/uint8 become int32; bool stays bool.
// Decoding happens in JS memory, before any torchlet tensor is made, within a byte budget.
import type { DType } from "../dtype.js";

export type StorageDType = "float64" | "float32" | "float16" | "bfloat16" | "int64" | "int32" | "int16" | "int8" | "uint8" | "bool";

export const ITEM_SIZE: Record<StorageDType, number> = {
  float64: 8, float32: 4, float16: 2, bfloat16: 2, int64: 8, int32: 4, int16: 2, int8: 1, uint8: 1, bool: 1,
};

/** PyTorch's legacy storage classes, which name a storage's dtype in torch.save's pickles. */
export const STORAGE_CLASSES: Record<string, StorageDType> = {
  "torch.DoubleStorage": "float64", "torch.FloatStorage": "float32", "torch.HalfStorage": "float16",
  "torch.BFloat16Storage": "bfloat16", "torch.LongStorage": "int64", "torch.IntStorage": "int32",
  "torch.ShortStorage": "int16", "torch.CharStorage": "int8", "torch.ByteStorage": "uint8", "torch.BoolStorage": "bool",
};

export interface StorageRef {
  kind: "storage";
  dtype: StorageDType;
  numel: number;
  bytes: Uint8Array;
  littleEndian: boolean;
}

export interface TensorRef {
  kind: "tensor";
  storage: StorageRef;
  offset: number;
  shape: number[];
  stride: number[];
  requiresGrad: boolean;
}

/** Decoded values in a torchlet dtype, row-major. */
export interface Decoded {
  dtype: DType;
  shape: number[];
  values: Float32Array | Int32Array | Uint8Array;
  requiresGrad: boolean;
}

/** The most tensor data one torch.load decodes: 1 GiB (a wasm32 heap holds 4). */
export const MAX_LOAD_BYTES = 2 ** 30;

export function isTensorRef(v: unknown): v is TensorRef {
  return typeof v === "object" && v !== null && (v as TensorRef).kind === "tensor";
}

function describeView(shape: number[], offset: number, stride: number[]): string {
  return `shape [${shape.join(", ")}], storage offset ${offset}, strides [${stride.join(", ")}]`;
}

/**
 * A tensor over `storage`, checked: every element it reaches lies inside the storage, and it
 * has at most MAX_LOAD_BYTES / 4 elements (a stride-0 view can claim far more than its bytes).
 */
export function tensorRef(storage: unknown, offset: unknown, shape: number[], stride: number[], requiresGrad: boolean, at: number): TensorRef {
  const where = ` (pickle byte ${at})`;
  if (typeof storage !== "object" || storage === null || (storage as StorageRef).kind !== "storage") {
    throw new Error(`torch.load: a tensor rebuilt from something other than a storage${where}`);
  }
  const s = storage as StorageRef;
  if (typeof offset !== "number" || !Number.isSafeInteger(offset) || offset < 0) {
    throw new Error(`torch.load: a tensor's storage offset must be a non-negative integer, got ${String(offset)}${where}`);
  }
  if (shape.length !== stride.length) {
    throw new Error(`torch.load: a tensor with ${shape.length} sizes but ${stride.length} strides${where}`);
  }
  let numel = 1, last = offset;
  for (let i = 0; i < shape.length; i++) {
    numel *= shape[i];
    if (shape[i] > 0) last += (shape[i] - 1) * stride[i];
  }
  if (numel > MAX_LOAD_BYTES / 4) {
    throw new Error(`torch.load: a tensor of ${numel} elements (${describeView(shape, offset, stride)}) is beyond ` +
      `torchlet's load limit of ${MAX_LOAD_BYTES / 4} elements${where}`);
  }
  if (numel > 0 ? last >= s.numel : offset > s.numel) {
    throw new Error(`torch.load: a tensor with ${describeView(shape, offset, stride)} reaches element ${last} of a storage ` +
      `of ${s.numel} elements: the storage and the tensor disagree${where}`);
  }
  return { kind: "tensor", storage: s, offset, shape, stride, requiresGrad };
}

/** Counts decoded bytes against MAX_LOAD_BYTES, before each allocation. */
export class LoadBudget {
  private used = 0;
  take(elements: number, name: string): void {
    this.used += elements * 4;
    if (this.used > MAX_LOAD_BYTES) {
      throw new Error(`torch.load: ${name} takes the checkpoint's tensors past torchlet's load limit of ${MAX_LOAD_BYTES} bytes`);
    }
  }
}

/** The storage indices of a tensor's elements in row-major order. */
function storageIndices(t: TensorRef, numel: number): Float64Array | null {
  let contiguous = true, expect = 1;
  for (let i = t.shape.length - 1; i >= 0; i--) {
    if (t.shape[i] !== 1 && t.stride[i] !== expect) contiguous = false;
    expect *= t.shape[i];
  }
  if (contiguous) return null;
  const out = new Float64Array(numel);
  const idx = new Array<number>(t.shape.length).fill(0);
  let at = t.offset;
  for (let k = 0; k < numel; k++) {
    out[k] = at;
    for (let d = t.shape.length - 1; d >= 0; d--) {
      if (++idx[d] < t.shape[d]) { at += t.stride[d]; break; }
      at -= (idx[d] - 1) * t.stride[d];
      idx[d] = 0;
    }
  }
  return out;
}

const scratch = new DataView(new ArrayBuffer(4));

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1, exp = (h >> 10) & 0x1f, frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** Decodes a tensor into torchlet's dtype for it (see the file comment). `name` is for messages. */
export function decode(t: TensorRef, name: string, budget: LoadBudget): Decoded {
  const numel = t.shape.reduce((a, b) => a * b, 1);
  budget.take(numel, name);
  const s = t.storage, le = s.littleEndian, size = ITEM_SIZE[s.dtype];
  const v = new DataView(s.bytes.buffer, s.bytes.byteOffset, s.bytes.byteLength);
  const where = storageIndices(t, numel);
  const index = (k: number): number => (where === null ? t.offset + k : where[k]) * size;
  const base = { shape: t.shape.slice(), requiresGrad: t.requiresGrad };
  switch (s.dtype) {
    case "float32": {
      if (where === null && le) {
        const start = s.bytes.byteOffset + t.offset * 4;
        return { ...base, dtype: "float32", values: new Float32Array(s.bytes.buffer.slice(start, start + numel * 4)) };
      }
      const out = new Float32Array(numel);
      for (let k = 0; k < numel; k++) out[k] = v.getFloat32(index(k), le);
      return { ...base, dtype: "float32", values: out };
    }
    case "float64": case "float16": case "bfloat16": {
      const out = new Float32Array(numel);
      for (let k = 0; k < numel; k++) {
        const i = index(k);
        if (s.dtype === "float64") out[k] = v.getFloat64(i, le);
        else if (s.dtype === "float16") out[k] = halfToFloat(v.getUint16(i, le));
        else {
          scratch.setUint32(0, v.getUint16(i, le) << 16);
          out[k] = scratch.getFloat32(0);
        }
      }
      return { ...base, dtype: "float32", values: out };
    }
    case "int64": {
      const out = new Int32Array(numel);
      for (let k = 0; k < numel; k++) {
        const i = index(k);
        const lo = v.getUint32(le ? i : i + 4, le), hi = v.getInt32(le ? i + 4 : i, le);
        if (hi !== (lo | 0) >> 31) {
          const value = (BigInt(hi) << 32n) | BigInt(lo);
          throw new Error(`torch.load: ${name} is an int64 tensor holding ${value} (element ${k}), beyond int32; ` +
            "torchlet holds PyTorch's int64 as int32 and loads such a tensor only when every value fits");
        }
        out[k] = lo | 0;
      }
      return { ...base, dtype: "int32", values: out };
    }
    case "int32": case "int16": case "int8": case "uint8": {
      const out = new Int32Array(numel);
      for (let k = 0; k < numel; k++) {
        const i = index(k);
        out[k] = s.dtype === "int32" ? v.getInt32(i, le) : s.dtype === "int16" ? v.getInt16(i, le)
          : s.dtype === "int8" ? v.getInt8(i) : v.getUint8(i);
      }
      return { ...base, dtype: "int32", values: out };
    }
    case "bool": {
      const out = new Uint8Array(numel);
      for (let k = 0; k < numel; k++) out[k] = v.getUint8(index(k)) !== 0 ? 1 : 0;
      return { ...base, dtype: "bool", values: out };
    }
  }
}
