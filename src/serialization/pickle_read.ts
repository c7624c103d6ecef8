// A pickle reader for checkpoints, after torch/_weights_only_unpickler.py: the same opcodes
// (protocol 2, as torch.save writes), GLOBAL resolved only against a short allowlist of the
// names a weights-only checkpoint uses, REDUCE only of allowlisted rebuild functions, BUILD
// only on tensors and OrderedDicts. Nothing named in the file is ever looked up or called:
// each allowed name maps to a small function here. Every read is bounds-checked, and a
// memo reference must name something stored.
import { type TensorRef, type StorageRef, STORAGE_CLASSES, tensorRef } from "./tensor_ref.js";

/** A Python tuple (kept apart from lists while reading: only lists take APPEND). */
export class PyTuple {
  constructor(readonly items: unknown[]) {}
}

/** A Python dict (dict, OrderedDict, Counter): insertion-ordered, keyed as Python keys them. */
export class PyDict {
  readonly entries = new Map<string, [unknown, unknown]>();
  set(key: unknown, value: unknown, at: number): void {
    this.entries.set(hashKey(key, at), [key, value]);
  }
}

/** An allowlisted global: a class or function reference that only REDUCE (or a pid) may use. */
export class PyGlobal {
  constructor(readonly name: string) {}
}

/** What a persistent id (BINPERSID) resolves to: the loader's storages. */
export type PersistentLoad = (pid: unknown, at: number) => StorageRef;

const DTYPE_GLOBALS = ["float64", "float32", "float16", "bfloat16", "int64", "int32", "int16", "int8", "uint8", "bool"];

/** The names a weights-only checkpoint uses that this reader understands. */
export const ALLOWED_GLOBALS: readonly string[] = [
  "collections.OrderedDict", "collections.Counter", "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor",
  "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state", "torch._tensor._rebuild_from_type_v2",
  "torch.Tensor", "torch.nn.parameter.Parameter", "torch.Size", "torch.device", "_codecs.encode", "builtins.set",
  "builtins.bytearray", ...Object.keys(STORAGE_CLASSES), ...DTYPE_GLOBALS.map((d) => `torch.${d}`),
];
const ALLOWED = new Set(ALLOWED_GLOBALS);

const OPCODE_NAMES: Record<number, string> = {
  0x28: "MARK", 0x2e: "STOP", 0x30: "POP", 0x31: "POP_MARK", 0x32: "DUP", 0x46: "FLOAT", 0x49: "INT", 0x4c: "LONG",
  0x50: "PERSID", 0x53: "STRING", 0x54: "BINSTRING", 0x56: "UNICODE", 0x42: "BINBYTES", 0x43: "SHORT_BINBYTES",
  0x63: "GLOBAL", 0x64: "DICT", 0x67: "GET", 0x69: "INST", 0x6c: "LIST", 0x6f: "OBJ", 0x70: "PUT", 0x74: "TUPLE",
  0x81: "NEWOBJ", 0x82: "EXT1", 0x83: "EXT2", 0x84: "EXT4", 0x8b: "LONG4", 0x8c: "SHORT_BINUNICODE",
  0x8d: "BINUNICODE8", 0x8e: "BINBYTES8", 0x90: "ADDITEMS", 0x91: "FROZENSET", 0x92: "NEWOBJ_EX",
  0x93: "STACK_GLOBAL", 0x94: "MEMOIZE", 0x95: "FRAME", 0x96: "BYTEARRAY8", 0x97: "NEXT_BUFFER", 0x98: "READONLY_BUFFER",
};

/** Python 2 module names that protocol-2 pickles may carry (pickle's IMPORT_MAPPING, the part that applies). */
const MODULE_RENAMES: Record<string, string> = { __builtin__: "builtins", copy_reg: "copyreg" };

const MAX_GLOBAL_LINE = 256;

function fail(msg: string, at: number): never {
  throw new Error(`torch.load: ${msg} (pickle byte ${at})`);
}

/**
 * Reads one pickle. `persistentLoad` resolves storage ids; `where` names the pickle for
 * messages. Returns the raw value: PyDict, PyTuple, arrays (lists), TensorRef, numbers,
 * strings, booleans, null, Uint8Array (bytes), Set.
 */
export function readPickle(bytes: Uint8Array, persistentLoad: PersistentLoad): unknown {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const utf8 = new TextDecoder("utf-8", { fatal: true });
  let pos = 0;
  let stack: unknown[] = [];
  const metastack: unknown[][] = [];
  const memo = new Map<number, unknown>();

  const need = (n: number, what: string): number => {
    if (pos + n > bytes.length) fail(`the pickle ends inside ${what}: it is truncated`, pos);
    const at = pos;
    pos += n;
    return at;
  };
  const pop = (op: string, at: number): unknown => {
    if (stack.length === 0) fail(`${op} on an empty stack`, at);
    return stack.pop();
  };
  const top = (op: string, at: number): unknown => {
    if (stack.length === 0) fail(`${op} on an empty stack`, at);
    return stack[stack.length - 1];
  };
  const popMark = (op: string, at: number): unknown[] => {
    const items = stack;
    const outer = metastack.pop();
    if (outer === undefined) fail(`${op} without a MARK`, at);
    stack = outer;
    return items;
  };
  const line = (at: number): string => {
    const end = bytes.indexOf(0x0a, pos);
    if (end < 0 || end - pos > MAX_GLOBAL_LINE) fail("a GLOBAL name that is not a short line of text", at);
    let s: string;
    try {
      s = utf8.decode(bytes.subarray(pos, end));
    } catch {
      fail("a GLOBAL name that is not UTF-8", at);
    }
    pos = end + 1;
    return s;
  };
  const setItem = (target: unknown, k: unknown, v: unknown, op: string, at: number): void => {
    if (!(target instanceof PyDict)) fail(`${op} on ${pyType(target)}; only a dict takes it`, at);
    target.set(k, v, at);
  };

  for (;;) {
    const at = need(1, "an opcode");
    const op = bytes[at];
    switch (op) {
      case 0x80: { // PROTO
        const p = bytes[need(1, "PROTO")];
        if (p > 5) fail(`pickle protocol ${p} is not one Python writes`, at);
        break;
      }
      case 0x2e: { // STOP
        const result = pop("STOP", at);
        return result;
      }
      case 0x63: { // GLOBAL
        let module = line(at);
        const name = line(at);
        module = MODULE_RENAMES[module] ?? module;
        const full = `${module}.${name}`;
        if (!ALLOWED.has(full)) {
          fail(`refusing GLOBAL ${full}: not a name a weights-only checkpoint uses, and torchlet runs nothing from a ` +
            `pickle. A checkpoint may name only: ${ALLOWED_GLOBALS.slice(0, 14).join(", ")}, PyTorch's storage ` +
            `classes and dtypes`, at);
        }
        stack.push(new PyGlobal(full));
        break;
      }
      case 0x52: { // REDUCE
        const args = pop("REDUCE", at);
        const fn = pop("REDUCE", at);
        if (!(fn instanceof PyGlobal)) fail(`REDUCE of ${pyType(fn)}; only allowlisted functions may be called`, at);
        if (!(args instanceof PyTuple)) fail(`REDUCE of ${fn.name} with ${pyType(args)} as its arguments; expected a tuple`, at);
        stack.push(reduce(fn.name, args.items, at));
        break;
      }
      case 0x62: { // BUILD
        pop("BUILD", at);
        const inst = top("BUILD", at);
        // A Parameter's or a tensor's Python attributes and an OrderedDict's __dict__ (a state
        // dict's _metadata): nothing a torchlet value keeps.
        if (!(isTensor(inst) || inst instanceof PyDict)) fail(`BUILD on ${pyType(inst)}; only a tensor or an OrderedDict takes it`, at);
        break;
      }
      case 0x81: { // NEWOBJ
        pop("NEWOBJ", at);
        const cls = pop("NEWOBJ", at);
        fail(`NEWOBJ of ${cls instanceof PyGlobal ? cls.name : pyType(cls)}: torchlet creates no Python objects`, at);
        break;
      }
      case 0x61: { // APPEND
        const item = pop("APPEND", at);
        const list = top("APPEND", at);
        if (!Array.isArray(list)) fail(`APPEND to ${pyType(list)}; only a list takes it`, at);
        list.push(item);
        break;
      }
      case 0x65: { // APPENDS
        const items = popMark("APPENDS", at);
        const list = top("APPENDS", at);
        if (!Array.isArray(list)) fail(`APPENDS to ${pyType(list)}; only a list takes it`, at);
        for (const x of items) list.push(x);
        break;
      }
      case 0x73: { // SETITEM
        const v = pop("SETITEM", at);
        const k = pop("SETITEM", at);
        setItem(top("SETITEM", at), k, v, "SETITEM", at);
        break;
      }
      case 0x75: { // SETITEMS
        const items = popMark("SETITEMS", at);
        if (items.length % 2 !== 0) fail("SETITEMS with a key that has no value", at);
        const target = top("SETITEMS", at);
        for (let i = 0; i < items.length; i += 2) setItem(target, items[i], items[i + 1], "SETITEMS", at);
        break;
      }
      case 0x28: // MARK
        metastack.push(stack);
        stack = [];
        break;
      case 0x74: { // TUPLE
        const items = popMark("TUPLE", at); // before `stack.push`: popMark replaces `stack`
        stack.push(new PyTuple(items));
        break;
      }
      case 0x85: case 0x86: case 0x87: { // TUPLE1, TUPLE2, TUPLE3
        const n = op - 0x84;
        const items: unknown[] = [];
        for (let i = 0; i < n; i++) items.unshift(pop(`TUPLE${n}`, at));
        stack.push(new PyTuple(items));
        break;
      }
      case 0x4e: stack.push(null); break; // NONE
      case 0x89: stack.push(false); break; // NEWFALSE
      case 0x88: stack.push(true); break; // NEWTRUE
      case 0x29: stack.push(new PyTuple([])); break; // EMPTY_TUPLE
      case 0x5d: stack.push([]); break; // EMPTY_LIST
      case 0x7d: stack.push(new PyDict()); break; // EMPTY_DICT
      case 0x8f: stack.push(new Set()); break; // EMPTY_SET
      case 0x4a: stack.push(view.getInt32(need(4, "BININT"), true)); break;
      case 0x4b: stack.push(bytes[need(1, "BININT1")]); break;
      case 0x4d: stack.push(view.getUint16(need(2, "BININT2"), true)); break;
      case 0x47: stack.push(view.getFloat64(need(8, "BINFLOAT"), false)); break;
      case 0x8a: { // LONG1
        const n = bytes[need(1, "LONG1")];
        stack.push(decodeLong(bytes.subarray(need(n, "LONG1"), pos), at));
        break;
      }
      case 0x58: { // BINUNICODE
        const n = view.getUint32(need(4, "BINUNICODE"), true);
        const s = need(n, "a string");
        try {
          stack.push(utf8.decode(bytes.subarray(s, s + n)));
        } catch {
          fail("a string that is not UTF-8", at);
        }
        break;
      }
      case 0x55: { // SHORT_BINSTRING (Python 2 str): read as Latin-1 text
        const n = bytes[need(1, "SHORT_BINSTRING")];
        const s = need(n, "a string");
        stack.push(String.fromCharCode(...bytes.subarray(s, s + n)));
        break;
      }
      case 0x51: // BINPERSID
        stack.push(persistentLoad(pop("BINPERSID", at), at));
        break;
      case 0x68: case 0x6a: { // BINGET, LONG_BINGET
        const i = op === 0x68 ? bytes[need(1, "BINGET")] : view.getUint32(need(4, "LONG_BINGET"), true);
        if (!memo.has(i)) fail(`memo reference ${i} is out of range (nothing was stored under it)`, at);
        stack.push(memo.get(i));
        break;
      }
      case 0x71: case 0x72: { // BINPUT, LONG_BINPUT
        const i = op === 0x71 ? bytes[need(1, "BINPUT")] : view.getUint32(need(4, "LONG_BINPUT"), true);
        memo.set(i, top("BINPUT", at));
        break;
      }
      default:
        fail(`pickle opcode 0x${op.toString(16).padStart(2, "0")}${OPCODE_NAMES[op] ? ` (${OPCODE_NAMES[op]})` : ""} is not ` +
          "one a weights-only checkpoint uses (PyTorch's weights_only loader refuses it too)", at);
    }
  }
}

function isTensor(v: unknown): v is TensorRef {
  return typeof v === "object" && v !== null && (v as TensorRef).kind === "tensor";
}

/** Calls the allowlisted function `name` (REDUCE). */
function reduce(name: string, args: unknown[], at: number): unknown {
  const arity = (lo: number, hi = lo): void => {
    if (args.length < lo || args.length > hi) fail(`${name} takes ${lo === hi ? lo : `${lo} to ${hi}`} arguments, got ${args.length}`, at);
  };
  switch (name) {
    case "collections.OrderedDict": case "collections.Counter": {
      arity(0, 1);
      const d = new PyDict();
      if (args.length === 1) {
        if (!(args[0] instanceof PyDict)) fail(`${name} of ${pyType(args[0])}; expected a dict`, at);
        for (const [hk, kv] of args[0].entries) d.entries.set(hk, kv);
      }
      return d;
    }
    case "torch._utils._rebuild_tensor_v2": case "torch._utils._rebuild_tensor": {
      // (storage, storage_offset, size, stride[, requires_grad, backward_hooks[, metadata]])
      if (name.endsWith("_v2")) arity(6, 7); else arity(4);
      const [storage, offset, size, stride, requiresGrad] = args;
      return tensorRef(storage, offset, intTuple(size, "size", at), intTuple(stride, "stride", at), requiresGrad === true, at);
    }
    case "torch._utils._rebuild_parameter": case "torch._utils._rebuild_parameter_with_state": {
      // (data, requires_grad, backward_hooks[, state])
      arity(name.endsWith("state") ? 4 : 3);
      if (!isTensor(args[0])) fail(`${name} of ${pyType(args[0])}; expected a tensor`, at);
      return { ...args[0], requiresGrad: args[1] === true };
    }
    case "torch._tensor._rebuild_from_type_v2": {
      // (func, new_type, args, state): a plain Tensor or a Parameter rebuilt by an allowlisted func
      arity(4);
      const [fn, type, inner] = args;
      if (!(fn instanceof PyGlobal) || !(inner instanceof PyTuple)) fail(`${name} with malformed arguments`, at);
      if (!(type instanceof PyGlobal) || (type.name !== "torch.Tensor" && type.name !== "torch.nn.parameter.Parameter")) {
        fail(`${name} to ${type instanceof PyGlobal ? type.name : pyType(type)}: torchlet reads plain tensors and Parameters only`, at);
      }
      return reduce(fn.name, inner.items, at);
    }
    case "torch.Size":
      arity(1);
      return new PyTuple(intTuple(args[0], "torch.Size", at));
    case "torch.device":
      arity(1, 2);
      if (typeof args[0] !== "string") fail(`torch.device of ${pyType(args[0])}`, at);
      return args.length === 2 && args[1] !== null ? `${args[0]}:${String(args[1])}` : args[0];
    case "_codecs.encode": {
      // protocol 2's bytes: encode(text, "latin1")
      arity(2);
      const [text, enc] = args;
      if (typeof text !== "string" || (enc !== "latin1" && enc !== "latin-1")) fail("_codecs.encode other than (text, \"latin1\")", at);
      const out = new Uint8Array(text.length);
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c > 255) fail("_codecs.encode of a character beyond Latin-1", at);
        out[i] = c;
      }
      return out;
    }
    case "builtins.set": {
      arity(0, 1);
      const items = args.length === 0 ? [] : args[0] instanceof PyTuple ? args[0].items : args[0];
      if (!Array.isArray(items)) fail(`set of ${pyType(args[0])}; expected a list`, at);
      return new Set(items);
    }
    case "builtins.bytearray": {
      arity(0, 1);
      if (args.length === 0) return new Uint8Array(0);
      if (!(args[0] instanceof Uint8Array)) fail(`bytearray of ${pyType(args[0])}; expected bytes`, at);
      return args[0].slice();
    }
    default:
      return fail(`${name} is not a function a checkpoint calls`, at);
  }
}

/** A tuple of non-negative safe integers (a size or stride). */
function intTuple(v: unknown, what: string, at: number): number[] {
  const items = v instanceof PyTuple ? v.items : Array.isArray(v) ? v : null;
  if (items === null || !items.every((x) => typeof x === "number" && Number.isSafeInteger(x) && x >= 0)) {
    fail(`a tensor's ${what} must be a tuple of non-negative integers, got ${pyType(v)}`, at);
  }
  return items as number[];
}

/** LONG1's little-endian two's complement integer, which must fit a double exactly. */
function decodeLong(b: Uint8Array, at: number): number {
  if (b.length === 0) return 0;
  let x = 0n;
  for (let i = b.length - 1; i >= 0; i--) x = (x << 8n) | BigInt(b[i]);
  if (b[b.length - 1] & 0x80) x -= 1n << BigInt(8 * b.length);
  if (x > BigInt(Number.MAX_SAFE_INTEGER) || x < BigInt(Number.MIN_SAFE_INTEGER)) {
    fail(`the integer ${x} is beyond what a JavaScript number holds exactly (±2^53)`, at);
  }
  return Number(x);
}

/** Python's key identity for the key types a checkpoint uses (True == 1, 1 == 1.0). */
function hashKey(key: unknown, at: number): string {
  if (typeof key === "string") return `s${key}`;
  if (typeof key === "number") return `n${key}`;
  if (typeof key === "boolean") return `n${key ? 1 : 0}`;
  if (key === null) return "None";
  if (key instanceof PyTuple) return `t(${key.items.map((x) => hashKey(x, at)).join(",")})`;
  return fail(`unhashable dict key: ${pyType(key)}`, at);
}

/** A Python-ish name of a value's type, for messages. */
export function pyType(v: unknown): string {
  if (v === null) return "None";
  if (Array.isArray(v)) return "a list";
  if (v instanceof PyTuple) return "a tuple";
  if (v instanceof PyDict) return "a dict";
  if (v instanceof PyGlobal) return v.name;
  if (v instanceof Uint8Array) return "bytes";
  if (v instanceof Set) return "a set";
  if (isTensor(v)) return "a tensor";
  if (typeof v === "object" && (v as StorageRef).kind === "storage") return "a storage";
  return `a ${typeof v === "number" ? (Number.isInteger(v) ? "int" : "float") : typeof v === "string" ? "str" : typeof v === "boolean" ? "bool" : typeof v}`;
}
