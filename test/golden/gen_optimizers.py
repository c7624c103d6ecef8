"""Golden fixtures for every torch.optim optimizer, from real PyTorch (2.x CPU, float32).

Run from the repository root:

    .venv/bin/python test/golden/gen_optimizers.py

Writes test/fixtures/optimizers.json, replayed by test/cases/optimizers.ts:

  cases   {name: case}, built from the table OPTIMIZERS below (one entry per optimizer)
  errors  constructor calls PyTorch refuses, with PyTorch's message
  hooks   the log of a scripted run of every kind of optimizer hook (build_hooks)

A case is one run that both sides build the same way:
  optimizer  class name (torch.optim.<name>, torchlet optim.<name>)
  options    constructor options, JS (camelCase) names; {"tensor": x} is a 0-d float32
             tensor (PyTorch accepts lr as one)
  groups     null: the params are passed as a list; else [{params: [indices], ...options}]
  shapes, init  the parameters' shapes and initial values (flat, row-major)
  problem    "fixed":  before each step every param's grad is set to grads[k][i]
             "mlp":    loss = mse(linear(tanh(linear(X, p0, p1)), p2, p3), Y)
             "rosen":  params (a, b): loss = Σ(1 − a)² + 10·Σ(b − a²)²
             "linear": params (W [2,3], b [2]): loss = mean((X·Wᵀ + b − Y)²)
             "dot":    loss = Σᵢ Σ(cᵢ·pᵢ)
             "unused": "rosen" over params 0 and 1; param 2 never gets a grad
  data       {X, Y, c} for the problems that read them
  companion  null, or {optimizer, options, params}: the params listed are stepped by this
             second optimizer instead (Muon's documented use: AdamW for the parameters that
             are not matrices); both step after each evaluation, the case's optimizer first
  negate     the loss is negated (maximize runs climb −loss)
  closure    step(closure): the closure clears the grads, makes them and returns the loss;
             losses[k] is what step returned; else clear, make grads, step()
  zeroGrad   "none" | "zeros": zero_grad(set_to_none) before each evaluation (every
             param's grad is cleared the same way, in a group or not)
  events     [{at, kind, ...}] applied before step at+1:
               set            param_groups[group][key] = value
               addParamGroup  add_param_group({params: [indices], ...options})
               dropGrad       the grads of params [indices] set to None after they are made
               zeroGradKeep   zero_grad(set_to_none=False), every grad zeroed, and a step on
                              those zero grads (no new grads)
  steps      number of step() calls
  trace      trace[k][i]: param i after step k+1
  losses     (closure cases) what step() returned at each step
  state      final state_dict()["state"] of the case's optimizer, names camelCased, tensors
             flat (LBFGS: its counters only)
  groupOptions  final state_dict()["param_groups"] without params and PyTorch's
             implementation switches (foreach, capturable, differentiable, fused); a tensor
             option as {tensor, shape}, the form stateDict() writes
  tolerance  [atol, rtol] for every step but the last: the project's 1e-5 + 1e-4·|b|, or
             LBFGS's looser one mid-run (its line search amplifies rounding); the last step
             always takes the project's
  resumeAt   step counts after which the JS replay saves a state dict and resumes in a
             fresh optimizer (JS against JS, bit for bit)

Every case draws from its own torch.Generator seeded with crc32(name); every float32 is
written as the shortest decimal that reads back as it. Every case but Rprop's (whose sign
tests are decided by rounding by design) is also run in float64: the float32 trace must stay
within a tenth of the tolerance of it (LBFGS: its last step within half), so a fixture does
not sit on a knife-edge where rounding decides the outcome. (Muon's Newton–Schulz iteration
runs in bfloat16 in both; its cases stay within 0.005 of the tolerance.)

To add an optimizer: one entry in OPTIMIZERS (its option mixes and its groups scenario; the
parameter shapes of its fixed-grads and groups cases and of the rosen problem when the
defaults do not suit it; a companion optimizer for the parameters it does not take).
"""

import json
import os
import re
import sys
import warnings
import zlib

warnings.filterwarnings("ignore")  # "Failed to initialize NumPy": numpy is not needed

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixture_numbers import f32_short, vals  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
FIXTURES = os.path.join(ROOT, "test", "fixtures")
TOLERANCE = [1e-5, 1e-4]

torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)

# Optimizer classes run() takes from elsewhere than torch.optim, by name: the reference
# implementations of the optimizers beyond PyTorch (gen_optimizers_beyond.py fills it).
REFERENCE_CLASSES = {}


def snake(name):
    return re.sub(r"(?<=[a-z0-9])([A-Z])", lambda m: "_" + m.group(1).lower(), name)


def camel(name):
    head, *rest = name.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


def py_value(v, dtype):
    if isinstance(v, dict) and "tensor" in v:
        return torch.tensor(v["tensor"], dtype=dtype)
    return tuple(v) if isinstance(v, list) else v


def py_options(opts, dtype=torch.float32):
    return {snake(k): py_value(v, dtype) for k, v in opts.items()}


class Gen:
    def __init__(self, name):
        self.g = torch.Generator().manual_seed(zlib.crc32(name.encode()))

    def randn(self, *shape, scale=1.0):
        t = torch.randn(shape, generator=self.g) * scale
        return torch.tensor([f32_short(x) for x in t.reshape(-1).tolist()], dtype=torch.float32).reshape(shape)

    def away(self, *shape, scale=1.0):
        """Normal values pushed away from 0 (|x| >= 0.2·scale): gradients a step can't flip."""
        x = torch.randn(shape, generator=self.g)
        x = torch.sign(x) * (x.abs() + 0.2) * scale
        return torch.tensor([f32_short(v) for v in x.reshape(-1).tolist()], dtype=torch.float32).reshape(shape)


# ------------------------------------------------------------------------------ the table

# Per optimizer: option mixes (between them every option is on somewhere; one mix of each
# Adam-family optimizer has β1 < 0.5, so lerp's weight 1 − β1 takes PyTorch's other branch),
# the problem each mix runs in a training loop (default rosen), and a groups scenario: constructor options, two groups' overrides, the options of a group
# added mid-run, the lr set mid-run, and any further events.
OPTIMIZERS = {
    "SGD": dict(
        mix_problem="mlp",
        mixes={"nesterov": {"lr": 0.05, "momentum": 0.9, "nesterov": True, "weightDecay": 0.01},
               "dampening-maximize": {"lr": 0.02, "momentum": 0.8, "dampening": 0.3, "weightDecay": 0.05,
                                      "maximize": True}},
        groups=({"lr": 0.02, "momentum": 0.8}, {"dampening": 0.3}, {"momentum": 0.5, "weightDecay": 0.1},
                {"lr": 0.01, "nesterov": True, "maximize": True}, 0.05)),
    "Adam": dict(
        mix_problem="mlp",
        mixes={"amsgrad-wd": {"lr": 0.05, "betas": [0.3, 0.95], "eps": 1e-6, "weightDecay": 0.1, "amsgrad": True},
               "decoupled-maximize": {"lr": 0.03, "weightDecay": 0.2, "decoupledWeightDecay": True, "maximize": True}},
        groups=({"lr": 0.05}, {"betas": [0.9, 0.99], "amsgrad": True}, {"weightDecay": 0.1},
                {"lr": 0.02, "eps": 1e-3, "maximize": True}, 0.01)),
    "AdamW": dict(
        mix_problem="mlp",
        mixes={"amsgrad-maximize": {"lr": 0.04, "betas": [0.85, 0.98], "weightDecay": 0.05, "amsgrad": True,
                                    "maximize": True},
               "small-beta1": {"lr": 0.02, "betas": [0.4, 0.9], "eps": 1e-4, "weightDecay": 0.5}},
        groups=({"lr": 0.04}, {"weightDecay": 0.3}, {"amsgrad": True}, {"lr": 0.02, "betas": [0.4, 0.9]}, 0.01)),
    "Adamax": dict(
        mix_problem="mlp",
        mixes={"wd-maximize": {"lr": 0.05, "weightDecay": 0.1, "maximize": True},
               "small-beta1": {"lr": 0.03, "betas": [0.2, 0.99], "eps": 1e-3}},
        groups=({"lr": 0.05}, {"betas": [0.8, 0.9]}, {"weightDecay": 0.2}, {"lr": 0.02, "maximize": True}, 0.01)),
    "NAdam": dict(
        mix_problem="mlp",
        mixes={"wd-momentum-decay": {"lr": 0.05, "betas": [0.8, 0.95], "weightDecay": 0.1, "momentumDecay": 0.02},
               "decoupled-maximize": {"lr": 0.03, "betas": [0.45, 0.99], "weightDecay": 0.2,
                                      "decoupledWeightDecay": True, "maximize": True}},
        groups=({"lr": 0.05}, {"momentumDecay": 0.0}, {"eps": 1e-3, "weightDecay": 0.1},
                {"lr": 0.02, "decoupledWeightDecay": True, "weightDecay": 0.1}, 0.01)),
    "RAdam": dict(
        mix_problem="mlp",
        mixes={"wd-maximize": {"lr": 0.05, "betas": [0.8, 0.9], "weightDecay": 0.1, "maximize": True},
               "decoupled-small-beta1": {"lr": 0.03, "betas": [0.3, 0.8], "eps": 1e-4, "weightDecay": 0.3,
                                         "decoupledWeightDecay": True}},
        groups=({"lr": 0.05, "betas": [0.8, 0.9]}, {"betas": [0.9, 0.999]}, {"weightDecay": 0.1},
                {"lr": 0.02, "maximize": True}, 0.01)),
    "Adadelta": dict(
        mixes={"mix A": {"lr": 0.5, "rho": 0.8, "eps": 1e-5, "weightDecay": 0.1},
               "mix B": {"lr": 2.0, "rho": 0.95, "weightDecay": 0.01, "maximize": True}},
        groups=({"rho": 0.85}, {"lr": 0.5, "eps": 1e-4}, {"weightDecay": 0.2}, {"rho": 0.7, "maximize": True}, 0.25)),
    "Adagrad": dict(
        mixes={"mix A": {"lr": 0.1, "lrDecay": 0.05, "weightDecay": 0.1, "initialAccumulatorValue": 0.5, "eps": 1e-6},
               "mix B": {"lr": 0.05, "lrDecay": 0.01, "maximize": True}},
        # a group's initialAccumulatorValue is not used (PyTorch takes the constructor's)
        groups=({"initialAccumulatorValue": 0.1}, {"lr": 0.2, "initialAccumulatorValue": 2.0}, {"lrDecay": 0.1},
                {"lr": 0.3, "weightDecay": 0.05, "initialAccumulatorValue": 5.0}, 0.05)),
    "ASGD": dict(
        mixes={"mix A": {"lr": 0.02, "lambd": 1e-3, "alpha": 0.6, "t0": 3, "weightDecay": 0.05},
               "mix B": {"lr": 0.02, "lambd": 0.01, "alpha": 0.9, "t0": 0, "maximize": True}},
        groups=({"t0": 2}, {"lr": 0.05, "lambd": 0.01}, {"alpha": 0.5, "t0": 5}, {"lr": 0.03, "maximize": True}, 0.1,
                [{"at": 9, "kind": "set", "group": 1, "key": "t0", "value": 100}])),
    "RMSprop": dict(
        mixes={"mix A": {"lr": 0.01, "alpha": 0.9, "eps": 1e-6, "weightDecay": 0.1, "momentum": 0.9, "centered": True},
               "mix B": {"lr": 0.02, "alpha": 0.35, "centered": True, "maximize": True},
               "mix C": {"lr": 0.005, "momentum": 0.5}},
        groups=({"alpha": 0.95}, {"lr": 0.02, "centered": True}, {"momentum": 0.8, "weightDecay": 0.05},
                {"lr": 0.01, "centered": True, "momentum": 0.3, "maximize": True}, 0.005)),
    "Rprop": dict(
        mixes={"mix A": {"lr": 0.05, "etas": [0.3, 1.5], "stepSizes": [1e-3, 0.2]},
               "mix B": {"lr": 0.02, "etas": [0.6, 1.1], "stepSizes": [0.01, 1], "maximize": True}},
        groups=({"etas": [0.4, 1.3]}, {"lr": 0.1, "stepSizes": [0.01, 0.3]}, {"etas": [0.7, 1.6]},
                {"lr": 0.05, "maximize": True}, 0.5)),
    # Adafactor: vectors (a variance), matrices and a batch of matrices (factored moments over
    # the last two dims), a column, a row and a scalar; β2 decays at its own rate per mix
    "Adafactor": dict(
        mix_problem="mlp",
        shapes={"mix": [[17], [2, 3, 4], [4, 1], [1, 5], []]},
        mixes={"wd-maximize-d": {"lr": 0.05, "weightDecay": 0.1, "d": 1.5, "maximize": True},
               "eps-beta2": {"lr": 0.02, "beta2Decay": -0.5, "eps": [1e-4, 1e-2]}},
        groups=({"lr": 0.05}, {"beta2Decay": -0.6}, {"weightDecay": 0.1, "d": 2.0},
                {"lr": 0.02, "maximize": True, "eps": [1e-4, 1e-3]}, 0.01)),
    # Muon: 2-D parameters only, wide and tall (a tall one is orthogonalised transposed); in the
    # loss problems AdamW steps the biases, as PyTorch's documentation pairs them. An eps above
    # the momentum's norm sets the norm's floor; momentum 0.5 takes lerp's other branch.
    "Muon": dict(
        mix_problem="mlp",
        # 4×90 and 67×3: sums of 64 + 16 + 10 and 64 + 3 products in the Gram matrices, each tier
        # of PyTorch's dot product; 67 in order in a transposed matrix's first Gram matrix
        shapes={"fixed": [[3, 5], [6, 4], [4, 90], [67, 3]], "mix": [[2, 3], [5, 2], [1, 4], [4, 1]],
                "groups": [[3, 3], [2, 4], [5, 2]],
                "rosen": [[2, 3], [2, 3]]},
        companion=("AdamW", {"lr": 0.01}),
        mixes={"plain-match-rms": {"lr": 0.05, "momentum": 0.5, "nesterov": False, "adjustLrFn": "match_rms_adamw",
                                   "weightDecay": 0.0},
               "coefficients-eps": {"lr": 0.02, "momentum": 0.9, "nsCoefficients": [2.0, -1.5, 0.5], "nsSteps": 3,
                                    "eps": 10.0, "weightDecay": 0.2, "adjustLrFn": "original"}},
        groups=({"lr": 0.02, "momentum": 0.9}, {"nesterov": False}, {"weightDecay": 0.0, "adjustLrFn": "match_rms_adamw"},
                {"lr": 0.01, "nsSteps": 2}, 0.05)),
    # LBFGS: one group, a closure every step, few iterations per step so every step moves
    "LBFGS": dict(
        closure_only=True,
        cases=[
            ("defaults dot", {"maxIter": 3}, "dot", {}),
            ("defaults rosen", {}, "rosen", {}),
            ("defaults linear", {"maxIter": 4}, "linear", {"zero_grad": "zeros"}),
            # Rosenbrock's valley amplifies rounding: PyTorch's own float64 run drifts from its
            # float32 run by 19 tolerances after 10 steps of this mix (0.12 after 6), and 21 of
            # mix B after 10 (0.29 after 5): both stop while the reference is steady
            ("mix A rosen", {"lr": 0.5, "maxIter": 4, "historySize": 3, "toleranceGrad": 1e-5,
                             "toleranceChange": 1e-7}, "rosen", {"steps": 6}),
            ("mix A linear", {"lr": 0.5, "maxIter": 5, "historySize": 3, "toleranceGrad": 1e-5,
                              "toleranceChange": 1e-7}, "linear", {}),
            ("strong_wolfe rosen", {"lineSearchFn": "strong_wolfe", "maxIter": 4}, "rosen", {}),
            ("strong_wolfe linear", {"lineSearchFn": "strong_wolfe", "maxIter": 3}, "linear",
             {"zero_grad": "zeros"}),
            ("mix B rosen", {"lineSearchFn": "strong_wolfe", "maxIter": 7, "maxEval": 9, "historySize": 2, "lr": 0.8},
             "rosen", {"steps": 5, "events": [{"at": 4, "kind": "set", "group": 0, "key": "lr", "value": 0.3}]}),
            ("lr change rosen", {"maxIter": 3, "lr": 0.1}, "rosen",
             {"steps": 12, "events": [{"at": 6, "kind": "set", "group": 0, "key": "lr", "value": 0.02}]}),
            # near the minimum the line search compares losses that differ in their last float32
            # digits, and its scalars' kinds decide: f64 step lengths and derivatives put the
            # params 1.2 and 1.65 tolerances from PyTorch's after steps 3 and 4, float32 ones
            # where PyTorch holds tensors match it
            ("strong_wolfe converging linear", {"lineSearchFn": "strong_wolfe", "maxIter": 10, "lr": 0.5, "historySize": 2},
             "linear", {"steps": 4}),
            # a tensor lr: every step length is a float32 tensor from the start
            ("tensor lr strong_wolfe rosen", {"lineSearchFn": "strong_wolfe", "maxIter": 4, "lr": {"tensor": 1.0}}, "rosen", {}),
            ("tensor lr linear", {"maxIter": 5, "lr": {"tensor": 0.5}, "historySize": 3}, "linear", {}),
            # a param outside the loss: no grad (zeros in the flat gradient, as PyTorch's), moved by the history
            ("unused param", {"lineSearchFn": "strong_wolfe", "maxIter": 4}, "unused", {"steps": 6}),
        ]),
}

FIXED_SHAPES = [[7], [3, 3]]
MIX_SHAPES = [[17], [2, 3], [1]]  # SIMD body + tail, tail only
MLP_SHAPES = [[4, 3], [4], [1, 4], [1]]
GROUP_SHAPES = [[3, 3], [3], [5]]


# ------------------------------------------------------------------------------ one run

def linear_data():
    g = Gen("linear-data")
    return g.randn(6, 3), g.randn(6, 2)


def loss_of(problem, params, data):
    if problem in ("rosen", "unused"):
        a, b = params[0], params[1]
        return (1 - a).pow(2).sum() + 10 * (b - a.pow(2)).pow(2).sum()
    if problem == "linear":
        w, b = params
        return (data["X"].matmul(w.t()) + b - data["Y"]).pow(2).mean()
    if problem == "mlp":
        out = F.linear(torch.tanh(F.linear(data["X"], params[0], params[1])), params[2], params[3])
        return F.mse_loss(out, data["Y"])
    if problem == "dot":
        total = None
        for p, c in zip(params, data["c"]):
            term = (p * c).sum()
            total = term if total is None else total + term
        return total
    raise ValueError(problem)


def setup(name, problem, shapes, rosen_shapes=None):
    """Initial params, data and fixed grads of a case, drawn from its own generator."""
    gen = Gen(name)
    data = {}
    if problem in ("rosen", "unused"):
        shapes = (rosen_shapes or [[5], [5]]) + ([[3]] if problem == "unused" else [])
        init = [gen.randn(*s, scale=0.5) for s in shapes]
    elif problem == "linear":
        shapes = [[2, 3], [2]]
        init = [gen.randn(*s, scale=0.5) for s in shapes]
        data["X"], data["Y"] = linear_data()
    elif problem == "mlp":
        shapes = MLP_SHAPES
        init = [gen.randn(*s, scale=0.5) for s in shapes]
        data["X"], data["Y"] = gen.randn(6, 3), gen.randn(6, 1)
    else:
        init = [gen.randn(*s) for s in shapes]
    if problem == "dot":
        data["c"] = [gen.randn(*s) for s in shapes]
    return shapes, init, data, gen


def run(spec, dtype):
    """Replays a case spec in `dtype`; returns (trace, losses, optimizer, params)."""
    params = [t.clone().to(dtype).requires_grad_(True) for t in spec["init_t"]]
    data = {k: ([t.to(dtype) for t in v] if isinstance(v, list) else v.to(dtype)) for k, v in spec["data_t"].items()}
    cls = REFERENCE_CLASSES.get(spec["optimizer"]) or getattr(torch.optim, spec["optimizer"])
    options = py_options(spec["options"], dtype)
    comp = spec["companion"]
    if spec["groups"] is None:
        opt = cls([p for i, p in enumerate(params) if comp is None or i not in comp["params"]], **options)
    else:
        opt = cls([{**py_options({k: v for k, v in g.items() if k != "params"}, dtype),
                    "params": [params[i] for i in g["params"]]} for g in spec["groups"]], **options)
    other = None if comp is None else getattr(torch.optim, comp["optimizer"])(
        [params[i] for i in comp["params"]], **py_options(comp["options"], dtype))

    def step(closure=None):
        loss = opt.step() if closure is None else opt.step(closure)
        if other is not None:
            other.step()
        return loss

    def clear():
        opt.zero_grad(set_to_none=(spec["zeroGrad"] == "none"))
        for p in params:  # params not (yet) in a group too
            if p.grad is not None:
                p.grad = None if spec["zeroGrad"] == "none" else p.grad.zero_()

    trace, losses = [], []
    for k in range(spec["steps"]):
        evs = [e for e in spec["events"] if e["at"] == k]
        drops = [i for e in evs if e["kind"] == "dropGrad" for i in e["params"]]
        for e in evs:
            if e["kind"] == "set":
                opt.param_groups[e["group"]][snake(e["key"])] = py_value(e["value"], dtype)
            elif e["kind"] == "addParamGroup":
                g = e["group"]
                opt.add_param_group({**py_options({kk: v for kk, v in g.items() if kk != "params"}, dtype),
                                     "params": [params[i] for i in g["params"]]})

        def evaluate():
            if spec["problem"] == "fixed":
                for p, g in zip(params, spec["grads_t"][k]):
                    p.grad = g.to(dtype).clone()
                loss = torch.tensor(float(k + 1), dtype=dtype)
            else:
                clear()
                loss = loss_of(spec["problem"], params, data)
                if spec["negate"]:
                    loss = -loss
                loss.backward()
            for i in drops:
                params[i].grad = None
            return loss

        if any(e["kind"] == "zeroGradKeep" for e in evs):
            opt.zero_grad(set_to_none=False)
            for p in params:
                if p.grad is not None:
                    p.grad.zero_()
            if step() is not None:
                raise AssertionError("step() without a closure returns None")
        elif spec["closure"]:
            losses.append(float(step(evaluate)))
        else:
            evaluate()
            if step() is not None:
                raise AssertionError("step() without a closure returns None")
        trace.append([p.detach().clone() for p in params])
    return trace, losses, opt, params


def plain(v):
    if torch.is_tensor(v):
        return vals(v) if v.dim() > 0 else f32_short(v.item())
    if isinstance(v, tuple):
        return [plain(x) for x in v]
    return v


def case(name, optimizer, options=None, *, problem="fixed", shapes=None, groups=None, negate=False, closure=False,
         zero_grad="none", events=(), steps=12, resume_at=None, tolerance=TOLERANCE, rosen_shapes=None, companion=None):
    """Runs one case in PyTorch (float32, and float64 as a check) and returns its fixture.
    companion: (optimizer, options) for the params that are not matrices (and out of every group)."""
    options = dict(options or {})
    shapes, init, data, gen = setup(name, problem, shapes or FIXED_SHAPES, rosen_shapes)
    grads = [[gen.away(*s) for s in shapes] for _ in range(steps)] if problem == "fixed" else None
    others = [i for i, s in enumerate(shapes) if len(s) != 2] if companion else []
    comp = {"optimizer": companion[0], "options": companion[1], "params": others} if others else None
    if comp is not None:
        groups = groups and [dict(g, params=[i for i in g["params"] if i not in others]) for g in groups]
        events = [dict(e, group=dict(e["group"], params=[i for i in e["group"]["params"] if i not in others]))
                  if e["kind"] == "addParamGroup" else e for e in events]
    spec = {"optimizer": optimizer, "options": options, "groups": groups, "problem": problem, "negate": negate,
            "closure": closure, "zeroGrad": zero_grad, "events": list(events), "steps": steps,
            "init_t": init, "data_t": data, "grads_t": grads, "companion": comp}
    trace, losses, opt, params = run(spec, torch.float32)
    if optimizer != "Rprop":
        trace64, _, _, _ = run(spec, torch.float64)
        drift = [max(((a.double() - b).abs() / (TOLERANCE[0] + TOLERANCE[1] * b.abs())).max().item()
                     for a, b in zip(row32, row64) if a.numel() > 0) for row32, row64 in zip(trace, trace64)]
        # LBFGS: its line search amplifies rounding mid-run (checked at its looser tolerance);
        # the last step, checked at the project's, must be steady
        worst = drift[-1] if optimizer == "LBFGS" else max(drift)
        if worst > (0.5 if optimizer == "LBFGS" else 0.1):
            raise AssertionError(f"{name}: float32 is {worst:.3f} tolerances from float64")

    sd = opt.state_dict()
    state = {}
    for idx, st in sd["state"].items():
        keep = st.items() if optimizer != "LBFGS" else [(k, v) for k, v in st.items() if k in ("func_evals", "n_iter")]
        state[str(idx)] = {camel(k): plain(v) for k, v in keep}
    skip = {"params", "foreach", "capturable", "differentiable", "fused"}
    group_options = [{camel(k): {"tensor": f32_short(v.item()), "shape": list(v.shape)} if torch.is_tensor(v) else plain(v)
                      for k, v in g.items() if k not in skip} for g in sd["param_groups"]]
    return {
        "optimizer": optimizer,
        "options": options,
        "groups": groups,
        "companion": comp,
        "shapes": [list(s) for s in shapes],
        "init": [vals(t) for t in init],
        "problem": problem,
        "data": {k: ([vals(t) for t in v] if isinstance(v, list) else vals(v)) for k, v in data.items()},
        "grads": None if grads is None else [[vals(g) for g in row] for row in grads],
        "negate": negate,
        "closure": closure,
        "zeroGrad": zero_grad,
        "events": list(events),
        "steps": steps,
        "trace": [[vals(p) for p in row] for row in trace],
        "losses": [f32_short(v) for v in losses] if closure else None,
        "state": state,
        "groupOptions": group_options,
        "tolerance": tolerance,
        "resumeAt": resume_at or [steps // 2],
    }


# ------------------------------------------------------------------------------ cases per entry

def fused_cases(optimizer, entry):
    """Defaults and each mix on several problems, then the groups scenario."""
    out = {}
    shapes = entry.get("shapes", {})
    common = {"rosen_shapes": shapes.get("rosen"), "companion": entry.get("companion")}
    out[f"{optimizer} defaults fixed"] = case(f"{optimizer} defaults fixed", optimizer, shapes=shapes.get("fixed"),
                                              resume_at=[0, 6] if optimizer == "Adagrad" else None, **common)
    # the loss problems the defaults run on, and whether through a closure (an entry whose
    # default lr diverges on some of them names its own)
    for problem, closure in entry.get("defaults_problems", (("mlp", False), ("rosen", True))):
        out[f"{optimizer} defaults {problem}"] = case(f"{optimizer} defaults {problem}", optimizer, problem=problem,
                                                      closure=closure, **common)
    for tag, opts in entry["mixes"].items():
        neg = bool(opts.get("maximize"))
        out[f"{optimizer} {tag} fixed"] = case(f"{optimizer} {tag} fixed", optimizer, opts,
                                               shapes=shapes.get("mix", MIX_SHAPES), **common)
        # a loss whose grads follow the params: zero_grad(set_to_none=False) in the loop, then
        # the closure form on the linear problem
        loop = entry.get("mix_problem", "rosen")
        out[f"{optimizer} {tag} {loop}"] = case(f"{optimizer} {tag} {loop}", optimizer, opts, problem=loop,
                                                negate=neg, zero_grad="zeros", **common)
        out[f"{optimizer} {tag} linear"] = case(f"{optimizer} {tag} linear", optimizer, opts, problem="linear",
                                                negate=neg, closure=True, **common)
    options, group0, group1, added, lr, *extra = entry["groups"]
    # two groups with their own options; param 1's grad dropped for two steps; an lr change;
    # a step on zeroed grads kept by zero_grad(set_to_none=False); a third param added mid-run
    events = [
        {"at": 2, "kind": "dropGrad", "params": [1]},
        {"at": 3, "kind": "dropGrad", "params": [1]},
        {"at": 4, "kind": "set", "group": 0, "key": "lr", "value": lr},
        {"at": 5, "kind": "zeroGradKeep"},
        {"at": 7, "kind": "addParamGroup", "group": dict(added, params=[2])},
    ] + (extra[0] if extra else [])
    name = f"{optimizer} groups"
    out[name] = case(name, optimizer, options, shapes=shapes.get("groups", GROUP_SHAPES),
                     groups=[dict(group0, params=[0]), dict(group1, params=[1])], events=events,
                     resume_at=[4, 8], **common)  # not at 5: the zero grads stepped on then are not state
    # lr as a 0-d tensor (PyTorch's single-tensor step then computes its scalars in float32)
    tag, opts = next(iter(entry["mixes"].items()))
    name = f"{optimizer} tensor lr"
    out[name] = case(name, optimizer, dict(opts, lr={"tensor": opts.get("lr", 0.01)}), problem="linear", closure=True,
                     negate=bool(opts.get("maximize")), events=[{"at": 6, "kind": "set", "group": 0, "key": "lr",
                                                                "value": {"tensor": 0.003}}], **common)
    name = f"{optimizer} groups closure"
    out[name] = case(name, optimizer, options, problem="mlp", closure=True, zero_grad="zeros",
                     groups=[dict(group0, params=[0, 1])],
                     events=[{"at": 3, "kind": "dropGrad", "params": [0]},
                             {"at": 5, "kind": "addParamGroup", "group": dict(added, params=[2, 3])}],
                     resume_at=[4, 7], **common)
    return out


def lbfgs_cases(entry):
    out = {}
    for tag, opts, problem, extra in entry["cases"]:
        name = f"LBFGS {tag}"
        shapes = [[7], [3, 3]] if problem == "dot" else None
        out[name] = case(name, "LBFGS", opts, problem=problem, shapes=shapes, closure=True,
                         zero_grad=extra.get("zero_grad", "none"), events=extra.get("events", ()),
                         steps=extra.get("steps", 10), resume_at=[1, 4], tolerance=[1e-3, 2e-2])
    return out


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
        ("Adadelta", {"lr": -1}), ("Adadelta", {"rho": 1.5}), ("Adadelta", {"eps": -0.5}),
        ("Adadelta", {"weightDecay": -0.1}),
        ("Adagrad", {"lr": -1}), ("Adagrad", {"lrDecay": -1}), ("Adagrad", {"weightDecay": -1}),
        ("Adagrad", {"initialAccumulatorValue": -1}), ("Adagrad", {"eps": -1}),
        ("ASGD", {"lr": -0.5}), ("ASGD", {"weightDecay": -1}),
        ("RMSprop", {"lr": -1}), ("RMSprop", {"eps": -1}), ("RMSprop", {"momentum": -0.5}),
        ("RMSprop", {"weightDecay": -1}), ("RMSprop", {"alpha": -0.5}),
        ("Rprop", {"lr": -1}), ("Rprop", {"etas": [1.5, 1.2]}), ("Rprop", {"etas": [0.5, 0.9]}),
        ("LBFGS", {"lr": -1}),
        ("Adafactor", {"lr": -1}), ("Adafactor", {"beta2Decay": 0.5}), ("Adafactor", {"eps": [-1, 1e-3]}),
        ("Adafactor", {"eps": [None, -0.5]}), ("Adafactor", {"d": 0.5}), ("Adafactor", {"weightDecay": -0.1}),
        ("Muon", {"lr": -1}), ("Muon", {"momentum": -0.5}), ("Muon", {"weightDecay": -0.1}),
        ("Muon", {"adjustLrFn": "fast"}),
    ]
    out = []
    for name, opts in calls:
        try:
            getattr(torch.optim, name)(p, **py_options(opts))
        except ValueError as e:
            out.append({"optimizer": name, "options": opts, "message": str(e)})
            continue
        raise AssertionError(f"{name}({opts}) did not raise")
    return out


def build_hooks():
    """The order and effect of an optimizer's hooks (torch/optim/optimizer.py), as a log of one
    scripted run that test/cases/optimizer_steps.ts replays. Python passes the optimizer in a
    step hook's args too; the log counts the args after it, as JavaScript passes them."""
    p = torch.tensor([1.0, 2.0], requires_grad=True)
    opt = torch.optim.SGD([p], lr=0.1, momentum=0.9)
    log = []

    def js(v):  # a number as JavaScript prints it
        v = f32_short(v)
        return str(int(v)) if v == int(v) else repr(v)

    def closure():
        log.append("closure")
        opt.zero_grad()
        loss = (p * p).sum()
        loss.backward()
        return loss

    def supply_closure(o, args, kwargs):
        log.append(f"step pre 2 args={len(args) - 1}")
        return None if len(args) > 1 else ((args[0], closure), kwargs)

    opt.register_step_pre_hook(lambda o, args, kwargs: log.append(f"step pre 1 args={len(args) - 1}"))
    opt.register_step_pre_hook(supply_closure)
    opt.register_step_post_hook(lambda o, args, kwargs: log.append(f"step post args={len(args) - 1}"))
    log.append(f"step() returned {js(opt.step())}")
    log.append(f"p=[{', '.join(js(v) for v in vals(p))}]")

    pre = opt.register_state_dict_pre_hook(lambda o: log.append("state_dict pre 1"))
    opt.register_state_dict_pre_hook(lambda o: log.append("state_dict pre 0 (prepended)"), prepend=True)

    def edit_lr(o, sd):
        log.append("state_dict post 1 sets lr 0.5 in place")
        sd["param_groups"][0]["lr"] = 0.5

    def replace(o, sd):
        log.append("state_dict post 0 (prepended) returns a new dict")
        return {"state": sd["state"], "param_groups": [dict(g) for g in sd["param_groups"]]}

    opt.register_state_dict_post_hook(edit_lr)
    opt.register_state_dict_post_hook(replace, prepend=True)
    sd = opt.state_dict()
    log.append(f"saved lr={js(sd['param_groups'][0]['lr'])}")
    pre.remove()
    sd2 = opt.state_dict()
    log.append(f"saved again lr={js(sd2['param_groups'][0]['lr'])}")

    def load_pre(o, d):
        log.append(f"load pre 1 sees lr={js(d['param_groups'][0]['lr'])}")

    def load_replace(o, d):
        log.append("load pre 2 returns a dict with lr 0.25")
        return {"state": d["state"], "param_groups": [dict(d["param_groups"][0], lr=0.25)]}

    opt.register_load_state_dict_pre_hook(load_pre)
    opt.register_load_state_dict_pre_hook(load_replace)
    opt.register_load_state_dict_post_hook(lambda o: log.append(f"load post 1 lr={js(o.param_groups[0]['lr'])}"))
    opt.register_load_state_dict_post_hook(lambda o: log.append("load post 0 (prepended)"), prepend=True)
    opt.load_state_dict(sd)
    log.append(f"loaded lr={js(opt.param_groups[0]['lr'])}")

    opt.register_step_pre_hook(lambda o, args, kwargs: 5)
    try:
        opt.step(closure)
    except RuntimeError:
        log.append("a step pre-hook returning 5 raised, before the closure")
    return log


def main():
    cases = {}
    for optimizer, entry in OPTIMIZERS.items():
        cases.update(lbfgs_cases(entry) if entry.get("closure_only") else fused_cases(optimizer, entry))
    obj = {"torch": torch.__version__, "cases": cases, "errors": build_errors(), "hooks": build_hooks()}
    os.makedirs(FIXTURES, exist_ok=True)
    path = os.path.join(FIXTURES, "optimizers.json")
    text = json.dumps(obj, separators=(",", ":"), allow_nan=False)
    with open(path, "w") as f:
        f.write(text + "\n")
    print(f"wrote {os.path.relpath(path, ROOT)} ({len(text) // 1024} KB, {len(cases)} cases, "
          f"{len(obj['errors'])} constructor errors)")


if __name__ == "__main__":
    main()
