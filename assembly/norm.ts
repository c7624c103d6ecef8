// Vector p-norms along one dimension ([outer, n, inner], see rows.ts) and their backward,
// as torch.linalg.vector_norm: p = 2, 1, ±inf, 0 (count of non-zeros) or any other number.
import { at, extremeF32, promoteHigh, rowAt } from "./rows";

/** Σ f(x) over a row in f64, where f is x² (kind 2), |x| (kind 1) or |x|^p. */
function powSum(kind: i32, p: usize, n: i32, s: i32, ord: f64): f64 {
  let k = 0;
  let total: f64 = 0;
  if (s == 1 && kind != 0) {
    let a0 = f64x2.splat(0), a1 = f64x2.splat(0);
    for (; k + 4 <= n; k += 4) {
      let v = v128.load(p + (<usize>k << 2));
      v = kind == 2 ? f32x4.mul(v, v) : f32x4.abs(v);
      a0 = f64x2.add(a0, f64x2.promote_low_f32x4(v));
      a1 = f64x2.add(a1, promoteHigh(v));
    }
    total = f64x2.extract_lane(a0, 0) + f64x2.extract_lane(a0, 1) + f64x2.extract_lane(a1, 0) + f64x2.extract_lane(a1, 1);
  }
  for (; k < n; k++) {
    const v = <f64>load<f32>(at(p, k, s));
    total += kind == 2 ? <f64>(<f32>v * <f32>v) : kind == 1 ? Math.abs(v) : Math.pow(Math.abs(v), ord);
  }
  return total;
}

/** out = ‖row‖_p. The host refuses ±inf norms of empty rows (they have no identity). */
export function normDim(x: usize, out: usize, outer: i32, n: i32, inner: i32, ord: f64): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const p = rowAt(x, o, i, n, inner, 2);
      let r: f64;
      if (ord == Infinity) r = extremeF32(true, true, p, n, inner);
      else if (ord == -Infinity) r = extremeF32(false, true, p, n, inner);
      else if (ord == 0) {
        let c = 0;
        for (let k = 0; k < n; k++) if (load<f32>(at(p, k, inner)) != 0) c++;
        r = c;
      } else if (ord == 2) r = Math.sqrt(powSum(2, p, n, inner, 2));
      else if (ord == 1) r = powSum(1, p, n, inner, 1);
      else r = Math.pow(powSum(0, p, n, inner, ord), 1 / ord);
      store<f32>(out + (<usize>(o * inner + i) << 2), <f32>r);
    }
  }
}

/** PyTorch's sgn for real numbers: (0 < x) − (x < 0), so NaN gives 0. */
@inline function sgn(v: f32): f32 {
  return <f32>(<i32>(v > 0) - <i32>(v < 0));
}

/**
 * PyTorch's norm_backward for p ≠ 0 (p = 0 has no gradient): p = 1: sgn(x)·g; p = 2:
 * g·x/‖x‖ (0 where the norm is 0); ±inf: the gradient shared among the elements whose |x|
 * equals the norm (or is NaN); p < 1: sgn(x)·|x|^(p−1) (0 at x = 0) · g · ‖x‖^(1−p);
 * otherwise x·|x|^(p−2) (sgn(x)·|x|^(p−1) for p < 2) · g / ‖x‖^(p−1), 0 where the norm is 0.
 */
export function normBackward(x: usize, y: usize, g: usize, gx: usize, outer: i32, n: i32, inner: i32, ord: f64): void {
  const inf = ord == Infinity || ord == -Infinity;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const j = <usize>(o * inner + i) << 2;
      const p = rowAt(x, o, i, n, inner, 2), r = rowAt(gx, o, i, n, inner, 2);
      const gv = load<f32>(g + j), nv = load<f32>(y + j);
      let share: f32 = 0;
      if (inf) {
        let count = 0;
        for (let k = 0; k < n; k++) {
          const a = Mathf.abs(load<f32>(at(p, k, inner)));
          if (a == nv || a != a) count++;
        }
        share = gv / <f32>count;
      }
      // the factor every element's term is multiplied by
      const scale: f32 = ord == 2 || ord == 1 || inf ? 0
        : ord < 1 ? gv * <f32>Math.pow(nv, 1 - ord)
        : nv == 0 ? 0 : gv / <f32>Math.pow(nv, ord - 1);
      for (let k = 0; k < n; k++) {
        const v = load<f32>(at(p, k, inner));
        let d: f32;
        if (ord == 1) d = sgn(v) * gv;
        else if (ord == 2) d = nv == 0 ? 0 : gv * (v / nv);
        else if (inf) {
          const a = Mathf.abs(v);
          d = sgn(v) * (share * (a == nv || a != a ? <f32>1 : <f32>0));
        } else if (ord < 1) d = (v == 0 ? 0 : sgn(v) * <f32>Math.pow(Mathf.abs(v), ord - 1)) * scale;
        else if (ord < 2) d = sgn(v) * <f32>Math.pow(Mathf.abs(v), ord - 1) * scale;
        else d = v * <f32>Math.pow(Mathf.abs(v), ord - 2) * scale;
        store<f32>(at(r, k, inner), d);
      }
    }
  }
}
