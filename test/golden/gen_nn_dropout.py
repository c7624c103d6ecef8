"""Golden fixtures for torchlet's nn.Dropout and F.dropout, from PyTorch.

Run from the repository root:

    /work/main/.venv/bin/python test/golden/gen_nn_dropout.py

Writes test/fixtures/nn_dropout.json with

  cases     {p, training, input, upstream, output, inputGrad, same}: F.dropout(input, p,
            training) in PyTorch and its input's grad for backward(upstream); `same` is
            whether PyTorch returned the input itself. PyTorch's mask is its own (its random
            numbers are not torchlet's): the JS test compares the elements both keep, the
            scale 1/(1−p) PyTorch applies in float32, and the grads.
  scales    {p, x, kept}: F.dropout(torch.full([10^5], x), p) keeps every element as the one
            value `kept` = x·fl(1/(1−p)) (listed as PyTorch wrote it), for p up to 0.999.
  nonfinite {p, input, output}: NaN and ±Infinity inputs (as strings "nan", "inf", "-inf"),
            whose dropped elements PyTorch turns into NaN (x·0), for p = 1 and p = 0.5.
"""

import json
import math
import os
import sys
import zlib

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixture_numbers import f32_short, vals  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
OUT = os.path.join(ROOT, "test", "fixtures", "nn_dropout.json")
torch.set_num_threads(1)


def quantised(t):
    """t rounded through the fixture's decimal form, so PyTorch sees what JS reads."""
    return torch.tensor([f32_short(x) for x in t.reshape(-1).tolist()], dtype=torch.float32).reshape(t.shape)


def rec(t):
    return {"shape": list(t.shape), "values": vals(t.detach().float())}


cases = []
for p, training, shape in [(0.1, True, [256]), (0.25, True, [16, 16]), (0.5, True, [4, 8, 8]), (0.7, True, [256]),
                           (1 / 3, True, [256]), (0.999, True, [256]), (0.123456789, True, [256]),
                           (0.0, True, [3, 4]), (1.0, True, [3, 4]), (0.5, False, [3, 4])]:
    name = f"{p} {training} {shape}"
    g = torch.Generator().manual_seed(zlib.crc32(name.encode()))
    torch.manual_seed(zlib.crc32(name.encode()))
    x = quantised(torch.randn(shape, generator=g) * 3 + 0.01).requires_grad_(True)
    up = quantised(torch.randn(shape, generator=g))
    y = F.dropout(x, p, training)
    same = y is x
    (y * up).sum().backward()
    cases.append({"p": p, "training": training, "input": rec(x), "upstream": rec(up), "output": rec(y),
                  "inputGrad": rec(x.grad), "same": same})


scales = []
for p in [0.1, 0.2, 0.25, 0.3, 1 / 3, 0.5, 0.6, 0.7, 0.9, 0.99, 0.999, 0.123456789]:
    for x in [1.0, 1.5, -0.7]:
        torch.manual_seed(1)
        y = F.dropout(torch.full([10 ** 5], x), p, True)
        kept = torch.unique(y[y != 0]).tolist()
        assert len(kept) == 1, (p, x, kept)
        scales.append({"p": p, "x": x, "kept": kept[0]})


def num(v):
    return "nan" if math.isnan(v) else "inf" if v == math.inf else "-inf" if v == -math.inf else v


nonfinite = []
for p in [1.0, 0.5]:
    torch.manual_seed(0)
    x = torch.tensor([math.nan] * 8 + [math.inf] * 8 + [-math.inf] * 8 + [2.0] * 8)
    y = F.dropout(x, p, True)
    nonfinite.append({"p": p, "input": [num(v) for v in x.tolist()], "output": [num(v) for v in y.tolist()]})

with open(OUT, "w") as f:
    json.dump({"torch": torch.__version__, "cases": cases, "scales": scales, "nonfinite": nonfinite}, f, separators=(",", ":"))
    f.write("\n")
print(f"{OUT}: {len(cases)} cases, {len(scales)} scales, {len(nonfinite)} non-finite")
