"""Golden fixtures for torchlet's creation functions and random numbers, from PyTorch.

Run from the repository root:

    /work/main/.venv/bin/python test/golden/gen_ops_create.py

Writes test/fixtures/ops_create.json with

  cases   one call each: {fn, args, opts, expr, dtype, shape, values, requiresGrad}.
          `fn` is a torch.* function (or "Generator.manualSeed" …), `args` its positional
          arguments, `opts` the trailing options object (torchlet's names). A tensor
          argument is written {"tensor": {dtype, shape, values}, "transpose"?: true} (true:
          the argument is that tensor's .t() view); a non-finite number as
          "inf", "-inf" or "nan" (also in values). dtype "int32" is PyTorch's int64 (the
          generator calls PyTorch with torch.int64 for it). values is null where PyTorch's
          are not defined (empty_like) or are random (rand, randint: only dtype and shape are
          compared; the JS tests check the values' properties).
  errors  calls PyTorch refuses: {fn, args, opts, torchType, torchMessage, contains}: the
          JS message must contain every string of `contains` (PyTorch's message itself
          unless its wording is Python's: argument-combination errors, type names).
  stream  torchlet's own random streams, computed here by an independent implementation
          of its generator (splitmix32 seeding, xoshiro128**, 24-bit uniforms, Box–Muller,
          rejection-sampled integers, Fisher–Yates): PyTorch's numbers differ by design, so
          this pins what torch.manualSeed(s) gives in every runtime.

Single-threaded, as the JS emulation of PyTorch's arange/linspace kernels is.
"""

import json
import math
import os
import random
import struct
import sys
import warnings

warnings.filterwarnings("ignore")

import torch  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixture_numbers import f32_short  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
OUT = os.path.join(ROOT, "test", "fixtures", "ops_create.json")

torch.set_num_threads(1)

TORCH_DTYPE = {"float32": torch.float32, "int32": torch.int64, "bool": torch.bool}
OUR_DTYPE = {torch.float32: "float32", torch.int64: "int32", torch.int32: "int32", torch.bool: "bool"}


def num(v):
    """A number for the JSON: non-finite ones as strings."""
    if isinstance(v, bool):
        return v
    if isinstance(v, float) and math.isnan(v):
        return "nan"
    if isinstance(v, float) and math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v


def values_of(t):
    if t.dtype == torch.bool:
        return [bool(x) for x in t.reshape(-1).tolist()]
    if t.dtype.is_floating_point:
        return [num(x) if not math.isfinite(x) else f32_short(x) for x in t.reshape(-1).tolist()]
    return [int(x) for x in t.reshape(-1).tolist()]


def tensor_arg(values, shape, dtype):
    t = torch.tensor(values, dtype=TORCH_DTYPE[dtype]).reshape(shape)
    return t, {"tensor": {"dtype": dtype, "shape": list(shape), "values": values_of(t)}}


def torch_kwargs(opts):
    kw = {}
    for k, v in (opts or {}).items():
        if k == "dtype":
            kw["dtype"] = TORCH_DTYPE[v]
        elif k == "requiresGrad":
            kw["requires_grad"] = v
        else:
            raise ValueError(k)
    return kw


TORCH_FN = {
    "arange": torch.arange, "linspace": torch.linspace, "eye": torch.eye,
    "zerosLike": torch.zeros_like, "onesLike": torch.ones_like, "fullLike": torch.full_like,
    "emptyLike": torch.empty_like, "rand": torch.rand, "randn": torch.randn, "randint": torch.randint,
    "randperm": torch.randperm, "randLike": torch.rand_like, "randnLike": torch.randn_like,
}
RANDOM = {"rand", "randn", "randint", "randperm", "randLike", "randnLike", "emptyLike"}

cases = []
errors = []


def call(fn, args, opts):
    targs = [a[0] if isinstance(a, tuple) else (tuple(a) if isinstance(a, list) else a) for a in args]
    return TORCH_FN[fn](*targs, **torch_kwargs(opts))


def js_args(args):
    return [a[1] if isinstance(a, tuple) else num(a) for a in args]


def case(fn, *args, opts=None):
    out = call(fn, args, opts)
    cases.append({
        "fn": fn, "args": js_args(args), "opts": opts or {},
        "expr": f"torch.{fn}{tuple(a[1] if isinstance(a, tuple) else a for a in args)} {opts or ''}",
        "dtype": OUR_DTYPE[out.dtype], "shape": list(out.shape), "requiresGrad": out.requires_grad,
        "values": None if fn in RANDOM else values_of(out),
    })


def error(fn, *args, opts=None, contains=None, run=None):
    try:
        (run or (lambda: call(fn, args, opts)))()
    except Exception as e:  # noqa: BLE001
        msg = str(e).split("\n")[0]
        errors.append({"fn": fn, "args": js_args(args), "opts": opts or {}, "torchType": type(e).__name__,
                       "torchMessage": msg, "contains": contains if contains is not None else [msg]})
        return
    raise AssertionError(f"PyTorch accepted {fn}{args} {opts}")


# ---------------------------------------------------------------------------- arange
for a in [(5,), (0,), (1,), (2, 7), (7, 2, -1), (10, 0, -3), (0, 10, 3), (-5, 5, 2), (0, 0), (3, 3, -1),
          (-7, -2), (0, 1000, 7)]:
    case("arange", *a)
for a in [(0, 1, 0.1), (1, 2.5, 0.5), (0, 0.3, 0.1), (-1, 1, 0.1), (0, 10, 0.3), (2.5,), (0.5, 3), (1, 0, -0.1),
          (0, 5, 1.5), (1e-3, 1e-2, 1e-3), (-2.5, 2.5, 0.25), (0, 100, 0.37), (1000.5, 1100.5, 0.7),
          (-3.3, 4.4, 0.55), (0, 1, 1 / 3), (10, -10, -0.7), (0, 10, float("inf")), (0.1, 0.1, 0.1),
          (16777216.0, 16777300.5, 3.3), (1e-30, 1e-29, 1e-31)]:
    case("arange", *a)
# lengths around PyTorch's 16-element blocks (SIMD tails) with a fractional step
for n in [1, 3, 4, 5, 8, 15, 16, 17, 31, 32, 33, 1023]:
    case("arange", 0.25, 0.25 + 0.1 * n - 0.05, 0.1)
rng = random.Random(20240613)
for _ in range(40):
    n = rng.choice([2, 7, 16, 23, 40, 64, 100, 257, 600])
    start = round(rng.uniform(-1000, 1000) * rng.choice([1, 1e-3]), rng.choice([1, 3, 6]))
    step = rng.uniform(0.001, 5) * rng.choice([1, -1])
    case("arange", start, start + step * (n - rng.random()), step)
case("arange", 5, opts={"dtype": "float32"})
case("arange", 0, 10, 2, opts={"dtype": "float32"})
case("arange", 3, opts={"dtype": "float32", "requiresGrad": True})
case("arange", 0.5, 3, opts={"dtype": "int32"})
case("arange", -0.7, 3.5, 1.5, opts={"dtype": "int32"})
case("arange", 0.2, 3.5, opts={"dtype": "int32"})
case("arange", 2.5, opts={"dtype": "int32"})
case("arange", 10, 0, -3, opts={"dtype": "int32"})
case("arange", -2147483648, -2147483640, 3)
case("arange", 2147483640, 2147483647, 2)

# ---------------------------------------------------------------------------- linspace
for a in [(0, 1, 5), (0, 1, 0), (3, 5, 1), (-1, 1, 2), (0, 1, 10), (0, 1, 11), (-3, 10, 7), (1, 1, 3), (5, 1, 2),
          (0, 10, 100), (-5.3, 7.9, 33), (1e-3, 1, 1000), (0.1, 0.7, 7), (2, -2, 9), (-1e6, 1e6, 21),
          (0, float("inf"), 3), (0, float("nan"), 3), (1e-30, 1e30, 5), (3.3, 3.3, 4)]:
    case("linspace", *a)
for n in [1, 3, 4, 5, 15, 16, 17, 31, 32, 33, 1023]:
    case("linspace", -0.3, 0.7, n)
# element 577 is 1 + 3·2^-24 − ε exactly: rounding the fma's sum to double first would land on
# the float32 midpoint and round to even (1); PyTorch's fused float32 fma gives 1 + 2^-23
case("linspace", 1.0, 1.0 + 2 * 2 ** -23, 2309)
for _ in range(40):
    n = rng.choice([2, 3, 7, 16, 33, 64, 100, 501])
    a = rng.uniform(-100, 100) * rng.choice([1, 1e-2, 1e3])
    b = rng.uniform(-100, 100) * rng.choice([1, 1e-2, 1e3])
    case("linspace", a, b, n)
case("linspace", 0, 10, 4, opts={"dtype": "int32"})
case("linspace", -3.7, 10.2, 7, opts={"dtype": "int32"})
case("linspace", 10, -10, 6, opts={"dtype": "int32"})
case("linspace", 7.9, 0, 1, opts={"dtype": "int32"})
case("linspace", 0, 1, 3, opts={"requiresGrad": True})

# ---------------------------------------------------------------------------- eye
for a in [(3,), (2, 3), (3, 2), (0,), (3, 0), (0, 2), (1,), (5, 5), (5, 1), (1, 5), (4, 2)]:
    case("eye", *a)
case("eye", 4, opts={"dtype": "int32"})
case("eye", 2, 3, opts={"dtype": "bool"})
case("eye", 3, opts={"requiresGrad": True})
case("eye", 2, 4, opts={"dtype": "float32", "requiresGrad": True})

# ---------------------------------------------------------------------------- *Like
xf = tensor_arg([[1.5, -2.0, 0.25], [3.0, 4.0, -0.5]], (2, 3), "float32")
xi = tensor_arg([3, -1, 4, 1], (4,), "int32")
xb = tensor_arg([[True], [False]], (2, 1), "bool")
# a transposed view as the input: the result has the view's shape (and its own contiguous storage)
xt = (xf[0].t(), {"tensor": xf[1]["tensor"], "transpose": True})
for fn in ["zerosLike", "onesLike", "emptyLike"]:
    for x in [xf, xi, xb, xt]:
        case(fn, x)
    case(fn, xi, opts={"dtype": "float32", "requiresGrad": True})
    case(fn, xf, opts={"dtype": "int32"})
    case(fn, xf, opts={"requiresGrad": True})
    case(fn, xb, opts={"dtype": "float32"})
for x, v in [(xf, 2.7), (xi, 2.7), (xi, -2.7), (xb, 1), (xf, True), (xb, 0), (xt, -1.25)]:
    case("fullLike", x, v)
case("fullLike", xf, 2.7, opts={"dtype": "int32"})
case("fullLike", xf, 2.7, opts={"dtype": "bool"})
case("fullLike", xi, 0.5, opts={"dtype": "float32", "requiresGrad": True})

# ---------------------------------------------------------------------------- random: dtypes and shapes
case("rand", [2, 3])
case("rand", [])
case("rand", [0, 4])
case("rand", [3], opts={"requiresGrad": True})
case("randn", [4, 1, 2])
case("randn", [5], opts={"dtype": "float32", "requiresGrad": True})
case("randint", 0, 10, [3, 4])
case("randint", 5, [2])
case("randint", -3, 3, [])
case("randint", 0, 7, [0])
case("randint", 0, 5, [3], opts={"dtype": "float32"})
case("randint", 0, 5, [3], opts={"dtype": "float32", "requiresGrad": True})
case("randint", 0, 2, [4], opts={"dtype": "bool"})
case("randperm", 5)
case("randperm", 0)
case("randperm", 6, opts={"dtype": "float32"})
case("randperm", 3, opts={"dtype": "float32", "requiresGrad": True})
case("randLike", xf)
case("randLike", xt)
case("randLike", xi, opts={"dtype": "float32"})
case("randLike", xf, opts={"requiresGrad": True})
case("randnLike", xf)
case("randnLike", xt)
case("randnLike", xb, opts={"dtype": "float32", "requiresGrad": True})

# ---------------------------------------------------------------------------- bad input
GRAD = ["floating point", "require gradients"]
error("arange", 0, 1, 0)
error("arange", 0, 1, 0.0)
error("arange", 0, 3, 0.5, opts={"dtype": "int32"})
error("arange", 0, 1, float("nan"))
error("arange", 1, 0)
error("arange", 0, 5, -1)
error("arange", -3)
error("arange", 0, float("inf"))
error("arange", float("-inf"), 0)
error("arange", 0, float("nan"))
error("arange", 0, float("inf"), opts={"dtype": "int32"})
error("arange", 5, opts={"requiresGrad": True}, contains=GRAD)
error("arange", 5, opts={"dtype": "bool"})
error("arange", "a", contains=["argument 'end' (position 1) must be Number, not str"])
error("linspace", 0, 1, -1)
error("linspace", 0, 1, 1.5, contains=["argument 'steps' (position 3) must be int, not float"])
error("linspace", "a", 1, 3, contains=["argument 'start' (position 1) must be Number, not str"])
error("linspace", 0, 1, 3, opts={"dtype": "bool"})
error("linspace", 0, 1, 3, opts={"dtype": "int32", "requiresGrad": True}, contains=GRAD)
error("eye", -1)
error("eye", 2, -1)
error("eye", 2.5)
error("eye", 2, 1.5, contains=["eye(): argument 'm' (position 2) must be int, not float"])
error("eye", 3, opts={"dtype": "int32", "requiresGrad": True}, contains=GRAD)
error("randint", 5, 5, [3])
error("randint", 5, 3, [3])
error("randint", 0, [3])
error("randint", -1, [3])
error("randint", 0, 5, [2, 1.5])
error("randint", 0, 5, [2, -1])
error("randint", 1.5, 5, [3], contains=["argument 'low' (position 1) must be int, not float"])
error("randint", 0, 5.5, [3], contains=["argument 'high' (position 2) must be int, not float"])
error("randint", 0, 2 ** 31 + 1, [2], run=lambda: torch.randint(0, 2 ** 31 + 1, (2,), dtype=torch.int32))
error("randint", -2 ** 31 - 1, 0, [2], run=lambda: torch.randint(-2 ** 31 - 1, 0, (2,), dtype=torch.int32))
error("randint", 0, 3, [2], opts={"dtype": "bool"})
error("randint", -1, 1, [2], opts={"dtype": "bool"})
error("randint", 0, 2, [2], opts={"requiresGrad": True}, contains=GRAD)
error("rand", [2, 1.5])
error("rand", [2, -1])
error("randn", [2, -3])
error("rand", [2], opts={"dtype": "int32"}, contains=['"float32"', '"int32"'])
error("randn", [2], opts={"dtype": "bool"}, contains=['"float32"', '"bool"'])
error("randperm", -1)
error("randperm", 2.5)
error("randperm", 3, opts={"dtype": "bool"})
error("randperm", 3, opts={"requiresGrad": True}, contains=GRAD)
error("randLike", xi, contains=["int32", "float32"])
error("randnLike", xb, contains=["bool", "float32"])
error("randLike", xf, opts={"dtype": "int32"}, contains=['"float32"', '"int32"'])
error("zerosLike", xi, opts={"requiresGrad": True}, contains=GRAD)
error("emptyLike", xb, opts={"requiresGrad": True}, contains=GRAD + ["emptyLike"])
error("Generator.manualSeed", 1.5, run=lambda: torch.Generator().manual_seed(1.5))
error("Generator.setState", 3, contains=["but found the input RNG state size to be 3"],
      run=lambda: torch.Generator().set_state(torch.zeros(3, dtype=torch.uint8)))


# ---------------------------------------------------------------------------- torchlet's streams
M = 0xFFFFFFFF


class Stream:
    """torchlet's Generator, written again from its description (src/random.ts)."""

    def __init__(self, seed):
        x = ((math.floor(seed) & M) ^ (math.floor(seed / 2 ** 32) & M)) & M

        def split():
            nonlocal x
            x = (x + 0x9E3779B9) & M
            z = x
            z = ((z ^ (z >> 16)) * 0x85EBCA6B) & M
            z = ((z ^ (z >> 13)) * 0xC2B2AE35) & M
            return (z ^ (z >> 16)) & M

        self.s = [split(), split(), split(), split()]

    def u32(self):
        s = self.s
        rotl = lambda v, k: ((v << k) | (v >> (32 - k))) & M  # noqa: E731
        result = (rotl((s[1] * 5) & M, 7) * 9) & M
        t = (s[1] << 9) & M
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 11)
        return result

    def uniform(self):
        return (self.u32() >> 8) / 16777216

    def normal(self):
        u = 1 - self.uniform()
        v = self.uniform()
        return math.sqrt(-2 * math.log(u)) * math.cos(2 * math.pi * v)

    def below(self, n):
        if n == 2 ** 32:
            return self.u32()
        limit = 2 ** 32 - (2 ** 32 % n)
        while True:
            x = self.u32()
            if x < limit:
                return x % n

    def permutation(self, n):
        p = list(range(n))
        for i in range(n - 1, 0, -1):
            j = self.below(i + 1)
            p[i], p[j] = p[j], p[i]
        return p


def f32(v):
    return struct.unpack("f", struct.pack("f", v))[0]


stream = []
for seed in [0, 1, 42, 12345.7, 2 ** 40 + 3, -5, 67280421310721]:
    s = Stream(seed)
    rec = {"seed": seed}
    rec["rand"] = [f32_short(s.uniform()) for _ in range(8)]
    rec["randn"] = [f32_short(s.normal()) for _ in range(8)]
    rec["randint"] = {"low": -3, "high": 1000, "values": [-3 + s.below(1003) for _ in range(8)]}
    rec["randintWide"] = {"low": -2 ** 31, "high": 2 ** 31 - 1, "values": [-2 ** 31 + s.below(2 ** 32 - 1) for _ in range(4)]}
    rec["randperm"] = s.permutation(10)
    bound = 1 / math.sqrt(3)
    rec["linear"] = {"inFeatures": 3, "outFeatures": 2,
                     "weight": [f32_short(-bound + (bound - -bound) * s.uniform()) for _ in range(6)],
                     "bias": [f32_short(-bound + (bound - -bound) * s.uniform()) for _ in range(2)]}
    stream.append(rec)

with open(OUT, "w") as f:
    json.dump({"torch": torch.__version__, "cases": cases, "errors": errors, "stream": stream}, f, separators=(",", ":"))
    f.write("\n")
print(f"{OUT}: {len(cases)} cases, {len(errors)} errors, {len(stream)} streams")
