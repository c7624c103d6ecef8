// torch.load(bytes): a torch.save checkpoint (the zip format PyTorch ≥ 1.6 writes) or a
// safetensors file, told apart by their first bytes. Reading is in three stages, so that a
// bad file changes nothing and allocates no wasm memory: the pickle is read into plain
// values (tensors as checked references into the archive's bytes), converted to JS values
// (dicts → objects or Maps, with PyTorch optimizer and scheduler state dicts translated to
// torchlet's layout), and only then are the tensors decoded, within a byte budget, and made.
import { Tensor, tensor } from "../tensor.js";
import { looksLikeZip, readZip } from "./zip.js";
import { PyDict, PyGlobal, PyTuple, pyType, readPickle } from "./pickle_read.js";
import { decode, isTensorRef, ITEM_SIZE, LoadBudget, STORAGE_CLASSES, type Decoded, type StorageRef, type TensorRef } from "./tensor_ref.js";
import { isPyTorchOptimizerStateDict, optimizerStateFromPyTorch } from "./optimizer_state.js";
import { isPyTorchSchedulerStateDict, schedulerStateFromPyTorch } from "./scheduler_state.js";
import { looksLikeSafetensors, readSafetensors } from "./safetensors.js";
import { define, MAX_DEPTH } from "./names.js";

/**
 * `torch.load(bytes)`: what `torch.save` wrote (here or in PyTorch 2.x), or the tensors of a
 * safetensors file; nothing in the file is executed (an allowlist of Python names, as
 * PyTorch's `weights_only=True`). Dicts with string keys become plain objects, other dicts
 * Maps, tuples and lists arrays, bytes Uint8Arrays; tensors become torchlet tensors (float64,
 * float16 and bfloat16 as float32; int64 as int32 when every value fits, else the load is
 * refused; int32/int16/int8/uint8 as int32; bool as bool). A PyTorch optimizer state dict
 * comes back in torchlet's layout, ready for `opt.loadStateDict`; a scheduler's likewise.
 *
 * ```ts
 * const model = new nn.Linear(2, 1);
 * const copy = new nn.Linear(2, 1);
 * copy.loadStateDict(torch.load(torch.save(model.stateDict())) as nn.StateDict);
 * copy.weight.eq(model.weight).sum().item(); // 2
 * torch.load(torch.saveSafetensors({ w: torch.ones([2]) })); // { w: tensor([1., 1.]) }
 * torch.load(new Uint8Array([1, 2, 3])); // throws: torch.load
 * ```
 */
export function load(bytes: Uint8Array): unknown {
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(`torch.load: bytes must be a Uint8Array (the file's contents), got ${bytes === null ? "null" : typeof bytes === "object" ? (bytes as object).constructor?.name ?? "an object" : typeof bytes}`);
  }
  const budget = new LoadBudget();
  if (looksLikeZip(bytes)) return materialize(loadArchive(bytes, budget), budget);
  if (looksLikeSafetensors(bytes)) return materialize(readSafetensors(bytes), budget);
  if (bytes.length >= 2 && bytes[0] === 0x80 && bytes[1] <= 5) {
    throw new Error("torch.load: this is PyTorch's legacy format (torch.save before 1.6, or _use_new_zipfile_serialization=False); " +
      "load and re-save it with a current PyTorch to read it here");
  }
  throw new Error(`torch.load: not a checkpoint torchlet reads (${bytes.length} bytes): expected a torch.save zip archive or a safetensors file`);
}

function loadArchive(bytes: Uint8Array, budget: LoadBudget): unknown {
  const entries = readZip(bytes);
  const pkl = [...entries.keys()].filter((n) => /^[^/]+\/data\.pkl$/.test(n));
  if (pkl.length !== 1) {
    throw new Error(`torch.load: the archive has ${pkl.length === 0 ? "no" : "more than one"} <name>/data.pkl entry; it was not written by torch.save`);
  }
  const prefix = pkl[0].slice(0, -"data.pkl".length);
  if (entries.has(`${prefix}constants.pkl`)) {
    throw new Error("torch.load: this is a TorchScript archive (torch.jit.save); torchlet reads torch.save checkpoints of state dicts and tensors");
  }
  const order = entries.get(`${prefix}byteorder`);
  const byteorder = order === undefined ? "little" : new TextDecoder().decode(order);
  if (byteorder !== "little" && byteorder !== "big") throw new Error(`torch.load: unknown byteorder record ${JSON.stringify(byteorder)}`);
  const storages = new Map<string, StorageRef>();
  const persistentLoad = (pid: unknown, at: number): StorageRef => {
    const items = pid instanceof PyTuple ? pid.items : null;
    if (items === null || items.length !== 5 || items[0] !== "storage") {
      throw new Error(`torch.load: a persistent id that is not ("storage", type, key, location, numel) (pickle byte ${at})`);
    }
    const [, cls, key, , numel] = items;
    const dtype = cls instanceof PyGlobal ? STORAGE_CLASSES[cls.name] : undefined;
    if (dtype === undefined) throw new Error(`torch.load: a storage of type ${pyType(cls)}, which is not a storage class (pickle byte ${at})`);
    if (typeof key !== "string" || typeof numel !== "number" || !Number.isSafeInteger(numel) || numel < 0) {
      throw new Error(`torch.load: a storage id with key ${pyType(key)} and size ${String(numel)} (pickle byte ${at})`);
    }
    const record = entries.get(`${prefix}data/${key}`);
    if (record === undefined) throw new Error(`torch.load: storage ${JSON.stringify(key)} has no record ${prefix}data/${key} in the archive (truncated?)`);
    const nbytes = numel * ITEM_SIZE[dtype];
    if (record.length !== nbytes) {
      throw new Error(`torch.load: storage ${JSON.stringify(key)} claims ${numel} ${dtype} elements (${nbytes} bytes) ` +
        `but its record holds ${record.length} bytes`);
    }
    const known = storages.get(key);
    if (known !== undefined) {
      if (known.dtype !== dtype || known.numel !== numel) throw new Error(`torch.load: storage ${JSON.stringify(key)} is read as two different types`);
      return known;
    }
    const s: StorageRef = { kind: "storage", dtype, numel, bytes: record, littleEndian: byteorder === "little" };
    storages.set(key, s);
    return s;
  };
  return toJS(readPickle(entries.get(pkl[0])!, persistentLoad), budget);
}

/** The pickle's values as JS values (see load); tensors stay references until materialize. */
function toJS(raw: unknown, budget: LoadBudget): unknown {
  const converted = new Map<object, unknown>();
  const ancestors = new Set<object>();
  const values = (t: TensorRef, name: string): Float32Array => {
    const d = decode(t, name, budget);
    return d.values instanceof Float32Array ? d.values : Float32Array.from(d.values);
  };
  const walk = (v: unknown, path: string): unknown => {
    if (v === null || typeof v !== "object") return v;
    if (isTensorRef(v) || v instanceof Uint8Array) return v;
    if (v instanceof PyGlobal) {
      if (v.name.startsWith("torch.") && /^torch\.(float|int|uint|bool|bfloat)/.test(v.name)) return v.name;
      throw new Error(`torch.load: ${path || "the checkpoint"} is the Python object ${v.name}, which torchlet cannot hold`);
    }
    if (!(v instanceof PyDict || v instanceof PyTuple || Array.isArray(v) || v instanceof Set)) {
      throw new Error(`torch.load: ${path || "the checkpoint"} is ${pyType(v)} on its own; torchlet reads tensors and containers of them`);
    }
    const done = converted.get(v);
    if (done !== undefined) return done;
    if (ancestors.has(v)) throw new Error(`torch.load: ${path} contains itself; a checkpoint holds no cycles`);
    if (ancestors.size >= MAX_DEPTH) throw new Error(`torch.load: ${path} is nested deeper than ${MAX_DEPTH} containers`);
    ancestors.add(v);
    let out: unknown;
    if (v instanceof PyTuple || Array.isArray(v)) {
      const items = v instanceof PyTuple ? v.items : v;
      out = items.map((x, i) => walk(x, `${path}[${i}]`));
    } else if (v instanceof Set) {
      out = new Set([...v].map((x) => walk(x, `${path}{}`)));
    } else {
      const pairs = [...v.entries.values()];
      if (pairs.every(([k]) => typeof k === "string")) {
        const obj: Record<string, unknown> = {};
        for (const [k, x] of pairs) define(obj, k as string, walk(x, path === "" ? (k as string) : `${path}.${k as string}`));
        out = isPyTorchOptimizerStateDict(obj) ? optimizerStateFromPyTorch(obj, values)
          : isPyTorchSchedulerStateDict(obj) ? schedulerStateFromPyTorch(obj) : obj;
      } else {
        const map = new Map<unknown, unknown>();
        for (const [k, x] of pairs) map.set(walk(k, `${path}{key}`), walk(x, `${path}[${String(k)}]`));
        out = map;
      }
    }
    ancestors.delete(v);
    converted.set(v, out);
    return out;
  };
  return walk(raw, "");
}

/** Replaces every tensor reference in `root` by a torchlet tensor; decodes all before making any. */
function materialize(root: unknown, budget: LoadBudget): unknown {
  const found = new Map<TensorRef, string>();
  visit(root, "", (ref, name) => { if (!found.has(ref)) found.set(ref, name); return ref; });
  const decoded = new Map<TensorRef, Decoded>();
  for (const [ref, name] of found) decoded.set(ref, decode(ref, name === "" ? "the tensor" : name, budget));
  const made = new Map<TensorRef, Tensor>();
  try {
    for (const [ref, d] of decoded) {
      made.set(ref, tensor(d.values, { shape: d.shape, dtype: d.dtype, requiresGrad: d.requiresGrad && d.dtype === "float32" }));
    }
  } catch (e) {
    for (const t of made.values()) t.dispose();
    throw e;
  }
  return visit(root, "", (ref) => made.get(ref)!);
}

/** Walks containers (each once), replacing each tensor reference by `fn(ref, path)`. */
function visit(root: unknown, path: string, fn: (ref: TensorRef, path: string) => unknown): unknown {
  const seen = new Set<object>();
  const go = (v: unknown, p: string): unknown => {
    if (isTensorRef(v)) return fn(v, p);
    if (v === null || typeof v !== "object" || seen.has(v) || ArrayBuffer.isView(v)) return v;
    seen.add(v);
    if (Array.isArray(v)) for (let i = 0; i < v.length; i++) v[i] = go(v[i], `${p}[${i}]`);
    else if (v instanceof Map) for (const [k, x] of v) v.set(k, go(x, `${p}[${String(k)}]`));
    else if (v instanceof Set) {
      const items = [...v];
      v.clear();
      for (const x of items) v.add(go(x, p));
    } else {
      const o = v as Record<string, unknown>;
      for (const k of Object.keys(o)) o[k] = go(o[k], p === "" ? k : `${p}.${k}`);
    }
    return v;
  };
  return go(root, path);
}
