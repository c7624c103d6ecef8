// The error table for nn: modules, losses, nn.functional and loadStateDict. Each row is a
// call, and three patterns its message must contain: the argument (or option / key), the
// value received, and the form expected. After each call every parameter and grad of a
// trained model is bit for bit as before, and no tensor or byte was allocated or freed.
import * as torch from "../../build/torchlet.js";
import { errorRowTests, type ErrorRow } from "./error_rows.ts";

type Tensor = ReturnType<typeof torch.tensor>;
const nn = torch.nn;
const F = torch.nn.functional;

function setup() {
  torch.manualSeed(3);
  const model = new nn.Sequential(new nn.Linear(3, 4), new nn.ReLU(), new nn.Linear(4, 2));
  const x = torch.tensor([[0.5, -1, 2], [1, 0.25, -0.5], [-1.5, 1, 0], [0, 0.75, 1], [2, -2, 0.5]]);
  F.crossEntropy(model.forward(x), [0, 1, 1, 0, 1]).backward(); // every parameter has a grad
  const sd = model.stateDict();
  // a valid state dict whose values all differ from the model's: a half-applied load shows
  const other: Record<string, unknown> = {};
  for (const [k, t] of Object.entries(sd)) other[k] = Array.from(t.toArray(), (v) => v + 1);
  return {
    model,
    x,
    x4: torch.zeros([5, 4]),
    logits: torch.tensor([[1, 2], [0.5, -1], [0, 0], [2, 1], [-1, 3]]),
    probs: torch.full([5, 2], 0.5),
    probs3: torch.full([5, 3], 1 / 3),
    y: torch.tensor([[1, 0], [0, 1], [1, 1], [0, 0], [1, 0]]),
    w3: torch.tensor([1, 2, 3]),
    w2: torch.tensor([1, 2]),
    w2d: torch.tensor([[1, 2]]),
    w4: torch.tensor([1, 2, 3, 4]),
    w252: torch.ones([2, 5, 2]),
    x3d: torch.zeros([2, 3, 4]),
    wB1C: torch.ones([2, 1, 4]),
    pw5: torch.ones([5]),
    wGrad: torch.tensor([1, 2], { requiresGrad: true }),
    v1d: torch.tensor([1, 2, 3, 4]),
    weight43: torch.zeros([4, 3]),
    int2: torch.tensor([1, 2], { dtype: "int32" }),
    w34: torch.zeros([3, 4]),
    other,
    with: (key: string, value: unknown): Record<string, unknown> => ({ ...other, [key]: value }),
  };
}
type Ctx = ReturnType<typeof setup>;

type Row = ErrorRow<Ctx>;

const shape = (...dims: number[]): string => `\\[${dims.join(", ?")}\\]`;
const load = (c: Ctx, sd: unknown, options?: unknown) =>
  // deno-lint-ignore no-explicit-any
  (c.model.loadStateDict as any)(sd, options);
// deno-lint-ignore no-explicit-any
const anyNn = nn as any;
// deno-lint-ignore no-explicit-any
const anyF = F as any;

const ROWS: Row[] = [
  // ---- modules
  ["Linear: misspelt option", () => new anyNn.Linear(2, 3, { bais: false }), '"bais"', "unknown option", 'did you mean "bias"'],
  ["Linear: third argument a string", () => new anyNn.Linear(2, 3, "no"), "third argument|bias", '"no"', "true or false"],
  ["Linear: bias not a boolean", () => new anyNn.Linear(2, 3, { bias: "yes" }), "bias", '"yes"', "true or false"],
  ["Linear: fractional inFeatures", () => new anyNn.Linear(2.5, 3), "inFeatures", "2\\.5", "non-negative integer"],
  ["Linear: negative outFeatures", () => new anyNn.Linear(2, -1), "outFeatures", "-1", "non-negative integer"],
  ["Linear: inFeatures a string", () => new anyNn.Linear("2", 3), "inFeatures", '"2"', "non-negative integer"],
  ["Linear.forward(null)", (c) => (c.model[0] as any).forward(null), "input", "null", "Tensor.*\\[\\*, 3\\]"],
  ["Linear.forward(number[])", (c) => (c.model[0] as any).forward([1, 2, 3]), "input", "\\[1, 2, 3\\]", "Tensor"],
  ["Linear.forward: wrong feature size", (c) => (c.model[0] as any).forward(c.x4), "input", shape(5, 4), "in_features=3"],
  ["ReLU: inplace true", () => new anyNn.ReLU({ inplace: true }), "inplace", "true", "must be false"],
  ["ReLU: misspelt inplace", () => new anyNn.ReLU({ inPlace: false }), '"inPlace"', "unknown option", 'did you mean "inplace"'],
  ["Sigmoid: an option it does not take", () => new anyNn.Sigmoid({ dim: 1 }), '"dim"', "unknown option", "options: none"],
  ["Tanh: a number for options", () => new anyNn.Tanh(5), "options", "got 5", "takes no options"],
  ["Dropout: p 1.5", () => new anyNn.Dropout(1.5), "\\bp\\b", "1\\.5", "between 0 and 1"],
  ["Dropout: p -0.1 in options", () => new anyNn.Dropout({ p: -0.1 }), "\\bp\\b", "-0\\.1", "between 0 and 1"],
  ["Dropout: p a string", () => new anyNn.Dropout("0.5"), "\\bp\\b", '"0\\.5"', "number between 0 and 1"],
  ["Dropout: p NaN", () => new anyNn.Dropout(NaN), "\\bp\\b", "NaN", "between 0 and 1"],
  ["Dropout: misspelt inplace", () => new anyNn.Dropout({ p: 0.1, inPlace: true }), '"inPlace"', "unknown option", 'did you mean "inplace"'],
  ["Dropout: inplace not a boolean", () => new anyNn.Dropout({ inplace: 1 }), "inplace", "got 1", "true or false"],
  ["Dropout.forward(number[])", () => new anyNn.Dropout().forward([1, 2]), "input", "\\[1, 2\\]", "Tensor"],
  ["Sequential: a string among modules", (c) => new anyNn.Sequential(c.model[0], "relu"), "argument 1", '"relu"', "nn\\.Module"],
  ["train(mode) not a boolean", (c) => c.model.train("yes" as never), "mode", '"yes"', "boolean"],

  // ---- losses
  ["MSELoss({ reduce: false })", () => new anyNn.MSELoss({ reduce: false }), '"reduce"', "false", 'reduction: "none"'],
  ["MSELoss({ size_average })", () => new anyNn.MSELoss({ size_average: false }), '"size_average"', "false", 'reduction.*"sum"'],
  ["L1Loss: misspelt reduction", () => new anyNn.L1Loss({ reductions: "sum" }), '"reductions"', "unknown option", 'did you mean "reduction"'],
  ["CrossEntropyLoss: weights", (c) => new anyNn.CrossEntropyLoss({ weights: c.w3 }), '"weights"', "unknown option", 'did you mean "weight"'],
  ["CrossEntropyLoss: ignore_index", () => new anyNn.CrossEntropyLoss({ ignore_index: 0 }), '"ignore_index"', "unknown option", 'did you mean "ignoreIndex"'],
  ["CrossEntropyLoss: labelSmoothing 1.5", () => new anyNn.CrossEntropyLoss({ labelSmoothing: 1.5 }), "labelSmoothing", "1\\.5", "between 0\\.0 and 1\\.0"],
  ["CrossEntropyLoss: labelSmoothing -0.1", () => new anyNn.CrossEntropyLoss({ labelSmoothing: -0.1 }), "labelSmoothing", "-0\\.1", "between 0\\.0 and 1\\.0"],
  ["CrossEntropyLoss: ignoreIndex 0.5", () => new anyNn.CrossEntropyLoss({ ignoreIndex: 0.5 }), "ignoreIndex", "0\\.5", "integer"],
  ["CrossEntropyLoss: weight as number[]", () => new anyNn.CrossEntropyLoss({ weight: [1, 2, 3] }), "weight", "\\[1, 2, 3\\]|array", "Tensor"],
  ["CrossEntropyLoss: 2-D weight", (c) => new anyNn.CrossEntropyLoss({ weight: c.w2d }), "weight", shape(1, 2), "1-D.*\\[C\\]"],
  ["CrossEntropyLoss(weightTensor)", (c) => new anyNn.CrossEntropyLoss(c.w3), "options", `Tensor of shape ${shape(3)}`, "weight, ignoreIndex"],
  ["CrossEntropyLoss: reduction avg", () => new anyNn.CrossEntropyLoss({ reduction: "avg" }), "reduction", '"avg"', '"mean", "sum" or "none"'],
  ["crossEntropy: null target", (c) => new nn.CrossEntropyLoss().forward(c.logits, null as never), "target", "null", "class indices.*class probabilities"],
  ["crossEntropy: target out of range", (c) => new nn.CrossEntropyLoss().forward(c.logits, [0, 5, 1, 0, 1]), "target\\[1\\]", "Target 5", "0 to 1"],
  ["crossEntropy: too few targets", (c) => F.crossEntropy(c.logits, [0, 1]), "target", "2 class indices", "5 rows"],
  ["crossEntropy: fractional target", (c) => F.crossEntropy(c.logits, [0, 1.5, 1, 0, 1]), "target\\[1\\]", "1\\.5", "whole numbers"],
  ["crossEntropy: weight for 3 classes, 2 logits", (c) => new nn.CrossEntropyLoss({ weight: c.w3 }).forward(c.logits, [0, 1, 1, 0, 1]), "weight", shape(3), "all 2 classes"],
  ["crossEntropy: 1-D logits", (c) => F.crossEntropy(c.v1d, [0]), "input", shape(4), "\\[N, C\\]"],
  ["crossEntropy: ignoreIndex with probabilities", (c) => new nn.CrossEntropyLoss({ ignoreIndex: 0 }).forward(c.logits, c.probs), "ignoreIndex", "ignoreIndex 0", "class-probability|-100|−100"],
  ["crossEntropy: probabilities of another shape", (c) => F.crossEntropy(c.logits, c.probs3), "target", shape(5, 3), shape(5, 2)],
  ["crossEntropy: weight that requires grad", (c) => F.crossEntropy(c.logits, [0, 1, 1, 0, 1], { weight: c.wGrad }), "weight", "requires grad", "does not require grad|detach"],
  ["crossEntropy: options a string", (c) => anyF.crossEntropy(c.logits, [0, 1, 1, 0, 1], "mean"), "options", '"mean"', "weight, ignoreIndex, labelSmoothing, reduction"],
  ["crossEntropy: unknown option", (c) => anyF.crossEntropy(c.logits, [0, 1, 1, 0, 1], { smoothing: 0.1 }), '"smoothing"', "unknown option", "labelSmoothing"],
  ["BCEWithLogitsLoss: pos_weight", (c) => new anyNn.BCEWithLogitsLoss({ pos_weight: c.w2 }), '"pos_weight"', "unknown option", 'did you mean "posWeight"'],
  ["BCEWithLogitsLoss: posWeight a number", () => new anyNn.BCEWithLogitsLoss({ posWeight: 2 }), "posWeight", "got 2", "Tensor"],
  ["bceWithLogits: posWeight [4] over [5, 2]", (c) => new nn.BCEWithLogitsLoss({ posWeight: c.w4 }).forward(c.logits, c.y), "posWeight", shape(4), `broadcast to .*${shape(5, 2)}`],
  ["bceWithLogits: weight [2, 5, 2] over [5, 2]", (c) => F.binaryCrossEntropyWithLogits(c.logits, c.y, { weight: c.w252 }), "weight", shape(2, 5, 2), `broadcast to .*${shape(5, 2)}`],
  ["bceWithLogits: a weight to expand, then a bad posWeight", (c) => F.binaryCrossEntropyWithLogits(c.x3d, c.x3d, { weight: c.wB1C, posWeight: c.pw5 }), "posWeight", shape(5), `broadcast to .*${shape(2, 3, 4)}`],
  ["bceWithLogits: null target", (c) => new nn.BCEWithLogitsLoss().forward(c.logits, null as never), "target", "null", "Tensor"],
  ["bceWithLogits: target of another shape", (c) => F.binaryCrossEntropyWithLogits(c.logits, c.probs3), "target", shape(5, 3), shape(5, 2)],
  ["bceWithLogits: reduce", (c) => anyF.binaryCrossEntropyWithLogits(c.logits, c.y, { reduce: "sum" }), '"reduce"', '"sum"', "reduction"],

  // ---- functional
  ["F.linear(number[])", (c) => anyF.linear([1, 2, 3], c.weight43), "input", "\\[1, 2, 3\\]", "Tensor"],
  ["F.linear: null weight", (c) => anyF.linear(c.x, null), "weight", "null", "Tensor.*out_features, in_features"],
  ["F.linear: string bias", (c) => anyF.linear(c.x, c.weight43, "b"), "bias", '"b"', "Tensor.*out_features"],
  ["F.linear: transposed weight", (c) => F.linear(c.x, c.w34), "input", shape(5, 3), `in_features=4 \\(weight ${shape(3, 4)}`],
  ["F.mseLoss: number[] target", (c) => anyF.mseLoss(c.logits, [1, 2]), "target", "array|\\[1, 2\\]", "Tensor"],
  ["F.l1Loss: null input", (c) => anyF.l1Loss(null, c.y), "input", "null", "Tensor"],
  ["F.relu(string)", () => anyF.relu("x"), "input", '"x"', "Tensor"],
  ["F.dropout: p 2", (c) => F.dropout(c.x, { p: 2 }), "\\bp\\b", "got 2", "between 0 and 1"],
  ["F.dropout: training a string", (c) => anyF.dropout(c.x, { training: "yes" }), "training", '"yes"', "true or false"],
  ["F.dropout: a bare p", (c) => anyF.dropout(c.x, 0.5), "options", "0\\.5", "p, training, inplace, generator"],
  ["F.dropout: a generator that is not one", (c) => anyF.dropout(c.x, { generator: 3 }), "generator", "got 3", "torch\\.Generator"],
  ["F.dropout: int32 input in training", (c) => F.dropout(c.int2), "input", "int32", "float32"],
  ["F.mseLoss: reduction avg", (c) => anyF.mseLoss(c.logits, c.y, { reduction: "avg" }), "reduction", '"avg"', '"mean", "sum" or "none"'],

  // ---- loadStateDict: everything is checked before anything is copied
  ["loadStateDict: a string for a tensor", (c) => load(c, c.with("2.bias", "abc")), "2\\.bias", '"abc"', "Tensor, a Float32Array or number\\[\\].*\\{ shape, values \\}"],
  ["loadStateDict: Tensor of another shape", (c) => load(c, c.with("0.weight", c.w34)), "0\\.weight", shape(3, 4), shape(4, 3)],
  ["loadStateDict: number[] of another length", (c) => load(c, c.with("0.bias", [1, 2, 3])), "0\\.bias", "3 values", shape(4)],
  ["loadStateDict: extra field in the JSON form", (c) => load(c, c.with("2.bias", { shape: [2], values: [1, 2], grad: null })), "2\\.bias", '"grad"', "\\{ dtype, shape, values \\}"],
  ["loadStateDict: JSON form of another shape", (c) => load(c, c.with("0.weight", { shape: [2, 6], values: new Array(12).fill(0) })), "0\\.weight", shape(2, 6), shape(4, 3)],
  ["loadStateDict: null among values (JSON's NaN)", (c) => load(c, c.with("2.bias", { shape: [2], values: [0, null] })), "2\\.bias.*value 1", "null", "a number float32 can hold"],
  ["loadStateDict: a string among values", (c) => load(c, c.with("0.bias", ["1", 2, 3, 4])), "0\\.bias.*value 0", '"1"', "a number float32 can hold"],
  ["loadStateDict: a Float64Array value float32 cannot hold", (c) => load(c, c.with("2.bias", Float64Array.of(1, -1e300))), "2\\.bias.*value 1", "-1e\\+300", "a number float32 can hold"],
  ["loadStateDict: a value float32 cannot hold", (c) => load(c, c.with("2.bias", [1e39, 0])), "2\\.bias.*value 0", "1e\\+39", "a number float32 can hold"],
  ["loadStateDict: dtype float64", (c) => load(c, c.with("2.bias", { dtype: "float64", shape: [2], values: [1, 2] })), "2\\.bias", '"float64"', '"float32", "int32" or "bool"'],
  ["loadStateDict: nested array", (c) => load(c, c.with("0.weight", [[1, 2, 3], [4, 5, 6], [7, 8, 9], [1, 2, 3]])), "0\\.weight", "nested array", "flat in row-major order"],
  ["loadStateDict: missing key", (c) => { const sd = { ...c.other }; delete sd["2.bias"]; return load(c, sd); }, "Missing key", '"2\\.bias"', "state_dict"],
  ["loadStateDict: unexpected key", (c) => load(c, c.with("2.scale", [1])), "Unexpected key", '"2\\.scale"', "state_dict"],
  ["loadStateDict(null)", (c) => load(c, null), "stateDict", "null", "object mapping names to tensors"],
  ["loadStateDict: a Map", (c) => load(c, new Map(Object.entries(c.other))), "stateDict", "a Map", "object mapping names to tensors"],
  ["loadStateDict: strict not a boolean", (c) => load(c, c.other, { strict: "no" }), "strict", '"no"', "boolean"],
  ["loadStateDict: misspelt strict", (c) => load(c, c.other, { strct: false }), '"strct"', "unknown option", 'did you mean "strict"'],
];

/** Every parameter's and grad's bits, by name. */
function snapshot(model: Ctx["model"]): unknown {
  const bits = (t: Tensor) => Array.from(new Uint32Array(t.toArray().buffer));
  return model.namedParameters().map(([n, p]) => [n, bits(p), p.grad === null ? null : bits(p.grad)]);
}

export const tests = errorRowTests("nn errors", ROWS, setup, (c) => snapshot(c.model));
