// Bad input: each call throws an Error whose message names the problem and the values
// involved, and changes nothing (no tensor or byte allocated or freed, operands intact).
// The regexes are loose about wording but require the values. Shapes are expected in
// the form "[2, 3]" (a space after the comma is optional).
import * as torch from "../../build/torchlet.js";
import { assertClose, assertEqual, assertThrows } from "./assert.ts";

type Tensor = ReturnType<typeof torch.tensor>;

/** All of `parts` must appear somewhere in the message, in any order. */
function all(...parts: Array<string | RegExp>): RegExp {
  const src = parts.map((p) => `(?=[\\s\\S]*${typeof p === "string" ? p : p.source})`).join("");
  return new RegExp(`^${src}`, "i");
}
/** A shape as the message should print it, e.g. shape(2, 3) matches "[2, 3]" or "[2,3]". */
function shape(...dims: number[]): string {
  return `\\[${dims.join(", ?")}\\]`;
}

/** fn throws a matching Error and leaves torch.memory() as it was (so fn must not create
 *  tensors itself: build operands before the call). */
function throwsCleanly(fn: () => unknown, re: RegExp, what: string): void {
  const before = torch.memory();
  assertThrows(fn, re, what);
  const after = torch.memory();
  assertEqual(after.tensors, before.tensors, `${what}: live tensor count unchanged`);
  assertEqual(after.bytesInUse, before.bytesInUse, `${what}: bytesInUse unchanged`);
}

function values(t: Tensor): number[] {
  return Array.from(t.toArray());
}

const a23 = () => torch.tensor([[1, 2, 3], [4, 5, 6]]);

export const tests: Record<string, () => void | Promise<void>> = {
  "errors: ragged nested array": () => {
    const re = all(/ragged|inconsistent|irregular|jagged|rectangular|length|same size/, "\\b3\\b", "\\b2\\b");
    throwsCleanly(() => torch.tensor([[1, 2, 3], [4, 5]]), re, "ragged [[1, 2, 3], [4, 5]]");
    throwsCleanly(
      () => torch.tensor([[[1, 2], [3, 4]], [[5, 6], [7, 8, 9]]]),
      all(/ragged|inconsistent|irregular|jagged|rectangular|length|same size/, "\\b3\\b", "\\b2\\b"),
      "ragged at depth 2",
    );
    throwsCleanly(
      // deno-lint-ignore no-explicit-any
      () => torch.tensor([[1, 2], 3] as any),
      /ragged|inconsistent|irregular|jagged|rectangular|nested|array|number/i,
      "array mixed with a number",
    );
  },

  "errors: data length does not match shape": () => {
    throwsCleanly(
      () => torch.tensor(new Float32Array(5), { shape: [2, 3] }),
      all("\\b5\\b", `(\\b6\\b|${shape(2, 3)})`),
      "5 values for shape [2, 3]",
    );
    throwsCleanly(
      () => torch.tensor([1, 2, 3, 4], { shape: [3] }),
      all("\\b4\\b", `(\\b3\\b|${shape(3)})`),
      "nested data of 4 for shape [3]",
    );
  },

  "errors: non-broadcastable shapes name both shapes": () => {
    const a = a23();
    const b = torch.tensor([1, 2, 3, 4]);
    const re = all(shape(2, 3), shape(4));
    throwsCleanly(() => a.add(b), re, "[2, 3] + [4]");
    throwsCleanly(() => torch.sub(a, b), re, "torch.sub([2, 3], [4])");
    throwsCleanly(() => a.mul(b), re, "[2, 3] * [4]");
    throwsCleanly(() => torch.div(a, b), re, "[2, 3] / [4]");
    const c = torch.zeros([2, 3, 4]);
    const d = torch.zeros([3, 2]);
    throwsCleanly(() => c.mul(d), all(shape(2, 3, 4), shape(3, 2)), "[2, 3, 4] * [3, 2]");
  },

  "errors: in-place op whose broadcast shape differs from the receiver's": () => {
    const a = torch.tensor([1, 2, 3]);
    const b = a23();
    throwsCleanly(() => a.add_(b), all(shape(3), shape(2, 3)), "[3].add_([2, 3])");
    throwsCleanly(() => a.mul_(b), all(shape(3), shape(2, 3)), "[3].mul_([2, 3])");
    const c4 = torch.zeros([4]);
    throwsCleanly(() => a.add_(c4), all(shape(3), shape(4)), "[3].add_([4])");
    assertEqual(values(a), [1, 2, 3], "receiver unchanged");
  },

  "errors: copy_ from a source of another size": () => {
    const a = a23();
    throwsCleanly(() => a.copy_([1, 2, 3, 4, 5]), all("\\b5\\b", `(\\b6\\b|${shape(2, 3)})`), "copy_ 5 values into [2, 3]");
    const z32 = torch.zeros([3, 2]);
    throwsCleanly(
      () => a.copy_(z32),
      all(shape(3, 2), shape(2, 3)),
      "copy_ [3, 2] into [2, 3]",
    );
    assertEqual(values(a), [1, 2, 3, 4, 5, 6], "receiver unchanged");
  },

  "errors: matmul with mismatched inner dimensions": () => {
    const a = a23();
    const b = torch.zeros([4, 5]);
    const re = all(/matmul|multipl|inner|dimension|shape|size/, "\\b3\\b", "\\b4\\b");
    throwsCleanly(() => a.matmul(b), re, "[2, 3]·[4, 5]");
    throwsCleanly(() => torch.matmul(a, b), re, "torch.matmul([2, 3], [4, 5])");
    const v3 = torch.tensor([1, 2, 3]);
    const v4 = torch.tensor([1, 2, 3, 4]);
    throwsCleanly(() => v3.matmul(v4), re, "[3]·[4]");
    const b223 = torch.zeros([2, 2, 3]);
    const b245 = torch.zeros([2, 4, 5]);
    throwsCleanly(() => b223.matmul(b245), re, "[2, 2, 3]·[2, 4, 5]");
  },

  "errors: backward() on a non-scalar without a gradient": () => {
    const a = torch.tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });
    const y = a.mul(2);
    throwsCleanly(() => y.backward(), all(/scalar/, shape(2, 3)), "backward() on [2, 3]");
    assertEqual(a.grad, null, "grad untouched");
    const g3 = torch.ones([3]);
    throwsCleanly(
      () => y.backward(g3),
      all(shape(3), shape(2, 3)),
      "backward with a gradient of shape [3] for an output of shape [2, 3]",
    );
    assertEqual(a.grad, null, "grad untouched");
    // nothing was consumed: a proper backward still works
    y.backward(torch.ones([2, 3]));
    assertClose(a.grad!.toArray(), [2, 2, 2, 2, 2, 2], "grad after the valid backward");
  },

  "errors: assigning a grad of another shape": () => {
    const a = torch.zeros([2, 3], { requiresGrad: true });
    const g = torch.zeros([3, 2]);
    throwsCleanly(() => {
      a.grad = g;
    }, all(shape(3, 2), shape(2, 3)), "grad [3, 2] for [2, 3]");
    assertEqual(a.grad, null, "grad still null");
    const ok = torch.ones([2, 3]);
    a.grad = ok;
    assertClose(a.grad!.toArray(), [1, 1, 1, 1, 1, 1], "a grad of the right shape is accepted");
    const g6 = torch.zeros([6]);
    throwsCleanly(() => {
      a.grad = g6;
    }, all(shape(6), shape(2, 3)), "grad [6] for [2, 3]");
    assertClose(a.grad!.toArray(), [1, 1, 1, 1, 1, 1], "previous grad kept");
  },

  "errors: unknown reduction": () => {
    const x = torch.zeros([2, 3]);
    const y = torch.zeros([2, 3]);
    const re = all(/reduction/, "avg");
    const nn = torch.nn;
    const F = torch.nn.functional;
    // the constructor or the call may throw; either way the message names the value
    throwsCleanly(() => new nn.MSELoss({ reduction: "avg" as "mean" }).forward(x, y), re, "MSELoss");
    throwsCleanly(() => new nn.L1Loss({ reduction: "avg" as "mean" }).forward(x, y), re, "L1Loss");
    throwsCleanly(
      () => new nn.CrossEntropyLoss({ reduction: "avg" as "mean" }).forward(x, [0, 2]),
      re,
      "CrossEntropyLoss",
    );
    throwsCleanly(() => new nn.BCEWithLogitsLoss({ reduction: "avg" as "mean" }).forward(x, y), re, "BCEWithLogitsLoss");
    throwsCleanly(() => F.mseLoss(x, y, { reduction: "avg" as "mean" }), re, "F.mseLoss");
    throwsCleanly(() => F.crossEntropy(x, [0, 2], { reduction: "avg" as "mean" }), re, "F.crossEntropy");
  },

  "errors: reshape to an incompatible size": () => {
    const a = a23();
    throwsCleanly(() => a.reshape([4, 2]), all(shape(4, 2), `(\\b6\\b|${shape(2, 3)})`), "[2, 3] → [4, 2]");
    throwsCleanly(() => a.reshape([-1, 4]), all(shape(-1, 4), `(\\b6\\b|${shape(2, 3)})`), "[2, 3] → [-1, 4]");
    assertEqual([...a.shape], [2, 3], "shape unchanged");
  },

  "errors: dimension out of range": () => {
    const a = a23();
    throwsCleanly(() => a.sum(2), all(/dim|range/, "\\b2\\b"), "sum(2) on 2-D");
    throwsCleanly(() => a.mean(-3), all(/dim|range/, "-3"), "mean(-3) on 2-D");
    throwsCleanly(() => a.transpose(0, 3), all(/dim|range/, "\\b3\\b"), "transpose(0, 3) on 2-D");
  },

  "errors: item() on a tensor with more than one element": () => {
    const a = a23();
    throwsCleanly(() => a.item(), all("\\b6\\b"), "item() on [2, 3]");
  },

  "errors: a disposed tensor used again": () => {
    const a = a23();
    const b = a23();
    a.dispose();
    const re = /disposed|released/i;
    throwsCleanly(() => a.add(1), re, "a.add(1) after dispose");
    throwsCleanly(() => b.add(a), re, "as the other operand");
    throwsCleanly(() => a.toArray(), re, "toArray() after dispose");
    throwsCleanly(() => a.item(), re, "item() after dispose");
    throwsCleanly(() => a.copy_([1, 2, 3, 4, 5, 6]), re, "copy_ after dispose");
    assertEqual(values(b), [1, 2, 3, 4, 5, 6], "the other operand is intact");
  },
};
