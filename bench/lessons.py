"""How long a learner waits: every lesson run top to bottom, `import minigrad`, and the widgets' build.

    .venv/bin/python bench/lessons.py              # every lesson, English and Chinese, once each
    .venv/bin/python bench/lessons.py --repeat 3   # the median of three runs per lesson
    .venv/bin/python bench/lessons.py 05 zh/05     # some lessons only

Targets (the course's, not PyTorch's): a lesson runs top to bottom in at most 10 s, kernel start-up
included; ``import minigrad`` takes at most 150 ms beyond numpy's own import (from compiled bytecode);
a stepper for a 40-node graph builds in at most 1 s. These are measured here, not in the tests: a timed
test fails on a busy machine for reasons that have nothing to do with the code. The load average is
printed beside the figures, since other processes competing for the CPU slow every figure down.

Writes ``bench/lessons.md`` (the table) next to printing it.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
sys.path.insert(0, str(ROOT / "scripts"))
from present import find_lesson  # noqa: E402  (how `make present` finds a lesson by name)

LESSON_BUDGET_S = 10.0
IMPORT_BUDGET_S = 0.150
STEPPER_BUDGET_S = 1.0

IMPORT_CHECK = textwrap.dedent("""
    import time
    import numpy  # imported first: its own import time is not minigrad's to control
    t = time.perf_counter()
    import minigrad
    print(time.perf_counter() - t)
""")

STEPPER_CHECK = textwrap.dedent("""
    import time
    import minigrad
    from minigrad import viz
    x = minigrad.tensor(0.5, requires_grad=True)
    w = minigrad.tensor(1.5, requires_grad=True)
    h = x
    for _ in range(13):
        h = (h * w).tanh() + x
    viz.BackwardStepper(minigrad.tensor(1.0, requires_grad=True) * 2)  # warm up the imports
    t = time.perf_counter()
    s = viz.BackwardStepper(h)
    print(time.perf_counter() - t, len(s.trace.graph.nodes))
""")


def lessons(names):
    """The lesson notebooks: all of them (English, then Chinese), or those named as ``make present``
    takes them (``05``, ``05_engine``, ``tour``, ``zh/05``)."""
    if names:
        return [find_lesson(name) for name in names]
    every = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")) + [NOTEBOOKS / "tour.ipynb"]
    return every + sorted((NOTEBOOKS / "zh").glob("[0-9][0-9]_*.ipynb")) + [NOTEBOOKS / "zh" / "tour.ipynb"]


def run_lesson(path):
    """Seconds to execute the notebook in a fresh kernel of this interpreter, start-up included."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    resources = {"metadata": {"path": str(path.parent)}}
    client = NotebookClient(nb, timeout=120, kernel_name="python3", resources=resources)
    start = time.perf_counter()
    client.execute()
    return time.perf_counter() - start


def run_script(source, env):
    out = subprocess.run([sys.executable, "-c", source], capture_output=True, text=True, check=True, env=env)
    return out.stdout.split()


def mark(seconds, budget):
    return "✓" if seconds <= budget else "✗ over"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lessons", nargs="*", help="e.g. 05 or zh/05 (default: every lesson)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per lesson; the median is reported")
    args = parser.parse_args()

    rows = []
    with tempfile.TemporaryDirectory() as cache:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPATH"] = str(ROOT)
        env["PYTHONPYCACHEPREFIX"] = cache  # timed from compiled bytecode, as every import after the first
        run_script(IMPORT_CHECK, env)  # compiles, untimed
        best = min(float(run_script(IMPORT_CHECK, env)[0]) for _ in range(5))
        rows.append(("`import minigrad` (best of 5)", best, IMPORT_BUDGET_S))
        seconds, nodes = run_script(STEPPER_CHECK, env)
        rows.append((f"`viz.BackwardStepper`, {nodes}-node graph", float(seconds), STEPPER_BUDGET_S))

    for path in lessons(args.lessons):
        times = [run_lesson(path) for _ in range(args.repeat)]
        rows.append((str(path.relative_to(NOTEBOOKS)), statistics.median(times), LESSON_BUDGET_S))
        print(f"{rows[-1][0]:32} {rows[-1][1]:6.2f} s", file=sys.stderr)

    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    lines = [
        f"Measured {time.strftime('%Y-%m-%d')} by `bench/lessons.py` on {os.cpu_count()} CPUs, "
        f"load average {load}; median of {args.repeat} run(s) per lesson.",
        "",
        "| what | seconds | target | |",
        "| --- | ---: | ---: | --- |",
    ]
    lines += [f"| {what} | {s:.3f} | {budget:g} | {mark(s, budget)} |" for what, s, budget in rows]
    table = "\n".join(lines) + "\n"
    print(table)
    if not args.lessons:
        (ROOT / "bench" / "lessons.md").write_text("# How long a learner waits\n\n" + table)
    return 0 if all(s <= budget for _, s, budget in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
