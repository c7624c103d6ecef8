"""Checkpoint fixtures, both ways, with PyTorch 2.13.

Run from the repository root, after `npm run build`:
    /path/to/python test/golden/gen_checkpoints.py

1. PyTorch writes .pt and .safetensors files into test/fixtures/checkpoints/: TestNet's
   state dict, Adam (amsgrad) and SGD-momentum runs saved after K steps with a StepLR
   (plus PyTorch's continuation for K more steps), tensors of every dtype, nested
   containers, views and shared storages, and hostile files that must be refused.
2. It runs test/golden/write_torchlet_checkpoint.mjs (torchlet writes torchlet_written.pt
   and .safetensors), loads them with torch.load(weights_only=True) and safetensors,
   checks every value against what torchlet says it wrote, loads the state dicts into a
   PyTorch TestNet, Adam and StepLR (strictly), continues K steps and records PyTorch's
   trajectory for the JS test to match.
3. The digits CNN (examples/browser/model.js's network) on the first images of
   data/digits.csv.gz: PyTorch's Adam and SGD-momentum runs with a StepLR saved after K
   steps (digits_cnn_<run>.pt) and continued K more (losses, parameters and BatchNorm's
   buffers); torchlet's Adam run (torchlet_written_cnn.pt) loaded strictly, checked and
   continued likewise.
4. checkpoints.json holds every file as base64 (browsers read no files) and the values the
   JS tests compare with; digits_cnn.json the same for the CNN.
"""
import base64
import collections
import gzip
import json
import os
import pickle
import re
import struct
import subprocess
import sys
import zipfile

import torch
from safetensors import safe_open
from safetensors.torch import save as st_save

sys.path.insert(0, os.path.dirname(__file__))
from fixture_numbers import f32_short, vals  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "test", "fixtures", "checkpoints")
K = 3

files = {}
expected = {}


def write(name, data, into=files):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)
    into[name] = base64.b64encode(data).decode("ascii")


def save(name, obj, into=files):
    import io
    buf = io.BytesIO()
    torch.save(obj, buf)
    write(name, buf.getvalue(), into)


def jsonable(values):
    """JSON has no infinities: they travel as the strings "Infinity" / "-Infinity"."""
    return [v if v == v and abs(v) != float("inf") else ("Infinity" if v > 0 else "-Infinity") for v in values]


def held(v):
    """A tensor as torchlet holds it: float32 (wider and narrower floats rounded), int32, bool."""
    dtype = "bool" if v.dtype == torch.bool else "float32" if v.is_floating_point() else "int32"
    values = v.float().reshape(-1).tolist() if v.is_floating_point() else v.reshape(-1).tolist()
    return {"dtype": dtype, "shape": list(v.shape), "values": jsonable(values)}


def trec(t):
    return {"dtype": str(t.dtype).replace("torch.", ""), "shape": list(t.shape), "values": t.detach().reshape(-1).tolist()}


class TestNet(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = torch.nn.Sequential(torch.nn.Linear(13, 10), torch.nn.ReLU())
        self.regression = torch.nn.Linear(10, 1)

    def forward(self, x):
        return self.regression(self.hidden(x))


# torchlet writes first: its files, and the data of the optimizer runs
# (the exact kernel build: the CNN's convolutions come out the same in every runtime and build)
subprocess.run(["node", os.path.join(ROOT, "test", "golden", "write_torchlet_checkpoint.mjs")], check=True,
               env={**os.environ, "TORCHLET_WASM": "exact"})
with open(os.path.join(OUT, "torchlet_written.json")) as f:
    said = json.load(f)


# ---------------------------------------------------------------- PyTorch writes

def model_and_data(seed):
    torch.manual_seed(seed)
    model = TestNet()
    x = torch.randn(32, 13)
    y = torch.randn(32, 1)
    return model, x, y


def run(make_opt, name):
    """K steps saved (model, optimizer, scheduler), then K more steps recorded."""
    model, x, y = model_and_data(3)
    opt = make_opt(model.parameters())
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
    loss_fn = torch.nn.MSELoss()

    def step():
        opt.zero_grad()
        loss_fn(model(x), y).backward()
        opt.step()
        sched.step()

    for _ in range(K):
        step()
    save(f"{name}.pt", {"model": model.state_dict(), "optimizer": opt.state_dict(), "scheduler": sched.state_dict(), "epoch": K})
    sd = opt.state_dict()
    rec = {
        "x": vals(x), "y": vals(y),
        "state": {str(i): {k: (trec(v) if torch.is_tensor(v) else v) for k, v in st.items()} for i, st in sd["state"].items()},
        "paramGroups": [{k: (list(v) if isinstance(v, tuple) else v) for k, v in g.items()} for g in sd["param_groups"]],
        "scheduler": sched.state_dict(),
        "continued": [],
    }
    for _ in range(K):
        step()
        rec["continued"].append({k: vals(v) for k, v in model.state_dict().items()})
    expected[name] = rec


run(lambda p: torch.optim.Adam(p, lr=0.01, amsgrad=True), "adam")
run(lambda p: torch.optim.SGD(p, lr=0.01, momentum=0.9, nesterov=True), "sgd_momentum")

model, _, _ = model_and_data(0)
save("model.pt", model.state_dict())
expected["model"] = {k: trec(v) for k, v in model.state_dict().items()}

dtypes = {
    "float32": torch.tensor([1.5, -2.25, 3e-8], dtype=torch.float32),
    "float64": torch.tensor([1 / 3, -1e300, 2.0], dtype=torch.float64),
    "float16": torch.tensor([0.1, -65504.0, 6e-8, float("inf")], dtype=torch.float16),
    "bfloat16": torch.tensor([0.1, -3.0e38, 1.0], dtype=torch.bfloat16),
    "int64": torch.tensor([[0, -1], [2147483647, -2147483648]], dtype=torch.int64),
    "int32": torch.tensor([7, -7], dtype=torch.int32),
    "int16": torch.tensor([-32768, 32767], dtype=torch.int16),
    "int8": torch.tensor([-128, 127], dtype=torch.int8),
    "uint8": torch.tensor([0, 255], dtype=torch.uint8),
    "bool": torch.tensor([True, False, True]),
    "scalar": torch.tensor(4.5),
    "empty": torch.zeros(0, 3),
}
save("dtypes.pt", dtypes)
# what torchlet holds: float32 (rounded from the wider or narrower floats), int32, bool
expected["dtypes"] = {k: held(v) for k, v in dtypes.items()}
save("int64_too_big.pt", {"ids": torch.tensor([1, 2 ** 40], dtype=torch.int64)})

containers = collections.OrderedDict(
    ordered=collections.OrderedDict([("b", 1), ("a", 2)]),
    plain={"k": [1, 2.5, "s", True, False, None]},
    tuple=(1, (2, 3), ()),
    ints=[0, 255, 256, 65535, 65536, -1, -2 ** 31, 2 ** 31, 2 ** 40, -2 ** 40],
    floats=[0.0, -0.5, 1e300, 0.1],
    text="héllo ☃",
    by_int={0: "zero", 3: "three"},
    tensor_in_list=[torch.tensor([1.0, 2.0])],
    empty_list=[],
    empty_dict={},
)
save("containers.pt", containers)
expected["containers"] = {
    "ordered": {"b": 1, "a": 2}, "plain": {"k": [1, 2.5, "s", True, False, None]}, "tuple": [1, [2, 3], []],
    "ints": containers["ints"], "floats": containers["floats"], "text": containers["text"],
    "byInt": [[0, "zero"], [3, "three"]], "tensorInList": [1.0, 2.0],
}

base = torch.arange(24, dtype=torch.float32).reshape(4, 6)
views = {"slice": base[1:3, ::2], "transposed": base.t(), "row": base[2], "base": base}
save("views.pt", views)
expected["views"] = {k: trec(v.contiguous()) for k, v in views.items()}
# the pickle really holds views: offsets and strides over one storage
with zipfile.ZipFile(os.path.join(OUT, "views.pt")) as z:
    assert [n for n in z.namelist() if "/data/" in n] == ["archive/data/0"], z.namelist()

st_tensors = {
    "f32": torch.tensor([[1.0, -2.0]]), "f64": torch.tensor([0.1], dtype=torch.float64),
    "f16": torch.tensor([0.5, -1.5], dtype=torch.float16), "bf16": torch.tensor([3.0], dtype=torch.bfloat16),
    "i64": torch.tensor([-5, 9], dtype=torch.int64), "i32": torch.tensor([4], dtype=torch.int32),
    "i8": torch.tensor([-1], dtype=torch.int8), "u8": torch.tensor([200], dtype=torch.uint8),
    "flag": torch.tensor([False, True]),
}
write("tensors.safetensors", st_save(st_tensors, metadata={"source": "gen_checkpoints.py"}))
expected["safetensors"] = {k: held(v) for k, v in st_tensors.items()}


# ---------------------------------------------------------------- hostile files

class RunsCommand:
    def __reduce__(self):
        return (os.system, ("echo pwned",))


class Evaluates:
    def __reduce__(self):
        return (eval, ("1 + 1",))


class Unknown:
    def __init__(self):
        self.x = 1


class LiesAboutItsStorage:
    """A tensor whose pickle claims shape (5, 5) over a storage of 4 floats."""
    def __reduce__(self):
        storage = torch.zeros(4).untyped_storage()
        typed = torch.storage.TypedStorage(wrap_storage=storage, dtype=torch.float32, _internal=True)
        return (torch._utils._rebuild_tensor_v2, (typed, 0, (5, 5), (5, 1), False, collections.OrderedDict()))


save("hostile_os_system.pt", {"x": RunsCommand()})
save("hostile_eval.pt", {"x": Evaluates()})
save("hostile_unknown_class.pt", {"x": Unknown()})
save("hostile_view_out_of_storage.pt", {"x": LiesAboutItsStorage()})
deep = []
for _ in range(150):
    deep = [deep]
save("hostile_deep.pt", deep)


def archive(name, entries, compression=zipfile.ZIP_STORED):
    """A zip written by Python's zipfile (no data descriptors, no alignment)."""
    import io
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as z:
        for n, d in entries:
            # a fixed timestamp: the same bytes on every run
            info = zipfile.ZipInfo(n, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = compression
            z.writestr(info, d)
    write(name, buf.getvalue())


# BINGET 200 with nothing memoized
archive("hostile_memo.pt", [("archive/data.pkl", b"\x80\x02]q\x00h\xc8a."), ("archive/byteorder", b"little")])
# a storage id claiming 2.5e9 floats (10 GB) over a record of 16 bytes
pkl = (b"\x80\x02ctorch._utils\n_rebuild_tensor_v2\n(X\x07\x00\x00\x00storagectorch\nFloatStorage\nX\x01\x00\x00\x000X\x03\x00\x00\x00cpu"
       + b"\x8a\x05" + (2_500_000_000).to_bytes(5, "little") + b"tQK\x00\x8a\x05" + (2_500_000_000).to_bytes(5, "little")
       + b"\x85K\x01\x85\x89ccollections\nOrderedDict\n)RtR.")
archive("hostile_storage_claim.pt", [("archive/data.pkl", pkl), ("archive/byteorder", b"little"), ("archive/data/0", b"\0" * 16)])
archive("compressed.pt", [("archive/data.pkl", pickle.dumps([1, 2], protocol=2)), ("archive/byteorder", b"little")], zipfile.ZIP_DEFLATED)

# a zip64 central directory entry that claims a 10 GB record
good = base64.b64decode(files["model.pt"])
cd = good.rfind(b"PK\x01\x02", 0, good.rfind(b"PK\x05\x06"))  # the last entry's central header
n_len, x_len = struct.unpack_from("<HH", good, cd + 28)
zip64 = struct.pack("<HHQQ", 1, 16, 10 * 2 ** 30, 10 * 2 ** 30)
patched = bytearray(good[:cd])
entry = bytearray(good[cd:cd + 46 + n_len + x_len])
struct.pack_into("<II", entry, 20, 0xFFFFFFFF, 0xFFFFFFFF)
struct.pack_into("<H", entry, 30, x_len + len(zip64))
entry += zip64
patched += entry + good[cd + 46 + n_len + x_len:]
end = patched.rfind(b"PK\x05\x06")
size = struct.unpack_from("<I", patched, end + 12)[0]
struct.pack_into("<I", patched, end + 12, size + len(zip64))
write("hostile_10gb_claim.pt", bytes(patched))


# ---------------------------------------------------------------- torchlet writes, PyTorch reads

for name in ["torchlet_written.pt", "torchlet_written.safetensors"]:
    with open(os.path.join(OUT, name), "rb") as f:
        files[name] = base64.b64encode(f.read()).decode("ascii")

ck = torch.load(os.path.join(OUT, "torchlet_written.pt"), weights_only=True)


def same(t, rec, what):
    assert list(t.shape) == rec["shape"], (what, t.shape, rec["shape"])
    assert t.reshape(-1).tolist() == [float(v) for v in rec["values"]] or t.reshape(-1).tolist() == rec["values"], what


for k, rec in said["model"].items():
    assert ck["model"][k].dtype == torch.float32
    same(ck["model"][k], rec, k)
assert list(ck["model"].keys()) == list(said["model"].keys())
e = ck["extras"]
assert e["indices"].dtype == torch.int64 and e["indices"].tolist() == [0, 5, -3, 2147483647]
assert e["mask"].dtype == torch.bool and e["mask"].tolist() == [True, False, True]
assert e["scalar"].shape == () and e["scalar"].item() == 2.5
assert e["nested"] == [1, -2, 2 ** 40, 0.1, "text", True, False, None, [[]], {0: "zero", 7: "seven"}], e["nested"]
assert e["bytes"] == b"\x00\x01\xfe\xff"
assert ck["epoch"] == said["steps"]

osd = ck["optimizer"]
assert sorted(osd.keys()) == ["param_groups", "state"]
for i, st in said["optimizer"]["state"].items():
    pst = osd["state"][int(i)]
    assert pst["step"].shape == () and pst["step"].dtype == torch.float32 and pst["step"].item() == st["step"]
    for cam, snake in [("expAvg", "exp_avg"), ("expAvgSq", "exp_avg_sq"), ("maxExpAvgSq", "max_exp_avg_sq")]:
        assert pst[snake].reshape(-1).tolist() == st[cam], (i, snake)

model = TestNet()
model.load_state_dict(ck["model"], strict=True)
opt = torch.optim.Adam(model.parameters(), lr=0.01, amsgrad=True)
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
opt.load_state_dict(osd)
sched.load_state_dict(ck["scheduler"])
assert opt.state_dict()["param_groups"][0]["lr"] == said["optimizer"]["paramGroups"][0]["lr"]
for p, sp in zip(model.parameters(), [ck["model"][k] for k in ck["model"]]):
    assert opt.state[p]["exp_avg"].shape == p.shape
x = torch.tensor(said["x"]["values"], dtype=torch.float32).reshape(said["x"]["shape"])
y = torch.tensor(said["y"]["values"], dtype=torch.float32).reshape(said["y"]["shape"])
loss_fn = torch.nn.MSELoss()
continued = []
for _ in range(said["steps"]):
    opt.zero_grad()
    loss_fn(model(x), y).backward()
    opt.step()
    sched.step()
    continued.append({k: vals(v) for k, v in model.state_dict().items()})
expected["fromTorchlet"] = {"continued": continued, "lastLr": sched.get_last_lr()}

with safe_open(os.path.join(OUT, "torchlet_written.safetensors"), "pt") as f:
    assert f.metadata() == {"format": "pt", "writer": "torchlet"}
    for k in said["model"]:
        same(f.get_tensor(k), said["model"][k], k)
    assert f.get_tensor("indices").dtype == torch.int64 and f.get_tensor("indices").tolist() == [0, 5, -3, 2147483647]
    assert f.get_tensor("mask").tolist() == [True, False, True]



# ---------------------------------------------------------------- every optimizer, both ways

def snake(k):
    return re.sub(r"[A-Z]", lambda m: "_" + m.group().lower(), k)


ORUN = said["optimizers"]
ox = torch.tensor(ORUN["x"]["values"], dtype=torch.float32).reshape(ORUN["x"]["shape"])
oy = torch.tensor(ORUN["y"]["values"], dtype=torch.float32).reshape(ORUN["y"]["shape"])


def optimizer_run(name, model):
    params = [model.weight] if name == "Muon" else model.parameters()  # Muon takes matrices
    opt = getattr(torch.optim, name)(params, **{snake(k): v for k, v in ORUN["options"][name].items()})
    loss_fn = torch.nn.MSELoss()

    def closure():
        opt.zero_grad()
        loss = loss_fn(model(ox), oy)
        loss.backward()
        return loss

    def step():
        if name == "LBFGS":
            opt.step(closure)
        else:
            closure()
            opt.step()
    return opt, step


def shape_of(v):
    """A state dict's structure: names, kinds, tensor shapes and dtypes (values aside)."""
    if torch.is_tensor(v):
        return ("tensor", tuple(v.shape), str(v.dtype))
    if isinstance(v, dict):
        return {k: shape_of(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [shape_of(x) for x in v]
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return "number"
    return repr(v)


expected["optimizers"] = {}
for name in ORUN["options"]:
    # PyTorch's run, saved after the first steps, then continued
    torch.manual_seed(5)
    model = torch.nn.Linear(3, 2)
    opt, step = optimizer_run(name, model)
    for _ in range(ORUN["steps"]):
        step()
    native = opt.state_dict()
    save(f"optim_{name}.pt", {"model": model.state_dict(), "optimizer": native})
    continued = []
    for _ in range(ORUN["steps"]):
        step()
        continued.append({k: vals(v) for k, v in model.state_dict().items()})
    # torchlet's run, read here: the same structure as PyTorch's own, then continued
    path = os.path.join(OUT, f"torchlet_optim_{name}.pt")
    with open(path, "rb") as f:
        files[f"torchlet_optim_{name}.pt"] = base64.b64encode(f.read()).decode("ascii")
    ck = torch.load(path, weights_only=True)
    assert shape_of(ck["optimizer"]) == shape_of(native), (name, shape_of(ck["optimizer"]), shape_of(native))
    theirs = torch.nn.Linear(3, 2)
    theirs.load_state_dict(ck["model"], strict=True)
    opt2, step2 = optimizer_run(name, theirs)
    opt2.load_state_dict(ck["optimizer"])
    from_torchlet = []
    for _ in range(ORUN["steps"]):
        step2()
        from_torchlet.append({k: vals(v) for k, v in theirs.state_dict().items()})
    expected["optimizers"][name] = {"continued": continued, "fromTorchlet": from_torchlet}



# ---------------------------------------------------------------- every scheduler, both ways

SRUN = said["schedulers"]
LAMBDAS = {"pow09": lambda e: 0.9 ** e, "const095": lambda e: 0.95}
OPTION_NAMES = {"TMax": "T_max", "T0": "T_0", "TMult": "T_mult"}
L = torch.optim.lr_scheduler


def py_options(options):
    out = {}
    for k, v in options.items():
        out[OPTION_NAMES.get(k, snake(k))] = LAMBDAS[v] if k == "lrLambda" else v
    return out


def scheduler_run(name):
    spec = SRUN["specs"][name]
    torch.manual_seed(5)
    model = torch.nn.Linear(3, 2)
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    children = [getattr(L, t)(opt, **py_options(o)) for t, o in spec.get("children", [])]
    options = py_options(spec.get("options", {}))
    if name == "SWALR":
        sched = torch.optim.swa_utils.SWALR(opt, **options)
    elif name == "ChainedScheduler":
        sched = L.ChainedScheduler(children)
    elif name == "SequentialLR":
        sched = L.SequentialLR(opt, children, **options)
    else:
        sched = getattr(L, name)(opt, **options)

    def step(i):
        opt.step()  # no grads: nothing moves; keeps PyTorch's order (optimizer, then scheduler)
        if "metrics" in spec:
            sched.step(spec["metrics"][i - 1])
        else:
            sched.step()

    def read():
        g = opt.param_groups[0]
        return [g["lr"], g["momentum"]]
    return opt, sched, step, read


def same_state(a, b):
    """Equal values of equal types (float within 1e-12: the same run in two implementations)."""
    if type(a) is not type(b) and not (isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool)):
        return False
    if isinstance(a, dict):
        return sorted(map(str, a)) == sorted(map(str, b)) and all(same_state(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same_state(x, y) for x, y in zip(a, b))
    if isinstance(a, float) or isinstance(b, float):
        return a == b or abs(a - b) <= 1e-12 * max(1.0, abs(b))
    return a == b


def nested_keys(sd):
    return {k: ([nested_keys(c) for c in v] if k == "_schedulers" else None) for k, v in sd.items()}


n = SRUN["steps"]
saved, from_torchlet_ck = {}, torch.load(os.path.join(OUT, "torchlet_schedulers.pt"), weights_only=True)
with open(os.path.join(OUT, "torchlet_schedulers.pt"), "rb") as f:
    files["torchlet_schedulers.pt"] = base64.b64encode(f.read()).decode("ascii")
expected["schedulers"] = {}
for name in SRUN["specs"]:
    opt, sched, step, read = scheduler_run(name)
    for i in range(1, n + 1):
        step(i)
    saved[name] = {"optimizer": opt.state_dict(), "scheduler": sched.state_dict()}
    continued = []
    for i in range(n + 1, 2 * n + 1):
        step(i)
        continued.append(read())
    # torchlet's scheduler state: PyTorch's own keys, loaded, continued
    theirs = from_torchlet_ck[name]["scheduler"]
    assert nested_keys(theirs) == nested_keys(saved[name]["scheduler"]), (name, sorted(theirs), sorted(saved[name]["scheduler"]))
    assert same_state(theirs, saved[name]["scheduler"]), (name, theirs, saved[name]["scheduler"])
    opt2, sched2, step2, read2 = scheduler_run(name)
    opt2.load_state_dict(from_torchlet_ck[name]["optimizer"])
    sched2.load_state_dict(theirs)
    from_torchlet = []
    for i in range(n + 1, 2 * n + 1):
        step2(i)
        from_torchlet.append(read2())
    expected["schedulers"][name] = {"continued": continued, "fromTorchlet": from_torchlet}
save("schedulers.pt", saved)



# ---------------------------------------------------------------- the digits CNN, both ways
# examples/browser/model.js's network (Conv2d, BatchNorm2d, ReLU, MaxPool2d, Flatten, Linear)
# on the first images of data/digits.csv.gz. The runs' settings live in
# test/golden/digits_cnn_checkpoint.mjs; torchlet_written_cnn.json brings them here, with the
# batch the Node writer read and torchlet's own Adam run as fingerprints of its values.

with open(os.path.join(OUT, "torchlet_written_cnn.json")) as f:
    cnn_said = json.load(f)
CNN_K = cnn_said["steps"]
cnn_files = {}


class DigitsCNN(torch.nn.Module):
    def __init__(self):
        super().__init__()
        nn = torch.nn
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),  # [N, 16, 4, 4]
            nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),  # [N, 32, 2, 2]
        )
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(32 * 2 * 2, 10))

    def forward(self, x):
        return self.classifier(self.features(x))


with gzip.open(os.path.join(ROOT, "data", "digits.csv.gz"), "rt") as f:
    rows = [[int(v) for v in line.split(",")] for line in f.read().strip().split("\n")[:len(cnn_said["batch"]["y"])]]
assert all(len(r) == 65 for r in rows), "digits.csv.gz: 64 pixels and a digit per row"
digits_x = torch.tensor([[v / 16 for v in r[:64]] for r in rows], dtype=torch.float32).reshape(-1, 1, 8, 8)
digits_y = torch.tensor([r[64] for r in rows], dtype=torch.int64)
assert digits_x.reshape(-1).tolist() == cnn_said["batch"]["x"] and digits_y.tolist() == cnn_said["batch"]["y"], "the writer's batch"


def cnn_run(name, model):
    spec = cnn_said["runs"][name]
    opt = getattr(torch.optim, spec["optimizer"])(model.parameters(), **{snake(k): v for k, v in spec["options"].items()})
    sched = torch.optim.lr_scheduler.StepLR(opt, **{snake(k): v for k, v in cnn_said["stepLr"].items()})
    loss_fn = torch.nn.CrossEntropyLoss()

    def step():
        opt.zero_grad()
        loss = loss_fn(model(digits_x), digits_y)
        loss.backward()
        opt.step()
        sched.step()
        return loss.item()
    return opt, sched, step


def cnn_continued(model, sched, step):
    """K more steps in train mode: each step's loss, then every parameter and buffer, and the lr."""
    losses = [f32_short(step()) for _ in range(CNN_K)]
    return {"losses": losses, "final": {k: vals(v) for k, v in model.state_dict().items()}, "lastLr": sched.get_last_lr()}


cnn_expected = {"batch": {"x": vals(digits_x), "y": digits_y.tolist()}, "runs": {}}
cnn_native = {}
for name in cnn_said["runs"]:
    torch.manual_seed(13)
    model = DigitsCNN()
    opt, sched, step = cnn_run(name, model)
    for _ in range(CNN_K):
        step()
    sd = opt.state_dict()
    cnn_native[name] = shape_of(sd)
    save(f"digits_cnn_{name}.pt", {"model": model.state_dict(), "optimizer": sd, "scheduler": sched.state_dict(), "epoch": CNN_K}, cnn_files)
    cnn_expected["runs"][name] = {"savedLr": opt.param_groups[0]["lr"], **cnn_continued(model, sched, step)}


def same_fingerprint(t, fp, what):
    """torchlet's float64 sum and position-weighted sum of the values, against PyTorch's reading."""
    v = t.double().reshape(-1)
    w = torch.arange(1, v.numel() + 1, dtype=torch.float64)
    for got, want, scale in [(v.sum(), fp["sum"], v.abs().sum()), ((v * w).sum(), fp["weighted"], (v.abs() * w).sum())]:
        assert abs(got.item() - want) <= 1e-12 * scale.item(), (what, got.item(), want)


path = os.path.join(OUT, "torchlet_written_cnn.pt")
with open(path, "rb") as f:
    cnn_files["torchlet_written_cnn.pt"] = base64.b64encode(f.read()).decode("ascii")
ck = torch.load(path, weights_only=True)
assert list(ck["model"].keys()) == list(cnn_said["model"].keys()), list(ck["model"].keys())
for k, fp in cnn_said["model"].items():
    t = ck["model"][k]
    assert list(t.shape) == fp["shape"] and t.dtype == (torch.int64 if fp["dtype"] == "int32" else torch.float32), (k, t.shape, t.dtype)
    same_fingerprint(t, fp, k)
assert shape_of(ck["optimizer"]) == cnn_native["adam"], (shape_of(ck["optimizer"]), cnn_native["adam"])
for i, st in cnn_said["optimizer"]["state"].items():
    pst = ck["optimizer"]["state"][int(i)]
    assert pst["step"].item() == st["step"], (i, pst["step"])
    same_fingerprint(pst["exp_avg"], st["expAvg"], f"state {i} exp_avg")
    same_fingerprint(pst["exp_avg_sq"], st["expAvgSq"], f"state {i} exp_avg_sq")
assert ck["epoch"] == CNN_K
model = DigitsCNN()
model.load_state_dict(ck["model"], strict=True)
opt, sched, step = cnn_run("adam", model)
opt.load_state_dict(ck["optimizer"])
sched.load_state_dict(ck["scheduler"])
assert sched.last_epoch == CNN_K and opt.param_groups[0]["lr"] == cnn_said["optimizer"]["paramGroups"][0]["lr"]
cnn_expected["fromTorchlet"] = cnn_continued(model, sched, step)

with open(os.path.join(OUT, "digits_cnn.json"), "w") as f:
    json.dump({"torch": torch.__version__, "K": CNN_K, "files": cnn_files, "expected": cnn_expected}, f, allow_nan=False)
    f.write("\n")

with open(os.path.join(OUT, "checkpoints.json"), "w") as f:
    json.dump({"torch": torch.__version__, "K": K, "files": files, "expected": expected}, f, allow_nan=False)
    f.write("\n")
print(f"wrote {len(files) + len(cnn_files)} files, checkpoints.json and digits_cnn.json; torchlet_written.pt and "
      f"torchlet_written_cnn.pt read by PyTorch {torch.__version__} and continued")
