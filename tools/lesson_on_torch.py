"""Run a lesson's PyTorch-compatible cells on PyTorch and compare their printouts with the stored ones.

    PYTHONPATH=$PWD .venv-bench/bin/python tools/lesson_on_torch.py notebooks/13_capstone.ipynb \
        [--then 'print(something)']

Every lesson says "with `import torch` instead, the printouts are the same". This checks it: the code
cells are run in order in one namespace, in this (PyTorch) interpreter, with ``import minigrad as
torch`` replaced by ``import torch``; cells whose code starts with ``# minigrad only`` are skipped, and
so are IPython magics (``%...``) and the figures' ``plt.show()``. Each cell's printed text is compared
with the ``stream`` outputs stored in the notebook (as the lessons' convention asks, PyTorch's names
``torch.float64`` are read as ``minigrad.float64``). ``--then CODE`` runs CODE in the namespace
afterwards, to measure something on PyTorch. Exit status 1 when any printout differs.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import io
import re
import sys

import nbformat


def torch_source(source: str) -> str:
    lines = []
    for line in source.splitlines():
        if line.lstrip().startswith("%"):
            continue
        lines.append(re.sub(r"^import minigrad as torch\b", "import torch", line))
    return "\n".join(lines)


def stored_text(cell) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook")
    parser.add_argument("--then", default="", help="code to run in the lesson's namespace afterwards")
    args = parser.parse_args(argv)

    import matplotlib

    matplotlib.use("Agg")
    import torch

    nb = nbformat.read(args.notebook, as_version=4)
    namespace: dict = {"__name__": "__lesson__"}
    compared = differing = skipped = 0
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if cell.source.lstrip().startswith("# minigrad only"):
            skipped += 1
            continue
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(torch_source(cell.source), f"<cell {i}>", "exec"), namespace)
        got = re.sub(r"\btorch\.(float\d+|int\d+|bool|Size)\b", r"minigrad.\1", out.getvalue())
        want = stored_text(cell)
        compared += 1
        if got != want:
            differing += 1
            print(f"cell {i}: the printout differs on PyTorch")
            sys.stdout.writelines(
                difflib.unified_diff(want.splitlines(True), got.splitlines(True), "minigrad", "torch")
            )
    print(
        f"PyTorch {torch.__version__}: {compared} cells compared, {differing} differ, "
        f"{skipped} minigrad-only skipped"
    )
    if args.then:
        exec(args.then, namespace)
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
