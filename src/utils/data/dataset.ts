// torch.utils.data's map-style datasets (torch/utils/data/dataset.py): Dataset (len() and
// getItem(i)), TensorDataset (rows of tensors that share their first dim) and Subset (a
// dataset seen through a list of indices). DataLoader batches a TensorDataset, and Subsets
// of one, with one indexSelect per tensor instead of a getItem per row.
import { Tensor } from "../../tensor.js";
import { owned } from "../../storage_access.js";
import { describe } from "../../nn/check.js";
import { fmt } from "../../shape.js";

/**
 * A map-style dataset, as PyTorch's `torch.utils.data.Dataset`: subclass it with `len()`
 * (PyTorch's `__len__`) and `getItem(i)` (`__getitem__`) for 0 ≤ i < len(); a DataLoader
 * batches its items with `defaultCollate`.
 *
 * ```ts
 * class Squares extends torch.utils.data.Dataset<[number, number]> {
 *   len() { return 100; }
 *   getItem(i: number): [number, number] { return [i, i * i]; }
 * }
 * const loader = new torch.utils.data.DataLoader(new Squares(), { batchSize: 4 });
 * const [x, y] = loader[Symbol.iterator]().next().value as torch.Tensor[];
 * y; // tensor([0., 1., 4., 9.])
 * ```
 */
export abstract class Dataset<T = unknown> {
  /**
   * The number of items (PyTorch's `__len__`).
   *
   * ```ts
   * new torch.utils.data.TensorDataset(torch.zeros([10, 3])).len(); // 10
   * ```
   */
  abstract len(): number;
  /**
   * The item at `index`, 0 ≤ index < len() (PyTorch's `__getitem__`).
   *
   * ```ts
   * const ds = new torch.utils.data.TensorDataset(torch.arange(5));
   * ds.getItem(2); // [tensor(2)]
   * ```
   */
  abstract getItem(index: number): T;
}

/** An item index for a dataset of n items: an integer in [0, n) (or [−n, n), counted from the end). */
function itemIndex(owner: string, index: unknown, n: number): number {
  if (typeof index !== "number" || !Number.isInteger(index) || index < -n || index >= n) {
    throw new RangeError(`${owner}: index ${describe(index)} is out of range for a dataset of ${n} items (an integer from ${-n} to ${n - 1})`);
  }
  return index < 0 ? index + n : index;
}

/**
 * Rows of tensors that share their first dimension, as PyTorch's `TensorDataset`:
 * `getItem(i)` returns `[t0[i], t1[i], …]` (views), and a DataLoader takes a batch of rows
 * from each tensor with one `indexSelect`.
 *
 * ```ts
 * const x = torch.randn([100, 13]), y = torch.randn([100, 1]);
 * const ds = new torch.utils.data.TensorDataset(x, y);
 * const [xi, yi] = ds.getItem(0);
 * [xi.shape, yi.shape]; // [[13], [1]]
 * new torch.utils.data.TensorDataset(x, torch.zeros([99])); // throws: every tensor needs 100 rows
 * ```
 */
export class TensorDataset extends Dataset<Tensor[]> {
  /**
   * The tensors given, in order (PyTorch's `tensors`).
   *
   * ```ts
   * const ds = new torch.utils.data.TensorDataset(torch.zeros([4, 2]), torch.ones([4]));
   * ds.tensors.length; // 2
   * ```
   */
  readonly tensors: readonly Tensor[];

  constructor(...tensors: Tensor[]) {
    super();
    const owner = "TensorDataset";
    if (tensors.length === 0) throw new TypeError(`${owner}: tensors: expected at least one tensor, got none`);
    tensors.forEach((t, i) => {
      if (!(t instanceof Tensor)) throw new TypeError(`${owner}: argument ${i} must be a Tensor, got ${describe(t)}`);
      if (t.isDisposed) throw new Error(`${owner}: argument ${i} was disposed; expected a live Tensor`);
      if (t.shape.length === 0) throw new RangeError(`${owner}: argument ${i} is 0-dimensional; each tensor needs a first dimension of rows`);
    });
    const rows = tensors[0].shape[0];
    const bad = tensors.findIndex((t) => t.shape[0] !== rows);
    if (bad >= 0) {
      throw new RangeError(`${owner}: Size mismatch between tensors: argument ${bad} has shape ${fmt(tensors[bad].shape)} ` +
        `but argument 0 has shape ${fmt(tensors[0].shape)}; every tensor needs ${rows} rows`);
    }
    this.tensors = Object.freeze(tensors.slice());
  }

  /**
   * The number of rows (the tensors' first dimension).
   *
   * ```ts
   * new torch.utils.data.TensorDataset(torch.zeros([7, 2])).len(); // 7
   * ```
   */
  len(): number {
    return this.tensors[0].shape[0];
  }

  /**
   * Row `index` of every tensor, as views (negative counts from the end).
   *
   * ```ts
   * const ds = new torch.utils.data.TensorDataset(torch.tensor([[1, 2], [3, 4]]), torch.tensor([0, 1]));
   * ds.getItem(-1); // [tensor([3., 4.]), tensor(1.)]
   * ```
   */
  getItem(index: number): Tensor[] {
    const i = itemIndex("TensorDataset.getItem", index, this.len());
    return this.tensors.map((t) => t.select(0, i));
  }
}

/**
 * The items of `dataset` at `indices`, in that order, as PyTorch's `Subset` (randomSplit
 * returns these). Indices are integers in [0, dataset.len()).
 *
 * ```ts
 * const ds = new torch.utils.data.TensorDataset(torch.arange(1000));
 * const firstHundred = new torch.utils.data.Subset(ds, Array.from({ length: 100 }, (_, i) => i));
 * firstHundred.len();       // 100
 * new torch.utils.data.Subset(ds, [5, 3]).getItem(0); // [tensor(5)]
 * ```
 */
export class Subset<T = unknown> extends Dataset<T> {
  /**
   * The dataset this subset reads from.
   *
   * ```ts
   * const ds = new torch.utils.data.TensorDataset(torch.arange(10));
   * new torch.utils.data.Subset(ds, [1, 2]).dataset === ds; // true
   * ```
   */
  readonly dataset: Dataset<T>;
  /**
   * The indices into `dataset`, in order (frozen).
   *
   * ```ts
   * const ds = new torch.utils.data.TensorDataset(torch.arange(10));
   * new torch.utils.data.Subset(ds, new Int32Array([4, 2])).indices; // [4, 2]
   * ```
   */
  readonly indices: readonly number[];
  /** @internal the indices as an int32 tensor, made when a DataLoader first batches through it */
  private _indexTensor: Tensor | null = null;

  constructor(dataset: Dataset<T>, indices: ArrayLike<number>) {
    super();
    const owner = "Subset";
    const n = datasetLength(owner, dataset);
    if (indices === null || typeof indices !== "object" || typeof (indices as ArrayLike<number>).length !== "number" || indices instanceof Tensor) {
      throw new TypeError(`${owner}: indices must be an array of integers (or an Int32Array), got ${describe(indices)}`);
    }
    const list = Array.from(indices);
    list.forEach((v, k) => {
      if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v >= n) {
        throw new RangeError(`${owner}: indices[${k}] is ${describe(v)}, out of range for a dataset of ${n} items (an integer from 0 to ${n - 1})`);
      }
    });
    this.dataset = dataset;
    this.indices = Object.freeze(list);
  }

  /**
   * The number of indices.
   *
   * ```ts
   * new torch.utils.data.Subset(new torch.utils.data.TensorDataset(torch.arange(10)), [0, 9]).len(); // 2
   * ```
   */
  len(): number {
    return this.indices.length;
  }

  /**
   * `dataset.getItem(indices[index])`.
   *
   * ```ts
   * const ds = new torch.utils.data.TensorDataset(torch.arange(10).mul(10));
   * new torch.utils.data.Subset(ds, [3, 7]).getItem(1); // [tensor(70)]
   * ```
   */
  getItem(index: number): T {
    return this.dataset.getItem(this.indices[itemIndex("Subset.getItem", index, this.indices.length)]);
  }

  /** @internal The indices as an int32 tensor (kept by the subset; tidy() leaves it). */
  _indexTensorOf(): Tensor {
    if (this._indexTensor === null || this._indexTensor.isDisposed) {
      this._indexTensor = owned(Tensor.fromValues(this.indices, [this.indices.length], "int32"));
    }
    return this._indexTensor;
  }
}

/** A dataset's len(), checked: a non-negative integer. Accepts any object with len() and getItem(). */
export function datasetLength(owner: string, dataset: unknown): number {
  const d = dataset as Dataset;
  if (d === null || typeof d !== "object" || typeof d.len !== "function" || typeof d.getItem !== "function") {
    throw new TypeError(`${owner}: dataset must be a torch.utils.data.Dataset (an object with len() and getItem(i)), got ${describe(dataset)}`);
  }
  const n = d.len();
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0) {
    throw new TypeError(`${owner}: the dataset's len() must return a non-negative integer, got ${describe(n)}`);
  }
  return n;
}
