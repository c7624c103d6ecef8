// Element-wise ops with PyTorch broadcasting and type promotion, and their backwards.
// Binary kernels read both operands through their strides (views need no copy); unary
// kernels read a contiguous input. float32 is the arithmetic type; int32 has its own
// add/sub/mul kernel; bool operands are promoted first.
import { Tensor, type Operand } from "../tensor.js";
import { K } from "../runtime/wasm.js";
import { checkInPlaceTarget, needsGrad, isGradEnabled, record, recordInPlace, setGradEnabled } from "../autograd.js";
import { type DType, promoteScalar, promoteTypes } from "../dtype.js";
import { Bin, IntUn, Un } from "./codes.js";
import { broadcastShapes, broadcastStrides, fmt, sameShape, type Shape } from "../shape.js";
import {
  broadcastPair, castTo, clone, coalesce, copyInto, dense, dropTemp, empty, fill, live, setScalar, stridesIn, writeTable,
} from "./layout.js";

const k = K as unknown as {
  binaryInt(op: number, a: number, b: number, out: number, ndim: number, dims: number): void;
  unaryInt(op: number, x: number, out: number, n: number): void;
};

export { clone, empty, fill, live, setScalar };

/** torch.clone: a copy, in the graph. */
export function cloneOp(x: Tensor): Tensor {
  const out = clone(x);
  if (needsGrad(x)) record(out, "CloneBackward0", [x], (g) => [clone(g)]);
  return out;
}

/** A new handle on the same storage and geometry (no copy). */
export function viewAs(src: Tensor, shape: Shape): Tensor {
  live(src);
  return new Tensor(src._storage!, shape, src.dtype, src._contiguous ? undefined : src._strides, src._offset);
}

/** t.to(dtype): a converted copy (t itself when it has the dtype); float→float keeps the graph. */
export function toDtype(t: Tensor, dtype: DType): Tensor {
  live(t);
  if (t.dtype === dtype) return t;
  const out = castTo(t, dtype);
  if (out === t) return clone(t);
  return out;
}

/** out = a op b (float32) with broadcasting, into a new contiguous tensor of `outShape` (or `into`). */
export function binaryRaw(op: Bin, a: Tensor, b: Tensor, outShape: Shape, into?: Tensor): Tensor {
  live(a); live(b); // a disposed input throws before anything is allocated
  const out = into ?? empty(outShape);
  if (out._size === 0) return out;
  if (a._contiguous && b._contiguous && sameShape(a.shape, b.shape) && a._size === out._size) {
    K.binaryFlat(op, a._ptr, b._ptr, out._ptr, out._size);
    return out;
  }
  const [shape, [sa, sb]] = coalesce(outShape, [stridesIn(a, outShape), stridesIn(b, outShape)]);
  const table = writeTable([...shape, ...sa, ...sb]);
  K.binary(op, a._ptr, b._ptr, out._ptr, shape.length, table);
  return out;
}

/** int32 a op b (add, sub, mul) with broadcasting. */
function binaryIntRaw(op: Bin, a: Tensor, b: Tensor, outShape: Shape): Tensor {
  const out = empty(outShape, "int32");
  if (out._size === 0) return out;
  const [shape, [sa, sb]] = coalesce(outShape, [stridesIn(a, outShape), stridesIn(b, outShape)]);
  const table = writeTable([...shape, ...sa, ...sb]);
  k.binaryInt(op, a._ptr, b._ptr, out._ptr, shape.length, table);
  return out;
}

/** Sums a gradient of the broadcast shape down to `shape` (the reverse of broadcasting). */
export function reduceTo(g: Tensor, shape: Shape): Tensor {
  if (sameShape(g.shape, shape)) return clone(g);
  const src = dense(g);
  const out = fill(shape, 0);
  if (src._size > 0) {
    if (out._size === 1) setScalar(out, K.sumRow(src._ptr, src._size));
    else {
      // coalesce merged dims contiguous in dst; the source is contiguous in g's own order,
      // which those merges preserve
      const [cs, [sd]] = coalesce(src.shape, [broadcastStrides(shape, src.shape)]);
      const table = writeTable([...cs, ...sd]);
      K.sumToStrided(src._ptr, out._ptr, cs.length, table);
    }
  }
  dropTemp(src, g);
  return out;
}

function asTensor(x: Operand, op: string): Tensor {
  if (x instanceof Tensor) return x;
  throw new TypeError(`${op}: other must be a Tensor or a number, got ${x === null ? "null" : typeof x}`);
}

/** A 0-d tensor holding a JS number, for an operand of another dtype's kernel. */
function scalarTensor(v: number, dtype: DType): Tensor {
  return fill([], v, dtype);
}

const NAMES = ["AddBackward0", "SubBackward0", "MulBackward0", "DivBackward0"];

/** The operands a binary op's backward reads: a's grad needs b, b's grad needs a (and b, for div). */
function binaryReads(op: Bin, a: Tensor, b: Tensor): Tensor[] {
  if (op === Bin.ADD || op === Bin.SUB) return [];
  const reads: Tensor[] = [];
  if (a._requiresGrad || (op === Bin.DIV && b._requiresGrad)) reads.push(b);
  if (b._requiresGrad) reads.push(a);
  return reads;
}

/** a op b for a tensor and a tensor or number, with PyTorch's promotion; div is true division. */
/** PyTorch refuses subtraction with a bool tensor operand (either side). */
export function refuseBoolSub(a: Operand, b: Operand): void {
  if ((a instanceof Tensor && a.dtype === "bool") || (b instanceof Tensor && b.dtype === "bool")) {
    throw new Error("sub: Subtraction, the `-` operator, with a bool tensor is not supported. " +
      "If you are trying to invert a mask, use logicalNot() instead.");
  }
}

export function binary(op: Bin, a: Tensor, bIn: Operand, name: string): Tensor {
  if (op === Bin.SUB) refuseBoolSub(a, bIn);
  if (typeof bIn === "number") {
    const dtype = op === Bin.DIV ? "float32" : promoteScalar(a.dtype, bIn);
    if (dtype === "float32" && a.dtype === "float32") {
      switch (op) {
        case Bin.ADD: return unary(Un.ADDS, a, bIn);
        case Bin.SUB: return unary(Un.ADDS, a, -bIn);
        case Bin.MUL: return unary(Un.MULS, a, bIn);
        default: return unary(Un.DIVS, a, bIn);
      }
    }
    const s = scalarTensor(bIn, dtype);
    const out = binaryMixed(op, a, s, name);
    s.dispose();
    return out;
  }
  const b = asTensor(bIn, name);
  if (a.dtype !== "float32" || b.dtype !== "float32") return binaryMixed(op, a, b, name);
  const out = binaryRaw(op, a, b, broadcastPair(a, b, name));
  if (needsGrad(a, b)) record(out, NAMES[op], [a, b], (g) => binaryBackward(op, a, b, g), binaryReads(op, a, b));
  return out;
}

/** Operands that are not both float32: promoted (PyTorch's rules), no graph (ints carry none). */
function binaryMixed(op: Bin, a: Tensor, b: Tensor, name: string): Tensor {
  let dtype = promoteTypes(a.dtype, b.dtype);
  if (op === Bin.DIV) dtype = "float32"; // true division
  if (dtype === "bool") {
    if (op === Bin.SUB) throw new Error(`${name}: subtraction, the \`-\` operator, with two bool tensors is not supported; use logical_xor() or ~ instead`);
    dtype = "int32"; // bool + bool and bool · bool are computed in int32 and read back as bool
  }
  const shape = broadcastPair(a, b, name);
  const ca = castTo(a, dtype), cb = castTo(b, dtype);
  let out: Tensor;
  if (dtype === "float32") {
    out = binaryRaw(op, ca, cb, shape);
    if (needsGrad(a, b)) {
      // only the float operand gets a grad; the backward reads the promoted copy of the other
      const fa = a.dtype === "float32" ? a : ca, fb = b.dtype === "float32" ? b : cb;
      const saved = [fa, fb].filter((t) => t !== a && t !== b);
      record(out, NAMES[op], [a, b], (g) => binaryBackward(op, fa, fb, g), binaryReads(op, fa, fb), saved);
      if (ca !== a && ca !== fa) ca.dispose();
      if (cb !== b && cb !== fb) cb.dispose();
      return out;
    }
  } else out = binaryIntRaw(op, ca, cb, shape);
  dropTemp(ca, a); dropTemp(cb, b);
  if (promoteTypes(a.dtype, b.dtype) === "bool" && op !== Bin.DIV) {
    const asBool = castTo(out, "bool");
    out.dispose();
    return asBool;
  }
  return out;
}

function binaryBackward(op: Bin, a: Tensor, b: Tensor, g: Tensor): (Tensor | null)[] {
  let ga: Tensor | null = null;
  let gb: Tensor | null = null;
  switch (op) {
    case Bin.ADD:
      if (a.requiresGrad) ga = reduceTo(g, a.shape);
      if (b.requiresGrad) gb = reduceTo(g, b.shape);
      break;
    case Bin.SUB:
      if (a.requiresGrad) ga = reduceTo(g, a.shape);
      if (b.requiresGrad) gb = scaleInPlace(reduceTo(g, b.shape), -1);
      break;
    case Bin.MUL:
      if (a.requiresGrad) ga = productReduced(g, b, a.shape, Bin.MUL);
      if (b.requiresGrad) gb = productReduced(g, a, b.shape, Bin.MUL);
      break;
    case Bin.DIV: {
      if (a.requiresGrad) ga = productReduced(g, b, a.shape, Bin.DIV);
      if (b.requiresGrad) {
        // PyTorch 2.13 (div_tensor_other_backward): -grad * ((self / other) / other), which
        // stays finite where other·other would underflow
        const ng = unaryRaw(Un.NEG, g, 0);
        const r = binaryRaw(Bin.DIV, a, b, g.shape);
        const r2 = binaryRaw(Bin.DIV, r, b, g.shape);
        r.dispose();
        const q = binaryRaw(Bin.MUL, ng, r2, g.shape);
        ng.dispose(); r2.dispose();
        gb = reduceTo(q, b.shape);
        q.dispose();
      }
      break;
    }
  }
  return [ga, gb];
}

function productReduced(g: Tensor, other: Tensor, shape: Shape, op: Bin): Tensor {
  const t = binaryRaw(op, g, other, g.shape);
  if (sameShape(t.shape, shape)) return t;
  const r = reduceTo(t, shape);
  t.dispose();
  return r;
}

function scaleInPlace(t: Tensor, s: number): Tensor {
  K.unary(Un.MULS, t._ptr, t._ptr, t._size, s);
  return t;
}

/** out = op(x) (float32) into a new contiguous tensor; x of any layout. */
export function unaryRaw(op: Un, x: Tensor, p: number): Tensor {
  const src = dense(x); // a disposed input throws here, before anything is allocated
  const out = empty(x.shape);
  if (out._size > 0) K.unary(op, src._ptr, out._ptr, x._size, p);
  dropTemp(src, x);
  return out;
}

const UNARY_NAMES: Record<number, string> = {
  [Un.NEG]: "NegBackward0", [Un.EXP]: "ExpBackward0", [Un.LOG]: "LogBackward0", [Un.SQRT]: "SqrtBackward0",
  [Un.ABS]: "AbsBackward0", [Un.RELU]: "ReluBackward0", [Un.SIGMOID]: "SigmoidBackward0",
  [Un.TANH]: "TanhBackward0", [Un.POW]: "PowBackward0", [Un.ADDS]: "AddBackward0", [Un.MULS]: "MulBackward0",
  [Un.RSUB]: "RsubBackward1", [Un.RDIV]: "DivBackward0", [Un.DIVS]: "DivBackward0",
  [Un.SQUARE]: "PowBackward0", [Un.RSQRT]: "RsqrtBackward0", [Un.RECIPROCAL]: "ReciprocalBackward0",
  [Un.SIGN]: "SignBackward0", [Un.FLOOR]: "FloorBackward0", [Un.CEIL]: "CeilBackward0", [Un.ROUND]: "RoundBackward0",
  [Un.TRUNC]: "TruncBackward0", [Un.SIN]: "SinBackward0", [Un.COS]: "CosBackward0", [Un.LOG1P]: "Log1PBackward0",
  [Un.EXPM1]: "Expm1Backward0", [Un.LOG2]: "Log2Backward0",
};

const READS_X = new Set<Un>([Un.LOG, Un.ABS, Un.POW, Un.RDIV, Un.SQUARE, Un.SIN, Un.COS, Un.LOG1P, Un.LOG2]);
const READS_Y = new Set<Un>([Un.EXP, Un.SQRT, Un.RELU, Un.SIGMOID, Un.TANH, Un.RSQRT, Un.RECIPROCAL, Un.EXPM1]);
// Ops that keep an integer dtype (with an integer scalar); the rest compute in float32.
const KEEPS_INT = new Set<Un>([Un.RELU]);

export function unary(op: Un, x: Tensor, p: number): Tensor {
  if (!(x instanceof Tensor)) throw new TypeError(`expected a Tensor, got ${x === null ? "null" : typeof x}`);
  if (x.dtype !== "float32") return unaryNonFloat(op, x, p);
  const out = unaryRaw(op, x, p);
  if (needsGrad(x)) {
    const readsX = READS_X.has(op), readsY = READS_Y.has(op);
    record(out, UNARY_NAMES[op], [x], (g) => {
      const gx = empty(x.shape);
      const xd = readsX ? dense(x) : x;
      // Pass only what the op's derivative reads (so relu's input may be gone, as in PyTorch).
      K.unaryBackward(op, readsX ? xd._ptr : 0, readsY ? out._ptr : 0, g._ptr, gx._ptr, gx._size, p);
      dropTemp(xd, x);
      return [gx];
    }, readsX ? [x] : readsY ? [out] : []);
  }
  return out;
}

/** int32 neg, abs, sign or square of an int32 or bool tensor (any layout), exact, into a new int32 tensor. */
export function intUnary(op: IntUn, x: Tensor): Tensor {
  const src = castTo(x, "int32");
  const out = empty(x.shape, "int32");
  if (out._size > 0) k.unaryInt(op, src._ptr, out._ptr, out._size);
  dropTemp(src, x);
  return out;
}

/** A unary op on an int32 or bool tensor: computed in float32 (exact for |v| < 2^24), int kept where PyTorch keeps it. */
function unaryNonFloat(op: Un, x: Tensor, p: number): Tensor {
  if (op === Un.NEG || op === Un.ABS) {
    // PyTorch refuses both on bool; on int32 they are exact integer ops
    if (x.dtype === "bool") {
      throw new Error(op === Un.NEG
        ? "neg: negation, the `-` operator, on a bool tensor is not supported; to invert a mask use logicalNot()"
        : "abs: not implemented for bool tensors");
    }
    return intUnary(op === Un.NEG ? IntUn.NEG : IntUn.ABS, x);
  }
  if (op === Un.RELU && x.dtype === "bool") throw new Error("relu: Boolean inputs not supported for relu");
  const scalarOp = op === Un.ADDS || op === Un.MULS || op === Un.RSUB;
  const keep = (KEEPS_INT.has(op) || (scalarOp && Number.isInteger(p))) ? "int32" : "float32";
  const f = castTo(x, "float32");
  const r = unaryRaw(op, f, p);
  f.dispose();
  if (keep === "float32") return r;
  const out = castTo(r, "int32");
  r.dispose();
  return out;
}

// ---- in place ----------------------------------------------------------------------------
//
// A leaf that requires grad may only change inside noGrad (PyTorch: "a leaf Variable that
// requires grad is being used in an in-place operation"). A non-leaf in a graph may change:
// it gets a new node whose edge is its previous one, as PyTorch rebases a modified tensor's
// grad_fn. A view is written through its strides, so the base sees the change.

function checkInPlace(t: Tensor, op: string, operand?: Tensor): boolean {
  live(t);
  if (operand !== undefined) live(operand);
  if (!isGradEnabled()) return false;
  checkInPlaceTarget(t, op);
  if (operand !== undefined && operand.requiresGrad) {
    throw new Error(`${op}: in-place ops with an operand that requires grad are not supported; use the out-of-place form`);
  }
  return t.requiresGrad;
}

/** Runs fn with autograd off (an in-place op computes its value outside the graph). */
function noGraph<T>(fn: () => T): T {
  const prev = setGradEnabled(false);
  try { return fn(); } finally { setGradEnabled(prev); }
}

/** Writes `result` (t's shape, t's dtype or castable to it) into t, through t's strides. */
function writeBack(t: Tensor, result: Tensor, op: string): void {
  if (result.dtype !== t.dtype) {
    if (t.dtype !== "float32" && result.dtype === "float32") {
      throw new Error(`${op}: result type Float can't be cast to the desired output type ${t.dtype === "int32" ? "Int" : "Bool"}`);
    }
    const c = castTo(result, t.dtype);
    copyInto(t, c);
    c.dispose();
  } else copyInto(t, result);
}

export function fillInPlace(t: Tensor, value: number, op: string): void {
  if (typeof value !== "number") throw new TypeError(`${op}: value must be a number, got ${value === null ? "null" : typeof value}`);
  const tracked = checkInPlace(t, op);
  if (t._contiguous && t.dtype === "float32") {
    if (t._size > 0) K.unary(Un.FILL, t._ptr, t._ptr, t._size, value);
    t._bumpVersion();
  } else {
    const v = fill([], value, t.dtype);
    copyInto(t, v);
    v.dispose();
  }
  if (tracked) recordInPlace(t, "FillBackward0", () => null);
}

/** Broadcasts `src` to `shape`, refusing a shape that would change t's. */
function checkBroadcastTo(src: Tensor, shape: Shape, op: string): void {
  if (sameShape(src.shape, shape)) return;
  const b = broadcastShapes(shape, src.shape, op);
  if (!sameShape(b, shape)) {
    throw new Error(`${op}: the operand of shape ${fmt(src.shape)} cannot be broadcast to the tensor's shape ${fmt(shape)}`);
  }
}

export function copyInPlace(t: Tensor, src: Tensor | ArrayLike<number>): void {
  if (src instanceof Tensor) {
    const tracked = checkInPlace(t, "copy_", src);
    checkBroadcastTo(src, t.shape, "copy_");
    const c = src.dtype === t.dtype ? src : castTo(src, t.dtype);
    copyInto(t, c);
    dropTemp(c, src);
    if (tracked) recordInPlace(t, "CopyBackwards", () => null);
    return;
  }
  live(t);
  if (src === null || typeof src !== "object" || typeof (src as ArrayLike<number>).length !== "number") {
    throw new TypeError(`copy_: src must be a Tensor or an array of numbers, got ${src === null ? "null" : typeof src}`);
  }
  if (src.length !== t._size) {
    throw new Error(`copy_: src has ${src.length} values but the tensor of shape ${fmt(t.shape)} has ${t._size}`);
  }
  const tracked = checkInPlace(t, "copy_");
  const tmp = Tensor.fromValues(src, t.shape, t.dtype);
  copyInto(t, tmp);
  tmp.dispose();
  if (tracked) recordInPlace(t, "CopyBackwards", () => null);
}

/** t = t + alpha·other (ADD), t · other (MUL), t / other (DIV), through t's strides. */
export function binaryInPlace(op: Bin, t: Tensor, other: Operand, alpha: number, name: string): void {
  if (typeof other !== "number") {
    const o = asTensor(other, name);
    checkInPlace(t, name, o);
    checkBroadcastTo(o, t.shape, name);
  }
  const tracked = checkInPlace(t, name);
  const fast = t._contiguous && t.dtype === "float32";
  if (typeof other === "number") {
    const un = op === Bin.ADD ? Un.ADDS : op === Bin.MUL ? Un.MULS : Un.DIVS;
    const p = op === Bin.ADD ? other * alpha : other;
    if (fast) {
      if (t._size > 0) K.unary(un, t._ptr, t._ptr, t._size, p);
      t._bumpVersion();
    } else {
      const r = noGraph(() => binary(op, t, op === Bin.ADD ? other * alpha : other, name));
      writeBack(t, r, name);
      r.dispose();
    }
    if (tracked) {
      recordInPlace(t, NAMES[op], (g) => {
        const gx = empty(g.shape);
        K.unaryBackward(un, 0, 0, g._ptr, gx._ptr, gx._size, p);
        return gx;
      });
    }
    return;
  }
  const o = other as Tensor;
  let e = o;
  if (op === Bin.ADD && alpha !== 1) e = noGraph(() => binary(Bin.MUL, o, alpha, name));
  if (fast && e.dtype === "float32") {
    binaryRaw(op, t, e, t.shape, t);
    t._bumpVersion();
  } else {
    const r = noGraph(() => binary(op, t, e, name));
    writeBack(t, r, name);
    r.dispose();
  }
  if (tracked) {
    if (op === Bin.ADD) {
      if (e !== o) e.dispose();
      recordInPlace(t, NAMES[op], (g) => clone(g));
    } else {
      const factor = e === o ? clone(o) : e; // the operand as it was, for the backward
      recordInPlace(t, NAMES[op], (g) => {
        const gx = binaryRaw(op, g, factor, g.shape);
        factor.dispose();
        return gx;
      });
    }
  } else if (e !== o) e.dispose();
}
