// safetensors (huggingface/safetensors): an 8-byte little-endian header length, a JSON
// header { name: { dtype, shape, data_offsets }, __metadata__?: { str: str } }, then the
// tensors' bytes, which the offsets must cover exactly. Written as the Python package writes
// it: compact JSON padded with spaces to 8 bytes, tensors ordered by alignment, then name.
import { Tensor } from "../tensor.js";
import { ITEM_SIZE, tensorRef, type StorageDType, type TensorRef } from "./tensor_ref.js";
import { define, isPlainObject } from "./names.js";
import { int64Bytes } from "./host_tensor.js";

const DTYPES: Record<string, StorageDType> = {
  F64: "float64", F32: "float32", F16: "float16", BF16: "bfloat16", I64: "int64", I32: "int32", I16: "int16",
  I8: "int8", U8: "uint8", BOOL: "bool",
};
/** The format's own cap on the header (safetensors' MAX_HEADER_SIZE). */
const MAX_HEADER = 100_000_000;

/** Whether the bytes begin as a safetensors file does: a plausible header length, then "{". */
export function looksLikeSafetensors(bytes: Uint8Array): boolean {
  if (bytes.length < 10) return false;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return v.getUint32(4, true) === 0 && v.getUint32(0, true) + 8 <= bytes.length && bytes[8] === 0x7b;
}

function bad(what: string): Error {
  return new Error(`torch.load: not a valid safetensors file: ${what}`);
}

/** The tensors of a safetensors file, as checked references into its bytes. */
export function readSafetensors(bytes: Uint8Array): Record<string, TensorRef> {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = v.getUint32(0, true);
  if (n > MAX_HEADER) throw bad(`a header of ${n} bytes (the format allows ${MAX_HEADER})`);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch (e) {
    throw bad(`the header is not JSON (${(e as Error).message})`);
  }
  if (!isPlainObject(header)) throw bad("the header is not a JSON object");
  const data = bytes.subarray(8 + n);
  const spans: [number, number, string][] = [];
  const out: Record<string, TensorRef> = {};
  for (const [name, info] of Object.entries(header)) {
    if (name === "__metadata__") {
      if (!isPlainObject(info) || !Object.values(info).every((x) => typeof x === "string")) throw bad("__metadata__ must map strings to strings");
      continue;
    }
    if (!isPlainObject(info)) throw bad(`${JSON.stringify(name)}'s entry is not an object`);
    const dtype = DTYPES[info.dtype as string];
    if (dtype === undefined) throw bad(`${JSON.stringify(name)} has dtype ${JSON.stringify(info.dtype)}; torchlet reads ${Object.keys(DTYPES).join(", ")}`);
    const shape = info.shape, offsets = info.data_offsets;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) throw bad(`${JSON.stringify(name)}'s shape must be a list of non-negative integers`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((d) => Number.isSafeInteger(d) && d >= 0) || offsets[0] > offsets[1]) {
      throw bad(`${JSON.stringify(name)}'s data_offsets must be [begin, end]`);
    }
    const numel = (shape as number[]).reduce((a, b) => a * b, 1);
    const [begin, end] = offsets as number[];
    if (end > data.length) throw bad(`${JSON.stringify(name)} claims bytes ${begin}..${end}, past the ${data.length} bytes of data (truncated?)`);
    if (end - begin !== numel * ITEM_SIZE[dtype]) {
      throw bad(`${JSON.stringify(name)} of shape [${(shape as number[]).join(", ")}] and dtype ${info.dtype as string} needs ` +
        `${numel * ITEM_SIZE[dtype]} bytes, but its offsets span ${end - begin}`);
    }
    spans.push([begin, end, name]);
    const storage = { kind: "storage" as const, dtype, numel, bytes: data.subarray(begin, end), littleEndian: true };
    const stride = (shape as number[]).map((_, i) => (shape as number[]).slice(i + 1).reduce((a, b) => a * b, 1));
    define(out as Record<string, unknown>, name, tensorRef(storage, 0, shape as number[], stride, false, 8));
  }
  spans.sort((a, b) => a[0] - b[0]);
  let at = 0;
  for (const [begin, end, name] of spans) {
    if (begin !== at) throw bad(`${JSON.stringify(name)} starts at byte ${begin}, but the data before it ends at ${at} (overlap or hole)`);
    at = end;
  }
  if (at !== data.length) throw bad(`the tensors cover ${at} of the ${data.length} bytes of data`);
  return out;
}

const WRITE: Record<string, [string, number]> = { float32: ["F32", 4], int32: ["I64", 8], bool: ["BOOL", 1] };

/**
 * `torch.saveSafetensors(tensors, metadata?)`: a safetensors file of named tensors, as the
 * Python package's `safetensors.torch.save` writes it (int32 written as I64, PyTorch's dtype
 * for it), with optional string metadata. `torch.load` reads it back.
 *
 * ```ts
 * const model = new nn.Linear(2, 1);
 * const bytes = torch.saveSafetensors(model.stateDict(), { format: "pt" });
 * // the file orders tensors by alignment, then name
 * Object.keys(torch.load(bytes) as object); // ["bias", "weight"]
 * ```
 */
export function saveSafetensors(tensors: Record<string, Tensor>, metadata?: Record<string, string>): Uint8Array {
  if (!isPlainObject(tensors)) throw new TypeError("torch.saveSafetensors: tensors must be an object mapping names to tensors");
  const list = Object.entries(tensors).map(([name, t]) => {
    if (!(t instanceof Tensor)) throw new TypeError(`torch.saveSafetensors: tensors[${JSON.stringify(name)}] is not a Tensor`);
    if (t.isDisposed) throw new Error(`torch.saveSafetensors: tensors[${JSON.stringify(name)}] was disposed`);
    if (name === "__metadata__" || name === "") throw new TypeError(`torch.saveSafetensors: ${JSON.stringify(name)} cannot name a tensor`);
    return { name, t, dtype: WRITE[t.dtype] };
  });
  if (metadata !== undefined && (!isPlainObject(metadata) || !Object.values(metadata).every((x) => typeof x === "string"))) {
    throw new TypeError("torch.saveSafetensors: metadata must be an object mapping strings to strings");
  }
  list.sort((a, b) => b.dtype[1] - a.dtype[1] || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const header: Record<string, unknown> = {};
  if (metadata !== undefined) define(header, "__metadata__", metadata);
  let offset = 0;
  for (const { name, t, dtype } of list) {
    const size = t.numel() * dtype[1];
    define(header, name, { dtype: dtype[0], shape: t.shape.slice(), data_offsets: [offset, offset + size] });
    offset += size;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + padded + offset);
  const v = new DataView(out.buffer);
  v.setUint32(0, padded, true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + padded);
  let p = 8 + padded;
  for (const { t } of list) {
    const values = t.toArray();
    const b = values instanceof Int32Array ? int64Bytes(values) : new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
    out.set(b, p);
    p += b.length;
  }
  return out;
}
