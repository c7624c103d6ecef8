"""Golden fixtures for the optimizers beyond torch.optim, from their reference implementations
run on the installed PyTorch (2.x CPU, float32):

  Lion               lucidrains/lion-pytorch            lion_pytorch.Lion
  LAMB               kozistr/pytorch_optimizer          pytorch_optimizer.optimizer.lamb.Lamb
  ScheduleFreeAdamW  facebookresearch/schedule_free     schedulefree.AdamWScheduleFree
  ScheduleFreeSGD    facebookresearch/schedule_free     schedulefree.SGDScheduleFree

The references are not installed packages here: each is a git checkout of its repository,
named by an environment variable, and its code stays out of this repository (only the
fixtures are committed). Run from the repository root:

    LION_PYTORCH=<checkout> PYTORCH_OPTIMIZER=<checkout> SCHEDULE_FREE=<checkout> \\
        .venv/bin/python test/golden/gen_optimizers_beyond.py

Writes test/fixtures/optimizers_beyond.json (replayed by test/cases/optimizers.ts with
optimizers.json, and by test/cases/optimizers_beyond.ts):

  references  per optimizer: repository, commit (the checkout's HEAD, which must be clean),
              package version, class
  cases       gen_optimizers.py's cases (its table machinery, imported: see its docstring),
              built from the table OPTIMIZERS below; each also names its reference and the
              options and groups the reference was given, in the reference's own names
  errors      constructor calls the references refuse, with their messages (null: refused by
              an assert, without one)
  defaults    each reference's `defaults` dict, names camelCased
  modes       ScheduleFree's train()/eval() scripts (build_modes)

ScheduleFree's optimizers start in eval mode and refuse to step there; every case puts them
in train mode after construction (`optimizer.train()`), as a training loop does and as the JS
replay does.
"""

import json
import os
import subprocess
import sys
import warnings

warnings.filterwarnings("ignore")

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_optimizers as base  # noqa: E402
from gen_optimizers import camel, case, fused_cases, loss_of, plain, py_options, setup, torch  # noqa: E402
from fixture_numbers import vals  # noqa: E402

# package: (environment variable, repository, module, {JS class: the reference's class})
REFERENCES = {
    "lion-pytorch": ("LION_PYTORCH", "lucidrains/lion-pytorch", "lion_pytorch", {"Lion": "Lion"}),
    "pytorch_optimizer": ("PYTORCH_OPTIMIZER", "kozistr/pytorch_optimizer", "pytorch_optimizer.optimizer.lamb",
                          {"LAMB": "Lamb"}),
    "schedulefree": ("SCHEDULE_FREE", "facebookresearch/schedule_free", "schedulefree",
                     {"ScheduleFreeAdamW": "AdamWScheduleFree", "ScheduleFreeSGD": "SGDScheduleFree"}),
}

# Per optimizer, as gen_optimizers.OPTIMIZERS: option mixes (between them every option of
# the reference's constructor is on somewhere), the problem each mix runs in a training loop,
# and the groups scenario (constructor options, two groups' overrides, a group added mid-run,
# the lr set mid-run).
OPTIMIZERS = {
    "Lion": dict(
        mixes={"wd": {"lr": 0.01, "betas": [0.95, 0.98], "weightDecay": 0.1},
               # decoupled: the decay is weightDecay / (the constructor's lr), times the group's lr
               "decoupled": {"lr": 0.02, "betas": [0.5, 0.9], "weightDecay": 0.01, "decoupledWeightDecay": True}},
        groups=({"lr": 0.01, "weightDecay": 0.05, "decoupledWeightDecay": True}, {"betas": [0.8, 0.95]},
                {"weightDecay": 0.1}, {"lr": 0.005, "betas": [0.9, 0.9]}, 0.002)),
    "LAMB": dict(
        mix_problem="mlp",
        mixes={"coupled-prenorm": {"lr": 0.02, "betas": [0.8, 0.99], "weightDecay": 0.1, "weightDecouple": False,
                                   "preNorm": True, "maxGradNorm": 0.5, "gradAveraging": False, "maximize": True},
               "rectify-degenerated": {"lr": 0.05, "betas": [0.9, 0.9], "weightDecay": 0.05, "fixedDecay": True,
                                       "rectify": True, "degeneratedToSgd": True, "nSmaThreshold": 4, "eps": 1e-4},
               # rectify's first steps go uphill (its step size is −lr before ρ_t reaches the
               # threshold); its per-parameter path drops a coupled weight decay
               "rectify-uphill-adam": {"lr": 0.002, "rectify": True, "adam": True, "betas": [0.5, 0.8],
                                       "weightDecay": 0.01, "weightDecouple": False, "preNorm": True,
                                       "maxGradNorm": 0.0}},
        groups=({"lr": 0.02, "weightDecay": 0.05}, {"betas": [0.8, 0.99]}, {"weightDecouple": False, "eps": 1e-4},
                {"lr": 0.01, "rectify": True}, 0.005)),
    "ScheduleFreeAdamW": dict(
        mixes={"warmup-momentum": {"lr": 0.05, "betas": [0.8, 0.99], "warmupSteps": 5, "r": 0.5, "weightDecay": 0.01,
                                   "innerMomentum": 0.9},
               # β1 = 0.5: eval()'s lerp weight 1 − 1/β1 = −1 and train()'s 0.5 take lerp's other branch
               "power-small-beta1": {"lr": 0.02, "betas": [0.5, 0.9], "eps": 1e-6, "weightLrPower": 1.5, "r": 1.0,
                                     "warmupSteps": 2}},
        groups=({"lr": 0.03, "warmupSteps": 2}, {"betas": [0.7, 0.99]}, {"weightDecay": 0.05, "r": 1.0},
                {"lr": 0.01, "innerMomentum": 0.5}, 0.01)),
    "ScheduleFreeSGD": dict(
        # the default lr (1.0) diverges on the mlp and Rosenbrock problems
        defaults_problems=(("linear", True),),
        mixes={"warmup-wd": {"lr": 0.05, "momentum": 0.8, "warmupSteps": 4, "r": 0.5, "weightDecay": 0.05},
               "power-small-momentum": {"lr": 0.02, "momentum": 0.4, "weightLrPower": 1.5, "r": 1.0}},
        groups=({"lr": 0.03, "warmupSteps": 2}, {"momentum": 0.7}, {"weightDecay": 0.05, "r": 1.0},
                {"lr": 0.01, "momentum": 0.5}, 0.01)),
}

# options of each ScheduleFree optimizer's train()/eval() script, and of the group added in it
MODES = {
    "ScheduleFreeAdamW": ({"lr": 0.05, "betas": [0.9, 0.99], "warmupSteps": 2, "innerMomentum": 0.5},
                          {"betas": [0.5, 0.9], "weightDecay": 0.1}),
    "ScheduleFreeSGD": ({"lr": 0.05, "momentum": 0.9, "warmupSteps": 2}, {"momentum": 0.5, "weightDecay": 0.1}),
}
# step: zero_grad, the mlp loss, backward, step (refused in eval mode: the message is kept);
# add: the second group (params 2 and 3, which until then are not stepped)
MODE_ACTIONS = ["step", "train", "step", "add", "step", "step", "eval", "eval", "step", "train", "train", "step", "step",
                "eval", "train", "step", "eval"]


def git(directory, *args):
    return subprocess.run(["git", "-C", directory, *args], check=True, capture_output=True, text=True).stdout.strip()


def load_references():
    """Imports each reference from its checkout; returns {JS name: class}, {JS name: reference}."""
    classes, refs = {}, {}
    for package, (env, repository, module, names) in REFERENCES.items():
        directory = os.environ.get(env)
        if not directory or not os.path.isdir(directory):
            sys.exit(f"set {env} to a checkout of https://github.com/{repository} (got {directory!r})")
        if git(directory, "status", "--porcelain", "--untracked-files=no"):
            sys.exit(f"{env}={directory}: the checkout has local changes; fixtures come from a clean commit")
        commit = git(directory, "rev-parse", "HEAD")
        sys.path.insert(0, os.path.abspath(directory))
        mod = __import__(module, fromlist=["_"])
        version = version_of(directory)
        for name, cls_name in names.items():
            classes[name] = getattr(mod, cls_name)
            refs[name] = {"repository": f"https://github.com/{repository}", "commit": commit, "package": package,
                          "version": version, "class": f"{module}.{cls_name}"}
    return classes, refs


def version_of(directory):
    for file, key in (("setup.py", "version"), ("pyproject.toml", "version")):
        path = os.path.join(directory, file)
        if not os.path.exists(path):
            continue
        for line in open(path):
            stripped = line.strip()
            if stripped.startswith(key) and "=" in stripped:
                return stripped.split("=", 1)[1].strip().strip(",").strip("'\"")
    return None


def in_train_mode(cls):
    """`cls`, put in train mode at construction, as a training loop starts."""
    class Training(cls):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.train()
    Training.__name__ = cls.__name__
    return Training


def reference_options(c):
    """The options and groups a case's reference was given, in the reference's names."""
    def snake(opts):
        return {base.snake(k): v for k, v in opts.items()}
    return {"options": snake(c["options"]), "groups": None if c["groups"] is None else [snake(g) for g in c["groups"]]}


def build_cases(refs):
    cases = {}
    for optimizer, entry in OPTIMIZERS.items():
        for name, c in fused_cases(optimizer, entry).items():
            reference = dict(refs[optimizer], **reference_options(c))
            if optimizer.startswith("ScheduleFree"):
                reference["setup"] = "optimizer.train() after construction"
            cases[name] = dict(c, reference=reference)
    return cases


def build_errors(classes):
    """Constructor calls the references refuse (message null: an assert, without one)."""
    p = [torch.zeros(2, requires_grad=True)]
    calls = [
        ("Lion", {"lr": 0}), ("Lion", {"lr": -1}), ("Lion", {"betas": [1.5, 0.9]}), ("Lion", {"betas": [0.9, -0.5]}),
        ("LAMB", {"lr": -1}), ("LAMB", {"betas": [1.5, 0.9]}), ("LAMB", {"betas": [0.9, 1]}),
        ("LAMB", {"betas": [-0.5, 0.9]}), ("LAMB", {"weightDecay": -0.1}), ("LAMB", {"maxGradNorm": -1}),
        ("LAMB", {"eps": -0.5}),
        ("ScheduleFreeSGD", {"lr": -1}), ("ScheduleFreeSGD", {"weightDecay": -0.1}), ("ScheduleFreeSGD", {"momentum": 0}),
        ("ScheduleFreeSGD", {"momentum": 1}), ("ScheduleFreeSGD", {"momentum": -0.5}),
    ]
    out = []
    for name, opts in calls:
        try:
            classes[name](p, **py_options(opts))
        except AssertionError as e:
            if str(e):
                raise
            out.append({"optimizer": name, "options": opts, "message": None})
            continue
        except Exception as e:  # pytorch_optimizer raises its own exception classes
            out.append({"optimizer": name, "options": opts, "message": str(e)})
            continue
        raise AssertionError(f"{name}({opts}) did not raise")
    return out


def build_defaults(classes):
    """Each reference's defaults dict, camelCased (its `foreach` switch left out: torchlet has one path)."""
    out = {}
    for name, cls in classes.items():
        opt = cls([torch.zeros(2, requires_grad=True)])
        out[name] = {camel(k): plain(v) for k, v in opt.defaults.items() if k != "foreach"}
    return out


def build_modes(classes, refs):
    """ScheduleFree's train()/eval(): params after each action of MODE_ACTIONS, in both modes."""
    out = {}
    for optimizer, (options, added) in MODES.items():
        name = f"{optimizer} train/eval"
        shapes, init, data, _ = setup(name, "mlp", None)
        params = [t.clone().requires_grad_(True) for t in init]
        opt = classes[optimizer]([{"params": params[:2]}], **py_options(options))
        trace, messages = [], []
        for action in MODE_ACTIONS:
            message = None
            if action == "step":
                opt.zero_grad()
                for p in params:
                    p.grad = None
                loss_of("mlp", params, data).backward()
                try:
                    opt.step()
                except Exception as e:  # the reference raises a bare Exception in eval mode
                    message = str(e)
            elif action == "add":
                opt.add_param_group({**py_options(added), "params": params[2:]})
            else:
                getattr(opt, action)()
            trace.append([vals(p) for p in params])
            messages.append(message)
        sd = opt.state_dict()
        out[name] = {
            "optimizer": optimizer, "reference": refs[optimizer], "options": options, "added": added, "shapes": [list(s) for s in shapes],
            "init": [vals(t) for t in init], "data": {k: vals(v) for k, v in data.items()},
            "actions": MODE_ACTIONS, "trace": trace, "messages": messages,
            "state": {str(i): {camel(k): plain(v) for k, v in st.items()} for i, st in sd["state"].items()},
            "groupOptions": [{camel(k): plain(v) for k, v in g.items() if k not in ("params", "foreach")}
                             for g in sd["param_groups"]],
        }
    return out


def main():
    classes, refs = load_references()
    base.REFERENCE_CLASSES.update({name: in_train_mode(cls) if name.startswith("ScheduleFree") else cls
                                   for name, cls in classes.items()})
    cases = build_cases(refs)
    obj = {"torch": torch.__version__, "references": refs, "cases": cases, "errors": build_errors(classes),
           "defaults": build_defaults(classes), "modes": build_modes(classes, refs)}
    path = os.path.join(base.FIXTURES, "optimizers_beyond.json")
    text = json.dumps(obj, separators=(",", ":"), allow_nan=False)
    with open(path, "w") as f:
        f.write(text + "\n")
    print(f"wrote {os.path.relpath(path, base.ROOT)} ({len(text) // 1024} KB, {len(cases)} cases, "
          f"{len(obj['errors'])} constructor errors, {len(obj['modes'])} train/eval scripts)")


if __name__ == "__main__":
    main()
