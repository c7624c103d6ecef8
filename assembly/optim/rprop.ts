// Rprop: one call steps a param group. PyTorch's _single_tensor_rprop on CPU, per element:
//   g = maximize ? −grad : grad;  s = sign(g·prev) mapped  >0 → etaplus, <0 → etaminus, else 1
//   (PyTorch's CPU sign() gives 0 for NaN, so a NaN product maps to 1 and sign(NaN) = 0)
//   stepSize = clamp(stepSize·s, stepSizeMin, stepSizeMax)
//   g = 0 where s == etaminus;  p = p − sign(g)·stepSize;  prev = g
// Every value is exact or rounded once, as in PyTorch: the results are bit-identical.
import { MAXIMIZE, tableRow, rowColumn, rowNumel, rowParam, rowGrad } from "./table";

// The row: numel, param, grad (table.ts), then
export const RPROP_PREV: i32 = 3;
export const RPROP_STEP_SIZE: i32 = 4;
export const RPROP_ROW: i32 = 5;

@inline function signS(x: f32): f32 {
  return x > 0 ? <f32>1 : x < 0 ? <f32>-1 : <f32>0;
}

// `anyEq`: etaminus rounds to 1 in f32 (PyTorch's `s == etaminus` then also holds where
// s is 1 or etaplus); otherwise `s == etaminus` is exactly `g·prev < 0`.
@inline function rpropRows(table: usize, count: i32, etaminus: f32, etaplus: f32, stepMin: f32, stepMax: f32,
  maximize: bool, anyEq: bool): void {
  const zero = f32x4.splat(0), one = f32x4.splat(1), signBit = i32x4.splat(0x80000000);
  const emV = f32x4.splat(etaminus);
  // s = one ^ ((one ^ etaplus) & pos) ^ ((one ^ etaminus) & neg): a select by exclusive masks
  const xp = v128.xor(one, f32x4.splat(etaplus)), xm = v128.xor(one, emV);
  const loV = f32x4.splat(stepMin), hiV = f32x4.splat(stepMax);
  for (let r = 0; r < count; r++) {
    const row = tableRow(table, r, RPROP_ROW);
    const n = rowNumel(row), p = rowParam(row), g = rowGrad(row);
    const prev = rowColumn(row, RPROP_PREV), ss = rowColumn(row, RPROP_STEP_SIZE);
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      let gv = v128.load(g + o);
      if (maximize) gv = f32x4.neg(gv);
      const prod = f32x4.mul(gv, v128.load(prev + o));
      const pos = f32x4.gt(prod, zero), neg = f32x4.lt(prod, zero);
      const s = v128.xor(v128.xor(one, v128.and(xp, pos)), v128.and(xm, neg));
      // clamp as PyTorch's std::min(std::max(x, lo), hi): pmax/pmin are exactly those
      const st = f32x4.pmin(f32x4.pmax(f32x4.mul(v128.load(ss + o), s), loV), hiV);
      v128.store(ss + o, st);
      gv = v128.andnot(gv, anyEq ? f32x4.eq(s, emV) : neg);
      // p - sign(g)·step: the step with g's sign where |g| > 0, nothing where g is 0 or NaN
      const signed = v128.xor(st, v128.and(gv, signBit));
      v128.store(p + o, f32x4.sub(v128.load(p + o), v128.and(signed, f32x4.gt(f32x4.abs(gv), zero))));
      v128.store(prev + o, gv);
    }
    for (; i < n; i++) {
      const o = <usize>i << 2;
      let gv = load<f32>(g + o);
      if (maximize) gv = -gv;
      const prod = gv * load<f32>(prev + o);
      const s: f32 = prod > 0 ? etaplus : prod < 0 ? etaminus : 1;
      const x = load<f32>(ss + o) * s;
      const lo = x < stepMin ? stepMin : x; // std::max(x, lo): NaN stays
      const st = stepMax < lo ? stepMax : lo;
      store<f32>(ss + o, st);
      if (s == etaminus) gv = 0;
      store<f32>(p + o, load<f32>(p + o) - signS(gv) * st);
      store<f32>(prev + o, gv);
    }
  }
}

export function rpropStep(table: usize, count: i32, etaminus: f32, etaplus: f32, stepMin: f32, stepMax: f32,
  flags: i32): void {
  const maximize = (flags & MAXIMIZE) != 0;
  if (etaminus == 1 || etaminus == etaplus) {
    if (maximize) rpropRows(table, count, etaminus, etaplus, stepMin, stepMax, true, true);
    else rpropRows(table, count, etaminus, etaplus, stepMin, stepMax, false, true);
  } else if (maximize) rpropRows(table, count, etaminus, etaplus, stepMin, stepMax, true, false);
  else rpropRows(table, count, etaminus, etaplus, stepMin, stepMax, false, false);
}
