// torch.utils.data against PyTorch (test/fixtures/data.json, written by
// test/golden/gen_data.py) where PyTorch's results do not depend on its random numbers:
// randomSplit's sizes, len(DataLoader), unshuffled batches (also through a Subset) and
// default_collate's structure. Shuffles and splits are checked against the generator's own
// stream (torch.randperm with the same seed), and memory over many epochs.
import * as torch from "../../build/torchlet.js";
import fx from "../fixtures/data.json" with { type: "json" };
import { assert, assertEqual, assertThrows } from "./assert.ts";

type Tensor = torch.Tensor;
const { DataLoader, TensorDataset, Subset, Dataset, randomSplit, defaultCollate } = torch.utils.data;

interface Rec { shape: number[]; values: number[] }
const data = fx as unknown as {
  splits: { n: number; lengths: number[]; sizes?: number[]; error?: string }[];
  lengths: { n: number; batchSize: number | null; dropLast: boolean; length: number }[];
  batches: { n: number; indices: number[] | null; batchSize: number; dropLast: boolean; batches: [Rec, Rec][] }[];
  collate: { items: unknown; result: unknown }[];
};

const g = (s: number) => new torch.Generator().manualSeed(s);
const arr = (t: Tensor): number[] => Array.from(t.toArray());
const rows = (n: number) => new TensorDataset(torch.arange(2 * n).float().reshape([n, 2]), torch.arange(n));

/** A plain Dataset over n items (no TensorDataset fast path): [x row, label]. */
class Plain extends Dataset<[Tensor, number]> {
  constructor(private readonly x: Tensor, private readonly y: number[]) { super(); }
  len(): number { return this.y.length; }
  getItem(i: number): [Tensor, number] { return [this.x.select(0, i), this.y[i]]; }
}

/** Fixture items/results to JS: tensors, tuples as arrays. */
function decode(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decode);
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    if ("tensor" in o) {
      const t = o.tensor as Rec & { dtype: string };
      return torch.tensor(t.values as number[], { dtype: t.dtype === "bool" ? "bool" : t.dtype === "int64" ? "int32" : "float32" }).reshape(t.shape);
    }
    if ("tuple" in o) return (o.tuple as unknown[]).map(decode);
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, decode(x)]));
  }
  return v;
}

/** Compares a collated result with PyTorch's: same structure, tensors of the same shape and values. */
function sameResult(got: unknown, want: unknown, at: string): void {
  if (Array.isArray(want)) {
    assert(Array.isArray(got) && got.length === want.length, `${at}: an array of ${want.length}, got ${JSON.stringify(got)}`);
    want.forEach((w, i) => sameResult((got as unknown[])[i], w, `${at}[${i}]`));
  } else if (want !== null && typeof want === "object" && "tensor" in want) {
    const w = (want as { tensor: Rec & { dtype: string } }).tensor;
    assert(got instanceof torch.Tensor, `${at}: a Tensor`);
    const t = got as Tensor;
    // PyTorch's int64/float64 number batches are torchlet's float32 (documented)
    assertEqual(t.dtype, w.dtype === "bool" ? "bool" : "float32", `${at}: dtype`);
    assertEqual(t.shape, w.shape, `${at}: shape`);
    assertEqual(arr(t), w.dtype === "bool" ? w.values.map(Number) : w.values, `${at}: values`);
  } else if (want !== null && typeof want === "object") {
    assert(got !== null && typeof got === "object" && !Array.isArray(got), `${at}: an object`);
    assertEqual(Object.keys(got as object), Object.keys(want), `${at}: keys`);
    for (const k of Object.keys(want)) sameResult((got as Record<string, unknown>)[k], (want as Record<string, unknown>)[k], `${at}.${k}`);
  } else assertEqual(got, want, at);
}

export const tests: Record<string, () => void> = {
  "randomSplit: sizes from counts or fractions as PyTorch's random_split, and its errors": () => {
    for (const s of data.splits) {
      const what = `randomSplit(${s.n} items, ${JSON.stringify(s.lengths)})`;
      const ds = rows(s.n);
      if (s.error !== undefined) {
        assertThrows(() => randomSplit(ds, s.lengths, g(0)), new RegExp(s.error.replace(/[.*+?^${}()|[\]\\!]/g, "\\$&")), what);
        continue;
      }
      const parts = randomSplit(ds, s.lengths, g(0));
      assertEqual(parts.map((p) => p.len()), s.sizes, what);
      // the parts cut one permutation from the generator, in order
      assertEqual(parts.flatMap((p) => p.indices), arr(torch.randperm(s.n, { generator: g(0) })), `${what}: the generator's permutation`);
    }
  },

  "DataLoader: length as PyTorch's len(loader), and an epoch yields that many batches of batchSize items": () => {
    for (const c of data.lengths) {
      const loader = new DataLoader(rows(c.n), { batchSize: c.batchSize, dropLast: c.dropLast });
      const what = `${c.n} items, batchSize ${c.batchSize}, dropLast ${c.dropLast}`;
      assertEqual(loader.length, c.length, what);
      let count = 0, items = 0;
      for (const batch of loader) {
        count++;
        const b = batch as unknown as Tensor[];
        items += c.batchSize === null ? 1 : b[0].shape[0];
        if (c.batchSize !== null) assert(b[0].shape[0] <= c.batchSize, `${what}: batch size`);
      }
      assertEqual(count, c.length, `${what}: batches iterated`);
      assertEqual(items, c.dropLast ? c.length * (c.batchSize ?? 1) : c.n, `${what}: items`);
    }
  },

  "DataLoader: unshuffled batches of a TensorDataset and of a Subset are PyTorch's": () => {
    for (const c of data.batches) {
      const base = rows(c.n);
      const ds = c.indices === null ? base : new Subset(base, c.indices);
      const got = [...new DataLoader(ds, { batchSize: c.batchSize, dropLast: c.dropLast })];
      const what = `${c.n} rows${c.indices ? ` at ${JSON.stringify(c.indices)}` : ""}, batchSize ${c.batchSize}, dropLast ${c.dropLast}`;
      assertEqual(got.length, c.batches.length, `${what}: batches`);
      got.forEach(([x, y], i) => {
        const [wx, wy] = c.batches[i];
        assertEqual([x.shape, arr(x), x.dtype], [wx.shape, wx.values, "float32"], `${what}: batch ${i} x`);
        assertEqual([y.shape, arr(y), y.dtype], [wy.shape, wy.values, "int32"], `${what}: batch ${i} y (int64 in PyTorch)`);
      });
    }
  },

  "defaultCollate: PyTorch's default_collate structure (tensors stacked, numbers to a tensor, lists transposed, dicts by key)": () => {
    for (const [i, c] of data.collate.entries()) {
      sameResult(defaultCollate(decode(c.items) as unknown[]), c.result, `collate case ${i}`);
    }
  },

  "DataLoader shuffle: each epoch is the generator's next permutation; the same seed gives the same batches": () => {
    const n = 23;
    const ds = rows(n);
    const loader = new DataLoader(ds, { batchSize: 5, shuffle: true, generator: g(7) });
    const ref = g(7);
    const epochs: number[][] = [];
    for (let e = 0; e < 3; e++) {
      const order = arr(torch.randperm(n, { generator: ref }));
      const seen = [...loader].flatMap(([, y]) => arr(y));
      assertEqual(seen, order, `epoch ${e}: the items in the generator's order`);
      epochs.push(seen);
    }
    assert(epochs[0].join() !== epochs[1].join(), "a new order every epoch");
    const again = new DataLoader(ds, { batchSize: 5, shuffle: true, generator: g(7) });
    assertEqual([...again].map(([x]) => arr(x)), [...new DataLoader(ds, { batchSize: 5, shuffle: true, generator: g(7) })].map(([x]) => arr(x)), "same seed, same batches");
    torch.manualSeed(3);
    const a = [...new DataLoader(ds, { batchSize: 4, shuffle: true })].flatMap(([, y]) => arr(y));
    torch.manualSeed(3);
    const b = [...new DataLoader(ds, { batchSize: 4, shuffle: true })].flatMap(([, y]) => arr(y));
    assertEqual(a, b, "without a generator: torch.manualSeed makes it reproducible");
    assertEqual(a.slice().sort((p, q) => p - q), Array.from({ length: n }, (_, i) => i), "every item once");
  },

  "DataLoader: a TensorDataset (and Subsets of one) is batched without a getItem per row, with the same batches a plain Dataset gives": () => {
    const x = torch.randn([40, 3], { generator: g(1) });
    const y = Array.from({ length: 40 }, (_, i) => i % 4);
    const ds = new TensorDataset(x, torch.tensor(y));
    const [train] = randomSplit(ds, [30, 10], g(2));
    const inner = new Subset(train, [29, 0, 5, 7, 11, 12, 3, 3, 28]);
    const proto = TensorDataset.prototype as unknown as { getItem: (i: number) => Tensor[] };
    const original = proto.getItem;
    let calls = 0;
    proto.getItem = function (i: number) { calls++; return original.call(this, i); };
    let fast: number[][];
    try {
      fast = [...new DataLoader(inner, { batchSize: 4, shuffle: true, generator: g(5) })].map(([xb, yb]) => [...arr(xb), ...arr(yb)]);
    } finally {
      proto.getItem = original;
    }
    assertEqual(calls, 0, "no getItem call");
    const plain = new Subset(new Subset(new Plain(x, y), train.indices as number[]), inner.indices as number[]);
    const slow = [...new DataLoader(plain, { batchSize: 4, shuffle: true, generator: g(5) })].map(([xb, yb]) => [...arr(xb as Tensor), ...arr(yb as Tensor)]);
    assertEqual(fast, slow, "the same batches as a plain Dataset collated item by item");
    const custom = [...new DataLoader(inner, { batchSize: 4, shuffle: true, generator: g(5), collateFn: (items: Tensor[][]) => defaultCollate(items) as Tensor[] })]
      .map(([xb, yb]) => [...arr(xb), ...arr(yb)]);
    assertEqual(custom, fast, "a collateFn gets the items (PyTorch's list of tuples)");
  },

  "DataLoader: batchSize null yields the items uncollated; a Dataset subclass of numbers collates to float32": () => {
    class Squares extends Dataset<[number, number]> {
      len() { return 5; }
      getItem(i: number): [number, number] { return [i, i * i]; }
    }
    const items = [...new DataLoader(new Squares(), { batchSize: null })];
    assertEqual(items, [[0, 0], [1, 1], [2, 4], [3, 9], [4, 16]], "items as getItem returns them");
    const [[a, b], [c, d]] = [...new DataLoader(new Squares(), { batchSize: 3 })] as unknown as Tensor[][];
    assertEqual([arr(a), arr(b), arr(c), arr(d), a.dtype], [[0, 1, 2], [0, 1, 4], [3, 4], [9, 16], "float32"], "collated");
  },

  "DataLoader: breaking out of an epoch early releases the epoch's order; TensorDataset.getItem gives row views": () => {
    const ds = rows(50);
    const before = torch.memory().tensors;
    for (const [x, y] of new DataLoader(ds, { batchSize: 8, shuffle: true, generator: g(1) })) { x.dispose(); y.dispose(); break; }
    assertEqual(torch.memory().tensors, before, "nothing left behind");
    const [xi, yi] = ds.getItem(-1);
    assertEqual([arr(xi), arr(yi), yi.shape], [[98, 99], [49], []], "the last row");
  },

  "DataLoader: 200 epochs with no cleanup calls keep wasm memory flat": () => {
    const ds = new TensorDataset(torch.randn([1000, 16], { generator: g(1) }), torch.randint(0, 10, [1000], { generator: g(2) }));
    const loader = new DataLoader(ds, { batchSize: 32, shuffle: true, generator: g(3) });
    let peakFirst = 0, peakSecond = 0, reserved = 0;
    let sum = 0;
    for (let epoch = 0; epoch < 200; epoch++) {
      for (const [x, y] of loader) {
        sum += x.shape[0] + y.shape[0];
        const b = torch.memory().bytesInUse;
        if (epoch < 100) peakFirst = Math.max(peakFirst, b);
        else peakSecond = Math.max(peakSecond, b);
      }
      if (epoch === 20) reserved = torch.memory().bytesReserved;
    }
    assertEqual(sum, 200 * 2000, "every item every epoch");
    assert(peakSecond <= peakFirst, `peak bytesInUse in epochs 100–199 (${peakSecond}) ≤ in epochs 0–99 (${peakFirst})`);
    assertEqual(torch.memory().bytesReserved, reserved, "no growth of wasm memory after epoch 20");
  },
};
