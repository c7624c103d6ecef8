// Replays the PyTorch loss fixtures (test/fixtures/nn.json, written by
// test/golden/gen_nn.py): every loss with each option and reduction, through the module
// (nn.CrossEntropyLoss({ ... }).forward) and through nn.functional, comparing the output
// and the input's gradient. Class-index targets go in as a Tensor, a number[] and an
// Int32Array.
import * as torch from "../../build/torchlet.js";
import fx from "../fixtures/nn.json" with { type: "json" };
import { assertClose, assertEqual } from "./assert.ts";

type Tensor = ReturnType<typeof torch.tensor>;
interface Rec {
  shape: number[];
  values: Array<number | "NaN">;
  dtype?: "int";
}
interface Case {
  loss: "crossEntropy" | "binaryCrossEntropyWithLogits" | "mseLoss" | "l1Loss";
  options: Record<string, string | number | Rec>;
  input: Rec;
  target: Rec;
  output: Rec;
  upstream: Rec | null;
  grad: Rec;
  expr: string;
}

const CASES = (fx as unknown as { cases: Record<string, Case> }).cases;
const nn = torch.nn;
const F = torch.nn.functional;

const MODULES = {
  crossEntropy: nn.CrossEntropyLoss,
  binaryCrossEntropyWithLogits: nn.BCEWithLogitsLoss,
  mseLoss: nn.MSELoss,
  l1Loss: nn.L1Loss,
} as const;

function numbers(r: Rec): number[] {
  return r.values.map((v) => (v === "NaN" ? NaN : v));
}

function fromRec(r: Rec, requiresGrad = false): Tensor {
  return torch.tensor(Float32Array.from(numbers(r)), { shape: r.shape, requiresGrad });
}

/** The case's options with tensors built (fresh each call: a loss holds no tensor of ours across tests). */
function options(c: Case): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c.options)) o[k] = typeof v === "object" ? fromRec(v) : v;
  return o;
}

type Form = "module" | "functional" | "functional, number[] target" | "module, Int32Array target";

function target(c: Case, form: Form): unknown {
  if (c.target.dtype !== "int") return fromRec(c.target);
  const idx = numbers(c.target);
  if (form === "functional, number[] target") return idx;
  if (form === "module, Int32Array target") return Int32Array.from(idx);
  return torch.tensor(idx);
}

function replay(name: string, c: Case, form: Form): void {
  const label = `${name} (${form}): ${c.expr}`;
  const x = fromRec(c.input, true);
  const t = target(c, form);
  // deno-lint-ignore no-explicit-any
  const call = (F as any)[c.loss] as (x: Tensor, t: unknown, o: unknown) => Tensor;
  // deno-lint-ignore no-explicit-any
  const Loss = MODULES[c.loss] as any;
  const out: Tensor = form.startsWith("module") ? new Loss(options(c)).forward(x, t) : call(x, t, options(c));
  assertEqual([...out.shape], c.output.shape, `${label}: output shape`);
  assertClose(out.toArray(), numbers(c.output), `${label}: output`);
  if (c.upstream === null) out.backward();
  else out.backward(fromRec(c.upstream));
  assertClose(x.grad!.toArray(), numbers(c.grad), `${label}: input grad`);
}

export const tests: Record<string, () => void> = {};
for (const [name, c] of Object.entries(CASES)) {
  const forms: Form[] = c.target.dtype === "int"
    ? ["module", "functional, number[] target", "module, Int32Array target"]
    : ["module", "functional"];
  tests[`nn loss ${name}`] = () => {
    for (const form of forms) replay(name, c, form);
  };
}

tests["nn loss fixtures: the issue's numbers are in the table"] = () => {
  // PyTorch's values quoted in the issue: weight 9.0182, label smoothing 6.3897, ignore_index=0 11.3133
  const quoted: Record<string, number> = {
    ce_issue_plain: 6.7231, ce_issue_weight: 9.0182, ce_issue_smoothing: 6.3897, ce_issue_ignore0: 11.3133,
  };
  for (const [name, v] of Object.entries(quoted)) assertClose(numbers(CASES[name].output)[0], v, name, 1e-4, 0);
};
