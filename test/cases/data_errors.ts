// The error table for torch.utils.data: each row is a call and three patterns its message
// must contain: the argument (or option), the value received and the form expected. After
// each call the dataset's tensors and the generator's stream are as before, and no tensor
// or byte was allocated or freed.
import * as torch from "../../build/torchlet.js";
import { errorRowTests, type ErrorRow } from "./error_rows.ts";

// deno-lint-ignore no-explicit-any
const data = torch.utils.data as any;

function setup() {
  const x = torch.tensor([[1, 2], [3, 4], [5, 6], [7, 8], [9, 10]]);
  const y = torch.tensor([0, 1, 0, 1, 1], { dtype: "int32" });
  class BadLength extends data.Dataset { len() { return -1; } getItem() { return 0; } }
  class Empty extends data.Dataset { len() { return 0; } getItem() { return 0; } }
  return {
    x, y, y4: torch.tensor([0, 1, 0, 1]), scalar: torch.tensor(3), t1: torch.ones([2]),
    ds: new data.TensorDataset(x, y), g: new torch.Generator().manualSeed(1),
    badLength: new BadLength(), empty: new Empty(),
  };
}
type Ctx = ReturnType<typeof setup>;
type Row = ErrorRow<Ctx>;

const ROWS: Row[] = [
  ["TensorDataset()", () => new data.TensorDataset(), "tensors", "none", "at least one tensor"],
  ["TensorDataset: rows differ", (c) => new data.TensorDataset(c.x, c.y4), "argument 1", "\\[4\\]", "Size mismatch.*5 rows"],
  ["TensorDataset: a number[]", (c) => new data.TensorDataset(c.x, [1, 2]), "argument 1", "\\[1, 2\\]", "Tensor"],
  ["TensorDataset: a 0-dim tensor", (c) => new data.TensorDataset(c.scalar), "argument 0", "0-dimensional", "first dimension"],
  ["TensorDataset.getItem past the end", (c) => c.ds.getItem(5), "index", "\\b5\\b", "-5 to 4"],
  ["TensorDataset.getItem(1.5)", (c) => c.ds.getItem(1.5), "index", "1\\.5", "integer"],
  ["Subset: an index out of range", (c) => new data.Subset(c.ds, [0, 7]), "indices\\[1\\]", "\\b7\\b", "0 to 4"],
  ["Subset: a string for indices", (c) => new data.Subset(c.ds, "01"), "indices", '"01"', "array of integers"],
  ["Subset: not a dataset", () => new data.Subset({}, [0]), "dataset", "an object", "len\\(\\) and getItem"],
  ["randomSplit: counts that do not sum to len", (c) => data.randomSplit(c.ds, [3, 1], c.g), "Sum of input lengths", "sum to 4", "5 items"],
  ["randomSplit: fractions summing to 1.1", (c) => data.randomSplit(c.ds, [0.5, 0.6], c.g), "Sum of input lengths", "1\\.1", "fractions must sum to 1"],
  ["randomSplit: a fraction above 1", (c) => data.randomSplit(c.ds, [1.5, -0.5], c.g), "Fraction at index 0", "1\\.5", "between 0 and 1"],
  ["randomSplit: no lengths", (c) => data.randomSplit(c.ds, [], c.g), "lengths", "\\[\\]", "non-empty array"],
  ["randomSplit: fractional counts", (c) => data.randomSplit(c.ds, [2.5, 2.5], c.g), "lengths\\[0\\]", "2\\.5", "whole numbers"],
  ["randomSplit: a number for the generator", (c) => data.randomSplit(c.ds, [3, 2], 42), "generator", "42", "torch\\.Generator"],
  ["DataLoader: batchSize 0", (c) => new data.DataLoader(c.ds, { batchSize: 0 }), "batchSize", "batchSize=0", "positive integer"],
  ["DataLoader: batchSize 2.5", (c) => new data.DataLoader(c.ds, { batchSize: 2.5 }), "batchSize", "2\\.5", "positive integer"],
  ["DataLoader: batch_size", (c) => new data.DataLoader(c.ds, { batch_size: 4 }), '"batch_size"', "unknown option", 'did you mean "batchSize"'],
  ["DataLoader: shuffle a string", (c) => new data.DataLoader(c.ds, { shuffle: "yes" }), "shuffle", '"yes"', "boolean"],
  ["DataLoader: batchSize null with dropLast", (c) => new data.DataLoader(c.ds, { batchSize: null, dropLast: true }), "dropLast", "true", "mutually exclusive"],
  ["DataLoader: collateFn a number", (c) => new data.DataLoader(c.ds, { collateFn: 5 }), "collateFn", "\\b5\\b", "function"],
  ["DataLoader: generator an object", (c) => new data.DataLoader(c.ds, { generator: {} }), "generator", "an object", "torch\\.Generator"],
  ["DataLoader: shuffle an empty dataset", (c) => new data.DataLoader(c.empty, { shuffle: true }), "shuffle", "num_samples=0", "positive integer"],
  ["DataLoader: an array for the dataset", () => new data.DataLoader([1, 2, 3]), "dataset", "\\[1, 2, 3\\]", "len\\(\\) and getItem"],
  ["DataLoader: len() of -1", (c) => new data.DataLoader(c.badLength), "len\\(\\)", "-1", "non-negative integer"],
  ["defaultCollate: lists of two lengths", () => data.defaultCollate([[1, 2], [3]]), "item 1", "has 1", "equal size"],
  ["defaultCollate: a number then a string", () => data.defaultCollate([1, "a"]), "item 1", '"a"', "alike"],
  ["defaultCollate: null items", () => data.defaultCollate([null]), "batch", "null", "tensors, numbers"],
  ["defaultCollate: an empty batch", () => data.defaultCollate([]), "batch", "\\[\\]", "non-empty"],
  ["defaultCollate: a key missing", (c) => data.defaultCollate([{ x: c.t1 }, { y: c.t1 }]), "item 1", '"x"', "no key"],
  ["defaultCollate: a bad second field after a stacked first", (c) => data.defaultCollate([[c.t1, 1], [c.t1, "b"]]), "item 1", '"b"', "alike"],
];

export const tests = errorRowTests("data errors", ROWS, setup, (c) => [Array.from(c.x.toArray()), Array.from(c.y.toArray()), Array.from(c.g.getState())]);
