"""Golden fixtures for torch.optim.lr_scheduler and torch.optim.swa_utils, from real PyTorch.

Run from the repository root:

    .venv/bin/python test/golden/gen_schedulers.py

Writes
  test/fixtures/schedulers.json  every lr_scheduler class, the seed's training pattern, and
                                 each scheduler stepped on after opt.add_param_group (SWALR's too)
  test/fixtures/swa.json         SWALR schedules and AveragedModel (SWA, EMA, avgFn)

A scheduler case is a spec that both sides build the same way:
  optimizer  {type: "SGD" | "Adam" | "Adagrad", options: {...}, groups: [{lr, ...}, ...]}
             one zero tensor of shape [2] per group; extra group keys (initialLr) are kept
  scheduler  {type, options}: options use the JS (camelCase) names; SequentialLR's
             options.schedulers and ChainedScheduler's schedulers are nested specs, built
             in order against the same optimizer before their parent. Functions are given
             by name (LAMBDAS below; test/cases/schedulers.ts has the same table in JS).
  steps      number of scheduler.step() calls; or metrics (ReduceLROnPlateau: one
             step(metric) per value); or epochs (step(epoch) with an explicit epoch)
  lr         lr[k][g]: param_groups[g]["lr"] after construction (k = 0) and after step k
  lastLr     get_last_lr() at the same points
  lastEpoch  last_epoch at the same points (absent for ChainedScheduler, which has none)
  momentum   when tracked: group["momentum"] (SGD) or group["betas"][0] (Adam) likewise
  groupKeys  the scheduler's keys in each param group after construction (initialLr, maxLr,
             minLr, maxMomentum, baseMomentum, swaLr, momentum, betas) and their values
  stateDictKeys  camelCase keys of state_dict() after `resumeAt` steps
  resumeAt   the optimizer's and scheduler's state dicts are taken after this many steps,
             loaded into a fresh optimizer and scheduler built from the same spec (that
             order: the scheduler first, as PyTorch's docs ask), and the resumed run must
             reproduce lr/momentum from there on (checked here against PyTorch too).

All numbers are Python floats (f64) written with repr: schedules are f64 host maths.
"""

import copy
import json
import math
import os
import re
import warnings

warnings.filterwarnings("ignore")

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
from torch.optim import lr_scheduler as L  # noqa: E402
from torch.optim import swa_utils as S  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
FIXTURES = os.path.join(ROOT, "test", "fixtures")

# Named functions; the JS test maps the same names to the same functions.
LAMBDAS = {
    "pow095": lambda e: 0.95 ** e,  # LambdaLR: factor from base lr
    "epochDiv3": lambda e: e // 3,  # LambdaLR: integer factor (PyTorch's docstring example)
    "linearWarmup4": lambda e: min(1.0, (e + 1) / 4),
    "const095": lambda e: 0.95,  # MultiplicativeLR: factor from current lr
    "const09": lambda e: 0.9,
    "alternate": lambda e: 1.1 if e % 2 else 0.9,
    "halfPow": lambda x: 0.5 ** x,  # CyclicLR scale_fn
    "invSqrt": lambda x: 1 / math.sqrt(x) if x > 0 else 1.0,
}

SPECIAL = {"TMax": "T_max", "T0": "T_0", "TMult": "T_mult", "swaLr": "swa_lr"}


def snake(k):
    if k in SPECIAL:
        return SPECIAL[k]
    return re.sub(r"([A-Z])", lambda m: "_" + m.group(1).lower(), k)


def camel(k):
    """PyTorch name -> JS name, mechanically (the camelCase rule); leading underscores are kept."""
    lead = len(k) - len(k.lstrip("_"))
    head, *rest = k[lead:].split("_")
    return "_" * lead + head + "".join(p[:1].upper() + p[1:] for p in rest)


def make_optimizer(spec):
    groups = []
    for g in spec["groups"]:
        g2 = {snake(k): (tuple(v) if isinstance(v, list) else v) for k, v in g.items()}
        g2["params"] = [torch.zeros(2, requires_grad=True)]
        groups.append(g2)
    opts = {snake(k): (tuple(v) if isinstance(v, list) else v) for k, v in spec.get("options", {}).items()}
    return getattr(torch.optim, spec["type"])(groups, **opts)


def fn_or_list(v):
    return [LAMBDAS[x] for x in v] if isinstance(v, list) else LAMBDAS[v]


def make_scheduler(opt, spec):
    t = spec["type"]
    if t == "ChainedScheduler":
        children = [make_scheduler(opt, s) for s in spec["schedulers"]]
        kw = {"optimizer": opt} if spec.get("options", {}).get("optimizer") else {}
        return L.ChainedScheduler(children, **kw)
    o = dict(spec.get("options", {}))
    kw = {}
    for k, v in o.items():
        if k == "schedulers":
            v = [make_scheduler(opt, s) for s in v]
        elif k in ("lrLambda", "scaleFn"):
            v = fn_or_list(v)
        kw[snake(k)] = v
    cls = S.SWALR if t == "SWALR" else getattr(L, t)
    return cls(opt, **kw)


def momentum_of(opt):
    out = []
    for g in opt.param_groups:
        out.append(g["betas"][0] if "betas" in g else g["momentum"])
    return out


GROUP_KEYS = ["initial_lr", "max_lr", "min_lr", "max_momentum", "base_momentum", "swa_lr",
              "momentum", "betas"]


def group_keys(opt):
    out = []
    for g in opt.param_groups:
        d = {}
        for k in GROUP_KEYS:
            if k in g:
                v = g[k]
                d[camel(k)] = list(v) if isinstance(v, tuple) else v
        out.append(d)
    return out


def drive(sched, spec, i):
    """Apply the i-th step (1-based) of the spec."""
    if "metrics" in spec:
        sched.step(spec["metrics"][i - 1])
    elif "epochs" in spec:
        sched.step(spec["epochs"][i - 1])
    else:
        sched.step()


def n_steps(spec):
    if "metrics" in spec:
        return len(spec["metrics"])
    if "epochs" in spec:
        return len(spec["epochs"])
    return spec["steps"]


def snapshot(opt, sched, rec, track):
    rec["lr"].append([float(g["lr"]) for g in opt.param_groups])
    rec["lastLr"].append([float(x) for x in sched.get_last_lr()])
    if hasattr(sched, "last_epoch"):
        rec.setdefault("lastEpoch", []).append(sched.last_epoch)
    if track:
        rec["momentum"].append(momentum_of(opt))


def run_case(name, spec):
    opt = make_optimizer(spec["optimizer"])
    sched = make_scheduler(opt, spec["scheduler"])
    track = spec.get("trackMomentum", False)
    rec = {"lr": [], "lastLr": []}
    if track:
        rec["momentum"] = []
    gk = group_keys(opt)
    snapshot(opt, sched, rec, track)
    n = n_steps(spec)
    k = spec.get("resumeAt", n // 2)
    saved = sd_keys = None
    for i in range(1, n + 1):
        drive(sched, spec, i)
        snapshot(opt, sched, rec, track)
        if i == k:
            saved = (copy.deepcopy(opt.state_dict()), copy.deepcopy(sched.state_dict()))
            sd_keys = sorted(camel(x) for x in saved[1].keys())  # load_state_dict pops some keys
    # resume: fresh optimizer and scheduler, load both, continue
    opt2 = make_optimizer(spec["optimizer"])
    sched2 = make_scheduler(opt2, spec["scheduler"])
    opt2.load_state_dict(saved[0])
    sched2.load_state_dict(saved[1])
    for i in range(k + 1, n + 1):
        drive(sched2, spec, i)
        lrs = [float(g["lr"]) for g in opt2.param_groups]
        assert lrs == rec["lr"][i], (name, i, lrs, rec["lr"][i])
        if track:
            assert momentum_of(opt2) == rec["momentum"][i], name
    out = dict(spec)
    out["name"] = name
    out["resumeAt"] = k
    out["groupKeys"] = gk
    out["stateDictKeys"] = sd_keys
    out.update(rec)
    return out


def sgd(lrs=(0.1, 0.05), momentum=0.9):
    return {"type": "SGD", "options": {"lr": 0.1, "momentum": momentum},
            "groups": [{"lr": x} for x in lrs]}


def adam(lrs=(0.01, 0.002)):
    return {"type": "Adam", "options": {"lr": 0.001, "betas": [0.9, 0.999]},
            "groups": [{"lr": x} for x in lrs]}


def adagrad(lrs=(0.1, 0.05)):
    return {"type": "Adagrad", "options": {"lr": 0.01}, "groups": [{"lr": x} for x in lrs]}


def sch(t, **options):
    return {"type": t, "options": options}


SCHEDULER_CASES = [
    # LambdaLR: lr = base_lr * lambda(epoch)
    ("LambdaLR/one", {"optimizer": sgd(), "scheduler": sch("LambdaLR", lrLambda="pow095"), "steps": 12}),
    ("LambdaLR/perGroup", {"optimizer": adam(),
                           "scheduler": sch("LambdaLR", lrLambda=["epochDiv3", "linearWarmup4"]), "steps": 12}),
    # MultiplicativeLR: lr *= lambda(epoch)
    ("MultiplicativeLR/one", {"optimizer": sgd(), "scheduler": sch("MultiplicativeLR", lrLambda="const095"),
                              "steps": 12}),
    ("MultiplicativeLR/perGroup", {"optimizer": adam(),
                                   "scheduler": sch("MultiplicativeLR", lrLambda=["const09", "alternate"]),
                                   "steps": 12}),
    # StepLR
    ("StepLR/size3", {"optimizer": sgd(), "scheduler": sch("StepLR", stepSize=3, gamma=0.5), "steps": 12}),
    ("StepLR/defaultGamma", {"optimizer": adam(), "scheduler": sch("StepLR", stepSize=2), "steps": 8}),
    ("StepLR/lastEpoch", {"optimizer": {"type": "SGD", "options": {"lr": 0.1},
                                        "groups": [{"lr": 0.025, "initialLr": 0.1},
                                                   {"lr": 0.0125, "initialLr": 0.05}]},
                          "scheduler": sch("StepLR", stepSize=3, gamma=0.5, lastEpoch=4), "steps": 8}),
    # MultiStepLR
    ("MultiStepLR/basic", {"optimizer": sgd(), "scheduler": sch("MultiStepLR", milestones=[2, 5, 9], gamma=0.5),
                           "steps": 12}),
    ("MultiStepLR/repeated", {"optimizer": adam(), "scheduler": sch("MultiStepLR", milestones=[3, 3, 7]),
                              "steps": 10}),
    # PyTorch keeps the milestones in a Counter: any order is accepted
    ("MultiStepLR/unordered", {"optimizer": sgd(), "scheduler": sch("MultiStepLR", milestones=[7, 2, 4, 2], gamma=0.5),
                               "steps": 10}),
    # ConstantLR
    ("ConstantLR/defaults", {"optimizer": sgd(), "scheduler": sch("ConstantLR"), "steps": 10}),
    ("ConstantLR/half", {"optimizer": adam(), "scheduler": sch("ConstantLR", factor=0.5, totalIters=3),
                         "steps": 8}),
    # LinearLR
    ("LinearLR/defaults", {"optimizer": sgd(), "scheduler": sch("LinearLR"), "steps": 10}),
    ("LinearLR/range", {"optimizer": adam(),
                        "scheduler": sch("LinearLR", startFactor=0.25, endFactor=0.75, totalIters=4),
                        "steps": 9}),
    ("LinearLR/decay", {"optimizer": sgd(),
                        "scheduler": sch("LinearLR", startFactor=1.0, endFactor=0.1, totalIters=6),
                        "steps": 10}),
    # ExponentialLR
    ("ExponentialLR/09", {"optimizer": sgd(), "scheduler": sch("ExponentialLR", gamma=0.9), "steps": 12}),
    ("ExponentialLR/05", {"optimizer": adam(), "scheduler": sch("ExponentialLR", gamma=0.5), "steps": 8}),
    # PolynomialLR
    ("PolynomialLR/defaults", {"optimizer": sgd(), "scheduler": sch("PolynomialLR"), "steps": 10}),
    ("PolynomialLR/power2", {"optimizer": adam(), "scheduler": sch("PolynomialLR", totalIters=6, power=2.0),
                             "steps": 12}),
    ("PolynomialLR/power05", {"optimizer": sgd(), "scheduler": sch("PolynomialLR", totalIters=7, power=0.5),
                              "steps": 10}),
    # CosineAnnealingLR: the recursion runs on past T_max (period 2*T_max)
    ("CosineAnnealingLR/T4", {"optimizer": sgd(), "scheduler": sch("CosineAnnealingLR", TMax=4), "steps": 20}),
    ("CosineAnnealingLR/etaMin", {"optimizer": adam(),
                                  "scheduler": sch("CosineAnnealingLR", TMax=5, etaMin=0.001), "steps": 25}),
    # CosineAnnealingWarmRestarts
    ("CosineAnnealingWarmRestarts/T3", {"optimizer": sgd(),
                                        "scheduler": sch("CosineAnnealingWarmRestarts", T0=3), "steps": 12}),
    ("CosineAnnealingWarmRestarts/mult2", {"optimizer": adam(),
                                           "scheduler": sch("CosineAnnealingWarmRestarts", T0=2, TMult=2,
                                                            etaMin=0.0005),
                                           "steps": 16}),
    ("CosineAnnealingWarmRestarts/epochs", {
        "optimizer": sgd(),
        "scheduler": sch("CosineAnnealingWarmRestarts", T0=2, TMult=3, etaMin=0.001),
        "epochs": [0.5, 1.0, 1.5, 2.0, 2.25, 3.7, 5.0, 7.9, 8.0, 9.5, 1.2, 12.0, 30.0]}),
    # CyclicLR
    ("CyclicLR/triangular", {"optimizer": sgd(), "trackMomentum": True,
                             "scheduler": sch("CyclicLR", baseLr=[0.01, 0.02], maxLr=[0.1, 0.2], stepSizeUp=3),
                             "steps": 14}),
    ("CyclicLR/triangular2Adam", {"optimizer": adam(), "trackMomentum": True,
                                  "scheduler": sch("CyclicLR", baseLr=0.001, maxLr=0.01, stepSizeUp=2,
                                                   stepSizeDown=4, mode="triangular2",
                                                   baseMomentum=[0.8, 0.85], maxMomentum=0.95),
                                  "steps": 20}),
    ("CyclicLR/expRange", {"optimizer": sgd(), "trackMomentum": True,
                           "scheduler": sch("CyclicLR", baseLr=0.01, maxLr=[0.1, 0.05], stepSizeUp=2,
                                            mode="exp_range", gamma=0.9),
                           "steps": 12}),
    ("CyclicLR/scaleFnIterations", {"optimizer": sgd(), "trackMomentum": True,
                                    "scheduler": sch("CyclicLR", baseLr=0.01, maxLr=0.1, stepSizeUp=3,
                                                     scaleFn="invSqrt", scaleMode="iterations"),
                                    "steps": 13}),
    ("CyclicLR/scaleFnCycle", {"optimizer": adam(), "trackMomentum": True,
                               "scheduler": sch("CyclicLR", baseLr=0.001, maxLr=0.004, stepSizeUp=1,
                                                stepSizeDown=2, scaleFn="halfPow"),
                               "steps": 10}),
    ("CyclicLR/noMomentum", {"optimizer": adagrad(),
                             "scheduler": sch("CyclicLR", baseLr=0.01, maxLr=0.1, stepSizeUp=2,
                                              cycleMomentum=False),
                             "steps": 9}),
    # OneCycleLR
    ("OneCycleLR/cos", {"optimizer": sgd(), "trackMomentum": True,
                        "scheduler": sch("OneCycleLR", maxLr=[0.1, 0.2], totalSteps=20), "steps": 20}),
    ("OneCycleLR/linearThreePhaseAdam", {"optimizer": adam(), "trackMomentum": True,
                                         "scheduler": sch("OneCycleLR", maxLr=0.01, epochs=4, stepsPerEpoch=5,
                                                          annealStrategy="linear", threePhase=True),
                                         "steps": 20}),
    ("OneCycleLR/options", {"optimizer": sgd(), "trackMomentum": True,
                            "scheduler": sch("OneCycleLR", maxLr=0.05, totalSteps=16, pctStart=0.25,
                                             divFactor=10.0, finalDivFactor=100.0,
                                             baseMomentum=[0.8, 0.7], maxMomentum=[0.9, 0.95]),
                            "steps": 15}),
    ("OneCycleLR/noMomentum", {"optimizer": adagrad(),
                               "scheduler": sch("OneCycleLR", maxLr=0.1, totalSteps=12, cycleMomentum=False,
                                                threePhase=True, pctStart=0.4),
                               "steps": 12}),
    # ReduceLROnPlateau
    ("ReduceLROnPlateau/minRel", {
        "optimizer": sgd(), "scheduler": sch("ReduceLROnPlateau", factor=0.5, patience=2),
        # improves, then plateaus (within the 1e-4 relative threshold), reduces twice
        "metrics": [1.0, 0.9, 0.8, 0.79995, 0.81, 0.8, 0.85, 0.7, 0.72, 0.71, 0.7, 0.69997, 0.75, 0.9]}),
    ("ReduceLROnPlateau/maxAbsCooldownMinLr", {
        "optimizer": sgd(),
        "scheduler": sch("ReduceLROnPlateau", mode="max", factor=0.3, patience=1, threshold=0.1,
                         thresholdMode="abs", cooldown=2, minLr=[0.005, 0.004]),
        "metrics": [0.1, 0.2, 0.25, 0.29, 0.3, 0.31, 0.2, 0.2, 0.5, 0.55, 0.52, 0.5, 0.45, 0.4, 0.3, 0.2, 0.1,
                    0.1, 0.1, 0.1]}),
    ("ReduceLROnPlateau/minAbs", {
        "optimizer": adam(),
        "scheduler": sch("ReduceLROnPlateau", mode="min", factor=0.1, patience=0, threshold=0.05,
                         thresholdMode="abs", cooldown=1, minLr=0.0001),
        "metrics": [2.0, 1.9, 1.97, 1.8, 1.78, 1.5, 1.6, 1.6, 1.6, 1.2, 1.19, 1.0, 1.0, 1.0]}),
    ("ReduceLROnPlateau/maxRelEps", {
        "optimizer": sgd(lrs=(0.1, 1e-7)),
        "scheduler": sch("ReduceLROnPlateau", mode="max", factor=0.5, patience=1, threshold=0.01, eps=1e-7),
        "metrics": [1.0, 1.005, 1.02, 1.02, 1.03, 1.03, 1.03, 1.5, 1.4, 1.3, 1.2, 1.1, 1.0]}),
    # SequentialLR
    ("SequentialLR/warmupExp", {"optimizer": sgd(),
                                "scheduler": sch("SequentialLR",
                                                 schedulers=[sch("LinearLR", startFactor=0.1, totalIters=3),
                                                             sch("ExponentialLR", gamma=0.9)],
                                                 milestones=[3]),
                                "steps": 10}),
    ("SequentialLR/three", {"optimizer": adam(),
                            "scheduler": sch("SequentialLR",
                                             schedulers=[sch("ConstantLR", factor=0.5, totalIters=2),
                                                         sch("CosineAnnealingLR", TMax=3),
                                                         sch("StepLR", stepSize=2, gamma=0.5)],
                                             milestones=[2, 8]),
                            "steps": 14}),
    ("SequentialLR/lambdaMultiStep", {"optimizer": sgd(),
                                      "scheduler": sch("SequentialLR",
                                                       schedulers=[sch("LambdaLR", lrLambda="linearWarmup4"),
                                                                   sch("MultiStepLR", milestones=[2, 4]),
                                                                   sch("PolynomialLR", totalIters=4)],
                                                       milestones=[4, 9]),
                                      "steps": 16}),
    # ChainedScheduler
    ("ChainedScheduler/constExp", {"optimizer": sgd(),
                                   "scheduler": {"type": "ChainedScheduler",
                                                 "schedulers": [sch("ConstantLR", factor=0.1, totalIters=4),
                                                                sch("ExponentialLR", gamma=0.9)]},
                                   "steps": 10}),
    ("ChainedScheduler/three", {"optimizer": adam(),
                                "scheduler": {"type": "ChainedScheduler", "options": {"optimizer": True},
                                              "schedulers": [sch("LinearLR", startFactor=0.5, totalIters=3),
                                                             sch("StepLR", stepSize=2, gamma=0.8),
                                                             sch("MultiStepLR", milestones=[5], gamma=0.5)]},
                                "steps": 10}),
    ("ChainedScheduler/cyclicMomentum", {"optimizer": sgd(), "trackMomentum": True,
                                         "scheduler": {"type": "ChainedScheduler",
                                                       "schedulers": [sch("CyclicLR", baseLr=0.01, maxLr=0.1,
                                                                          stepSizeUp=2),
                                                                      sch("ExponentialLR", gamma=0.95)]},
                                         "steps": 10}),
]

SWALR_CASES = [
    ("SWALR/cos", {"optimizer": sgd(), "scheduler": sch("SWALR", swaLr=0.05, annealEpochs=3), "steps": 8}),
    ("SWALR/linearPerGroup", {"optimizer": adam(),
                              "scheduler": sch("SWALR", swaLr=[0.05, 0.01], annealEpochs=4,
                                               annealStrategy="linear"),
                              "steps": 8}),
    ("SWALR/zeroEpochs", {"optimizer": sgd(), "scheduler": sch("SWALR", swaLr=0.02, annealEpochs=0), "steps": 4}),
    ("SWALR/defaults", {"optimizer": sgd(), "scheduler": sch("SWALR", swaLr=0.01), "steps": 12}),
]


# ------------------------------------------------------------------------ addParamGroup


def one_group(opt_type="SGD"):
    if opt_type == "Adagrad":
        return {"type": "Adagrad", "options": {"lr": 0.1}, "groups": [{"lr": 0.1}]}
    return {"type": "SGD", "options": {"lr": 0.1, "momentum": 0.9}, "groups": [{"lr": 0.1}]}


# A scheduler on a one-group optimizer steps `before` times; then opt.add_param_group({lr: 0.2})
# and up to `after` more steps. Schedulers that read per-group values saved at creation
# (base_lrs, lr_lambdas, momentums; initial_lr/max_lr/... or swa_lr in the groups) raise on
# the new group, at the step that first needs them; the chainable ones go on with it.
ADD_GROUP_CASES = [
    ("LambdaLR", {"scheduler": sch("LambdaLR", lrLambda="pow095")}),
    ("MultiplicativeLR", {"scheduler": sch("MultiplicativeLR", lrLambda="const095")}),
    ("StepLR", {"scheduler": sch("StepLR", stepSize=2, gamma=0.5)}),
    ("MultiStepLR", {"scheduler": sch("MultiStepLR", milestones=[3, 5])}),
    ("ConstantLR", {"scheduler": sch("ConstantLR", factor=0.5, totalIters=4)}),
    ("LinearLR", {"scheduler": sch("LinearLR", startFactor=0.25, totalIters=5)}),
    ("ExponentialLR", {"scheduler": sch("ExponentialLR", gamma=0.9)}),
    ("ExponentialLR/epochs", {"scheduler": sch("ExponentialLR", gamma=0.9), "epochs": [1, 2, 3, 4, 5]}),
    ("PolynomialLR", {"scheduler": sch("PolynomialLR", totalIters=6, power=2.0)}),
    ("CosineAnnealingLR", {"scheduler": sch("CosineAnnealingLR", TMax=3), "after": 8}),
    ("CosineAnnealingWarmRestarts", {"scheduler": sch("CosineAnnealingWarmRestarts", T0=3)}),
    ("CyclicLR", {"scheduler": sch("CyclicLR", baseLr=0.01, maxLr=0.1, stepSizeUp=2)}),
    ("CyclicLR/noMomentum", {"optimizer": one_group("Adagrad"),
                             "scheduler": sch("CyclicLR", baseLr=0.01, maxLr=0.1, stepSizeUp=2, cycleMomentum=False)}),
    ("OneCycleLR/warmup", {"scheduler": sch("OneCycleLR", maxLr=0.1, totalSteps=10), "before": 1}),
    ("OneCycleLR/anneal", {"scheduler": sch("OneCycleLR", maxLr=0.1, totalSteps=10), "before": 4}),
    ("OneCycleLR/noMomentum", {"optimizer": one_group("Adagrad"),
                               "scheduler": sch("OneCycleLR", maxLr=0.1, totalSteps=10, cycleMomentum=False)}),
    ("ReduceLROnPlateau", {"scheduler": sch("ReduceLROnPlateau", factor=0.5, patience=1),
                           "metrics": [1.0, 0.9, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95]}),
    ("ReduceLROnPlateau/minLrList", {"scheduler": sch("ReduceLROnPlateau", factor=0.5, patience=1, minLr=[0.001]),
                                     "metrics": [1.0, 0.9, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95]}),
    ("SequentialLR", {"scheduler": sch("SequentialLR", schedulers=[sch("ConstantLR", factor=0.5, totalIters=2),
                                                                   sch("ExponentialLR", gamma=0.9)],
                                       milestones=[4])}),
    ("ChainedScheduler", {"scheduler": {"type": "ChainedScheduler",
                                        "schedulers": [sch("ConstantLR", factor=0.5, totalIters=3),
                                                       sch("ExponentialLR", gamma=0.9)]}}),
    ("ChainedScheduler/cyclic", {"scheduler": {"type": "ChainedScheduler",
                                               "schedulers": [sch("ExponentialLR", gamma=0.9),
                                                              sch("CyclicLR", baseLr=0.01, maxLr=0.1, stepSizeUp=2)]}}),
    ("SWALR", {"scheduler": sch("SWALR", swaLr=0.05, annealEpochs=3)}),
]


def add_group_case(name, spec):
    spec = {"optimizer": one_group(), "before": 2, "after": 6, "newGroup": {"lr": 0.2}, **spec}
    if "metrics" not in spec and "epochs" not in spec:
        spec["steps"] = spec["before"] + spec["after"]
    opt = make_optimizer(spec["optimizer"])
    sched = make_scheduler(opt, spec["scheduler"])
    lr = [[g["lr"] for g in opt.param_groups]]
    for i in range(1, spec["before"] + 1):
        drive(sched, spec, i)
        lr.append([g["lr"] for g in opt.param_groups])
    opt.add_param_group({"params": [torch.zeros(2, requires_grad=True)],
                         **{snake(k): v for k, v in spec["newGroup"].items()}})
    raises = None
    for i in range(spec["before"] + 1, n_steps(spec) + 1):
        try:
            drive(sched, spec, i)
        except KeyError as e:  # a key the scheduler wrote into the groups it was created with
            raises = {"step": i, "type": "KeyError", "key": camel(e.args[0])}
            break
        except (ValueError, RuntimeError) as e:  # per-group values zipped (strict) with the groups
            raises = {"step": i, "type": type(e).__name__, "message": str(e)}
            break
        lr.append([g["lr"] for g in opt.param_groups])
    return {"name": name, **spec, "lr": lr, "raises": raises}


# ------------------------------------------------------------------------ the seed pattern


def seed_pattern(kind):
    """for epoch: train(); validate(); scheduler.step()  on a tiny linear regression."""
    x = torch.tensor([[-1.0], [-0.5], [0.0], [0.25], [0.5], [1.0], [1.5], [2.0]])
    y = 2 * x + 1
    xv = torch.tensor([[-0.75], [0.75], [1.25]])
    yv = 2 * xv + 1
    model = nn.Linear(1, 1)
    with torch.no_grad():
        model.weight.copy_(torch.tensor([[0.5]]))
        model.bias.copy_(torch.tensor([0.0]))
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.5)
    if kind == "StepLR":
        sched = L.StepLR(opt, step_size=4, gamma=0.5)
    else:
        sched = L.ReduceLROnPlateau(opt, factor=0.5, patience=1)
    loss_fn = nn.MSELoss()
    rec = {"lrs": [], "trainLoss": [], "valLoss": []}
    for _ in range(12):
        rec["lrs"].append(opt.param_groups[0]["lr"])
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        with torch.no_grad():
            val = loss_fn(model(xv), yv).item()
        rec["trainLoss"].append(loss.item())
        rec["valLoss"].append(val)
        if kind == "StepLR":
            sched.step()
        else:
            sched.step(val)
    rec["finalLr"] = opt.param_groups[0]["lr"]
    rec["weight"] = model.weight.detach().reshape(-1).tolist()
    rec["bias"] = model.bias.detach().tolist()
    return {"scheduler": kind, "x": x.reshape(-1).tolist(), "y": y.reshape(-1).tolist(),
            "xVal": xv.reshape(-1).tolist(), "yVal": yv.reshape(-1).tolist(),
            "weight0": [0.5], "bias0": [0.0], "lr": 0.05, "momentum": 0.5, "epochs": 12, **rec}


# ------------------------------------------------------------------------ AveragedModel


W0 = [[0.5, -0.25, 0.125], [1.0, 0.75, -0.5]]
B0 = [0.1, -0.2]
# model weights the training loop would have produced, set before each update_parameters
UPDATES = [
    ([[0.6, -0.2, 0.1], [0.9, 0.7, -0.45]], [0.12, -0.18]),
    ([[0.55, -0.3, 0.2], [1.1, 0.65, -0.4]], [0.05, -0.25]),
    ([[0.7, -0.1, 0.15], [0.95, 0.8, -0.55]], [0.2, -0.1]),
    ([[0.4, -0.35, 0.05], [1.2, 0.6, -0.6]], [0.0, -0.3]),
    ([[0.65, -0.15, 0.3], [1.05, 0.9, -0.35]], [0.15, -0.05]),
]
X_IN = [[1.0, 2.0, 3.0], [-0.5, 0.25, 1.5]]


def averaged_case(kind):
    model = nn.Linear(3, 2)
    with torch.no_grad():
        model.weight.copy_(torch.tensor(W0))
        model.bias.copy_(torch.tensor(B0))
    if kind == "swa":
        avg = S.AveragedModel(model)
    elif kind == "ema":
        avg = S.AveragedModel(model, multi_avg_fn=S.get_ema_multi_avg_fn(0.9))
    else:  # avgFn "halfway": average with weight 1/2 regardless of n
        avg = S.AveragedModel(model, avg_fn=lambda a, c, n: (a + c) * 0.5)
    steps = []
    for w, b in UPDATES:
        with torch.no_grad():
            model.weight.copy_(torch.tensor(w))
            model.bias.copy_(torch.tensor(b))
        avg.update_parameters(model)
        steps.append({
            "weight": avg.module.weight.detach().reshape(-1).tolist(),
            "bias": avg.module.bias.detach().tolist(),
            "nAveraged": int(avg.n_averaged),
        })
    with torch.no_grad():
        out = avg(torch.tensor(X_IN)).reshape(-1).tolist()
    return {"kind": kind, "steps": steps, "forward": out,
            "stateDictKeys": sorted(avg.state_dict().keys())}


def main():
    torch.set_num_threads(1)
    cases = [run_case(n, s) for n, s in SCHEDULER_CASES]
    seed = [seed_pattern("StepLR"), seed_pattern("ReduceLROnPlateau")]
    add_group = [add_group_case(n, s) for n, s in ADD_GROUP_CASES]
    write("schedulers.json", {"torch": torch.__version__, "cases": cases, "seedPattern": seed,
                              "addParamGroup": add_group})
    swalr = [run_case(n, s) for n, s in SWALR_CASES]
    averaged = [averaged_case(k) for k in ("swa", "ema", "avgFn")]
    write("swa.json", {"torch": torch.__version__, "swalr": swalr,
                       "averagedModel": {"weight0": W0, "bias0": B0, "updates": UPDATES, "x": X_IN,
                                         "cases": averaged}})


def write(name, obj):
    text = json.dumps(obj, allow_nan=False, separators=(",", ":"))
    with open(os.path.join(FIXTURES, name), "w") as f:
        f.write(text + "\n")
    print(f"wrote test/fixtures/{name} ({len(text)} bytes)")


if __name__ == "__main__":
    main()
