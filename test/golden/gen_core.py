"""Golden fixtures for torchlet's core, from real PyTorch (2.x CPU, float32).

Run from the repository root:

    .venv/bin/python test/golden/gen_core.py

Writes
  test/fixtures/core.json  forward values and gradients of tensor/nn expressions
  test/fixtures/seed.json  the seed's TestNet loop on the Boston data, step by step

Deterministic: every case draws its inputs from its own torch.Generator seeded with
crc32(case name), so adding a case never changes another. Inputs are written into the
fixture; the JS side never generates random inputs. Every number is float32, written as
the shortest decimal that reads back as the same float32.

Each case in core.json:
  inputs    {name: {shape, values, requiresGrad}}  (flat row-major values)
  output    {shape, values}
  upstream  {shape, values} | null  gradient passed to output.backward(); null when the
            output is a scalar (backward()) or when backward is "self"/"none"
  backward  "auto"  the replay calls output.backward(upstream?) once
            "self"  the expression calls backward itself (e.g. twice, to accumulate)
            "none"  no backward (in-place results)
  grads     {name: {shape, values} | null} for every input with requiresGrad
  expr      the PyTorch expression, for humans
The JS replay (test/cases/core_golden.ts) has one function per case name.
"""

import csv
import json
import math
import os
import sys
import warnings
import zlib

warnings.filterwarnings("ignore")  # "Failed to initialize NumPy": numpy is not needed

import torch  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixture_numbers import f32_short, vals  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
FIXTURES = os.path.join(ROOT, "test", "fixtures")

torch.set_num_threads(1)  # reductions in one fixed order
torch.use_deterministic_algorithms(True)


# ---------------------------------------------------------------------------- numbers




def rec(t):
    return {"shape": list(t.shape), "values": vals(t)}


# ---------------------------------------------------------------------------- inputs


class Gen:
    """Seeded float32 input generator for one case."""

    def __init__(self, name):
        self.g = torch.Generator().manual_seed(zlib.crc32(name.encode()))

    def _q(self, t):
        # round through the fixture's own decimal form so PyTorch sees exactly what JS reads
        return torch.tensor([f32_short(x) for x in t.reshape(-1).tolist()],
                            dtype=torch.float32).reshape(t.shape)

    def randn(self, *shape):
        return self._q(torch.randn(shape, generator=self.g))

    def pos(self, *shape, lo=0.5, hi=2.0):
        """Uniform in [lo, hi): for log, sqrt, divisors, fractional/negative powers."""
        return self._q(torch.rand(shape, generator=self.g) * (hi - lo) + lo)

    def nonzero(self, *shape):
        """Normal values pushed away from 0 (|x| >= 0.1): for abs, relu."""
        x = torch.randn(shape, generator=self.g)
        return self._q(torch.sign(x) * (x.abs() + 0.1))

    def uniform(self, *shape):
        return self._q(torch.rand(shape, generator=self.g))

    def ints(self, n, high):
        return torch.randint(0, high, (n,), generator=self.g)


CASES = {}


def case(name, expr, inputs, fn, backward="auto"):
    """inputs: list of (name, tensor, requiresGrad[, is_index]); fn(**tensors) -> output."""
    assert name not in CASES, name
    ts = {}
    spec = {}
    for item in inputs:
        iname, t, rg = item[0], item[1], item[2]
        is_index = len(item) > 3 and item[3]
        if is_index:
            tt = t.clone().to(torch.int64)
            spec[iname] = {"shape": list(t.shape), "values": [int(x) for x in t.tolist()],
                           "requiresGrad": False, "dtype": "int"}
        else:
            tt = t.clone().to(torch.float32).requires_grad_(rg)
            spec[iname] = {"shape": list(t.shape), "values": vals(t), "requiresGrad": rg}
        ts[iname] = tt
    gen = Gen(name + "/upstream")
    out = fn(**ts)
    upstream = None
    if backward == "auto":
        if out.dim() == 0:
            out.backward()
        else:
            upstream = gen.randn(*out.shape)
            out.backward(upstream)
    grads = {}
    for iname, tt in ts.items():
        if spec[iname]["requiresGrad"]:
            grads[iname] = None if tt.grad is None else rec(tt.grad)
    check_f64(name, inputs, fn, backward, out, upstream, ts, spec)
    CASES[name] = {
        "expr": expr,
        "inputs": spec,
        "output": rec(out),
        "upstream": None if upstream is None else rec(upstream),
        "backward": backward,
        "grads": grads,
    }


def check_f64(name, inputs, fn, backward, out, upstream, ts, spec):
    """Recompute a case in float64: the float32 fixture must sit well inside the replay
    tolerance of the exact result, so an implementation that sums in another order passes.
    Cases whose function builds float32 tensors itself are skipped (the dtypes clash)."""
    ts64 = {}
    for item in inputs:
        iname, t, rg = item[0], item[1], item[2]
        if spec[iname].get("dtype") == "int":
            ts64[iname] = t.clone().to(torch.int64)
        else:
            ts64[iname] = t.clone().to(torch.float64).requires_grad_(rg)
    try:
        out64 = fn(**ts64)
        if backward == "auto":
            if out64.dim() == 0:
                out64.backward()
            else:
                out64.backward(upstream.to(torch.float64))
    except RuntimeError:
        return
    pairs = [("output", out.detach(), out64.detach())]
    for iname in ts:
        if spec[iname]["requiresGrad"] and ts[iname].grad is not None:
            pairs.append((f"grad {iname}", ts[iname].grad, ts64[iname].grad))
    for what, a, b in pairs:
        ratio = ((a.double() - b).abs() / (1e-5 + 1e-4 * b.abs())).max().item() if a.numel() else 0
        if ratio > 0.1:
            raise AssertionError(f"{name}: {what} float32 is {ratio:.2f} tolerances from float64")
        CHECKED.add(name)


CHECKED = set()


def module_case(name, expr, build, x, extra, forward, backward="auto"):
    """Like case() for a module: its parameters become inputs named by named_parameters().

    build() -> module (created under a fixed seed; its default init becomes the fixture's
    parameter values, which JS copies in with copy_). forward(module, x, **extra) -> out.
    """
    torch.manual_seed(zlib.crc32(name.encode()))
    m = build()
    params = dict(m.named_parameters())
    inputs = [(k, p.detach().clone(), True) for k, p in params.items()] + [x] + extra

    def fn(**ts):
        with torch.no_grad():
            for k, p in params.items():
                p.copy_(ts[k])
        # the module's own parameters are the leaves; route their grads back to the inputs
        out = forward(m, **{k: v for k, v in ts.items() if k not in params})
        return out

    # run through case() but take grads from the module's parameters
    case(name, expr, inputs, fn, backward=backward)
    c = CASES[name]
    for k, p in params.items():
        c["grads"][k] = None if p.grad is None else rec(p.grad)


# ---------------------------------------------------------------------------- element-wise


def build_elementwise():
    g = Gen("add_same")
    case("add_same", "a.add(b)", [("a", g.randn(2, 3), True), ("b", g.randn(2, 3), True)],
         lambda a, b: a.add(b))
    g = Gen("add_scalar0d")
    case("add_scalar0d", "a.add(s)  # s.shape == []",
         [("a", g.randn(2, 3), True), ("s", g.randn(), True)], lambda a, s: a.add(s))
    g = Gen("add_scalar1")
    case("add_scalar1", "s.add(a)  # s.shape == [1]",
         [("s", g.randn(1), True), ("a", g.randn(2, 3), True)], lambda s, a: s.add(a))
    g = Gen("sub_row")
    case("sub_row", "a.sub(r)  # r: [1, 4]",
         [("a", g.randn(3, 4), True), ("r", g.randn(1, 4), True)], lambda a, r: a.sub(r))
    g = Gen("sub_row1d")
    case("sub_row1d", "torch.sub(a, r)  # r: [4]",
         [("a", g.randn(3, 4), True), ("r", g.randn(4), True)], lambda a, r: torch.sub(a, r))
    g = Gen("mul_col")
    case("mul_col", "a.mul(c)  # c: [3, 1]",
         [("a", g.randn(3, 4), True), ("c", g.randn(3, 1), True)], lambda a, c: a.mul(c))
    g = Gen("div_col")
    case("div_col", "a.div(c)  # c: [3, 1], positive",
         [("a", g.randn(3, 4), True), ("c", g.pos(3, 1), True)], lambda a, c: a.div(c))
    g = Gen("div_row_left")
    case("div_row_left", "r.div(a)  # r: [4] broadcast on the left operand",
         [("r", g.randn(4), True), ("a", g.pos(3, 4), True)], lambda r, a: r.div(a))
    g = Gen("mul_3d_col")
    case("mul_3d_col", "a.mul(b)  # [2, 1, 4] * [3, 1] -> [2, 3, 4]",
         [("a", g.randn(2, 1, 4), True), ("b", g.randn(3, 1), True)], lambda a, b: a.mul(b))
    g = Gen("add_3d_row")
    case("add_3d_row", "torch.add(a, b)  # [2, 3, 4] + [4]",
         [("a", g.randn(2, 3, 4), True), ("b", g.randn(4), True)], lambda a, b: torch.add(a, b))
    g = Gen("sub_3d_both")
    case("sub_3d_both", "a.sub(b)  # [2, 3, 1] - [1, 1, 4] -> [2, 3, 4]",
         [("a", g.randn(2, 3, 1), True), ("b", g.randn(1, 1, 4), True)], lambda a, b: a.sub(b))
    g = Gen("div_3d_batch")
    case("div_3d_batch", "torch.div(a, b)  # [2, 3, 4] / [2, 1, 1]",
         [("a", g.randn(2, 3, 4), True), ("b", g.pos(2, 1, 1), True)],
         lambda a, b: torch.div(a, b))
    g = Gen("mul_scalar0d_3d")
    case("mul_scalar0d_3d", "torch.mul(s, a)  # [] * [2, 2, 3]",
         [("s", g.randn(), True), ("a", g.randn(2, 2, 3), True)], lambda s, a: torch.mul(s, a))
    g = Gen("add_nograd_operand")
    case("add_nograd_operand", "a.add(b)  # b.requiresGrad = false",
         [("a", g.randn(2, 3), True), ("b", g.randn(3), False)], lambda a, b: a.add(b))
    g = Gen("scalar_ops_0d")
    case("scalar_ops_0d", "a.mul(b).add(a)  # both shape []",
         [("a", g.randn(), True), ("b", g.randn(), True)], lambda a, b: a.mul(b).add(a))

    # number operands
    g = Gen("add_number")
    case("add_number", "a.add(2.5)", [("a", g.randn(2, 3), True)], lambda a: a.add(2.5))
    g = Gen("sub_number")
    case("sub_number", "a.sub(1.5)", [("a", g.randn(2, 3), True)], lambda a: a.sub(1.5))
    g = Gen("mul_number")
    case("mul_number", "torch.mul(a, -3)", [("a", g.randn(2, 3), True)],
         lambda a: torch.mul(a, -3))
    g = Gen("div_number")
    case("div_number", "torch.div(a, 4)", [("a", g.randn(2, 3), True)],
         lambda a: torch.div(a, 4))
    g = Gen("sub_number_first")
    case("sub_number_first", "torch.sub(2, a)", [("a", g.randn(2, 3), True)],
         lambda a: torch.sub(2, a))
    g = Gen("div_number_first")
    case("div_number_first", "torch.div(3, a)  # a positive", [("a", g.pos(2, 3), True)],
         lambda a: torch.div(3, a))

    # unary
    g = Gen("neg")
    case("neg", "a.neg()", [("a", g.randn(2, 3), True)], lambda a: a.neg())
    g = Gen("pow_2")
    case("pow_2", "a.pow(2)  # mixed signs", [("a", g.randn(2, 3), True)], lambda a: a.pow(2))
    g = Gen("pow_3")
    case("pow_3", "torch.pow(a, 3)  # mixed signs", [("a", g.randn(2, 3), True)],
         lambda a: torch.pow(a, 3))
    g = Gen("pow_half")
    case("pow_half", "a.pow(0.5)  # a positive", [("a", g.pos(2, 3), True)],
         lambda a: a.pow(0.5))
    g = Gen("pow_neg_frac")
    case("pow_neg_frac", "a.pow(-1.5)  # a positive", [("a", g.pos(2, 3), True)],
         lambda a: a.pow(-1.5))
    g = Gen("pow_neg_int")
    case("pow_neg_int", "a.pow(-2)  # a positive", [("a", g.pos(2, 3), True)],
         lambda a: a.pow(-2))
    g = Gen("exp")
    case("exp", "a.exp()", [("a", g.randn(2, 3), True)], lambda a: a.exp())
    g = Gen("log")
    case("log", "torch.log(a)  # a positive", [("a", g.pos(2, 3, lo=0.1, hi=3.0), True)],
         lambda a: torch.log(a))
    g = Gen("sqrt")
    case("sqrt", "a.sqrt()  # a positive", [("a", g.pos(2, 3, lo=0.1, hi=3.0), True)],
         lambda a: a.sqrt())
    g = Gen("abs")
    case("abs", "a.abs()  # |a| >= 0.1", [("a", g.nonzero(2, 3), True)], lambda a: a.abs())
    g = Gen("relu")
    case("relu", "a.relu()  # |a| >= 0.1", [("a", g.nonzero(3, 4), True)], lambda a: a.relu())
    g = Gen("relu_fn")
    case("relu_fn", "torch.relu(a)  # |a| >= 0.1", [("a", g.nonzero(5), True)],
         lambda a: torch.relu(a))
    g = Gen("sigmoid")
    case("sigmoid", "a.sigmoid()", [("a", g.randn(2, 3).mul(3), True)],
         lambda a: a.sigmoid())
    g = Gen("tanh")
    case("tanh", "torch.tanh(a)", [("a", g.randn(2, 3).mul(2), True)],
         lambda a: torch.tanh(a))
    g = Gen("unary_chain")
    case("unary_chain", "a.abs().add(1).log().sqrt().neg().exp().sigmoid().tanh()",
         [("a", g.randn(3, 2), True)],
         lambda a: a.abs().add(1).log().sqrt().neg().exp().sigmoid().tanh())


# ---------------------------------------------------------------------------- reductions


def build_reductions():
    g = Gen("sum_all")
    case("sum_all", "a.sum()", [("a", g.randn(3, 4), True)], lambda a: a.sum())
    g = Gen("mean_all")
    case("mean_all", "torch.mean(a)", [("a", g.randn(2, 3, 4), True)], lambda a: torch.mean(a))
    g = Gen("sum_dim0")
    case("sum_dim0", "a.sum(0)", [("a", g.randn(3, 4), True)], lambda a: a.sum(0))
    g = Gen("sum_dim1_keepdim")
    case("sum_dim1_keepdim", "a.sum(1, true)", [("a", g.randn(3, 4), True)],
         lambda a: a.sum(1, keepdim=True))
    g = Gen("sum_neg1")
    case("sum_neg1", "torch.sum(a, -1)", [("a", g.randn(2, 3, 4), True)],
         lambda a: torch.sum(a, -1))
    g = Gen("sum_3d_dim1")
    case("sum_3d_dim1", "a.sum(1)", [("a", g.randn(2, 3, 4), True)], lambda a: a.sum(1))
    g = Gen("sum_3d_neg3_keepdim")
    case("sum_3d_neg3_keepdim", "a.sum(-3, true)", [("a", g.randn(2, 3, 4), True)],
         lambda a: a.sum(-3, keepdim=True))
    g = Gen("mean_dim1")
    case("mean_dim1", "a.mean(1)", [("a", g.randn(3, 5), True)], lambda a: a.mean(1))
    g = Gen("mean_neg1_keepdim")
    case("mean_neg1_keepdim", "a.mean(-1, true)", [("a", g.randn(2, 3, 4), True)],
         lambda a: a.mean(-1, keepdim=True))
    g = Gen("mean_3d_dim0_keepdim")
    case("mean_3d_dim0_keepdim", "torch.mean(a, 0, true)", [("a", g.randn(2, 3, 4), True)],
         lambda a: torch.mean(a, 0, keepdim=True))
    g = Gen("mean_neg2")
    case("mean_neg2", "a.mean(-2)", [("a", g.randn(2, 3, 4), True)], lambda a: a.mean(-2))
    g = Gen("sum_1d_dim0")
    case("sum_1d_dim0", "a.sum(0)  # 1-D -> []", [("a", g.randn(5), True)], lambda a: a.sum(0))
    g = Gen("sum_1d_keepdim")
    case("sum_1d_keepdim", "a.sum(0, true)  # 1-D -> [1]", [("a", g.randn(5), True)],
         lambda a: a.sum(0, keepdim=True))
    g = Gen("keepdim_broadcast")
    case("keepdim_broadcast", "a.sub(a.mean(-1, true)).div(a.sum(0, true).abs().add(1))",
         [("a", g.randn(3, 4), True)],
         lambda a: a.sub(a.mean(-1, keepdim=True)).div(a.sum(0, keepdim=True).abs().add(1)))
    g = Gen("softmax_composite")
    case("softmax_composite", "a.exp().div(a.exp().sum(-1, true))",
         [("a", g.randn(3, 4), True)],
         lambda a: a.exp().div(a.exp().sum(-1, keepdim=True)))


# ---------------------------------------------------------------------------- matmul, shape


def build_matmul_shape():
    g = Gen("matmul_1d_1d")
    case("matmul_1d_1d", "a.matmul(b)  # [5]·[5] -> []",
         [("a", g.randn(5), True), ("b", g.randn(5), True)], lambda a, b: a.matmul(b))
    g = Gen("matmul_2d_1d")
    case("matmul_2d_1d", "a.matmul(b)  # [3, 4]·[4] -> [3]",
         [("a", g.randn(3, 4), True), ("b", g.randn(4), True)], lambda a, b: a.matmul(b))
    g = Gen("matmul_1d_2d")
    case("matmul_1d_2d", "torch.matmul(a, b)  # [3]·[3, 4] -> [4]",
         [("a", g.randn(3), True), ("b", g.randn(3, 4), True)],
         lambda a, b: torch.matmul(a, b))
    g = Gen("matmul_2d_2d")
    case("matmul_2d_2d", "a.matmul(b)  # [3, 4]·[4, 5]",
         [("a", g.randn(3, 4), True), ("b", g.randn(4, 5), True)], lambda a, b: a.matmul(b))
    g = Gen("matmul_2d_2d_large")
    case("matmul_2d_2d_large", "a.matmul(b)  # [9, 17]·[17, 7] (SIMD tails)",
         [("a", g.randn(9, 17), True), ("b", g.randn(17, 7), True)], lambda a, b: a.matmul(b))
    g = Gen("matmul_3d_3d")
    case("matmul_3d_3d", "a.matmul(b)  # [2, 3, 4]·[2, 4, 5]",
         [("a", g.randn(2, 3, 4), True), ("b", g.randn(2, 4, 5), True)],
         lambda a, b: a.matmul(b))
    g = Gen("matmul_3d_2d")
    case("matmul_3d_2d", "a.matmul(b)  # [2, 3, 4]·[4, 5] (b broadcast over the batch)",
         [("a", g.randn(2, 3, 4), True), ("b", g.randn(4, 5), True)],
         lambda a, b: a.matmul(b))
    g = Gen("matmul_t")
    case("matmul_t", "a.matmul(b.t())  # [3, 4]·[5, 4]ᵀ",
         [("a", g.randn(3, 4), True), ("b", g.randn(5, 4), True)],
         lambda a, b: a.matmul(b.t()))
    g = Gen("matmul_tA")
    case("matmul_tA", "a.t().matmul(b)  # [4, 3]ᵀ·[4, 5]",
         [("a", g.randn(4, 3), True), ("b", g.randn(4, 5), True)],
         lambda a, b: a.t().matmul(b))
    g = Gen("t")
    case("t", "a.t()", [("a", g.randn(2, 3), True)], lambda a: a.t())
    g = Gen("t_1d")
    case("t_1d", "a.t()  # 1-D: unchanged", [("a", g.randn(4), True)], lambda a: a.t())
    g = Gen("transpose_3d")
    case("transpose_3d", "a.transpose(0, 2)", [("a", g.randn(2, 3, 4), True)],
         lambda a: a.transpose(0, 2))
    g = Gen("transpose_neg")
    case("transpose_neg", "torch.transpose(a, -1, -2).mul(w)  # w: [4, 3]",
         [("a", g.randn(2, 3, 4), True), ("w", g.randn(4, 3), True)],
         lambda a, w: torch.transpose(a, -1, -2).mul(w))
    g = Gen("reshape")
    case("reshape", "a.reshape([6, 4]).mul(w)  # w: [4]",
         [("a", g.randn(2, 3, 4), True), ("w", g.randn(4), True)],
         lambda a, w: a.reshape([6, 4]).mul(w))
    g = Gen("reshape_infer")
    case("reshape_infer", "a.reshape([-1, 2])", [("a", g.randn(2, 3), True)],
         lambda a: a.reshape([-1, 2]))
    g = Gen("reshape_of_transpose")
    case("reshape_of_transpose", "a.transpose(0, 1).reshape([6]).mul(w)",
         [("a", g.randn(2, 3), True), ("w", g.randn(6), True)],
         lambda a, w: a.transpose(0, 1).reshape([6]).mul(w))
    g = Gen("reshape_scalar")
    case("reshape_scalar", "a.reshape([]).mul(b)  # [1] -> []",
         [("a", g.randn(1), True), ("b", g.randn(2), True)],
         lambda a, b: a.reshape([]).mul(b))


# ---------------------------------------------------------------------------- composites


def build_composites():
    g = Gen("reuse_square")
    case("reuse_square", "a.mul(a).add(a)  # a used three times",
         [("a", g.randn(2, 3), True)], lambda a: a.mul(a).add(a))
    g = Gen("reuse_two_paths")
    case("reuse_two_paths", "a.mul(b).add(a.div(b)).sum()  # b positive",
         [("a", g.randn(3, 2), True), ("b", g.pos(3, 2), True)],
         lambda a, b: a.mul(b).add(a.div(b)).sum())
    g = Gen("reuse_intermediate")
    case("reuse_intermediate", "h = a.matmul(b).tanh(); h.mul(h.sigmoid()).mean()",
         [("a", g.randn(3, 4), True), ("b", g.randn(4, 2), True)],
         lambda a, b: (lambda h: h.mul(h.sigmoid()).mean())(a.matmul(b).tanh()))
    g = Gen("reuse_matmul_self")
    case("reuse_matmul_self", "a.matmul(a.t()).sum()",
         [("a", g.randn(3, 4), True)], lambda a: a.matmul(a.t()).sum())

    def twice(a, b):
        a.mul(b).sum().backward()
        out = a.pow(2).mul(b).sum()
        out.backward()
        return out

    g = Gen("backward_twice")
    case("backward_twice",
         "a.mul(b).sum().backward(); out = a.pow(2).mul(b).sum(); out.backward()",
         [("a", g.randn(2, 3), True), ("b", g.randn(2, 3), True)], twice, backward="self")

    def twice_upstream(a):
        u1 = torch.tensor([[0.5, -1.0], [2.0, 0.25]])
        a.tanh().backward(u1)
        out = a.mul(3)
        out.backward(torch.ones(2, 2))
        return out

    g = Gen("backward_twice_upstream")
    case("backward_twice_upstream",
         "a.tanh().backward([[0.5, -1], [2, 0.25]]); out = a.mul(3); out.backward(ones([2, 2]))",
         [("a", g.randn(2, 2), True)], twice_upstream, backward="self")

    g = Gen("mixed_requires_grad")
    case("mixed_requires_grad", "a.matmul(x).add(c).relu().sum()  # x, c no grad",
         [("a", g.randn(3, 4), True), ("x", g.randn(4, 2), False), ("c", g.randn(3, 1), False)],
         lambda a, x, c: a.matmul(x).add(c).relu().sum())
    g = Gen("mlp_by_hand")
    case("mlp_by_hand",
         "x.matmul(w1.t()).add(b1).relu().matmul(w2.t()).add(b2).sub(y).pow(2).mean()",
         [("x", g.randn(5, 3), False), ("w1", g.randn(4, 3), True), ("b1", g.randn(4), True),
          ("w2", g.randn(2, 4), True), ("b2", g.randn(2), True), ("y", g.randn(5, 2), False)],
         lambda x, w1, b1, w2, b2, y:
             x.matmul(w1.t()).add(b1).relu().matmul(w2.t()).add(b2).sub(y).pow(2).mean())


# ---------------------------------------------------------------------------- losses


def build_losses():
    for red in ("mean", "sum", "none"):
        g = Gen(f"loss_mse_{red}")
        case(f"loss_mse_{red}", f"new nn.MSELoss({{reduction: '{red}'}}).forward(x, y)",
             [("x", g.randn(4, 3), True), ("y", g.randn(4, 3), False)],
             lambda x, y: nn.MSELoss(reduction=red)(x, y))
        g = Gen(f"loss_l1_{red}")
        case(f"loss_l1_{red}", f"new nn.L1Loss({{reduction: '{red}'}}).forward(x, y)",
             [("x", g.randn(4, 3), True), ("y", g.randn(4, 3), False)],
             lambda x, y: nn.L1Loss(reduction=red)(x, y))
        g = Gen(f"loss_ce_index_{red}")
        case(f"loss_ce_index_{red}",
             f"new nn.CrossEntropyLoss({{reduction: '{red}'}}).forward(x, y)  # y class indices",
             [("x", g.randn(5, 4).mul(2), True), ("y", g.ints(5, 4), False, True)],
             lambda x, y: nn.CrossEntropyLoss(reduction=red)(x, y))
        g = Gen(f"loss_ce_prob_{red}")
        case(f"loss_ce_prob_{red}",
             f"new nn.CrossEntropyLoss({{reduction: '{red}'}}).forward(x, p)  # p probabilities",
             [("x", g.randn(5, 4).mul(2), True),
              ("p", torch.softmax(g.randn(5, 4).mul(2), -1), False)],
             lambda x, p: nn.CrossEntropyLoss(reduction=red)(x, p))
        g = Gen(f"loss_bce_{red}")
        case(f"loss_bce_{red}",
             f"new nn.BCEWithLogitsLoss({{reduction: '{red}'}}).forward(x, y)  # y in [0, 1]",
             [("x", g.randn(4, 3).mul(3), True), ("y", g.uniform(4, 3), False)],
             lambda x, y: nn.BCEWithLogitsLoss(reduction=red)(x, y))
    g = Gen("loss_mse_both_grad")
    case("loss_mse_both_grad", "F.mseLoss(x, y, {reduction: 'sum'})  # y requires grad",
         [("x", g.randn(3, 2), True), ("y", g.randn(3, 2), True)],
         lambda x, y: F.mse_loss(x, y, reduction="sum"))
    g = Gen("loss_bce_binary_1d")
    case("loss_bce_binary_1d", "F.binaryCrossEntropyWithLogits(x, y)  # 1-D, y in {0, 1}, large |x|",
         [("x", torch.tensor([-30.0, -4.5, -0.3, 0.0, 0.7, 5.0, 40.0]), True),
          ("y", torch.tensor([0.0, 1.0, 0.0, 1.0, 1.0, 0.0, 1.0]), False)],
         lambda x, y: F.binary_cross_entropy_with_logits(x, y))
    g = Gen("loss_ce_large_logits")
    case("loss_ce_large_logits", "F.crossEntropy(x, y)  # logits ~ ±80: needs log-sum-exp",
         [("x", g.randn(3, 4).mul(40), True), ("y", g.ints(3, 4), False, True)],
         lambda x, y: F.cross_entropy(x, y))


# ---------------------------------------------------------------------------- nn


def build_nn():
    g = Gen("linear")
    module_case("linear", "lin = new nn.Linear(4, 3); lin.forward(x)",
                lambda: nn.Linear(4, 3), ("x", g.randn(5, 4), True), [],
                lambda m, x: m(x))
    g = Gen("linear_nobias")
    module_case("linear_nobias", "new nn.Linear(4, 2, {bias: false}).forward(x)",
                lambda: nn.Linear(4, 2, bias=False), ("x", g.randn(3, 4), True), [],
                lambda m, x: m(x))
    g = Gen("linear_1d_input")
    module_case("linear_1d_input", "new nn.Linear(3, 2).forward(x)  # x: [3]",
                lambda: nn.Linear(3, 2), ("x", g.randn(3), True), [],
                lambda m, x: m(x))
    g = Gen("linear_3d_input")
    module_case("linear_3d_input", "new nn.Linear(4, 3).forward(x)  # x: [2, 5, 4]",
                lambda: nn.Linear(4, 3), ("x", g.randn(2, 5, 4), True), [],
                lambda m, x: m(x))
    g = Gen("linear_functional")
    case("linear_functional", "F.linear(x, w, b)",
         [("x", g.randn(5, 4), True), ("w", g.randn(3, 4), True), ("b", g.randn(3), True)],
         lambda x, w, b: F.linear(x, w, b))
    g = Gen("sequential_tanh_mse")
    module_case("sequential_tanh_mse",
                "net = new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 3), "
                "new nn.Tanh()); new nn.MSELoss().forward(net.forward(x), y)",
                lambda: nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3), nn.Tanh()),
                ("x", g.randn(6, 4), True), [("y", g.randn(6, 3), False)],
                lambda m, x, y: nn.MSELoss()(m(x), y))
    g = Gen("sequential_sigmoid")
    module_case("sequential_sigmoid",
                "net = new nn.Sequential(new nn.Linear(3, 5), new nn.ReLU(), new nn.Linear(5, 2), "
                "new nn.Sigmoid()); net.forward(x)",
                lambda: nn.Sequential(nn.Linear(3, 5), nn.ReLU(), nn.Linear(5, 2), nn.Sigmoid()),
                ("x", g.randn(4, 3), False), [],
                lambda m, x: m(x))
    g = Gen("sequential_ce")
    module_case("sequential_ce",
                "net = new nn.Sequential(new nn.Linear(4, 6), new nn.Tanh(), new nn.Linear(6, 3)); "
                "F.crossEntropy(net.forward(x), y)",
                lambda: nn.Sequential(nn.Linear(4, 6), nn.Tanh(), nn.Linear(6, 3)),
                ("x", g.randn(5, 4), False), [("y", g.ints(5, 3), False, True)],
                lambda m, x, y: F.cross_entropy(m(x), y))
    g = Gen("activations_functional")
    case("activations_functional", "F.relu(x).add(F.sigmoid(x)).mul(F.tanh(x))",
         [("x", g.nonzero(2, 4), True)],
         lambda x: F.relu(x).add(torch.sigmoid(x)).mul(torch.tanh(x)))


# ---------------------------------------------------------------------------- in-place


def build_inplace():
    g = Gen("inplace_copy_array")
    case("inplace_copy_array", "torch.zeros([2, 3]).copy_(src values as an array)",
         [("src", g.randn(2, 3), False)],
         lambda src: torch.zeros(2, 3).copy_(src), backward="none")
    g = Gen("inplace_copy_tensor")
    case("inplace_copy_tensor", "a.copy_(src)  # src a tensor of the same shape",
         [("a", g.randn(3, 2), False), ("src", g.randn(3, 2), False)],
         lambda a, src: a.copy_(src), backward="none")
    g = Gen("inplace_zero")
    case("inplace_zero", "a.zero_()", [("a", g.randn(2, 3), False)],
         lambda a: a.zero_(), backward="none")
    g = Gen("inplace_add_tensor")
    case("inplace_add_tensor", "a.add_(b)  # b: [3] broadcast into [2, 3]",
         [("a", g.randn(2, 3), False), ("b", g.randn(3), False)],
         lambda a, b: a.add_(b), backward="none")
    g = Gen("inplace_add_number")
    case("inplace_add_number", "a.add_(-0.75)", [("a", g.randn(2, 3), False)],
         lambda a: a.add_(-0.75), backward="none")
    g = Gen("inplace_mul_tensor")
    case("inplace_mul_tensor", "a.mul_(b)  # b: [2, 1] broadcast into [2, 3]",
         [("a", g.randn(2, 3), False), ("b", g.randn(2, 1), False)],
         lambda a, b: a.mul_(b), backward="none")
    g = Gen("inplace_mul_number")
    case("inplace_mul_number", "a.mul_(1.5)", [("a", g.randn(2, 3), False)],
         lambda a: a.mul_(1.5), backward="none")

    def sgd_step(w, x):
        loss = w.mul(x).sum().pow(2)
        loss.backward()
        with torch.no_grad():
            w.add_(w.grad.mul(-0.1))
        return w

    g = Gen("inplace_sgd_update")
    case("inplace_sgd_update",
         "w.mul(x).sum().pow(2).backward(); noGrad(() => w.add_(w.grad.mul(-0.1))); w",
         [("w", g.randn(4), True), ("x", g.randn(4), False)], sgd_step, backward="self")

    def grad_zero(w):
        w.mul(w).sum().backward()
        w.grad.zero_()
        w.mul(3).sum().backward()
        return w.detach().clone()

    g = Gen("inplace_grad_zero")
    case("inplace_grad_zero",
         "w.mul(w).sum().backward(); w.grad.zero_(); w.mul(3).sum().backward()",
         [("w", g.randn(3), True)], grad_zero, backward="self")

    def nonleaf(a):
        y = a.mul(2)
        y.add_(1)
        y.mul_(3)
        return y.pow(2)

    g = Gen("inplace_nonleaf_in_graph")
    case("inplace_nonleaf_in_graph", "y = a.mul(2); y.add_(1); y.mul_(3); y.pow(2)",
         [("a", g.randn(2, 3), True)], nonleaf)


# ---------------------------------------------------------------------------- seed


def build_seed():
    path = os.path.join(ROOT, "data", "boston_house_prices.csv")
    with open(path, newline="") as f:
        lines = f.read().splitlines()
    assert lines[0].startswith("506,13"), lines[0]
    header = next(csv.reader([lines[1]]))
    N_TRAIN, BATCH, STEPS, LR = 400, 32, 50, 0.01
    raw_lines = lines[2:2 + N_TRAIN]
    rows = [[float(v) for v in r] for r in csv.reader(raw_lines)]
    assert all(len(r) == 14 for r in rows)

    # per-column mean / population std (ddof = 0) over the first 400 rows, in float64
    cols = list(zip(*[r[:13] for r in rows]))
    means64 = [sum(c) / len(c) for c in cols]
    stds64 = [math.sqrt(sum((v - m) ** 2 for v in c) / len(c)) for c, m in zip(cols, means64)]
    mean = torch.tensor(means64, dtype=torch.float64).to(torch.float32)
    std = torch.tensor(stds64, dtype=torch.float64).to(torch.float32)

    X = torch.tensor([r[:13] for r in rows], dtype=torch.float32)
    Y = torch.tensor([[r[13]] for r in rows], dtype=torch.float32)
    Xs = (X - mean) / std  # float32, as the test does: x.sub(mean).div(std)

    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(13, 10), nn.ReLU(), nn.Linear(10, 1))
    init = {k: rec(p) for k, p in net.named_parameters()}
    loss_fn = nn.MSELoss()
    n_batches = N_TRAIN // BATCH  # 12 full batches; the last 16 rows are not used
    losses = []
    after_first = None
    for step in range(STEPS):
        b = step % n_batches
        xb, yb = Xs[b * BATCH:(b + 1) * BATCH], Y[b * BATCH:(b + 1) * BATCH]
        for p in net.parameters():
            p.grad = None
        loss = loss_fn(net(xb), yb)
        loss.backward()
        with torch.no_grad():
            for p in net.parameters():
                p.add_(p.grad.mul(-LR))  # p -= lr * grad, as the JS test writes it
        losses.append(f32_short(loss.item()))
        if step == 0:
            after_first = {k: rec(p) for k, p in net.named_parameters()}
    final = {k: rec(p) for k, p in net.named_parameters()}
    return {
        "torch": torch.__version__,
        "description": (
            "TestNet = Sequential(Linear(13, 10), ReLU(), Linear(10, 1)) on the first 400 rows "
            "of data/boston_house_prices.csv (features standardised with the given mean/std: "
            "x.sub(mean).div(std) in float32; target MEDV unscaled). Step k uses rows "
            "[32*(k % 12), 32*(k % 12) + 32), MSELoss (mean), grads set to null before each "
            "step, then p.add_(p.grad.mul(-lr)) under noGrad. loss[k] is the loss computed at "
            "step k before its update."),
        "header": header,
        "csv": raw_lines,
        "nTrain": N_TRAIN,
        "batchSize": BATCH,
        "steps": STEPS,
        "lr": LR,
        "mean": vals(mean),
        "std": vals(std),
        "mean64": means64,
        "std64": stds64,
        "init": init,
        "losses": losses,
        "afterFirstStep": after_first,
        "final": final,
    }


# ---------------------------------------------------------------------------- main


def write(name, obj):
    os.makedirs(FIXTURES, exist_ok=True)
    path = os.path.join(FIXTURES, name)
    text = json.dumps(obj, separators=(",", ":"), ensure_ascii=False)
    with open(path, "w") as f:
        f.write(text + "\n")
    print(f"wrote {os.path.relpath(path, ROOT)} ({len(text) // 1024} KB)")


def main():
    build_elementwise()
    build_reductions()
    build_matmul_shape()
    build_composites()
    build_losses()
    build_nn()
    build_inplace()
    core = {
        "torch": torch.__version__,
        "generator": "test/golden/gen_core.py",
        "tolerance": {"atol": 1e-5, "rtol": 1e-4},
        "cases": CASES,
    }
    write("core.json", core)
    write("seed.json", build_seed())
    print(f"{len(CASES)} core cases ({len(CHECKED)} cross-checked against float64)")


if __name__ == "__main__":
    sys.exit(main())
