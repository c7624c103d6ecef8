// Bugs the property tests (properties_elementwise.ts, properties_reduce.ts) found: each is a
// minimal program a PyTorch user would write, with what PyTorch 2.13 gives, and FAILS until
// torchlet is fixed. The properties skip exactly the cases these predicates match (and
// nothing else), so that they stay green meanwhile; once a bug is fixed, delete its test and
// its predicate and the property covers those cases again.
import * as torch from "../../build/torchlet.js";
import { assert, assertEqual, assertThrows } from "./assert.ts";
import type { Kind } from "./reference.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

// ---- what the properties skip until the fix ----------------------------------------------

/**
 * A call PyTorch refuses that torchlet computes, or the reverse: `op` with operands of these
 * kinds (dtypes, or a JS number). Returns the bug's name, or null.
 */
export function knownBug(op: string, kinds: Kind[]): string | null {
  // 1. PyTorch refuses subtraction with any bool tensor operand
  if (op === "sub" && kinds.includes("bool")) return "sub with a bool tensor";
  // 2. PyTorch refuses relu of a bool tensor
  if (op === "relu" && kinds[0] === "bool") return "relu of a bool tensor";
  // 3. PyTorch clamps a bool tensor with one bool tensor bound (a bool result); torchlet refuses
  if (op === "clamp" && kinds.length === 2 && kinds.every((k) => k === "bool")) return "clamp of bools";
  return null;
}

/** 4. pow(1, NaN), pow(1, ±inf) and pow(-1, ±inf) are 1 in PyTorch (C's pow); torchlet gives NaN. */
export function powSpecialBug(base: number, exponent: number): boolean {
  return (base === 1 && !Number.isFinite(exponent)) || (base === -1 && (exponent === Infinity || exponent === -Infinity));
}

/**
 * 5. The gradient of x.pow(e) for a number e computes e − 1 in float32: where that rounds
 * (e a float32 neighbour of a whole number) and x < 0, PyTorch's gradient is NaN (as its
 * result is), torchlet's a finite number.
 */
export function powNumberGradBug(exponent: number, bases: readonly number[]): boolean {
  return Math.fround(exponent - 1) !== exponent - 1 && bases.some((b) => b < 0);
}

// ---- the reproductions --------------------------------------------------------------------

const values = (t: Any): number[] => Array.from(t.toArray() as ArrayLike<number>);

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
    assertEqual(values(base.pow(e)), [1, 1, 1, 1, 1], "tensor ** tensor");
    assertEqual(values(torch.tensor([1]).pow(NaN)), [1], "tensor([1.]).pow(NaN)");
    assertEqual(values(torch.tensor([1, -1]).pow(Infinity)), [1, 1], "tensor([1., -1.]).pow(Infinity)");
    assertEqual(values(torch.pow(1, torch.tensor([NaN, Infinity]))), [1, 1], "torch.pow(1, tensor)");
    assertEqual(values(torch.tensor([true]).pow(torch.tensor([NaN]))), [1], "bool tensor ** tensor([NaN])");
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
  },
};
