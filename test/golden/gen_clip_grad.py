"""Golden fixtures for torch.nn.utils.clip_grad_norm_ and clip_grad_value_, from real PyTorch
(2.x CPU, float32).

Run from the repository root:

    .venv/bin/python test/golden/gen_clip_grad.py

Writes test/fixtures/clip_grad.json, replayed by test/cases/clip_grad.ts:
  {name: {fn, args, shapes, grads (null: no grad), expected grads, totalNorm}}

Deterministic: every case draws from its own torch.Generator seeded with crc32("clip " + name).
"""

import json
import math
import os
import re
import sys
import warnings
import zlib

warnings.filterwarnings("ignore")

import torch  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixture_numbers import f32_short, vals  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
FIXTURES = os.path.join(ROOT, "test", "fixtures")

torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)

CLIP = {}


def snake(name):
    return re.sub(r"(?<=[a-z0-9])([A-Z])", lambda m: "_" + m.group(1).lower(), name)


def randn(g, shape, scale):
    t = torch.randn(shape, generator=g) * scale
    return torch.tensor([f32_short(x) for x in t.reshape(-1).tolist()], dtype=torch.float32).reshape(shape)


def clip_case(name, fn, args, shapes, scale=1.0, none_grad=()):
    g = torch.Generator().manual_seed(zlib.crc32(("clip " + name).encode()))
    grads = [randn(g, s, scale) for s in shapes]
    params = []
    for i, (s, grad) in enumerate(zip(shapes, grads)):
        p = torch.zeros(s, requires_grad=True)
        if i not in none_grad:
            p.grad = grad.clone()
        params.append(p)
    if fn == "clipGradNorm_":
        kwargs = {snake(k): v for k, v in args.get("options", {}).items()}
        total = torch.nn.utils.clip_grad_norm_(params, args["maxNorm"], **kwargs)
        total_v = f32_short(total.item())
    else:
        torch.nn.utils.clip_grad_value_(params, args["clipValue"])
        total_v = None
    CLIP[name] = {
        "fn": fn, "args": args,
        "shapes": [list(s) for s in shapes],
        "grads": [None if i in none_grad else vals(g) for i, g in enumerate(grads)],
        "expected": [None if p.grad is None else vals(p.grad) for p in params],
        "totalNorm": total_v,
    }


def main():
    shapes = [[17], [3, 5], [1]]
    clip_case("norm 2 clips", "clipGradNorm_", {"maxNorm": 1.0}, shapes)
    clip_case("norm 2 no-op", "clipGradNorm_", {"maxNorm": 100.0}, shapes)
    clip_case("norm 1", "clipGradNorm_", {"maxNorm": 2.0, "options": {"normType": 1}}, shapes)
    clip_case("norm inf", "clipGradNorm_", {"maxNorm": 0.5, "options": {"normType": math.inf}}, shapes)
    clip_case("norm 3", "clipGradNorm_", {"maxNorm": 0.7, "options": {"normType": 3}}, shapes)
    clip_case("norm 2 with a grad-less param", "clipGradNorm_", {"maxNorm": 0.3}, shapes, none_grad=(1,))
    clip_case("value", "clipGradValue_", {"clipValue": 0.4}, shapes)
    clip_case("value large", "clipGradValue_", {"clipValue": 10.0}, shapes, scale=3.0)
    text = json.dumps(CLIP, separators=(",", ":"), ensure_ascii=False, allow_nan=True)
    text = text.replace("Infinity", "1e999")  # JSON has no Infinity; 1e999 reads back as it
    path = os.path.join(FIXTURES, "clip_grad.json")
    with open(path, "w") as f:
        f.write(text + "\n")
    print(f"wrote {os.path.relpath(path, ROOT)} ({len(CLIP)} cases)")


if __name__ == "__main__":
    main()
