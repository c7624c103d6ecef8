// The activations nn offers beyond relu/sigmoid/tanh, fused forward and backward, with
// PyTorch's formulas: GELU (exact, through erf, and the tanh approximation), LeakyReLU,
// ELU, SiLU, Softplus. `a` and `b` are each op's parameters (slope; alpha; beta and
// threshold). Backwards read the input x.

export const GELU: i32 = 0;
export const GELU_TANH: i32 = 1;
export const LEAKY_RELU: i32 = 2;
export const ELU: i32 = 3;
export const SILU: i32 = 4;
export const SOFTPLUS: i32 = 5;

const SQRT1_2: f64 = 0.7071067811865476;
const SQRT2_PI: f64 = 0.7978845608028654; // √(2/π)
const INV_SQRT_2PI: f64 = 0.3989422804014327;

// erfc with fractional error below 1.2e-7 (Chebyshev fit, Numerical Recipes' erfcc), in f64.
@inline function erfc(x: f64): f64 {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? r : 2 - r;
}

@inline function fwd(op: i32, x: f32, a: f32, b: f32): f32 {
  const xd = <f64>x;
  if (op == GELU) return <f32>(0.5 * xd * (2 - erfc(xd * SQRT1_2)));
  if (op == GELU_TANH) return <f32>(0.5 * xd * (1 + Math.tanh(SQRT2_PI * (xd + 0.044715 * xd * xd * xd))));
  if (op == LEAKY_RELU) return x > 0 ? x : x * a;
  if (op == ELU) return x > 0 ? x : a * (Mathf.exp(x) - 1);
  if (op == SILU) return x / (<f32>1 + Mathf.exp(-x));
  // softplus: linear above the threshold, as PyTorch
  const bx = x * a;
  return bx > b ? x : <f32>(Math.log1p(Math.exp(<f64>bx)) / <f64>a);
}

@inline function bwd(op: i32, x: f32, g: f32, a: f32, b: f32): f32 {
  const xd = <f64>x;
  if (op == GELU) {
    const cdf = 0.5 * (2 - erfc(xd * SQRT1_2));
    const pdf = Math.exp(-0.5 * xd * xd) * INV_SQRT_2PI;
    return <f32>(<f64>g * (cdf + xd * pdf));
  }
  if (op == GELU_TANH) {
    // PyTorch's GeluBackward with approximate='tanh'
    const inner = SQRT2_PI * (xd + 0.044715 * xd * xd * xd);
    const t = Math.tanh(inner);
    const left = 0.5 * xd, right = 1 + t;
    const leftDeriv = 0.5 * right;
    const rightDeriv = left * (1 - t * t) * SQRT2_PI * (1 + 3 * 0.044715 * xd * xd);
    return <f32>(<f64>g * (leftDeriv + rightDeriv));
  }
  if (op == LEAKY_RELU) return x > 0 ? g : g * a;
  if (op == ELU) return x > 0 ? g : g * a * Mathf.exp(x);
  if (op == SILU) {
    const s = <f32>1 / (<f32>1 + Mathf.exp(-x));
    return g * s * (<f32>1 + x * (<f32>1 - s));
  }
  const bx = x * a;
  if (bx > b) return g;
  const z = Math.exp(<f64>bx);
  return <f32>(<f64>g * z / (z + 1));
}

export function activation(op: i32, x: usize, out: usize, n: i32, a: f32, b: f32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, fwd(op, load<f32>(x + o), a, b));
  }
}

export function activationBackward(op: i32, x: usize, g: usize, out: usize, n: i32, a: f32, b: f32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, bwd(op, load<f32>(x + o), load<f32>(g + o), a, b));
  }
}
