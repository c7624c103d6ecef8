"""Golden fixtures for torchlet's nn.init, from PyTorch.

Run from the repository root:

    /work/main/.venv/bin/python test/golden/gen_nn_init.py

Writes test/fixtures/nn_init.json with

  gains     [nonlinearity, param, nn.init.calculate_gain(nonlinearity, param)] (param null: omitted)
  draws     one initialiser call each: {fn, shape, options, kind, low, high} (kind "uniform":
            PyTorch's uniform_(low, high)) or {…, kind "normal", mean, std}: the bounds and
            stds PyTorch's formulas (fans, gains) hand to uniform_/normal_, recorded by
            wrapping Tensor.uniform_ and Tensor.normal_ during the call. `fn` and `options`
            are torchlet's names (camelCase); the shapes hold ≥ 10^5 elements, for moments.
  fixed     deterministic initialisers: {fn, args, dtype, shape, values} (constant_, zeros_,
            ones_, eye_), the tensor's values after the call.
  truncated truncNormal_ cases {options, lo, hi, mean, std, sampleMean, sampleStd}: lo/hi the
            bounds as float32 (PyTorch compares in the tensor's dtype), mean/std the truncated
            normal's exact moments (closed form, math.erf), sample* PyTorch's own over 10^6 draws.
PyTorch's random numbers are not torchlet's: only formulas, bounds and moments are compared.
"""

import json
import math
import os
import struct
import sys

import torch
import torch.nn.init as init

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
OUT = os.path.join(ROOT, "test", "fixtures", "nn_init.json")
torch.set_num_threads(1)

SNAKE = {"a": "a", "mode": "mode", "nonlinearity": "nonlinearity", "gain": "gain", "mean": "mean", "std": "std", "b": "b"}
CAMEL = {"xavier_uniform_": "xavierUniform_", "xavier_normal_": "xavierNormal_", "kaiming_uniform_": "kaimingUniform_",
         "kaiming_normal_": "kaimingNormal_", "uniform_": "uniform_", "normal_": "normal_"}


def f32(v):
    return struct.unpack("f", struct.pack("f", v))[0]


gains = []
for name, param in [("linear", None), ("conv1d", None), ("conv2d", None), ("conv3d", None), ("conv_transpose1d", None),
                    ("conv_transpose2d", None), ("conv_transpose3d", None), ("sigmoid", None), ("tanh", None),
                    ("relu", None), ("leaky_relu", None), ("leaky_relu", 0.2), ("leaky_relu", 0), ("leaky_relu", math.sqrt(5)),
                    ("leaky_relu", -0.3), ("leaky_relu", 3), ("selu", None), ("relu", 0.5)]:
    g = init.calculate_gain(name, param)
    gains.append([name, param, float(g)])


def recorded(fn, shape, kwargs):
    """The (kind, a, b) that fn passes to uniform_/normal_ on an empty tensor of shape."""
    seen = []
    real_u, real_n = torch.Tensor.uniform_, torch.Tensor.normal_

    def u(self, a=0, b=1, generator=None):
        seen.append(("uniform", float(a), float(b)))
        return real_u(self, a, b, generator=generator)

    def n(self, mean=0, std=1, generator=None):
        seen.append(("normal", float(mean), float(std)))
        return real_n(self, mean, std, generator=generator)

    torch.Tensor.uniform_, torch.Tensor.normal_ = u, n
    try:
        getattr(init, fn)(torch.empty(shape), **kwargs)
    finally:
        torch.Tensor.uniform_, torch.Tensor.normal_ = real_u, real_n
    assert len(seen) == 1, seen
    return seen[0]


draws = []
for fn, shape, kwargs in [
    ("uniform_", [400, 256], {}),
    ("uniform_", [400, 256], {"a": -0.5, "b": 2.0}),
    ("normal_", [400, 256], {}),
    ("normal_", [400, 256], {"mean": 3.0, "std": 0.5}),
    ("xavier_uniform_", [400, 256], {}),
    ("xavier_uniform_", [128, 64, 4, 4], {"gain": init.calculate_gain("relu")}),
    ("xavier_uniform_", [50, 40, 50], {"gain": 0.5}),
    ("xavier_normal_", [256, 400], {}),
    ("xavier_normal_", [64, 32, 7, 7], {"gain": 2.0}),
    ("kaiming_uniform_", [400, 256], {}),
    ("kaiming_uniform_", [400, 256], {"a": math.sqrt(5)}),  # nn.Linear's and nn.Conv2d's default init
    ("kaiming_uniform_", [128, 64, 4, 4], {"mode": "fan_out", "nonlinearity": "relu"}),
    ("kaiming_uniform_", [400, 256], {"nonlinearity": "tanh"}),
    ("kaiming_uniform_", [100, 1000], {"a": 0.2, "nonlinearity": "leaky_relu", "mode": "fan_out"}),
    ("kaiming_normal_", [256, 400], {}),
    ("kaiming_normal_", [256, 400], {"mode": "fan_out", "nonlinearity": "relu"}),
    ("kaiming_normal_", [40, 50, 5, 10], {"nonlinearity": "selu"}),
    ("kaiming_normal_", [500, 200], {"nonlinearity": "sigmoid", "mode": "FAN_OUT"}),
    ("kaiming_normal_", [30, 20, 13, 13], {"nonlinearity": "conv2d"}),
]:
    kind, a, b = recorded(fn, shape, kwargs)
    rec = {"fn": CAMEL[fn], "shape": shape, "options": {SNAKE[k]: v for k, v in kwargs.items()}, "kind": kind}
    rec.update({"low": a, "high": b} if kind == "uniform" else {"mean": a, "std": b})
    draws.append(rec)


def values(t):
    if t.dtype == torch.bool:
        return [int(v) for v in t.reshape(-1).tolist()]
    if t.dtype == torch.int64:
        return t.reshape(-1).tolist()
    return [f32(v) for v in t.reshape(-1).tolist()]


DT = {"float32": torch.float32, "int32": torch.int64, "bool": torch.bool}
fixed = []
for fn, args, dtype, shape in [
    ("constant_", [0.3], "float32", [2, 3]),
    ("constant_", [-1.25e-3], "float32", [4]),
    ("constant_", [2.7], "int32", [3]),
    ("constant_", [-2.7], "int32", [2, 2]),
    ("constant_", [0.5], "bool", [3]),
    ("zeros_", [], "float32", [2, 3]),
    ("ones_", [], "float32", [3, 2]),
    ("ones_", [], "int32", [2]),
    ("eye_", [], "float32", [3, 5]),
    ("eye_", [], "float32", [5, 3]),
    ("eye_", [], "float32", [4, 4]),
    ("eye_", [], "int32", [2, 3]),
    ("eye_", [], "float32", [1, 1]),
]:
    t = torch.full(shape, 7, dtype=DT[dtype])
    getattr(init, fn)(t, *args)
    fixed.append({"fn": fn, "args": args, "dtype": dtype, "shape": shape, "values": values(t)})


def trunc_moments(mean, std, a, b):
    al, be = (a - mean) / std, (b - mean) / std
    phi = lambda x: 0.0 if math.isinf(x) else math.exp(-x * x / 2) / math.sqrt(2 * math.pi)  # noqa: E731
    cdf = lambda x: (1 + math.erf(x / math.sqrt(2))) / 2  # noqa: E731
    z = cdf(be) - cdf(al)
    m = (phi(al) - phi(be)) / z
    xa = 0.0 if math.isinf(al) else al * phi(al)
    xb = 0.0 if math.isinf(be) else be * phi(be)
    var = 1 + (xa - xb) / z - m * m
    return mean + std * m, std * math.sqrt(var)


truncated = []
for kwargs in [{}, {"std": 0.02}, {"mean": 1.0, "std": 2.0, "a": -1.0, "b": 4.0}, {"a": 0.5, "b": 1.0},
               {"mean": 0.0, "std": 1.0, "a": 1.0, "b": 1.5}, {"a": -0.3, "b": 0.1}, {"a": 2.5, "b": 6.0},
               {"a": -float("inf"), "b": 0.0}]:
    full = {"mean": 0.0, "std": 1.0, "a": -2.0, "b": 2.0, **kwargs}
    mean, std = trunc_moments(full["mean"], full["std"], full["a"], full["b"])
    t = torch.empty(10 ** 6)
    init.trunc_normal_(t, generator=torch.Generator().manual_seed(0), **kwargs)
    js = {k: ("-inf" if v == -float("inf") else v) for k, v in kwargs.items()}
    truncated.append({"options": js, "lo": f32(full["a"]) if not math.isinf(full["a"]) else "-inf", "hi": f32(full["b"]),
                      "mean": mean, "std": std, "sampleMean": t.double().mean().item(), "sampleStd": t.double().std().item(),
                      "sampleMin": t.min().item(), "sampleMax": t.max().item()})

with open(OUT, "w") as f:
    json.dump({"torch": torch.__version__, "gains": gains, "draws": draws, "fixed": fixed, "truncated": truncated}, f, indent=None,
              separators=(",", ":"))
    f.write("\n")
print(f"{OUT}: {len(gains)} gains, {len(draws)} draws, {len(fixed)} fixed, {len(truncated)} truncated")
