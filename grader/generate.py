"""Generate the learners' notebooks from the solutions: ``python -m grader.generate SRC DEST``.

``make exercises`` runs ``python -m grader.generate solutions exercises``.  For every
``SRC/NN_topic.ipynb`` it writes ``DEST/NN_topic.ipynb`` using nbgrader's own preprocessors,
exactly what ``nbgrader generate_assignment`` does to a notebook, minus the course database:

1. ``ClearSolutions``: the code between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` becomes
   ``# YOUR CODE HERE`` + ``raise NotImplementedError()``;
2. ``ClearHiddenTests``: ``### BEGIN HIDDEN TESTS`` … ``### END HIDDEN TESTS`` disappears;
3. ``LockCells``: check cells and set-up cells become undeletable and read-only in Jupyter;
4. ``ClearOutput``: no stored outputs (and so no solution values leak through outputs).

Checks marked ``secret=True`` (the "predict" and "by hand" answers) get their ``expected``
value replaced by a fingerprint, so the answer cannot be read off the check cell.

Then an answer cell whose *top level* now raises ``NotImplementedError`` is tagged
``raises-exception``: JupyterLab's "Run All" keeps going past it (so every check cell can say
"not attempted yet"), and ``pytest --nbval`` accepts the error.

``--check`` regenerates in memory and exits 1 if ``DEST`` differs (the drift test uses it).
``--execute-solutions`` first re-runs every solution notebook and stores its outputs in place
(what ``pytest --nbval`` compares against); run it after editing a solution.
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
from pathlib import Path

import nbformat
from nbgrader.preprocessors import ClearHiddenTests, ClearOutput, ClearSolutions, LockCells

from .judge import answer_digest, to_plain
from .notebook import HIDDEN_BEGIN, SOLUTION_BEGIN, grade_id, is_grade, is_solution, lint_solution

STUB_TOP_LEVEL = "raise NotImplementedError()"


def _offset(lines: list[str], lineno: int, col: int) -> int:
    """Character offset of an AST (line, column) position; columns count UTF-8 bytes."""
    line = lines[lineno - 1]
    return sum(len(x) for x in lines[: lineno - 1]) + len(line.encode()[:col].decode())


def hide_answers(source: str, grade_id: str) -> str:
    """In ``task.check(label, ..., expected=E, secret=True)`` replace ``expected=E`` by
    ``digest="…"`` (a fingerprint of E) and drop ``secret=True``; the rest of the cell keeps
    its exact formatting.  ``E`` may use ``math`` and ``np`` but no notebook variables.
    """
    import ast
    import math

    import numpy as np

    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    edits = []  # (start, end, replacement)
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        kws = {k.arg: k for k in node.keywords}
        secret = kws.get("secret")
        if node.func.attr != "check" or secret is None:
            continue
        if not (isinstance(secret.value, ast.Constant) and secret.value.value is True):
            continue
        label = node.args[0].value
        code = compile(ast.Expression(kws["expected"].value), "<expected>", "eval")
        value = eval(code, {"math": math, "np": np})  # the author's own constant expression
        digest = answer_digest(f"{grade_id}/{label}", value)
        if "hints" in kws:  # the explanations would give the answer away: encode them
            hints_node = kws["hints"].value
            code = compile(ast.Expression(hints_node), "<hints>", "eval")
            hints = [[to_plain(v), h] for v, h in eval(code, {"math": math, "np": np})]
            blob = base64.b64encode(json.dumps(hints).encode()).decode()
            edits.append(
                (
                    _offset(lines, hints_node.lineno, hints_node.col_offset),
                    _offset(lines, hints_node.end_lineno, hints_node.end_col_offset),
                    f'"{blob}"',
                )
            )
        exp = kws["expected"]
        edits.append(
            (
                _offset(lines, exp.lineno, exp.col_offset),
                _offset(lines, exp.end_lineno, exp.end_col_offset),
                f'digest="{digest}"',
            )
        )
        # remove ", secret=True" (from the end of the previous argument)
        prev = max(
            (
                a
                for a in [*node.args, *node.keywords]
                if a is not secret
                and a.end_lineno is not None
                and (a.end_lineno, a.end_col_offset) < (secret.lineno, secret.col_offset)
            ),
            key=lambda a: (a.end_lineno, a.end_col_offset),
        )
        edits.append(
            (
                _offset(lines, prev.end_lineno, prev.end_col_offset),
                _offset(lines, secret.end_lineno, secret.end_col_offset),
                "",
            )
        )
    for start, end, text in sorted(edits, reverse=True):
        source = source[:start] + text + source[end:]
    ast.parse(source)
    return source


def make_exercise(solution: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The student version of one solution notebook (the input is not modified)."""
    nb = nbformat.from_dict(solution)
    resources: dict = {}
    for pre in (ClearSolutions(), ClearHiddenTests(), LockCells(), ClearOutput()):
        nb, resources = pre.preprocess(nb, resources)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        lines = cell.source.splitlines()
        if is_solution(cell) and STUB_TOP_LEVEL in lines:
            tags = cell.metadata.setdefault("tags", [])
            if "raises-exception" not in tags:
                tags.append("raises-exception")
        if is_grade(cell) and "secret=True" in cell.source:
            cell.source = hide_answers(cell.source, grade_id(cell))
        if SOLUTION_BEGIN in cell.source or HIDDEN_BEGIN in cell.source:
            raise ValueError(f"markers left in cell {cell.get('id')}: check the solution")
    return nb


def render(nb: nbformat.NotebookNode) -> str:
    """The exact text written to disk (nbformat's canonical JSON)."""
    return nbformat.writes(nb) + "\n"


def generate(src: Path, dest: Path, check: bool = False) -> list[str]:
    """Write (or with ``check``, compare) every exercise; return the names that differ."""
    differing = []
    sources = sorted(src.glob("[0-9][0-9]_*.ipynb"))
    if not sources:
        raise SystemExit(f"no solution notebooks (NN_topic.ipynb) in {src}")
    dest.mkdir(parents=True, exist_ok=True)
    for path in sources:
        solution = nbformat.read(path, as_version=4)
        problems = lint_solution(solution)
        if problems:
            raise SystemExit(f"{path}:\n  " + "\n  ".join(problems))
        text = render(make_exercise(solution))
        target = dest / path.name
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if current != text:
            differing.append(path.name)
            if not check:
                target.write_text(text, encoding="utf-8")
    expected = {p.name for p in sources}
    stray = sorted(p.name for p in dest.glob("[0-9][0-9]_*.ipynb") if p.name not in expected)
    differing += [f"{name} (no matching solution)" for name in stray]
    return differing


def execute_solution(path: Path, timeout: int = 300) -> bool:
    """Run a solution notebook in a fresh kernel and store its outputs; True if it changed."""
    import os

    from nbclient import NotebookClient

    os.environ.pop("MINIGRAD_GRADER_RECORDS", None)  # learner-mode output, as nbval will see it
    nb = nbformat.read(path, as_version=4)
    before = render(nb)
    NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False).execute(
        cwd=str(path.parent)
    )
    text = render(nb)
    if text != before:
        path.write_text(text, encoding="utf-8")
    return text != before


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m grader.generate", description=__doc__.split("\n")[0])
    parser.add_argument("solutions", type=Path, help="folder of solution notebooks")
    parser.add_argument("exercises", type=Path, help="folder to write the exercises into")
    parser.add_argument("--check", action="store_true", help="only report drift; exit 1 if any")
    parser.add_argument(
        "--execute-solutions", action="store_true", help="re-run the solutions and store their outputs first"
    )
    args = parser.parse_args(argv)
    if args.execute_solutions:
        for path in sorted(args.solutions.glob("[0-9][0-9]_*.ipynb")):
            if execute_solution(path):
                print(f"refreshed outputs of {path}")
    differing = generate(args.solutions, args.exercises, check=args.check)
    if args.check:
        for name in differing:
            print(f"out of date: {args.exercises / name.split(' ')[0]}", file=sys.stderr)
        if differing:
            print("run `make exercises` to regenerate", file=sys.stderr)
        return 1 if differing else 0
    for name in differing:
        print(f"wrote {args.exercises / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
