// A stand-in for torch.utils.data.DataLoader over a TensorDataset, until torchlet has them:
// iterable as `for (const [xb, yb] of loader)`, with `loader.length` batches, reshuffled
// each epoch when `shuffle` is set. REPLACE with DataLoader when it lands (boston.mjs
// marks the one line to change) and delete this file.
import * as torch from "../../build/torchlet.js";
import { seededRandom, shuffleInPlace } from "./data.mjs";

/** Batches of rows of `tensors` (each [N, …], same N), `batchSize` rows at a time. */
export function minibatches(tensors, { batchSize = 1, shuffle = false, seed = 0 } = {}) {
  const n = tensors[0].shape[0];
  const columns = tensors.map((t) => ({ data: t.toArray(), rowShape: t.shape.slice(1), width: t.numel() / n }));
  const random = seededRandom(seed);
  const order = Array.from({ length: n }, (_, i) => i);
  return {
    length: Math.ceil(n / batchSize),
    *[Symbol.iterator]() {
      if (shuffle) shuffleInPlace(order, random);
      for (let start = 0; start < n; start += batchSize) {
        const rows = order.slice(start, start + batchSize);
        yield columns.map(({ data, rowShape, width }) => {
          const out = new Float32Array(rows.length * width);
          rows.forEach((r, i) => out.set(data.subarray(r * width, (r + 1) * width), i * width));
          return torch.tensor(out, { shape: [rows.length, ...rowShape] });
        });
      }
    },
  };
}
