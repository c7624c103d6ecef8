// torch.utils.data.default_collate (torch/utils/data/_utils/collate.py): a list of items
// becomes one batch, by the kind of the first item — tensors are stacked, numbers and
// booleans become a tensor, strings stay a list, arrays and plain objects are collated
// position by position and key by key.
import { Tensor, tensor } from "../../tensor.js";
import { stack } from "../../ops/join.js";
import { describe, isPlainObject } from "../../nn/check.js";

const OWNER = "defaultCollate";

type Kind = "tensor" | "number" | "boolean" | "string" | "typed array" | "array" | "object";

function kindOf(v: unknown): Kind | null {
  if (v instanceof Tensor) return "tensor";
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "string") return typeof v as Kind;
  if (ArrayBuffer.isView(v) && !(v instanceof DataView) && !(v instanceof BigInt64Array) && !(v instanceof BigUint64Array)) return "typed array";
  if (Array.isArray(v)) return "array";
  if (isPlainObject(v)) return "object";
  return null;
}

/** Every item's length (arrays, typed arrays) must be the first one's, as PyTorch checks. */
function sameLengths(batch: ArrayLike<number>[] | unknown[][]): number {
  const n = batch[0].length;
  const k = batch.findIndex((b) => b.length !== n);
  if (k >= 0) throw new RangeError(`${OWNER}: each element in list of batch should be of equal size: item ${k} has ${batch[k].length}, item 0 has ${n}`);
  return n;
}

/**
 * Collates a list of dataset items into a batch, as PyTorch's `default_collate`: tensors
 * are stacked along a new first dim (`torch.stack`); numbers become a float32 tensor
 * (JavaScript has one number type: return an int32 tensor from `getItem` for int32
 * batches) and booleans a bool tensor; a Float32Array or an Int32Array (float32, int32) and
 * other typed arrays (float32) are stacked as tensors; strings stay a list; arrays and plain
 * objects are collated position by position and key by key, keeping their form.
 *
 * ```ts
 * const x0 = torch.tensor([1, 2]), x1 = torch.tensor([3, 4]);
 * const [xs, ys] = torch.utils.data.defaultCollate([[x0, 1], [x1, 0]]) as torch.Tensor[];
 * xs; // tensor([[1., 2.], [3., 4.]])
 * ys; // tensor([1., 0.])
 * torch.utils.data.defaultCollate([{ id: "a", v: true }, { id: "b", v: false }]); // { id: ["a", "b"], v: tensor([ True, False]) }
 * ```
 */
export function defaultCollate(batch: readonly unknown[]): unknown {
  const made: Tensor[] = [];
  try {
    return collate(batch, made);
  } catch (e) {
    for (const t of made) t.dispose(); // a refused batch leaves nothing behind
    throw e;
  }
}

/** defaultCollate, recording the tensors it makes in `made`. */
function collate(batch: readonly unknown[], made: Tensor[]): unknown {
  const keep = (t: Tensor): Tensor => { made.push(t); return t; };
  if (!Array.isArray(batch) || batch.length === 0) {
    throw new TypeError(`${OWNER}: batch must be a non-empty array of dataset items, got ${describe(batch)}`);
  }
  const kind = kindOf(batch[0]);
  if (kind === null) {
    throw new TypeError(`${OWNER}: batch must contain tensors, numbers, booleans, strings, typed arrays, arrays or plain objects; found ${describe(batch[0])}`);
  }
  const odd = batch.findIndex((b) => kindOf(b) !== kind);
  if (odd >= 0) throw new TypeError(`${OWNER}: item ${odd} of the batch is ${describe(batch[odd])} but item 0 is a ${kind}; items must be alike`);
  switch (kind) {
    case "tensor": return keep(stack(batch as Tensor[], 0));
    case "number": return keep(tensor(batch as number[]));
    case "boolean": return keep(tensor(batch as boolean[], { dtype: "bool" }));
    case "string": return batch.slice();
    case "typed array": {
      const rows = batch as ArrayLike<number>[];
      const width = sameLengths(rows);
      const ints = rows[0] instanceof Int32Array;
      const flat = ints ? new Int32Array(rows.length * width) : new Float32Array(rows.length * width);
      rows.forEach((r, k) => flat.set(r, k * width));
      return keep(tensor(flat, { shape: [rows.length, width], dtype: ints ? "int32" : "float32" }));
    }
    case "array": {
      const rows = batch as unknown[][];
      const width = sameLengths(rows);
      return Array.from({ length: width }, (_, j) => collate(rows.map((r) => r[j]), made));
    }
    case "object": {
      const rows = batch as Record<string, unknown>[];
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(rows[0])) {
        const missing = rows.findIndex((r) => !Object.prototype.hasOwnProperty.call(r, key));
        if (missing >= 0) throw new TypeError(`${OWNER}: item ${missing} of the batch has no key ${JSON.stringify(key)}, which item 0 has`);
        out[key] = collate(rows.map((r) => r[key]), made);
      }
      return out;
    }
  }
}
