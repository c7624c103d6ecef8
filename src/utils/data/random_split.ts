// torch.utils.data.random_split (torch/utils/data/dataset.py): a random permutation of the
// dataset's indices cut into consecutive Subsets, by counts or by fractions (PyTorch 2.x).
import type { Generator } from "../../random.js";
import { generatorArg } from "../../generator_option.js";
import { describe } from "../../nn/check.js";
import { type Dataset, Subset, datasetLength } from "./dataset.js";

const OWNER = "randomSplit";

/** Python's math.isclose(a, b) with its default rel_tol = 1e-9. */
const isClose = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));

/** Split sizes: `lengths` themselves, or fractions of n floored, remainders added round-robin as PyTorch does. */
function splitLengths(lengths: readonly number[], n: number): number[] {
  let sum = 0;
  for (const v of lengths) sum += v; // left to right, as Python 3.11's sum()
  if (isClose(sum, 1) && sum <= 1) {
    const counts = lengths.map((frac, i) => {
      if (frac < 0 || frac > 1) throw new RangeError(`${OWNER}: Fraction at index ${i} is not between 0 and 1 (lengths[${i}] = ${frac})`);
      return Math.floor(n * frac);
    });
    const remainder = n - counts.reduce((a, b) => a + b, 0);
    for (let i = 0; i < remainder; i++) counts[i % counts.length] += 1;
    return counts;
  }
  if (sum !== n) {
    throw new RangeError(`${OWNER}: Sum of input lengths does not equal the length of the input dataset! ` +
      `lengths [${lengths.join(", ")}] sum to ${sum}, the dataset has ${n} items (fractions must sum to 1)`);
  }
  lengths.forEach((v, i) => {
    if (!Number.isInteger(v) || v < 0) {
      throw new RangeError(`${OWNER}: lengths[${i}] is ${v}: lengths must be counts (whole numbers ≥ 0) or fractions that sum to 1`);
    }
  });
  return lengths.slice();
}

/**
 * Splits `dataset` at random into non-overlapping Subsets of the given `lengths`, as
 * `torch.utils.data.random_split`: counts that sum to `dataset.len()`, or fractions that sum
 * to 1 (each part gets ⌊fraction·n⌋, the remainder spread one by one from the first part),
 * drawing one permutation from `generator` (default: torch.manualSeed's).
 *
 * ```ts
 * const ds = new torch.utils.data.TensorDataset(torch.arange(10));
 * const [train, test] = torch.utils.data.randomSplit(ds, [0.8, 0.2], new torch.Generator().manualSeed(42));
 * [train.len(), test.len()]; // [8, 2]
 * torch.utils.data.randomSplit(ds, [3, 3, 4]).map((s) => s.len()); // [3, 3, 4]
 * torch.utils.data.randomSplit(ds, [5, 6]); // throws: Sum of input lengths does not equal the length of the input dataset
 * ```
 */
export function randomSplit<T>(dataset: Dataset<T>, lengths: readonly number[], generator?: Generator | null): Subset<T>[] {
  const n = datasetLength(OWNER, dataset);
  if (!Array.isArray(lengths) || lengths.length === 0 || lengths.some((v) => typeof v !== "number" || !Number.isFinite(v))) {
    throw new TypeError(`${OWNER}: lengths must be a non-empty array of counts or of fractions, got ${describe(lengths)}`);
  }
  const counts = splitLengths(lengths, n);
  const order = generatorArg(OWNER, generator).permutation(n);
  const parts: Subset<T>[] = [];
  let offset = 0;
  for (const c of counts) {
    parts.push(new Subset(dataset, order.subarray(offset, offset + c)));
    offset += c;
  }
  return parts;
}
