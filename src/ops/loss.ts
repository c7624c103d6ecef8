// Loss functions (nn.functional and the nn loss modules call these).
import { Tensor } from "../tensor.js";
import { K } from "../runtime/wasm.js";
import { I32 } from "../runtime/memory.js";
import { needsGrad, record } from "../autograd.js";
import { binary, empty, live, setScalar, unary } from "./elementwise.js";
import { sum } from "./reduce.js";
import { Bin, Un } from "./codes.js";
import { fmt, sameShape } from "../shape.js";

export type Reduction = "mean" | "sum" | "none";

export function checkReduction(reduction: unknown, where: string): Reduction {
  if (reduction === "mean" || reduction === "sum" || reduction === "none") return reduction;
  throw new Error(`${where}: ${JSON.stringify(reduction)} is not a valid value for reduction ` +
    `(expected "mean", "sum" or "none")`);
}

function reduce(t: Tensor, reduction: Reduction): Tensor {
  if (reduction === "none") return t;
  return sum(t, undefined, false, reduction === "mean");
}

function checkSameShape(input: Tensor, target: Tensor, where: string): void {
  if (!(input instanceof Tensor) || !(target instanceof Tensor)) throw new Error(`${where}: input and target must be Tensors`);
  if (!sameShape(input.shape, target.shape)) {
    throw new Error(`${where}: target shape ${fmt(target.shape)} must match input shape ${fmt(input.shape)}`);
  }
}

/** One fused op (PyTorch's mse_loss): a training step's loss is one node, not three. */
export function mseLoss(input: Tensor, target: Tensor, reduction: Reduction = "mean"): Tensor {
  const r = checkReduction(reduction, "mseLoss");
  checkSameShape(input, target, "mseLoss");
  live(input); live(target);
  const n = input._size;
  const out = empty(r === "none" ? input.shape : []);
  const total = K.mse(input._ptr, target._ptr, out._ptr, n, r === "none" ? 1 : 0);
  if (r !== "none") setScalar(out, r === "mean" ? total / n : total);
  if (needsGrad(input, target)) {
    record(out, "MseLossBackward0", [input, target], (g) => {
      const dx = empty(input.shape);
      K.mseBackward(input._ptr, target._ptr, g._ptr, r === "none" ? 1 : 0, r === "mean" ? 2 / n : 2, dx._ptr, n);
      let dy: Tensor | null = null;
      if (target.requiresGrad) dy = unary(Un.NEG, dx, 0);
      if (!input.requiresGrad) { dx.dispose(); return [null, dy]; }
      return [dx, dy];
    }, [input, target]);
  }
  return out;
}

export function l1Loss(input: Tensor, target: Tensor, reduction: Reduction = "mean"): Tensor {
  const r = checkReduction(reduction, "l1Loss");
  checkSameShape(input, target, "l1Loss");
  return reduce(unary(Un.ABS, binary(Bin.SUB, input, target, "l1Loss"), 0), r);
}

/** The reduction step shared by fused losses: per-row/element values → output, and the g layout for backward. */
function reduceFused(perItem: Tensor, reduction: Reduction): Tensor {
  if (reduction === "none") return perItem;
  const out = empty([]);
  const s = K.sumRow(perItem._ptr, perItem._size);
  setScalar(out, reduction === "mean" ? s / perItem._size : s);
  return out;
}

export type Target = Tensor | Int32Array | readonly number[];

export function crossEntropy(input: Tensor, target: Target, reduction: Reduction = "mean"): Tensor {
  const r = checkReduction(reduction, "crossEntropy");
  if (!(input instanceof Tensor)) throw new Error("crossEntropy: input must be a Tensor of logits [N, C]");
  if (input.shape.length !== 2) throw new Error(`crossEntropy: input must be logits of shape [N, C], got ${fmt(input.shape)}`);
  const [N, C] = input.shape;
  let kind: number;
  let tgt: Tensor;
  if (target instanceof Tensor && target.shape.length === 2) {
    if (!sameShape(target.shape, input.shape)) {
      throw new Error(`crossEntropy: class-probability target must have the input's shape ${fmt(input.shape)}, got ${fmt(target.shape)}`);
    }
    kind = 1;
    tgt = target;
  } else {
    const idx = target instanceof Tensor ? Array.from(target.toArray()) : Array.from(target as ArrayLike<number>);
    if (target instanceof Tensor && target.shape.length !== 1) {
      throw new Error(`crossEntropy: target must be class indices [N] or probabilities [N, C], got shape ${fmt(target.shape)}`);
    }
    if (idx.length !== N) throw new Error(`crossEntropy: expected ${N} class indices (one per row of input ${fmt(input.shape)}), got ${idx.length}`);
    for (const v of idx) {
      if (!Number.isInteger(v)) throw new Error(`crossEntropy: class indices must be whole numbers, got ${v}`);
      if (v < 0 || v >= C) throw new Error(`crossEntropy: Target ${v} is out of bounds (classes 0 to ${C - 1})`);
    }
    kind = 0;
    tgt = empty([N]); // holds i32 indices
    const tp = tgt._ptr; // before I32(): see storage_access.ts on pointers
    I32().set(idx, tp >>> 2);
  }
  live(input); if (target instanceof Tensor) live(target);
  const perRow = empty([N]);
  const prob = empty([N, C]);
  K.crossEntropy(input._ptr, tgt._ptr, kind, perRow._ptr, prob._ptr, N, C);
  const out = reduceFused(perRow, r);
  if (out !== perRow) perRow.dispose();
  const saved = kind === 0 ? [prob, tgt] : [prob];
  if (needsGrad(input) || (kind === 1 && needsGrad(tgt))) {
    if (kind === 1 && tgt.requiresGrad) throw new Error("crossEntropy: gradients with respect to a probability target are not supported; detach() it");
    record(out, "NllLossBackward0", [input], (g) => {
      const dx = empty(input.shape);
      K.crossEntropyBackward(prob._ptr, tgt._ptr, kind, g._ptr, r === "none" ? 1 : 0,
        r === "mean" ? 1 / N : 1, dx._ptr, N, C);
      return [dx];
    }, kind === 1 ? [tgt] : [], saved);
  } else {
    for (const s of saved) s.dispose();
  }
  return out;
}

export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, reduction: Reduction = "mean"): Tensor {
  const r = checkReduction(reduction, "binaryCrossEntropyWithLogits");
  checkSameShape(input, target, "binaryCrossEntropyWithLogits");
  const n = input._size;
  live(input); live(target);
  const perItem = empty(input.shape);
  K.bceWithLogits(input._ptr, target._ptr, perItem._ptr, n);
  const out = reduceFused(perItem, r);
  if (out !== perItem) perItem.dispose();
  if (needsGrad(input)) {
    if (target.requiresGrad) throw new Error("binaryCrossEntropyWithLogits: gradients with respect to the target are not supported; detach() it");
    record(out, "BinaryCrossEntropyWithLogitsBackward0", [input], (g) => {
      const dx = empty(input.shape);
      K.bceWithLogitsBackward(input._ptr, target._ptr, g._ptr, r === "none" ? 1 : 0, r === "mean" ? 1 / n : 1, dx._ptr, n);
      return [dx];
    }, [input, target]);
  }
  return out;
}
