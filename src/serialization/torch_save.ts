// torch.save(obj): PyTorch's checkpoint format (a zip holding archive/data.pkl, a protocol-2
// pickle, and each tensor's bytes in archive/data/<key>), readable by Python's
// `torch.load(f, weights_only=True)`. Objects become dicts, arrays lists, Maps dicts with
// their keys as they are (numbers become Python ints); optimizers and schedulers, and
// scheduler state dicts, are written in PyTorch's layout.
import { Tensor } from "../tensor.js";
import { Optimizer } from "../optim/optimizer.js";
import { LRScheduler } from "../optim/lr_scheduler/base.js";
import { Module } from "../nn/module.js";
import { writeZip, crc32, type ZipEntry } from "./zip.js";
import { Call, SavedTensor, Tuple, writePickle, type PickleValue } from "./pickle_write.js";
import { HostTensor, int64Bytes, type HostDType } from "./host_tensor.js";
import { optimizerStateToPyTorch } from "./optimizer_state.js";
import { isTorchletSchedulerStateDict, schedulerStateToPyTorch } from "./scheduler_state.js";
import { isPlainObject, MAX_DEPTH } from "./names.js";
import type { StorageDType } from "./tensor_ref.js";

const STORAGE_CLASS: Record<HostDType, [string, StorageDType]> = {
  float32: ["torch.FloatStorage", "float32"], float64: ["torch.DoubleStorage", "float64"],
  int64: ["torch.LongStorage", "int64"], bool: ["torch.BoolStorage", "bool"],
};

/** The archive's folder name: PyTorch names it after the file, "archive" for a buffer. */
const ARCHIVE = "archive";

/**
 * `torch.save(obj)`: the bytes of a `.pt` file, PyTorch's own zip format, which
 * `torch.load(f, weights_only=True)` reads in Python. `obj` may hold tensors, numbers,
 * strings, booleans, null, arrays, plain objects, Maps, Float32Arrays (1-D float32 tensors),
 * Int32Arrays (1-D int64 tensors), Uint8Arrays (Python bytes), a model's `stateDict()`, an
 * optimizer (written as PyTorch's `optimizer.state_dict()`), a scheduler or its
 * `stateDict()` (written as PyTorch's `scheduler.state_dict()`). int32 tensors are written
 * as int64, the dtype PyTorch uses for what torchlet holds as int32. Write the bytes with
 * `fs.writeFileSync`, `Deno.writeFile` or a Blob download.
 *
 * ```ts
 * const model = new nn.Linear(3, 1);
 * const opt = new optim.Adam(model.parameters());
 * const bytes = torch.save({ model: model.stateDict(), optimizer: opt, epoch: 5 });
 * bytes instanceof Uint8Array; // true
 * const back = torch.load(bytes) as { epoch: number };
 * back.epoch; // 5
 * ```
 */
export function save(obj: unknown): Uint8Array {
  const tensors: SavedTensor[] = [];
  const memo = new Map<object, SavedTensor>();
  const store = (key: object, t: HostTensor, requiresGrad: boolean): SavedTensor => {
    const [cls, dtype] = STORAGE_CLASS[t.dtype];
    const saved = new SavedTensor(String(tensors.length), cls, t.values.length, t.shape, requiresGrad, storageBytes(t), dtype);
    tensors.push(saved);
    memo.set(key, saved);
    return saved;
  };

  const convert = (v: unknown, path: string, ancestors: Set<object>): PickleValue => {
    const where = path === "" ? "obj" : `obj${path}`;
    if (v === null || typeof v === "boolean" || typeof v === "number" || typeof v === "string") return v;
    if (typeof v !== "object") {
      throw new TypeError(`torch.save: ${where} is ${typeof v === "bigint" ? "a bigint (use a number)" : v === undefined ? "undefined" : `a ${typeof v}`}, which a checkpoint cannot hold`);
    }
    const seen = memo.get(v);
    if (seen !== undefined) return seen;
    if (v instanceof Tensor) {
      if (v.isDisposed) throw new Error(`torch.save: ${where} is a disposed tensor`);
      const values = v.toArray();
      return store(v, new HostTensor(v.dtype === "int32" ? "int64" : v.dtype, v.shape, values), v.requiresGrad);
    }
    if (v instanceof HostTensor) return store(v, v, false);
    if (v instanceof Float32Array) return store(v, new HostTensor("float32", [v.length], v), false);
    if (v instanceof Float64Array) return store(v, new HostTensor("float64", [v.length], v), false);
    if (v instanceof Int32Array) return store(v, new HostTensor("int64", [v.length], v), false);
    if (v instanceof Uint8Array) return v.slice();
    if (ArrayBuffer.isView(v)) {
      throw new TypeError(`torch.save: ${where} is a ${v.constructor.name}; a checkpoint holds Float32Array, Float64Array, Int32Array (int64) or Uint8Array (bytes)`);
    }
    if (v instanceof Optimizer) return convert(optimizerStateToPyTorch(v), path, ancestors);
    if (v instanceof LRScheduler) return convert(schedulerStateToPyTorch(v.stateDict()), path, ancestors);
    if (v instanceof Module) {
      throw new TypeError(`torch.save: ${where} is a Module; save its model.stateDict() (a weights-only checkpoint holds no classes)`);
    }
    if (ancestors.has(v)) throw new Error(`torch.save: ${where} contains itself; a checkpoint cannot hold a cycle`);
    if (ancestors.size >= MAX_DEPTH) throw new Error(`torch.save: ${where} is nested deeper than ${MAX_DEPTH} containers`);
    ancestors.add(v);
    try {
      if (v instanceof Tuple) return new Tuple(v.items.map((x, i) => convert(x, `${path}[${i}]`, ancestors)));
      if (v instanceof Call) return new Call(v.module, v.name, v.args.map((x, i) => convert(x, `${path}[${i}]`, ancestors)));
      if (Array.isArray(v)) {
        const out: PickleValue[] = [];
        for (let i = 0; i < v.length; i++) out.push(convert(v[i], `${path}[${i}]`, ancestors));
        return out;
      }
      if (v instanceof Map) {
        const out = new Map<string | number | boolean | null, PickleValue>();
        for (const [k, x] of v) {
          if (!(k === null || typeof k === "string" || typeof k === "boolean" || (typeof k === "number" && Number.isFinite(k)))) {
            throw new TypeError(`torch.save: ${where} has a Map key ${String(k)}; keys must be strings, finite numbers, booleans or null`);
          }
          out.set(k, convert(x, `${path}.get(${JSON.stringify(k)})`, ancestors));
        }
        return out;
      }
      if (!isPlainObject(v)) {
        throw new TypeError(`torch.save: ${where} is a ${v.constructor?.name ?? "object"}; a checkpoint holds tensors, numbers, strings, ` +
          "booleans, null, arrays, plain objects and Maps");
      }
      if (Object.hasOwn(v, "paramGroups") && Object.hasOwn(v, "state")) {
        throw new TypeError(`torch.save: ${where} is an optimizer's stateDict(), which holds no shapes for its state; ` +
          "PyTorch's layout needs them: save the optimizer itself (torch.save({ optimizer: opt })) and its state dict " +
          "is written in PyTorch's layout");
      }
      const dict = isTorchletSchedulerStateDict(v) ? schedulerStateToPyTorch(v) : v;
      const out = new Map<string, PickleValue>();
      for (const [k, x] of Object.entries(dict)) out.set(k, convert(x, `${path}[${JSON.stringify(k)}]`, ancestors));
      return out;
    } finally {
      ancestors.delete(v);
    }
  };

  const pickle = writePickle(convert(obj, "", new Set()));
  const text = (s: string): Uint8Array => new TextEncoder().encode(s);
  const entries: ZipEntry[] = [
    { name: `${ARCHIVE}/data.pkl`, data: pickle },
    { name: `${ARCHIVE}/.format_version`, data: text("1") },
    { name: `${ARCHIVE}/.storage_alignment`, data: text("64") },
    { name: `${ARCHIVE}/byteorder`, data: text("little") },
    ...tensors.map((t) => ({ name: `${ARCHIVE}/data/${t.key}`, data: t.bytes })),
    { name: `${ARCHIVE}/version`, data: text("3\n") },
    // PyTorch writes a random id here; a digest of the content keeps torchlet's output reproducible
    { name: `${ARCHIVE}/.data/serialization_id`, data: text(serializationId(pickle, tensors)) },
  ];
  return writeZip(entries);
}

/** A tensor's values as its storage's little-endian bytes (int64 widened from int32). */
function storageBytes(t: HostTensor): Uint8Array {
  const v = t.values;
  if (t.dtype === "int64") return int64Bytes(v);
  if (t.dtype === "float32" && !(v instanceof Float32Array)) return new Uint8Array(Float32Array.from(v).buffer);
  if (t.dtype === "float64" && !(v instanceof Float64Array)) return new Uint8Array(Float64Array.from(v).buffer);
  // the host is little-endian: every runtime torchlet targets is
  return new Uint8Array(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength));
}

function serializationId(pickle: Uint8Array, tensors: SavedTensor[]): string {
  let h = crc32(pickle);
  for (const t of tensors) h = (h * 31 + crc32(t.bytes)) >>> 0;
  return (String(h).padStart(20, "0") + String(pickle.length + tensors.length).padStart(20, "0")).slice(0, 40);
}
