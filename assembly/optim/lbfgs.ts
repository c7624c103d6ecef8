// Vector kernels for LBFGS's host-side two-loop recursion and line search (the rest uses
// the core's dot, unary and binary kernels).
import { fmaS, fmaSplatV } from "./fma";

// y = fma(a, x, y): PyTorch's y.add_(x, alpha=a) on CPU rounds once (see fma.ts).
export function axpy(y: usize, x: usize, a: f32, n: i32): void {
  const aV = f64x2.splat(<f64>a);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(y + o, fmaSplatV(aV, v128.load(x + o), v128.load(y + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, fmaS(a, load<f32>(x + o), load<f32>(y + o)));
  }
}
