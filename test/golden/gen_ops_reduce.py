"""Golden fixtures for the reduction family, from real PyTorch (2.x CPU): sum mean prod std
var max min amax amin argmax argmin logsumexp norm cumsum softmax logSoftmax (also
nn.functional's softmax and logSoftmax).

Run from the repository root:

    .venv/bin/python test/golden/gen_ops_reduce.py

Writes test/fixtures/ops_reduce.json, replayed by test/cases/ops_reduce.ts: one generic
interpreter makes each case's JS calls, so a case is written once, here.

Each case:
  inputs    {name: {dtype, shape, values, requiresGrad}}  flat row-major; float values are
            the shortest decimals that read back as the same float32, non-finite ones the
            strings "nan", "inf", "-inf"; int64 inputs become torchlet's int32
  views     {name: [base, [[method, ...args], ...]]}  views of inputs the calls read (a
            transposed or sliced input must give the same result)
  calls     [call, ...] equivalent JS forms, each checked against the same result:
            {"self": name, "method": m, "args": [...]} or {"fn": "torch.m" | "F.m", "args": [...]};
            an argument {"$": name} is a tensor, {"num": "inf"} a non-finite number
  expr      the PyTorch expression, for humans
  out       {dtype, shape, values, requiresGrad}, or {"pair": [values, indices]} for the
            (values, indices) of max(dim)/min(dim)
  upstream  the gradient passed to backward() (null: a scalar output, backward())
  grads     {name: rec | null} for every input that requires grad (null: PyTorch leaves
            .grad None); absent when the output carries no grad

Deterministic: each case draws its inputs from a generator seeded with crc32(case name).
Every case whose output and grads are finite is recomputed in float64 and must sit well
inside the replay tolerance of it.
"""

import json
import math
import os
import sys
import warnings
import zlib

warnings.filterwarnings("ignore")  # implicit softmax dim, NumPy

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixture_numbers import f32_json, f32_short  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
FIXTURES = os.path.join(ROOT, "test", "fixtures")

torch.set_num_threads(1)
NAN, INF = float("nan"), float("inf")

# ---------------------------------------------------------------------------- numbers


def dtype_name(t):
    if t.dtype.is_floating_point:
        return "float32"
    return "bool" if t.dtype == torch.bool else "int32"


def rec(t):
    t = t.detach()
    if t.dtype.is_floating_point:
        values = [f32_json(x) for x in t.reshape(-1).tolist()]
    else:
        values = [int(x) for x in t.reshape(-1).tolist()]
    return {"dtype": dtype_name(t), "shape": list(t.shape), "values": values}


def arg(v):
    """A call argument as JSON: non-finite numbers spelled out."""
    if isinstance(v, float) and not math.isfinite(v):
        return {"num": f32_json(v)}
    if isinstance(v, dict):
        return {k: arg(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [arg(x) for x in v]
    return v


# ---------------------------------------------------------------------------- inputs


class Gen:
    """Seeded input generator for one case."""

    def __init__(self, name):
        self.g = torch.Generator().manual_seed(zlib.crc32(name.encode()))

    @staticmethod
    def _q(t):
        # through the fixture's decimal form, so PyTorch sees exactly what JS reads
        return torch.tensor([f32_short(x) if math.isfinite(x) else x for x in t.reshape(-1).tolist()],
                            dtype=torch.float32).reshape(t.shape)

    def randn(self, *shape):
        return self._q(torch.randn(shape, generator=self.g))

    def pos(self, *shape, lo=0.5, hi=1.5):
        return self._q(torch.rand(shape, generator=self.g) * (hi - lo) + lo)

    def ties(self, *shape, high=4):
        """Small whole numbers as float32: plenty of ties."""
        return torch.randint(0, high, shape, generator=self.g).to(torch.float32)

    def ints(self, *shape, low=-5, high=6):
        return torch.randint(low, high, shape, generator=self.g)

    def bools(self, *shape):
        return torch.randint(0, 2, shape, generator=self.g).to(torch.bool)


# ---------------------------------------------------------------------------- cases


CASES = {}
CHECKED = set()


def T(name):
    return {"$": name}


def M(self, method, *args):
    return {"self": self, "method": method, "args": arg(list(args))}


def Fn(fn, *args):
    return {"fn": fn, "args": arg(list(args))}


def build_env(inputs, views, dtype=None):
    env = {}
    for k, (t, rg) in inputs.items():
        x = t.clone()
        if dtype is not None and x.dtype.is_floating_point:
            x = x.to(dtype)
        env[k] = x.requires_grad_(rg)
    for k, (base, steps) in (views or {}).items():
        v = env[base]
        for step in steps:
            v = getattr(v, step[0])(*step[1:])
        env[k] = v
    return env


def run(inputs, views, py, upstream, dtype=None):
    env = build_env(inputs, views, dtype)
    res = py(env)
    pair = isinstance(res, tuple)
    out = res[0] if pair else res
    backward = out.dtype.is_floating_point and out.requires_grad
    if backward:
        if upstream is None:
            out.backward()
        else:
            out.backward(upstream.to(out.dtype))
    return env, res, pair, out, backward


def case(name, make, py, calls, views=None, expr=""):
    """make(gen) -> {input: (tensor, requires_grad)}; py(env) -> output or (values, indices)."""
    assert name not in CASES, name
    inputs = make(Gen(name))
    # the upstream gradient: a scalar output takes backward(), anything else a seeded randn
    probe = py(build_env(inputs, views))
    probe_out = probe[0] if isinstance(probe, tuple) else probe
    upstream = None if probe_out.dim() == 0 else Gen(name + "/upstream").randn(*probe_out.shape)
    env, res, pair, out, backward = run(inputs, views, py, upstream)
    c = {
        "expr": expr,
        "inputs": {k: {**rec(t), "requiresGrad": rg} for k, (t, rg) in inputs.items()},
        "calls": calls,
        "out": {"pair": [rec(res[0]), rec(res[1])]} if pair else {**rec(out), "requiresGrad": out.requires_grad},
    }
    if views:
        c["views"] = {k: [base, [list(s) for s in steps]] for k, (base, steps) in views.items()}
    if backward:
        c["upstream"] = None if upstream is None else rec(upstream)
        c["grads"] = {k: (None if env[k].grad is None else rec(env[k].grad))
                      for k, (t, rg) in inputs.items() if rg}
    check_f64(name, inputs, views, py, upstream, env, out, backward)
    CASES[name] = c


def check_f64(name, inputs, views, py, upstream, env, out, backward):
    """The float32 fixture must sit well inside the replay tolerance of the float64 result."""
    if not out.dtype.is_floating_point:
        return
    env64, _, _, out64, _ = run(inputs, views, py, upstream, torch.float64)
    pairs = [("output", out.detach(), out64.detach())]
    if backward:
        pairs += [(f"grad {k}", env[k].grad, env64[k].grad) for k, (t, rg) in inputs.items()
                  if rg and env[k].grad is not None]
    for what, a, b in pairs:
        if not (torch.isfinite(a).all() and torch.isfinite(b).all()):
            return
        ratio = ((a.double() - b).abs() / (1e-5 + 1e-4 * b.abs())).max().item() if a.numel() else 0
        if ratio > 0.1:
            raise AssertionError(f"{name}: {what} float32 is {ratio:.2f} tolerances from float64")
    CHECKED.add(name)


def f(t):
    """A float input that requires grad."""
    return (t, True)


def c(t):
    """An input that does not require grad (ints, bools, constants)."""
    return (t, False)


# ---------------------------------------------------------------------------- sum, mean


def build_sum_mean():
    case("sum_all_3d", lambda g: {"a": f(g.randn(2, 3, 4))}, lambda e: e["a"].sum(),
         [M("a", "sum"), Fn("torch.sum", T("a"))], expr="a.sum()")
    case("sum_dims_list_split", lambda g: {"a": f(g.randn(2, 3, 4))}, lambda e: e["a"].sum([0, 2]),
         [M("a", "sum", [0, 2]), Fn("torch.sum", T("a"), [2, 0])], expr="a.sum([0, 2])")
    case("sum_dims_neg_keepdim", lambda g: {"a": f(g.randn(2, 3, 4))}, lambda e: e["a"].sum([-1, -2], True),
         [M("a", "sum", [-1, -2], True)], expr="a.sum([-1, -2], keepdim=True)")
    case("sum_dims_split_keepdim", lambda g: {"a": f(g.randn(3, 2, 4, 2))}, lambda e: e["a"].sum([1, 3], True),
         [M("a", "sum", [1, 3], True)], expr="a.sum([1, 3], keepdim=True)")
    case("sum_dims_empty_list", lambda g: {"a": f(g.randn(2, 3))}, lambda e: e["a"].sum([]),
         [M("a", "sum", []), M("a", "sum", None)], expr="a.sum([])  (every dim)")
    case("sum_dim0_columns", lambda g: {"a": f(g.randn(5, 7))}, lambda e: e["a"].sum(0),
         [M("a", "sum", 0)], expr="a.sum(0)")
    case("sum_int", lambda g: {"a": c(g.ints(3, 4))}, lambda e: e["a"].sum(1),
         [M("a", "sum", 1), Fn("torch.sum", T("a"), -1)], expr="int64 a.sum(1)")
    case("sum_int_all", lambda g: {"a": c(g.ints(3, 4))}, lambda e: e["a"].sum(),
         [M("a", "sum")], expr="int64 a.sum()")
    case("sum_bool", lambda g: {"a": c(g.bools(3, 5))}, lambda e: e["a"].sum(0),
         [M("a", "sum", 0)], expr="bool a.sum(0)")
    case("sum_bool_all", lambda g: {"a": c(g.bools(3, 5))}, lambda e: e["a"].sum(),
         [M("a", "sum")], expr="bool a.sum()")
    case("sum_empty_all", lambda g: {"a": f(torch.zeros(0, 3))}, lambda e: e["a"].sum(),
         [M("a", "sum")], expr="zeros(0, 3).sum()")
    case("sum_empty_dim0", lambda g: {"a": f(torch.zeros(0, 3))}, lambda e: e["a"].sum(0),
         [M("a", "sum", 0)], expr="zeros(0, 3).sum(0)")
    case("sum_empty_rows_keepdim", lambda g: {"a": f(torch.zeros(2, 0))}, lambda e: e["a"].sum(1, True),
         [M("a", "sum", 1, True)], expr="zeros(2, 0).sum(1, keepdim=True)")
    case("sum_0d", lambda g: {"a": f(g.randn())}, lambda e: e["a"].sum(0, True),
         [M("a", "sum", 0, True), M("a", "sum", -1, True)], expr="0-d a.sum(0, keepdim=True)")
    case("sum_transposed", lambda g: {"a": f(g.randn(3, 5))}, lambda e: e["v"].sum(0),
         [M("v", "sum", 0)], views={"v": ("a", [("t",)])}, expr="a.t().sum(0)")
    case("sum_sliced", lambda g: {"a": f(g.randn(3, 6))}, lambda e: e["v"].sum(-1),
         [M("v", "sum", -1)], views={"v": ("a", [("narrow", 1, 1, 4)])}, expr="a.narrow(1, 1, 4).sum(-1)")
    case("sum_permuted_dims", lambda g: {"a": f(g.randn(2, 3, 4))}, lambda e: e["v"].sum([0, 1]),
         [M("v", "sum", [0, 1])], views={"v": ("a", [("permute", 2, 0, 1)])}, expr="a.permute(2, 0, 1).sum([0, 1])")
    case("sum_expanded", lambda g: {"a": f(g.randn(3, 1))}, lambda e: e["v"].sum(0),
         [M("v", "sum", 0)], views={"v": ("a", [("expand", 3, 4)])}, expr="a.expand(3, 4).sum(0)")
    case("sum_long_row", lambda g: {"a": f(g.randn(3000))}, lambda e: e["a"].sum(),
         [M("a", "sum")], expr="a.sum() over 3000")
    case("sum_long_column", lambda g: {"a": f(g.randn(1100, 2))}, lambda e: e["a"].sum(0),
         [M("a", "sum", 0)], expr="a.sum(0) over 1100 rows")
    case("mean_dims_keepdim", lambda g: {"a": f(g.randn(2, 3, 4))}, lambda e: e["a"].mean([0, 2], True),
         [M("a", "mean", [0, 2], True), Fn("torch.mean", T("a"), [0, -1], True)], expr="a.mean([0, 2], keepdim=True)")
    case("mean_permuted", lambda g: {"a": f(g.randn(2, 3, 4))}, lambda e: e["v"].mean(1),
         [M("v", "mean", 1)], views={"v": ("a", [("permute", 1, 2, 0)])}, expr="a.permute(1, 2, 0).mean(1)")
    case("mean_neg_dim", lambda g: {"a": f(g.randn(4, 5))}, lambda e: e["a"].mean(-2),
         [M("a", "mean", -2)], expr="a.mean(-2)")
    case("mean_empty", lambda g: {"a": f(torch.zeros(0))}, lambda e: e["a"].mean(),
         [M("a", "mean")], expr="zeros(0).mean()  (nan)")
    case("mean_empty_rows", lambda g: {"a": f(torch.zeros(2, 0))}, lambda e: e["a"].mean(1),
         [M("a", "mean", 1)], expr="zeros(2, 0).mean(1)")


# ---------------------------------------------------------------------------- prod


def with_zeros(g):
    a = g.pos(3, 4)
    a[1, 2] = 0.0
    a[2, 0] = 0.0
    a[2, 3] = 0.0
    return {"a": f(a)}


def build_prod():
    case("prod_all", lambda g: {"a": f(g.pos(2, 3))}, lambda e: e["a"].prod(),
         [M("a", "prod"), Fn("torch.prod", T("a"))], expr="a.prod()")
    case("prod_dim_zeros", with_zeros, lambda e: e["a"].prod(1),
         [M("a", "prod", 1)], expr="a.prod(1) with one zero in a row and two in another")
    case("prod_all_one_zero", lambda g: {"a": f(torch.tensor([2.0, 0.0, 3.0, -1.5]))}, lambda e: e["a"].prod(),
         [M("a", "prod")], expr="[2, 0, 3, -1.5].prod()")
    case("prod_neg_dim_keepdim", lambda g: {"a": f(g.randn(3, 4))}, lambda e: e["a"].prod(-2, True),
         [M("a", "prod", -2, True), Fn("torch.prod", T("a"), 0, True)], expr="a.prod(-2, keepdim=True)")
    case("prod_dims_list", lambda g: {"a": f(g.pos(2, 3, 2))}, lambda e: e["a"].prod(2).prod(0),
         [M("a", "prod", [0, 2])], expr="a.prod([0, 2]) (PyTorch takes one dim: a.prod(2).prod(0))")
    case("prod_int", lambda g: {"a": c(g.ints(3, 3, low=-3, high=4))}, lambda e: e["a"].prod(0),
         [M("a", "prod", 0)], expr="int64 a.prod(0)")
    case("prod_bool", lambda g: {"a": c(g.bools(2, 4))}, lambda e: e["a"].prod(1),
         [M("a", "prod", 1)], expr="bool a.prod(1)")
    case("prod_empty_rows", lambda g: {"a": f(torch.zeros(2, 0))}, lambda e: e["a"].prod(1),
         [M("a", "prod", 1)], expr="zeros(2, 0).prod(1)  (ones)")
    case("prod_transposed", lambda g: {"a": f(g.pos(3, 4))}, lambda e: e["v"].prod(1),
         [M("v", "prod", 1)], views={"v": ("a", [("t",)])}, expr="a.t().prod(1)")


# ---------------------------------------------------------------------------- std, var


def build_std_var():
    case("std_all", lambda g: {"a": f(g.randn(3, 4))}, lambda e: e["a"].std(),
         [M("a", "std"), Fn("torch.std", T("a"))], expr="a.std()")
    case("var_all", lambda g: {"a": f(g.randn(3, 4))}, lambda e: e["a"].var(),
         [M("a", "var"), Fn("torch.var", T("a"))], expr="a.var()")
    case("std_dim_correction0_keepdim", lambda g: {"a": f(g.randn(3, 5))}, lambda e: e["a"].std(1, correction=0, keepdim=True),
         [M("a", "std", 1, {"correction": 0, "keepdim": True}), M("a", "std", 1, False, True),
          M("a", "std", 1, {"unbiased": False, "keepdim": True})],
         expr="a.std(1, correction=0, keepdim=True)")
    case("var_dim0_correction2", lambda g: {"a": f(g.randn(5, 3))}, lambda e: e["a"].var(0, correction=2),
         [M("a", "var", 0, {"correction": 2}), Fn("torch.var", T("a"), 0, {"correction": 2})],
         expr="a.var(0, correction=2)")
    case("var_correction1_explicit", lambda g: {"a": f(g.randn(4, 3))}, lambda e: e["a"].var(-1, correction=1),
         [M("a", "var", -1, {"correction": 1}), M("a", "var", -1), M("a", "var", -1, True)],
         expr="a.var(-1, correction=1)")
    case("var_dims_list", lambda g: {"a": f(g.randn(2, 3, 4))}, lambda e: e["a"].var([0, 2]),
         [M("a", "var", [0, 2])], expr="a.var([0, 2])")
    case("std_unbiased_false", lambda g: {"a": f(g.randn(6))}, lambda e: e["a"].std(False),
         [M("a", "std", False), M("a", "std", {"correction": 0}), M("a", "std", None, {"unbiased": False})],
         expr="a.std(False)")
    case("std_correction_fraction", lambda g: {"a": f(g.randn(2, 5))}, lambda e: e["a"].std(correction=0.5),
         [M("a", "std", {"correction": 0.5})], expr="a.std(correction=0.5)")
    case("var_n_equals_correction", lambda g: {"a": f(torch.tensor([1.0, 2.5]))}, lambda e: e["a"].var(correction=2),
         [M("a", "var", {"correction": 2})], expr="[1, 2.5].var(correction=2)  (inf)")
    case("var_dim_correction_over_n", lambda g: {"a": f(torch.tensor([[2.0, 2.0, 1.0]]))},
         lambda e: e["a"].var(1, correction=3),
         [M("a", "var", 1, {"correction": 3})], expr="[[2, 2, 1]].var(1, correction=3)")
    case("var_dim_negative_dof", lambda g: {"a": f(torch.tensor([[2.0, 2.0, 1.0]]))},
         lambda e: e["a"].var(1, correction=4),
         [M("a", "var", 1, {"correction": 4})], expr="[[2, 2, 1]].var(1, correction=4)")
    case("std_one_element", lambda g: {"a": f(torch.tensor([1.5]))}, lambda e: e["a"].std(),
         [M("a", "std")], expr="[1.5].std()  (nan)")
    case("std_constant", lambda g: {"a": f(torch.tensor([2.0, 2.0, 2.0]))}, lambda e: e["a"].std(),
         [M("a", "std")], expr="[2, 2, 2].std()  (grad 0)")
    case("std_transposed", lambda g: {"a": f(g.randn(4, 3))}, lambda e: e["v"].std(1),
         [M("v", "std", 1)], views={"v": ("a", [("t",)])}, expr="a.t().std(1)")
    # forward only: PyTorch's backward for dim=[] divides by a count of 1 (torchlet's is every dim's)
    case("std_dims_empty_list", lambda g: {"a": c(g.randn(3, 4))}, lambda e: e["a"].std([]),
         [M("a", "std", []), M("a", "std", None)], expr="a.std([])  (every dim)")
    case("var_empty", lambda g: {"a": f(torch.zeros(0))}, lambda e: e["a"].var(),
         [M("a", "var")], expr="zeros(0).var()  (nan)")
    case("std_0d_dim", lambda g: {"a": f(torch.tensor(3.0))}, lambda e: e["a"].std(0, correction=0),
         [M("a", "std", 0, {"correction": 0})], expr="0-d a.std(0, correction=0)")


# ---------------------------------------------------------------------------- max, min, amax, amin, arg*


def ties_nan(g):
    a = g.ties(4, 5)
    a[2, 1] = NAN
    a[2, 3] = NAN
    return {"a": f(a)}


def build_extrema():
    case("max_all_ties", lambda g: {"a": f(g.ties(3, 4))}, lambda e: e["a"].max(),
         [M("a", "max"), Fn("torch.max", T("a"))], expr="a.max() with ties (grad shared)")
    case("min_all_ties", lambda g: {"a": f(g.ties(3, 4))}, lambda e: e["a"].min(),
         [M("a", "min"), Fn("torch.min", T("a"))], expr="a.min() with ties")
    case("max_all_nan", lambda g: {"a": f(torch.tensor([1.0, NAN, 3.0, NAN]))}, lambda e: e["a"].max(),
         [M("a", "max")], expr="[1, nan, 3, nan].max()")
    case("max_dim_ties_nan", ties_nan, lambda e: e["a"].max(1),
         [M("a", "max", 1), Fn("torch.max", T("a"), 1), Fn("torch.max", T("a"), -1, False)],
         expr="a.max(1) with ties and a row holding NaN")
    case("min_dim_ties_nan", ties_nan, lambda e: e["a"].min(0),
         [M("a", "min", 0), Fn("torch.min", T("a"), 0)], expr="a.min(0) (columns) with ties and NaN")
    case("max_dim_keepdim_neg", lambda g: {"a": f(g.randn(2, 3, 4))}, lambda e: e["a"].max(-2, True),
         [M("a", "max", -2, True)], expr="a.max(-2, keepdim=True)")
    case("min_dim_keepdim", lambda g: {"a": f(g.ties(3, 4))}, lambda e: e["a"].min(1, keepdim=True),
         [M("a", "min", 1, True)], expr="a.min(1, keepdim=True)")
    case("max_dim_int", lambda g: {"a": c(g.ints(3, 4, low=-2, high=3))}, lambda e: e["a"].max(1),
         [M("a", "max", 1)], expr="int64 a.max(1)")
    case("max_int_all", lambda g: {"a": c(g.ints(3, 4))}, lambda e: e["a"].max(),
         [M("a", "max")], expr="int64 a.max()")
    case("min_dim_bool", lambda g: {"a": c(g.bools(3, 4))}, lambda e: e["a"].min(0),
         [M("a", "min", 0)], expr="bool a.min(0)")
    case("max_dim_transposed", lambda g: {"a": f(g.ties(4, 3))}, lambda e: e["v"].max(1),
         [M("v", "max", 1)], views={"v": ("a", [("t",)])}, expr="a.t().max(1)")
    case("max_0d", lambda g: {"a": f(torch.tensor(2.5))}, lambda e: e["a"].max(0),
         [M("a", "max", 0)], expr="0-d a.max(0)")
    case("max_dim_empty_rows", lambda g: {"a": f(torch.zeros(0, 3))}, lambda e: e["a"].max(1),
         [M("a", "max", 1)], expr="zeros(0, 3).max(1)")
    case("amax_dims_ties", lambda g: {"a": f(g.ties(2, 3, 4, high=3))}, lambda e: e["a"].amax([0, 2]),
         [M("a", "amax", [0, 2]), Fn("torch.amax", T("a"), [2, 0])], expr="a.amax([0, 2]) with ties (grad split)")
    case("amin_all", lambda g: {"a": f(g.ties(3, 4))}, lambda e: e["a"].amin(),
         [M("a", "amin"), M("a", "amin", []), Fn("torch.amin", T("a"))], expr="a.amin()")
    case("amax_nan_row", lambda g: {"a": f(torch.tensor([[NAN, 2.0, NAN], [1.0, 3.0, 3.0]]))},
         lambda e: e["a"].amax(1), [M("a", "amax", 1)], expr="a.amax(1), a row holding NaN (NaN grads)")
    case("amax_keepdim_neg", lambda g: {"a": f(g.randn(3, 4))}, lambda e: e["a"].amax(-1, True),
         [M("a", "amax", -1, True)], expr="a.amax(-1, keepdim=True)")
    case("amin_int", lambda g: {"a": c(g.ints(3, 4))}, lambda e: e["a"].amin(0),
         [M("a", "amin", 0)], expr="int64 a.amin(0)")
    case("amax_bool", lambda g: {"a": c(g.bools(3, 4))}, lambda e: e["a"].amax(1),
         [M("a", "amax", 1)], expr="bool a.amax(1)")
    case("amax_empty_rows", lambda g: {"a": f(torch.zeros(0, 3))}, lambda e: e["a"].amax(1),
         [M("a", "amax", 1)], expr="zeros(0, 3).amax(1)")
    case("amax_sliced", lambda g: {"a": f(g.randn(4, 6))}, lambda e: e["v"].amax(0),
         [M("v", "amax", 0)], views={"v": ("a", [("narrow", 1, 2, 3)])}, expr="a.narrow(1, 2, 3).amax(0)")
    case("argmax_all_ties", lambda g: {"a": c(g.ties(3, 4))}, lambda e: e["a"].argmax(),
         [M("a", "argmax"), Fn("torch.argmax", T("a"))], expr="a.argmax() with ties")
    case("argmax_dim_ties_nan", lambda g: {k: (v[0], False) for k, v in ties_nan(g).items()}, lambda e: e["a"].argmax(1),
         [M("a", "argmax", 1), Fn("torch.argmax", T("a"), 1)], expr="a.argmax(1) with ties and NaN")
    case("argmin_dim_keepdim", lambda g: {"a": c(g.ties(3, 4))}, lambda e: e["a"].argmin(0, True),
         [M("a", "argmin", 0, True)], expr="a.argmin(0, keepdim=True)")
    case("argmax_keepdim_nodim", lambda g: {"a": c(g.randn(2, 3))}, lambda e: e["a"].argmax(keepdim=True),
         [M("a", "argmax", None, True)], expr="a.argmax(keepdim=True)")
    case("argmin_nan", lambda g: {"a": c(torch.tensor([3.0, NAN, -1.0, NAN]))}, lambda e: e["a"].argmin(),
         [M("a", "argmin")], expr="[3, nan, -1, nan].argmin()")
    case("argmax_int", lambda g: {"a": c(g.ints(3, 4, low=0, high=3))}, lambda e: e["a"].argmax(0),
         [M("a", "argmax", 0), Fn("torch.argmax", T("a"), 0)], expr="int64 a.argmax(0)")
    case("argmax_transposed", lambda g: {"a": c(g.ties(3, 4))}, lambda e: e["v"].argmax(),
         [M("v", "argmax")], views={"v": ("a", [("t",)])}, expr="a.t().argmax() (flattened in the view's order)")
    case("argmin_grad_input", lambda g: {"a": f(g.randn(3, 4))}, lambda e: e["a"].argmin(1),
         [M("a", "argmin", 1), Fn("torch.argmin", T("a"), 1)], expr="a.argmin(1) of a tensor requiring grad")


# ---------------------------------------------------------------------------- logsumexp


def build_logsumexp():
    case("logsumexp_dim", lambda g: {"a": f(g.randn(3, 5))}, lambda e: e["a"].logsumexp(1),
         [M("a", "logsumexp", 1), Fn("torch.logsumexp", T("a"), -1)], expr="a.logsumexp(1)")
    case("logsumexp_dims_keepdim", lambda g: {"a": f(g.randn(2, 3, 4))}, lambda e: e["a"].logsumexp([0, 2], True),
         [M("a", "logsumexp", [0, 2], True)], expr="a.logsumexp([0, 2], keepdim=True)")
    case("logsumexp_columns", lambda g: {"a": f(g.randn(6, 5))}, lambda e: e["a"].logsumexp(0),
         [M("a", "logsumexp", 0)], expr="a.logsumexp(0)")
    case("logsumexp_large", lambda g: {"a": f(g.randn(2, 4) * 3 + 100)}, lambda e: e["a"].logsumexp(1),
         [M("a", "logsumexp", 1)], expr="(a·3 + 100).logsumexp(1)  (exp would overflow)")
    case("logsumexp_inf_rows", lambda g: {"a": c(torch.tensor([[-INF, -INF, -INF], [1.0, INF, 2.0], [NAN, 0.0, 1.0]]))},
         lambda e: e["a"].logsumexp(1), [M("a", "logsumexp", 1)], expr="rows of -inf, with +inf, with NaN")
    case("logsumexp_int", lambda g: {"a": c(g.ints(3, 4))}, lambda e: e["a"].logsumexp(1),
         [M("a", "logsumexp", 1)], expr="int64 a.logsumexp(1)  (float)")
    case("logsumexp_empty_rows", lambda g: {"a": f(torch.zeros(2, 0))}, lambda e: e["a"].logsumexp(1),
         [M("a", "logsumexp", 1)], expr="zeros(2, 0).logsumexp(1)  (-inf)")
    case("logsumexp_transposed", lambda g: {"a": f(g.randn(4, 3))}, lambda e: e["v"].logsumexp(-1),
         [M("v", "logsumexp", -1)], views={"v": ("a", [("t",)])}, expr="a.t().logsumexp(-1)")


# ---------------------------------------------------------------------------- norm


def build_norm():
    case("norm_default", lambda g: {"a": f(g.randn(3, 4))}, lambda e: e["a"].norm(),
         [M("a", "norm"), M("a", "norm", 2), M("a", "norm", "fro"), M("a", "norm", None), Fn("torch.norm", T("a"))],
         expr="a.norm()")
    for p, tag in [(1, "1"), (INF, "inf"), (-INF, "neginf"), (0, "0"), (3, "3"), (0.5, "half"), (-1, "neg1"), (1.5, "1_5")]:
        case(f"norm_p{tag}", lambda g: {"a": f(g.randn(3, 4))}, lambda e, p=p: e["a"].norm(p),
             [M("a", "norm", p), Fn("torch.norm", T("a"), p)], expr=f"a.norm({p})")
    case("norm_inf_ties", lambda g: {"a": f(torch.tensor([[1.0, -3.0, 3.0], [0.0, 2.0, -1.0]]))},
         lambda e: e["a"].norm(INF, 1), [M("a", "norm", INF, 1)], expr="a.norm(inf, 1) with |x| ties (grad split)")
    case("norm_dim_keepdim", lambda g: {"a": f(g.randn(3, 4))}, lambda e: e["a"].norm(2, 1, True),
         [M("a", "norm", 2, 1, True), Fn("torch.norm", T("a"), None, -1, True)], expr="a.norm(2, 1, keepdim=True)")
    case("norm_p1_dims", lambda g: {"a": f(g.randn(2, 3, 4))}, lambda e: e["a"].norm(1, [0, 2]),
         [M("a", "norm", 1, [0, 2])], expr="a.norm(1, [0, 2])")
    case("norm_fro_dims", lambda g: {"a": f(g.randn(2, 3, 4))}, lambda e: e["a"].norm("fro", [1, 2]),
         [M("a", "norm", "fro", [1, 2])], expr="a.norm('fro', [1, 2])")
    case("norm_p3_columns", lambda g: {"a": f(g.randn(5, 3))}, lambda e: e["a"].norm(3, 0),
         [M("a", "norm", 3, 0)], expr="a.norm(3, 0)")
    case("norm_zero_vector", lambda g: {"a": f(torch.zeros(2, 3))}, lambda e: e["a"].norm(2, 1),
         [M("a", "norm", 2, 1)], expr="zeros(2, 3).norm(2, 1)  (grad 0)")
    case("norm_with_zeros_p_half", lambda g: {"a": f(torch.tensor([0.0, 2.0, -1.0]))}, lambda e: e["a"].norm(0.5),
         [M("a", "norm", 0.5)], expr="[0, 2, -1].norm(0.5)")
    case("norm_empty", lambda g: {"a": f(torch.zeros(0, 3))}, lambda e: e["a"].norm(),
         [M("a", "norm")], expr="zeros(0, 3).norm()  (0)")
    case("norm_transposed", lambda g: {"a": f(g.randn(3, 4))}, lambda e: e["v"].norm(2, 1),
         [M("v", "norm", 2, 1)], views={"v": ("a", [("t",)])}, expr="a.t().norm(2, 1)")


# ---------------------------------------------------------------------------- cumsum


def build_cumsum():
    case("cumsum_dim1", lambda g: {"a": f(g.randn(3, 5))}, lambda e: e["a"].cumsum(1),
         [M("a", "cumsum", 1), Fn("torch.cumsum", T("a"), -1)], expr="a.cumsum(1)")
    case("cumsum_dim0", lambda g: {"a": f(g.randn(4, 3))}, lambda e: e["a"].cumsum(0),
         [M("a", "cumsum", 0)], expr="a.cumsum(0)")
    case("cumsum_3d_mid", lambda g: {"a": f(g.randn(2, 3, 4))}, lambda e: e["a"].cumsum(-2),
         [M("a", "cumsum", -2)], expr="a.cumsum(-2)")
    case("cumsum_int", lambda g: {"a": c(g.ints(2, 5))}, lambda e: e["a"].cumsum(1),
         [M("a", "cumsum", 1)], expr="int64 a.cumsum(1)")
    case("cumsum_bool", lambda g: {"a": c(g.bools(6))}, lambda e: e["a"].cumsum(0),
         [M("a", "cumsum", 0)], expr="bool a.cumsum(0)")
    case("cumsum_transposed", lambda g: {"a": f(g.randn(3, 4))}, lambda e: e["v"].cumsum(1),
         [M("v", "cumsum", 1)], views={"v": ("a", [("t",)])}, expr="a.t().cumsum(1)")
    case("cumsum_0d", lambda g: {"a": f(torch.tensor(1.5))}, lambda e: e["a"].cumsum(0),
         [M("a", "cumsum", 0)], expr="0-d a.cumsum(0)")
    case("cumsum_empty", lambda g: {"a": f(torch.zeros(2, 0))}, lambda e: e["a"].cumsum(1),
         [M("a", "cumsum", 1)], expr="zeros(2, 0).cumsum(1)")
    case("cumsum_long", lambda g: {"a": f(g.randn(1100))}, lambda e: e["a"].cumsum(0),
         [M("a", "cumsum", 0)], expr="a.cumsum(0) over 1100")


# ---------------------------------------------------------------------------- softmax, log_softmax


def build_softmax():
    case("softmax_last", lambda g: {"a": f(g.randn(3, 7))}, lambda e: e["a"].softmax(-1),
         [M("a", "softmax", -1), M("a", "softmax", 1), Fn("torch.softmax", T("a"), 1),
          Fn("F.softmax", T("a"), {"dim": -1}), Fn("F.softmax", T("a"), 1)], expr="a.softmax(-1)")
    case("softmax_dim0", lambda g: {"a": f(g.randn(5, 6))}, lambda e: e["a"].softmax(0),
         [M("a", "softmax", 0), Fn("F.softmax", T("a"), {"dim": 0})], expr="a.softmax(0)")
    case("softmax_3d_mid", lambda g: {"a": f(g.randn(2, 5, 3))}, lambda e: e["a"].softmax(1),
         [M("a", "softmax", 1)], expr="a.softmax(1)")
    case("softmax_transposed", lambda g: {"a": f(g.randn(4, 6))}, lambda e: e["v"].softmax(-1),
         [M("v", "softmax", -1)], views={"v": ("a", [("t",)])}, expr="a.t().softmax(-1)")
    case("softmax_large", lambda g: {"a": f(g.randn(2, 9) * 40 + 500)}, lambda e: e["a"].softmax(1),
         [M("a", "softmax", 1)], expr="(a·40 + 500).softmax(1)  (no overflow)")
    case("softmax_neg_inf", lambda g: {"a": c(torch.tensor([[0.0, -INF, 1.0, -INF], [-INF, -INF, -INF, -INF]]))},
         lambda e: e["a"].softmax(1), [M("a", "softmax", 1)], expr="softmax with -inf entries and an all -inf row")
    case("softmax_implicit_2d", lambda g: {"a": f(g.randn(3, 4))}, lambda e: F.softmax(e["a"]),
         [Fn("F.softmax", T("a")), Fn("F.softmax", T("a"), {})], expr="F.softmax(a)  (2-D: dim 1)")
    case("softmax_implicit_3d", lambda g: {"a": f(g.randn(3, 2, 2))}, lambda e: F.softmax(e["a"]),
         [Fn("F.softmax", T("a"))], expr="F.softmax(a)  (3-D: dim 0)")
    case("softmax_0d", lambda g: {"a": f(torch.tensor(0.3))}, lambda e: e["a"].softmax(0),
         [M("a", "softmax", 0)], expr="0-d a.softmax(0)")
    case("softmax_empty", lambda g: {"a": f(torch.zeros(0, 3))}, lambda e: e["a"].softmax(1),
         [M("a", "softmax", 1)], expr="zeros(0, 3).softmax(1)")
    case("softmax_long_row", lambda g: {"a": f(g.randn(1, 1100) * 3)}, lambda e: e["a"].softmax(1),
         [M("a", "softmax", 1)], expr="(a·3).softmax(1) over 1100")
    case("log_softmax_last", lambda g: {"a": f(g.randn(3, 7))}, lambda e: e["a"].log_softmax(-1),
         [M("a", "logSoftmax", -1), Fn("torch.logSoftmax", T("a"), 1), Fn("F.logSoftmax", T("a"), {"dim": 1}),
          Fn("F.logSoftmax", T("a"), -1)], expr="a.log_softmax(-1)")
    case("log_softmax_dim0", lambda g: {"a": f(g.randn(5, 3))}, lambda e: e["a"].log_softmax(0),
         [M("a", "logSoftmax", 0)], expr="a.log_softmax(0)")
    case("log_softmax_large", lambda g: {"a": f(g.randn(2, 6) * 50 - 800)}, lambda e: e["a"].log_softmax(1),
         [M("a", "logSoftmax", 1)], expr="(a·50 − 800).log_softmax(1)")
    case("log_softmax_permuted", lambda g: {"a": f(g.randn(2, 3, 4))}, lambda e: e["v"].log_softmax(2),
         [M("v", "logSoftmax", 2)], views={"v": ("a", [("permute", 0, 2, 1)])}, expr="a.permute(0, 2, 1).log_softmax(2)")
    case("log_softmax_implicit_1d", lambda g: {"a": f(g.randn(5))}, lambda e: F.log_softmax(e["a"]),
         [Fn("F.logSoftmax", T("a"))], expr="F.log_softmax(a)  (1-D: dim 0)")
    case("log_softmax_neg_inf", lambda g: {"a": c(torch.tensor([[0.0, -INF, 1.0]]))}, lambda e: e["a"].log_softmax(1),
         [M("a", "logSoftmax", 1)], expr="log_softmax with a -inf entry")


# ---------------------------------------------------------------------------- main


def write(name, obj):
    os.makedirs(FIXTURES, exist_ok=True)
    path = os.path.join(FIXTURES, name)
    text = json.dumps(obj, separators=(",", ":"), ensure_ascii=False)
    with open(path, "w") as fh:
        fh.write(text + "\n")
    print(f"wrote {os.path.relpath(path, ROOT)} ({len(text) // 1024} KB)")


def main():
    build_sum_mean()
    build_prod()
    build_std_var()
    build_extrema()
    build_logsumexp()
    build_norm()
    build_cumsum()
    build_softmax()
    write("ops_reduce.json", {
        "torch": torch.__version__,
        "generator": "test/golden/gen_ops_reduce.py",
        "tolerance": {"atol": 1e-5, "rtol": 1e-4},
        "cases": CASES,
    })
    calls = sum(len(c["calls"]) for c in CASES.values())
    print(f"{len(CASES)} cases, {calls} calls ({len(CHECKED)} cross-checked against float64)")


if __name__ == "__main__":
    sys.exit(main())
