"""Values that leave the student's kernel for the grader's checker: plain data only.

`export(namespace, names)` runs INSIDE the student's kernel (in place of a test cell) and displays one
output of type `MIME` holding the named values, encoded as tagged JSON; frames, series and indexes
travel as Parquet (pyarrow). `decode(payload)` runs in the checker and rebuilds them with nothing but
constructors of plain types: no pickle, no student class, no code. A value of any other kind
(a function, a figure, a widget, an object of the student's own class) is not exported: the name is
simply absent in the checker, so the test cell fails there as it would on a missing answer.

A module travels as its name only; the checker imports it itself, and only from `ALLOWED_MODULES`.
Size and nesting are limited on both sides (the kernel is not trusted to respect them).
"""

from __future__ import annotations

import base64
import datetime as _dt
import importlib
import io
import keyword
import types
from typing import Any

MIME = "application/vnd.course.values+json"
MAX_PAYLOAD_BYTES = 32 * 1024**2  # one test cell's values, encoded
MAX_DEPTH = 16  # nesting of lists and dicts
MAX_ITEMS = 200_000  # elements of all lists, dicts and arrays of one value
MAX_INT_DIGITS = 4300  # Python's own limit for int <-> str

# Pure standard-library modules a test cell may use too (itertools in notebook 6); the checker imports
# its own copy, so a student's patched module never reaches it.
TOP_MODULES = ("pandas", "numpy", "math", "itertools", "functools", "collections", "statistics", "operator",
               "re", "datetime")


def module_allowed(name: str) -> bool:
    """Modules the checker imports itself when a test cell reads one (by name, never a student's copy)."""
    if not isinstance(name, str) or not all(part.isidentifier() for part in name.split(".")):
        return False
    if name in TOP_MODULES or name.startswith(tuple(m + "." for m in TOP_MODULES)):
        return True
    if name == "course" or name.startswith("course."):
        return not (name == "course.grading" or name.startswith("course.grading."))
    return False


class Unexportable(Exception):
    """The value is not plain data (or too big); the reason is shown to the instructor, never the value."""


# --------------------------------------------------------------------------------------------
# Kernel side


def _frame_bytes(frame) -> str:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pa.Table.from_pandas(frame, preserve_index=None)
    except Exception as error:  # noqa: BLE001 - e.g. a column of objects Arrow cannot type
        raise Unexportable(f"not convertible to Arrow ({type(error).__name__})") from None
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


class _Budget:
    def __init__(self) -> None:
        self.items = 0

    def take(self, n: int) -> None:
        self.items += n
        if self.items > MAX_ITEMS:
            raise Unexportable(f"more than {MAX_ITEMS:,} elements")


def encode(value: Any, depth: int = 0, budget: _Budget | None = None) -> dict:
    """Tagged JSON for one value, or Unexportable."""
    import numpy as np
    import pandas as pd

    budget = budget or _Budget()
    if depth > MAX_DEPTH:
        raise Unexportable(f"nested deeper than {MAX_DEPTH}")
    if value is None:
        return {"t": "none"}
    if isinstance(value, types.ModuleType):
        return {"t": "module", "name": str(value.__name__)}
    if value is pd.NaT:
        return {"t": "nat"}
    if isinstance(value, (bool, np.bool_)):
        return {"t": "np.bool_" if isinstance(value, np.bool_) else "bool", "v": bool(value)}
    if isinstance(value, np.generic) and isinstance(value, (np.integer, np.floating)):
        return {"t": "np", "dtype": str(value.dtype), "v": repr(value.item())}
    if isinstance(value, int):
        if abs(int(value)).bit_length() > MAX_INT_DIGITS * 3:
            raise Unexportable("integer too large")
        return {"t": "int", "v": str(int(value))}
    if isinstance(value, float):
        return {"t": "float", "v": repr(float(value))}
    if isinstance(value, str):
        budget.take(len(value) // 100 + 1)
        return {"t": "str", "v": str(value)}
    if isinstance(value, pd.Timestamp):
        return {"t": "timestamp", "v": value.tz_localize(None).isoformat() if value.tz else value.isoformat(),
                "tz": str(value.tz) if value.tz else None, "unit": value.unit}
    if isinstance(value, pd.Timedelta):
        return {"t": "timedelta", "v": str(int(value.value))}
    if isinstance(value, _dt.datetime):
        return {"t": "datetime", "v": value.isoformat()}
    if isinstance(value, _dt.date):
        return {"t": "date", "v": value.isoformat()}
    if isinstance(value, (list, tuple, set, frozenset)):
        budget.take(len(value))
        kind = {list: "list", tuple: "tuple", set: "set", frozenset: "frozenset"}[
            next(k for k in (list, tuple, frozenset, set) if isinstance(value, k))]
        return {"t": kind, "v": [encode(item, depth + 1, budget) for item in list(value)]}
    if isinstance(value, dict):
        budget.take(len(value))
        return {"t": "dict", "v": [[encode(k, depth + 1, budget), encode(v, depth + 1, budget)] for k, v in list(value.items())]}
    if isinstance(value, pd.DataFrame):
        budget.take(value.size)
        # Column labels travel apart (as an index), so that labels of mixed or non-string types,
        # duplicates and MultiIndex columns come back as they were.
        plain = value.set_axis([f"c{i}" for i in range(value.shape[1])], axis=1)
        return {"t": "frame", "parquet": _frame_bytes(plain), "columns": encode(value.columns, depth + 1, budget)}
    if isinstance(value, pd.Series):
        budget.take(value.size)
        return {"t": "series", "name": encode(value.name, depth + 1, budget),
                "parquet": _frame_bytes(value.to_frame(name="values"))}
    if isinstance(value, pd.Index):
        budget.take(value.size)
        try:
            return {"t": "index", "parquet": _frame_bytes(pd.DataFrame(index=value))}
        except Unexportable:
            if isinstance(value, pd.MultiIndex):
                raise
            return {"t": "labels", "v": [encode(x, depth + 1, budget) for x in value.tolist()],
                    "name": encode(value.name, depth + 1, budget)}
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "biuf" or value.ndim > 4:
            raise Unexportable(f"numpy array of dtype {value.dtype}")
        budget.take(value.size)
        return {"t": "ndarray", "dtype": str(value.dtype), "shape": list(value.shape),
                "v": [repr(x) for x in value.ravel().tolist()]}
    raise Unexportable(f"a {type(value).__name__} is not plain data")


def export(namespace: dict, names: list[str]) -> None:
    """(kernel) Display the named values of ``namespace`` as one output of type MIME."""
    from IPython.display import display

    values, skipped = {}, {}
    size = 0
    for name in names:
        if name not in namespace:
            continue
        try:
            encoded = encode(namespace[name])
        except Unexportable as why:
            skipped[name] = str(why)
            continue
        except Exception as error:  # noqa: BLE001 - a broken value is simply not exported
            skipped[name] = f"could not be read ({type(error).__name__})"
            continue
        size += _size(encoded)
        if size > MAX_PAYLOAD_BYTES:
            skipped[name] = f"values of this test exceed {MAX_PAYLOAD_BYTES:,} bytes"
            continue
        values[name] = encoded
    display({MIME: {"values": values, "skipped": skipped}}, raw=True)


def _size(encoded: dict) -> int:
    import json

    return len(json.dumps(encoded))


# --------------------------------------------------------------------------------------------
# Checker side


class Invalid(Exception):
    """The payload is not what `export` writes."""


def _read_frame(text: Any):
    import pyarrow.parquet as pq

    if not isinstance(text, str):
        raise Invalid("parquet must be base64 text")
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
        # No thread pools: the checker runs under the sandbox's process limit, beside the kernel.
        return pq.read_table(io.BytesIO(raw), use_threads=False).to_pandas(use_threads=False)
    except Exception as error:  # noqa: BLE001
        raise Invalid(f"unreadable parquet ({type(error).__name__})") from None


def _float(text: Any) -> float:
    if not isinstance(text, str) or len(text) > 40:
        raise Invalid("bad float")
    return float(text)


def _int(text: Any) -> int:
    if not isinstance(text, str) or len(text) > MAX_INT_DIGITS:
        raise Invalid("bad int")
    return int(text)


def decode(tagged: Any, depth: int = 0) -> Any:
    import numpy as np
    import pandas as pd

    if depth > MAX_DEPTH + 1 or not isinstance(tagged, dict) or not isinstance(tagged.get("t"), str):
        raise Invalid("not a tagged value")
    kind, v = tagged["t"], tagged.get("v")
    if kind == "none":
        return None
    if kind == "module":
        name = tagged.get("name")
        if not module_allowed(name):
            raise Invalid(f"module {name!r} is not one the checker imports")
        return importlib.import_module(name)
    if kind == "nat":
        return pd.NaT
    if kind == "bool":
        return bool(v is True)
    if kind == "np.bool_":
        return np.bool_(v is True)
    if kind == "np":
        dtype = tagged.get("dtype")
        if dtype not in NUMPY_SCALARS:
            raise Invalid("bad numpy dtype")
        return np.dtype(dtype).type(_float(v) if dtype.startswith("float") else _int(v))
    if kind == "int":
        return _int(v)
    if kind == "float":
        return _float(v)
    if kind == "str":
        if not isinstance(v, str):
            raise Invalid("bad str")
        return v
    if kind == "timestamp":
        if not isinstance(v, str) or not (tagged.get("tz") is None or isinstance(tagged.get("tz"), str)):
            raise Invalid("bad timestamp")
        stamp = pd.Timestamp(v)
        if tagged.get("unit") in ("s", "ms", "us", "ns"):
            stamp = stamp.as_unit(tagged["unit"])
        return stamp.tz_localize(tagged["tz"]) if tagged.get("tz") else stamp
    if kind == "timedelta":
        return pd.Timedelta(_int(v), unit="ns")
    if kind == "datetime":
        return _dt.datetime.fromisoformat(str(v))
    if kind == "date":
        return _dt.date.fromisoformat(str(v))
    if kind in ("list", "tuple", "set", "frozenset"):
        if not isinstance(v, list):
            raise Invalid("bad sequence")
        items = [decode(item, depth + 1) for item in v]
        return {"list": list, "tuple": tuple, "set": set, "frozenset": frozenset}[kind](items)
    if kind == "dict":
        if not isinstance(v, list) or not all(isinstance(p, list) and len(p) == 2 for p in v):
            raise Invalid("bad dict")
        return {decode(k, depth + 1): decode(val, depth + 1) for k, val in v}
    if kind == "frame":
        frame = _read_frame(tagged.get("parquet"))
        columns = decode(tagged.get("columns"), depth + 1)
        if not isinstance(columns, pd.Index) or len(columns) != frame.shape[1]:
            raise Invalid("bad column labels")
        frame.columns = columns
        return frame
    if kind == "labels":
        if not isinstance(v, list):
            raise Invalid("bad labels")
        return pd.Index([decode(x, depth + 1) for x in v], dtype=object, name=decode(tagged.get("name"), depth + 1))
    if kind == "series":
        frame = _read_frame(tagged.get("parquet"))
        if frame.shape[1] != 1:
            raise Invalid("a series has one column")
        return frame.iloc[:, 0].rename(decode(tagged.get("name"), depth + 1))
    if kind == "index":
        return _read_frame(tagged.get("parquet")).index
    if kind == "ndarray":
        dtype, shape = tagged.get("dtype"), tagged.get("shape")
        if dtype not in NUMPY_ARRAYS or not isinstance(shape, list) or not isinstance(v, list):
            raise Invalid("bad array")
        convert = _float if np.dtype(dtype).kind == "f" else (lambda s: s == "True") if dtype == "bool" else _int
        return np.array([convert(x) for x in v], dtype=dtype).reshape([int(n) for n in shape])
    raise Invalid(f"unknown kind {kind!r}")


NUMPY_SCALARS = {"int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float16", "float32", "float64"}
NUMPY_ARRAYS = NUMPY_SCALARS | {"bool"}


def decode_values(payload: Any, names: list[str]) -> tuple[dict, dict]:
    """({name: value} for the wanted names that decoded, {name: why not} for the others)."""
    values, problems = {}, {}
    if not isinstance(payload, dict) or not isinstance(payload.get("values"), dict):
        return values, {"*": "no values"}
    for name in names:
        if name not in payload["values"]:
            continue
        try:
            values[name] = decode(payload["values"][name])
        except Invalid as why:
            problems[name] = str(why)
        except Exception as error:  # noqa: BLE001 - malformed data: the name stays absent
            problems[name] = f"unreadable ({type(error).__name__})"
    return values, problems


def is_identifier(text: Any) -> bool:
    return isinstance(text, str) and text.isidentifier() and not keyword.iskeyword(text)


__all__ = ["MIME", "export", "encode", "decode", "decode_values", "module_allowed", "Unexportable"]
