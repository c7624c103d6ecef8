"""Golden fixtures for torchlet's torch.utils.data, from PyTorch.

Run from the repository root:

    /work/main/.venv/bin/python test/golden/gen_data.py

Writes test/fixtures/data.json with the parts of torch.utils.data that do not depend on
random numbers (PyTorch's are not torchlet's):

  splits    {n, lengths, sizes} (random_split's subset sizes, counts or fractions) or
            {n, lengths, error} (the message PyTorch raises)
  lengths   {n, batchSize, dropLast, length}: len(DataLoader) (batchSize null: no batching)
  batches   {n, indices, batchSize, dropLast, batches}: the batches of an unshuffled
            DataLoader over TensorDataset(arange(2n).reshape(n, 2), arange(n)), or over
            Subset(that, indices); each batch [x, y] as {shape, values}
  collate   {items, result}: default_collate(items). A tensor is written {"tensor": {shape,
            values, dtype}}, a Python tuple as {"tuple": [...]}; in results, PyTorch's int64
            and float64 tensors are marked as such (torchlet collates numbers to float32).
"""

import json
import math
import os

import torch
from torch.utils.data import DataLoader, Subset, TensorDataset, default_collate, random_split

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
OUT = os.path.join(ROOT, "test", "fixtures", "data.json")

splits = []
for n, lengths in [(10, [3, 7]), (10, [0.3, 0.3, 0.4]), (30, [0.3, 0.3, 0.4]), (7, [0.5, 0.5]), (5, [1, 0]),
                   (1797, [0.8, 0.2]), (11, [0.1] * 10), (3, [0.2] * 5), (100, [0.7, 0.2, 0.1]), (0, [0.5, 0.5]),
                   (10, [0, 10]), (4, [1, 1, 1, 1]), (9, [0.25, 0.25, 0.25, 0.25]),
                   (10, [3, 6]), (10, [0.5, 0.6]), (10, [1.5, -0.5])]:
    try:
        parts = random_split(range(n), lengths, generator=torch.Generator().manual_seed(0))
        splits.append({"n": n, "lengths": lengths, "sizes": [len(p) for p in parts]})
    except ValueError as e:
        splits.append({"n": n, "lengths": lengths, "error": str(e)})

lengths = []
for n in [0, 1, 5, 10, 1797]:
    for bs in [1, 3, 32, 64, None]:
        for drop in [False, True]:
            if bs is None and drop:
                continue
            lengths.append({"n": n, "batchSize": bs, "dropLast": drop,
                            "length": len(DataLoader(TensorDataset(torch.zeros(n, 2)), batch_size=bs, drop_last=drop))})


def rec(t):
    return {"shape": list(t.shape), "values": t.reshape(-1).tolist()}


batches = []
for n, indices, bs, drop in [(7, None, 3, False), (7, None, 3, True), (7, None, 7, False), (7, None, 10, False),
                             (7, None, 10, True), (7, [5, 0, 3, 3, 6], 2, False), (7, [6, 5, 4], 1, False)]:
    ds = TensorDataset(torch.arange(2 * n, dtype=torch.float32).reshape(n, 2), torch.arange(n))
    if indices is not None:
        ds = Subset(ds, indices)
    out = [[rec(x), rec(y)] for x, y in DataLoader(ds, batch_size=bs, drop_last=drop)]
    batches.append({"n": n, "indices": indices, "batchSize": bs, "dropLast": drop, "batches": out})


def enc(v):
    """An item or a result as JSON."""
    if isinstance(v, torch.Tensor):
        dt = {torch.float32: "float32", torch.int64: "int64", torch.float64: "float64", torch.bool: "bool"}[v.dtype]
        vals = [bool(x) for x in v.reshape(-1).tolist()] if v.dtype == torch.bool else v.reshape(-1).tolist()
        return {"tensor": {"shape": list(v.shape), "values": vals, "dtype": dt}}
    if isinstance(v, tuple):
        return {"tuple": [enc(x) for x in v]}
    if isinstance(v, list):
        return [enc(x) for x in v]
    if isinstance(v, dict):
        return {k: enc(x) for k, x in v.items()}
    if isinstance(v, float) and not math.isfinite(v):
        raise ValueError(v)
    return v


T = torch.tensor
collate = []
for items in [
    [T([1.0, 2.0]), T([3.0, 4.0]), T([5.0, 6.0])],
    [T([[1.0]]), T([[2.0]])],
    [1.5, 2.5, -3.0],
    [1, 2, 3],
    [True, False, True],
    ["a", "bc"],
    [[1, 2, 3], [4, 5, 6]],
    [(T([1.0, 2.0]), 1), (T([3.0, 4.0]), 0)],
    [{"x": T([1.0]), "y": 2.5, "name": "p"}, {"x": T([2.0]), "y": 3.5, "name": "q"}],
    [{"a": [1.0, {"b": T([1.0, 2.0])}]}, {"a": [2.0, {"b": T([3.0, 4.0])}]}],
    [(T([0.5]), (1.0, 2.0)), (T([1.5]), (3.0, 4.0))],
]:
    collate.append({"items": enc(items), "result": enc(default_collate(items))})

with open(OUT, "w") as f:
    json.dump({"torch": torch.__version__, "splits": splits, "lengths": lengths, "batches": batches, "collate": collate}, f,
              separators=(",", ":"))
    f.write("\n")
print(f"{OUT}: {len(splits)} splits, {len(lengths)} lengths, {len(batches)} batches, {len(collate)} collate")
