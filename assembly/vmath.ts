// Four-lane float32 sin, cos, log2, log1p and expm1 (Cephes' single-precision
// polynomials with Cody-Waite argument reduction), each within about 2 ulp of the true
// value over the range its `…Ok` test accepts. Lanes outside it (sin/cos of |x| > 8192,
// logs of zero, negatives, subnormals, inf and NaN, expm1 of |x| > 80) are left to the
// scalar Mathf functions by the caller, so special values come out exactly as there.

// ---- sin, cos ---------------------------------------------------------------------------

const FOPI: f32 = 1.27323954473516;            // 4 / π
const DP1: f32 = 0.78515625;                   // π/4 in three parts, for the reduction
const DP2: f32 = 2.4187564849853515625e-4;
const DP3: f32 = 3.77489497744594108e-8;

/** |x| ≤ 8192 in every lane (false for NaN and inf): the reduction above stays exact enough. */
@inline export function sincosOk(x: v128): bool {
  return i32x4.all_true(f32x4.le(f32x4.abs(x), f32x4.splat(8192)));
}

/** sin(x) (isCos false) or cos(x) per lane. */
@inline export function sincosV(x: v128, isCos: bool): v128 {
  const ax = f32x4.abs(x);
  // octant j = (int(|x|·4/π) + 1) & ~1: x − j·π/4 lies in [−π/4, π/4]
  let j = v128.and(i32x4.add(i32x4.trunc_sat_f32x4_s(f32x4.mul(ax, f32x4.splat(FOPI))), i32x4.splat(1)), i32x4.splat(~1));
  const y = f32x4.convert_i32x4_s(j);
  let sign: v128;
  if (isCos) {
    j = i32x4.sub(j, i32x4.splat(2));
    sign = i32x4.shl(v128.andnot(i32x4.splat(4), j), 29);          // cos flips where bit 2 of j−2 is clear
  } else {
    sign = v128.xor(v128.and(x, f32x4.splat(-0.0)), i32x4.shl(v128.and(j, i32x4.splat(4)), 29));
  }
  const useSin = i32x4.eq(v128.and(j, i32x4.splat(2)), i32x4.splat(0));
  const r = f32x4.sub(f32x4.sub(f32x4.sub(ax, f32x4.mul(y, f32x4.splat(DP1))), f32x4.mul(y, f32x4.splat(DP2))),
    f32x4.mul(y, f32x4.splat(DP3)));
  const z = f32x4.mul(r, r);
  // cos(r) = 1 − z/2 + z²·P(z), sin(r) = r + r·z·Q(z) on [−π/4, π/4]
  let c = f32x4.add(f32x4.mul(f32x4.splat(2.443315711809948e-5), z), f32x4.splat(-1.388731625493765e-3));
  c = f32x4.add(f32x4.mul(c, z), f32x4.splat(4.166664568298827e-2));
  c = f32x4.add(f32x4.sub(f32x4.mul(f32x4.mul(c, z), z), f32x4.mul(z, f32x4.splat(0.5))), f32x4.splat(1));
  let s = f32x4.add(f32x4.mul(f32x4.splat(-1.9515295891e-4), z), f32x4.splat(8.3321608736e-3));
  s = f32x4.add(f32x4.mul(s, z), f32x4.splat(-1.6666654611e-1));
  s = f32x4.add(f32x4.mul(f32x4.mul(s, z), r), r);
  return v128.xor(v128.bitselect(s, c, useSin), sign);
}

// ---- log2, log1p ------------------------------------------------------------------------

const SQRTHF: f32 = 0.707106781186547524;
const LOG2E: f32 = 1.44269504088896341;

/** Every lane a positive normal finite number: the domain of lnParts. */
@inline export function logOk(x: v128): bool {
  return i32x4.all_true(v128.and(f32x4.ge(x, f32x4.splat(1.17549435e-38)), f32x4.lt(x, f32x4.splat(Infinity))));
}

/**
 * ln(x) (base2 false) or log2(x) per lane, for x where logOk holds: x = 2^e · (1 + m) with
 * 1 + m in [√½, √2), ln(1 + m) by Cephes' logf polynomial, e·ln2 added in two parts.
 */
@inline export function logV(x: v128, base2: bool): v128 {
  // exponent and mantissa from the bits: m0 in [0.5, 1), x = m0 · 2^e
  let e = i32x4.sub(i32x4.shr_u(x, 23), i32x4.splat(126));
  const m0 = v128.or(v128.and(x, i32x4.splat(0x007fffff)), i32x4.splat(0x3f000000));
  // below √½: the exponent one less, the mantissa doubled
  const small = f32x4.lt(m0, f32x4.splat(SQRTHF));
  e = i32x4.add(e, small); // true lanes are -1
  const m = f32x4.sub(f32x4.add(m0, v128.and(m0, small)), f32x4.splat(1));
  const fe = f32x4.convert_i32x4_s(e);
  const z = f32x4.mul(m, m);
  let p = f32x4.splat(7.0376836292e-2);
  p = f32x4.add(f32x4.mul(p, m), f32x4.splat(-1.1514610310e-1));
  p = f32x4.add(f32x4.mul(p, m), f32x4.splat(1.1676998740e-1));
  p = f32x4.add(f32x4.mul(p, m), f32x4.splat(-1.2420140846e-1));
  p = f32x4.add(f32x4.mul(p, m), f32x4.splat(1.4249322787e-1));
  p = f32x4.add(f32x4.mul(p, m), f32x4.splat(-1.6668057665e-1));
  p = f32x4.add(f32x4.mul(p, m), f32x4.splat(2.0000714765e-1));
  p = f32x4.add(f32x4.mul(p, m), f32x4.splat(-2.4999993993e-1));
  p = f32x4.add(f32x4.mul(p, m), f32x4.splat(3.3333331174e-1));
  const y = f32x4.sub(f32x4.mul(f32x4.mul(p, m), z), f32x4.mul(z, f32x4.splat(0.5)));
  if (base2) return f32x4.add(f32x4.mul(f32x4.add(m, y), f32x4.splat(LOG2E)), fe);
  return f32x4.add(f32x4.add(m, f32x4.add(y, f32x4.mul(fe, f32x4.splat(-2.12194440e-4)))), f32x4.mul(fe, f32x4.splat(0.693359375)));
}

/** -1 < x < inf in every lane with 1 + x normal (false for NaN): the domain of log1pV. */
@inline export function log1pOk(x: v128): bool {
  return logOk(f32x4.add(x, f32x4.splat(1)));
}

/** log1p(x) = ln(u) · x / (u − 1) with u = 1 + x rounded (exact for small x), x itself where u is 1. */
@inline export function log1pV(x: v128): v128 {
  const u = f32x4.add(x, f32x4.splat(1));
  const lnU = logV(u, false);
  const d = f32x4.sub(u, f32x4.splat(1));
  return v128.bitselect(x, f32x4.mul(lnU, f32x4.div(x, d)), f32x4.eq(d, f32x4.splat(0)));
}

// ---- expm1 ------------------------------------------------------------------------------

/** |x| ≤ 80 in every lane (false for NaN): 2^n stays a normal float. */
@inline export function expm1Ok(x: v128): bool {
  return i32x4.all_true(f32x4.le(f32x4.abs(x), f32x4.splat(80)));
}

/**
 * expm1(x) = 2^n · expm1(r) + (2^n − 1) with x = n·ln2 + r, |r| ≤ ln2/2: the small
 * expm1(r) by its Taylor series to r^8 (relative error below 2e-8), so no cancellation.
 */
@inline export function expm1V(x: v128): v128 {
  const n = f32x4.nearest(f32x4.mul(x, f32x4.splat(LOG2E)));
  const r = f32x4.sub(f32x4.sub(x, f32x4.mul(n, f32x4.splat(0.693359375))), f32x4.mul(n, f32x4.splat(-2.12194440e-4)));
  let p = f32x4.splat(<f32>(1.0 / 40320));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(<f32>(1.0 / 5040)));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(<f32>(1.0 / 720)));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(<f32>(1.0 / 120)));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(<f32>(1.0 / 24)));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(<f32>(1.0 / 6)));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(0.5));
  const em = f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r);            // expm1(r)
  const two = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23); // 2^n
  return f32x4.add(f32x4.mul(two, em), f32x4.sub(two, f32x4.splat(1)));
}
