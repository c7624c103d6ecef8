// Bad input to the indexing family that PyTorch's fixtures cannot express (torchlet's own
// call forms: key arrays, options objects, JS values as keys), and autograd refusals. Each
// call throws a message naming the argument and the value, and changes nothing: operands'
// values, live tensors and bytes are as before.
import * as torch from "../../build/torchlet.js";
import { assertEqual, assertThrows } from "./assert.ts";

type Tensor = ReturnType<typeof torch.tensor>;

function throwsCleanly(operands: Tensor[], fn: () => unknown, re: RegExp, what: string): void {
  const values = operands.map((t) => Array.from(t.toArray()));
  const before = torch.memory();
  assertThrows(fn, re, what);
  const after = torch.memory();
  if (after.evictions === before.evictions) {
    assertEqual([after.tensors, after.bytesInUse], [before.tensors, before.bytesInUse], `${what}: live tensors and bytes unchanged`);
  }
  assertEqual(operands.map((t) => Array.from(t.toArray())), values, `${what}: operands unchanged`);
}

const int = (v: number[] | number[][]) => torch.tensor(v, { dtype: "int32" });
// deno-lint-ignore no-explicit-any
type Any = any;

export const tests: Record<string, () => void> = {
  "ops_index errors: keys that are not keys": () => {
    const x = torch.zeros([3, 4]);
    throwsCleanly([x], () => x.index("1:a"), /invalid key "1:a"/, "a slice part that is not an integer");
    throwsCleanly([x], () => x.index("a"), /invalid key "a".*slice "start:stop:step"/, "a string that is no key");
    throwsCleanly([x], () => x.index(0.5), /valid indices.*the number 0\.5/, "a fractional number");
    throwsCleanly([x], () => x.index({} as Any), /valid indices.*object/, "an object");
    throwsCleanly([x], () => x.index(undefined as Any), /valid indices.*undefined/, "undefined");
    throwsCleanly([x], () => x.index("...", "..."), /single ellipsis/, "two ellipses");
    throwsCleanly([x], () => x.index("::0"), /slice step cannot be zero.*"::0"/, "a zero step");
    throwsCleanly([x], () => x.index([0, true]), /mixes integers and booleans/, "an array of ints and booleans");
    throwsCleanly([x], () => x.index([0, 1.5]), /long, int, byte or bool.*1\.5/, "an array holding a fraction");
    throwsCleanly([x], () => x.index([[0, 1], [2]]), /ragged/, "a ragged index array");
    throwsCleanly([x], () => x.index([2 ** 32]), /index 4294967296 is out of bounds/, "an index beyond int32");
    const d = int([0]);
    d.dispose();
    throwsCleanly([x], () => x.index(d), /disposed/, "a disposed index tensor");
    const s = torch.tensor(3);
    throwsCleanly([s], () => s.index(0), /invalid index of a 0-dim tensor/, "an int key on a 0-dim tensor");
  },

  "ops_index errors: indexPut_ call forms": () => {
    const x = torch.zeros([3, 4]);
    const v = torch.ones([4]);
    throwsCleanly([x, v], () => x.indexPut_(0 as Any, v), /keys must be an array of keys.*got number/, "keys not in an array");
    const i0 = int([0]);
    throwsCleanly([x, v], () => x.indexPut_(i0 as Any, v), /keys must be an array.*wrap it/, "a tensor as keys");
    throwsCleanly([x, v], () => x.indexPut_([0], v, { acumulate: true } as Any), /unknown option "acumulate".*did you mean "accumulate"/, "a misspelt option");
    throwsCleanly([x, v], () => x.indexPut_([0], v, { accumulate: 1 } as Any), /accumulate must be a boolean, got 1/, "accumulate not a boolean");
    throwsCleanly([x], () => x.indexPut_([0], "1" as Any), /value must be a Tensor or a number, got string/, "a string value");
    throwsCleanly([x, v], () => x.indexPut_([0, 0, 0], v), /too many indices for tensor of dimension 2/, "too many keys");
    const big = torch.ones([3, 4]);
    throwsCleanly([x, big], () => x.indexPut_(["0:2"], big), /shape mismatch: value tensor of shape \[3, 4\].*\[2, 4\]/, "a basic key with a value of the wrong shape");
  },

  "ops_index errors: in-place writes to a leaf that requires grad": () => {
    const w = torch.ones([3], { requiresGrad: true });
    const s = torch.ones([1]);
    const i1 = int([1]);
    throwsCleanly([w], () => w.indexPut_([0], 5), /leaf Variable that requires grad is being used in an in-place operation/, "indexPut_ on a leaf");
    throwsCleanly([w, s], () => w.scatter_(0, i1, s), /leaf Variable that requires grad/, "scatter_ on a leaf");
    throwsCleanly([w, s], () => w.scatterAdd_(0, i1, s), /leaf Variable that requires grad/, "scatterAdd_ on a leaf");
    torch.noGrad(() => w.indexPut_([0], 5));
    assertEqual(Array.from(w.toArray()), [5, 1, 1], "indexPut_ on a leaf inside noGrad");
  },

  "ops_index errors: gather, scatter and indexSelect arguments": () => {
    const x = torch.zeros([2, 3]);
    const i = int([0, 1]);
    const row = int([[0, 1]]);
    throwsCleanly([x], () => x.gather(1, [[0]] as Any), /index must be an int32 Tensor, got object/, "an array as gather's index");
    throwsCleanly([x, i], () => x.gather(2, i), /dim 2 is out of range/, "gather's dim out of range");
    throwsCleanly([x, i], () => x.scatter(0, row, 1, { reduce: "add" } as Any), /reduce argument is not supported/, "scatter's reduce");
    throwsCleanly([x, i], () => torch.scatter(x, 0, row, 1, "add" as never), /reduce argument is not supported/, "torch.scatter's reduce");
    throwsCleanly([x, i], () => x.scatterAdd(1, row, 2 as Any), /src must be a Tensor, got number/, "scatterAdd with a number");
    const f = torch.tensor([0]);
    throwsCleanly([x, f], () => x.indexSelect(0, f), /Expected dtype int32\/int64 for index, got float32/, "a float index");
    throwsCleanly([x], () => torch.gather(null as Any, 0, i), /gather\(\): input must be a Tensor, got null/, "torch.gather of null");
  },

  "ops_index errors: cat, stack, split and chunk arguments": () => {
    const a = torch.zeros([2, 3]);
    throwsCleanly([a], () => torch.cat(a as Any), /must be an array of Tensors, not a Tensor/, "cat of a tensor");
    throwsCleanly([a], () => torch.cat([a, 5 as Any]), /expected Tensor as element 1 in argument 0, but got number/, "cat with a number");
    throwsCleanly([], () => torch.cat([]), /expected a non-empty list of Tensors/, "cat of nothing");
    throwsCleanly([a], () => torch.stack([a, a], 3), /dim 3 is out of range/, "stack's dim out of range");
    throwsCleanly([], () => torch.stack([]), /non-empty list of Tensors/, "stack of nothing");
    throwsCleanly([a], () => a.split(1.5), /split_size must be an integer.*1\.5/, "a fractional split size");
    throwsCleanly([a], () => a.split(-1), /split_size be non-negative, but got split_size=-1/, "a negative split size");
    throwsCleanly([a], () => a.split([-1, 3]), /only non-negative entries.*\[-1, 3\]/, "a negative section");
    throwsCleanly([a], () => a.split(0), /split_size can only be 0 if dimension size is 0.*2/, "a zero split size");
    throwsCleanly([a], () => a.chunk(2.5), /chunks must be an integer, got 2\.5/, "fractional chunks");
    const s = torch.tensor(1);
    throwsCleanly([s], () => s.split(1), /split expects at least a 1-dimensional tensor/, "split of a 0-dim tensor");
  },

  "ops_index errors: backward refuses once a saved index tensor changed in place": () => {
    const x = torch.tensor([1, 2, 3], { requiresGrad: true });
    const i = int([0, 2]);
    const y = x.index(i).sum();
    i.add_(1);
    assertThrows(() => y.backward(), /modified by an inplace operation/, "index tensor changed after index()");
    assertEqual(x.grad, null, "no grad written");
  },
};
