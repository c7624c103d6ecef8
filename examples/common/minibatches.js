// A stand-in for torch.utils.data.DataLoader over a TensorDataset, until torchlet has them:
// iterable as `for (const [xb, yb] of loader)`, with `loader.length` batches, the rows
// reshuffled each epoch (seeded) when `shuffle` is set, each batch gathered with
// indexSelect. Every example marks the one line that becomes a DataLoader when it lands;
// then delete this file.
import * as torch from "../../build/torchlet.js";
import { seededRandom, shuffleInPlace } from "./seeded_random.js";

/** Batches of `batchSize` rows of `tensors` (each [N, …], the same N). */
export function minibatches(tensors, { batchSize = 1, shuffle = false, seed = 0 } = {}) {
  const n = tensors[0].shape[0];
  const random = seededRandom(seed);
  const order = Array.from({ length: n }, (_, i) => i);
  return {
    length: Math.ceil(n / batchSize),
    *[Symbol.iterator]() {
      if (shuffle) shuffleInPlace(order, random);
      for (let start = 0; start < n; start += batchSize) {
        const rows = torch.tensor(order.slice(start, start + batchSize), { dtype: "int32" });
        yield tensors.map((t) => t.indexSelect(0, rows));
      }
    },
  };
}
