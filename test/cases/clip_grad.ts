// nn.utils.clipGradNorm_ and clipGradValue_ against PyTorch (test/fixtures/clip_grad.json,
// written by test/golden/gen_clip_grad.py), and their edge cases.
import * as torch from "../../build/torchlet.js";
import fx from "../fixtures/clip_grad.json" with { type: "json" };
import { assertClose, assertEqual, assertThrows } from "./assert.ts";

// deno-lint-ignore no-explicit-any
type Any = any;
const nn: Any = torch.nn;

interface ClipCase {
  fn: "clipGradNorm_" | "clipGradValue_";
  args: { maxNorm?: number; clipValue?: number; options?: Record<string, unknown> };
  shapes: number[][];
  grads: (number[] | null)[];
  expected: (number[] | null)[];
  totalNorm: number | null;
}

export const tests: Record<string, () => void> = {};

for (const [name, c] of Object.entries(fx as unknown as Record<string, ClipCase>)) {
  tests[`${name}`] = () => {
    const params = c.shapes.map((s, i) => {
      const p = torch.zeros(s, { requiresGrad: true });
      if (c.grads[i] !== null) p.grad = torch.tensor(Float32Array.from(c.grads[i]!), { shape: s });
      return p;
    });
    if (c.fn === "clipGradNorm_") {
      const total = nn.utils.clipGradNorm_(params, c.args.maxNorm, c.args.options);
      assertEqual(total.shape, [], `${name}: total norm is a 0-dim tensor`);
      assertClose(total.item(), c.totalNorm!, `${name}: total norm`);
    } else {
      assertEqual(nn.utils.clipGradValue_(params, c.args.clipValue), undefined, `${name}: returns nothing`);
    }
    params.forEach((p, i) => {
      if (c.expected[i] === null) assertEqual(p.grad, null, `${name}: grad ${i} stays null`);
      else assertClose(p.grad!.toArray(), c.expected[i]!, `${name}: grad ${i}`);
    });
  };
}

tests["no grads gives a zero norm; a single Tensor is accepted"] = () => {
  const p = torch.tensor([1, 2, 3], { requiresGrad: true });
  assertEqual(nn.utils.clipGradNorm_([p], 1).item(), 0, "no grads");
  p.grad = torch.tensor([3, 0, 4]);
  assertClose(nn.utils.clipGradNorm_(p, 1).item(), 5, "total norm of one tensor");
  assertClose(p.grad!.toArray(), [0.6, 0, 0.8], "clipped", 1e-6, 1e-5);
  nn.utils.clipGradValue_(p, 0.7);
  assertClose(p.grad!.toArray(), [0.6, 0, 0.7], "clamped");
};

tests["bad calls throw what they got and what was expected"] = () => {
  const p = torch.tensor([1, 2, 3], { requiresGrad: true });
  p.grad = torch.tensor([1, Infinity, 0]);
  assertThrows(() => nn.utils.clipGradNorm_([p], 1, { errorIfNonfinite: true }),
    /The total norm of order 2 for gradients from `parameters` is non-finite, so it cannot be clipped/);
  assertThrows(() => nn.utils.clipGradNorm_(3, 1), /clipGradNorm_: parameters must be a Tensor or an iterable of Tensors, got number/);
  assertThrows(() => nn.utils.clipGradValue_([p]), /clipGradValue_: clipValue must be a number, got undefined/);
};
