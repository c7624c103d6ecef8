"""Golden fixtures for autograd's version counters and for printing, from real PyTorch.

Run from the repository root:

    .venv/bin/python test/golden/gen_memory.py

Writes test/fixtures/memory.json:
  versions  {name: {raises, message | null, grads: {name: [values]} | null}}: small
            programs that modify a tensor in place after an op used it; PyTorch either
            refuses backward() (raises, with its message) or computes these grads. The JS
            replay (test/cases/memory_versions.ts) has one function per name, written as
            the same program.
  printing  [{shape, values, requiresGrad, repr}]: repr() of float32 tensors, with
            PyTorch's keyword requires_grad=True written as torchlet's requiresGrad=true.
"""

import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixture_numbers import f32_short, vals  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def leaf(values):
    return torch.tensor(values, dtype=torch.float32, requires_grad=True)


def run(program):
    """program() returns the leaves; it calls backward itself."""
    try:
        leaves = program()
    except RuntimeError as e:
        return {"raises": True, "message": str(e), "grads": None}
    return {"raises": False, "message": None,
            "grads": {k: vals(v.grad) if v.grad is not None else None for k, v in leaves.items()}}


def exp_result_modified():
    w = leaf([1.0, 2.0])
    y = w.exp()
    y.add_(1)
    y.sum().backward()
    return {"w": w}


def mul_input_modified():
    w = leaf([1.0, 2.0])
    d = w + 0
    z = w * d
    d.mul_(10)
    z.sum().backward()
    return {"w": w}


def add_input_modified():
    # add does not save its inputs: the later in-place op is allowed, and the graph built
    # before it still routes through d's old node (grad 1, not 10)
    w = leaf([1.0, 2.0])
    d = w + 0
    z = d + 1
    d.mul_(10)
    z.sum().backward()
    return {"w": w}


def constant_operand_modified():
    w = leaf([1.0, 2.0])
    d = torch.tensor([3.0, 4.0])
    z = w * d
    d.mul_(10)
    z.sum().backward()
    return {"w": w}


def modified_then_used():
    # the in-place op comes before the use: nothing saved is stale
    w = leaf([1.0, 2.0])
    d = torch.tensor([3.0, 4.0])
    d.mul_(10)
    z = w * d
    z.sum().backward()
    return {"w": w}


def relu_output_modified():
    w = leaf([-1.0, 2.0])
    y = w.relu()
    y.mul_(3)
    y.sum().backward()
    return {"w": w}


def sigmoid_then_inplace_chain():
    # in-place on a non-leaf whose producer saved nothing of it: grads flow through both
    w = leaf([0.5, -1.5])
    y = w * 2
    y.add_(1)
    y.mul_(3)
    (y * y).sum().backward()
    return {"w": w}


def matmul_weight_modified():
    w = leaf([[1.0, 2.0], [3.0, 4.0]])
    x = torch.tensor([[1.0, 0.5]])
    out = x @ w
    with torch.no_grad():
        w.sub_(0.1)  # what an optimizer step does between forward and backward
    out.sum().backward()
    return {"w": w}


def linear_input_modified():
    w = leaf([[1.0, 2.0], [3.0, 4.0]])
    x = torch.tensor([[1.0, 0.5]])
    out = torch.nn.functional.linear(x, w)
    x.mul_(2)
    out.sum().backward()
    return {"w": w}


def grad_of_detached_modified():
    # detach() shares the version counter: modifying the detached tensor is seen
    w = leaf([1.0, 2.0])
    y = w.exp()
    y.detach().zero_()
    y.sum().backward()
    return {"w": w}


def view_write_reaches_base():
    w = leaf([[1.0, 2.0], [3.0, 4.0]])
    h = w * 2
    h[0].mul_(0)
    h.sum().backward()
    return {"w": w}


def view_of_leaf_written():
    w = leaf([1.0, 2.0, 3.0])
    w[1:][0] = 9.0
    return {"w": w}


def overlapping_views():
    w = leaf([1.0, 2.0, 3.0, 4.0])
    b = w * 1
    v2 = b[0:2]
    v1 = b[1:3]
    v1.mul_(2)
    (v2 * torch.tensor([1.0, 10.0])).sum().backward()
    return {"w": w}


def base_written_after_view():
    w = leaf([1.0, 2.0, 3.0])
    b = w * 1
    v = b[0:2]
    b.mul_(3)
    (v * torch.tensor([1.0, 5.0])).sum().backward()
    return {"w": w}


def view_write_with_value_grad():
    w = leaf([1.0, 2.0, 3.0])
    x = leaf([5.0])
    b = w * 1
    b[1:2].copy_(x * 2)
    (b * torch.tensor([1.0, 2.0, 3.0])).sum().backward()
    return {"w": w, "x": x}


def transposed_view_write():
    w = leaf([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    b = w * 1
    b.t()[1].add_(10)
    b.t()[2].mul_(-1)
    (b * b).sum().backward()
    return {"w": w}


VERSIONS = {
    "in-place through a view reaches the base's grad": view_write_reaches_base,
    "a view of a leaf written in place": view_of_leaf_written,
    "overlapping views, one written": overlapping_views,
    "base written after a view was taken": base_written_after_view,
    "a view written with a value that requires grad": view_write_with_value_grad,
    "writes through transposed views": transposed_view_write,
    "exp result modified": exp_result_modified,
    "mul input modified": mul_input_modified,
    "add input modified": add_input_modified,
    "constant operand modified": constant_operand_modified,
    "modified then used": modified_then_used,
    "relu output modified": relu_output_modified,
    "in-place chain on a non-leaf": sigmoid_then_inplace_chain,
    "matmul weight modified by a step": matmul_weight_modified,
    "linear input modified": linear_input_modified,
    "detached view modified": grad_of_detached_modified,
}


def vals_nonfinite(t):
    """Values, with NaN and the infinities written as the strings "NaN", "Infinity", "-Infinity"."""
    out = []
    for x in t.reshape(-1).tolist():
        if x != x:
            out.append("NaN")
        elif x in (float("inf"), float("-inf")):
            out.append("Infinity" if x > 0 else "-Infinity")
        else:
            out.append(f32_short(x))
    return out


def printing():
    g = torch.Generator().manual_seed(7)
    cases = []

    def add(t, requires_grad=False, formula=None):
        t = t.to(torch.float32)
        if requires_grad:
            t.requires_grad_(True)
        r = repr(t).replace("requires_grad=True", "requiresGrad=true")
        case = {"shape": list(t.shape), "requiresGrad": requires_grad, "repr": r}
        if formula is None:
            case["values"] = vals_nonfinite(t.detach())
        else:
            case["formula"] = formula  # large: the replay computes the values itself
        cases.append(case)

    def pattern(*shape):
        """((i·7919) mod 2001 − 1000) / 16 for flat index i: exact in float32, easy to recompute."""
        n = 1
        for d in shape:
            n *= d
        i = torch.arange(n, dtype=torch.int64)
        return (((i * 7919) % 2001 - 1000).to(torch.float32) / 16).reshape(shape)

    add(torch.tensor(3.5))
    add(torch.tensor([1.0, 2.0, 3.0]))
    add(torch.tensor([[1.0, 2.5], [-3.25, 4.0]]))
    add(torch.randn(3, 4, generator=g))
    add(torch.randn(2, 3, 4, generator=g))
    add(torch.randn(5, generator=g), requires_grad=True)
    add(torch.tensor([1e-5, 1.0, 2.0]))
    add(torch.tensor([1e9, -2.0]))
    add(torch.tensor([0.0, -0.0, 1.0]))
    add(torch.tensor([float("nan"), float("inf"), -float("inf"), 1.5]))
    add(torch.tensor([1.03125, 2.00005, 0.00015]))  # ties and near-ties at 4 decimals
    add(torch.zeros(0))
    add(torch.zeros(2, 0))
    add(torch.zeros(3))
    add(torch.randn(30, generator=g))  # wraps at 80 columns
    add(pattern(1000, 1000), formula="pattern")  # summarised
    add(pattern(2000), formula="pattern")  # summarised 1-D
    add(pattern(10, 20, 30), formula="pattern")  # summarised 3-D
    add(torch.arange(24.0).reshape(2, 3, 4) * 1000)  # scientific
    return cases


def main():
    torch.set_num_threads(1)
    out = {"torch": torch.__version__,
           "versions": {name: run(fn) for name, fn in VERSIONS.items()},
           "printing": printing()}
    path = os.path.join(ROOT, "test", "fixtures", "memory.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
