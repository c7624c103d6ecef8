// The bytes torch.save writes, read with a zip and pickle walker written here, held to the
// rules PyTorch's own file follows. The same walker reads model.pt (written by PyTorch 2.13,
// test/golden/gen_checkpoints.py) and torchlet's re-save of its state dict: the entry names
// and their order, the small records, the storages' bytes, 64-byte alignment of every
// record, stored entries with a data descriptor, the central directory, and the pickle's
// opcodes and globals must agree.
import * as torch from "../../build/torchlet.js";
import { assert, assertEqual } from "./assert.ts";
import { fixtureBytes } from "./serialization_load.ts";

interface Entry { name: string; data: Uint8Array; offset: number; flags: number; method: number }

function crc32(b: Uint8Array): number {
  let c = ~0;
  for (let i = 0; i < b.length; i++) {
    c ^= b[i];
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

/** Walks local headers from byte 0 as PyTorch's writer lays them out; checks the central directory agrees. */
function walkZip(bytes: Uint8Array, what: string): Entry[] {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dec = new TextDecoder();
  const out: Entry[] = [];
  let p = 0;
  while (v.getUint32(p, true) === 0x04034b50) {
    const flags = v.getUint16(p + 6, true), method = v.getUint16(p + 8, true);
    assertEqual([v.getUint16(p + 4, true), flags, method], [0, 0x0808, 0], `${what}: version, flags (data descriptor, UTF-8), stored`);
    assertEqual([v.getUint32(p + 14, true), v.getUint32(p + 18, true), v.getUint32(p + 22, true)], [0, 0, 0], `${what}: crc and sizes deferred`);
    const n = v.getUint16(p + 26, true), x = v.getUint16(p + 28, true);
    const name = dec.decode(bytes.subarray(p + 30, p + 30 + n));
    const extra = bytes.subarray(p + 30 + n, p + 30 + n + x);
    assertEqual([extra[0], extra[1], extra[2] | (extra[3] << 8)], [0x46, 0x42, x - 4], `${what}: ${name} "FB" padding field`);
    assert(extra.subarray(4).every((c) => c === 0x5a), `${what}: ${name} padding is "Z"s`);
    const start = p + 30 + n + x;
    assertEqual(start % 64, 0, `${what}: ${name} data starts on a 64-byte boundary`);
    // the data descriptor follows the data: find it by the sizes it carries
    let end = start;
    while (!(v.getUint32(end, true) === 0x08074b50 && v.getUint32(end + 8, true) === end - start && v.getUint32(end + 12, true) === end - start)) end++;
    const data = bytes.subarray(start, end);
    assertEqual(v.getUint32(end + 4, true), crc32(data), `${what}: ${name} CRC-32 in the data descriptor`);
    out.push({ name, data, offset: p, flags, method });
    p = end + 16;
  }
  const cd = p;
  for (const e of out) {
    assertEqual(v.getUint32(p, true), 0x02014b50, `${what}: central header of ${e.name}`);
    assertEqual([v.getUint16(p + 8, true), v.getUint32(p + 16, true), v.getUint32(p + 24, true), v.getUint32(p + 42, true)],
      [0x0808, crc32(e.data), e.data.length, e.offset], `${what}: central header of ${e.name} (flags, crc, size, offset)`);
    p += 46 + v.getUint16(p + 28, true) + v.getUint16(p + 30, true) + v.getUint16(p + 32, true);
  }
  // miniz writes a zip64 end record and its locator even for small archives
  assertEqual([v.getUint32(p, true), v.getUint32(p + 4, true), v.getUint16(p + 12, true), v.getUint16(p + 14, true),
    v.getUint32(p + 24, true), v.getUint32(p + 32, true), v.getUint32(p + 40, true), v.getUint32(p + 48, true)],
  [0x06064b50, 44, 0x031e, 45, out.length, out.length, p - cd, cd], `${what}: zip64 end of central directory`);
  assertEqual([v.getUint32(p + 56, true), v.getUint32(p + 64, true), v.getUint32(p + 72, true)], [0x07064b50, p, 1], `${what}: zip64 locator`);
  const end = p + 76;
  assertEqual([v.getUint32(end, true), v.getUint16(end + 10, true), v.getUint32(end + 12, true), v.getUint32(end + 16, true), end + 22],
    [0x06054b50, out.length, p - cd, cd, bytes.length], `${what}: end of central directory`);
  return out;
}

const ARG_BYTES: Record<number, number> = { 0x80: 1, 0x71: 1, 0x72: 4, 0x68: 1, 0x6a: 4, 0x4b: 1, 0x4d: 2, 0x4a: 4, 0x47: 8 };
/** The opcodes torch/_weights_only_unpickler.py accepts. */
const WEIGHTS_ONLY = new Set([0x80, 0x2e, 0x63, 0x52, 0x62, 0x81, 0x61, 0x65, 0x73, 0x75, 0x28, 0x74, 0x85, 0x86, 0x87, 0x4e, 0x89, 0x88,
  0x29, 0x5d, 0x7d, 0x8f, 0x4a, 0x4b, 0x4d, 0x47, 0x8a, 0x58, 0x55, 0x51, 0x68, 0x6a, 0x71, 0x72]);

/** The pickle's opcodes and GLOBAL names. */
function walkPickle(b: Uint8Array): { ops: number[]; globals: string[] } {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const ops: number[] = [], globals: string[] = [];
  let p = 0;
  while (p < b.length) {
    const op = b[p++];
    ops.push(op);
    if (op === 0x63) {
      const a = b.indexOf(10, p), c = b.indexOf(10, a + 1);
      globals.push(`${new TextDecoder().decode(b.subarray(p, a))}.${new TextDecoder().decode(b.subarray(a + 1, c))}`);
      p = c + 1;
    } else if (op === 0x58) p += 4 + v.getUint32(p, true);
    else if (op === 0x8a || op === 0x55) p += 1 + b[p];
    else p += ARG_BYTES[op] ?? 0;
  }
  return { ops, globals };
}

export const tests: Record<string, () => void> = {
  "torch.save's archive follows PyTorch's layout: names and order, small records, storages' bytes, alignment, descriptors": () => {
    const theirs = fixtureBytes("model.pt");
    const mine = torch.save(torch.load(theirs));
    const a = walkZip(theirs, "PyTorch's model.pt"), b = walkZip(mine, "torch.save");
    assertEqual(b.map((e) => e.name), a.map((e) => e.name), "entry names in PyTorch's order");
    for (const e of a) {
      if (e.name.endsWith("data.pkl") || e.name.endsWith("serialization_id")) continue;
      const m = b.find((x) => x.name === e.name)!;
      assertEqual(Array.from(m.data), Array.from(e.data), `${e.name}: same bytes as PyTorch's`);
    }
    assertEqual(b.find((e) => e.name.endsWith("serialization_id"))!.data.length, 40, "a 40-digit serialization id");
  },

  "torch.save's pickle: protocol 2, only opcodes PyTorch's weights-only loader takes, PyTorch's globals, one persistent id per storage": () => {
    const theirs = fixtureBytes("model.pt");
    const pkl = (bytes: Uint8Array) => walkZip(bytes, "archive").find((e) => e.name === "archive/data.pkl")!.data;
    const a = walkPickle(pkl(theirs)), b = walkPickle(pkl(torch.save(torch.load(theirs))));
    assertEqual([b.ops[0], pkl(torch.save({}))[1], b.ops[b.ops.length - 1]], [0x80, 2, 0x2e], "PROTO 2 … STOP");
    const refused = b.ops.filter((op) => !WEIGHTS_ONLY.has(op));
    assertEqual(refused, [], "opcodes outside the weights-only set");
    assertEqual([...new Set(b.globals)].sort(), [...new Set(a.globals)].sort(), "GLOBAL names (OrderedDict, _rebuild_tensor_v2, FloatStorage)");
    assertEqual(b.ops.filter((op) => op === 0x51).length, a.ops.filter((op) => op === 0x51).length, "BINPERSID per storage");
  },

  "torch.save: a tensor appearing twice is pickled once (a memo reference), so PyTorch gets one shared tensor": () => {
    const t = torch.tensor([1, 2]);
    const bytes = torch.save({ a: t, b: t });
    const entries = walkZip(bytes, "shared");
    assertEqual(entries.filter((e) => e.name.includes("/data/")).length, 1, "one storage");
    const back = torch.load(bytes) as { a: unknown; b: unknown };
    assert(back.a === back.b, "loaded as one tensor");
  },
};
