"""Run the lessons on PyTorch and compare what they print with their stored (minigrad) outputs.

Every lesson's reset cell says it: with ``import torch`` instead of ``import minigrad as torch``, the
code runs on PyTorch and prints the same. This tool checks the claim, cell by cell. Run it with a
Python that has torch and a Jupyter kernel (``.venv-bench``, as ``make bench`` and
``tools/record_golden.py`` use), from the repository's root:

    .venv-bench/bin/python tools/lessons_on_torch.py                      # every lesson
    .venv-bench/bin/python tools/lessons_on_torch.py notebooks/08_*.ipynb # some

How a lesson is run: every ``minigrad`` in the code becomes ``torch`` (``import minigrad as torch``
becomes ``import torch``, ``from minigrad.autograd import Function`` becomes PyTorch's), except
the course's own tools, which have no PyTorch counterpart: ``minigrad.viz`` and the engine's
``iter_backward`` stay minigrad's. Cells whose first line starts with ``# minigrad only`` (in the
Chinese twins ``# 仅 minigrad``) are not
run; in cells that use a course tool (``viz.``, ``iter_backward(``) the statements that use it are
left out and the printout is not compared. The notebook runs top to bottom in a fresh kernel.
Then, for every cell that ran, its printed text and its ``text/plain`` results are compared with
the stored ones after two rewrites that README.md lists as deliberate differences: ``minigrad``
reads ``torch``, and graph nodes' memory addresses (``<MulBackward0 object at 0x…>``, or
``<MulBackward0 at 0x…>`` as IPython displays them inside a tuple) read ``<MulBackward0 object>``. Pictures
(PNG) and widgets are not compared. A cell whose output differs, or that raises on PyTorch where
minigrad did not, is printed with both texts; the exit status is 1 if there is any.

A difference is not always a bug of minigrad's: random numbers differ between the two libraries
for the same seed (README), and a cell that uses minigrad-only helpers should say so on its first
line. Not part of the tests (torch is never a dependency of the course); run it when a lesson
changes and say in the commit what it found.
"""

import ast
import difflib
import os
import re
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
#: The first comment of a cell PyTorch cannot run (and its form in the Chinese twins).
MINIGRAD_ONLY = ("# minigrad only", "# 仅 minigrad")
#: Course tools with no PyTorch counterpart: a cell that uses one is minigrad-only.
COURSE_TOOLS = re.compile(r"\bviz\.|\biter_backward\(")
#: ``minigrad`` as a name, unless it names a course tool (minigrad.viz, minigrad.autograd.engine).
LIBRARY_NAME = re.compile(r"\bminigrad\b(?!\.viz\b|\.autograd\.engine\b| import viz\b)")
ADDRESS = re.compile(r"(?: object)? at 0x[0-9a-fA-F]+>")


def normalise(text):
    """The text as PyTorch would print it if minigrad's printouts were right."""
    # IPython's pretty printer shows an object without a repr of its own as <Name at 0x…>
    text = ADDRESS.sub(" object>", text.replace("minigrad", "torch"))
    # manual_seed returns PyTorch's generator, shown when it ends a cell; minigrad's returns None (its
    # random numbers come from numpy's generator: README, "Where minigrad knowingly differs")
    return text.replace("<torch._C.Generator object>\n", "").rstrip()


def printed(cell):
    """What a learner reads under a code cell: its streams, results and errors, in order."""
    text = ""
    for out in cell.get("outputs", []):
        if out.output_type == "stream":
            text += out.text  # one print may arrive in several pieces
            continue
        if out.output_type in ("execute_result", "display_data"):
            data = out.get("data", {})
            if "application/vnd.jupyter.widget-view+json" in data or "image/png" in data:
                continue
            part = data.get("text/plain", "")
        elif out.output_type == "error":
            part = f"{out.ename}: {out.evalue}"
        else:
            continue
        text += ("\n" if text and not text.endswith("\n") else "") + part + "\n"
    return text


def on_torch(cell):
    """The cell's source as it runs on PyTorch and whether its printout is compared; None for a
    minigrad-only cell.

    A cell that builds tensors and then shows them with a course tool (``viz.draw(L)`` on its last
    line) runs without the statements that use the tool, as a learner on PyTorch would run it, so that
    later cells find its tensors; its printout (the tool's) is not compared.
    """
    if cell.source.lstrip().startswith(MINIGRAD_ONLY):
        return None
    source = cell.source.replace("import minigrad as torch", "import torch")
    source = LIBRARY_NAME.sub("torch", source)
    if not COURSE_TOOLS.search(source):
        return source, True
    try:
        tree = ast.parse(source)
    except SyntaxError:  # IPython syntax (%magic): not run
        return None
    lines = source.splitlines(keepends=True)
    kept = [
        "".join(lines[node.lineno - 1 : node.end_lineno])
        for node in tree.body
        if not COURSE_TOOLS.search(ast.get_source_segment(source, node))
    ]
    return ("".join(kept) or "pass"), False


def check(path):
    """Run one lesson on PyTorch; return the list of (cell index, stored, on torch) that differ."""
    stored = nbformat.read(path, as_version=4)
    run = nbformat.read(path, as_version=4)
    skipped = set()
    for i, cell in enumerate(run.cells):
        if cell.cell_type != "code":
            continue
        torch_cell = on_torch(cell)
        if torch_cell is None:
            skipped.add(i)
            cell.source = "pass"
        else:
            cell.source, compared = torch_cell
            if not compared:
                skipped.add(i)
        cell.outputs = []
    env = dict(os.environ, PYTHONPATH=f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}")
    client = NotebookClient(
        run,
        timeout=120,
        allow_errors=True,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.km = client.create_kernel_manager()
    client.start_new_kernel(env=env)
    client.start_new_kernel_client()
    try:
        for i, cell in enumerate(run.cells):
            if cell.cell_type == "code":
                client.execute_cell(cell, i)
    finally:
        client._cleanup_kernel()
    differ = []
    for i, (mine, theirs) in enumerate(zip(stored.cells, run.cells, strict=True)):
        if mine.cell_type != "code" or i in skipped:
            continue
        a, b = normalise(printed(mine)), normalise(printed(theirs))
        if a != b:
            differ.append((i, a, b))
    return differ, len(skipped)


def main(paths):
    paths = [Path(p) for p in paths] or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    bad = 0
    for path in paths:
        differ, skipped = check(path)
        print(
            f"{path.name}: {len(differ)} cell(s) differ on PyTorch, {skipped} with course tools not compared"
        )
        for i, a, b in differ:
            bad += 1
            print(f"  cell {i}:")
            for line in difflib.unified_diff(
                a.splitlines(), b.splitlines(), "minigrad", "torch", lineterm="", n=1
            ):
                print("    " + line)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
