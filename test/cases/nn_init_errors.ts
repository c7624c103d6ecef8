// The error table for nn.init: each row is a call and three patterns its message must
// contain: the argument (or option), the value received and the form expected. After each
// call the tensor and the generator's stream are as before, and no tensor or byte was
// allocated or freed.
import * as torch from "../../build/torchlet.js";
import { errorRowTests, type ErrorRow } from "./error_rows.ts";

type Tensor = torch.Tensor;
// deno-lint-ignore no-explicit-any
const init = torch.nn.init as any;

function setup() {
  const g = new torch.Generator().manualSeed(1);
  return {
    g,
    w: torch.tensor([[1, 2, 3], [4, 5, 6]]),
    v: torch.tensor([1, 2, 3]),
    i: torch.tensor([[1, 2], [3, 4]], { dtype: "int32" }),
    empty00: torch.zeros([0, 0]),
  };
}
type Ctx = ReturnType<typeof setup>;

/** One row: the call, then patterns for the argument, the value and the expected form. */
type Row = ErrorRow<Ctx>;

const ROWS: Row[] = [
  ["uniform_: a > b", (c) => init.uniform_(c.w, { a: 1, b: 0, generator: c.g }), "\\ba\\b", "from=1 > to=0", "must not exceed b"],
  ["uniform_: an infinite bound", (c) => init.uniform_(c.w, { b: Infinity, generator: c.g }), "\\bb\\b", "Infinity", "finite number"],
  ["uniform_: an int32 tensor", (c) => init.uniform_(c.i, { generator: c.g }), "tensor", "int32", "float32"],
  ["uniform_: PyTorch's name for a bound", (c) => init.uniform_(c.w, { low: 0 }), '"low"', "unknown option", "a, b, generator"],
  ["uniform_: a number[] for the tensor", () => init.uniform_([1, 2]), "tensor", "\\[1, 2\\]", "Tensor"],
  ["uniform_: a generator that is not one", (c) => init.uniform_(c.w, { generator: 5 }), "generator", "5|number", "torch.Generator"],
  ["normal_: a negative std", (c) => init.normal_(c.w, { std: -1, generator: c.g }), "std", "-1", ">= 0"],
  ["normal_: a NaN mean", (c) => init.normal_(c.w, { mean: NaN, generator: c.g }), "mean", "NaN", "finite number"],
  ["truncNormal_: std 0", (c) => init.truncNormal_(c.w, { std: 0, generator: c.g }), "std", "got 0", "> 0"],
  ["truncNormal_: a > b", (c) => init.truncNormal_(c.w, { a: 2, b: -2, generator: c.g }), "\\ba\\b", "from=2 > to=-2", "must not exceed b"],
  ["truncNormal_: a far tail with an infinite bound", (c) => init.truncNormal_(c.w, { a: 3, b: Infinity, generator: c.g }), "\\[3, Infinity\\]", "0\\.13", "finite a and b"],
  ["truncNormal_: a string bound", (c) => init.truncNormal_(c.w, { b: "2", generator: c.g }), "\\bb\\b", '"2"', "a number"],
  ["constant_: a string value", (c) => init.constant_(c.w, "1"), "val", '"1"', "a number"],
  ["constant_: NaN into an int32 tensor", (c) => init.constant_(c.i, NaN), "val", "NaN", "finite.*int32"],
  ["constant_: no value", (c) => init.constant_(c.w), "val", "undefined", "a number"],
  ["eye_: a 1-D tensor", (c) => init.eye_(c.v), "tensor", "\\[3\\]", "2 dimensions"],
  ["xavierUniform_: a 1-D tensor", (c) => init.xavierUniform_(c.v, { generator: c.g }), "tensor", "\\[3\\]", "fewer than 2 dimensions"],
  ["xavierUniform_: fans of 0", (c) => init.xavierUniform_(c.empty00, { generator: c.g }), "fan_in \\+ fan_out", "\\[0, 0\\]", "division by zero"],
  ["xavierNormal_: a string gain", (c) => init.xavierNormal_(c.w, { gain: "2", generator: c.g }), "gain", '"2"', "finite number"],
  ["kaimingUniform_: mode fan_avg", (c) => init.kaimingUniform_(c.w, { mode: "fan_avg", generator: c.g }), "Mode", '"fan_avg"', '"fan_in", "fan_out"'],
  ["kaimingNormal_: nonlinearity gelu", (c) => init.kaimingNormal_(c.w, { nonlinearity: "gelu", generator: c.g }), "nonlinearity", '"gelu"', '"leaky_relu"'],
  ["kaimingUniform_: a boolean slope", (c) => init.kaimingUniform_(c.w, { a: true, generator: c.g }), "\\ba\\b", "true", "finite number"],
  ["kaimingUniform_: a string for options", (c) => init.kaimingUniform_(c.w, "fan_in"), "options", '"fan_in"', "a, mode, nonlinearity, generator"],
  ["kaimingNormal_: a 1-D tensor", (c) => init.kaimingNormal_(c.v, { generator: c.g }), "tensor", "\\[3\\]", "fewer than 2 dimensions"],
  ["calculateGain: an unknown nonlinearity", () => init.calculateGain("swish"), "nonlinearity", '"swish"', '"relu"'],
  ["calculateGain: a boolean slope", () => init.calculateGain("leaky_relu", true), "param", "true", "a number"],
  ["orthogonal_: a 1-D tensor", (c) => init.orthogonal_(c.v, { generator: c.g }), "tensor", "\\[3\\]", "2 or more dimensions"],
  ["orthogonal_: gain Infinity", (c) => init.orthogonal_(c.w, { gain: Infinity, generator: c.g }), "gain", "Infinity", "finite number"],
];

const bits = (t: Tensor) => Array.from(t.toArray());

export const tests = errorRowTests("nn.init errors", ROWS, setup, (c) => [bits(c.w), bits(c.v), bits(c.i), Array.from(c.g.getState())]);
