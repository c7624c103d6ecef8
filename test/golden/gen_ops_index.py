"""Golden fixtures for torchlet's indexing family, from real PyTorch (2.x CPU).

Run from the repository root:

    /path/to/python-with-torch test/golden/gen_ops_index.py

Writes test/fixtures/ops_index.json: one entry per case, replayed by
test/cases/ops_index.ts through the public API with one small interpreter.

A case is a program: inputs, then steps. Each step is
    {"out": name | [names] | null, "self": name | null, "fn": method or "torch.<fn>", "args": [...]}
and args are JSON values where {"ref": name} stands for a tensor of the program (inputs or
earlier outputs), nested arrays of integers or booleans are index arrays, and a string is a
key of `index` ("1:3", "...", "None", or several with commas). The generator runs the same
program in PyTorch (translating each fn to its Python form: index is t[keys], indexPut_ is
t[keys] = v or index_put_) and records

  inputs    {name: {dtype, shape, values, requiresGrad}}
  check     {name: {dtype, shape, values, strides?}} values of programs' tensors after the
            last step (a list output records a list); strides where PyTorch's result is a
            view, so the replay sees the same geometry
  backward  {of, upstream} | null  then `of`.backward(upstream) runs, and
  grads     {input: {shape, values} | null} for every input that requires grad
  error     PyTorch's message when the last step must fail; `match` is a regex the replay
            uses instead of the message where torchlet words it differently (dtype names)

int32 is the index dtype on both sides (torchlet's int64). Deterministic: each case draws
from its own generator seeded with crc32(case name).
"""

import json
import os
import sys
import warnings
import zlib

warnings.filterwarnings("ignore")

import torch  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixture_numbers import f32_short, vals  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
OUT = os.path.join(ROOT, "test", "fixtures", "ops_index.json")

torch.set_num_threads(1)

DTYPES = {torch.float32: "float32", torch.int32: "int32", torch.int64: "int32", torch.bool: "bool"}


# ---------------------------------------------------------------------------- inputs

class F:
    """A float32 input: random normal of `shape`, or the given values."""

    def __init__(self, shape, grad=False, values=None):
        self.shape, self.grad, self.values = shape, grad, values

    def make(self, g):
        if self.values is not None:
            t = torch.tensor(self.values, dtype=torch.float32)
        else:
            t = torch.randn(self.shape, generator=g)
        return torch.tensor([f32_short(v) for v in t.reshape(-1).tolist()], dtype=torch.float32).reshape(t.shape)


class I:
    """An int32 input with the given nested values."""

    def __init__(self, values):
        self.values, self.grad = values, False

    def make(self, g):
        return torch.tensor(self.values, dtype=torch.int32)


class B:
    """A bool input with the given nested values (or random of a shape)."""

    def __init__(self, values=None, shape=None):
        self.values, self.shape, self.grad = values, shape, False

    def make(self, g):
        if self.values is not None:
            return torch.tensor(self.values, dtype=torch.bool)
        return torch.rand(self.shape, generator=g) > 0.5


def R(name):
    return {"ref": name}


def S(out, self, fn, *args):
    return {"out": out, "self": self, "fn": fn, "args": list(args)}


# ---------------------------------------------------------------------------- PyTorch side

def key_of(k, env):
    """One JSON key as Python indexing sees it (a list of Python keys: strings may hold several)."""
    if isinstance(k, dict):
        return [env[k["ref"]]]
    if isinstance(k, str):
        out = []
        parts = k.split(",")
        for p in parts:
            p = p.strip()
            if p == "...":
                out.append(Ellipsis)
            elif p in ("None", "null"):
                out.append(None)
            elif ":" in p:
                bits = [int(b) if b.strip() else None for b in p.split(":")]
                out.append(slice(*bits))
            else:
                out.append(int(p))
        return out
    if isinstance(k, list):
        flat = json.dumps(k)
        is_bool = "true" in flat or "false" in flat
        return [torch.tensor(k, dtype=torch.bool if is_bool else torch.int64)]
    return [k]


def keys_of(keys, env):
    out = []
    for k in keys:
        out.extend(key_of(k, env))
    return tuple(out)


def arg_of(a, env):
    if isinstance(a, dict) and "ref" in a:
        return env[a["ref"]]
    if isinstance(a, list) and a and all(isinstance(x, dict) and "ref" in x for x in a):
        return [env[x["ref"]] for x in a]
    return a


def index_put(s, keys, value, opts=None, env=None):
    accumulate = bool(opts and opts.get("accumulate"))
    k = keys_of(keys, env)
    v = value
    if accumulate:
        if all(isinstance(x, torch.Tensor) for x in k):
            if not isinstance(v, torch.Tensor):
                v = torch.tensor(v, dtype=s.dtype)
            s.index_put_(k, v, accumulate=True)
        else:
            s[k] += v  # basic keys only (no repeated places)
    else:
        s[k] = v
    return s


METHODS = {
    "index": lambda s, *keys, env=None: s[keys_of(keys, env)],
    "indexPut_": lambda s, keys, value, opts=None, env=None: index_put(s, keys, value, opts, env),
    "indexPut": lambda s, keys, value, opts=None, env=None: index_put(s.clone(), keys, value, opts, env),
    "gather": lambda s, d, i, env=None: s.gather(d, i),
    "scatter": lambda s, d, i, src, env=None: s.scatter(d, i, src),
    "scatter_": lambda s, d, i, src, env=None: s.scatter_(d, i, src),
    "scatterAdd": lambda s, d, i, src, env=None: s.scatter_add(d, i, src),
    "scatterAdd_": lambda s, d, i, src, env=None: s.scatter_add_(d, i, src),
    "indexSelect": lambda s, d, i, env=None: s.index_select(d, i),
    "split": lambda s, n, d=0, env=None: list(s.split(n, d)),
    "chunk": lambda s, n, d=0, env=None: list(s.chunk(n, d)),
    "transpose": lambda s, a, b, env=None: s.transpose(a, b),
    "t": lambda s, env=None: s.t(),
    "view": lambda s, *shape, env=None: s.view(*shape),
    "reshape": lambda s, *shape, env=None: s.reshape(*shape),
    "mul": lambda s, o, env=None: s.mul(o),
    "add": lambda s, o, env=None: s.add(o),
    "sum": lambda s, env=None: s.sum(),
    "clone": lambda s, env=None: s.clone(),
    "mul_": lambda s, o, env=None: s.mul_(o),
    "add_": lambda s, o, env=None: s.add_(o),
    "fill_": lambda s, v, env=None: s.fill_(v),
    "zero_": lambda s, env=None: s.zero_(),
    "torch.cat": lambda ts, d=0, env=None: torch.cat(ts, d),
    "torch.stack": lambda ts, d=0, env=None: torch.stack(ts, d),
    "torch.gather": lambda s, d, i, env=None: torch.gather(s, d, i),
    "torch.scatterAdd": lambda s, d, i, src, env=None: torch.scatter_add(s, d, i, src),
    "torch.indexSelect": lambda s, d, i, env=None: torch.index_select(s, d, i),
    "torch.split": lambda s, n, d=0, env=None: list(torch.split(s, n, d)),
    "torch.chunk": lambda s, n, d=0, env=None: list(torch.chunk(s, n, d)),
}


def run_step(step, env):
    fn = METHODS[step["fn"]]
    args = [arg_of(a, env) for a in step["args"]]
    if step["fn"] in ("index", "indexPut_", "indexPut"):
        args = step["args"] if step["fn"] == "index" else [step["args"][0]] + args[1:]
    if step["self"] is None:
        return fn(*args, env=env)
    return fn(env[step["self"]], *args, env=env)


def rec_tensor(t):
    r = {"dtype": DTYPES[t.dtype], "shape": list(t.shape)}
    if t.dtype == torch.float32:
        r["values"] = vals(t)
    else:
        r["values"] = [int(v) for v in t.detach().reshape(-1).tolist()]
    if t._base is not None:
        r["strides"] = list(t.stride())
    return r


def rec_value(v):
    if isinstance(v, list):
        return [rec_tensor(t) for t in v]
    return rec_tensor(v)


CASES = {}


def case(name, inputs, steps, check, backward=None, error=None, match=None):
    assert name not in CASES, name
    g = torch.Generator().manual_seed(zlib.crc32(name.encode()))
    env, spec = {}, {}
    for iname, inp in inputs.items():
        t = inp.make(g)
        spec[iname] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape),
                       "values": vals(t) if t.dtype == torch.float32 else [int(v) for v in t.reshape(-1).tolist()],
                       "requiresGrad": inp.grad}
        env[iname] = t.clone().requires_grad_(inp.grad)
    entry = {"inputs": spec, "steps": steps}
    for i, step in enumerate(steps):
        last = i == len(steps) - 1
        try:
            out = run_step(step, env)
        except Exception as e:  # noqa: BLE001
            if error and last:
                entry["error"] = str(e).split("\n")[0]
                if match:
                    entry["match"] = match
                CASES[name] = entry
                return
            raise
        assert not (error and last), f"{name}: expected an error"
        names = step["out"]
        if isinstance(names, list):
            for n, v in zip(names, out, strict=True):
                env[n] = v
        elif names is not None:
            env[names] = out
    entry["check"] = {n: rec_value(env[n]) for n in check}
    if backward is not None:
        of = env[backward]
        up = torch.randn(of.shape, generator=g)
        up = torch.tensor([f32_short(v) for v in up.reshape(-1).tolist()], dtype=torch.float32).reshape(of.shape)
        of.backward(up)
        entry["backward"] = {"of": backward, "upstream": {"shape": list(up.shape), "values": vals(up)}}
        entry["grads"] = {n: (None if env[n].grad is None else {"shape": list(env[n].grad.shape), "values": vals(env[n].grad)})
                          for n, inp in inputs.items() if inp.grad}
    CASES[name] = entry


def idx(name, keys, x=None, grad=True, extra=None):
    """x.index(*keys) on a [3, 4, 5] input (or `x`), with grads."""
    inputs = {"x": x or F([3, 4, 5], grad)}
    inputs.update(extra or {})
    case(name, inputs, [S("y", "x", "index", *keys)], ["y"], backward="y" if grad else None)


# ---------------------------------------------------------------------------- cases: index

idx("index int", [1])
idx("index negative int", [-1])
idx("index two ints", [0, -2])
idx("index int in the last dim", [":", ":", 3])
idx("index slice", ["1:3"])
idx("index slice with step", ["::2"])
idx("index slice negative start", ["-2:"])
idx("index slice negative stop", [":", ":-1"])
idx("index slice bounds clamped", ["1:100", "-100:2"])
idx("index empty slice", ["2:1"])
idx("index slice step 3 in dim 2", [":", "1:", "::3"])
idx("index ellipsis then int", ["...", 0])
idx("index int ellipsis slice", [0, "...", "1:"])
idx("index None first", [None, 1])
idx("index None in the middle", [":", None, "::3"])
idx("index string None", ["None, 2"])
idx("index comma string", ["1:3, ::2"])
idx("index comma string with ellipsis", ["0, ..., -1"])
idx("index all basic kinds", [-1, None, "...", "1:4:2"])
idx("index empty key list is an alias", [])
idx("index array", [[2, 0, 2]])
idx("index array negative", [[-1, 0]])
idx("index empty array", [[]])
idx("index 2-D int32 tensor", [R("i")], extra={"i": I([[0, 1], [2, 2]])})
idx("index two tensors broadcast", [R("i"), R("j")], extra={"i": I([[0], [2]]), "j": I([1, 3])})
idx("index tensors not adjacent go first", [R("i"), ":", R("j")], extra={"i": I([0, 2]), "j": I([1, 4])})
idx("index tensors adjacent after a slice", [":", R("i"), R("j")], extra={"i": I([0, 3]), "j": I([1, 2])})
idx("index int then array (int selects first)", [0, ":", [1, 2]])
idx("index array then int", [[1, 2], ":", 0])
idx("index ellipsis then tensor", ["...", R("i")], extra={"i": I([4, 0, 4])})
idx("index None then tensor", [None, R("i")], extra={"i": I([0, 1])})
idx("index 0-dim int32 tensor selects", [R("i")], extra={"i": I(1)})
idx("index bool mask of the full shape", [R("m")], extra={"m": B(shape=[3, 4, 5])})
idx("index bool mask on dim 0", [R("m")], extra={"m": B([True, False, True])})
idx("index bool mask on dims 1 and 2", [":", R("m")], extra={"m": B(shape=[4, 5])})
idx("index bool array", [[True, False, True]])
idx("index mask and int32 tensor", [R("m"), R("i")], extra={"m": B([True, False, True]), "i": I([1, 3])})
idx("index true", [True])
idx("index false", [False])
idx("index 0-dim bool tensor", [R("m"), 0], extra={"m": B(True)})
idx("index 1-D with array and repeats", [[0, 1, 1, 0]], x=F([4], True))
idx("index int32 data", [[0, 1], "1:"], x=I([[1, 2, 3], [4, 5, 6]]), grad=False)
idx("index bool data with mask", [R("m")], x=B([True, False, True, True]), grad=False, extra={"m": B([True, True, False, True])})
idx("index int32 data by int", [-1, 1], x=I([[1, 2, 3], [4, 5, 6]]), grad=False)

case("index of a transposed view", {"x": F([3, 4, 5], True)},
     [S("xt", "x", "transpose", 0, 2), S("y", "xt", "index", "1:", [0, 2])], ["xt", "y"], backward="y")
case("index of a sliced view", {"x": F([3, 4, 5], True)},
     [S("xs", "x", "index", "::2"), S("y", "xs", "index", [1, 0], -1)], ["xs", "y"], backward="y")
case("basic index of a transposed view is a view", {"x": F([3, 4, 5], True)},
     [S("xt", "x", "transpose", 1, 2), S("y", "xt", "index", 1, "1:3", "::2")], ["y"], backward="y")

# ---------------------------------------------------------------------------- views alias their base

case("a write through an index view is seen in the base", {"x": F([3, 4, 5])},
     [S("v", "x", "index", 1, "1:3"), S(None, "v", "mul_", 2)], ["x", "v"])
case("a write to the base is seen in an index view", {"x": F([3, 4, 5])},
     [S("v", "x", "index", ":", 0), S(None, "x", "add_", 1)], ["x", "v"])
case("fill_ through a strided index view", {"x": F([3, 4, 5])},
     [S("v", "x", "index", "...", "::2"), S(None, "v", "fill_", 0)], ["x", "v"])
case("indexPut_ on a view writes the base", {"x": F([3, 4, 5])},
     [S("v", "x", "index", 0), S(None, "v", "indexPut_", [[1, 2]], 5)], ["x", "v"])
case("indexPut_ on a sliced view with a slice key writes the base", {"x": F([3, 4, 5]), "w": F([4])},
     [S("v", "x", "index", "1:"), S(None, "v", "indexPut_", [":", ":", 0], R("w"))], ["x"])
case("an advanced index result is a copy", {"x": F([3, 4, 5])},
     [S("c", "x", "index", [0, 1]), S(None, "c", "fill_", 0)], ["x", "c"])

# ---------------------------------------------------------------------------- indexPut_

def put(name, keys, value, opts=None, x=None, extra=None, t_grad=True, steps_before=None, check_grads=True):
    """y = x * 1 (a non-leaf), then y.indexPut_(keys, value, opts); grads of x and value."""
    inputs = {"x": x or F([3, 4, 5], t_grad)}
    inputs.update(extra or {})
    args = [keys, value] + ([opts] if opts else [])
    floaty = isinstance(inputs["x"], F)
    steps = [S("y", "x", "mul", 1) if floaty else S("y", "x", "clone")] + (steps_before or []) + [S(None, "y", "indexPut_", *args)]
    case(name, inputs, steps, ["y"], backward="y" if floaty and check_grads else None)


put("indexPut_ int key number", [0], 3.5)
put("indexPut_ negative int and slice number", [-1, "1:"], -2)
put("indexPut_ tensor broadcast into a slice", ["1:", 0], R("v"), extra={"v": F([5], True)})
put("indexPut_ value with leading size-1 dims", ["1:", 0], R("v"), extra={"v": F([1, 1, 5], True)})
put("indexPut_ array key tensor value", [[0, 2]], R("v"), extra={"v": F([4, 5], True)})
put("indexPut_ repeated indices accumulate", [R("i")], R("v"), {"accumulate": True},
    extra={"i": I([0, 0, 2, 0]), "v": F([4, 4, 5], True)})
put("indexPut_ two tensors repeated accumulate", [R("i"), R("j")], R("v"), {"accumulate": True},
    extra={"i": I([0, 0, 1]), "j": I([1, 1, 3]), "v": F([3, 5], True)})
put("indexPut_ accumulate broadcast value", [R("i")], R("v"), {"accumulate": True},
    extra={"i": I([1, 1]), "v": F([5], True)})
put("indexPut_ accumulate with basic keys", [":", 1], R("v"), {"accumulate": True}, extra={"v": F([3, 5], True)})
put("indexPut_ mask with a number", [R("m")], 0, extra={"m": B(shape=[3, 4, 5])})
put("indexPut_ row mask with a tensor", [R("m")], R("v"), extra={"m": B([True, False, True]), "v": F([4, 5], True)})
put("indexPut_ tensors not adjacent", [R("i"), ":", R("j")], R("v"), extra={"i": I([0, 2]), "j": I([1, 3]), "v": F([2, 4], True)})
put("indexPut_ value only requires grad", [1, ":", "::2"], R("v"), t_grad=False, extra={"v": F([4, 3], True)})
put("indexPut_ ellipsis and None", ["...", None, 2], R("v"), extra={"v": F([4, 1], True)})
put("indexPut_ int32 data accumulate", [R("i")], R("v"), {"accumulate": True}, x=I([0, 0, 0, 0, 0]),
    extra={"i": I([1, 1, 4]), "v": I([7, 8, 9])})
put("indexPut_ int32 data number", ["1:3"], 2.7, x=I([1, 2, 3, 4]))
put("indexPut_ bool data", [R("m")], True, x=B([False, False, True, False]), extra={"m": B([True, False, False, True])})
put("indexPut_ 1-D repeated index last write wins", [[1, 1]], R("v"), x=F([4]), extra={"v": F([2], False)}, check_grads=False)
put("indexPut_ int32 tensor value into a float slice", [0], R("v"), extra={"v": I([1, 2, 3, 4, 5])})
case("indexPut out of place", {"x": F([3, 4], True), "v": F([4], True)},
     [S("y", "x", "indexPut", [[2, 0]], R("v"))], ["x", "y"], backward="y")
case("indexPut_ on a leaf without grad, value with grad", {"x": F([3, 4]), "v": F([2], True)},
     [S(None, "x", "indexPut_", [[0, 2], 1], R("v"))], ["x"], backward="x")

# ---------------------------------------------------------------------------- gather, scatter, indexSelect

case("gather dim 1", {"x": F([3, 4], True), "i": I([[0, 0], [3, 1], [2, 2]])},
     [S("y", "x", "gather", 1, R("i"))], ["y"], backward="y")
case("gather negative dim, index smaller than input", {"x": F([3, 4], True), "i": I([[2, 0, 1], [0, 0, 0]])},
     [S("y", "x", "gather", -2, R("i"))], ["y"], backward="y")
case("gather of a transposed view", {"x": F([3, 4], True), "i": I([[0, 1, 2], [2, 2, 0]])},
     [S("xt", "x", "t"), S("y", "xt", "gather", 1, R("i"))], ["y"], backward="y")
case("gather 3-D dim 2", {"x": F([2, 3, 4], True), "i": I([[[3, 0], [1, 1], [2, 0]], [[0, 0], [3, 3], [1, 2]]])},
     [S("y", None, "torch.gather", R("x"), 2, R("i"))], ["y"], backward="y")
case("gather int32 data", {"x": I([[1, 2, 3], [4, 5, 6]]), "i": I([[2, 2], [0, 1]])},
     [S("y", "x", "gather", 1, R("i"))], ["y"])
case("scatter src into a tensor", {"x": F([3, 4], True), "i": I([[1, 3], [0, 2], [3, 1]]), "s": F([3, 2], True)},
     [S("y", "x", "scatter", 1, R("i"), R("s"))], ["y"], backward="y")
case("scatter a number", {"x": F([3, 4], True), "i": I([[0, 1, 2, 0]])},
     [S("y", "x", "scatter", 0, R("i"), 2.5)], ["y"], backward="y")
case("scatter src larger than index", {"x": F([3, 4], True), "i": I([[1], [0]]), "s": F([3, 3])},
     [S("y", "x", "scatter", 1, R("i"), R("s"))], ["y"], backward="y")
case("scatter_ in place", {"x": F([3, 4], True), "i": I([[2, 0, 1, 2]]), "s": F([1, 4], True)},
     [S("y", "x", "mul", 1), S(None, "y", "scatter_", 0, R("i"), R("s"))], ["y"], backward="y")
case("scatterAdd repeated indices", {"x": F([5], True), "i": I([0, 0, 4, 0, 2]), "s": F([5], True)},
     [S("y", "x", "scatterAdd", 0, R("i"), R("s"))], ["y"], backward="y")
case("scatterAdd 2-D dim 1 repeated", {"x": F([2, 3], True), "i": I([[0, 0, 0, 2], [1, 1, 2, 1]]), "s": F([2, 4], True)},
     [S("y", None, "torch.scatterAdd", R("x"), 1, R("i"), R("s"))], ["y"], backward="y")
case("scatterAdd int32", {"x": I([0, 0, 0]), "i": I([2, 2, 0]), "s": I([5, 6, 7])},
     [S("y", "x", "scatterAdd", 0, R("i"), R("s"))], ["y"])
case("scatterAdd_ in place", {"x": F([3, 2], True), "i": I([[0, 1], [0, 1], [2, 2]]), "s": F([3, 2], True)},
     [S("y", "x", "mul", 1), S(None, "y", "scatterAdd_", 0, R("i"), R("s"))], ["y"], backward="y")
case("indexSelect dim 0 with repeats", {"x": F([3, 4], True), "i": I([2, 0, 2])},
     [S("y", "x", "indexSelect", 0, R("i"))], ["y"], backward="y")
case("indexSelect negative dim", {"x": F([3, 4, 5], True), "i": I([4, 0])},
     [S("y", None, "torch.indexSelect", R("x"), -1, R("i"))], ["y"], backward="y")
case("indexSelect of a transposed view", {"x": F([3, 4], True), "i": I([3, 1])},
     [S("xt", "x", "t"), S("y", "xt", "indexSelect", 0, R("i"))], ["y"], backward="y")
case("indexSelect 0-dim index", {"x": F([3, 4], True), "i": I(2)},
     [S("y", "x", "indexSelect", 1, R("i"))], ["y"], backward="y")
case("indexSelect bool data", {"x": B([[True, False], [False, False], [True, True]]), "i": I([2, 2, 0])},
     [S("y", "x", "indexSelect", 0, R("i"))], ["y"])

# ---------------------------------------------------------------------------- cat, stack, split, chunk

case("cat dim 0", {"a": F([2, 3], True), "b": F([1, 3], True)},
     [S("y", None, "torch.cat", [R("a"), R("b")])], ["y"], backward="y")
case("cat dim 1 of three", {"a": F([2, 1], True), "b": F([2, 3], True), "c": F([2, 2], True)},
     [S("y", None, "torch.cat", [R("a"), R("b"), R("c")], 1)], ["y"], backward="y")
case("cat negative dim", {"a": F([2, 2, 2], True), "b": F([2, 2, 1], True)},
     [S("y", None, "torch.cat", [R("a"), R("b")], -1)], ["y"], backward="y")
case("cat promotes int32 and float32", {"a": F([2, 2], True), "b": I([[1, 2]])},
     [S("y", None, "torch.cat", [R("a"), R("b")])], ["y"], backward="y")
case("cat promotes bool and int32", {"a": B([True, False]), "b": I([3, 4, 5])},
     [S("y", None, "torch.cat", [R("a"), R("b")])], ["y"])
case("cat skips 1-D empty tensors", {"a": F([2, 3], True), "e": F([0])},
     [S("y", None, "torch.cat", [R("e"), R("a"), R("e")], 1)], ["y"], backward="y")
case("cat of views", {"a": F([3, 2], True), "b": F([1, 3], True)},
     [S("at", "a", "t"), S("y", None, "torch.cat", [R("at"), R("b")])], ["y"], backward="y")
case("stack dim 0", {"a": F([2, 3], True), "b": F([2, 3], True)},
     [S("y", None, "torch.stack", [R("a"), R("b")])], ["y"], backward="y")
case("stack last dim", {"a": F([2, 3], True), "b": F([2, 3], True), "c": F([2, 3], True)},
     [S("y", None, "torch.stack", [R("a"), R("b"), R("c")], -1)], ["y"], backward="y")
case("stack promotes", {"a": F([3], True), "b": I([1, 2, 3])},
     [S("y", None, "torch.stack", [R("a"), R("b")], 1)], ["y"], backward="y")
case("split by size", {"x": F([5, 2], True)},
     [S(["p", "q", "r"], "x", "split", 2), S("pq", "p", "mul", 2), S("rq", "r", "mul", 3),
      S("y", None, "torch.cat", [R("pq"), R("q"), R("rq")])], ["p", "q", "r"], backward="y")
case("split by sizes along dim 1", {"x": F([2, 6], True)},
     [S(["p", "q"], None, "torch.split", R("x"), [1, 5], 1), S("qq", "q", "mul", -1),
      S("y", None, "torch.cat", [R("qq"), R("p")], 1)], ["p", "q"], backward="y")
case("chunk uneven", {"x": F([5], True)},
     [S(["p", "q", "r"], "x", "chunk", 3), S("y", None, "torch.cat", [R("r"), R("p")])], ["p", "q", "r"], backward="y")
case("chunk gives fewer pieces", {"x": F([3, 6])},
     [S(["p", "q", "r"], None, "torch.chunk", R("x"), 4, -1)], ["p", "q", "r"])
case("split pieces are views of the input", {"x": F([4, 3])},
     [S(["p", "q"], "x", "split", 2), S(None, "q", "fill_", 7), S(None, "x", "mul_", 2)], ["x", "p", "q"])

# ---------------------------------------------------------------------------- edges

idx("index 0-dim input with None", [None], x=F([], True, values=2.5))
idx("index 0-dim input with ellipsis", ["..."], x=F([], True, values=2.5))
idx("index 0-dim input with true", [True], x=F([], True, values=2.5))
idx("index a dim of size 0", [":", 1], x=F([0, 3], False), grad=False)
idx("index negative values in an int32 tensor", [":", R("i")], extra={"i": I([-1, -4, 0])})
idx("index 0-dim negative int32 tensor", [R("i")], extra={"i": I(-1)})
case("index with a transposed int32 index", {"x": F([3, 4, 5], True), "i": I([[0, 1], [2, 0], [1, 1]])},
     [S("it", "i", "t"), S("y", "x", "index", R("it"))], ["y"], backward="y")
case("index with a strided bool mask view", {"x": F([3, 4], True), "m": B(shape=[6, 4])},
     [S("mv", "m", "index", "::2"), S("y", "x", "index", R("mv"))], ["y"], backward="y")
put("indexPut_ mask accumulate", [R("m")], R("v"), {"accumulate": True},
    extra={"m": B([True, False, True]), "v": F([4, 5], True)})
case("indexPut_ on a transposed view writes the base", {"x": F([3, 4])},
     [S("v", "x", "t"), S(None, "v", "indexPut_", [[0, 3], 1], -1)], ["x", "v"])
case("scatter into a transposed view", {"x": F([3, 4], True), "i": I([[2, 0, 1]]), "s": F([1, 3], True)},
     [S("xt", "x", "t"), S("y", "xt", "scatter", 0, R("i"), R("s"))], ["y"], backward="y")
case("gather of a 0-dim tensor", {"x": F([], True, values=1.5), "i": I(0)},
     [S("y", "x", "gather", 0, R("i"))], ["y"], backward="y")
case("indexSelect with an empty index", {"x": F([3, 4], True), "i": I([])},
     [S("y", "x", "indexSelect", 1, R("i"))], ["y"], backward="y")
case("cat of only empty 1-D tensors", {"a": F([0]), "b": F([0])},
     [S("y", None, "torch.cat", [R("a"), R("b")])], ["y"])
case("stack of 0-dim tensors", {"a": F([], True, values=1.0), "b": F([], True, values=-2.0)},
     [S("y", None, "torch.stack", [R("a"), R("b")])], ["y"], backward="y")
case("split int32 data", {"x": I([[1, 2, 3], [4, 5, 6]])},
     [S(["p", "q"], "x", "split", [2, 1], 1)], ["p", "q"])
case("chunk a transposed view along dim 1", {"x": F([4, 2], True)},
     [S("xt", "x", "t"), S(["p", "q"], "xt", "chunk", 2, 1), S("qq", "q", "mul", 3),
      S("y", None, "torch.cat", [R("p"), R("qq")], 1)], ["p", "q"], backward="y")
case("chunk of a dim of size 0", {"x": F([0, 2])},
     [S(["p", "q"], "x", "chunk", 2)], ["p", "q"])

# view needs a layout it can describe with strides; reshape copies when view cannot
case("view of a contiguous tensor is a view", {"x": F([3, 4], True)},
     [S("y", "x", "view", 2, -1), S("z", "y", "mul", 2)], ["y", "z"], backward="z")
case("view of a transposed view that keeps its layout", {"x": F([3, 4], True)},
     [S("xt", "x", "t"), S("y", "xt", "view", 2, 2, 3)], ["y"], backward="y")
case("reshape of a transposed view copies", {"x": F([3, 4], True)},
     [S("xt", "x", "t"), S("y", "xt", "reshape", 12), S("z", "y", "mul", 3)], ["y", "z"], backward="z")

# ---------------------------------------------------------------------------- bad input

def bad(name, inputs, steps, match=None):
    case(name, inputs, steps, [], error=True, match=match)


X = {"x": F([3, 4, 5])}
bad("error: int index out of range", X, [S("y", "x", "index", 5)])
bad("error: int index out of range in dim 1", X, [S("y", "x", "index", ":", 7)])
bad("error: negative int index out of range", X, [S("y", "x", "index", -4)])
bad("error: int after None counts keys", X, [S("y", "x", "index", None, 3)])
bad("error: array index out of range", X, [S("y", "x", "index", [0, 5])])
bad("error: second index tensor out of range", X, [S("y", "x", "index", ":", [1], [7])])
bad("error: float index tensor", {"x": F([3, 4, 5]), "f": F([2], values=[1.0, 0.0])}, [S("y", "x", "index", R("f"))])
bad("error: bool mask of the wrong shape", {"x": F([3, 4, 5]), "m": B([True, False])}, [S("y", "x", "index", R("m"))])
bad("error: 2-D bool mask of the wrong shape", {"x": F([3, 4, 5]), "m": B(shape=[4, 3])}, [S("y", "x", "index", ":", R("m"))])
bad("error: too many indices", X, [S("y", "x", "index", 0, 0, 0, 0)])
bad("error: negative slice step", X, [S("y", "x", "index", "::-1")])
bad("error: index tensors that do not broadcast", X, [S("y", "x", "index", [0, 1], ":", [0, 1, 2])])
bad("error: indexPut_ value of the wrong shape", {"x": F([3, 4]), "v": F([3, 4])}, [S(None, "x", "indexPut_", [[0, 1]], R("v"))])
bad("error: indexPut_ value of another dtype with an advanced key", {"x": F([3, 4]), "v": I([1, 2, 3, 4])},
    [S(None, "x", "indexPut_", [[0]], R("v"))])
bad("error: indexPut_ index out of range", {"x": F([3, 4])}, [S(None, "x", "indexPut_", [":", [4]], 1)])
bad("error: cat of mismatched shapes", {"a": F([2, 3]), "b": F([3, 2])}, [S("y", None, "torch.cat", [R("a"), R("b")], 1)])
bad("error: cat of mismatched shapes dim 0", {"a": F([2, 3]), "b": F([3, 2])}, [S("y", None, "torch.cat", [R("a"), R("b")])])
bad("error: cat of different ranks", {"a": F([2, 3]), "b": F([3])}, [S("y", None, "torch.cat", [R("a"), R("b")])])
bad("error: cat of a 0-dim tensor", {"a": F([], values=1.0), "b": F([], values=2.0)}, [S("y", None, "torch.cat", [R("a"), R("b")])])
bad("error: stack of unequal shapes", {"a": F([2, 3]), "b": F([2, 4])}, [S("y", None, "torch.stack", [R("a"), R("b")])])
bad("error: gather index out of range", {"x": F([3]), "i": I([1, 5])}, [S("y", "x", "gather", 0, R("i"))])
bad("error: gather negative index", {"x": F([3]), "i": I([-1])}, [S("y", "x", "gather", 0, R("i"))])
bad("error: gather float index", {"x": F([3]), "f": F([1], values=[1.0])}, [S("y", "x", "gather", 0, R("f"))])
bad("error: gather index of another rank", {"x": F([2, 3]), "i": I([0, 1])}, [S("y", "x", "gather", 1, R("i"))])
bad("error: gather index larger than input", {"x": F([2, 3]), "i": I([[0], [0], [0]])}, [S("y", "x", "gather", 1, R("i"))])
bad("error: scatter src of another dtype", {"x": F([2, 3]), "i": I([[0], [1]]), "s": I([[1], [2]])},
    [S("y", "x", "scatter", 1, R("i"), R("s"))])
bad("error: scatter index larger than src", {"x": F([2, 3]), "i": I([[0], [1]]), "s": F([1, 1])},
    [S("y", "x", "scatter", 1, R("i"), R("s"))])
bad("error: scatterAdd index out of range", {"x": F([3]), "i": I([3]), "s": F([1])}, [S("y", "x", "scatterAdd", 0, R("i"), R("s"))])
bad("error: indexSelect index out of range", {"x": F([3]), "i": I([0, 3])}, [S("y", "x", "indexSelect", 0, R("i"))])
bad("error: indexSelect 2-D index", {"x": F([3]), "i": I([[0]])}, [S("y", "x", "indexSelect", 0, R("i"))])
bad("error: split sizes that do not add up", {"x": F([3])}, [S(["p", "q"], "x", "split", [1, 1])])
bad("error: chunk of zero chunks", {"x": F([3])}, [S("p", "x", "chunk", 0)])
bad("error: view of a transposed view", {"x": F([3, 4])}, [S("xt", "x", "t"), S("y", "xt", "view", 12)])
bad("error: view to a shape of another size", {"x": F([3, 4])}, [S("y", "x", "view", 5, -1)])


def main():
    text = json.dumps({"cases": CASES}, separators=(",", ":"))
    with open(OUT, "w") as f:
        f.write(text + "\n")
    print(f"{OUT}: {len(CASES)} cases")


if __name__ == "__main__":
    main()
