// Bugs the property tests (properties_elementwise.ts, properties_reduce.ts) found (7: while
// checking their reference itself against PyTorch), fixed since: each is a minimal program a
// PyTorch user would write, with what PyTorch 2.13 gives, kept as a regression test. The
// properties cover these cases too.
import * as torch from "../../build/torchlet.js";
import { assert, assertEqual, assertThrows } from "./assert.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

// ---- the reproductions --------------------------------------------------------------------

const values = (t: Any): number[] => Array.from(t.toArray() as ArrayLike<number>);

/** The same numbers (NaN equals NaN), printed as numbers when not. */
function sameValues(actual: number[], expected: number[], what: string): void {
  const same = actual.length === expected.length && actual.every((v, i) => Object.is(v, expected[i]) || v === expected[i]);
  assert(same, `${what} is [${actual.join(", ")}], expected [${expected.join(", ")}]`);
}

export const tests: Record<string, () => void> = {
  // PyTorch: RuntimeError "Subtraction, the `-` operator, with a bool tensor is not supported.
  // If you are trying to invert a mask, use the `~` or `logical_not()` operator instead."
  "bug 1: sub with one bool tensor operand is refused, as PyTorch refuses it": () => {
    const x = torch.tensor([1.5, 2]), n = torch.tensor([3, 4], { dtype: "int32" }), mask = torch.tensor([true, false]);
    const calls: [string, () => unknown][] = [
      ["x.sub(mask)", () => x.sub(mask)], ["mask.sub(x)", () => mask.sub(x)],
      ["n.sub(mask)", () => n.sub(mask)], ["mask.sub(n)", () => mask.sub(n)],
      ["mask.sub(1)", () => mask.sub(1)], ["mask.sub(0.5)", () => mask.sub(0.5)], ["torch.sub(1, mask)", () => torch.sub(1, mask)],
    ];
    for (const [what, call] of calls) assertThrows(call, /bool/, what);
  },

  // PyTorch: RuntimeError "Boolean inputs not supported for relu"
  "bug 2: relu of a bool tensor is refused, as PyTorch refuses it": () => {
    const mask = torch.tensor([true, false]);
    assertThrows(() => mask.relu(), /bool/i, "mask.relu()");
    assertThrows(() => torch.relu(mask), /bool/i, "torch.relu(mask)");
  },

  // PyTorch: torch.clamp(tensor([True, False, True]), tensor([False, True, False])) is
  // tensor([True, True, True]); torch.clamp(x, None, tensor([False, False, True])) is
  // tensor([False, False, True]) (clamp_min / clamp_max on bools; with both bounds it refuses:
  // "clamp_cpu" not implemented for 'Bool')
  "bug 3: clamp of a bool tensor with one bool tensor bound gives bools, as PyTorch": () => {
    const x = torch.tensor([true, false, true]), lo = torch.tensor([false, true, false]), hi = torch.tensor([false, false, true]);
    const a = x.clamp(lo);
    assertEqual([a.dtype, values(a)], ["bool", [1, 1, 1]], "x.clamp(lo)");
    const b = torch.clamp(x, null, hi);
    assertEqual([b.dtype, values(b)], ["bool", [0, 0, 1]], "torch.clamp(x, null, hi)");
  },

  // PyTorch (C99 pow): torch.pow(tensor([1., 1., 1., -1., -1.]), tensor([nan, inf, -inf, inf, -inf]))
  // is tensor([1., 1., 1., 1., 1.]); tensor([1.]).pow(nan) is tensor([1.]); torch.pow(1, tensor([nan]))
  // is tensor([1.]); tensor([True]).pow(tensor([nan])) is tensor([1.])
  "bug 4: pow(1, NaN), pow(1, ±inf) and pow(-1, ±inf) are 1, as PyTorch's (C's) pow": () => {
    const base = torch.tensor([1, 1, 1, -1, -1]), e = torch.tensor([NaN, Infinity, -Infinity, Infinity, -Infinity]);
    sameValues(values(base.pow(e)), [1, 1, 1, 1, 1], "tensor([1, 1, 1, -1, -1]).pow(tensor([NaN, inf, -inf, inf, -inf]))");
    sameValues(values(torch.tensor([1]).pow(NaN)), [1], "tensor([1.]).pow(NaN)");
    sameValues(values(torch.tensor([1, -1]).pow(Infinity)), [1, 1], "tensor([1., -1.]).pow(Infinity)");
    sameValues(values(torch.pow(1, torch.tensor([NaN, Infinity]))), [1, 1], "torch.pow(1, tensor([NaN, inf]))");
    sameValues(values(torch.tensor([true]).pow(torch.tensor([NaN]))), [1], "tensor([true]).pow(tensor([NaN]))");
  },

  // PyTorch: x = tensor([-0.5], requires_grad=True); y = x.pow(-3.999999761581421) is nan;
  // y.backward() gives x.grad tensor([nan]) (e − 1 = -4.999999761581421 in double, a
  // non-integer power of a negative number). torchlet gives 128 (e − 1 rounded to -5).
  "bug 5: the gradient of x.pow(e), e a number, is NaN where x < 0 and e − 1 is not whole, as PyTorch's": () => {
    const x = torch.tensor([-0.5], { requiresGrad: true });
    const y = x.pow(-3.999999761581421);
    assert(Number.isNaN(y.item()), `the result is ${y.item()}, expected NaN`);
    y.backward();
    assert(Number.isNaN(x.grad!.item()), `x.grad is ${x.grad!.item()}, expected NaN (PyTorch's gradient, like its result)`);
    // at -0: PyTorch's (-0) ** -4.9999998 is +inf (not a whole power), so the gradient is -inf
    const z = torch.tensor([-0], { requiresGrad: true });
    z.pow(-3.999999761581421).backward();
    assert(z.grad!.item() === -Infinity, `at x = -0, x.grad is ${z.grad!.item()}, expected -Infinity`);
  },

  // PyTorch: a = tensor([0., 3e-30]); b = tensor([1e-30, 1e-30], requires_grad=True);
  // (a / b).backward(torch.ones(2)) gives b.grad tensor([-0.0000e+00, -3.0000e+30]);
  // a = tensor([2.8e-45]); b = tensor([0.], requires_grad=True); (a / b).backward(tensor([0.25]))
  // gives b.grad tensor([-inf])
  "bug 6: the gradient of a / b for a tiny or zero b is PyTorch's -grad·((a / b) / b)": () => {
    const a = torch.tensor([0, 3e-30]), b = torch.tensor([1e-30, 1e-30], { requiresGrad: true });
    a.div(b).backward(torch.ones([2]));
    const g = values(b.grad);
    assert(g[0] === 0, `b.grad[0] is ${g[0]}, expected 0`);
    assert(Math.abs(g[1] + 3e30) <= 3e26, `b.grad[1] is ${g[1]}, expected -3e30`);
    const b0 = torch.tensor([0], { requiresGrad: true });
    torch.tensor([2.8e-45]).div(b0).backward(torch.tensor([0.25]));
    assert(b0.grad!.item() === -Infinity, `for a subnormal a over b = 0, b.grad is ${b0.grad!.item()}, expected -Infinity`);
  },

  // PyTorch: tensor([-0., float("-inf")]).pow(-0.5) is tensor([-inf, nan]) (x ** -0.5 is rsqrt(x));
  // torch.pow(tensor([-0., float("-inf")]), tensor([-0.5, -0.5])) is tensor([inf, 0.]) (C's pow)
  "bug 7: x.pow(-0.5) with a number exponent is rsqrt, as PyTorch's: -Infinity at -0, NaN at -Infinity": () => {
    sameValues(values(torch.tensor([-0, -Infinity]).pow(-0.5)), [-Infinity, NaN], "tensor([-0, -Infinity]).pow(-0.5)");
  },
};
