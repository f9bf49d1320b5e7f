"""The check helpers a learner sees at the bottom of each graded task.

A check cell looks like this::

    task = Task("l01_central_difference", points=2)
    task.check("3x² − 4x + 5 at x = 3",
               lambda: central_difference(lambda x: 3 * x**2 - 4 * x + 5, 3.0),
               expected=14.0, hints=[(28.0, "x − h and x + h are 2h apart: divide by 2h")])
    task.done()

``check`` takes the answer as a *lambda* so that an unfinished answer cell (``NameError``,
``NotImplementedError``) or a crashing one turns into a friendly message instead of a traceback,
and the rest of the notebook keeps running.  ``done()`` prints the score for the task.

When the grader runs a notebook it sets ``MINIGRAD_GRADER_RECORDS=1``: each check then also
emits a machine-readable record of the *value* it saw.  The grader never trusts the kernel's own
verdict: it re-judges those values in its own process, against expectations recorded from the
solution notebook (see ``grader/grade.py``).
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Callable
from typing import Any

from .judge import Verdict, judge, to_plain
from .messages import MESSAGES as tr

#: MIME type of the records that check cells emit while being graded.
RECORD_MIME = "text/x-minigrad-check"
#: Answers bigger than this (as JSON) are refused: no real answer is that large.
MAX_RECORD_CHARS = 1_000_000

_SYMBOL = {"passed": "✓", "wrong": "✗", "error": "✗", "not attempted": "…"}


def _emit(record: dict) -> None:
    """Send a record to the grader as a display output (only while grading)."""
    if os.environ.get("MINIGRAD_GRADER_RECORDS") != "1":
        return
    text = json.dumps(record, allow_nan=True)
    if len(text) > MAX_RECORD_CHARS:
        record = {k: record[k] for k in ("task", "label")}
        record["error"] = {"type": "AnswerTooLarge", "message": "the answer is too large to grade"}
        text = json.dumps(record)
    from IPython.display import display

    display({RECORD_MIME: text}, raw=True)


class Task:
    """One graded task: a few checks, a number of points, one verdict."""

    def __init__(self, grade_id: str, points: float):
        self.grade_id = grade_id
        self.points = points
        self.verdicts: list[tuple[str, Verdict]] = []

    def check(
        self,
        label: str,
        answer: Callable[[], Any],
        *,
        expected: Any = None,
        judge: str = "close",
        rtol: float = 1e-6,
        atol: float = 1e-9,
        hints: list | tuple = (),
        hint: str = "",
        secret: bool = False,
        digest: str | None = None,
    ) -> Verdict:
        """Compute ``answer()``, compare it with ``expected``, print one line of feedback.

        ``hints`` lists known wrong answers with the misconception each reveals, as
        ``(wrong_value, explanation)`` pairs; ``hint`` is said when the answer is wrong in an
        unforeseen way, or when computing it raised (after "read the error message").
        ``judge`` is ``"close"`` (numbers within ``rtol``/``atol``, the default), ``"equal"``
        (exactly), or ``"topo_order"`` (``expected`` is a graph ``{"nodes": [...], "edges":
        [[a, b], ...]}``, and any order with a before b passes).

        The feedback is in the language ``minigrad.viz.set_language`` chose (:mod:`grader.messages`).

        ``secret=True`` (in a solution notebook) asks ``grader.generate`` to replace
        ``expected`` by ``digest``, a fingerprint of it, and ``hints`` by an encoded string, in
        the learners' copy: right for "predict" and "by hand" tasks, whose answer must not be
        readable in the check cell.
        """
        if isinstance(hints, str):  # encoded by grader.generate for secret checks
            hints = json.loads(base64.b64decode(hints))
        record: dict[str, Any] = {"task": self.grade_id, "label": label}
        spec = {
            "expected": to_plain(expected),
            "judge": judge,
            "rtol": rtol,
            "atol": atol,
            "hints": [[to_plain(v), h] for v, h in hints],
            "hint": hint,
            "secret": secret or bool(digest),
        }
        if digest:
            spec["digest"], spec["salt"] = digest, f"{self.grade_id}/{label}"
        error = None
        got = None
        try:
            got = to_plain(answer() if callable(answer) else answer)
        except Exception as exc:  # the learner's code failed: explain, don't crash
            error = {"type": type(exc).__name__, "message": str(exc)[:300]}
        if error is not None:
            record["error"] = error
        else:
            record["got"] = got
        record.update(spec)
        _emit(record)
        verdict = _judge_locally(spec, got, error)
        self.verdicts.append((label, verdict))
        if verdict.status != "not attempted":  # those are summed up once, by done()
            line = tr("check.line", symbol=_SYMBOL[verdict.status], label=label, message=verdict.message)
            if verdict.hint and not verdict.ok:
                line += "\n      " + tr("check.hint", hint=verdict.hint)
            print(line)
        return verdict

    def done(self) -> None:
        """Print the task's score: all checks must pass to earn the points."""
        statuses = [v.status for _, v in self.verdicts]
        pts = _fmt(self.points)
        waiting = [(label, v) for label, v in self.verdicts if v.status == "not attempted"]
        if statuses and all(s == "passed" for s in statuses):
            print(tr("task.passed", task=self.grade_id, points=pts))
        elif statuses and len(waiting) == len(statuses):
            detail = waiting[0][1].message.removeprefix(tr("judge.not_attempted"))
            print(tr("task.not_attempted", task=self.grade_id, detail=detail, points=pts))
        else:
            for label, v in waiting:
                print(tr("check.line", symbol="…", label=label, message=v.message))
            print(tr("task.failed", task=self.grade_id, points=pts))


def _judge_locally(spec: dict, got: Any, error: dict | None) -> Verdict:
    """Judge in the kernel when the check was given an expectation (learner mode)."""
    if error is None and spec["expected"] is None and not spec.get("digest") and spec["judge"] != "equal":
        return Verdict("passed", tr("check.recorded"))
    return judge(spec, got, error)


def _fmt(points: float) -> str:
    return f"{points:g}"
