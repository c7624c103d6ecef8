"""Golden fixtures for SGD, Adam, AdamW, Adamax, NAdam and RAdam, from real PyTorch (2.x CPU).

Run from the repository root:

    .venv/bin/python test/golden/gen_optim_a.py

Writes test/fixtures/optim_a.json:

  cases   one per (optimizer, config, loss); replayed by test/cases/optim_a.ts
  errors  constructor calls PyTorch refuses, with PyTorch's message

A case:
  optimizer  class name;  options  constructor options (JS camelCase names)
  groups     null: the params are passed as a plain list; else a list of
             {params: [param indices], ...per-group options}
  shapes, init  the parameters' shapes and initial values (flat, row-major)
  loss       "fixed": grads[t][i] is the gradient assigned to param i before step t+1
             (null: the param has no grad at that step);
             "mlp": loss = mse(linear(tanh(linear(X, p0, p1)), p2, p3), Y) on the fixed
             data X, Y; grads come from backward()
  steps      number of optimizer steps
  events     {step: [event, ...]} applied before step `step` (1-based):
               ["setLr", group, lr]              param_groups[group]["lr"] = lr
               ["addParamGroup", {params, ...}]  add_param_group
               ["dropGrad", [param indices]]     those grads set to None after the grads are made
               ["zeroGradKeep"]                  zero_grad(set_to_none=False) and step on the
                                                 zero grads (no new grads this step)
  zeroGrad   "none" | "zeros": how the mlp loop clears grads (zero_grad() / zero_grad(False))
  closure    true: step(closure), the closure clears every param's grad, makes the grads
             and returns the loss; losses[t] is what step returned
  params     params[t][i]: param i after step t+1 (flat)
  state      state_dict()["state"] after the last step, keys camelCased, tensors flat
  groupOptions  state_dict()["param_groups"] after the last step, without params and
             PyTorch's implementation switches (foreach, capturable, differentiable, fused)
  resumeAt   where the JS replay saves a stateDict and resumes in a fresh optimizer (JS vs JS)

Every case is also run in float64; the float32 fixture must stay within a tenth of the
replay tolerance (1e-5 + 1e-4·|b|) of it, so the fixtures do not sit on a knife-edge
(an Adam step on a near-zero gradient, say) where rounding decides the outcome.
"""

import json
import os
import sys
import warnings
import zlib

warnings.filterwarnings("ignore")  # "Failed to initialize NumPy": numpy is not needed

import torch  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixture_numbers import f32_short, vals  # noqa: E402
import torch.nn.functional as F  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
FIXTURES = os.path.join(ROOT, "test", "fixtures")
STEPS = 12

torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)




def camel(name):
    head, *rest = name.split("_")
    return head + "".join(w[:1].upper() + w[1:] for w in rest)


def snake(name):
    return "".join("_" + c.lower() if c.isupper() else c for c in name)


def py_options(opts):
    return {snake(k): (tuple(v) if isinstance(v, list) else v) for k, v in opts.items()}


class Gen:
    def __init__(self, name):
        self.g = torch.Generator().manual_seed(zlib.crc32(name.encode()))

    def randn(self, *shape, scale=1.0):
        x = torch.randn(shape, generator=self.g) * scale
        return torch.tensor([f32_short(v) for v in x.reshape(-1).tolist()], dtype=torch.float32).reshape(shape)

    def away(self, *shape, scale=1.0):
        """Normal values pushed away from 0 (|x| >= 0.2·scale): gradients Adam can't flip."""
        x = torch.randn(shape, generator=self.g)
        x = torch.sign(x) * (x.abs() + 0.2) * scale
        return torch.tensor([f32_short(v) for v in x.reshape(-1).tolist()], dtype=torch.float32).reshape(shape)


OPTIMIZERS = {
    "SGD": torch.optim.SGD,
    "Adam": torch.optim.Adam,
    "AdamW": torch.optim.AdamW,
    "Adamax": torch.optim.Adamax,
    "NAdam": torch.optim.NAdam,
    "RAdam": torch.optim.RAdam,
}

# (config name, constructor options, per-group override for the second group). Between
# them the mixes turn on every option; one mix per Adam-family optimizer has β1 < 0.5, so
# lerp's weight 1 − β1 takes PyTorch's other branch.
CONFIGS = {
    "SGD": [
        ("defaults", {}, {}),
        ("nesterov", {"lr": 0.05, "momentum": 0.9, "nesterov": True, "weightDecay": 0.01}, {"momentum": 0.5}),
        ("dampening-maximize", {"lr": 0.02, "momentum": 0.8, "dampening": 0.3, "weightDecay": 0.05,
                                "maximize": True}, {"dampening": 0.0, "weightDecay": 0.0}),
    ],
    "Adam": [
        ("defaults", {}, {}),
        ("amsgrad-wd", {"lr": 0.05, "betas": [0.3, 0.95], "eps": 1e-6, "weightDecay": 0.1, "amsgrad": True},
         {"betas": [0.9, 0.99], "amsgrad": False}),
        ("decoupled-maximize", {"lr": 0.03, "weightDecay": 0.2, "decoupledWeightDecay": True, "maximize": True},
         {"weightDecay": 0.0, "eps": 1e-3}),
    ],
    "AdamW": [
        ("defaults", {}, {}),
        ("amsgrad-maximize", {"lr": 0.04, "betas": [0.85, 0.98], "weightDecay": 0.05, "amsgrad": True,
                              "maximize": True}, {"weightDecay": 0.3}),
        ("small-beta1", {"lr": 0.02, "betas": [0.4, 0.9], "eps": 1e-4, "weightDecay": 0.5}, {"amsgrad": True}),
    ],
    "Adamax": [
        ("defaults", {}, {}),
        ("wd-maximize", {"lr": 0.05, "weightDecay": 0.1, "maximize": True}, {"betas": [0.8, 0.9]}),
        ("small-beta1", {"lr": 0.03, "betas": [0.2, 0.99], "eps": 1e-3}, {"weightDecay": 0.2}),
    ],
    "NAdam": [
        ("defaults", {}, {}),
        ("wd-momentum-decay", {"lr": 0.05, "betas": [0.8, 0.95], "weightDecay": 0.1, "momentumDecay": 0.02},
         {"momentumDecay": 0.0}),
        ("decoupled-maximize", {"lr": 0.03, "betas": [0.45, 0.99], "weightDecay": 0.2,
                                "decoupledWeightDecay": True, "maximize": True}, {"eps": 1e-3}),
    ],
    "RAdam": [
        ("defaults", {}, {}),
        ("wd-maximize", {"lr": 0.05, "betas": [0.8, 0.9], "weightDecay": 0.1, "maximize": True},
         {"betas": [0.9, 0.999]}),
        ("decoupled-small-beta1", {"lr": 0.03, "betas": [0.3, 0.8], "eps": 1e-4, "weightDecay": 0.3,
                                   "decoupledWeightDecay": True}, {"weightDecay": 0.0}),
    ],
}

FIXED_SHAPES = [[5], [2, 4], [3]]  # SIMD body + tail, tail only
MLP_SHAPES = [[4, 3], [4], [1, 4], [1]]


def scenario(config_index, loss, override):
    """Groups, events and switches for a case: the defaults run plainly; mix 1 has two
    groups with overrides, an lr change, params without grads for two steps, a step on
    zeroed grads and zero_grad(False); mix 2 adds a param group mid-run and steps with a
    closure."""
    n = len(FIXED_SHAPES if loss == "fixed" else MLP_SHAPES)
    first, rest = ([0, 1], list(range(2, n)))
    if config_index == 0:
        return None, {}, "none", False
    if config_index == 1:
        groups = [{"params": first}, {"params": rest, "lr": 0.01, **override}]
        events = {
            3: [["dropGrad", [1]]],
            4: [["dropGrad", [1]]],
            6: [["setLr", 0, 0.02]],
            8: [["zeroGradKeep"]],
        }
        return groups, events, "zeros", False
    groups = [{"params": first}]
    events = {5: [["addParamGroup", {"params": rest, "lr": 0.015, **override}]]}
    return groups, events, "none", True


def build_case(opt_name, ci, config, loss, dtype=torch.float32):
    cname, options, override = config
    name = f"{opt_name}/{cname}/{loss}"
    gen = Gen(name)
    shapes = FIXED_SHAPES if loss == "fixed" else MLP_SHAPES
    init = [gen.randn(*s, scale=0.5) for s in shapes]
    groups, events, zero_mode, use_closure = scenario(ci, loss, override)
    fixed_grads = None
    X = Y = None
    if loss == "fixed":
        fixed_grads = [[gen.away(*s) for s in shapes] for _ in range(STEPS)]
    else:
        X = gen.randn(6, 3)
        Y = gen.randn(6, 1)

    params = [t.clone().to(dtype).requires_grad_(True) for t in init]
    cls = OPTIMIZERS[opt_name]
    if groups is None:
        opt = cls(params, **py_options(options))
    else:
        opt = cls([{**py_options({k: v for k, v in g.items() if k != "params"}),
                    "params": [params[i] for i in g["params"]]} for g in groups], **py_options(options))

    def make_grads(t):
        if loss == "fixed":
            for i, p in enumerate(params):
                p.grad = fixed_grads[t][i].to(dtype).clone()
            return torch.tensor(float(t + 1), dtype=dtype)
        out = F.linear(torch.tanh(F.linear(X.to(dtype), params[0], params[1])), params[2], params[3])
        lv = F.mse_loss(out, Y.to(dtype))
        lv.backward()
        return lv

    grads_record = []
    losses = []
    history = []
    for t in range(STEPS):
        evs = events.get(t + 1, [])
        keep_zero = any(e[0] == "zeroGradKeep" for e in evs)
        drops = [i for e in evs if e[0] == "dropGrad" for i in e[1]]
        for e in evs:
            if e[0] == "setLr":
                opt.param_groups[e[1]]["lr"] = e[2]
            elif e[0] == "addParamGroup":
                g = e[1]
                opt.add_param_group({**py_options({k: v for k, v in g.items() if k != "params"}),
                                     "params": [params[i] for i in g["params"]]})
        if keep_zero:
            opt.zero_grad(set_to_none=False)
            for p in params:  # every param, in and out of the optimizer's groups
                if p.grad is not None:
                    p.grad.zero_()
            assert all(p.grad is not None and p.grad.abs().sum().item() == 0 for p in params)
            grads_record.append(None)
            ret = opt.step()
        elif use_closure:
            def closure():
                for p in params:
                    p.grad = None
                lv = make_grads(t)
                for i in drops:
                    params[i].grad = None
                return lv
            ret = opt.step(closure)
            losses.append(float(ret))
        else:
            if loss == "mlp":
                opt.zero_grad(set_to_none=(zero_mode == "none"))
                for p in params:  # params not (yet) in a group too
                    if p.grad is not None:
                        p.grad = None if zero_mode == "none" else p.grad.zero_()
            make_grads(t)
            for i in drops:
                params[i].grad = None
            ret = opt.step()
            assert ret is None
        history.append([p.detach().clone() for p in params])

    sd = opt.state_dict()
    state = {}
    for idx, st in sd["state"].items():
        state[str(idx)] = {camel(k): (vals(v) if v.dim() > 0 else f32_short(v.item())) if torch.is_tensor(v) else v
                           for k, v in st.items()}
    skip = {"params", "foreach", "capturable", "differentiable", "fused"}
    group_options = [{camel(k): (list(v) if isinstance(v, tuple) else v) for k, v in g.items() if k not in skip}
                     for g in sd["param_groups"]]
    return {
        "name": name,
        "optimizer": opt_name,
        "options": options,
        "groups": groups,
        "shapes": shapes,
        "init": [vals(t) for t in init],
        "loss": loss,
        "grads": None if fixed_grads is None else [
            [None if (t + 1) in events and any(e[0] == "dropGrad" and i in e[1] for e in events[t + 1])
             else vals(g) for i, g in enumerate(row)] for t, row in enumerate(fixed_grads)],
        "X": None if X is None else vals(X),
        "Y": None if Y is None else vals(Y),
        "steps": STEPS,
        "events": {str(k): v for k, v in events.items()},
        "zeroGrad": zero_mode,
        "closure": use_closure,
        "params": [[vals(p) for p in snap] for snap in history],
        "losses": [f32_short(v) for v in losses] if use_closure else None,
        "state": state,
        "groupOptions": group_options,
        "resumeAt": 6,
    }, history


def check_f64(case, hist32, hist64):
    worst = 0.0
    for t, (a_row, b_row) in enumerate(zip(hist32, hist64)):
        for a, b in zip(a_row, b_row):
            r = ((a.double() - b).abs() / (1e-5 + 1e-4 * b.abs())).max().item()
            worst = max(worst, r)
    if worst > 0.1:
        raise AssertionError(f"{case['name']}: float32 is {worst:.3f} tolerances from float64")
    return worst


def build_errors():
    """Constructor calls PyTorch refuses; values chosen so Python and JS print them alike."""
    p = [torch.zeros(2, requires_grad=True)]
    calls = [
        ("SGD", {"lr": -1}), ("SGD", {"momentum": -0.5}), ("SGD", {"weightDecay": -0.1}),
        ("SGD", {"nesterov": True}), ("SGD", {"nesterov": True, "momentum": 0.9, "dampening": 0.1}),
        ("Adam", {"lr": -1}), ("Adam", {"eps": -0.5}), ("Adam", {"betas": [1.5, 0.9]}),
        ("Adam", {"betas": [0.9, 1]}), ("Adam", {"betas": [-0.5, 0.9]}), ("Adam", {"weightDecay": -0.1}),
        ("AdamW", {"lr": -0.5}), ("AdamW", {"betas": [0.9, 1.5]}), ("AdamW", {"weightDecay": -1}),
        ("Adamax", {"lr": -1}), ("Adamax", {"eps": -0.5}), ("Adamax", {"betas": [1, 0.9]}),
        ("Adamax", {"weightDecay": -0.1}),
        ("NAdam", {"lr": -1}), ("NAdam", {"betas": [0.9, -0.5]}), ("NAdam", {"momentumDecay": -0.5}),
        ("NAdam", {"weightDecay": -0.1}), ("NAdam", {"eps": -0.5}),
        ("RAdam", {"lr": -1}), ("RAdam", {"betas": [1.5, 0.9]}), ("RAdam", {"weightDecay": -0.1}),
        ("RAdam", {"eps": -0.5}),
    ]
    out = []
    for name, opts in calls:
        try:
            OPTIMIZERS[name](p, **py_options(opts))
        except ValueError as e:
            out.append({"optimizer": name, "options": opts, "message": str(e)})
            continue
        raise AssertionError(f"{name}({opts}) did not raise")
    return out


def write(name, obj):
    os.makedirs(FIXTURES, exist_ok=True)
    path = os.path.join(FIXTURES, name)
    text = json.dumps(obj, allow_nan=False, separators=(",", ":"))
    with open(path, "w") as f:
        f.write(text + "\n")
    print(f"wrote {os.path.relpath(path, ROOT)} ({len(text) // 1024} KB)")


def main():
    cases = []
    worst = 0.0
    for opt_name, configs in CONFIGS.items():
        for ci, config in enumerate(configs):
            for loss in ("fixed", "mlp"):
                case, h32 = build_case(opt_name, ci, config, loss)
                _, h64 = build_case(opt_name, ci, config, loss, torch.float64)
                worst = max(worst, check_f64(case, h32, h64))
                cases.append(case)
    print(f"{len(cases)} cases; float32 vs float64: worst {worst:.4f} of the tolerance")
    write("optim_a.json", {"torch": torch.__version__, "cases": cases, "errors": build_errors()})


if __name__ == "__main__":
    main()
