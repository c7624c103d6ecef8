// Version counters and printing against PyTorch (test/fixtures/memory.json, written by
// test/golden/gen_memory.py): each program below is the fixture's program of the same name.
import * as torch from "../../build/torchlet.js";
import fx from "../fixtures/memory.json" with { type: "json" };
import { assert, assertClose, assertEqual, assertThrows } from "./assert.ts";

type Tensor = torch.Tensor;
interface VersionCase { raises: boolean; message: string | null; grads: Record<string, number[] | null> | null }
interface PrintCase { shape: number[]; values?: (number | string)[]; formula?: string; requiresGrad: boolean; repr: string }
const versions = (fx as unknown as { versions: Record<string, VersionCase> }).versions;
const printing = (fx as unknown as { printing: PrintCase[] }).printing;

const leaf = (v: number[] | number[][]) => torch.tensor(v, { requiresGrad: true });

const programs: Record<string, () => Record<string, Tensor>> = {
  "in-place through a view reaches the base's grad": () => {
    const w = leaf([[1, 2], [3, 4]]);
    const h = w.mul(2);
    h.index(0).mul_(0);
    h.sum().backward();
    return { w };
  },
  "a view of a leaf written in place": () => {
    const w = leaf([1, 2, 3]);
    w.index("1:").indexPut_([0], 9);
    return { w };
  },
  "overlapping views, one written": () => {
    const w = leaf([1, 2, 3, 4]);
    const b = w.mul(1);
    const v2 = b.index("0:2");
    const v1 = b.index("1:3");
    v1.mul_(2);
    v2.mul(torch.tensor([1, 10])).sum().backward();
    return { w };
  },
  "base written after a view was taken": () => {
    const w = leaf([1, 2, 3]);
    const b = w.mul(1);
    const v = b.index("0:2");
    b.mul_(3);
    v.mul(torch.tensor([1, 5])).sum().backward();
    return { w };
  },
  "a view written with a value that requires grad": () => {
    const w = leaf([1, 2, 3]);
    const x = torch.tensor([5], { requiresGrad: true });
    const b = w.mul(1);
    b.index("1:2").indexPut_([":"], x.mul(2));
    b.mul(torch.tensor([1, 2, 3])).sum().backward();
    return { w, x };
  },
  "writes through transposed views": () => {
    const w = leaf([[1, 2, 3], [4, 5, 6]]);
    const b = w.mul(1);
    b.t().index(1).add_(10);
    b.t().index(2).mul_(-1);
    b.mul(b).sum().backward();
    return { w };
  },
  "exp result modified": () => {
    const w = leaf([1, 2]);
    const y = w.exp();
    y.add_(1);
    y.sum().backward();
    return { w };
  },
  "mul input modified": () => {
    const w = leaf([1, 2]);
    const d = w.add(0);
    const z = w.mul(d);
    d.mul_(10);
    z.sum().backward();
    return { w };
  },
  "add input modified": () => {
    const w = leaf([1, 2]);
    const d = w.add(0);
    const z = d.add(1);
    d.mul_(10);
    z.sum().backward();
    return { w };
  },
  "constant operand modified": () => {
    const w = leaf([1, 2]);
    const d = torch.tensor([3, 4]);
    const z = w.mul(d);
    d.mul_(10);
    z.sum().backward();
    return { w };
  },
  "modified then used": () => {
    const w = leaf([1, 2]);
    const d = torch.tensor([3, 4]);
    d.mul_(10);
    w.mul(d).sum().backward();
    return { w };
  },
  "relu output modified": () => {
    const w = leaf([-1, 2]);
    const y = w.relu();
    y.mul_(3);
    y.sum().backward();
    return { w };
  },
  "in-place chain on a non-leaf": () => {
    const w = leaf([0.5, -1.5]);
    const y = w.mul(2);
    y.add_(1);
    y.mul_(3);
    y.mul(y).sum().backward();
    return { w };
  },
  "matmul weight modified by a step": () => {
    const w = leaf([[1, 2], [3, 4]]);
    const x = torch.tensor([[1, 0.5]]);
    const out = x.matmul(w);
    torch.noGrad(() => { w.sub_(0.1); });
    out.sum().backward();
    return { w };
  },
  "linear input modified": () => {
    const w = leaf([[1, 2], [3, 4]]);
    const x = torch.tensor([[1, 0.5]]);
    const out = torch.nn.functional.linear(x, w);
    x.mul_(2);
    out.sum().backward();
    return { w };
  },
  "detached view modified": () => {
    const w = leaf([1, 2]);
    const y = w.exp();
    y.detach().zero_();
    y.sum().backward();
    return { w };
  },
};

function valuesOf(c: PrintCase): Float32Array {
  if (c.formula === "pattern") {
    const n = c.shape.reduce((a, b) => a * b, 1);
    return Float32Array.from({ length: n }, (_, i) => ((i * 7919) % 2001 - 1000) / 16);
  }
  return Float32Array.from(c.values!, (v) => (typeof v === "number" ? v : Number(v)));
}

export const tests: Record<string, () => void> = {};

for (const [name, expected] of Object.entries(versions)) {
  tests[`versions: ${name} (PyTorch ${expected.raises ? "refuses backward()" : "computes the grads"})`] = () => {
    const program = programs[name];
    assert(program !== undefined, `a program for fixture case "${name}"`);
    if (expected.raises) {
      // PyTorch's message up to its hint, which names PyTorch's own anomaly mode
      const head = expected.message!.slice(0, expected.message!.indexOf(" Hint:"));
      const e = assertThrows(program, /modified by an inplace operation|in-place operation/);
      const body = e.message.replace(/^[\w_]+\(?\)?: /, ""); // torchlet prefixes the op's name
      assert(body.startsWith(head.replace(/\.$/, "")), `message ${JSON.stringify(e.message)} starts with PyTorch's ${JSON.stringify(head)}`);
    } else {
      const leaves = program();
      for (const [k, g] of Object.entries(expected.grads!)) {
        if (g === null) assertEqual(leaves[k].grad, null, `${k}.grad`);
        else assertClose(leaves[k].grad!.toArray(), g, `${k}.grad`);
      }
    }
  };
}

tests["versions: a refused backward() writes no grad and frees nothing it needs"] = () => {
  const w = leaf([1, 2]);
  const v = leaf([3, 4]);
  const y = w.exp();
  const z = y.mul(v).sum();
  y.add_(1);
  assertThrows(() => z.backward(), /modified by an inplace operation/);
  assertEqual(w.grad, null, "w.grad");
  assertEqual(v.grad, null, "v.grad");
};

tests["versions: an optimizer step between forward and backward is refused when the weights were saved"] = () => {
  const w = leaf([1, 2]);
  const x = torch.tensor([3, 4], { requiresGrad: true });
  const loss = w.mul(x).sum(); // x's grad needs w
  const opt = new torch.optim.SGD([w], { lr: 0.1 });
  w.grad = torch.ones([2]);
  opt.step();
  assertThrows(() => loss.backward(), /is at version 1; expected version 0/);
};

tests["versions: in-place on a leaf that requires grad is refused outside noGrad, as in PyTorch"] = () => {
  const w = leaf([1, 2]);
  assertThrows(() => w.add_(1), /a leaf Variable that requires grad is being used in an in-place operation/);
  assertClose(w.toArray(), [1, 2], "w unchanged");
  torch.noGrad(() => w.add_(1));
  assertClose(w.toArray(), [2, 3], "inside noGrad it is allowed");
};

printing.forEach((c, i) => {
  tests[`printing ${i}: shape [${c.shape.join(", ")}] as PyTorch prints it`] = () => {
    const t = torch.tensor(valuesOf(c), { shape: c.shape, requiresGrad: c.requiresGrad });
    assertEqual(String(t), c.repr, "String(t)");
    assertEqual(t.toString(), c.repr, "t.toString()");
  };
});

tests["printing: a tensor with a grad_fn names it"] = () => {
  const t = torch.tensor([1, 2], { requiresGrad: true }).mul(2);
  assertEqual(String(t), "tensor([2., 4.], gradFn=<MulBackward0>)", "String(t)");
};

tests["printing: JSON.stringify writes dtype, shape and values"] = () => {
  const t = torch.tensor([[1, 2.5], [3, 4]]);
  assertEqual(JSON.parse(JSON.stringify(t)), { dtype: "float32", shape: [2, 2], values: [1, 2.5, 3, 4] }, "JSON");
};

tests["anomaly detection: backward() names the op whose gradient is NaN and writes no grad"] = () => {
  const w = torch.tensor([1, -1], { requiresGrad: true });
  const v = torch.tensor([2, 3], { requiresGrad: true });
  // v's grad is sqrt(w) = [1, NaN]: PyTorch 2.13 reports "Function 'MulBackward0' returned
  // nan values in its 1th output." for this program
  const loss = w.sqrt().mul(v).sum();
  torch.autograd.setDetectAnomaly(true);
  try {
    assertThrows(() => loss.backward(), /^Function 'MulBackward0' returned nan values in its 1th output/);
  } finally {
    torch.autograd.setDetectAnomaly(false);
  }
  assertEqual(w.grad, null, "w.grad untouched");
  assertEqual(v.grad, null, "v.grad untouched");
  assert(!torch.autograd.isAnomalyEnabled(), "off again");
};
