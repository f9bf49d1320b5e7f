"""minigrad against golden values recorded from real PyTorch.

Every case in tests/golden/cases.py runs on minigrad and its results are compared with
tests/golden/golden.json, recorded by ``/opt/torchref/bin/python tools/record_golden.py``.
One test per case, named after the behaviour it checks.

Comparison rules:

* same result keys;
* tensors: same dtype name, same shape, values close (float32: rtol 1e-5, atol 1e-6;
  float64: rtol = atol = 1e-10; int64/bool: exact; nan and inf where torch has them),
  and the same ``repr``;
* Python floats: float32 tolerances (they usually come from ``.item()`` of float32);
  ints, bools, None and strings: equal, with the same Python type;
* errors: same exception type name and message; warnings: same category and message;
* in every stored string, ``torch.`` is read as ``minigrad.`` (torch prints
  ``dtype=torch.float64`` and ``torch.FloatTensor``, minigrad prints ``minigrad.``...).
  ``torch::autograd::...`` node names contain no ``torch.`` and stay as they are.
* a few torch error messages end with advice about a torch-only API; their cases use
  ``raises(..., upto="Hint:")`` and only the text before the marker is compared.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import math
import re
import sys
from pathlib import Path

import numpy as np
import pytest

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"


def _load_cases():
    spec = importlib.util.spec_from_file_location("golden_cases", GOLDEN_DIR / "cases.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["golden_cases"] = module
    spec.loader.exec_module(module)
    return module


cases = _load_cases()
GOLDEN = json.loads((GOLDEN_DIR / "golden.json").read_text(encoding="utf-8"))

TOLERANCES = {
    "float32": {"rtol": 1e-5, "atol": 1e-6},
    "float64": {"rtol": 1e-10, "atol": 1e-10},
}
PY_FLOAT_TOL = TOLERANCES["float32"]


def as_minigrad(text):
    """Read a torch string as minigrad would print it."""
    if not isinstance(text, str):
        return text
    # 'torch.float64' -> 'minigrad.float64'; C++ node names 'torch::autograd::X' -> 'minigrad::autograd::X';
    # but links to PyTorch's documentation stay as they are (minigrad's messages give them too)
    parts = re.split(r"(https?://\S+)", text)
    return "".join(
        part
        if part.startswith("http")
        else part.replace("torch.", "minigrad.").replace("torch::", "minigrad::")
        for part in parts
    )


def _to_float(v):
    if isinstance(v, list):
        return [_to_float(e) for e in v]
    return float(v)  # 'nan', 'inf', '-inf' are stored as strings


class Mismatches:
    def __init__(self):
        self.lines = []

    def add(self, path, what, expected, actual):
        self.lines.append(f"{path}: {what}\n    torch:    {expected!r}\n    minigrad: {actual!r}")


def _kind(node):
    """The tag of an encoded value ('tensor', 'raises', ...) or None for plain values."""
    if isinstance(node, dict) and len(node) == 1:
        (key,) = node
        if key in {"tensor", "raises", "warns", "tuple", "float", "unsupported"}:
            return key
    return None


def compare_tensor(exp, act, path, out):
    if exp["dtype"] != act["dtype"]:
        out.add(path, "dtype", exp["dtype"], act["dtype"])
    if exp["shape"] != act["shape"]:
        out.add(path, "shape", exp["shape"], act["shape"])
    elif exp["dtype"] == act["dtype"]:
        if exp["dtype"] in TOLERANCES:
            e = np.array(_to_float(exp["values"]), dtype=np.float64).reshape(exp["shape"])
            try:
                a = np.array(_to_float(act["values"]), dtype=np.float64).reshape(act["shape"])
            except (TypeError, ValueError) as err:
                out.add(path, f"values not numeric ({err})", exp["values"], act["values"])
                return
            if not np.allclose(a, e, equal_nan=True, **TOLERANCES[exp["dtype"]]):
                out.add(path, "values", exp["values"], act["values"])
        elif exp["values"] != act["values"]:
            out.add(path, "values", exp["values"], act["values"])
    if as_minigrad(exp["repr"]) != act["repr"]:
        out.add(path, "repr", as_minigrad(exp["repr"]), act["repr"])


def compare_message(exp, act, upto, path, out):
    exp = as_minigrad(exp)
    if upto is not None and isinstance(exp, str) and isinstance(act, str):
        exp, act = exp.split(upto)[0].rstrip(), act.split(upto)[0].rstrip()
        path += f" (up to {upto!r})"
    if exp != act:
        out.add(path, "message", exp, act)


def compare(exp, act, path, out):
    kind = _kind(exp)
    if kind is not None:
        if _kind(act) != kind:
            out.add(path, f"kind (expected {kind})", exp, act)
            return
        e, a = exp[kind], act[kind]
        if kind == "tensor":
            compare_tensor(e, a, path, out)
        elif kind == "raises":
            if e["type"] != a["type"]:
                out.add(path, "exception type", e["type"], a["type"])
            compare_message(e["message"], a["message"], e.get("upto"), path, out)
        elif kind == "warns":
            compare(e["value"], a["value"], f"{path}.value", out)
            ew, aw = e["warnings"], a["warnings"]
            if [c for c, _ in ew] != [c for c, _ in aw]:
                out.add(path, "warning categories", ew, aw)
            else:
                for i, ((_, em), (_, am)) in enumerate(zip(ew, aw)):
                    compare_message(em, am, None, f"{path}.warnings[{i}]", out)
        elif kind == "tuple":
            compare(e, a, path, out)
        elif kind == "float":
            if e != a:
                out.add(path, "float", e, a)
        return
    if _kind(act) is not None:
        out.add(path, "kind", exp, act)
        return
    if isinstance(exp, dict):
        if not isinstance(act, dict):
            out.add(path, "type", exp, act)
        elif sorted(exp) != sorted(act):
            out.add(path, "keys", sorted(exp), sorted(act))
        else:
            for key in sorted(exp):
                compare(exp[key], act[key], f"{path}.{key}", out)
    elif isinstance(exp, list):
        if not isinstance(act, list) or len(exp) != len(act):
            out.add(path, "list", exp, act)
        else:
            for i, (e, a) in enumerate(zip(exp, act)):
                compare(e, a, f"{path}[{i}]", out)
    elif isinstance(exp, bool) or exp is None:
        if act is not exp:
            out.add(path, "value", exp, act)
    elif isinstance(exp, int):
        if type(act) is not int or act != exp:
            out.add(path, "int", exp, act)
    elif isinstance(exp, float):
        if type(act) is not float or not math.isclose(
            act, exp, rel_tol=PY_FLOAT_TOL["rtol"], abs_tol=PY_FLOAT_TOL["atol"]
        ):
            out.add(path, "float", exp, act)
    elif isinstance(exp, str):
        if as_minigrad(exp) != act:
            out.add(path, "string", as_minigrad(exp), act)
    else:  # pragma: no cover - golden.json only holds the types above
        raise TypeError(f"{path}: unexpected golden value {exp!r}")


def test_golden_file_is_up_to_date():
    """golden.json holds exactly the cases of cases.py (re-record after editing cases)."""
    assert GOLDEN["torch_version"]
    assert sorted(GOLDEN["cases"]) == sorted(cases.CASES)


@pytest.fixture
def minigrad():
    mg = importlib.import_module("minigrad")
    yield mg
    # A failing case must not leave grad mode switched off for the next one.
    set_grad_enabled = getattr(mg, "set_grad_enabled", None)
    if set_grad_enabled is not None:
        try:
            set_grad_enabled(True)
        except Exception:  # noqa: BLE001 - best effort clean-up only
            pass


@pytest.mark.parametrize("case_name", list(cases.CASES))
def test_golden(case_name, minigrad):
    expected = GOLDEN["cases"].get(case_name)
    if expected is None:
        pytest.fail(f"{case_name} is not in golden.json: run tools/record_golden.py")
    actual = cases.encode(cases.CASES[case_name](minigrad), minigrad)
    out = Mismatches()
    compare(expected, actual, case_name, out)
    if out.lines:
        pytest.fail("\n".join(out.lines), pytrace=False)
