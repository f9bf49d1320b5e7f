"""Decide whether an answer is right, and say why not in words a learner understands.

This module is pure Python with no Jupyter in it, because it runs in two places:

* inside the learner's kernel, so a check cell can answer at once ("✓ 2/2 points", or
  "expected 14, got 28 — the two points x−h and x+h are 2h apart: divide by 2h");
* inside the grading process, where the teacher's grader re-judges the *values* a submission
  produced against the *expectations* recorded from the solution notebook.  Nothing the
  submission's kernel says about itself ("I passed") is ever believed.

An expectation ("spec") is plain JSON-able data::

    {"expected": 14.0, "judge": "close", "rtol": 1e-6, "atol": 1e-9,
     "hints": [[28.0, "divide by 2h, not h"]], "hint": "a general hint"}

and an answer is the plain value the learner's code produced (see :func:`to_plain`).
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from typing import Any

from .messages import MESSAGES as tr

#: Exceptions that mean "the learner has not written this part yet".
NOT_ATTEMPTED_ERRORS = ("NotImplementedError", "NameError")


@dataclass
class Verdict:
    """The outcome of one check: ``status`` is ``passed``, ``wrong``, ``error`` or ``not attempted``."""

    status: str
    message: str = ""
    hint: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "passed"


# --------------------------------------------------------------------------- plain values


def to_plain(value: Any, _depth: int = 0) -> Any:
    """Turn an answer into JSON-able data: tensors and arrays become (nested) lists of numbers.

    Anything we do not recognise becomes ``{"__object__": "<type name>"}`` so the judge can say
    "expected a number, got a function".  Only ``.tolist()`` is called on foreign objects,
    which numpy arrays, numpy scalars, minigrad tensors and torch tensors all provide.
    """
    if _depth > 20:
        return {"__object__": "deeply nested value"}
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        return value if abs(value) < 2**63 else float(value)
    if isinstance(value, float):
        return value
    if isinstance(value, list | tuple):
        return [to_plain(v, _depth + 1) for v in value]
    if isinstance(value, dict):
        return {str(k): to_plain(v, _depth + 1) for k, v in value.items()}
    tolist = getattr(value, "tolist", None)
    if callable(tolist):
        try:
            plain = tolist()
        except Exception:  # a tensor that refuses (e.g. requires grad in some libraries)
            plain = None
        if plain is not None and not hasattr(plain, "tolist"):
            return to_plain(plain, _depth + 1)
    return {"__object__": type(value).__name__}


# --------------------------------------------------------------------------- hidden answers


def canonical(value: Any) -> str:
    """A text form of a plain value in which numbers keep 6 significant digits.

    Two answers that agree to 6 digits have the same canonical form, so a *digest* of it can
    stand in for an expected value that the learner should not be able to read (see
    :func:`answer_digest`).
    """
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return json.dumps(value)
    if _is_number(value):
        text = f"{float(value):.6g}"
        return "0" if text == "-0" else text
    if isinstance(value, list):
        return "[" + ",".join(canonical(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(f"{json.dumps(k)}:{canonical(value[k])}" for k in sorted(value)) + "}"
    return json.dumps(str(value))


def answer_digest(salt: str, value: Any) -> str:
    """A fingerprint of an expected answer: lets a check recognise the right answer without
    showing it (used for "predict" and "by hand" tasks in the learners' notebooks)."""
    return hashlib.sha256(f"{salt}:{canonical(to_plain(value))}".encode()).hexdigest()[:24]


# --------------------------------------------------------------------------- comparing


def _is_number(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)


def _close(got: Any, expected: Any, rtol: float, atol: float) -> bool:
    """Recursive comparison: numbers within tolerance, everything else exactly, same structure."""
    if _is_number(expected):
        if not _is_number(got):
            return False
        if math.isnan(expected):
            return math.isnan(got)
        if math.isinf(expected) or math.isinf(got) or math.isnan(got):
            return got == expected
        return abs(got - expected) <= atol + rtol * abs(expected)
    if isinstance(expected, list):
        return (
            isinstance(got, list)
            and len(got) == len(expected)
            and all(_close(g, e, rtol, atol) for g, e in zip(got, expected))
        )
    if isinstance(expected, dict):
        return (
            isinstance(got, dict)
            and set(got) == set(expected)
            and all(_close(got[k], expected[k], rtol, atol) for k in expected)
        )
    return type(got) is type(expected) and got == expected


def _topo_problem(got: Any, graph: dict) -> str | None:
    """Why ``got`` is not a valid order of ``graph`` (``{"nodes": [...], "edges": [[a, b], ...]}``,
    meaning a must come before b), or ``None`` when it is valid."""
    nodes = graph["nodes"]
    if not isinstance(got, list):
        return tr("topo.not_a_list", value=describe(got))
    missing = [n for n in nodes if n not in got]
    if missing:
        return tr("topo.missing", nodes=", ".join(map(str, missing)))
    dupes = sorted({str(n) for n in got if got.count(n) > 1})
    if dupes:
        return tr("topo.duplicates", nodes=", ".join(dupes))
    extra = [n for n in got if n not in nodes]
    if extra:
        return tr("topo.not_nodes", nodes=", ".join(map(str, extra)))
    where = {n: i for i, n in enumerate(got)}
    for a, b in graph["edges"]:
        if where[a] > where[b]:
            return tr("topo.wrong_order", a=a, b=b)
    return None


_SPEC = object()


def matches(got: Any, spec: dict, expected: Any = _SPEC) -> bool:
    """True when ``got`` meets ``spec`` (or equals ``expected`` under the spec's tolerance)."""
    target = spec.get("expected") if expected is _SPEC else expected
    kind = spec.get("judge", "close")
    if kind == "topo_order" and expected is _SPEC:
        return _topo_problem(got, target) is None
    if kind == "equal":
        return got == target and type(got) is type(target)
    return _close(got, target, spec.get("rtol", 1e-6), spec.get("atol", 1e-9))


# --------------------------------------------------------------------------- explaining


def describe(value: Any, limit: int = 120, digits: int = 6) -> str:
    """A short, readable rendering of a plain value: ``14``, ``[0.25, 0.75]``, ``True``, ``a function``."""
    if isinstance(value, dict) and set(value) == {"__object__"}:
        return tr("judge.object", type=value["__object__"])
    if isinstance(value, float):
        text = f"{value:.{digits}g}"
    elif isinstance(value, list):
        text = "[" + ", ".join(describe(v, limit, digits) for v in value[:12])
        text += ", …]" if len(value) > 12 else "]"
    elif isinstance(value, dict):
        text = "{" + ", ".join(f"{k!r}: {describe(v, limit, digits)}" for k, v in value.items()) + "}"
    else:
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe_pair(expected: Any, got: Any) -> str:
    """ "expected X, got Y" with just enough digits to show that X and Y differ."""
    for digits in (6, 9, 12, 17):
        e, g = describe(expected, digits=digits), describe(got, digits=digits)
        if e != g:
            break
    return tr("judge.expected_got", expected=e, got=g)


def _shape(value: Any) -> tuple | None:
    if isinstance(value, list):
        inner = _shape(value[0]) if value else ()
        return (len(value),) + (inner or ())
    return None


def _generic_hint(got: Any, expected: Any) -> str:
    """Hints that follow from the kind of mistake alone, whatever the task."""
    if got is None:
        return tr("hint.none")
    if isinstance(got, dict) and set(got) == {"__object__"}:
        return tr("hint.object")
    if _is_number(expected) and isinstance(got, list):
        return tr("hint.one_number")
    if isinstance(expected, list) and isinstance(got, list) and _shape(got) != _shape(expected):
        return tr("hint.shape", expected=_shape(expected), got=_shape(got))
    if isinstance(expected, bool) and not isinstance(got, bool):
        return tr("hint.bool")
    if _is_number(got) and _is_number(expected) and expected != 0:
        if abs(got + expected) <= 1e-6 * abs(expected):
            return tr("hint.sign")
    return ""


def judge(spec: dict, got: Any = None, error: dict | None = None) -> Verdict:
    """Judge one answer against one expectation.

    ``error`` is ``{"type": "ZeroDivisionError", "message": "..."}`` when computing the answer
    raised: the hint says to read the error, then gives the task's ``spec["hint"]`` if it has one.
    Known wrong answers listed in ``spec["hints"]`` as ``[value, hint]`` pairs produce their hint —
    that is where the misconception behind a wrong answer gets named.
    """
    if error is not None:
        etype, emsg = error.get("type", "Exception"), error.get("message", "")
        if etype in NOT_ATTEMPTED_ERRORS:
            detail = tr("judge.not_attempted_detail", detail=emsg) if etype == "NameError" and emsg else ""
            return Verdict("not attempted", tr("judge.not_attempted") + detail, tr("judge.write_answer"))
        if etype == "RecursionError":
            return Verdict(
                "error",
                tr("judge.raised_message", type="RecursionError", message=emsg),
                tr("judge.recursion_hint"),
            )
        if etype == "Timeout":
            return Verdict("error", emsg or tr("judge.took_too_long"), tr("judge.timeout_hint"))
        return Verdict(
            "error",
            tr("judge.raised_message", type=etype, message=emsg) if emsg else tr("judge.raised", type=etype),
            # then the task's own hint: a forgotten step often shows as an error (no create_graph: no graph)
            tr("judge.error_then_hint", hint=spec["hint"]) if spec.get("hint") else tr("judge.error_hint"),
        )
    kind = spec.get("judge", "close")
    expected = spec.get("expected")
    if spec.get("digest") and expected is None:
        return _judge_by_digest(spec, got)
    if kind == "topo_order":
        problem = _topo_problem(got, expected)
        if problem is None:
            return Verdict("passed", tr("judge.valid_order", order=describe(got)))
        return Verdict("wrong", problem, spec.get("hint", ""))
    if spec.get("secret"):  # judged as the learner's notebook judges it: to 6 digits
        passed = canonical(got) == canonical(expected)
    else:
        passed = matches(got, spec)
    if passed:
        return Verdict("passed", tr("judge.got", value=describe(got)))
    message = describe_pair(expected, got)
    for wrong, hint in spec.get("hints", []):
        if matches(got, spec, expected=wrong):
            return Verdict("wrong", message, hint)
    return Verdict("wrong", message, _generic_hint(got, expected) or spec.get("hint", ""))


def _judge_by_digest(spec: dict, got: Any) -> Verdict:
    """Judge against a fingerprint of the expected answer (the answer itself is not shown)."""
    if answer_digest(spec.get("salt", ""), got) == spec["digest"]:
        return Verdict("passed", tr("judge.got", value=describe(got)))
    message = tr("judge.not_right_yet", value=describe(got))
    for wrong, hint in spec.get("hints", []):
        if matches(got, spec, expected=wrong):
            return Verdict("wrong", message, hint)
    generic = _generic_hint(got, None) if got is None or isinstance(got, dict) else ""
    return Verdict("wrong", message, generic or spec.get("hint", ""))
