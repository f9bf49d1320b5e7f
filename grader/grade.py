"""Grade one submission: find its exercise, rebuild it, run it, judge what it computed.

Trust model, in one paragraph: everything inside the submission's kernel is under the
learner's control (they can redefine ``Task``, patch minigrad, rewrite the cells the kernel is
asked to run).  So the kernel is only ever asked for *values*: the check cells are restored
from the solution and stripped of their expected answers before they run, and the values they
report are judged here, in the grading process, against expectations recorded by running the
*solution* notebook.  The only way to get a check's points is to make the kernel produce the
right value for inputs it sees only at grading time — which is solving the task.
"""

from __future__ import annotations

import ast
import re
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import nbformat

from .judge import Verdict, judge
from .notebook import HIDDEN_BEGIN, grade_id, prepare_submission, tasks
from .runner import RunOptions, run_notebook

MAX_NOTEBOOK_BYTES = 20 * 2**20
SPEC_KEYS = ("expected", "judge", "rtol", "atol", "hints", "hint", "secret")
EXERCISE_NAME = re.compile(r"(\d\d)_[A-Za-z0-9_]+")


@dataclass
class CheckResult:
    label: str
    status: str
    message: str
    hint: str = ""
    hidden: bool = False


@dataclass
class TaskResult:
    grade_id: str
    max_points: float
    points: float = 0.0
    status: str = "not graded"  # passed, failed, not attempted, error, timeout, not graded
    reason: str = ""
    checks: list[CheckResult] = field(default_factory=list)


@dataclass
class SubmissionResult:
    path: str
    student: str
    exercise: str | None
    status: str  # graded, error, missing
    score: float = 0.0
    max_score: float = 0.0
    error: str = ""
    tasks: list[TaskResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return asdict(self)


class GradingSetupError(Exception):
    """The grader itself cannot work (bad solutions folder, a solution failing its checks)."""


# --------------------------------------------------------------------------- the reference


@dataclass
class Reference:
    """What the solution notebook expects, task by task: ``specs[grade_id]`` lists
    ``(label, spec, hidden)`` in order."""

    name: str
    solution: nbformat.NotebookNode
    specs: dict[str, list[tuple[str, dict, bool]]]
    points: dict[str, float]


def _visible_check_count(source: str) -> int:
    """How many ``.check(...)`` calls precede the hidden tests in a check cell."""
    visible = source.split(HIDDEN_BEGIN)[0]
    try:
        tree = ast.parse(visible)
    except SyntaxError:
        return 0
    return sum(
        1
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "check"
    )


def build_reference(path: Path, options: RunOptions) -> Reference:
    """Run a solution notebook once and record every check's expectation."""
    solution = nbformat.read(path, as_version=4)
    run = run_notebook(solution, options)
    specs: dict[str, list] = {}
    points = {}
    problems = []
    for info in tasks(solution):
        cell = solution.cells[info.test_index]
        result = run.cells.get(info.test_index)
        records = [r for r in (result.records if result else []) if r.get("task") == info.grade_id]
        n_visible = _visible_check_count(cell.source)
        specs[info.grade_id] = [
            (r["label"], {k: r.get(k) for k in SPEC_KEYS}, i >= n_visible) for i, r in enumerate(records)
        ]
        points[info.grade_id] = info.points
        if not records:
            problems.append(f"{info.grade_id}: the solution's check cell produced no results")
        for label, spec, _ in specs[info.grade_id]:
            r = next(r for r in records if r["label"] == label)
            verdict = judge(spec, r.get("got"), r.get("error"))
            if not verdict.ok:
                problems.append(f"{info.grade_id} / {r['label']}: solution fails: {verdict.message}")
    if problems:
        raise GradingSetupError(f"{path}: " + "; ".join(problems))
    return Reference(path.stem, solution, specs, points)


# --------------------------------------------------------------------------- matching


def exercise_of(
    path: Path,
    nb: nbformat.NotebookNode | None,
    solutions: dict[str, Path],
    ids_by_exercise: dict[str, set[str]],
) -> tuple[str | None, str]:
    """Which exercise a submission belongs to, and a note when that is in doubt.

    The file name decides (``01_chain_rule.ipynb``, ``alice/01_chain_rule.ipynb`` or
    ``01_chain_rule-alice.ipynb``); the grade_ids inside confirm it.  A notebook whose cells
    belong to another exercise is reported as such rather than graded against the wrong one.
    """
    by_prefix = {name[:2]: name for name in solutions}
    match = EXERCISE_NAME.search(path.name)
    named = None
    if match:
        named = next((n for n in solutions if path.name.startswith(n)), None)
        named = named or by_prefix.get(match.group(1))
    if nb is None:
        return named, ""
    ids = {grade_id(c) for c in nb.cells if grade_id(c)}
    overlap = {name: len(ids & wanted) for name, wanted in ids_by_exercise.items()}
    best = max(overlap, key=overlap.get) if overlap else None
    if named and overlap.get(named, 0) > 0:
        return named, ""
    if named and best and overlap[best] > 0:
        return named, f"this notebook's tasks belong to exercise {best}, not {named}"
    if named:
        return named, ""
    if best and overlap[best] > 0:
        return best, ""
    return None, "not one of the course's exercise notebooks"


def student_of(path: Path, exercise: str | None) -> str:
    """``alice/01_chain_rule.ipynb`` → alice; ``01_chain_rule-alice.ipynb`` → alice."""
    stem = path.stem
    if exercise and stem == exercise:
        return path.parent.name
    if exercise and stem.startswith(exercise):
        rest = stem[len(exercise) :].strip("-_ .")
        return rest or path.parent.name
    return stem


# --------------------------------------------------------------------------- grading


def _empty_tasks(reference: Reference | None, status: str, reason: str) -> list[TaskResult]:
    if reference is None:
        return []
    return [TaskResult(gid, reference.points[gid], 0.0, status, reason) for gid in reference.specs]


def _judge_task(gid: str, reference: Reference, prepared, run) -> TaskResult:
    result = TaskResult(gid, reference.points[gid])
    index = prepared.check_cells.get(gid)
    cell = run.cells.get(index) if index is not None else None
    if cell is None or cell.status in ("not run", "skipped"):
        result.status, result.reason = "error", "the check cell did not run"
        return result
    records = {}
    for r in cell.records:
        if r.get("task") == gid and isinstance(r.get("label"), str):
            records.setdefault(r["label"], r)
    answer_error = _answer_error(gid, reference, prepared, run)
    for label, spec, hidden in reference.specs[gid]:
        record = records.get(label)
        if record is None:
            if cell.status == "timeout":
                msg = f"timed out ({cell.evalue})"
            elif cell.status == "died":
                msg = "the kernel died while checking this task"
            elif cell.status == "error":
                msg = f"the check cell stopped with {cell.ename}: {cell.evalue}"
            else:
                msg = "no result was reported (was Task or the check cell tampered with?)"
            result.checks.append(CheckResult(label, "error", msg, "", hidden))
            continue
        error = record.get("error") if isinstance(record.get("error"), dict) else None
        try:
            verdict = judge(spec, record.get("got"), error)
        except Exception:  # e.g. an absurdly nested answer
            verdict = Verdict("error", "the answer could not be judged (malformed value)")
        message = verdict.message
        if verdict.status == "not attempted" and answer_error:
            verdict.status, message, verdict.hint = "error", *answer_error
        result.checks.append(CheckResult(label, verdict.status, message, verdict.hint, hidden))
    statuses = [c.status for c in result.checks]
    if statuses and all(s == "passed" for s in statuses):
        result.status, result.points, result.reason = "passed", result.max_points, ""
        return result
    if statuses and all(s == "not attempted" for s in statuses):
        result.status, result.reason = "not attempted", "not attempted"
        return result
    first = next(c for c in result.checks if c.status != "passed")
    if first.status == "error" and first.message.startswith("timed out"):
        result.status = "timeout"
    else:
        # a wrong value, or a task only partly attempted, is "failed"; a crash is "error"
        result.status = "error" if first.status == "error" else "failed"
    where = "hidden check" if first.hidden else "check"
    prefix = ""
    if first.hidden and all(c.status == "passed" for c in result.checks if not c.hidden):
        prefix = "passed the visible checks, but not the hidden ones: "
    result.reason = f"{prefix}{where} '{first.label}': {first.message}"
    if first.hint:
        result.reason += f" — hint: {first.hint}"
    return result


def _answer_error(gid, reference, prepared, run) -> tuple[str, str] | None:
    """(reason, hint) when one of the task's answer cells failed, else None."""
    info = next(t for t in tasks(reference.solution) if t.grade_id == gid)
    for aid in info.answer_ids:
        index = prepared.answer_cells.get(aid)
        cell = run.cells.get(index) if index is not None else None
        if cell is None:
            continue
        if cell.status == "timeout":
            return (
                f"your answer cell timed out ({cell.evalue})",
                "Look for a loop that never ends, or work that grows too fast.",
            )
        if cell.status == "died":
            return (
                "your answer cell made the kernel die (it exited or crashed)",
                "Don't call exit functions; look for runaway memory use.",
            )
        if cell.status == "error" and cell.ename != "NotImplementedError":
            raised = f"{cell.ename}: {cell.evalue}" if cell.evalue else cell.ename
            return (
                f"your answer cell raised {raised}",
                "Fix the error in the answer cell, then run it again.",
            )
    return None


def grade_submission(
    path: Path,
    references: dict[str, Reference],
    solutions: dict[str, Path],
    options: RunOptions,
) -> SubmissionResult:
    """Grade one notebook file; never raises for anything the submission does."""
    start = time.monotonic()
    ids_by_exercise = {
        name: {grade_id(c) for c in ref.solution.cells if grade_id(c)} for name, ref in references.items()
    }
    res = SubmissionResult(str(path), path.stem, None, "error")
    nb, problem = _read(path)
    exercise, note = exercise_of(path, nb, solutions, ids_by_exercise)
    res.exercise = exercise
    res.student = student_of(path, exercise)
    reference = references.get(exercise) if exercise else None
    if reference is not None:
        res.max_score = sum(reference.points.values())
    if problem or nb is None:
        res.status = "missing" if problem.startswith("file not found") else "error"
        res.error = problem
        res.tasks = _empty_tasks(reference, "error", problem)
    elif reference is None:
        res.error = note or "could not tell which exercise this is"
    elif note:
        res.error = note
        res.tasks = _empty_tasks(reference, "error", note)
    else:
        prepared = prepare_submission(nb, reference.solution)
        res.notes += prepared.notes
        run = run_notebook(prepared.nb, options)
        res.notes += run.notes
        res.tasks = [_judge_task(gid, reference, prepared, run) for gid in reference.specs]
        res.status = "graded"
    res.score = sum(t.points for t in res.tasks)
    res.seconds = round(time.monotonic() - start, 2)
    return res


def _read(path: Path) -> tuple[nbformat.NotebookNode | None, str]:
    """Read a notebook defensively: (notebook, "") or (None, what is wrong)."""
    try:
        if not path.is_file():
            return None, "file not found"
        if path.stat().st_size > MAX_NOTEBOOK_BYTES:
            return None, f"malformed notebook: larger than {MAX_NOTEBOOK_BYTES // 2**20} MB"
        nb = nbformat.read(path, as_version=4)
        if not isinstance(nb.get("cells"), list):
            return None, "malformed notebook: no cells"
        for cell in nb.cells:
            if cell.get("cell_type") not in ("code", "markdown", "raw"):
                return None, "malformed notebook: a cell of unknown type"
            if not isinstance(cell.get("source"), str):
                return None, "malformed notebook: a cell without source"
            if not isinstance(cell.get("metadata", {}), dict):
                return None, "malformed notebook: cell metadata is not a mapping"
        return nb, ""
    except Exception as exc:  # JSON errors, schema errors, unreadable files
        text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return None, f"malformed notebook: {text[:200]}"
