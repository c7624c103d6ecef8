// Comparisons (eq ne lt le gt ge) and logical ops into bool tensors, where(cond, a, b) and
// maskedFill. Operands broadcast and promote as in PyTorch (a JS number counts as a Python
// int when whole, else as a float); the kernels read views through their strides.
import { Tensor, type Operand } from "../tensor.js";
import { isGradEnabled, needsGrad, record } from "../autograd.js";
import { type DType, dtypeCode, itemSize, promoteScalar, promoteTypes } from "../dtype.js";
import { Cmp } from "./codes.js";
import { broadcastPair, dropTemp, empty, fill, live } from "./layout.js";
import { defineMethods } from "../methods.js";
import type { Shape } from "../shape.js";
import {
  MK, asDtype, broadcastAll, kindOf, operandArg, scalarOperand, stridedTable, sumTo, tensorArg,
} from "./broadcast.js";

const INT32_MIN = -2147483648, INT32_MAX = 2147483647;

/** a op b (same dtype, any layout) into a new bool tensor of the broadcast shape. */
function compareRaw(op: Cmp, a: Tensor, b: Tensor, dtype: DType, name: string): Tensor {
  const shape = broadcastPair(a, b, name);
  const ca = asDtype(a, dtype), cb = asDtype(b, dtype);
  const out = empty(shape, "bool");
  if (out._size > 0) {
    const [ndim, table] = stridedTable(shape, [ca, cb]);
    MK.compare(op, dtypeCode(dtype), ca._ptr, cb._ptr, out._ptr, ndim, table);
  }
  dropTemp(ca, a); dropTemp(cb, b);
  return out;
}

/** Whether every int32 x satisfies `x op v` for a whole number v beyond int32's range. */
function beyondInt32(op: Cmp, v: number): boolean {
  const above = v > INT32_MAX; // every x is below v
  switch (op) {
    case Cmp.EQ: return false;
    case Cmp.NE: return true;
    case Cmp.LT: case Cmp.LE: return above;
    default: return !above;
  }
}

function compareOp(op: Cmp, name: string, self: unknown, other: unknown): Tensor {
  const a = tensorArg(self, name, "self");
  // a boolean compares as 0 or 1 (mask.eq(true)); the result is bool whatever the promotion
  const b = operandArg(typeof other === "boolean" ? Number(other) : other, name, "other");
  live(a);
  if (typeof b === "number") {
    const dtype = promoteScalar(a.dtype, b);
    // PyTorch's int64 holds such a number; every int32 value compares the same way with it
    if (dtype === "int32" && (b < INT32_MIN || b > INT32_MAX)) return fill(a.shape, beyondInt32(op, b) ? 1 : 0, "bool");
    const s = scalarOperand(b, dtype);
    const out = compareRaw(op, a, s, dtype, name);
    s.dispose();
    return out;
  }
  live(b);
  return compareRaw(op, a, b, promoteTypes(a.dtype, b.dtype), name);
}

/**
 * `self == other` element-wise, as a bool tensor (`torch.eq`); `other` is a Tensor
 * (broadcast), a number or a boolean. Mixed dtypes compare after PyTorch's promotion; NaN
 * equals nothing.
 *
 * ```ts
 * torch.eq(torch.tensor([1, 2, 3]), 2);                        // tensor([False,  True, False])
 * torch.eq(torch.tensor([[1], [2]]), torch.tensor([1, 2]));    // tensor([[ True, False], [False,  True]])
 * ```
 */
export const eq = (self: Tensor, other: Operand | boolean): Tensor => compareOp(Cmp.EQ, "eq", self, other);
/**
 * `self != other` element-wise, as a bool tensor (`torch.ne`; see {@link eq}).
 *
 * ```ts
 * torch.ne(torch.tensor([0, 1, 0]), 0); // tensor([False,  True, False])
 * ```
 */
export const ne = (self: Tensor, other: Operand | boolean): Tensor => compareOp(Cmp.NE, "ne", self, other);
/**
 * `self < other` element-wise, as a bool tensor (`torch.lt`; see {@link eq}).
 *
 * ```ts
 * torch.lt(torch.tensor([0.2, 0.7]), 0.5); // tensor([ True, False])
 * ```
 */
export const lt = (self: Tensor, other: Operand | boolean): Tensor => compareOp(Cmp.LT, "lt", self, other);
/**
 * `self <= other` element-wise, as a bool tensor (`torch.le`; see {@link eq}).
 *
 * ```ts
 * torch.le(torch.tensor([1, 2, 3]), torch.tensor([2, 2, 2])); // tensor([ True,  True, False])
 * ```
 */
export const le = (self: Tensor, other: Operand | boolean): Tensor => compareOp(Cmp.LE, "le", self, other);
/**
 * `self > other` element-wise, as a bool tensor (`torch.gt`; see {@link eq}).
 *
 * ```ts
 * torch.gt(torch.tensor([-1, 0, 1]), 0); // tensor([False, False,  True])
 * ```
 */
export const gt = (self: Tensor, other: Operand | boolean): Tensor => compareOp(Cmp.GT, "gt", self, other);
/**
 * `self >= other` element-wise, as a bool tensor (`torch.ge`; see {@link eq}).
 *
 * ```ts
 * torch.ge(torch.tensor([-1, 0, 1]), 0); // tensor([False,  True,  True])
 * ```
 */
export const ge = (self: Tensor, other: Operand | boolean): Tensor => compareOp(Cmp.GE, "ge", self, other);

// ---- logical ----------------------------------------------------------------------------

/**
 * Element-wise NOT of any dtype (zero is false, anything else, NaN included, is true), as
 * `torch.logical_not`.
 *
 * ```ts
 * torch.logicalNot(torch.tensor([0, 1, 2]));  // tensor([ True, False, False])
 * ```
 */
export function logicalNot(self: Tensor): Tensor {
  const x = tensorArg(self, "logicalNot", "self");
  live(x);
  const zero = scalarOperand(0, x.dtype);
  const out = compareRaw(Cmp.EQ, x, zero, x.dtype, "logicalNot");
  zero.dispose();
  return out;
}

function logicalOp(op: Cmp, name: string, self: unknown, other: unknown): Tensor {
  const a = tensorArg(self, name, "self"), b = tensorArg(other, name, "other");
  live(a); live(b);
  broadcastPair(a, b, name); // a shape mismatch throws before the casts allocate
  const ba = asDtype(a, "bool"), bb = asDtype(b, "bool");
  const out = compareRaw(op, ba, bb, "bool", name);
  dropTemp(ba, a); dropTemp(bb, b);
  return out;
}

/**
 * Element-wise AND of the truth values of two tensors of any dtypes, broadcast, as
 * `torch.logical_and` (0 is false, anything else true).
 *
 * ```ts
 * const x = torch.tensor([-0.5, 0.5, 1.5]);
 * torch.logicalAnd(x.gt(0), x.lt(1)); // tensor([False,  True, False])
 * ```
 */
export const logicalAnd = (self: Tensor, other: Tensor): Tensor => logicalOp(Cmp.AND, "logicalAnd", self, other);
/**
 * Element-wise OR of truth values, broadcast (`torch.logical_or`; see {@link logicalAnd}).
 *
 * ```ts
 * torch.logicalOr(torch.tensor([0, 0, 2]), torch.tensor([0, 1, 0])); // tensor([False,  True,  True])
 * ```
 */
export const logicalOr = (self: Tensor, other: Tensor): Tensor => logicalOp(Cmp.OR, "logicalOr", self, other);
/**
 * Element-wise XOR of truth values, broadcast (`torch.logical_xor`; see {@link logicalAnd}).
 *
 * ```ts
 * torch.logicalXor(torch.tensor([true, true]), torch.tensor([true, false])); // tensor([False,  True])
 * ```
 */
export const logicalXor = (self: Tensor, other: Tensor): Tensor => logicalOp(Cmp.XOR, "logicalXor", self, other);

// ---- where, maskedFill ------------------------------------------------------------------

/** cond ? a : b (a and b of `dtype`, any layout) into a new tensor of `shape`. */
function whereRaw(cond: Tensor, a: Tensor, b: Tensor, shape: Shape, dtype: DType): Tensor {
  const out = empty(shape, dtype);
  if (out._size > 0) {
    const [ndim, table] = stridedTable(shape, [cond, a, b]);
    MK.where(cond._ptr, a._ptr, b._ptr, out._ptr, ndim, table, itemSize(dtype));
  }
  return out;
}

/** g where cond holds (`whenTrue`) or where it does not, 0 elsewhere: the grads of where. */
function gradWhere(cond: Tensor, g: Tensor, whenTrue: boolean): Tensor {
  const zero = scalarOperand(0, "float32");
  const out = whereRaw(cond, whenTrue ? g : zero, whenTrue ? zero : g, g.shape, "float32");
  zero.dispose();
  return out;
}

function checkCondition(v: unknown, op: string, name: string, pytorch: string): Tensor {
  const c = tensorArg(v, op, name);
  if (c.dtype !== "bool") throw new TypeError(`${op}: ${pytorch}, but got a tensor with dtype ${c.dtype}; compare first (x.gt(0)) or use .bool()`);
  live(c);
  return c;
}

/** The result dtype of where with tensors or numbers (a whole number counts as an int). */
function whereDtype(a: Operand, b: Operand): DType {
  if (a instanceof Tensor && b instanceof Tensor) return promoteTypes(a.dtype, b.dtype);
  if (a instanceof Tensor) return promoteScalar(a.dtype, b as number);
  if (b instanceof Tensor) return promoteScalar(b.dtype, a);
  return Number.isInteger(a) && Number.isInteger(b) ? "int32" : "float32";
}

/**
 * `condition ? input : other` element-wise, as `torch.where(condition, input, other)`:
 * condition is a bool tensor; input and other are tensors or numbers; all three broadcast.
 * Differentiable in input and other. (The one-argument form, `nonzero`, is not provided.)
 *
 * ```ts
 * const x = torch.tensor([-1, 2, -3]);
 * torch.where(x.gt(0), x, 0);                      // tensor([0., 2., 0.])
 * torch.where(torch.tensor([true, false]), torch.tensor([1, 2]), torch.tensor([10, 20])); // tensor([ 1., 20.])
 * ```
 */
export function where(condition: Tensor, input: Operand, other: Operand): Tensor {
  if (arguments.length < 3) {
    throw new TypeError("where: expected where(condition, input, other); the one-argument form (nonzero) is not supported");
  }
  const c = checkCondition(condition, "where", "condition", "expected condition to be a boolean tensor");
  const a = operandArg(input, "where", "input"), b = operandArg(other, "where", "other");
  const ta0 = a instanceof Tensor ? a : null, tb0 = b instanceof Tensor ? b : null;
  if (ta0 !== null) live(ta0);
  if (tb0 !== null) live(tb0);
  const dtype = whereDtype(a, b);
  const shape = broadcastAll([c, ...(ta0 ? [ta0] : []), ...(tb0 ? [tb0] : [])], "where");
  const ta = ta0 !== null ? asDtype(ta0, dtype) : scalarOperand(a as number, dtype);
  const tb = tb0 !== null ? asDtype(tb0, dtype) : scalarOperand(b as number, dtype);
  const out = whereRaw(c, ta, tb, shape, dtype);
  if (ta !== ta0) ta.dispose();
  if (tb !== tb0) tb.dispose();
  if (dtype === "float32" && isGradEnabled() && (ta0?._requiresGrad || tb0?._requiresGrad)) {
    const inputs = [ta0, tb0].filter((t): t is Tensor => t !== null);
    record(out, "WhereBackward0", inputs, (g) => {
      const grads: (Tensor | null)[] = [];
      if (ta0 !== null) grads.push(ta0.requiresGrad ? sumTo(gradWhere(c, g, true), ta0.shape) : null);
      if (tb0 !== null) grads.push(tb0.requiresGrad ? sumTo(gradWhere(c, g, false), tb0.shape) : null);
      return grads;
    }, [c]);
  }
  return out;
}

/**
 * A copy of `self` with `value` where `mask` is true, as `torch.masked_fill` (the
 * out-of-place `masked_fill`). mask is a bool tensor that broadcasts with self; value is a
 * number, a boolean or a 0-d tensor, converted to self's dtype. The gradient is zero where
 * filled.
 *
 * ```ts
 * const x = torch.tensor([-1, 2, -3]);
 * torch.maskedFill(x, x.lt(0), 0);                           // tensor([0., 2., 0.])
 * torch.maskedFill(torch.zeros([2, 2]), torch.tensor([true, false]), 5); // tensor([[5., 0.], [5., 0.]])
 * ```
 */
export function maskedFill(self: Tensor, mask: Tensor, value: number | boolean | Tensor): Tensor {
  const x = tensorArg(self, "maskedFill", "self");
  const m = checkCondition(mask, "maskedFill", "mask", "mask must be a bool tensor (masked_fill only supports boolean masks)");
  live(x);
  let v: Tensor | null = null;
  if (value instanceof Tensor) {
    if (value.shape.length !== 0) {
      throw new Error(`maskedFill: value must be a number, a boolean or a 0-dimensional tensor, got a tensor with ${value.shape.length} dimension(s)`);
    }
    live(value);
    v = value;
  } else if (typeof value === "boolean") {
    value = value ? 1 : 0; // masked_fill(mask, True) on a bool tensor
  } else if (typeof value !== "number") {
    throw new TypeError(`maskedFill: value must be a number, a boolean or a 0-d Tensor, got ${kindOf(value)}`);
  }
  const shape = broadcastAll([x, m], "maskedFill");
  const tv = v !== null ? asDtype(v, x.dtype) : scalarOperand(value as number, x.dtype);
  const out = whereRaw(m, tv, x, shape, x.dtype);
  if (tv !== v) tv.dispose();
  if (x.dtype === "float32" && needsGrad(x, v)) {
    const inputs = v !== null ? [x, v] : [x];
    record(out, v !== null ? "MaskedFillBackward1" : "MaskedFillBackward0", inputs, (g) => {
      const gx = x.requiresGrad ? sumTo(gradWhere(m, g, false), x.shape) : null;
      if (v === null) return [gx];
      return [gx, v.requiresGrad ? sumTo(gradWhere(m, g, true), []) : null];
    }, [m]);
  }
  return out;
}

declare module "../tensor.js" {
  interface Tensor {
    /**
     * `this == other` element-wise into a bool tensor (other a Tensor, broadcast, a number or a
     * boolean), as PyTorch's `eq`.
     *
     * ```ts
     * torch.tensor([1, 2, 3]).eq(2); // tensor([False,  True, False])
     * ```
     */
    eq(other: Operand | boolean): Tensor;
    /**
     * `this != other` element-wise into a bool tensor, as PyTorch's `ne`.
     *
     * ```ts
     * torch.tensor([1, 2, 3]).ne(torch.tensor([1, 0, 3])); // tensor([False,  True, False])
     * ```
     */
    ne(other: Operand | boolean): Tensor;
    /**
     * `this < other` element-wise into a bool tensor, as PyTorch's `lt`.
     *
     * ```ts
     * torch.tensor([0.2, 0.7]).lt(0.5); // tensor([ True, False])
     * ```
     */
    lt(other: Operand | boolean): Tensor;
    /**
     * `this <= other` element-wise into a bool tensor, as PyTorch's `le`.
     *
     * ```ts
     * torch.tensor([1, 2, 3]).le(2); // tensor([ True,  True, False])
     * ```
     */
    le(other: Operand | boolean): Tensor;
    /**
     * `this > other` element-wise into a bool tensor, as PyTorch's `gt`.
     *
     * ```ts
     * torch.tensor([1, 2, 3]).gt(2); // tensor([False, False,  True])
     * ```
     */
    gt(other: Operand | boolean): Tensor;
    /**
     * `this >= other` element-wise into a bool tensor, as PyTorch's `ge`.
     *
     * ```ts
     * torch.tensor([1, 2, 3]).ge(2); // tensor([False,  True,  True])
     * ```
     */
    ge(other: Operand | boolean): Tensor;
    /**
     * Element-wise NOT of truth values (0 is false) into a bool tensor, as PyTorch's
     * `logical_not`.
     *
     * ```ts
     * torch.tensor([true, false]).logicalNot(); // tensor([False,  True])
     * ```
     */
    logicalNot(): Tensor;
    /**
     * Element-wise AND of truth values, broadcast, into a bool tensor, as PyTorch's
     * `logical_and`.
     *
     * ```ts
     * const a = torch.tensor([-0.5, 0.5, 1.5]);
     * a.gt(0).logicalAnd(a.lt(1)); // tensor([False,  True, False])
     * ```
     */
    logicalAnd(other: Tensor): Tensor;
    /**
     * Element-wise OR of truth values, broadcast, into a bool tensor, as PyTorch's `logical_or`.
     *
     * ```ts
     * const a = torch.tensor([-2, 0, 2]);
     * a.lt(-1).logicalOr(a.gt(1)); // tensor([ True, False,  True])
     * ```
     */
    logicalOr(other: Tensor): Tensor;
    /**
     * Element-wise XOR of truth values, broadcast, into a bool tensor, as PyTorch's
     * `logical_xor`.
     *
     * ```ts
     * torch.tensor([1, 1, 0]).logicalXor(torch.tensor([1, 0, 0])); // tensor([False,  True, False])
     * ```
     */
    logicalXor(other: Tensor): Tensor;
    /**
     * `condition ? this : other` element-wise, broadcast, as PyTorch's `Tensor.where`
     * (`torch.where(condition, this, other)`).
     *
     * ```ts
     * const x = torch.tensor([-1, 2, -3]);
     * x.where(x.gt(0), 0); // tensor([0., 2., 0.])
     * ```
     */
    where(condition: Tensor, other: Operand): Tensor;
    /**
     * A copy with `value` (a number, a boolean or a 0-d tensor) where the bool `mask` is true
     * (mask broadcasts), as PyTorch's `masked_fill`.
     *
     * ```ts
     * const logits = torch.tensor([[1, 2, 3]]);
     * const padding = torch.tensor([false, false, true]);
     * logits.maskedFill(padding, -Infinity); // tensor([[1., 2., -inf]])
     * ```
     */
    maskedFill(mask: Tensor, value: number | boolean | Tensor): Tensor;
  }
}

defineMethods({
  eq(this: Tensor, other: Operand | boolean) { return eq(this, other); },
  ne(this: Tensor, other: Operand | boolean) { return ne(this, other); },
  lt(this: Tensor, other: Operand | boolean) { return lt(this, other); },
  le(this: Tensor, other: Operand | boolean) { return le(this, other); },
  gt(this: Tensor, other: Operand | boolean) { return gt(this, other); },
  ge(this: Tensor, other: Operand | boolean) { return ge(this, other); },
  logicalNot(this: Tensor) { return logicalNot(this); },
  logicalAnd(this: Tensor, other: Tensor) { return logicalAnd(this, other); },
  logicalOr(this: Tensor, other: Tensor) { return logicalOr(this, other); },
  logicalXor(this: Tensor, other: Tensor) { return logicalXor(this, other); },
  where(this: Tensor, condition: Tensor, other: Operand) { return where(condition, this, other); },
  maskedFill(this: Tensor, mask: Tensor, value: number | boolean | Tensor) { return maskedFill(this, mask, value); },
});
