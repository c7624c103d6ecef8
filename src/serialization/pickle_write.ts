// A protocol-2 pickle writer for what torch.save writes: None, bool, int, float, str, bytes,
// tuple, list, dict and tensors (as torch._utils._rebuild_tensor_v2 over a persistent
// storage id), with the opcodes Python's own pickler picks for each (Lib/pickle.py:
// save_long, save_dict's batches of 1000, TUPLE1-3) so the result reads as PyTorch's does.
import type { StorageDType } from "./tensor_ref.js";

/** A value that pickles as a Python tuple (JS arrays pickle as lists). */
export class Tuple {
  constructor(readonly items: readonly PickleValue[]) {}
}

/** A call of an allowlisted Python callable: `module.name(*args)` (REDUCE), e.g. collections.Counter. */
export class Call {
  constructor(readonly module: string, readonly name: string, readonly args: readonly PickleValue[]) {}
}

/** A tensor to pickle: its storage is written as the zip entry `data/<key>`. */
export class SavedTensor {
  constructor(
    readonly key: string,
    readonly storageClass: string,
    readonly numel: number,
    readonly shape: readonly number[],
    readonly requiresGrad: boolean,
    readonly bytes: Uint8Array,
    readonly dtype: StorageDType,
  ) {}
}

export type PickleValue =
  | null | boolean | number | string | Uint8Array | Tuple | Call | SavedTensor | PickleValue[]
  | Map<string | number | boolean | null, PickleValue>;

const BATCH = 1000;

export function writePickle(value: PickleValue): Uint8Array {
  const enc = new TextEncoder();
  let buf = new Uint8Array(1024);
  let n = 0;
  const memo = new Map<unknown, number>();
  const globals = new Map<string, number>();

  const reserve = (k: number): void => {
    if (n + k <= buf.length) return;
    let size = buf.length * 2;
    while (size < n + k) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(buf.subarray(0, n));
    buf = grown;
  };
  const byte = (b: number): void => { reserve(1); buf[n++] = b; };
  const raw = (b: Uint8Array): void => { reserve(b.length); buf.set(b, n); n += b.length; };
  const u32 = (x: number): void => {
    reserve(4);
    new DataView(buf.buffer).setUint32(n, x, true);
    n += 4;
  };
  const put = (key: unknown): void => {
    const i = memo.size + globals.size;
    memo.set(key, i);
    if (i < 256) { byte(0x71); byte(i); } else { byte(0x72); u32(i); } // BINPUT / LONG_BINPUT
  };
  const get = (i: number): void => {
    if (i < 256) { byte(0x68); byte(i); } else { byte(0x6a); u32(i); } // BINGET / LONG_BINGET
  };
  const global = (module: string, name: string): void => {
    const full = `${module}\n${name}\n`;
    const seen = globals.get(full);
    if (seen !== undefined) return get(seen);
    byte(0x63); // GLOBAL
    raw(enc.encode(full));
    const i = memo.size + globals.size;
    globals.set(full, i);
    if (i < 256) { byte(0x71); byte(i); } else { byte(0x72); u32(i); }
  };
  const int = (x: number): void => {
    if (x >= 0 && x <= 0xff) { byte(0x4b); byte(x); return; } // BININT1
    if (x >= 0 && x <= 0xffff) { byte(0x4d); byte(x & 0xff); byte(x >> 8); return; } // BININT2
    if (x >= -0x80000000 && x <= 0x7fffffff) { byte(0x4a); u32(x >>> 0); return; } // BININT
    // LONG1: little-endian two's complement, as short as the sign allows
    let v = BigInt(x);
    const bytes: number[] = [];
    while (true) {
      bytes.push(Number(v & 0xffn));
      v >>= 8n;
      const sign = bytes[bytes.length - 1] & 0x80;
      if ((v === 0n && !sign) || (v === -1n && sign)) break;
    }
    byte(0x8a); byte(bytes.length);
    for (const b of bytes) byte(b);
  };
  const float = (x: number): void => {
    byte(0x47); // BINFLOAT, big-endian
    reserve(8);
    new DataView(buf.buffer).setFloat64(n, x, false);
    n += 8;
  };
  const str = (s: string): void => {
    const b = enc.encode(s);
    byte(0x58); u32(b.length); raw(b); // BINUNICODE
  };
  const tuple = (items: readonly PickleValue[]): void => {
    if (items.length === 0) { byte(0x29); return; } // EMPTY_TUPLE
    if (items.length > 3) byte(0x28); // MARK
    for (const x of items) save(x);
    byte(items.length > 3 ? 0x74 : 0x84 + items.length); // TUPLE / TUPLE1-3
  };
  const batches = <T>(items: T[], one: (x: T) => void, single: number, many: number): void => {
    for (let i = 0; i < items.length; i += BATCH) {
      const batch = items.slice(i, i + BATCH);
      if (batch.length > 1) byte(0x28);
      for (const x of batch) one(x);
      byte(batch.length > 1 ? many : single);
    }
  };
  const orderedDict = (): void => {
    global("collections", "OrderedDict");
    byte(0x29); byte(0x52); // EMPTY_TUPLE, REDUCE
  };
  const tensor = (t: SavedTensor): void => {
    global("torch._utils", "_rebuild_tensor_v2");
    byte(0x28); // MARK: the arguments
    byte(0x28); // MARK: the persistent id ("storage", class, key, location, numel)
    str("storage");
    const dot = t.storageClass.lastIndexOf(".");
    global(t.storageClass.slice(0, dot), t.storageClass.slice(dot + 1));
    str(t.key);
    str("cpu");
    int(t.numel);
    byte(0x74); // TUPLE
    byte(0x51); // BINPERSID
    int(0);
    const strides: number[] = [];
    let s = 1;
    for (let i = t.shape.length - 1; i >= 0; i--) { strides.unshift(s); s *= t.shape[i]; }
    tuple(t.shape);
    tuple(strides);
    byte(t.requiresGrad ? 0x88 : 0x89);
    orderedDict(); // backward_hooks
    byte(0x74); // TUPLE
    byte(0x52); // REDUCE
  };

  function save(v: PickleValue): void {
    if (v === null) { byte(0x4e); return; }
    if (v === true) { byte(0x88); return; }
    if (v === false) { byte(0x89); return; }
    if (typeof v === "number") {
      if (Number.isSafeInteger(v) && !Object.is(v, -0)) int(v); else float(v);
      return;
    }
    if (typeof v === "string") { str(v); return; }
    if (v instanceof Tuple) { tuple(v.items); return; }
    if (v instanceof Call) {
      global(v.module, v.name);
      tuple(v.args);
      byte(0x52); // REDUCE
      return;
    }
    const seen = memo.get(v);
    if (seen !== undefined) { get(seen); return; }
    if (v instanceof SavedTensor) { tensor(v); put(v); return; }
    if (v instanceof Uint8Array) {
      // protocol 2 has no bytes opcode; Python writes _codecs.encode(text, "latin1")
      global("_codecs", "encode");
      tuple([latin1(v), "latin1"]);
      byte(0x52);
      put(v);
      return;
    }
    if (Array.isArray(v)) {
      byte(0x5d); // EMPTY_LIST
      put(v);
      batches(v, save, 0x61, 0x65); // APPEND / APPENDS
      return;
    }
    byte(0x7d); // EMPTY_DICT
    put(v);
    batches([...v], ([k, x]) => { save(k); save(x); }, 0x73, 0x75); // SETITEM / SETITEMS
  }

  byte(0x80); byte(2); // PROTO 2
  save(value);
  byte(0x2e); // STOP
  return buf.slice(0, n);
}

/** Bytes as the Latin-1 text whose code points they are. */
function latin1(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i += 4096) s += String.fromCharCode(...b.subarray(i, i + 4096));
  return s;
}
