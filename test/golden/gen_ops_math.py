"""Golden fixtures for torchlet's element-wise math, comparisons and selection, from real
PyTorch (2.x CPU).

Run from the repository root:

    .venv/bin/python test/golden/gen_ops_math.py

Writes test/fixtures/ops_math.json: {"cases": [case, ...]}. Each case is one call, written
as data so that one interpreter replays every case (test/cases/ops_math.ts):

  name      unique
  inputs    {name: {dtype, shape, values, requiresGrad, view}}: a leaf tensor, then the
            view ops applied to it before the call (["t"], ["narrow", 0, 1, 2], ...)
  call      {"self": name, "method": m, "args": [...]} or {"fn": f, "args": [...]}: the
            torchlet method or torch.* function (camelCase) and its positional arguments,
            plus "options" where PyTorch's keyword-only arguments are given (torchlet's
            trailing options object);
            an argument is a number, a boolean, null, {"t": input name}, {"num": "nan"|"inf"|"-inf"}
            or {"undef": true} (JS undefined; None for PyTorch)
  output    {dtype, shape, values}   PyTorch's int64 is written as int32
  gradFn    PyTorch's grad_fn name, or null
  upstream  {shape, values} passed to output.backward(), or null (no backward)
  grads     {input name: {shape, values} | null}: the leaf's .grad after backward

Values: float32 as the shortest decimal that reads back as the same float32, non-finite
ones as "nan", "inf", "-inf"; int and bool as integers (bool 0/1). Every case draws its
random inputs from its own generator seeded with crc32(name), so adding a case changes no
other.
"""

import json
import math
import os
import sys
import warnings
import zlib

warnings.filterwarnings("ignore")

import torch  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixture_numbers import f32_json, f32_short  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
OUT = os.path.join(ROOT, "test", "fixtures", "ops_math.json")

torch.set_num_threads(1)

# torchlet's camelCase name → PyTorch's
PY_NAME = {"maskedFill": "masked_fill", "logicalNot": "logical_not", "logicalAnd": "logical_and",
           "logicalOr": "logical_or", "logicalXor": "logical_xor"}
DTYPE = {"float32": torch.float32, "int32": torch.int64, "bool": torch.bool}
JS_DTYPE = {torch.float32: "float32", torch.int64: "int32", torch.bool: "bool"}
NAN, INF = float("nan"), float("inf")


def values(t):
    flat = t.detach().reshape(-1).tolist()
    if t.dtype == torch.float32:
        return [f32_json(v) for v in flat]
    return [int(v) for v in flat]


def rec(t):
    return {"dtype": JS_DTYPE[t.dtype], "shape": list(t.shape), "values": values(t)}


class Gen:
    """Seeded inputs for one case, rounded through the fixture's decimal form."""

    def __init__(self, name):
        self.g = torch.Generator().manual_seed(zlib.crc32(name.encode()))

    def _q(self, t):
        return torch.tensor([f32_short(v) for v in t.reshape(-1).tolist()], dtype=torch.float32).reshape(t.shape)

    def randn(self, *shape, scale=1.0):
        return self._q(torch.randn(shape, generator=self.g) * scale)

    def uniform(self, *shape, lo=-1.0, hi=1.0):
        return self._q(torch.rand(shape, generator=self.g) * (hi - lo) + lo)

    def ints(self, *shape, lo=-4, hi=5):
        return torch.randint(lo, hi, shape, generator=self.g)

    def bools(self, *shape):
        return torch.rand(shape, generator=self.g) < 0.5

    def halves(self, *shape, lo=-6, hi=6):
        """Multiples of 0.5 (ties for rounding, equal values for comparisons)."""
        return torch.randint(2 * lo, 2 * hi + 1, shape, generator=self.g).float() / 2


class In:
    """An input: a leaf tensor (requiresGrad only for float32) and view ops applied before the call."""

    def __init__(self, t, grad=False, view=()):
        if not isinstance(t, torch.Tensor):
            t = torch.tensor(t, dtype=torch.float32)
        self.t = t
        self.grad = grad and t.dtype == torch.float32
        self.view = [list(v) for v in view]


def f32(vals):
    return torch.tensor(vals, dtype=torch.float32)


def i32(vals):
    return torch.tensor(vals, dtype=torch.int64)


def b8(vals):
    return torch.tensor(vals, dtype=torch.bool)


def apply_view(t, ops):
    for op in ops:
        name, args = op[0], op[1:]
        if name == "expand":
            t = t.expand(*args[0])
        elif name == "permute":
            t = t.permute(*args[0])
        else:
            t = getattr(t, name)(*args)
    return t


def py_arg(a, env):
    if isinstance(a, dict):
        if "t" in a:
            return env[a["t"]]
        if "num" in a:
            return {"nan": NAN, "inf": INF, "-inf": -INF}[a["num"]]
        if "undef" in a:
            return None
    return a


def js_arg(a):
    """Arguments as JSON: non-finite numbers as {"num": ...}."""
    if isinstance(a, float) and not math.isfinite(a):
        return {"num": f32_json(a)}
    return a


CASES = []
NAMES = set()


def T(name):
    return {"t": name}


UNDEF = {"undef": True}


def case(name, call, inputs, upstream=True, py_args=None):
    """Runs `call` on `inputs` in PyTorch and records the case. `py_args`: PyTorch's
    arguments where its call differs from torchlet's (a number bound beside a tensor bound
    is a 0-d tensor there)."""
    assert name not in NAMES, name
    NAMES.add(name)
    gen = Gen(name + "/upstream")
    leaves, env = {}, {}
    for k, inp in inputs.items():
        leaf = inp.t.clone().requires_grad_(inp.grad)
        leaves[k] = leaf
        env[k] = apply_view(leaf, inp.view)
    args = [py_arg(a, env) for a in (call["args"] if py_args is None else py_args)]
    fn = call.get("method") or call.get("fn")
    py = PY_NAME.get(fn, fn)
    kw = call.get("options", {})
    out = getattr(env[call["self"]], py)(*args, **kw) if "self" in call else getattr(torch, py)(*args, **kw)
    grad_fn = out.grad_fn.name() if out.grad_fn is not None else None
    up = None
    if upstream and out.requires_grad:
        up = gen.randn(*out.shape)
        out.backward(up)
    CASES.append({
        "name": name,
        "inputs": {k: {"dtype": JS_DTYPE[i.t.dtype], "shape": list(i.t.shape), "values": values(i.t),
                       "requiresGrad": i.grad, "view": i.view} for k, i in inputs.items()},
        "call": {**call, "args": [js_arg(a) for a in call["args"]]},
        "output": rec(out),
        "gradFn": grad_fn,
        "upstream": None if up is None else {"shape": list(up.shape), "values": values(up)},
        "grads": {k: (None if leaves[k].grad is None else rec(leaves[k].grad)) for k, i in inputs.items() if i.grad},
    })


def method(self_name, m, *args):
    return {"self": self_name, "method": m, "args": list(args)}


def fn(f, *args):
    return {"fn": f, "args": list(args)}


SPECIAL = [-2.0, -0.0, 0.0, 3.0, NAN, INF, -INF, 1e-30]
TIES = [-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.5, -3.7, 3.7, 0.49999997, -0.49999997, 1e8 + 0.0, 8388609.0, -7.0]

# ---------------------------------------------------------------------------- unary

for op in ["square", "rsqrt", "reciprocal", "sin", "cos", "log1p", "expm1", "log2"]:
    x = Gen(op).randn(3, 5, scale=2.0)
    if op in ("rsqrt", "log2"):
        x = Gen(op).uniform(3, 5, lo=0.05, hi=4.0)
    if op == "log1p":
        x = Gen(op).uniform(3, 5, lo=-0.9, hi=3.0)
    case(f"{op}_float", method("x", op), {"x": In(x, grad=True)})
    case(f"{op}_fn_transposed", fn(op, T("x")), {"x": In(x.t().contiguous(), grad=True, view=[["t"]])})
    case(f"{op}_int", method("x", op), {"x": In(Gen(op + "i").ints(2, 3, lo=1 if op in ("rsqrt", "log2") else -3, hi=6))})
    case(f"{op}_bool", fn(op, T("x")), {"x": In(Gen(op + "b").bools(5))})
for op in ["sign", "floor", "ceil", "round", "trunc"]:
    case(f"{op}_ties", method("x", op), {"x": In(f32(TIES), grad=True)})
    case(f"{op}_special", fn(op, T("x")), {"x": In(f32(SPECIAL), grad=True)})
    case(f"{op}_int", method("x", op), {"x": In(i32([-3, 0, 2, 7, -2147483647]))})
    case(f"{op}_narrowed", method("x", op), {"x": In(Gen(op).halves(4, 6), grad=True, view=[["narrow", 1, 1, 4]])})
for op in ["square", "sin", "cos", "log1p", "expm1", "log2", "rsqrt", "reciprocal"]:
    case(f"{op}_special", method("x", op), {"x": In(f32(SPECIAL[:4] + [NAN, INF, -INF, 0.5, -0.5, 100.0, 1e4]), grad=True)})
for d in [0, 1, 2, -1, -2]:
    case(f"round_decimals_{d}".replace("-", "minus"), {**method("x", "round"), "options": {"decimals": d}},
         {"x": In(f32([1.2345, -2.5, 1234.5678, 0.125, 0.375, 25.0, 35.0, -0.05, NAN, INF]), grad=True)})
case("round_decimals_fn_view", {**fn("round", T("x")), "options": {"decimals": 1}},
     {"x": In(Gen("rdf").randn(4, 3, scale=10.0), grad=True, view=[["t"]])})
case("sign_bool", method("x", "sign"), {"x": In(b8([True, False, True]))})
case("square_expanded", method("x", "square"), {"x": In(Gen("sqe").randn(3, 1), grad=True, view=[["expand", [3, 4]]])})
case("sin_selected", method("x", "sin"), {"x": In(Gen("sins").randn(4, 3, scale=3.0), grad=True, view=[["select", 1, 2]])})
case("cos_large_args", method("x", "cos"), {"x": In(f32([10.0, 100.0, 1000.0, -1234.5, 3.14159265, 1e5]), grad=True)})
case("abs_int", method("x", "abs"), {"x": In(i32([-3, 0, 5, -2147483647, 16777217]))})
case("neg_int", method("x", "neg"), {"x": In(i32([-3, 0, 5, 2147483647, 16777217]))})
case("unary_empty", method("x", "sin"), {"x": In(torch.zeros(0, 3), grad=True)})
case("unary_0d", method("x", "log1p"), {"x": In(f32(0.25), grad=True)})
case("square_long_row", method("x", "square"), {"x": In(Gen("sql").randn(2, 37), grad=True)})
case("square_int_long_row", method("x", "square"), {"x": In(Gen("sqil").ints(37, lo=-50, hi=50))})
case("sign_int_long_row", method("x", "sign"), {"x": In(Gen("sgil").ints(37, lo=-3, hi=4))})

# ---------------------------------------------------------------------------- pow

for p in [2, 3, 0.5, -1.5, 0, 1, -1]:
    x = Gen(f"pow{p}").uniform(3, 4, lo=0.2, hi=2.5) if p not in (2, 3, 0, 1) else Gen(f"pow{p}").randn(3, 4)
    case(f"pow_number_{p}", method("x", "pow", p), {"x": In(x, grad=True)})
case("pow_number_fn_transposed", fn("pow", T("x"), 2.5), {"x": In(Gen("pnt").uniform(4, 3, lo=0.1, hi=2.0), grad=True, view=[["t"]])})
case("pow_int_number", method("x", "pow", 3), {"x": In(i32([-3, -1, 0, 2, 5]))})
case("pow_int_number_zero", method("x", "pow", 0), {"x": In(i32([-3, 0, 2]))})
case("pow_int_float_number", method("x", "pow", 0.5), {"x": In(i32([-3, 0, 2, 9]))})
case("pow_bool_number", method("x", "pow", 2), {"x": In(b8([True, False]))})
case("pow_tensor_same", method("a", "pow", T("b")),
     {"a": In(Gen("pts").uniform(3, 4, lo=0.1, hi=3.0), grad=True), "b": In(Gen("pts2").randn(3, 4), grad=True)})
case("pow_tensor_broadcast_row", fn("pow", T("a"), T("b")),
     {"a": In(Gen("ptr").uniform(3, 4, lo=0.1, hi=3.0), grad=True), "b": In(Gen("ptr2").randn(4), grad=True)})
case("pow_tensor_broadcast_both", method("a", "pow", T("b")),
     {"a": In(Gen("ptb").uniform(3, 1, lo=0.1, hi=3.0), grad=True), "b": In(Gen("ptb2").uniform(1, 5, lo=-2, hi=2), grad=True)})
case("pow_zero_and_negative_base", method("a", "pow", T("b")),
     {"a": In(f32([0.0, 0.0, 0.0, -2.0, -2.0, 2.0, 0.0, -3.0, -0.0]), grad=True),
      "b": In(f32([0.0, 2.0, -1.0, 2.0, 0.5, 0.0, 0.5, 3.0, 1.0]), grad=True)})
case("pow_base_only_grad", method("a", "pow", T("b")),
     {"a": In(Gen("pbg").uniform(2, 3, lo=0.1, hi=2.0), grad=True), "b": In(Gen("pbg2").randn(2, 3))})
case("pow_exponent_only_grad", method("a", "pow", T("b")),
     {"a": In(Gen("peg").uniform(2, 3, lo=0.1, hi=2.0)), "b": In(Gen("peg2").randn(2, 3), grad=True)})
case("pow_tensor_views", method("a", "pow", T("b")),
     {"a": In(Gen("ptv").uniform(4, 3, lo=0.1, hi=2.0), grad=True, view=[["t"]]),
      "b": In(Gen("ptv2").randn(3, 1), grad=True, view=[["expand", [3, 5]], ["narrow", 1, 1, 4]])})
case("pow_number_base", fn("pow", 2, T("e")), {"e": In(Gen("pnb").randn(2, 3), grad=True)})
case("pow_number_base_zero", fn("pow", 0, T("e")), {"e": In(f32([0.0, 2.0, -1.0, 0.5]), grad=True)})
case("pow_number_base_negative", fn("pow", -2, T("e")), {"e": In(f32([0.0, 2.0, -1.0, 0.5]), grad=True)})
case("pow_number_base_fraction", fn("pow", 0.5, T("e")), {"e": In(Gen("pnbf").randn(5), grad=True)})
case("pow_number_base_int", fn("pow", 2, T("e")), {"e": In(i32([-3, 0, 1, 4, 10]))})
case("pow_number_base_float_int", fn("pow", 2.5, T("e")), {"e": In(i32([-3, 0, 1, 4]))})
case("pow_number_base_bool", fn("pow", 3, T("e")), {"e": In(b8([True, False]))})
case("pow_int_int", method("a", "pow", T("b")),
     {"a": In(i32([-3, 0, 2, 1, -1, -1, 3, -2, 0])), "b": In(i32([-3, -1, -2, -5, -3, -2, 4, 3, 0]))})
case("pow_float_int", method("a", "pow", T("b")), {"a": In(f32([-1.5, 0.0, 2.5, 3.0]), grad=True), "b": In(i32([3, 0, 2, -1]))})
case("pow_int_float", method("a", "pow", T("b")), {"a": In(i32([-3, 0, 2, 4])), "b": In(f32([-1.5, 0.0, 2.5, 0.5]), grad=True)})
case("pow_int_bool", method("a", "pow", T("b")), {"a": In(i32([-3, 0, 2, 4])), "b": In(b8([True, False, True, False]))})
case("pow_square_method", method("x", "square"), {"x": In(Gen("psm").randn(6), grad=True)})

# ---------------------------------------------------------------------------- clamp

cx = Gen("clamp").halves(3, 5, lo=-2, hi=2)  # halves: some land exactly on the bounds
case("clamp_both", method("x", "clamp", -0.5, 1.0), {"x": In(cx, grad=True)})
case("clamp_min_only", method("x", "clamp", 0), {"x": In(cx, grad=True)})
case("clamp_max_only_null", method("x", "clamp", None, 0.5), {"x": In(cx, grad=True)})
case("clamp_max_only_undefined", method("x", "clamp", UNDEF, 0.5), {"x": In(cx, grad=True)})
case("clamp_min_gt_max", fn("clamp", T("x"), 1.0, -1.0), {"x": In(cx, grad=True)})
case("clamp_special", method("x", "clamp", -1.0, 1.0), {"x": In(f32(SPECIAL + [0.5, -1.0, 1.0]), grad=True)})
case("clamp_nan_min", method("x", "clamp", NAN), {"x": In(Gen("cnm").randn(20), grad=True)})
case("clamp_nan_max", method("x", "clamp", None, NAN), {"x": In(Gen("cnx").randn(7), grad=True)})
case("clamp_inf_bounds", method("x", "clamp", -INF, INF), {"x": In(f32(SPECIAL), grad=True)})
case("clamp_fraction_bounds", method("x", "clamp", 0.1, 0.7), {"x": In(Gen("cfb").uniform(21), grad=True)})
case("clamp_transposed", method("x", "clamp", -0.5, 0.5), {"x": In(Gen("ctr").randn(5, 3), grad=True, view=[["t"]])})
case("clamp_int", method("x", "clamp", 0, 3), {"x": In(i32([-3, 0, 2, 5, 2147483647, -2147483647]))})
case("clamp_int_min_only", method("x", "clamp", -1), {"x": In(Gen("cim").ints(9))})
case("clamp_int_float_bound", method("x", "clamp", 0.5, 3), {"x": In(i32([-3, 0, 2, 5]))})
case("clamp_int_huge_bounds", method("x", "clamp", -5000000000, 5000000000), {"x": In(i32([-3, 0, 2147483647, -2147483647]))})
case("clamp_bool", method("x", "clamp", 0, 1), {"x": In(b8([True, False, True]))})
case("clamp_int_long_row", method("x", "clamp", -10, 10), {"x": In(Gen("cil").ints(37, lo=-20, hi=20))})
case("clamp_empty", method("x", "clamp", 0, 1), {"x": In(torch.zeros(2, 0), grad=True)})
case("clamp_0d", method("x", "clamp", 0, 1), {"x": In(f32(1.5), grad=True)})
lo, hi = Gen("clt").halves(5, lo=-2, hi=0), Gen("clt2").halves(3, 1, lo=0, hi=2)
case("clamp_tensor_both", method("x", "clamp", T("lo"), T("hi")),
     {"x": In(Gen("clt3").halves(3, 5, lo=-3, hi=3), grad=True), "lo": In(lo, grad=True), "hi": In(hi, grad=True)})
case("clamp_tensor_min_gt_max", method("x", "clamp", T("lo"), T("hi")),
     {"x": In(Gen("cltm").randn(2, 4), grad=True), "lo": In(f32([0.5, -1.0, 2.0, 0.0]), grad=True),
      "hi": In(f32([0.0, 1.0, 1.0, 0.0]), grad=True)})
case("clamp_tensor_min_only", method("x", "clamp", T("lo")),
     {"x": In(Gen("clto").halves(3, 4, lo=-2, hi=2), grad=True), "lo": In(Gen("clto2").halves(4, lo=-1, hi=1), grad=True)})
case("clamp_tensor_max_only", fn("clamp", T("x"), None, T("hi")),
     {"x": In(Gen("cltx").halves(3, 4, lo=-2, hi=2), grad=True), "hi": In(Gen("cltx2").halves(3, 1, lo=-1, hi=1), grad=True)})
case("clamp_tensor_and_number", method("x", "clamp", T("lo"), 0.5),
     {"x": In(Gen("cltn").randn(3, 4), grad=True), "lo": In(f32(-0.25), grad=True)}, py_args=[T("lo"), f32(0.5)])
case("clamp_number_and_tensor", method("x", "clamp", -0.5, T("hi")),
     {"x": In(Gen("clnt").randn(2, 3), grad=True), "hi": In(Gen("clnt2").randn(3), grad=True)}, py_args=[f32(-0.5), T("hi")])
case("clamp_int_tensor_and_fraction", method("x", "clamp", T("lo"), 2.5),
     {"x": In(i32([-3, 0, 2, 5])), "lo": In(i32([0, -1, 3, 0]))}, py_args=[T("lo"), f32(2.5)])
case("clamp_tensor_nan", method("x", "clamp", T("lo"), T("hi")),
     {"x": In(f32([NAN, 0.0, 1.0, 2.0, -1.0]), grad=True), "lo": In(f32([0.0, NAN, 0.0, 0.0, 0.0]), grad=True),
      "hi": In(f32([1.0, 1.0, NAN, 1.0, 1.0]), grad=True)})
case("clamp_tensor_bound_broadcasts_self", method("x", "clamp", T("lo")),
     {"x": In(Gen("clbs").randn(4), grad=True), "lo": In(Gen("clbs2").randn(3, 4), grad=True)})
case("clamp_tensor_views", method("x", "clamp", T("lo"), T("hi")),
     {"x": In(Gen("cltv").randn(4, 3), grad=True, view=[["t"]]), "lo": In(Gen("cltv2").randn(4, 2) - 1, grad=True, view=[["select", 1, 0]]),
      "hi": In(Gen("cltv3").randn(1) + 1, grad=True, view=[["expand", [3, 4]]])})
case("clamp_tensor_int", method("x", "clamp", T("lo"), T("hi")),
     {"x": In(i32([-3, 0, 2, 5])), "lo": In(i32([0, 1, 0, 0])), "hi": In(i32([1, 1, 1, 3]))})
case("clamp_tensor_int_float_bound", method("x", "clamp", T("lo"), T("hi")),
     {"x": In(i32([-3, 0, 2, 5])), "lo": In(f32(0.5), grad=True), "hi": In(f32(1.5), grad=True)})
case("clamp_tensor_float_int_bound", method("x", "clamp", T("lo")),
     {"x": In(Gen("clfi").randn(5), grad=True), "lo": In(i32([0, 0, -1, 1, 0]))})

# ---------------------------------------------------------------------------- minimum, maximum

for m in ["maximum", "minimum"]:
    case(f"{m}_same", method("a", m, T("b")), {"a": In(Gen(m).randn(3, 4), grad=True), "b": In(Gen(m + "2").randn(3, 4), grad=True)})
    case(f"{m}_ties", fn(m, T("a"), T("b")),
         {"a": In(f32([1.0, 2.0, -1.0, 0.0, 3.0, -0.0]), grad=True), "b": In(f32([1.0, 1.0, -1.0, -0.0, 4.0, 0.0]), grad=True)})
    case(f"{m}_nan_inf", method("a", m, T("b")),
         {"a": In(f32([1.0, NAN, 2.0, NAN, INF, -INF, INF, 5.0]), grad=True),
          "b": In(f32([NAN, 1.0, 2.0, NAN, INF, 3.0, -INF, -INF]), grad=True)})
    case(f"{m}_broadcast", method("a", m, T("b")), {"a": In(Gen(m + "b").halves(3, 4, lo=-2, hi=2), grad=True),
                                                    "b": In(Gen(m + "b2").halves(4, lo=-2, hi=2), grad=True)})
    case(f"{m}_broadcast_left_scalar", fn(m, T("a"), T("b")), {"a": In(f32(0.25), grad=True), "b": In(Gen(m + "bl").randn(2, 9), grad=True)})
    case(f"{m}_views", method("a", m, T("b")), {"a": In(Gen(m + "v").randn(5, 3), grad=True, view=[["t"]]),
                                                "b": In(Gen(m + "v2").randn(3, 1), grad=True, view=[["expand", [3, 5]]])})
    case(f"{m}_long_rows", method("a", m, T("b")), {"a": In(Gen(m + "l").randn(3, 37), grad=True),
                                                    "b": In(Gen(m + "l2").randn(37), grad=True)})
    case(f"{m}_one_grad", method("a", m, T("b")), {"a": In(Gen(m + "o").randn(6), grad=True), "b": In(Gen(m + "o2").randn(6))})
    case(f"{m}_int", method("a", m, T("b")), {"a": In(i32([-3, 0, 2, 5, -2147483647])), "b": In(i32([1, 0, 3, -5, 7]))})
    case(f"{m}_int_long_row", method("a", m, T("b")), {"a": In(Gen(m + "il").ints(2, 37)), "b": In(Gen(m + "il2").ints(37))})
    case(f"{m}_int_float", method("a", m, T("b")), {"a": In(i32([-3, 0, 2, 5])), "b": In(f32([-1.5, 0.0, 2.5, NAN]), grad=True)})
    case(f"{m}_bool", method("a", m, T("b")), {"a": In(b8([True, True, False, False])), "b": In(b8([True, False, True, False]))})
    case(f"{m}_bool_int", method("a", m, T("b")), {"a": In(b8([True, True, False, False])), "b": In(i32([-1, 2, 0, -3]))})
    case(f"{m}_empty", method("a", m, T("b")), {"a": In(torch.zeros(0, 4), grad=True), "b": In(torch.zeros(4), grad=True)})

# ---------------------------------------------------------------------------- comparisons

CMP = ["eq", "ne", "lt", "le", "gt", "ge"]
# values that overlap across dtypes, so every op is sometimes true and sometimes false
CMP_INPUTS = {
    "float32": lambda: f32([0.0, 1.0, 2.0, 1.5, NAN, -1.0, INF, 0.0]),
    "int32": lambda: i32([0, 1, 2, 1, 3, -1, 0, 1]),
    "bool": lambda: b8([False, True, True, True, False, False, True, False]),
}
CMP_INPUTS_B = {
    "float32": lambda: f32([0.0, 1.0, 1.0, 1.5, NAN, -2.0, INF, -0.0]),
    "int32": lambda: i32([0, 2, 2, 1, 1, -1, 0, 0]),
    "bool": lambda: b8([False, True, False, True, True, False, True, True]),
}
for da in CMP_INPUTS:
    for db in CMP_INPUTS_B:
        for op in CMP:
            case(f"{op}_{da}_{db}", method("a", op, T("b")), {"a": In(CMP_INPUTS[da]()), "b": In(CMP_INPUTS_B[db]())})
NUMBERS = [1, 1.5, 0, -1, 2.5]
for da in CMP_INPUTS:
    for op in CMP:
        for k, v in enumerate(NUMBERS[:2] if op not in ("eq", "ne") else NUMBERS):
            case(f"{op}_{da}_number{k}", method("a", op, v), {"a": In(CMP_INPUTS[da]())})
for op in CMP:
    case(f"{op}_bool_boolean", method("a", op, True), {"a": In(b8([True, False]))})
    case(f"{op}_float_boolean", method("a", op, False), {"a": In(f32([1.0, 0.0, -0.5]))})
    case(f"{op}_int_beyond_int32", method("a", op, 3000000000), {"a": In(i32([-5, 0, 2147483647]))})
    case(f"{op}_int_below_int32", method("a", op, -3000000000), {"a": In(i32([-2147483647, 0, 5]))})
    case(f"{op}_nan_number", method("a", op, NAN), {"a": In(f32([NAN, 0.0, 1.0]))})
    case(f"{op}_inf_number", fn(op, T("a"), INF), {"a": In(f32([INF, 0.0, -INF]))})
    case(f"{op}_int_inf_number", method("a", op, -INF), {"a": In(i32([0, -2147483647]))})
    case(f"{op}_broadcast", fn(op, T("a"), T("b")), {"a": In(Gen(op + "bc").halves(3, 1, lo=-2, hi=2)),
                                                   "b": In(Gen(op + "bc2").halves(4, lo=-2, hi=2))})
    case(f"{op}_left_broadcast_long", method("a", op, T("b")), {"a": In(f32(0.0)), "b": In(Gen(op + "lb").halves(2, 37, lo=-2, hi=2))})
    case(f"{op}_float_long_rows", method("a", op, T("b")), {"a": In(Gen(op + "fl").halves(3, 37, lo=-2, hi=2)),
                                                           "b": In(Gen(op + "fl2").halves(3, 37, lo=-2, hi=2))})
    case(f"{op}_int_long_rows_number", method("a", op, 1), {"a": In(Gen(op + "il").ints(2, 35, lo=-2, hi=3))})
    case(f"{op}_int_long_rows", method("a", op, T("b")), {"a": In(Gen(op + "ilr").ints(33, lo=-2, hi=3)),
                                                         "b": In(Gen(op + "ilr2").ints(2, 33, lo=-2, hi=3))})
    case(f"{op}_bool_long_rows", method("a", op, T("b")), {"a": In(Gen(op + "bl").bools(2, 40)), "b": In(Gen(op + "bl2").bools(2, 40))})
    case(f"{op}_bool_long_rows_number", method("a", op, 1), {"a": In(Gen(op + "bln").bools(40))})
    case(f"{op}_views", method("a", op, T("b")), {"a": In(Gen(op + "v").halves(5, 4, lo=-2, hi=2), view=[["t"]]),
                                                 "b": In(Gen(op + "v2").halves(6, 4, lo=-2, hi=2), view=[["narrow", 0, 1, 5], ["t"], ["expand", [3, 4, 5]]])})
    case(f"{op}_empty", method("a", op, T("b")), {"a": In(torch.zeros(0, 3)), "b": In(torch.zeros(3))})
    case(f"{op}_0d", method("a", op, T("b")), {"a": In(f32(1.0)), "b": In(f32(2.0))})

# ---------------------------------------------------------------------------- logical

case("logicalNot_float", method("a", "logicalNot"), {"a": In(f32([0.0, -0.0, 1.5, NAN, -INF]))})
case("logicalNot_int", fn("logicalNot", T("a")), {"a": In(i32([0, 1, -2]))})
case("logicalNot_bool_view", method("a", "logicalNot"), {"a": In(Gen("lnb").bools(3, 18), view=[["t"]])})
for op in ["logicalAnd", "logicalOr", "logicalXor"]:
    for da in CMP_INPUTS:
        for db in CMP_INPUTS_B:
            case(f"{op}_{da}_{db}", method("a", op, T("b")), {"a": In(CMP_INPUTS[da]()), "b": In(CMP_INPUTS_B[db]())})
    case(f"{op}_broadcast_long", fn(op, T("a"), T("b")), {"a": In(Gen(op).bools(3, 1)), "b": In(Gen(op + "2").bools(37))})

# ---------------------------------------------------------------------------- where

WHERE_A = {"float32": lambda: f32([1.5, -2.0, NAN, 4.0]), "int32": lambda: i32([1, -2, 3, 4]),
           "bool": lambda: b8([True, False, True, False])}
WHERE_B = {"float32": lambda: f32([-0.5, 0.25, 7.0, -INF]), "int32": lambda: i32([5, 6, -7, 8]),
           "bool": lambda: b8([False, True, True, False])}
COND = b8([True, False, True, False])
for da in WHERE_A:
    for db in WHERE_B:
        case(f"where_{da}_{db}", fn("where", T("c"), T("a"), T("b")),
             {"c": In(COND.clone()), "a": In(WHERE_A[da](), grad=True), "b": In(WHERE_B[db](), grad=True)})
    for k, v in enumerate([7, -0.5]):
        case(f"where_{da}_number{k}", fn("where", T("c"), T("a"), v), {"c": In(COND.clone()), "a": In(WHERE_A[da](), grad=True)})
        case(f"where_number{k}_{da}", fn("where", T("c"), v, T("b")), {"c": In(COND.clone()), "b": In(WHERE_B[da](), grad=True)})
case("where_numbers_int", fn("where", T("c"), 1, 0), {"c": In(COND.clone())})
case("where_numbers_float", fn("where", T("c"), 1.5, 0), {"c": In(COND.clone())})
case("where_numbers_inf", fn("where", T("c"), -INF, 2), {"c": In(COND.clone())})
case("where_broadcast_grads", fn("where", T("c"), T("a"), T("b")),
     {"c": In(Gen("wbg").bools(3, 1)), "a": In(Gen("wbg2").randn(4), grad=True), "b": In(Gen("wbg3").randn(3, 4), grad=True)})
case("where_broadcast_cond", fn("where", T("c"), T("a"), T("b")),
     {"c": In(Gen("wbc").bools(5)), "a": In(Gen("wbc2").randn(2, 5), grad=True), "b": In(Gen("wbc3").randn(2, 1), grad=True)})
case("where_views", fn("where", T("c"), T("a"), T("b")),
     {"c": In(Gen("wv").bools(4, 3), view=[["t"]]), "a": In(Gen("wv2").randn(3, 6), grad=True, view=[["narrow", 1, 1, 4]]),
      "b": In(Gen("wv3").randn(1, 4), grad=True, view=[["expand", [3, 4]]])})
case("where_long_rows_float", fn("where", T("c"), T("a"), 0.0),
     {"c": In(Gen("wlf").bools(3, 37)), "a": In(Gen("wlf2").randn(3, 37), grad=True)})
case("where_long_rows_scalar_tensor", fn("where", T("c"), T("a"), T("b")),
     {"c": In(Gen("wls").bools(37)), "a": In(f32(2.0), grad=True), "b": In(Gen("wls2").randn(37), grad=True)})
case("where_long_rows_bool", fn("where", T("c"), T("a"), T("b")),
     {"c": In(Gen("wlb").bools(2, 37)), "a": In(Gen("wlb2").bools(2, 37)), "b": In(Gen("wlb3").bools(37))})
case("where_long_rows_int", fn("where", T("c"), T("a"), -1),
     {"c": In(Gen("wli").bools(2, 37)), "a": In(Gen("wli2").ints(2, 37))})
case("where_same_tensor_twice", fn("where", T("c"), T("a"), T("a")), {"c": In(COND.clone()), "a": In(Gen("wst").randn(4), grad=True)})
case("where_method", method("a", "where", T("c"), T("b")),
     {"a": In(Gen("wm").randn(2, 3), grad=True), "c": In(Gen("wm2").bools(2, 3)), "b": In(Gen("wm3").randn(3), grad=True)})
case("where_method_number", method("a", "where", T("c"), 0),
     {"a": In(Gen("wmn").randn(2, 3), grad=True), "c": In(Gen("wmn2").bools(2, 3))})
case("where_empty", fn("where", T("c"), T("a"), T("b")),
     {"c": In(torch.zeros(0, 2, dtype=torch.bool)), "a": In(torch.zeros(0, 2), grad=True), "b": In(torch.zeros(2), grad=True)})
case("where_0d", fn("where", T("c"), T("a"), T("b")), {"c": In(b8(True)), "a": In(f32(1.0), grad=True), "b": In(f32(2.0), grad=True)})

# ---------------------------------------------------------------------------- maskedFill

mx = Gen("mf").randn(3, 4)
mm = Gen("mf2").bools(3, 4)
case("maskedFill_number", method("x", "maskedFill", T("m"), 0.5), {"x": In(mx, grad=True), "m": In(mm)})
case("maskedFill_neg_inf", method("x", "maskedFill", T("m"), -INF), {"x": In(mx, grad=True), "m": In(mm)})
case("maskedFill_nan", method("x", "maskedFill", T("m"), NAN), {"x": In(mx, grad=True), "m": In(mm)})
case("maskedFill_fn", fn("maskedFill", T("x"), T("m"), 2), {"x": In(mx, grad=True), "m": In(mm)})
case("maskedFill_row_mask", method("x", "maskedFill", T("m"), 0), {"x": In(mx, grad=True), "m": In(Gen("mfr").bools(4))})
case("maskedFill_mask_broadcasts_self", method("x", "maskedFill", T("m"), -1),
     {"x": In(Gen("mfb").randn(4), grad=True), "m": In(Gen("mfb2").bools(3, 4))})
case("maskedFill_tensor_value", method("x", "maskedFill", T("m"), T("v")),
     {"x": In(mx, grad=True), "m": In(mm), "v": In(f32(-3.5), grad=True)})
case("maskedFill_tensor_value_only_grad", method("x", "maskedFill", T("m"), T("v")),
     {"x": In(mx), "m": In(mm), "v": In(f32(1.25), grad=True)})
case("maskedFill_int", method("x", "maskedFill", T("m"), 7), {"x": In(i32([1, 2, 3, 4])), "m": In(COND.clone())})
case("maskedFill_int_fraction", method("x", "maskedFill", T("m"), 2.75), {"x": In(i32([1, 2, 3, 4])), "m": In(COND.clone())})
case("maskedFill_bool", method("x", "maskedFill", T("m"), 2), {"x": In(b8([False, False, True, True])), "m": In(COND.clone())})
case("maskedFill_bool_zero", method("x", "maskedFill", T("m"), 0), {"x": In(b8([True, True, True, True])), "m": In(COND.clone())})
case("maskedFill_views", method("x", "maskedFill", T("m"), 9),
     {"x": In(Gen("mfv").randn(4, 3), grad=True, view=[["t"]]), "m": In(Gen("mfv2").bools(4, 1), view=[["t"], ["expand", [3, 4]]])})
case("maskedFill_long_rows", method("x", "maskedFill", T("m"), 0),
     {"x": In(Gen("mfl").randn(2, 37), grad=True), "m": In(Gen("mfl2").bools(2, 37))})
case("maskedFill_empty", method("x", "maskedFill", T("m"), 1), {"x": In(torch.zeros(0), grad=True), "m": In(torch.zeros(0, dtype=torch.bool))})

# ---------------------------------------------------------------------------- compositions a user writes

case("compose_masked_softmax_input", fn("where", T("c"), T("x"), -INF),
     {"c": In(Gen("cms").bools(2, 5)), "x": In(Gen("cms2").randn(2, 5), grad=True)})
case("compose_clamp_transposed", method("x", "clamp", 0.1, 2.0), {"x": In(Gen("ccp").uniform(3, 3, lo=-2, hi=3), grad=True, view=[["t"]])})

os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, "w") as f:
    json.dump({"cases": CASES}, f, separators=(",", ":"))
    f.write("\n")
print(f"{len(CASES)} cases -> {os.path.relpath(OUT, ROOT)}")
