// Bad input to the reductions: each call throws an Error naming the argument, the value it
// got and the form expected (PyTorch's wording where PyTorch has one), and changes nothing:
// no tensor or byte allocated or freed, the input's values and grad as they were.
import * as torch from "../../build/torchlet.js";
import { assertEqual, assertThrows } from "./assert.ts";

type Tensor = ReturnType<typeof torch.tensor>;

/** All of `parts` must appear somewhere in the message, in any order. */
function all(...parts: Array<string | RegExp>): RegExp {
  const src = parts.map((p) => `(?=[\\s\\S]*${typeof p === "string" ? p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") : p.source})`).join("");
  return new RegExp(`^${src}`, "i");
}

const F = torch.nn.functional;
const x = (): Tensor => torch.tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });
const ints = (): Tensor => torch.tensor([[1, 2], [3, 4]], { dtype: "int32" });
const bools = (): Tensor => torch.tensor([true, false]);
const empty = (): Tensor => torch.zeros([0, 3], { requiresGrad: true });

type Row = [string, () => Tensor, (t: Tensor) => unknown, RegExp];

const ROWS: Row[] = [
  ["sum(2) on 2-D", x, (t) => t.sum(2), all("sum", "dim 2", "-2 to 1")],
  ["sum([0, -2]): a dim twice", x, (t) => t.sum([0, -2]), all("sum", "dim 0", "multiple times", "[0,-2]")],
  ["sum(\"a\")", x, (t) => t.sum("a" as unknown as number), all("sum", "dim must be an integer, an array of integers, or null", '"a"')],
  ["sum([0, 1.5])", x, (t) => t.sum([0, 1.5]), all("sum", "dim must be an integer", "1.5")],
  ["sum(0, 1): keepdim not a boolean", x, (t) => t.sum(0, 1 as unknown as boolean), all("sum", "keepdim must be a boolean", "got 1")],
  ["mean() of int32", ints, (t) => t.mean(), all("mean()", "floating point", "Got: Int")],
  ["mean() of bool", bools, (t) => torch.mean(t), all("mean()", "floating point", "Got: Bool")],
  ["prod(0, \"yes\")", x, (t) => t.prod(0, "yes" as unknown as boolean), all("prod", "keepdim", '"yes"')],
  ["torch.prod(5)", x, () => torch.prod(5 as unknown as Tensor), all("prod", "input must be a Tensor", "got 5")],
  ["std() of int32", ints, (t) => t.std(), all("std", "floating point", "int32")],
  ["var(0, { correction, unbiased })", x, (t) => t.var(0, { correction: 1, unbiased: true }), all("var", "correction", "unbiased", "not both")],
  ["std(0, { keepDim })", x, (t) => t.std(0, { keepDim: true } as never), all("std", 'unknown option "keepDim"', '"keepdim"')],
  ["var(0, { correction: \"1\" })", x, (t) => t.var(0, { correction: "1" } as never), all("var", "correction must be a finite number", '"1"')],
  ["std(0, \"no\")", x, (t) => t.std(0, "no" as never), all("std", "options object", "unbiased", '"no"')],
  ["var(true, 0)", x, (t) => t.var(true, 0 as never), all("var", "unbiased", "got 0")],
  ["max() of an empty tensor", empty, (t) => t.max(), all("max()", "numel() == 0", "[0, 3]", "'dim'")],
  ["max(0) over a dim of size 0", empty, (t) => t.max(0), all("max()", "dim 0", "non-zero size")],
  ["min(other tensor)", x, (t) => t.min(t as unknown as number), all("min(other)", "torch.minimum")],
  ["max([0, 1])", x, (t) => t.max([0, 1] as unknown as number), all("max", "dim must be an integer", "[0,1]", "amax")],
  ["max(undefined, true)", x, (t) => (t as unknown as { max(d?: number, k?: boolean): Tensor }).max(undefined, true), all("max", "keepdim needs a dim")],
  ["amax() of an empty tensor", empty, (t) => t.amax(), all("amax()", "numel() == 0")],
  ["amin(0) over a dim of size 0", empty, (t) => t.amin(0), all("amin()", "dim 0", "non-zero size")],
  ["argmax() of bool", bools, (t) => t.argmax(), all("argmax()", "bool")],
  ["argmin(1.5)", x, (t) => t.argmin(1.5), all("argmin", "dim must be an integer", "1.5")],
  ["argmax() of an empty tensor", empty, (t) => torch.argmax(t), all("argmax()", "numel() == 0")],
  ["norm() of int32", ints, (t) => t.norm(), all("vector_norm", "floating point", "Int")],
  ["norm(\"nuc\")", x, (t) => t.norm("nuc" as "fro"), all("norm", '"nuc"', "not supported")],
  ["norm(\"abc\")", x, (t) => t.norm("abc" as "fro"), all("norm", "p must be a number", '"abc"')],
  ["norm(\"fro\", [0, 1, 2])", () => torch.zeros([2, 2, 2]), (t) => t.norm("fro", [0, 1, 2]), all("norm", '"fro"', "[0,1,2]")],
  ["norm(Infinity) of an empty tensor", empty, (t) => t.norm(Infinity), all("inf norm", "empty", "identity")],
  ["norm(-1, 1) over a dim of size 0", () => torch.zeros([2, 0]), (t) => t.norm(-1, 1), all("-1 norm", "dimension 1", "empty")],
  ["logsumexp() without dim", x, (t) => (t as unknown as { logsumexp(): Tensor }).logsumexp(), all("logsumexp", "dim is required")],
  ["logsumexp([1, 1])", x, (t) => t.logsumexp([1, 1]), all("logsumexp", "dim 1", "multiple times")],
  ["cumsum() without dim", x, (t) => (t as unknown as { cumsum(): Tensor }).cumsum(), all("cumsum", "dim must be an integer", "got nothing")],
  ["cumsum(2) on 2-D", x, (t) => torch.cumsum(t, 2), all("cumsum", "dim 2", "-2 to 1")],
  ["softmax() without dim", x, (t) => (t as unknown as { softmax(): Tensor }).softmax(), all("softmax", "dim must be an integer", "got nothing")],
  ["softmax(0) of int32", ints, (t) => t.softmax(0), all("softmax", "float32", "int32", ".float()")],
  ["logSoftmax(-3) on 2-D", x, (t) => torch.logSoftmax(t, -3), all("logSoftmax", "dim -3", "-2 to 1")],
  ["F.softmax(x, { dims: 1 })", x, (t) => F.softmax(t, { dims: 1 } as never), all("F.softmax", 'unknown option "dims"', '"dim"')],
  ["F.logSoftmax(x, \"1\")", x, (t) => F.logSoftmax(t, "1" as never), all("F.logSoftmax", "{ dim }", '"1"')],
];

/** fn(t) throws a matching Error and changes nothing. */
function throwsCleanly(what: string, make: () => Tensor, fn: (t: Tensor) => unknown, re: RegExp): void {
  const t = make();
  const before = Array.from(t.toArray());
  const mem = torch.memory();
  assertThrows(() => fn(t), re, what);
  const after = torch.memory();
  assertEqual(after.tensors, mem.tensors, `${what}: live tensor count unchanged`);
  assertEqual(after.bytesInUse, mem.bytesInUse, `${what}: bytesInUse unchanged`);
  assertEqual(Array.from(t.toArray()), before, `${what}: input values unchanged`);
  assertEqual(t.grad, null, `${what}: no grad appeared`);
}

export const tests: Record<string, () => void> = {};
for (const [what, make, fn, re] of ROWS) tests[`reduce errors: ${what}`] = () => throwsCleanly(what, make, fn, re);

tests["reduce errors: a disposed tensor used again"] = () => {
  const t = x();
  t.dispose();
  for (const [what, fn] of [
    ["sum", () => t.sum([0, 1])], ["prod", () => t.prod()], ["std", () => t.std(0)], ["max", () => t.max(1)],
    ["amax", () => t.amax()], ["argmax", () => t.argmax()], ["logsumexp", () => t.logsumexp(1)],
    ["norm", () => t.norm()], ["cumsum", () => t.cumsum(0)], ["softmax", () => t.softmax(1)],
  ] as [string, () => unknown][]) {
    const mem = torch.memory();
    assertThrows(fn, /disposed/, `${what} of a disposed tensor`);
    assertEqual(torch.memory().bytesInUse, mem.bytesInUse, `${what}: bytesInUse unchanged`);
  }
};
