// Files torch.load must refuse, each with a message that says what is wrong, having made no
// tensor and taken no memory: pickles that call os.system or eval, or build an unknown class
// (written by PyTorch's torch.save from objects with __reduce__), a view past its storage,
// containers nested 150 deep, a memo reference to nothing, a storage id claiming 10 GB, a
// zip64 entry claiming 10 GB, truncated and compressed archives (gen_checkpoints.py), and
// torch.save's refusals of what PyTorch's loader could not take back.
import * as torch from "../../build/torchlet.js";
import { assert, assertThrows } from "./assert.ts";
import { fixtureBytes } from "./serialization_load.ts";

/** Loads `bytes`, expecting an error matching `re`, with no tensor made and no memory taken. */
function refused(bytes: Uint8Array, re: RegExp, what: string): void {
  const before = torch.memory();
  assertThrows(() => torch.load(bytes), re, what);
  const after = torch.memory();
  assert(after.tensors === before.tensors && after.bytesInUse === before.bytesInUse,
    `${what}: memory changed (${before.tensors} → ${after.tensors} tensors, ${before.bytesInUse} → ${after.bytesInUse} bytes)`);
}

const CASES: [string, RegExp, string][] = [
  ["hostile_os_system.pt", /refusing GLOBAL posix\.system: not a name a weights-only checkpoint uses/, "os.system"],
  ["hostile_eval.pt", /refusing GLOBAL builtins\.eval/, "builtins.eval"],
  ["hostile_unknown_class.pt", /refusing GLOBAL __main__\.Unknown/, "an unknown class"],
  ["hostile_view_out_of_storage.pt", /shape \[5, 5\], storage offset 0, strides \[5, 1\] reaches element 24 of a storage of 4 elements/, "a view past its storage"],
  ["hostile_deep.pt", /nested deeper than 100 containers/, "150 nested lists"],
  ["hostile_memo.pt", /memo reference 200 is out of range/, "BINGET of nothing"],
  ["hostile_storage_claim.pt", /storage "0" claims 2500000000 float32 elements \(10000000000 bytes\) but its record holds 16 bytes/, "a storage id claiming 10 GB"],
  ["hostile_10gb_claim.pt", /10737418240, beyond the archive's \d+ bytes/, "a zip64 size of 10 GB"],
  ["compressed.pt", /compressed \(zip method 8, deflate\).*re-save it with torch\.save/, "a deflated entry"],
  ["int64_too_big.pt", /ids is an int64 tensor holding 1099511627776/, "int64 beyond int32"],
];

export const tests: Record<string, () => void> = {};

for (const [file, re, what] of CASES) {
  tests[`torch.load refuses ${what} (${file}), naming it, with nothing made`] = () => refused(fixtureBytes(file), re, what);
}

Object.assign(tests, {
  "torch.load refuses truncated archives: half a file, the last byte gone, a record's bytes cut": () => {
    const good = fixtureBytes("model.pt");
    refused(good.slice(0, good.length >> 1), /no end-of-central-directory record .*truncated/, "half");
    refused(good.slice(0, good.length - 1), /truncated/, "one byte short");
    const damaged = good.slice();
    damaged[200] ^= 0xff; // inside archive/data.pkl
    refused(damaged, /CRC-32 mismatch/, "a flipped byte");
  },

  "torch.load refuses what is not a checkpoint, and a non-Uint8Array argument": () => {
    refused(new TextEncoder().encode("hello, world"), /not a checkpoint torchlet reads/, "text");
    refused(Uint8Array.of(0x80, 0x02, 0x8a, 0x0a), /legacy format/, "a bare pickle");
    assertThrows(() => torch.load([1, 2, 3] as unknown as Uint8Array), /bytes must be a Uint8Array/, "an array");
  },

  "torch.load refuses malformed safetensors: offsets past the data, a hole, a wrong byte count, an unknown dtype": () => {
    const make = (header: object, dataBytes: number): Uint8Array => {
      const json = new TextEncoder().encode(JSON.stringify(header));
      const out = new Uint8Array(8 + json.length + dataBytes);
      new DataView(out.buffer).setUint32(0, json.length, true);
      out.set(json, 8);
      return out;
    };
    refused(make({ a: { dtype: "F32", shape: [4], data_offsets: [0, 16] } }, 8), /past the 8 bytes of data/, "past the end");
    refused(make({ a: { dtype: "F32", shape: [1], data_offsets: [4, 8] } }, 8), /starts at byte 4/, "a hole");
    refused(make({ a: { dtype: "F32", shape: [3], data_offsets: [0, 8] } }, 8), /needs 12 bytes, but its offsets span 8/, "size");
    refused(make({ a: { dtype: "C64", shape: [1], data_offsets: [0, 8] } }, 8), /dtype "C64"/, "dtype");
  },

  "torch.save refuses what PyTorch could not load back, naming where it is": () => {
    const model = new torch.nn.Linear(2, 1);
    const opt = new torch.optim.SGD(model.parameters(), { lr: 0.1 });
    assertThrows(() => torch.save({ optimizer: opt.stateDict() }), /obj\["optimizer"\] is an optimizer's stateDict\(\).*torch\.save\(\{ optimizer: opt \}\)/, "torchlet layout");
    assertThrows(() => torch.save({ model }), /obj\["model"\] is a Module; save its model\.stateDict\(\)/, "a module");
    assertThrows(() => torch.save({ a: [1, undefined] }), /obj\["a"\]\[1\] is undefined/, "undefined");
    assertThrows(() => torch.save({ f: () => 1 }), /obj\["f"\] is a function/, "a function");
    const cyclic: unknown[] = [];
    cyclic.push(cyclic);
    assertThrows(() => torch.save(cyclic), /contains itself/, "a cycle");
    const t = torch.ones([2]);
    t.dispose();
    assertThrows(() => torch.save({ t }), /obj\["t"\] is a disposed tensor/, "disposed");
  },
});
