// torch.utils.data.DataLoader (torch/utils/data/dataloader.py, sampler.py): batches of a
// map-style dataset in order or shuffled by a generator, iterable with for…of, one epoch
// per iteration. A TensorDataset, or a Subset of one, is batched with one indexSelect per
// tensor; any other dataset is read item by item and collated.
import type { Tensor } from "../../tensor.js";
import { arange } from "../../ops/ranges.js";
import { empty } from "../../ops/layout.js";
import type { Generator } from "../../random.js";
import { generatorArg } from "../../generator_option.js";
import { discard, owned } from "../../storage_access.js";
import { checkOptions, describe } from "../../nn/check.js";
import { type Dataset, Subset, TensorDataset, datasetLength } from "./dataset.js";
import { defaultCollate } from "./collate.js";

/**
 * Options of `DataLoader` (PyTorch's defaults): `batchSize = 1`, `shuffle = false`,
 * `dropLast = false`, `generator`, `collateFn = defaultCollate`.
 *
 * ```ts
 * const opts: torch.utils.data.DataLoaderOptions<torch.Tensor[]> = { batchSize: 32, shuffle: true };
 * new torch.utils.data.DataLoader(new torch.utils.data.TensorDataset(torch.zeros([100, 2])), opts).length; // 4
 * ```
 */
export interface DataLoaderOptions<B> {
  /** Items per batch (default 1); null yields the items one by one, uncollated. */
  batchSize?: number | null;
  /** Draw a new order every epoch (default false). */
  shuffle?: boolean;
  /** Leave out the last batch when it is short (default false). */
  dropLast?: boolean;
  /** The generator of the shuffle (default: torch.manualSeed's, read at each epoch). */
  generator?: Generator | null;
  /** Makes a batch of a list of items (default: defaultCollate). */
  collateFn?: ((items: any[]) => B) | null;
}

/** The tensors and the Subsets (outermost first) DataLoader indexes directly, or null. */
function tensorSource(ds: Dataset<unknown>): { tensors: readonly Tensor[]; subsets: Subset<unknown>[] } | null {
  const subsets: Subset<unknown>[] = [];
  let d: Dataset<unknown> = ds;
  // a subclass that overrides getItem is read through its getItem
  while (d instanceof Subset && d.getItem === Subset.prototype.getItem) {
    subsets.push(d);
    d = d.dataset;
  }
  return d instanceof TensorDataset && d.getItem === TensorDataset.prototype.getItem ? { tensors: d.tensors, subsets } : null;
}

/**
 * Iterates over a dataset in batches, as PyTorch's `DataLoader` (in the calling thread):
 * `for (const [x, y] of loader)` runs one epoch, reshuffled each time when `shuffle` is
 * set; `loader.length` is the number of batches. The same seeded generator gives the same
 * batches. Batches of a TensorDataset (or of Subsets of one, as randomSplit returns) are
 * new tensors taken from the dataset's tensors with one indexSelect each.
 *
 * ```ts
 * const { DataLoader, TensorDataset } = torch.utils.data;
 * const x = torch.randn([100, 3]), y = torch.randn([100, 1]);
 * const model = new nn.Linear(3, 1);
 * const opt = new optim.SGD(model.parameters(), { lr: 0.01 });
 * const loader = new DataLoader(new TensorDataset(x, y), { batchSize: 32, shuffle: true, generator: new torch.Generator().manualSeed(0) });
 * for (let epoch = 0; epoch < 2; epoch++) {
 *   for (const [xb, yb] of loader) {
 *     opt.zeroGrad();
 *     F.mseLoss(model.forward(xb), yb).backward();
 *     opt.step();
 *   }
 * }
 * loader.length; // 4: three batches of 32 and one of 4
 * ```
 */
export class DataLoader<B = Tensor[]> implements Iterable<B> {
  /**
   * The dataset the batches come from.
   *
   * ```ts
   * const ds = new torch.utils.data.TensorDataset(torch.zeros([8]));
   * new torch.utils.data.DataLoader(ds).dataset === ds; // true
   * ```
   */
  readonly dataset: Dataset<unknown>;
  /**
   * Items per batch (default 1), or null: items one by one, uncollated.
   *
   * ```ts
   * new torch.utils.data.DataLoader(new torch.utils.data.TensorDataset(torch.zeros([8]))).batchSize; // 1
   * ```
   */
  readonly batchSize: number | null;
  /**
   * Whether each epoch draws a new order (default false).
   *
   * ```ts
   * new torch.utils.data.DataLoader(new torch.utils.data.TensorDataset(torch.zeros([8])), { shuffle: true }).shuffle; // true
   * ```
   */
  readonly shuffle: boolean;
  /**
   * Whether a short last batch is left out (default false).
   *
   * ```ts
   * const ds = new torch.utils.data.TensorDataset(torch.zeros([10]));
   * new torch.utils.data.DataLoader(ds, { batchSize: 4, dropLast: true }).length; // 2
   * ```
   */
  readonly dropLast: boolean;
  /**
   * The generator of the shuffle, or null for the default one (`torch.manualSeed`'s, read at
   * each epoch).
   *
   * ```ts
   * new torch.utils.data.DataLoader(new torch.utils.data.TensorDataset(torch.zeros([8]))).generator; // null
   * ```
   */
  readonly generator: Generator | null;
  /**
   * The function that makes a batch of a list of items, or null for `defaultCollate`.
   *
   * ```ts
   * const ds = new torch.utils.data.TensorDataset(torch.arange(6));
   * const loader = new torch.utils.data.DataLoader(ds, { batchSize: 3, collateFn: (items: torch.Tensor[][]) => items.length });
   * [...loader]; // [3, 3]
   * ```
   */
  readonly collateFn: ((items: any[]) => B) | null;

  constructor(dataset: Dataset<unknown>, options?: DataLoaderOptions<B>) {
    const owner = "DataLoader";
    const o = checkOptions(owner, options, ["batchSize", "shuffle", "dropLast", "generator", "collateFn"]);
    const n = datasetLength(owner, dataset);
    const batchSize = o.batchSize === undefined ? 1 : o.batchSize;
    if (batchSize !== null && (typeof batchSize !== "number" || !Number.isInteger(batchSize) || batchSize <= 0)) {
      throw new RangeError(`${owner}: batchSize should be a positive integer value (or null for no batching), but got batchSize=${describe(batchSize)}`);
    }
    const flags = { shuffle: o.shuffle ?? false, dropLast: o.dropLast ?? false };
    for (const [name, v] of Object.entries(flags)) {
      if (typeof v !== "boolean") throw new TypeError(`${owner}: ${name} should be a boolean value, but got ${name}=${describe(v)}`);
    }
    if (batchSize === null && flags.dropLast) {
      throw new TypeError(`${owner}: batchSize=null option disables auto-batching and is mutually exclusive with dropLast (got dropLast=true)`);
    }
    if (flags.shuffle && n === 0) {
      throw new RangeError(`${owner}: shuffle needs items: num_samples should be a positive integer value, but got num_samples=0 (the dataset is empty)`);
    }
    const collateFn = o.collateFn ?? null;
    if (collateFn !== null && typeof collateFn !== "function") throw new TypeError(`${owner}: collateFn must be a function, got ${describe(collateFn)}`);
    if (o.generator !== undefined && o.generator !== null) generatorArg(owner, o.generator);
    this.dataset = dataset;
    this.batchSize = batchSize;
    this.shuffle = flags.shuffle;
    this.dropLast = flags.dropLast;
    this.generator = o.generator ?? null;
    this.collateFn = collateFn;
  }

  /**
   * The number of batches in an epoch (PyTorch's `len(loader)`).
   *
   * ```ts
   * const ds = new torch.utils.data.TensorDataset(torch.zeros([10]));
   * new torch.utils.data.DataLoader(ds, { batchSize: 4 }).length; // 3
   * ```
   */
  get length(): number {
    const n = datasetLength("DataLoader", this.dataset);
    if (this.batchSize === null) return n;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /**
   * One epoch of batches, in order or shuffled (`for (const batch of loader)`).
   *
   * ```ts
   * const ds = new torch.utils.data.TensorDataset(torch.arange(5));
   * const batches = [...new torch.utils.data.DataLoader(ds, { batchSize: 2 })];
   * batches.map(([b]) => b.tolist()); // [[0, 1], [2, 3], [4]]
   * ```
   */
  *[Symbol.iterator](): Iterator<B> {
    const n = datasetLength("DataLoader", this.dataset);
    const size = this.batchSize ?? 1;
    const batches = this.batchSize === null ? n : this.length;
    const source = this.batchSize !== null && this.collateFn === null ? tensorSource(this.dataset) : null;
    const gen = generatorArg("DataLoader", this.generator);
    // the epoch's order of items as an int32 tensor: a permutation, or 0..n-1
    let order = owned(this.shuffle ? gen.fillPermutation(empty([n], "int32")) : arange(n, { dtype: "int32" }));
    try {
      if (source !== null) {
        // map the order through each Subset to rows of the tensors: one indexSelect per level
        for (const s of source.subsets) {
          const rows = owned(s._indexTensorOf().indexSelect(0, order));
          discard(order);
          order = rows;
        }
        for (let b = 0; b < batches; b++) {
          const start = b * size;
          const idx = order.narrow(0, start, Math.min(size, n - start));
          const batch = source.tensors.map((t) => t.indexSelect(0, idx));
          idx.dispose();
          yield batch as B;
        }
        return;
      }
      const items = order.toArray() as Int32Array;
      discard(order);
      const collate = this.collateFn ?? (defaultCollate as (items: unknown[]) => B);
      for (let b = 0; b < batches; b++) {
        if (this.batchSize === null) { yield this.dataset.getItem(items[b]) as B; continue; }
        const start = b * size;
        const rows = Array.from(items.subarray(start, Math.min(start + size, n)), (i) => this.dataset.getItem(i));
        yield collate(rows);
      }
    } finally {
      if (!order.isDisposed) discard(order);
    }
  }
}
