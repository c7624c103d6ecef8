"""Golden fixtures for torchlet's loss options, from real PyTorch (2.x CPU, float32).

Run from the repository root:

    .venv/bin/python test/golden/gen_nn.py

Writes test/fixtures/nn.json: every loss with each of its options and every reduction,
forward value and the input's gradient. Inputs come from gen_core's seeded Gen (one
torch.Generator per case, seeded with crc32(case name)) and are written into the fixture.

"moduleNames" holds, for a few module trees, the names PyTorch gives in named_parameters(),
named_buffers() and state_dict() (test/cases/nn_module.ts builds the same trees).

Each case:
  loss      "crossEntropy" | "binaryCrossEntropyWithLogits" | "mseLoss" | "l1Loss"
            (nn.functional's name; the module is CrossEntropyLoss, BCEWithLogitsLoss, ...)
  options   {reduction, weight?, posWeight?, ignoreIndex?, labelSmoothing?} with tensors
            as {shape, values}
  input     {shape, values}  (requires grad)
  target    {shape, values[, dtype: "int"]}  (class indices are dtype "int")
  output    {shape, values}  a value may be the string "NaN" (a mean over no rows)
  upstream  {shape, values} | null  the gradient passed to output.backward() when the
            output is not a scalar
  grad      {shape, values}  input.grad
  expr      the PyTorch call, for humans
"""

import json
import math
import os
import sys
import warnings

warnings.filterwarnings("ignore")

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixture_numbers import f32_short  # noqa: E402
from gen_core import FIXTURES, Gen, rec, write  # noqa: E402

torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)

REDUCTIONS = ["mean", "sum", "none"]
FUNCTIONS = {
    "crossEntropy": F.cross_entropy,
    "binaryCrossEntropyWithLogits": F.binary_cross_entropy_with_logits,
    "mseLoss": F.mse_loss,
    "l1Loss": F.l1_loss,
}
# camelCase option → PyTorch keyword
KEYWORDS = {"weight": "weight", "posWeight": "pos_weight", "ignoreIndex": "ignore_index",
            "labelSmoothing": "label_smoothing", "reduction": "reduction"}

CASES = {}


def rec_nan(t):
    """rec() that writes NaN as the string "NaN" (JSON has no NaN)."""
    values = ["NaN" if math.isnan(v) else f32_short(v) for v in t.detach().reshape(-1).tolist()]
    return {"shape": list(t.shape), "values": values}


def check_f64(name, fn, x, target, kw, out, upstream, grad):
    """The float32 fixture must sit well inside the replay tolerance of the float64 result."""
    x64 = x.detach().double().requires_grad_(True)
    t64 = target if target.dtype == torch.int64 else target.double()
    kw64 = {k: (v.double() if isinstance(v, torch.Tensor) else v) for k, v in kw.items()}
    out64 = fn(x64, t64, **kw64)
    (out64.backward() if upstream is None else out64.backward(upstream.double()))
    for what, a, b in [("output", out.detach(), out64.detach()), ("grad", grad, x64.grad)]:
        finite = ~torch.isnan(b)
        assert torch.equal(torch.isnan(a), ~finite), f"{name}: {what} NaN pattern differs from float64"
        if finite.any():
            ratio = ((a.double() - b).abs() / (1e-5 + 1e-4 * b.abs()))[finite].max().item()
            assert ratio <= 0.1, f"{name}: {what} float32 is {ratio:.2f} tolerances from float64"


def case(name, loss, x, target, expr, **options):
    """options: camelCase names; tensors among them are float32. target int64 = class indices."""
    assert name not in CASES, name
    fn = FUNCTIONS[loss]
    options.setdefault("reduction", "mean")
    kw = {KEYWORDS[k]: v for k, v in options.items()}
    xx = x.clone().requires_grad_(True)
    out = fn(xx, target, **kw)
    upstream = None
    if out.dim() == 0:
        out.backward()
    else:
        upstream = Gen(name + "/upstream").randn(*out.shape)
        out.backward(upstream)
    check_f64(name, fn, x, target, kw, out, upstream, xx.grad)
    if target.dtype == torch.int64:
        tgt = {"shape": list(target.shape), "values": [int(v) for v in target.tolist()], "dtype": "int"}
    else:
        tgt = rec(target)
    CASES[name] = {
        "loss": loss,
        "options": {k: (rec(v) if isinstance(v, torch.Tensor) else v) for k, v in options.items()},
        "input": rec(x),
        "target": tgt,
        "output": rec_nan(out),
        "upstream": None if upstream is None else rec(upstream),
        "grad": rec_nan(xx.grad),
        "expr": expr,
    }


def describe(opts):
    """PyTorch keywords for an expr string; tensors by their shape."""
    return ", ".join(f"{KEYWORDS[k]}={'<' + 'x'.join(map(str, v.shape)) + '>' if isinstance(v, torch.Tensor) else repr(v)}"
                     for k, v in opts.items())


def soft(g, n, c):
    """Class probabilities: a softmax of random logits, rounded to the fixture's decimals."""
    return g._q(torch.softmax(g.randn(n, c) * 2, dim=1))


def build_cross_entropy():
    # The numbers in the issue "State you can trust": a reproduction of all four.
    x = torch.tensor([[0.0, -3.0, 2.0], [0.0, 1.0, -10.0]])
    t = torch.tensor([0, 2])
    w = torch.tensor([1.0, 2.0, 3.0])
    case("ce_issue_plain", "crossEntropy", x, t, "F.cross_entropy(x, t)  # 6.7231")
    case("ce_issue_weight", "crossEntropy", x, t, "F.cross_entropy(x, t, weight=w)  # 9.0182", weight=w)
    case("ce_issue_smoothing", "crossEntropy", x, t, "F.cross_entropy(x, t, label_smoothing=0.1)  # 6.3897",
         labelSmoothing=0.1)
    case("ce_issue_ignore0", "crossEntropy", x, t, "F.cross_entropy(x, t, ignore_index=0)  # 11.3133", ignoreIndex=0)

    variants = [
        ("plain", {}),
        ("weight", {"weight": "w"}),
        ("ignore1", {"ignoreIndex": 1}),
        ("ignore_default", {"target": "with -100"}),
        ("weight_ignore2", {"weight": "w", "ignoreIndex": 2}),
        ("smoothing", {"labelSmoothing": 0.1}),
        ("smoothing_weight", {"labelSmoothing": 0.2, "weight": "w"}),
        ("smoothing_weight_ignore0", {"labelSmoothing": 0.25, "weight": "w", "ignoreIndex": 0}),
        ("smoothing_one", {"labelSmoothing": 1.0, "weight": "w"}),
    ]
    for vname, spec in variants:
        for red in REDUCTIONS:
            name = f"ce_index_{vname}_{red}"
            g = Gen(name)
            x = g.randn(6, 4)
            t = torch.tensor([0, 1, 2, 3, 1, 2])
            if spec.get("target") == "with -100":
                t = torch.tensor([0, -100, 2, 3, -100, 1])
            opts = {k: v for k, v in spec.items() if k != "target"}
            if opts.get("weight") == "w":
                opts["weight"] = g.pos(4, lo=0.2, hi=3.0)
            opts["reduction"] = red
            case(name, "crossEntropy", x, t, f"F.cross_entropy(x, t, {describe(opts)})", **opts)

    # every row ignored: a mean over nothing is NaN and the grad is zero, as nll_loss gives
    for red in REDUCTIONS:
        name = f"ce_index_all_ignored_{red}"
        g = Gen(name)
        case(name, "crossEntropy", g.randn(3, 4), torch.tensor([2, 2, 2]),
             f"F.cross_entropy(x, [2, 2, 2], weight=w, ignore_index=2, label_smoothing=0.1, reduction='{red}')",
             weight=g.pos(4), ignoreIndex=2, labelSmoothing=0.1, reduction=red)

    for vname, spec in [("plain", {}), ("weight", {"weight": True}), ("smoothing", {"labelSmoothing": 0.15}),
                        ("smoothing_weight", {"labelSmoothing": 0.3, "weight": True})]:
        for red in REDUCTIONS:
            name = f"ce_prob_{vname}_{red}"
            g = Gen(name)
            x = g.randn(5, 4)
            p = soft(g, 5, 4)
            opts = dict(spec)
            if opts.get("weight"):
                opts["weight"] = g.pos(4, lo=0.2, hi=3.0)
            opts["reduction"] = red
            case(name, "crossEntropy", x, p, f"F.cross_entropy(x, p, {describe(opts)})  # p: class probabilities", **opts)

    g = Gen("ce_prob_unnormalised")
    case("ce_prob_unnormalised", "crossEntropy", g.randn(4, 3), g.uniform(4, 3),
         "F.cross_entropy(x, p, weight=w, label_smoothing=0.2)  # rows of p do not sum to 1",
         weight=g.pos(3), labelSmoothing=0.2)
    g = Gen("ce_index_large")
    t = g.ints(33, 17)
    t[::5] = 3
    case("ce_index_large", "crossEntropy", g.randn(33, 17) * 4, t,
         "F.cross_entropy(x, t, weight=w, ignore_index=3, label_smoothing=0.05)  # [33, 17]",
         weight=g.pos(17), ignoreIndex=3, labelSmoothing=0.05)
    g = Gen("ce_index_large_logits_weight")
    case("ce_index_large_logits_weight", "crossEntropy", g.randn(4, 5) * 40, torch.tensor([4, 0, 1, 1]),
         "F.cross_entropy(x, t, weight=w, label_smoothing=0.1)  # logits ~ ±80",
         weight=g.pos(5), labelSmoothing=0.1)


def build_bce():
    variants = [
        ("plain", {}, (4, 3)),
        ("weight_full", {"weight": (4, 3)}, (4, 3)),
        ("weight_row", {"weight": (4, 1)}, (4, 3)),
        ("weight_class", {"weight": (3,)}, (4, 3)),
        ("weight_scalar", {"weight": ()}, (4, 3)),
        ("pos_class", {"posWeight": (3,)}, (4, 3)),
        ("pos_full", {"posWeight": (4, 3)}, (4, 3)),
        ("pos_one", {"posWeight": (1,)}, (4, 3)),
        ("pos_row", {"posWeight": (4, 1)}, (4, 3)),
        ("weight_class_pos_class", {"weight": (3,), "posWeight": (3,)}, (4, 3)),
        ("weight_1c_pos_row", {"weight": (1, 3), "posWeight": (4, 1)}, (4, 3)),
        # 3-D: [B, 1, C] is two blocks apart (expanded first); [L, 1] is one middle block
        ("3d_weight_b1c_pos_c", {"weight": (2, 1, 4), "posWeight": (4,)}, (2, 3, 4)),
        ("3d_weight_l1_pos_1l1", {"weight": (3, 1), "posWeight": (1, 3, 1)}, (2, 3, 4)),
    ]
    for vname, spec, shape in variants:
        for red in REDUCTIONS:
            name = f"bce_{vname}_{red}"
            g = Gen(name)
            x = g.randn(*shape) * 2
            y = (g.uniform(*shape) > 0.5).float()
            opts = {k: g.pos(*s, lo=0.25, hi=3.0) for k, s in spec.items()}
            opts["reduction"] = red
            case(name, "binaryCrossEntropyWithLogits", x, y,
                 f"F.binary_cross_entropy_with_logits(x, y, {describe(opts)})  # x: {list(shape)}", **opts)
    g = Gen("bce_soft_targets_pos_weight")
    case("bce_soft_targets_pos_weight", "binaryCrossEntropyWithLogits", g.randn(5, 2), g.uniform(5, 2),
         "F.binary_cross_entropy_with_logits(x, y, weight=w, pos_weight=pw)  # y in (0, 1)",
         weight=g.pos(5, 1), posWeight=g.pos(2))
    g = Gen("bce_large_logits_pos_weight")
    x = g.randn(3, 4) * 30
    case("bce_large_logits_pos_weight", "binaryCrossEntropyWithLogits", x, (g.uniform(3, 4) > 0.5).float(),
         "F.binary_cross_entropy_with_logits(x, y, pos_weight=pw, reduction='sum')  # x ~ ±60",
         posWeight=g.pos(4), reduction="sum")
    g = Gen("bce_1d")
    case("bce_1d", "binaryCrossEntropyWithLogits", g.randn(7), (g.uniform(7) > 0.5).float(),
         "F.binary_cross_entropy_with_logits(x, y, weight=w, pos_weight=pw)  # 1-D x, scalar-shaped weights",
         weight=g.pos(1), posWeight=g.pos(7))


def build_regression():
    for loss, short in [("mseLoss", "mse"), ("l1Loss", "l1")]:
        for red in REDUCTIONS:
            name = f"{short}_{red}"
            g = Gen(name)
            case(name, loss, g.nonzero(3, 5), g.randn(3, 5), f"F.{short}_loss(x, y, reduction='{red}')", reduction=red)


def build_module_names():
    """Names and order of named_parameters(), named_buffers() and state_dict() for module trees
    the JS test builds the same way (a buffer there is a tensor field that never required grad)."""
    import torch.nn as nn

    class OwnAfterChild(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(3, 2)
            self.scale = nn.Parameter(torch.ones(2))
            self.register_buffer("running", torch.zeros(2))

    class Tied(nn.Module):
        def __init__(self):
            super().__init__()
            self.a = nn.Linear(2, 2)
            self.b = nn.Linear(2, 2)
            self.b.weight = self.a.weight

    class SharedChild(nn.Module):
        def __init__(self):
            super().__init__()
            self.a = nn.Linear(2, 2)
            self.b = self.a

    frozen = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    for p in frozen[0].parameters():
        p.requires_grad_(False)
    frozen_all = nn.Linear(3, 2)
    for p in frozen_all.parameters():
        p.requires_grad = False
    no_bias = nn.Linear(3, 2, False)
    trees = {"ownAfterChild": OwnAfterChild(), "tied": Tied(), "sharedChild": SharedChild(),
             "sequentialFirstFrozen": frozen, "linearFrozen": frozen_all, "linearPositionalNoBias": no_bias}
    return {name: {
        "namedParameters": [n for n, _ in m.named_parameters()],
        "requiresGrad": [p.requires_grad for _, p in m.named_parameters()],
        "namedBuffers": [n for n, _ in m.named_buffers()],
        "stateDict": list(m.state_dict().keys()),
    } for name, m in trees.items()}


def main():
    build_cross_entropy()
    build_bce()
    build_regression()
    write("nn.json", {
        "torch": torch.__version__,
        "generator": "test/golden/gen_nn.py",
        "tolerance": {"atol": 1e-5, "rtol": 1e-4},
        "cases": CASES,
        "moduleNames": build_module_names(),
    })
    print(f"{len(CASES)} loss cases, each cross-checked against float64 (fixtures in {os.path.relpath(FIXTURES)})")


if __name__ == "__main__":
    sys.exit(main())
