"""``python -m grader PATH...``: grade notebooks, a class's folder, or both.

Examples::

    python -m grader submissions/                       # every .ipynb below the folder
    python -m grader alice/01_chain_rule.ipynb --json grades.json --csv grades.csv
    python -m grader submissions/ -j 4 --cell-timeout 20

Each notebook runs in a fresh sandboxed kernel (see ``grader/sandbox.py``); the hidden tests are
restored from ``solutions/``.  Submissions are only read, never written.  Exit status 0 means
grading itself worked, whatever the scores; 2 means it could not (bad arguments, no sandbox
when one was required, a solution that fails its own checks).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from . import sandbox
from .grade import (
    GradingSetupError,
    Reference,
    SubmissionResult,
    build_reference,
    grade_submission,
)
from .runner import RunOptions

DEFAULT_SOLUTIONS = Path(__file__).resolve().parent.parent / "solutions"
SYMBOL = {"passed": "✓", "not attempted": "…"}


def _collect(paths: list[Path]) -> list[Path]:
    """Notebook files from the arguments; folders are searched recursively."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                p for p in path.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts and p.is_file()
            )
        else:
            found.append(path)  # missing files are reported, not fatal
    return found


class Progress:
    """A one-line progress bar on stderr (plain lines when stderr is not a terminal)."""

    def __init__(self, total: int, enabled: bool):
        self.total, self.done, self.enabled = total, 0, enabled and total > 1
        self.start = time.monotonic()
        self.tty = sys.stderr.isatty()

    def step(self, label: str) -> None:
        self.done += 1
        if not self.enabled:
            return
        width = 30
        filled = int(width * self.done / self.total)
        elapsed = time.monotonic() - self.start
        eta = elapsed / self.done * (self.total - self.done)
        bar = "█" * filled + "·" * (width - filled)
        line = f"grading [{bar}] {self.done}/{self.total}  {elapsed:4.0f}s elapsed, ~{eta:.0f}s left"
        if self.tty:
            print(f"\r{line}", end="" if self.done < self.total else "\n", file=sys.stderr)
        else:
            print(f"{line}  {label}", file=sys.stderr)
        sys.stderr.flush()


def print_table(results: list[SubmissionResult], out=sys.stdout) -> None:
    """The human-readable report: one block per notebook, one line per task."""
    for res in results:
        head = f"{res.path}  [{res.student}, {res.exercise or '?'}]"
        print(f"{head}: {res.score:g}/{res.max_score:g}", file=out)
        if res.error:
            print(f"  ! {res.error}", file=out)
        for task in res.tasks:
            mark = SYMBOL.get(task.status, "✗")
            line = f"  {mark} {task.grade_id:<28} {task.points:g}/{task.max_points:g}"
            if task.status != "passed":
                line += f"  {task.status}"
                if task.reason and task.reason != task.status:
                    line += f": {task.reason}"
            print(line, file=out)
        for note in res.notes:
            print(f"  note: {note}", file=out)
    graded = [r for r in results if r.status == "graded"]
    total = sum(r.score for r in results)
    maximum = sum(r.max_score for r in results)
    print(
        f"\n{len(results)} notebook(s), {len(graded)} graded, "
        f"{len(results) - len(graded)} not gradable; total {total:g}/{maximum:g}",
        file=out,
    )


def write_csv(results: list[SubmissionResult], path: Path) -> None:
    """One row per task and one TOTAL row per notebook (a long-format gradebook)."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["path", "student", "exercise", "task", "points", "max_points", "status", "reason"])
        for r in results:
            for t in r.tasks:
                w.writerow(
                    [
                        r.path,
                        r.student,
                        r.exercise or "",
                        t.grade_id,
                        t.points,
                        t.max_points,
                        t.status,
                        t.reason,
                    ]
                )
            w.writerow(
                [r.path, r.student, r.exercise or "", "TOTAL", r.score, r.max_score, r.status, r.error]
            )


def _grade_one(args):
    path, references, solutions, options = args
    try:
        return grade_submission(path, references, solutions, options)
    except Exception as exc:  # a bug of ours must not lose the other notebooks
        return SubmissionResult(
            str(path), path.stem, None, "error", error=f"internal grader error: {type(exc).__name__}: {exc}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m grader",
        description="Grade exercise notebooks in sandboxed kernels.",
        epilog="Exit status: 0 when grading worked (whatever the scores), 2 when it could not.",
    )
    parser.add_argument("paths", nargs="+", type=Path, help="notebooks and/or folders")
    parser.add_argument(
        "--solutions",
        type=Path,
        default=DEFAULT_SOLUTIONS,
        help="folder of solution notebooks (default: the course's solutions/)",
    )
    parser.add_argument("--json", type=Path, help="write full results as JSON")
    parser.add_argument("--csv", type=Path, help="write a gradebook as CSV")
    parser.add_argument("-j", "--jobs", type=int, default=1, help="notebooks graded in parallel")
    parser.add_argument("--cell-timeout", type=float, default=30, help="seconds per cell")
    parser.add_argument(
        "--notebook-timeout",
        type=float,
        default=300,
        help="seconds per notebook, all cells and restarts included",
    )
    parser.add_argument("--memory-mb", type=int, default=2048, help="address-space limit per kernel")
    parser.add_argument(
        "--sandbox",
        choices=["auto", "bwrap", "none"],
        default="auto",
        help="bwrap: require bubblewrap isolation; none: no file-system "
        "isolation (trusted notebooks only); auto: bwrap when available",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="no table, no progress bar")
    args = parser.parse_args(argv)

    mode = args.sandbox
    if mode in ("auto", "bwrap"):
        if sandbox.bwrap_works():
            mode = "bwrap"
        elif args.sandbox == "bwrap":
            print(
                "error: bubblewrap (bwrap) is not available; install it "
                "(Debian: apt-get install bubblewrap) or pass --sandbox none",
                file=sys.stderr,
            )
            return 2
        else:
            mode = "none"
            print(
                "WARNING: bubblewrap not found: notebooks run WITHOUT file-system isolation "
                "(install the Debian package 'bubblewrap')",
                file=sys.stderr,
            )
    options = RunOptions(
        cell_timeout=args.cell_timeout,
        notebook_timeout=args.notebook_timeout,
        sandbox=mode,
        limits=sandbox.Limits(memory_mb=args.memory_mb),
    )
    solutions = {p.stem: p for p in sorted(args.solutions.glob("[0-9][0-9]_*.ipynb"))}
    if not solutions:
        print(f"error: no solution notebooks in {args.solutions}", file=sys.stderr)
        return 2
    files = _collect(args.paths)
    wanted = set()
    for f in files:
        named = [n for n in solutions if f.name[:2] == n[:2]]
        wanted |= set(named) if named else set(solutions)
    jobs = max(1, args.jobs)
    reference_options = RunOptions(
        cell_timeout=120, notebook_timeout=600, sandbox=mode, limits=options.limits
    )
    try:
        with ProcessPoolExecutor(max_workers=min(jobs, len(wanted) or 1)) as pool:
            refs = pool.map(
                build_reference, [solutions[n] for n in sorted(wanted)], [reference_options] * len(wanted)
            )
            references: dict[str, Reference] = {r.name: r for r in refs}
    except GradingSetupError as exc:
        print(f"error: a solution notebook fails its own checks: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # e.g. no kernel can start in this sandbox
        print(f"error: could not run the solutions: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2

    progress = Progress(len(files), enabled=not args.quiet)
    results: list[SubmissionResult] = []
    work = [(f, references, solutions, options) for f in files]
    if jobs == 1:
        for item in work:
            results.append(_grade_one(item))
            progress.step(str(item[0]))
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = {pool.submit(_grade_one, item): item[0] for item in work}
            for future in as_completed(futures):
                results.append(future.result())
                progress.step(str(futures[future]))
    order = {str(f): i for i, f in enumerate(files)}
    results.sort(key=lambda r: order.get(r.path, 0))

    if not args.quiet:
        print_table(results)
    if args.json:
        payload = {
            "sandbox": mode,
            "solutions": str(args.solutions),
            "submissions": [r.to_dict() for r in results],
        }
        args.json.write_text(json.dumps(payload, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    if args.csv:
        write_csv(results, args.csv)
    return 0


if __name__ == "__main__":  # pragma: no cover
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
