"""Record golden values from real PyTorch for tests/test_golden.py.

Run with a Python that has torch (never minigrad's venv, which has no torch):

    /opt/torchref/bin/python tools/record_golden.py

It runs every case of tests/golden/cases.py on ``torch`` and writes
tests/golden/golden.json (sorted keys, one case per block, short lists on one line,
so that a re-recording gives a small, readable diff).

    /opt/torchref/bin/python tools/record_golden.py CASE [CASE ...]

records only the cases named and keeps every other case as it is in golden.json, and drops the
cases that cases.py no longer has. (Re-recording everything on another CPU can change the last bit
of a few float values: PyTorch's vectorised code differs between CPUs.)
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES_FILE = ROOT / "tests" / "golden" / "cases.py"
OUT_FILE = ROOT / "tests" / "golden" / "golden.json"


def load_cases():
    spec = importlib.util.spec_from_file_location("golden_cases", CASES_FILE)
    module = importlib.util.module_from_spec(spec)
    sys.modules["golden_cases"] = module
    spec.loader.exec_module(module)
    return module


# Torch appends C++ details that minigrad cannot (and should not) reproduce.  We strip
# them here, at recording time, so golden.json holds only the user-facing message:
#   * warnings: " (Triggered internally at /pytorch/aten/src/...cpp:123.)"
#   * errors:   "\nException raised from foo at /pytorch/...cpp:123 (most recent call first):..."
#     and "\nframe #0: ..." stack dumps (only present with TORCH_SHOW_CPP_STACKTRACES).
_TAILS = [
    re.compile(r"\s*\(Triggered internally at [^)]*\)\s*$", re.S),
    re.compile(r"\s*Exception raised from .*$", re.S),
    re.compile(r"\s*frame #\d+:.*$", re.S),
]


def clean_message(message):
    if message is None:
        return None
    for pattern in _TAILS:
        message = pattern.sub("", message)
    return message


def clean(node):
    """Strip C++ tails from every recorded error and warning message."""
    if isinstance(node, dict):
        if "raises" in node and isinstance(node["raises"], dict):
            node["raises"]["message"] = clean_message(node["raises"]["message"])
        if "warns" in node and isinstance(node["warns"], dict):
            node["warns"]["warnings"] = [[cat, clean_message(msg)] for cat, msg in node["warns"]["warnings"]]
        for value in node.values():
            clean(value)
    elif isinstance(node, list):
        for value in node:
            clean(value)
    return node


def _is_flat(value):
    """Lists of scalars (possibly nested) are written on one line."""
    if isinstance(value, list):
        return all(_is_flat(v) for v in value)
    return not isinstance(value, dict)


def dump(value, indent=0):
    pad = "  " * indent
    inner = "  " * (indent + 1)
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f"{inner}{json.dumps(k)}: {dump(value[k], indent + 1)}" for k in sorted(value)]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(value, list) and not _is_flat(value):
        items = [f"{inner}{dump(v, indent + 1)}" for v in value]
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def unsupported(node, path="$"):
    if isinstance(node, dict):
        if set(node) == {"unsupported"}:
            yield path, node["unsupported"]
        for k, v in node.items():
            yield from unsupported(v, f"{path}.{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from unsupported(v, f"{path}[{i}]")


def main():
    import torch

    torch.set_num_threads(1)
    cases = load_cases()
    only = sys.argv[1:]
    unknown = [name for name in only if name not in cases.CASES]
    if unknown:
        raise SystemExit(f"no such case(s) in {CASES_FILE.name}: {unknown}")
    recorded = {}
    if only:
        kept = json.loads(OUT_FILE.read_text(encoding="utf-8"))["cases"]
        recorded = {name: value for name, value in kept.items() if name in cases.CASES}
    failed = []
    for case_name, fn in cases.CASES.items():
        if only and case_name not in only:
            continue
        try:
            result = fn(torch)
            if not isinstance(result, dict):
                raise TypeError(f"must return a dict, got {type(result).__name__}")
        except Exception:
            failed.append(case_name)
            print(f"--- case {case_name} failed on torch:", file=sys.stderr)
            traceback.print_exc()
            continue
        recorded[case_name] = clean(cases.encode(result, torch))
    if failed:
        raise SystemExit(f"{len(failed)} case(s) failed on torch: {failed}; nothing written")
    problems = list(unsupported(recorded))
    if problems:
        raise TypeError(f"cannot encode: {problems}")
    doc = {"torch_version": torch.__version__, "cases": recorded}
    OUT_FILE.write_text(dump(doc) + "\n", encoding="utf-8")
    count = len(only) if only else len(recorded)
    print(f"recorded {count} case(s) with torch {torch.__version__} -> {OUT_FILE} ({len(recorded)} in all)")


if __name__ == "__main__":
    main()
