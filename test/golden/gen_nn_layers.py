"""Golden fixtures for torchlet's convolution, pooling and normalisation layers, from PyTorch.

Run from the repository root:

    .venv/bin/python test/golden/gen_nn_layers.py

Writes test/fixtures/nn_layers.json: a list of cases, each

  module    the torchlet class name and its constructor arguments (JS form: camelCase
            options in a trailing object), e.g. ["Conv2d", [2, 4, 3, {"stride": 2}]]
  state     {name: {shape, values}}: the module's state dict before the first step
            (PyTorch's keys), loaded into the torchlet module with loadStateDict
  steps     [{train, input, upstream, output, inputGrad, paramGrads, state}]: each step
            runs forward (train() or eval()), backward(upstream) and records the output, the
            input's grad, the parameters' grads and the state dict after the step (running
            statistics), then zeroes the grads; parameters are not updated
Inputs come from a generator seeded per case name (crc32), written into the fixture.
"""

import json
import os
import sys
import zlib

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixture_numbers import f32_short, vals  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
torch.set_num_threads(1)


def rec(t):
    return {"shape": list(t.shape), "values": vals(t.detach().float())}


def quantised(t):
    """t rounded through the fixture's decimal form, so PyTorch sees what JS reads."""
    return torch.tensor([f32_short(x) for x in t.reshape(-1).tolist()], dtype=torch.float32).reshape(t.shape)


CASES = []


def case(name, js_module, build, input_shape, steps=("train",), unbatched=False):
    g = torch.Generator().manual_seed(zlib.crc32(name.encode()))
    torch.manual_seed(zlib.crc32(name.encode()))
    m = build()
    with torch.no_grad():
        for p in m.parameters():
            p.copy_(quantised(torch.randn(p.shape, generator=g) * 0.5))
    state = {k: rec(v) for k, v in m.state_dict().items()}
    out_steps = []
    scale = 3.0 if js_module[0] in ("GELU", "Softplus", "ELU", "SiLU") else 1.0  # reach the tails
    for mode in steps:
        m.train(mode == "train")
        x = quantised(torch.randn(input_shape, generator=g) * scale).requires_grad_(True)
        y = m(x)
        up = quantised(torch.randn(y.shape, generator=g))
        y.backward(up)
        out_steps.append({
            "train": mode == "train",
            "input": rec(x),
            "upstream": rec(up),
            "output": rec(y),
            "inputGrad": rec(x.grad),
            "paramGrads": {k: (rec(p.grad) if p.grad is not None else None) for k, p in m.named_parameters()},
            "state": {k: rec(v) for k, v in m.state_dict().items()},
        })
        m.zero_grad()
    CASES.append({"name": name, "module": js_module, "state": state, "steps": out_steps})


LOSSES = []


def loss_case(name, js_module, build, x, target, target_kind="float"):
    """A loss module on input x (requires grad) and target; records output and x's grad."""
    m = build()
    x = quantised(x).requires_grad_(True)
    t = quantised(target) if target_kind == "float" else target
    y = m(x, t)
    up = torch.ones_like(y) if y.dim() == 0 else quantised(torch.linspace(-1, 1, y.numel()).reshape(y.shape))
    y.backward(up)
    LOSSES.append({"name": name, "module": js_module, "input": rec(x),
                   "target": rec(t) if target_kind == "float" else {"shape": list(t.shape), "values": t.reshape(-1).tolist()},
                   "targetKind": target_kind, "upstream": rec(up), "output": rec(y), "inputGrad": rec(x.grad)})


def build_losses():
    g = torch.Generator().manual_seed(11)
    logp = torch.log_softmax(torch.randn(6, 4, generator=g), 1)
    idx = torch.tensor([0, 3, 1, 1, 2, 3])
    w = torch.tensor([0.5, 2.0, 1.0, 1.5])
    loss_case("nll", ["NLLLoss", []], lambda: nn.NLLLoss(), logp, idx, "index")
    loss_case("nll weight ignore", ["NLLLoss", [{"weight": "W", "ignoreIndex": 1}]],
              lambda: nn.NLLLoss(weight=w, ignore_index=1), logp, idx, "index")
    loss_case("nll sum", ["NLLLoss", [{"reduction": "sum"}]], lambda: nn.NLLLoss(reduction="sum"), logp, idx, "index")
    loss_case("nll none", ["NLLLoss", [{"reduction": "none", "weight": "W"}]], lambda: nn.NLLLoss(reduction="none", weight=w), logp, idx, "index")
    logp3 = torch.log_softmax(torch.randn(2, 4, 3, generator=g), 1)
    idx3 = torch.tensor([[0, 3, 1], [2, 2, 0]])
    loss_case("nll spatial", ["NLLLoss", []], lambda: nn.NLLLoss(), logp3, idx3, "index")
    p = torch.sigmoid(torch.randn(4, 5, generator=g))
    y = (torch.rand(4, 5, generator=g) > 0.5).float()
    loss_case("bce", ["BCELoss", []], lambda: nn.BCELoss(), p, y)
    loss_case("bce weight sum", ["BCELoss", [{"weight": "W5", "reduction": "sum"}]],
              lambda: nn.BCELoss(weight=torch.tensor([1.0, 0.5, 2.0, 1.0, 0.25]), reduction="sum"), p, y)
    soft = torch.rand(4, 5, generator=g)
    loss_case("bce soft targets none", ["BCELoss", [{"reduction": "none"}]], lambda: nn.BCELoss(reduction="none"), p, soft)
    a = torch.randn(5, 4, generator=g) * 2
    b = torch.randn(5, 4, generator=g)
    loss_case("huber", ["HuberLoss", []], lambda: nn.HuberLoss(), a, b)
    loss_case("huber delta 0.5 sum", ["HuberLoss", [{"delta": 0.5, "reduction": "sum"}]], lambda: nn.HuberLoss(delta=0.5, reduction="sum"), a, b)
    loss_case("smoothl1", ["SmoothL1Loss", []], lambda: nn.SmoothL1Loss(), a, b)
    loss_case("smoothl1 beta 2 none", ["SmoothL1Loss", [{"beta": 2, "reduction": "none"}]], lambda: nn.SmoothL1Loss(beta=2.0, reduction="none"), a, b)
    loss_case("smoothl1 beta 0", ["SmoothL1Loss", [{"beta": 0}]], lambda: nn.SmoothL1Loss(beta=0.0), a, b)
    lp = torch.log_softmax(torch.randn(3, 5, generator=g), 1)
    tp = torch.softmax(torch.randn(3, 5, generator=g), 1)
    tp[0, 2] = 0.0
    loss_case("kldiv mean", ["KLDivLoss", []], lambda: nn.KLDivLoss(), lp, tp)
    loss_case("kldiv batchmean", ["KLDivLoss", [{"reduction": "batchmean"}]], lambda: nn.KLDivLoss(reduction="batchmean"), lp, tp)
    loss_case("kldiv log target sum", ["KLDivLoss", [{"reduction": "sum", "logTarget": True}]],
              lambda: nn.KLDivLoss(reduction="sum", log_target=True), lp, torch.log_softmax(torch.randn(3, 5, generator=g), 1))
    loss_case("kldiv none", ["KLDivLoss", [{"reduction": "none"}]], lambda: nn.KLDivLoss(reduction="none"), lp, tp)


EMBEDDINGS = []


def embedding_case(name, js_args, build, indices):
    g = torch.Generator().manual_seed(zlib.crc32(name.encode()))
    m = build()
    with torch.no_grad():
        m.weight.copy_(quantised(torch.randn(m.weight.shape, generator=g)))
        if m.padding_idx is not None:
            m.weight[m.padding_idx].zero_()
    state = {k: rec(v) for k, v in m.state_dict().items()}
    y = m(indices)
    up = quantised(torch.randn(y.shape, generator=g))
    y.backward(up)
    EMBEDDINGS.append({"name": name, "args": js_args, "state": state, "indices": {"shape": list(indices.shape), "values": indices.reshape(-1).tolist()},
                       "upstream": rec(up), "output": rec(y), "weightGrad": rec(m.weight.grad)})


def build_embeddings():
    embedding_case("embedding", [10, 4], lambda: nn.Embedding(10, 4), torch.tensor([[1, 2, 4, 5], [4, 3, 2, 9]]))
    embedding_case("embedding repeated padding", [6, 3, {"paddingIdx": 0}], lambda: nn.Embedding(6, 3, padding_idx=0),
                   torch.tensor([0, 2, 2, 5, 0, 2]))
    embedding_case("embedding negative padding", [5, 2, {"paddingIdx": -1}], lambda: nn.Embedding(5, 2, padding_idx=-1),
                   torch.tensor([[4, 1], [1, 4], [3, 3]]))


def build_cnn():
    """A small CNN trained a few SGD steps in PyTorch; its state dict and eval() outputs."""
    g = torch.Generator().manual_seed(5)
    torch.manual_seed(5)
    net = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2),
                        nn.Flatten(), nn.Linear(4 * 4 * 4, 10))
    opt = torch.optim.SGD(net.parameters(), lr=0.1)
    for _ in range(3):
        x = quantised(torch.randn(8, 1, 8, 8, generator=g))
        y = torch.randint(0, 10, (8,), generator=g)
        opt.zero_grad()
        nn.functional.cross_entropy(net(x), y).backward()
        opt.step()
    net.eval()
    x = quantised(torch.randn(5, 1, 8, 8, generator=g))
    with torch.no_grad():
        out = net(x)
    return {"state": {k: rec(v) for k, v in net.state_dict().items()}, "input": rec(x), "output": rec(out)}


def main():
    cnn = build_cnn()
    build_embeddings()
    build_losses()
    # ---- convolutions
    case("conv2d 3x3", ["Conv2d", [2, 3, 3]], lambda: nn.Conv2d(2, 3, 3), (2, 2, 6, 5))
    case("conv2d stride 2 padding 1", ["Conv2d", [2, 4, 3, {"stride": 2, "padding": 1}]],
         lambda: nn.Conv2d(2, 4, 3, stride=2, padding=1), (2, 2, 7, 6))
    case("conv2d same", ["Conv2d", [3, 2, [3, 4], {"padding": "same"}]],
         lambda: nn.Conv2d(3, 2, (3, 4), padding="same"), (2, 3, 5, 6))
    case("conv2d same dilation 2", ["Conv2d", [2, 2, 3, {"padding": "same", "dilation": 2}]],
         lambda: nn.Conv2d(2, 2, 3, padding="same", dilation=2), (1, 2, 7, 7))
    case("conv2d dilation 2", ["Conv2d", [2, 3, 3, {"dilation": 2, "padding": [1, 2]}]],
         lambda: nn.Conv2d(2, 3, 3, dilation=2, padding=(1, 2)), (2, 2, 8, 8))
    case("conv2d groups 2", ["Conv2d", [4, 6, 3, {"groups": 2, "padding": 1}]],
         lambda: nn.Conv2d(4, 6, 3, groups=2, padding=1), (2, 4, 5, 5))
    case("conv2d no bias", ["Conv2d", [3, 2, 2, {"bias": False, "stride": [1, 2]}]],
         lambda: nn.Conv2d(3, 2, 2, bias=False, stride=(1, 2)), (2, 3, 5, 6))
    case("conv2d unbatched", ["Conv2d", [2, 3, 3, {"padding": 1}]], lambda: nn.Conv2d(2, 3, 3, padding=1), (2, 4, 4))
    case("conv2d 8x8 digits layer", ["Conv2d", [1, 8, 3, {"padding": 1}]], lambda: nn.Conv2d(1, 8, 3, padding=1), (4, 1, 8, 8))
    case("conv1d", ["Conv1d", [3, 4, 3]], lambda: nn.Conv1d(3, 4, 3), (2, 3, 9))
    case("conv1d same stride-free", ["Conv1d", [2, 3, 4, {"padding": "same"}]], lambda: nn.Conv1d(2, 3, 4, padding="same"), (2, 2, 7))
    case("conv1d stride 2 groups", ["Conv1d", [4, 4, 3, {"stride": 2, "groups": 4, "padding": 1}]],
         lambda: nn.Conv1d(4, 4, 3, stride=2, groups=4, padding=1), (2, 4, 10))
    # ---- pooling
    case("maxpool2d 2", ["MaxPool2d", [2]], lambda: nn.MaxPool2d(2), (2, 3, 6, 6))
    case("maxpool2d 3 stride 2 padding 1", ["MaxPool2d", [3, {"stride": 2, "padding": 1}]],
         lambda: nn.MaxPool2d(3, stride=2, padding=1), (2, 2, 7, 7))
    case("maxpool2d dilation ceil", ["MaxPool2d", [2, {"stride": 2, "dilation": 2, "ceilMode": True}]],
         lambda: nn.MaxPool2d(2, stride=2, dilation=2, ceil_mode=True), (1, 2, 7, 8))
    case("maxpool2d unbatched", ["MaxPool2d", [[2, 3]]], lambda: nn.MaxPool2d((2, 3)), (3, 6, 6))
    case("avgpool2d 2", ["AvgPool2d", [2]], lambda: nn.AvgPool2d(2), (2, 3, 6, 6))
    case("avgpool2d padding exclude", ["AvgPool2d", [3, {"stride": 2, "padding": 1, "countIncludePad": False}]],
         lambda: nn.AvgPool2d(3, stride=2, padding=1, count_include_pad=False), (2, 2, 7, 6))
    case("avgpool2d ceil include", ["AvgPool2d", [3, {"stride": 2, "padding": 1, "ceilMode": True}]],
         lambda: nn.AvgPool2d(3, stride=2, padding=1, ceil_mode=True), (1, 2, 8, 8))
    case("avgpool2d divisor", ["AvgPool2d", [2, {"divisorOverride": 3}]], lambda: nn.AvgPool2d(2, divisor_override=3), (1, 2, 4, 4))
    case("adaptiveavgpool2d 1", ["AdaptiveAvgPool2d", [1]], lambda: nn.AdaptiveAvgPool2d(1), (2, 3, 5, 7))
    case("adaptiveavgpool2d 3x2", ["AdaptiveAvgPool2d", [[3, 2]]], lambda: nn.AdaptiveAvgPool2d((3, 2)), (2, 2, 7, 5))
    case("adaptiveavgpool2d keep", ["AdaptiveAvgPool2d", [[None, 2]]], lambda: nn.AdaptiveAvgPool2d((None, 2)), (1, 2, 4, 6))
    # ---- normalisation
    case("layernorm affine", ["LayerNorm", [6]], lambda: nn.LayerNorm(6), (3, 4, 6))
    case("layernorm 2 dims", ["LayerNorm", [[4, 5]]], lambda: nn.LayerNorm((4, 5)), (3, 4, 5))
    case("layernorm no affine", ["LayerNorm", [8, {"elementwiseAffine": False, "eps": 1e-3}]],
         lambda: nn.LayerNorm(8, elementwise_affine=False, eps=1e-3), (5, 8))
    case("layernorm no bias", ["LayerNorm", [8, {"bias": False}]], lambda: nn.LayerNorm(8, bias=False), (2, 3, 8))
    case("batchnorm1d train then eval", ["BatchNorm1d", [5]], lambda: nn.BatchNorm1d(5), (8, 5),
         steps=("train", "train", "train", "eval"))
    case("batchnorm1d 3-D", ["BatchNorm1d", [3, {"momentum": 0.3}]], lambda: nn.BatchNorm1d(3, momentum=0.3), (4, 3, 6),
         steps=("train", "train", "eval"))
    case("batchnorm2d train then eval", ["BatchNorm2d", [4]], lambda: nn.BatchNorm2d(4), (3, 4, 5, 5),
         steps=("train", "train", "train", "eval"))
    case("batchnorm2d cumulative no affine", ["BatchNorm2d", [3, {"momentum": None, "affine": False}]],
         lambda: nn.BatchNorm2d(3, momentum=None, affine=False), (2, 3, 4, 4), steps=("train", "train", "eval"))
    case("batchnorm2d no running stats", ["BatchNorm2d", [2, {"trackRunningStats": False}]],
         lambda: nn.BatchNorm2d(2, track_running_stats=False), (3, 2, 3, 3), steps=("train", "eval"))
    # ---- activations and shape modules
    case("gelu", ["GELU", []], lambda: nn.GELU(), (3, 7))
    case("gelu tanh", ["GELU", [{"approximate": "tanh"}]], lambda: nn.GELU(approximate="tanh"), (3, 7))
    case("leakyrelu 0.2", ["LeakyReLU", [{"negativeSlope": 0.2}]], lambda: nn.LeakyReLU(0.2), (4, 5))
    case("leakyrelu default", ["LeakyReLU", []], lambda: nn.LeakyReLU(), (4, 5))
    case("elu 0.5", ["ELU", [{"alpha": 0.5}]], lambda: nn.ELU(0.5), (4, 5))
    case("silu", ["SiLU", []], lambda: nn.SiLU(), (4, 5))
    case("softplus", ["Softplus", []], lambda: nn.Softplus(), (4, 5))
    case("softplus beta 2 threshold 1", ["Softplus", [{"beta": 2, "threshold": 1}]], lambda: nn.Softplus(beta=2, threshold=1), (4, 5))
    case("flatten", ["Flatten", []], lambda: nn.Flatten(), (2, 3, 4))
    case("flatten 0..1", ["Flatten", [{"startDim": 0, "endDim": 1}]], lambda: nn.Flatten(0, 1), (2, 3, 4))
    case("unflatten", ["Unflatten", [1, [2, -1]]], lambda: nn.Unflatten(1, (2, -1)), (3, 8))
    case("identity", ["Identity", []], lambda: nn.Identity(), (2, 3))
    case("softmax dim 1", ["Softmax", [{"dim": 1}]], lambda: nn.Softmax(dim=1), (3, 5))
    case("softmax dim -1 3-D", ["Softmax", [{"dim": -1}]], lambda: nn.Softmax(dim=-1), (2, 3, 4))
    case("logsoftmax dim 1", ["LogSoftmax", [{"dim": 1}]], lambda: nn.LogSoftmax(dim=1), (3, 5))
    path = os.path.join(ROOT, "test", "fixtures", "nn_layers.json")
    with open(path, "w") as f:
        json.dump({"torch": torch.__version__, "cases": CASES, "losses": LOSSES, "embeddings": EMBEDDINGS, "cnn": cnn,
                   "lossWeights": {"W": [0.5, 2.0, 1.0, 1.5], "W5": [1.0, 0.5, 2.0, 1.0, 0.25]}}, f)
        f.write("\n")
    print(f"wrote {path}: {len(CASES)} cases")


if __name__ == "__main__":
    main()
