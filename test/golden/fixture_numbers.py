"""Shared by the fixture generators: how float32 values are written into the JSON."""
import math
import struct


def f32_short(v):
    """Shortest decimal (as a Python float) that rounds to the same float32 as v."""
    v = float(v)
    if math.isnan(v) or math.isinf(v):
        raise ValueError(f"non-finite value {v} in a fixture")
    target = struct.unpack("f", struct.pack("f", v))[0]
    for p in range(1, 10):
        s = float(f"{target:.{p}g}")
        if struct.unpack("f", struct.pack("f", s))[0] == target:
            return s
    return target


def vals(t):
    """A tensor's values, flattened, as short float32 decimals."""
    return [f32_short(x) for x in t.detach().reshape(-1).tolist()]


def f32_json(v):
    """A float32 value for a fixture: its shortest decimal, or "nan", "inf", "-inf"."""
    v = float(v)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return f32_short(v)
