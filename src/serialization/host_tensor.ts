// A tensor's values held in JS memory, in the dtype torch.save writes it with: what the state
// dict translations produce for PyTorch's layout (a torchlet state dict holds Float32Arrays
// and numbers where PyTorch holds tensors), written as a storage like any tensor.

export type HostDType = "float32" | "float64" | "int64" | "bool";

export class HostTensor {
  constructor(
    readonly dtype: HostDType,
    readonly shape: readonly number[],
    /** Row-major values: float32 → Float32Array, float64 → Float64Array, int64 → Int32Array (widened on write), bool → Uint8Array. */
    readonly values: Float32Array | Float64Array | Int32Array | Uint8Array,
  ) {}
}

/** A 0-d float32 tensor: PyTorch's form of a per-parameter `step`. */
export function scalarTensor(x: number): HostTensor {
  return new HostTensor("float32", [], Float32Array.of(x));
}

/** int32 values as little-endian int64 bytes (PyTorch's dtype for what torchlet holds as int32). */
export function int64Bytes(values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(values.length * 8);
  const v = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) {
    v.setInt32(i * 8, values[i], true);
    v.setInt32(i * 8 + 4, values[i] < 0 ? -1 : 0, true);
  }
  return out;
}
