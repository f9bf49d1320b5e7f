"""Build the wrong-answer and hostile submissions the grader tests use.

    python tests/grader_fixtures/build.py        # rewrite the fixtures from exercises/ + solutions/

Each fixture is what a learner would hand in: the generated exercise notebook with some answer
cells filled in (correctly, with a typical misconception, or with something hostile), and
sometimes a locked cell tampered with.  ``EXPECTED`` says what the grader must report for each;
``tests/test_grader_cli.py`` checks exactly that, and also that these files equal a fresh build.
Layout: ``<set>/<student>/<NN_topic>.ipynb`` — the folder is the student, as in nbgrader.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

from grader.generate import render  # noqa: E402
from grader.notebook import SOLUTION_BEGIN, SOLUTION_END, grade_id  # noqa: E402


def _solution_answer(solution, gid: str) -> str:
    """The solution's answer cell as a learner would write it (markers removed)."""
    cell = next(c for c in solution.cells if grade_id(c) == gid)
    lines = [ln for ln in cell.source.splitlines() if SOLUTION_BEGIN not in ln and SOLUTION_END not in ln]
    return "\n".join(lines)


def submission(topic: str, answers: dict[str, str] | None = None, solve_rest: bool = True, tamper=None):
    """The exercise ``topic`` with answers filled in.

    ``answers`` maps answer-cell grade_ids to the learner's code; with ``solve_rest`` every
    other answer cell gets the correct solution.  ``tamper(nb)`` may edit anything else.
    """
    exercise = nbformat.read(ROOT / "exercises" / f"{topic}.ipynb", as_version=4)
    solution = nbformat.read(ROOT / "solutions" / f"{topic}.ipynb", as_version=4)
    answers = answers or {}
    for cell in exercise.cells:
        gid = grade_id(cell)
        if gid in answers:
            cell.source = answers[gid]
        elif gid and gid.endswith("_answer") and solve_rest:
            cell.source = _solution_answer(solution, gid)
    if tamper:
        tamper(exercise)
    return exercise


# --------------------------------------------------------------------------- wrong answers

WRONG = {
    "wrong/ada/01_chain_rule.ipynb": lambda: submission(
        "01_chain_rule",
        {
            "l01_central_difference_answer": "def central_difference(f, x, h=1e-5):\n    return (f(x + h) - f(x)) / h",
            "l01_chain_rule_answer": "slope_at_1 = 3 * (1**2 + 3) ** 2\nslope_at_2 = 3 * (2**2 + 3) ** 2\n"
            "x = minigrad.tensor(2.0, requires_grad=True)\ny = (x**2 + 3) ** 3\ny.backward()\n"
            "minigrad_slope_at_2 = x.grad.item()",
            "l01_best_h_answer": "best_h = 1e-12",
        },
    ),
    "wrong/ben/05_engine.ipynb": lambda: submission(
        "05_engine",
        {
            "l05_topo_sort_answer": (
                "def topo_sort(out):\n"
                "    order, seen = [], set()\n"
                "    def visit(node):\n"
                "        if id(node) in seen:\n"
                "            return\n"
                "        seen.add(id(node))\n"
                "        for inp in node.inputs:\n"
                "            visit(inp)\n"
                "        order.append(node)\n"
                "    visit(out)\n"
                "    return order[::-1]"
            ),
            "l05_engine_bug_answer": (
                "def backprop(out):\n"
                "    grads = {id(out): 1.0}\n"
                "    nodes = sorted(all_nodes(out), key=lambda n: -n.seq)\n"
                "    for node in nodes:\n"
                "        g = grads.get(id(node), 0.0)\n"
                "        for inp, local in zip(node.inputs, node.local_grads):\n"
                "            grads[id(inp)] = g * local\n"
                "    return {n.name: grads.get(id(n), 0.0) for n in nodes}"
            ),
        },
    ),
    "wrong/cleo/06_accumulation.ipynb": lambda: submission(
        "06_accumulation",
        {
            "l06_zeroing_answer": (
                "def grads_per_step(x_value, steps):\n"
                "    x = minigrad.tensor(x_value, requires_grad=True)\n"
                "    seen = []\n"
                "    for _ in range(steps):\n"
                "        (x**2).backward()\n"
                "        seen.append(x.grad.item())\n"
                "    return seen"
            ),
            "l06_micro_batches_answer": (
                "def accumulated_gradient(w_value, xs, ys, n_micro):\n"
                "    w = minigrad.tensor(w_value, requires_grad=True)\n"
                "    size = len(xs) // n_micro\n"
                "    for k in range(n_micro):\n"
                "        x = minigrad.tensor(xs[k * size:(k + 1) * size])\n"
                "        y = minigrad.tensor(ys[k * size:(k + 1) * size])\n"
                "        ((w * x - y) ** 2).mean().backward()\n"
                "    return w.grad.item()"
            ),
        },
    ),
    "wrong/dan/04_leaf_tensors.ipynb": lambda: submission(
        "04_leaf_tensors",
        {
            "l04_predict_answer": (
                'predictions = {"a": (True, True), "b": (True, False), "c": (True, True),\n'
                '               "d": (True, False), "e": (True, False), "w": (False, True)}'
            ),
            "l04_retain_grad_answer": (
                "x = minigrad.tensor(1.0, requires_grad=True)\ny = x * 3\nz = y**2\nz.backward()\n"
                "y_grad = y.grad\nx_grad = x.grad.item()"
            ),
        },
    ),
}

# --------------------------------------------------------------------------- hostile


def _rename_check(nb):
    """Rename one check cell's grade_id and replace its code by a fake success message;
    delete another check cell altogether."""
    for cell in nb.cells:
        if grade_id(cell) == "l01_central_difference":
            cell.metadata.nbgrader["grade_id"] = "l01_central_difference_renamed"
            cell.source = 'print("✓ l01_central_difference: 2/2 points")'
    nb.cells = [c for c in nb.cells if grade_id(c) != "l01_chain_rule"]


def _fake_task(nb):
    """Replace grader.Task everywhere by a fake that claims success, and try to read the
    expected values out of the check cells with an input transformer."""
    code = (
        "import sys, re, grader\n"
        "class FakeTask:\n"
        "    def __init__(self, gid, points):\n"
        "        self.gid = gid\n"
        "    def check(self, label, answer, **kw):\n"
        "        from grader import checks\n"
        "        checks._emit({'task': self.gid, 'label': label, 'got': kw.get('expected', 14.0)})\n"
        "        print('✓', label)\n"
        "    def done(self):\n"
        "        print('✓ all points')\n"
        "grader.Task = FakeTask\n"
        "sys.modules['grader'].Task = FakeTask\n"
        "Task = FakeTask\n"
        "def steal(lines):\n"
        "    src = ''.join(lines)\n"
        "    m = re.search(r'expected=([^,)]+)', src)\n"
        "    return [f'STOLEN = {m.group(1)!r}\\n'] + lines if m else lines\n"
        "get_ipython().input_transformers_cleanup.append(steal)\n"
    )
    for i, cell in enumerate(nb.cells):
        if grade_id(cell) == "l01_setup":
            fake = nbformat.v4.new_code_cell(code)
            fake.id = "fake-task"  # fixed, so the fixture rebuilds identically
            nb.cells.insert(i + 1, fake)
            break


HOSTILE_FILES = r"""
import glob, os, pathlib
import minigrad
stolen = None
repo_guesses = [pathlib.Path(minigrad.__file__).resolve().parent.parent, pathlib.Path("/work/main"),
                pathlib.Path.cwd().parent, pathlib.Path("..")]
for repo in repo_guesses:
    try:
        stolen = (repo / "solutions" / "01_chain_rule.ipynb").read_text()
        break
    except OSError:
        pass
# Try to vandalise every notebook it can find, and to leave a file behind on the host.
for root in ["/work", "/home", "/root", "/tmp", "/srv", "/opt", "/mnt"]:
    for path in glob.glob(root + "/**/*.ipynb", recursive=True)[:200]:
        try:
            with open(path, "a") as f:
                f.write("PWNED")
        except OSError:
            pass
for target in ["/tmp/grader-hostile-canary", "/work/main/solutions/PWNED.txt"]:
    try:
        pathlib.Path(target).write_text("PWNED")
    except OSError:
        pass
if stolen is None:
    raise PermissionError("could not read the solutions")
exec(compile(__import__("json").loads(stolen)["cells"][4]["source"], "stolen", "exec"))
"""

HOSTILE = {
    # endless loop in task 2; tasks 1, 3, 4 correct
    "hostile/loop/01_chain_rule.ipynb": lambda: submission(
        "01_chain_rule",
        {
            "l01_chain_rule_answer": "while True:\n    pass",
        },
    ),
    # a loop that swallows interrupts: the kernel must be killed and the notebook replayed
    "hostile/stubborn/01_chain_rule.ipynb": lambda: submission(
        "01_chain_rule",
        {
            "l01_error_slopes_answer": (
                "import time\nwhile True:\n    try:\n        time.sleep(0.05)\n"
                "    except KeyboardInterrupt:\n        pass"
            ),
        },
    ),
    "hostile/exception/01_chain_rule.ipynb": lambda: submission(
        "01_chain_rule",
        {
            "l01_central_difference_answer": 'raise ValueError("I give up")',
        },
    ),
    "hostile/exit/01_chain_rule.ipynb": lambda: submission(
        "01_chain_rule",
        {
            "l01_chain_rule_answer": "import os\nos._exit(3)",
        },
    ),
    "hostile/memory/01_chain_rule.ipynb": lambda: submission(
        "01_chain_rule",
        {
            "l01_chain_rule_answer": "hog = []\nwhile True:\n    hog.append(bytearray(50 * 2**20))",
        },
    ),
    "hostile/flood/01_chain_rule.ipynb": lambda: submission(
        "01_chain_rule",
        {
            "l01_best_h_answer": (
                'print("x" * 5_000_000)\nfor i in range(5_000):\n    print("flood", i)\nbest_h = 1e-5'
            ),
        },
    ),
    "hostile/fake_task/01_chain_rule.ipynb": lambda: submission(
        "01_chain_rule", solve_rest=False, tamper=_fake_task
    ),
    "hostile/monkeypatch/07_custom_functions.ipynb": lambda: submission(
        "07_custom_functions",
        {
            "l07_softmax_answer": (
                "import minigrad.autograd\n"
                "minigrad.autograd.gradcheck = lambda *a, **k: True\n"
                "gradcheck = minigrad.autograd.gradcheck\n"
                "minigrad.Tensor.backward_original = minigrad.Tensor.backward\n"
                "class MySoftmax(Function):\n"
                "    @staticmethod\n"
                "    def forward(ctx, x):\n"
                "        e = (x - x.max()).exp()\n"
                "        return e / e.sum()\n"
                "    @staticmethod\n"
                "    def backward(ctx, grad_output):\n"
                "        return grad_output"
            ),
        },
    ),
    "hostile/renamed/01_chain_rule.ipynb": lambda: submission(
        "01_chain_rule",
        {
            "l01_central_difference_answer": "def central_difference(f, x, h=1e-5):\n    return 14.0",
        },
        tamper=_rename_check,
    ),
    "hostile/files/01_chain_rule.ipynb": lambda: submission(
        "01_chain_rule",
        {
            "l01_central_difference_answer": HOSTILE_FILES,
        },
    ),
    "hostile/wrong_exercise/01_chain_rule.ipynb": lambda: submission("02_graphs"),
}

RAW = {
    "hostile/malformed/01_chain_rule.ipynb": '{"cells": [{"cell_type": "code", "source": ',
    "hostile/not_a_notebook/02_graphs.ipynb": json.dumps({"hello": "world"}),
}


def build(dest: Path) -> list[Path]:
    """Write every fixture under ``dest``; return the paths written."""
    written = []
    for rel, make in {**WRONG, **HOSTILE}.items():
        path = dest / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(make()), encoding="utf-8")
        written.append(path)
    for rel, text in RAW.items():
        path = dest / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for p in build(HERE):
        print("wrote", p.relative_to(ROOT))
