// Bad input to the math, comparison and selection ops: each call throws an Error whose
// message names the argument, the value received and the form expected (every listed part
// must appear), and leaves memory as it was (no tensor or byte allocated or freed) with the
// operands unchanged. Then the in-place checks: a value an op saved for backward, changed
// in place, makes backward() refuse.
import * as torch from "../../build/torchlet.js";
import { assert, assertEqual, assertThrows } from "./assert.ts";

type Tensor = ReturnType<typeof torch.tensor>;

const x = () => torch.tensor([[1.5, -2, 0], [3, 4, -5]], { requiresGrad: true });
const ints = () => torch.tensor([1, -2, 3], { dtype: "int32" });
const bools = () => torch.tensor([true, false, true]);
const shape = (...d: number[]) => `\\[${d.join(", ?")}\\]`;

// [what, the call (operands made by `make` before it), parts the message must contain]
// deno-lint-ignore no-explicit-any
type Row = [string, (t: any) => unknown, Array<string | RegExp>];
const ROWS: [() => Record<string, Tensor>, Row[]][] = [
  [() => ({ a: x(), i: ints(), b: bools(), r: torch.tensor([1, 2, 3, 4]) }), [
    ["eq with a string", ({ a }) => a.eq("1"), ["eq", "other", "Tensor or a number", '"1"']],
    ["torch.lt with a number first", () => torch.lt(2 as unknown as Tensor, 3), ["lt", "self", "Tensor", "2"]],
    ["gt shapes that do not broadcast", ({ a, r }) => a.gt(r), ["gt", shape(2, 3), shape(4), "broadcast"]],
    ["ge with null", ({ a }) => torch.ge(a, null as unknown as number), ["ge", "other", "null"]],
    ["logicalAnd with a number", ({ b }) => b.logicalAnd(1), ["logicalAnd", "other", "Tensor", "1"]],
    ["logicalOr shapes", ({ b, r }) => torch.logicalOr(b, r), ["logicalOr", shape(3), shape(4)]],
    ["logicalNot of an array", () => torch.logicalNot([1, 0] as unknown as Tensor), ["logicalNot", "self", "Tensor", "array"]],
  ]],
  [() => ({
    a: x(), i: ints(), b: bools(), c: torch.tensor([[true, false, true], [false, true, true]]), z4: torch.zeros([4]),
    mi: torch.ones([2, 3], { dtype: "int32" }), v1: torch.tensor([1]), m2: torch.tensor([true, false]),
  }), [
    ["where with an int32 condition", ({ a, i }) => torch.where(i, a, 0), ["where", "condition", "bool", "int32"]],
    ["where with a float condition", ({ a }) => torch.where(a, a, 0), ["where", "condition", "bool", "float32"]],
    ["where with a string input", ({ c }) => torch.where(c, "x" as unknown as number, 0), ["where", "input", "Tensor or a number", '"x"']],
    ["where with an undefined other", ({ c, a }) => torch.where(c, a, undefined as unknown as number), ["where", "other", "undefined"]],
    ["where with one argument", ({ c }) => (torch.where as (c: Tensor) => Tensor)(c), ["where", "condition, input, other"]],
    ["where shapes", ({ b, a, z4 }) => torch.where(b, a, z4), ["where", shape(4), "broadcast"]],
    ["maskedFill with an int32 mask", ({ a, mi }) => a.maskedFill(mi, 0), ["maskedFill", "mask", "bool", "int32"]],
    ["maskedFill with an array value", ({ a, c }) => a.maskedFill(c, [1] as unknown as number), ["maskedFill", "value", "number", "array"]],
    ["maskedFill with a 1-d value", ({ a, c, v1 }) => a.maskedFill(c, v1), ["maskedFill", "value", "0-dim", "1 dimension"]],
    ["maskedFill shapes", ({ a, m2 }) => a.maskedFill(m2, 0), ["maskedFill", shape(2, 3), shape(2)]],
  ]],
  [() => ({ a: x(), i: ints(), b: bools(), lo: torch.tensor([0, 0, 0, 0]), no: torch.tensor(false), yes: torch.tensor(true) }), [
    ["clamp with no bounds", ({ a }) => a.clamp(), ["clamp", "min", "max", "null or undefined"]],
    ["clamp with null, undefined", ({ a }) => torch.clamp(a, null, undefined), ["clamp", "at least one"]],
    ["clamp with a string", ({ a }) => a.clamp("0" as unknown as number), ["clamp", "min", "number", '"0"']],
    ["clamp with an object max", ({ a }) => a.clamp(0, {} as unknown as number), ["clamp", "max", "object"]],
    ["clamp with Python's keywords as an object", ({ a }) => a.clamp({ min: 0 } as unknown as number), ["clamp", "min", "object", "positional"]],
    ["clamp of bool by bool tensors", ({ b, no, yes }) => b.clamp(no, yes), ["clamp", "bool"]],
    ["clamp tensor bound shapes", ({ a, lo }) => a.clamp(lo), ["clamp", shape(2, 3), shape(4)]],
    ["maximum with a number", ({ a }) => a.maximum(2 as unknown as Tensor), ["maximum", "other", "Tensor", "2", "clamp"]],
    ["minimum with a number", ({ a }) => torch.minimum(a, 0 as unknown as Tensor), ["minimum", "other", "clamp"]],
    ["maximum shapes", ({ a, lo }) => torch.maximum(a, lo), ["maximum", shape(2, 3), shape(4)]],
  ]],
  [() => ({ a: x(), i: ints(), b: bools(), o4: torch.ones([4]) }), [
    ["pow of int32 to a negative integer", ({ i }) => i.pow(-1), ["pow", "negative integer", "-1", "int32"]],
    ["pow of two bool tensors", ({ b }) => b.pow(b), ["pow", "bool"]],
    ["pow with a string exponent", ({ a }) => a.pow("2" as unknown as number), ["pow", "exponent", "Tensor or a number", '"2"']],
    ["torch.pow of a number by a number", () => torch.pow(2, 3 as unknown as Tensor), ["pow", "exponent", "Tensor", "3"]],
    ["pow shapes", ({ a, o4 }) => a.pow(o4), ["pow", shape(2, 3), shape(4)]],
    ["floor of bool", ({ b }) => b.floor(), ["floor", "bool"]],
    ["round of bool", ({ b }) => torch.round(b), ["round", "bool"]],
    ["round of int32 with decimals", ({ i }) => i.round({ decimals: 1 }), ["round", "decimals", "int32"]],
    ["round with a misspelt option", ({ a }) => a.round({ decimal: 1 } as never), ["round", "decimal", "did you mean", "decimals"]],
    ["round with fractional decimals", ({ a }) => a.round({ decimals: 1.5 }), ["round", "decimals", "integer", "1.5"]],
    ["round with a number for options", ({ a }) => torch.round(a, 2 as never), ["round", "options", "decimals", "2"]],
    ["neg of bool", ({ b }) => b.neg(), ["neg", "bool", "logicalNot"]],
    ["abs of bool", ({ b }) => b.abs(), ["abs", "bool"]],
    ["sin of a string", () => torch.sin("x" as unknown as Tensor), ["sin", "self", "Tensor", '"x"']],
    ["square of undefined", () => torch.square(undefined as unknown as Tensor), ["square", "self", "undefined"]],
  ]],
];

function pattern(parts: Array<string | RegExp>): RegExp {
  const esc = (p: string | RegExp) => (typeof p === "string" && !p.startsWith("\\[") ? p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") : typeof p === "string" ? p : p.source);
  return new RegExp(`^${parts.map((p) => `(?=[\\s\\S]*${esc(p)})`).join("")}`, "i");
}

export const tests: Record<string, () => void> = {};

for (const [make, rows] of ROWS) {
  for (const [what, call, parts] of rows) {
    tests[`errors: ${what}`] = () => torch.tidy(() => {
      const ops = make();
      const before = Object.fromEntries(Object.entries(ops).map(([k, t]) => [k, Array.from(t.toArray())]));
      const mem = torch.memory();
      assertThrows(() => call(ops), pattern(parts), what);
      const after = torch.memory();
      assertEqual([after.tensors, after.bytesInUse], [mem.tensors, mem.bytesInUse], `${what}: memory unchanged`);
      for (const [k, t] of Object.entries(ops)) assertEqual(Array.from(t.toArray()), before[k], `${what}: ${k} unchanged`);
    });
  }
}

tests["errors: a disposed operand throws before anything is allocated"] = () => torch.tidy(() => {
  const a = x(), gone = torch.tensor([1, 2, 3]), c = torch.tensor([true, false, true]);
  gone.dispose();
  const calls: [string, () => unknown][] = [
    ["eq", () => a.eq(gone)], ["maximum", () => a.maximum(gone)], ["pow", () => a.pow(gone)],
    ["where b", () => torch.where(c, a, gone)], ["where a", () => torch.where(c, gone, 1)], ["clamp", () => a.clamp(gone)],
    ["maskedFill", () => gone.maskedFill(c, 1)], ["logicalAnd", () => c.logicalAnd(gone)], ["sin", () => gone.sin()],
  ];
  for (const [what, call] of calls) {
    const mem = torch.memory();
    assertThrows(call, /disposed/, what);
    const after = torch.memory();
    assertEqual([after.tensors, after.bytesInUse], [mem.tensors, mem.bytesInUse], `${what}: memory unchanged`);
  }
});

tests["errors: backward refuses after an in-place change to a value the op saved"] = () => torch.tidy(() => {
  // where saves its condition; pow with a tensor exponent saves its result; clamp saves its input
  const a = torch.tensor([1.5, -2, 0.5], { requiresGrad: true });
  const c = torch.tensor([true, false, true]);
  const w = torch.where(c, a, 0);
  c.fill_(0);
  assertThrows(() => w.sum().backward(), /modified by an inplace operation/, "where after cond.fill_");
  assertEqual(a.grad, null, "no grad written");

  const p = a.pow(torch.tensor([2, 3, 0.5], { requiresGrad: true }));
  torch.noGrad(() => p.mul_(2));
  assertThrows(() => p.sum().backward(), /modified by an inplace operation/, "pow after out.mul_");

  const base = torch.tensor([0.5, 2, -1], { requiresGrad: true });
  const h = base.mul(1);
  const cl = h.clamp(0, 1);
  torch.noGrad(() => h.add_(1));
  assertThrows(() => cl.sum().backward(), /modified by an inplace operation/, "clamp after input.add_");
  assert(base.grad === null, "no grad written");
});
