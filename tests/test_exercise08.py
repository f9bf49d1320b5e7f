"""Exercise 08 (vector–Jacobian products): its four tasks, and the feedback a learner gets for the
likely wrong answers (no kernels: cells run in-process). The conventions every exercise shares
(generation, correct answers earn every point, untouched ones none) are in test_grader_notebooks.py.
"""

import contextlib
import importlib.util
import io
from pathlib import Path

import nbformat

from grader.notebook import HIDDEN_BEGIN, HIDDEN_END, lint_solution, tasks

ROOT = Path(__file__).resolve().parent.parent
NAME = "08_vector_jacobian"
SOLUTION = ROOT / "solutions" / f"{NAME}.ipynb"
EXERCISE = ROOT / "exercises" / f"{NAME}.ipynb"


def read(path):
    return nbformat.read(path, as_version=4)


def builder():
    path = ROOT / "tests" / "grader_fixtures" / "build.py"
    spec = importlib.util.spec_from_file_location("grader_fixtures_build", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_in_process(nb) -> str:
    """Run the code cells in one namespace, as "Run All" would; return what they printed."""
    out = io.StringIO()
    namespace: dict = {}
    with contextlib.redirect_stdout(out):
        for cell in nb.cells:
            if cell.cell_type == "code":
                try:
                    exec(compile(cell.source, "<cell>", "exec"), namespace)
                except NotImplementedError:
                    pass
    return out.getvalue()


def submitted(answers):
    return run_in_process(builder().submission(NAME, answers))


def test_solution_follows_the_conventions():
    nb = read(SOLUTION)
    assert lint_solution(nb) == []
    assert [t.grade_id for t in tasks(nb)] == ["l08_vjp", "l08_grad_tensors", "l08_predict", "l08_jacobian"]


def test_hidden_checks_do_not_reach_the_exercise():
    text = EXERCISE.read_text(encoding="utf-8")
    hidden = [
        c.source.split(HIDDEN_BEGIN)[1].split(HIDDEN_END)[0]
        for c in read(SOLUTION).cells
        if HIDDEN_BEGIN in c.source
    ]
    assert len(hidden) == 3
    assert "sin(x) · Σx" in hidden[2] and "sin(x) · Σx" not in text
    assert "HIDDEN TESTS" not in text and "BEGIN SOLUTION" not in text


def test_vjp_ignoring_v_gets_the_sum_hint():
    text = submitted(
        {
            "l08_vjp_answer": (
                "def vjp(f, x_values, v_values):\n"
                "    x = minigrad.tensor(x_values, dtype=minigrad.float64, requires_grad=True)\n"
                "    f(x).sum().backward()\n"
                "    return x.grad"
            )
        }
    )
    assert "the gradient of y.sum() (v = ones)" in text
    assert "✗ l08_vjp: 0/2 points" in text


def test_grad_tensors_left_out_gets_its_hint():
    text = submitted(
        {
            "l08_grad_tensors_answer": (
                "def combined_gradient(x_values, w1, w2):\n"
                "    x = minigrad.tensor(x_values, dtype=minigrad.float64, requires_grad=True)\n"
                "    minigrad.autograd.backward([(x**2).sum(), (x**3).sum()])\n"
                "    return x.grad"
            )
        }
    )
    assert "The seeds were left out" in text


JACOBIAN_HEAD = (
    "def jacobian_rows(f, x_values):\n"
    "    x = minigrad.tensor(x_values, dtype=minigrad.float64, requires_grad=True)\n"
    "    y = f(x)\n"
    "    m, n = y.numel(), x.numel()\n"
)


def test_jacobian_without_resetting_grad_gets_the_accumulation_hint():
    text = submitted(
        {
            "l08_jacobian_answer": JACOBIAN_HEAD + "    rows = []\n"
            "    for i in range(m):\n"
            "        y.backward(gradient=minigrad.eye(m, dtype=minigrad.float64)[i], retain_graph=True)\n"
            "        rows.append(x.grad.tolist())\n"
            "    return rows"
        }
    )
    assert "x.grad accumulates" in text
    assert "✗ l08_jacobian: 0/3 points" in text


def test_jacobian_with_one_call_per_entry_fails_on_the_call_count():
    text = submitted(
        {
            "l08_jacobian_answer": JACOBIAN_HEAD + "    J = [[0.0] * n for _ in range(m)]\n"
            "    for i in range(m):\n"
            "        for j in range(n):\n"
            "            x.grad = None\n"
            "            y.backward(gradient=minigrad.eye(m, dtype=minigrad.float64)[i], retain_graph=True)\n"
            "            J[i][j] = x.grad[j].item()\n"
            "    return J"
        }
    )
    assert "'backward_calls': 6" in text and "one per entry" in text
    assert "✗ l08_jacobian: 0/3 points" in text


def test_jacobian_transposed_gets_the_rows_and_columns_hint():
    text = submitted(
        {
            "l08_jacobian_answer": JACOBIAN_HEAD + "    rows = []\n"
            "    for i in range(m):\n"
            "        x.grad = None\n"
            "        y.backward(gradient=minigrad.eye(m, dtype=minigrad.float64)[i], retain_graph=True)\n"
            "        rows.append(x.grad.tolist())\n"
            "    return [list(col) for col in zip(*rows)]"
        }
    )
    assert "Rows and columns are swapped" in text


def test_jacobian_without_backward_calls_fails_even_with_the_right_matrix():
    text = submitted(
        {
            "l08_jacobian_answer": (
                "def jacobian_rows(f, x_values):\n"
                "    x = minigrad.tensor(x_values, dtype=minigrad.float64)\n"
                "    h = 1e-6\n"
                "    cols = []\n"
                "    for j in range(x.numel()):\n"
                "        e = minigrad.zeros(x.numel(), dtype=minigrad.float64)\n"
                "        e[j] = h\n"
                "        cols.append(((f(x + e) - f(x - e)) / (2 * h)).tolist())\n"
                "    return [list(r) for r in zip(*cols)]"
            )
        }
    )
    assert "'backward_calls': 0" in text
    assert "✗ l08_jacobian: 0/3 points" in text
