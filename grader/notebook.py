"""Reading graded notebooks the nbgrader way.

Cells carry nbgrader's v3 metadata (``metadata.nbgrader``):

* an **answer cell** has ``solution: true``: the learner writes code there, between
  ``### BEGIN SOLUTION`` / ``### END SOLUTION`` in the solution notebook;
* a **check cell** has ``grade: true``, ``locked: true`` and ``points``: it creates a
  ``Task(grade_id, points=...)`` and may hold ``### BEGIN HIDDEN TESTS`` … ``### END HIDDEN TESTS``;
* a **read-only cell** (set-up code) has ``locked: true``.

A task is a check cell plus the answer cells since the previous check cell.  This module finds
tasks, checks that a solution notebook follows these conventions (:func:`lint_solution`),
and rebuilds a submission for grading (:func:`prepare_submission`).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

import nbformat

HIDDEN_BEGIN = "### BEGIN HIDDEN TESTS"
HIDDEN_END = "### END HIDDEN TESTS"
SOLUTION_BEGIN = "### BEGIN SOLUTION"
SOLUTION_END = "### END SOLUTION"
GRADE_ID = re.compile(r"^[A-Za-z0-9_-]+$")
NBGRADER_KEYS = {
    "schema_version",
    "grade",
    "locked",
    "solution",
    "grade_id",
    "points",
    "task",
    "checksum",
    "cell_type",
}
#: Prepended to every check cell the grader runs, so a learner's stray ``Task = ...`` is harmless.
IMPORT_LINE = "from grader import Task  # added by the grader\n"


def nbgrader_meta(cell) -> dict:
    meta = cell.get("metadata")
    nbg = meta.get("nbgrader") if isinstance(meta, dict) else None
    return nbg if isinstance(nbg, dict) else {}


def is_grade(cell) -> bool:
    return bool(nbgrader_meta(cell).get("grade"))


def is_solution(cell) -> bool:
    return bool(nbgrader_meta(cell).get("solution"))


def is_locked(cell) -> bool:
    return bool(nbgrader_meta(cell).get("locked"))


def grade_id(cell) -> str | None:
    gid = nbgrader_meta(cell).get("grade_id")
    return gid if isinstance(gid, str) else None


@dataclass
class TaskInfo:
    """One graded task of a solution notebook."""

    grade_id: str
    points: float
    test_index: int
    answer_ids: list[str] = field(default_factory=list)


def tasks(nb) -> list[TaskInfo]:
    """The graded tasks of a notebook, in order."""
    found, answers = [], []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if is_solution(cell) and grade_id(cell):
            answers.append(grade_id(cell))
        if is_grade(cell) and not is_solution(cell):
            points = float(nbgrader_meta(cell).get("points", 0))
            found.append(TaskInfo(grade_id(cell), points, i, answers))
            answers = []
    return found


def lint_solution(nb) -> list[str]:
    """Problems with a solution notebook's conventions (empty when it is fine)."""
    problems = []
    seen = set()
    for i, cell in enumerate(nb.cells):
        meta = nbgrader_meta(cell)
        where = f"cell {i}"
        if "slideshow" not in cell.metadata:
            problems.append(f"{where}: no slideshow.slide_type")
        if not meta:
            continue
        if set(meta) - NBGRADER_KEYS:
            problems.append(f"{where}: unknown nbgrader keys {sorted(set(meta) - NBGRADER_KEYS)}")
        if meta.get("schema_version") != 3:
            problems.append(f"{where}: nbgrader schema_version must be 3")
        gid = meta.get("grade_id")
        if not gid or not GRADE_ID.match(gid):
            problems.append(f"{where}: bad or missing grade_id {gid!r}")
        elif gid in seen:
            problems.append(f"{where}: duplicate grade_id {gid}")
        seen.add(gid)
        src = cell.source
        if meta.get("grade") and not meta.get("solution"):
            if not meta.get("locked"):
                problems.append(f"{where}: check cells must be locked")
            match = re.search(r"Task\(\s*['\"]([^'\"]+)['\"],\s*points\s*=\s*([0-9.]+)\s*\)", src)
            if not match:
                problems.append(f"{where}: check cell does not create Task(grade_id, points=...)")
            elif match.group(1) != gid or float(match.group(2)) != float(meta.get("points", -1)):
                problems.append(f"{where}: Task(...) does not match grade_id/points metadata")
            if "task.done()" not in src:
                problems.append(f"{where}: check cell does not end with task.done()")
            if src.count(HIDDEN_BEGIN) != src.count(HIDDEN_END):
                problems.append(f"{where}: unbalanced hidden-test markers")
        if meta.get("solution") and SOLUTION_BEGIN not in src:
            problems.append(f"{where}: answer cell without {SOLUTION_BEGIN}")
        if cell.cell_type == "code" and SOLUTION_BEGIN in src and not meta.get("solution"):
            problems.append(f"{where}: solution markers in a cell not marked solution")
    for info in tasks(nb):
        if not info.answer_ids:
            problems.append(f"task {info.grade_id}: no answer cell before its check cell")
    return problems


# --------------------------------------------------------------------------- grading copies


class _StripExpectations(ast.NodeTransformer):
    """Remove every keyword argument from ``<anything>.check(...)`` calls.

    The grader sends check cells to the submission's kernel *without* the expected values and
    hints: the kernel only reports what the learner's code computed, and the grader judges it
    against expectations it recorded from the solution notebook.  Student code that inspects
    the cells it runs therefore finds no answers to copy.
    """

    def visit_Call(self, node: ast.Call):
        self.generic_visit(node)
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "check":
            node.keywords = []
            node.args = node.args[:2]
        return node


def strip_expectations(source: str) -> str:
    """A check cell's source with expectations removed (see :class:`_StripExpectations`)."""
    tree = ast.parse(source)
    return ast.unparse(_StripExpectations().visit(tree)) + "\n"


@dataclass
class Prepared:
    """A submission rebuilt for grading.

    ``nb`` is what runs; ``check_cells`` maps each task's grade_id to its cell index in ``nb``
    (only outputs of those cells count); ``answer_cells`` maps answer grade_ids to indices;
    ``notes`` lists what the grader had to restore.
    """

    nb: nbformat.NotebookNode
    check_cells: dict[str, int]
    answer_cells: dict[str, int]
    notes: list[str]


def prepare_submission(submission, solution) -> Prepared:
    """Rebuild ``submission`` for grading, using ``solution`` as the authority.

    * Check cells and read-only cells are replaced by the solution's (hidden tests restored, any
      edits undone), with expectations stripped from check cells.
    * A check cell the learner deleted or renamed is re-inserted after its answer cells.
    * Answer cells and the learner's own extra cells keep the learner's code.
    * Outputs are cleared: nothing stored in the submission is believed.
    The submission object itself is not modified.
    """
    sol_by_id = {grade_id(c): c for c in solution.cells if grade_id(c)}
    sol_tasks = tasks(solution)
    restored_ids = {gid for gid, c in sol_by_id.items() if is_locked(c) and not is_solution(c)}
    cells, notes, used = [], [], set()
    for cell in submission.cells:
        cell = nbformat.from_dict(cell)
        gid = grade_id(cell)
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        if gid in restored_ids and gid not in used:
            src = sol_by_id[gid]
            cell = nbformat.from_dict(src)
            cell.outputs, cell.execution_count = [], None
            used.add(gid)
        elif gid in restored_ids:
            cell.metadata.pop("nbgrader", None)  # a duplicated check cell: plain learner code
        elif is_grade(cell) or (is_locked(cell) and not is_solution(cell)):
            cell.metadata.pop("nbgrader", None)  # a grade cell the solution does not know
        cells.append(cell)
    # Re-insert missing locked cells (set-up first, check cells after their answers).
    for gid in [g for g in sol_by_id if g in restored_ids and g not in used]:
        src = nbformat.from_dict(sol_by_id[gid])
        src.outputs, src.execution_count = [], None
        info = next((t for t in sol_tasks if t.grade_id == gid), None)
        position = 0
        if info is not None:
            ids = [grade_id(c) for c in cells]
            anchors = [ids.index(a) for a in info.answer_ids if a in ids]
            position = (max(anchors) + 1) if anchors else len(cells)
            notes.append(f"{gid}: check cell was missing or renamed; restored from the solution")
        else:
            # set-up cell: before the first cell that is not markdown
            position = next((i for i, c in enumerate(cells) if c.cell_type == "code"), 0)
            notes.append(f"{gid}: read-only cell was missing; restored from the solution")
        cells.insert(position, src)
    check_ids = {t.grade_id for t in sol_tasks}
    check_cells, answer_cells = {}, {}
    for i, cell in enumerate(cells):
        gid = grade_id(cell)
        if gid in check_ids and cell.cell_type == "code":
            cell.source = IMPORT_LINE + strip_expectations(cell.source)
            check_cells[gid] = i
        elif gid and is_solution(cell) and gid not in answer_cells:
            answer_cells[gid] = i
    nb = nbformat.v4.new_notebook()
    nb.metadata = nbformat.from_dict(dict(solution.metadata))
    nb.cells = cells
    return Prepared(nb, check_cells, answer_cells, notes)
