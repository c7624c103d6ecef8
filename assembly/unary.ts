// Unary element-wise kernels and their backwards. `p` is the op's scalar (exponent,
// addend, factor). Op codes are fixed here and mirrored in src/ops/codes.ts.
import { expm1Ok, expm1V, log1pOk, log1pV, logOk, logV, sincosOk, sincosV } from "./vmath";

export const NEG: i32 = 0;
export const EXP: i32 = 1;
export const LOG: i32 = 2;
export const SQRT: i32 = 3;
export const ABS: i32 = 4;
export const RELU: i32 = 5;
export const SIGMOID: i32 = 6;
export const TANH: i32 = 7;
export const POW: i32 = 8;
export const ADDS: i32 = 9;   // x + p
export const MULS: i32 = 10;  // x * p
export const RSUB: i32 = 11;  // p - x
export const RDIV: i32 = 12;  // p / x
export const FILL: i32 = 13;  // p
export const COPY: i32 = 14;  // x
export const DIVS: i32 = 15;  // x / p (not x · (1/p): PyTorch rounds a true division)
export const SQUARE: i32 = 16;
export const RSQRT: i32 = 17;      // 1 / sqrt(x), as PyTorch's CPU kernel (not a reciprocal estimate)
export const RECIPROCAL: i32 = 18;
export const SIGN: i32 = 19;       // (x > 0) - (x < 0): 0 for NaN and ±0, as PyTorch
export const FLOOR: i32 = 20;
export const CEIL: i32 = 21;
export const ROUND: i32 = 22;      // half to even (nearbyint), as torch.round
export const TRUNC: i32 = 23;
export const SIN: i32 = 24;
export const COS: i32 = 25;
export const LOG1P: i32 = 26;
export const EXPM1: i32 = 27;
export const LOG2: i32 = 28;

// Ops with a SIMD form; the rest run through Mathf per element.
@inline function unV(op: i32, x: v128, pv: v128): v128 {
  if (op == NEG) return f32x4.neg(x);
  if (op == SQRT) return f32x4.sqrt(x);
  if (op == ABS) return f32x4.abs(x);
  if (op == RELU) return f32x4.max(x, f32x4.splat(0)); // NaN: see reluRow
  if (op == ADDS) return f32x4.add(x, pv);
  if (op == MULS) return f32x4.mul(x, pv);
  if (op == RSUB) return f32x4.sub(pv, x);
  if (op == RDIV) return f32x4.div(pv, x);
  if (op == FILL) return pv;
  if (op == DIVS) return f32x4.div(x, pv);
  if (op == SQUARE) return f32x4.mul(x, x);
  if (op == RSQRT) return f32x4.div(f32x4.splat(1), f32x4.sqrt(x));
  if (op == RECIPROCAL) return f32x4.div(f32x4.splat(1), x);
  if (op == SIGN) {
    const z = f32x4.splat(0), one = f32x4.splat(1);
    return f32x4.sub(v128.and(f32x4.gt(x, z), one), v128.and(f32x4.lt(x, z), one));
  }
  if (op == FLOOR) return f32x4.floor(x);
  if (op == CEIL) return f32x4.ceil(x);
  if (op == ROUND) return f32x4.nearest(x);
  if (op == TRUNC) return f32x4.trunc(x);
  return x; // COPY
}

@inline function unS(op: i32, x: f32, p: f32): f32 {
  if (op == NEG) return -x;
  if (op == EXP) return Mathf.exp(x);
  if (op == LOG) return Mathf.log(x);
  if (op == SQRT) return Mathf.sqrt(x);
  if (op == ABS) return Mathf.abs(x);
  if (op == RELU) return x > 0 ? x : (x != x ? x : 0);
  if (op == SIGMOID) return sigmoidS(x);
  if (op == TANH) return <f32>Math.tanh(<f64>x);
  if (op == POW) return powS(x, p);
  if (op == ADDS) return x + p;
  if (op == MULS) return x * p;
  if (op == RSUB) return p - x;
  if (op == RDIV) return p / x;
  if (op == FILL) return p;
  if (op == DIVS) return x / p;
  if (op == SQUARE) return x * x;
  if (op == RSQRT) return <f32>1 / Mathf.sqrt(x);
  if (op == RECIPROCAL) return <f32>1 / x;
  if (op == SIGN) return <f32>(x > 0 ? 1 : 0) - <f32>(x < 0 ? 1 : 0);
  if (op == FLOOR) return Mathf.floor(x);
  if (op == CEIL) return Mathf.ceil(x);
  if (op == ROUND) return nearest<f32>(x);
  if (op == TRUNC) return Mathf.trunc(x);
  if (op == SIN) return Mathf.sin(x);
  if (op == COS) return Mathf.cos(x);
  if (op == LOG1P) return Mathf.log1p(x);
  if (op == EXPM1) return Mathf.expm1(x);
  if (op == LOG2) return Mathf.log2(x);
  return x;
}

@inline function sigmoidS(x: f32): f32 {
  // stable for large |x|
  if (x >= 0) return <f32>1 / (<f32>1 + Mathf.exp(-x));
  const e = Mathf.exp(x);
  return e / (<f32>1 + e);
}

/** C's pow (PyTorch's): pow(1, y) and pow(-1, ±inf) are 1, where JavaScript's Math.pow gives NaN. */
@inline export function cpow(x: f64, y: f64): f64 {
  if (x == 1 || (x == -1 && (y == Infinity || y == -Infinity))) return 1;
  return Math.pow(x, y);
}

// x ** p for a number exponent, as PyTorch's pow_tensor_scalar kernel: its special cases,
// else C's pow with the exponent in f64 (so a backward's p − 1 is not rounded to f32).
@inline function powS(x: f32, p: f64): f32 {
  if (p == 2) return x * x;
  if (p == 1) return x;
  if (p == 0) return 1;
  if (p == 0.5) return Mathf.sqrt(x);
  if (p == -0.5) return <f32>1 / Mathf.sqrt(x);
  if (p == -1) return <f32>1 / x;
  if (p == -2) return <f32>1 / (x * x);
  if (p == 3) return x * x * x;
  return <f32>cpow(<f64>x, p);
}

// The ops with a four-lane polynomial form (vmath.ts), which holds where inRange says;
// a vector with a lane outside goes through Mathf lane by lane.
@inline function polyV(op: i32, x: v128): v128 {
  if (op == SIN) return sincosV(x, false);
  if (op == COS) return sincosV(x, true);
  if (op == LOG2) return logV(x, true);
  if (op == LOG1P) return log1pV(x);
  return expm1V(x);
}

@inline function inRange(op: i32, x: v128): bool {
  if (op == SIN || op == COS) return sincosOk(x);
  if (op == LOG2) return logOk(x);
  if (op == LOG1P) return log1pOk(x);
  return expm1Ok(x);
}

@inline function unaryLoop(op: i32, x: usize, out: usize, n: i32, p: f32): void {
  let i = 0;
  const pv = f32x4.splat(p);
  if (op == NEG || op == SQRT || op == ABS || op == ADDS || op == MULS || op == RSUB ||
      op == RDIV || op == FILL || op == COPY || op == DIVS || op == SQUARE || op == RSQRT ||
      op == RECIPROCAL || op == SIGN || op == FLOOR || op == CEIL || op == ROUND || op == TRUNC) {
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(out + o, unV(op, v128.load(x + o), pv));
    }
  } else if (op == SIN || op == COS || op == LOG2 || op == LOG1P || op == EXPM1) {
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const v = v128.load(x + o);
      if (inRange(op, v)) v128.store(out + o, polyV(op, v));
      else for (let k: usize = 0; k < 16; k += 4) store<f32>(out + o + k, unS(op, load<f32>(x + o + k), p));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, unS(op, load<f32>(x + o), p));
  }
}

export function unary(op: i32, x: usize, out: usize, n: i32, p: f32): void {
  switch (op) {
    case NEG: unaryLoop(NEG, x, out, n, p); break;
    case EXP: unaryLoop(EXP, x, out, n, p); break;
    case LOG: unaryLoop(LOG, x, out, n, p); break;
    case SQRT: unaryLoop(SQRT, x, out, n, p); break;
    case ABS: unaryLoop(ABS, x, out, n, p); break;
    case RELU: unaryLoop(RELU, x, out, n, p); break;
    case SIGMOID: unaryLoop(SIGMOID, x, out, n, p); break;
    case TANH: unaryLoop(TANH, x, out, n, p); break;
    case POW: powLoop(x, out, n, p); break;
    case ADDS: unaryLoop(ADDS, x, out, n, p); break;
    case MULS: unaryLoop(MULS, x, out, n, p); break;
    case RSUB: unaryLoop(RSUB, x, out, n, p); break;
    case RDIV: unaryLoop(RDIV, x, out, n, p); break;
    case FILL: unaryLoop(FILL, x, out, n, p); break;
    case DIVS: unaryLoop(DIVS, x, out, n, p); break;
    case SQUARE: unaryLoop(SQUARE, x, out, n, p); break;
    case RSQRT: unaryLoop(RSQRT, x, out, n, p); break;
    case RECIPROCAL: unaryLoop(RECIPROCAL, x, out, n, p); break;
    case SIGN: unaryLoop(SIGN, x, out, n, p); break;
    case FLOOR: unaryLoop(FLOOR, x, out, n, p); break;
    case CEIL: unaryLoop(CEIL, x, out, n, p); break;
    case ROUND: unaryLoop(ROUND, x, out, n, p); break;
    case TRUNC: unaryLoop(TRUNC, x, out, n, p); break;
    case SIN: unaryLoop(SIN, x, out, n, p); break;
    case COS: unaryLoop(COS, x, out, n, p); break;
    case LOG1P: unaryLoop(LOG1P, x, out, n, p); break;
    case EXPM1: unaryLoop(EXPM1, x, out, n, p); break;
    case LOG2: unaryLoop(LOG2, x, out, n, p); break;
    default: unaryLoop(COPY, x, out, n, p);
  }
}

function powLoop(x: usize, out: usize, n: i32, p: f32): void {
  let i = 0;
  if (p == 2) {
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const v = v128.load(x + o);
      v128.store(out + o, f32x4.mul(v, v));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, powS(load<f32>(x + o), p));
  }
}

// gx = dL/dx from the upstream g, the input x and the output y (whichever the op needs).
@inline function bwS(op: i32, x: f32, y: f32, g: f32, p: f32): f32 {
  if (op == NEG) return -g;
  if (op == EXP) return g * y;
  if (op == LOG) return g / x;
  if (op == SQRT) return g / (y + y);
  if (op == ABS) return x > 0 ? g : (x < 0 ? -g : 0);
  if (op == RELU) return y > 0 ? g : 0;       // PyTorch: threshold_backward on the result
  if (op == SIGMOID) return g * (<f32>1 - y) * y;
  if (op == TANH) return g * (<f32>1 - y * y);
  if (op == POW) return p == 0 ? 0 : g * (p * powS(x, <f64>p - 1));
  if (op == ADDS) return g;
  if (op == MULS) return g * p;
  if (op == RSUB) return -g;
  if (op == RDIV) return -g * ((p / x) / x); // PyTorch 2.13: -grad·((self / other) / other), no x·x underflow
  if (op == DIVS) return g / p;
  if (op == SQUARE) return g * (x + x);                 // PyTorch: grad * (2 * self), pow's
  if (op == RSQRT) return <f32>-0.5 * g * (y * y * y);  // -0.5 * grad * result.pow(3)
  if (op == RECIPROCAL) return -g * (y * y);
  if (op == SIN) return g * Mathf.cos(x);
  if (op == COS) return g * -Mathf.sin(x);
  if (op == LOG1P) return g / (x + 1);
  if (op == EXPM1) return g * (y + 1);
  if (op == LOG2) return g / (x * <f32>0.6931471805599453);
  return g;
}

// bwS's four-lane form for the ops whose derivative is plain arithmetic, in the same order.
@inline function bwV(op: i32, x: v128, y: v128, g: v128): v128 {
  const one = f32x4.splat(1);
  if (op == SQUARE) return f32x4.mul(g, f32x4.add(x, x));
  if (op == RSQRT) return f32x4.mul(f32x4.mul(f32x4.splat(-0.5), g), f32x4.mul(f32x4.mul(y, y), y));
  if (op == RECIPROCAL) return f32x4.mul(f32x4.neg(g), f32x4.mul(y, y));
  if (op == LOG1P) return f32x4.div(g, f32x4.add(x, one));
  if (op == EXPM1) return f32x4.mul(g, f32x4.add(y, one));
  return f32x4.div(g, f32x4.mul(x, f32x4.splat(0.6931471805599453))); // LOG2
}

@inline function unaryBackwardLoop(op: i32, x: usize, y: usize, g: usize, out: usize, n: i32, p: f32): void {
  let i = 0;
  if (op == RELU) {
    const z = f32x4.splat(0);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(out + o, v128.and(v128.load(g + o), f32x4.gt(v128.load(y + o), z)));
    }
  } else if (op == TANH) {
    const one = f32x4.splat(1);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const yv = v128.load(y + o);
      v128.store(out + o, f32x4.mul(v128.load(g + o), f32x4.sub(one, f32x4.mul(yv, yv))));
    }
  } else if (op == SIGMOID) {
    const one = f32x4.splat(1);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const yv = v128.load(y + o);
      v128.store(out + o, f32x4.mul(f32x4.mul(v128.load(g + o), f32x4.sub(one, yv)), yv));
    }
  } else if (op == EXP) {
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(out + o, f32x4.mul(v128.load(g + o), v128.load(y + o)));
    }
  } else if (op == MULS) {
    const pv = f32x4.splat(p);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(out + o, f32x4.mul(v128.load(g + o), pv));
    }
  } else if (op == SQUARE || op == RSQRT || op == RECIPROCAL || op == LOG1P || op == EXPM1 || op == LOG2) {
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(out + o, bwV(op, v128.load(x + o), v128.load(y + o), v128.load(g + o)));
    }
  } else if (op == SIN || op == COS) {
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const xv = v128.load(x + o);
      if (sincosOk(xv)) {
        // d sin = cos, d cos = -sin
        const d = op == SIN ? sincosV(xv, true) : f32x4.neg(sincosV(xv, false));
        v128.store(out + o, f32x4.mul(v128.load(g + o), d));
      } else {
        for (let k: usize = 0; k < 16; k += 4) store<f32>(out + o + k, bwS(op, load<f32>(x + o + k), 0, load<f32>(g + o + k), p));
      }
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, bwS(op, load<f32>(x + o), load<f32>(y + o), load<f32>(g + o), p));
  }
}

// x or y may be passed as 0 when the op does not read it (it is then not dereferenced
// except by the ops listed as needing it).
export function unaryBackward(op: i32, x: usize, y: usize, g: usize, out: usize, n: i32, p: f32): void {
  switch (op) {
    case NEG: unaryBackwardLoop(NEG, g, g, g, out, n, p); break;
    case EXP: unaryBackwardLoop(EXP, y, y, g, out, n, p); break;
    case LOG: unaryBackwardLoop(LOG, x, x, g, out, n, p); break;
    case SQRT: unaryBackwardLoop(SQRT, y, y, g, out, n, p); break;
    case ABS: unaryBackwardLoop(ABS, x, x, g, out, n, p); break;
    case RELU: unaryBackwardLoop(RELU, y, y, g, out, n, p); break;
    case SIGMOID: unaryBackwardLoop(SIGMOID, y, y, g, out, n, p); break;
    case TANH: unaryBackwardLoop(TANH, y, y, g, out, n, p); break;
    case POW: unaryBackwardLoop(POW, x, x, g, out, n, p); break;
    case MULS: unaryBackwardLoop(MULS, g, g, g, out, n, p); break;
    case RSUB: unaryBackwardLoop(RSUB, g, g, g, out, n, p); break;
    case RDIV: unaryBackwardLoop(RDIV, x, x, g, out, n, p); break;
    case DIVS: unaryBackwardLoop(DIVS, g, g, g, out, n, p); break;
    case SQUARE: unaryBackwardLoop(SQUARE, x, x, g, out, n, p); break;
    case RSQRT: unaryBackwardLoop(RSQRT, y, y, g, out, n, p); break;
    case RECIPROCAL: unaryBackwardLoop(RECIPROCAL, y, y, g, out, n, p); break;
    case SIN: unaryBackwardLoop(SIN, x, x, g, out, n, p); break;
    case COS: unaryBackwardLoop(COS, x, x, g, out, n, p); break;
    case LOG1P: unaryBackwardLoop(LOG1P, x, x, g, out, n, p); break;
    case EXPM1: unaryBackwardLoop(EXPM1, y, y, g, out, n, p); break;
    case LOG2: unaryBackwardLoop(LOG2, x, x, g, out, n, p); break;
    // step functions: zeros_like(grad), as PyTorch
    case SIGN: case FLOOR: case CEIL: case ROUND: case TRUNC: unaryLoop(FILL, g, out, n, 0); break;
    default: unaryBackwardLoop(ADDS, g, g, g, out, n, p);
  }
}
