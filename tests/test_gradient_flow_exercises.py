"""Exercises 11 (gradient flow): the answer key is what the library does, and each typical wrong
answer loses the points with the hint written for it. Runs the notebooks' cells in this process
(no kernel), as "Run All" would."""

import contextlib
import io
import re
from pathlib import Path

import nbformat

from grader.notebook import grade_id
from minigrad.viz.versions import run_timeline

ROOT = Path(__file__).resolve().parent.parent
SOLUTION = ROOT / "solutions" / "11_gradient_flow.ipynb"


def solution_with(answers):
    """The solution notebook with some answer cells replaced (hidden tests stay in)."""
    nb = nbformat.read(SOLUTION, as_version=4)
    for cell in nb.cells:
        if grade_id(cell) in answers:
            cell.source = answers[grade_id(cell)]
    return nb


def run(nb):
    out = io.StringIO()
    namespace: dict = {}
    with contextlib.redirect_stdout(out):
        for cell in nb.cells:
            if cell.cell_type == "code":
                exec(compile(cell.source, "<cell>", "exec"), namespace)
    return out.getvalue()


def snippets():
    """The four snippets of task 1, as the learner reads them (comments removed)."""
    task = next(c.source for c in nbformat.read(SOLUTION, as_version=4).cells if "## Task 1" in c.source)
    found = re.findall(r"\*\*([A-D])\*\*[^\n]*\n```python\n(.*?)```", task, re.S)
    return {name: re.sub(r" *# line \d+", "", body) for name, body in found}


def test_the_answer_key_is_what_the_four_snippets_really_do():
    namespace: dict = {}
    answer = next(
        c for c in nbformat.read(SOLUTION, as_version=4).cells if grade_id(c) == "l11_predict_answer"
    )
    exec(answer.source, namespace)
    found = snippets()
    assert sorted(found) == ["A", "B", "C", "D"]
    for name, body in found.items():
        _, steps = run_timeline(body)
        raised = steps[-1].error is not None
        assert namespace["predictions"][name] == ("raise" if raised else "OK"), name
        if raised:
            assert namespace["raising_lines"][name] == steps[-1].lines[0], name
    assert sorted(namespace["raising_lines"]) == [
        n for n, b in sorted(found.items()) if run_timeline(b)[1][-1].error
    ]


def test_the_seed_fix_predicted_ok_earns_nothing_and_hears_that_detach_copies_nothing():
    text = run(
        solution_with(
            {
                "l11_predict_answer": (
                    'predictions = {"A": "OK", "B": "OK", "C": "raise", "D": "OK"}\nraising_lines = {"C": 4}'
                )
            }
        )
    )
    assert "x.detach() copies nothing" in text
    assert "✗ l11_predict: 0/3 points" in text


def test_right_outcomes_with_the_wrong_line_lose_the_points_in_the_hidden_checks():
    text = run(
        solution_with(
            {
                "l11_predict_answer": (
                    'predictions = {"A": "raise", "B": "OK", "C": "raise", "D": "OK"}\nraising_lines = {"A": 3, "C": 4}'
                )
            }
        )
    )
    assert "✓ A: got 'raise'" in text
    assert "✗ line that raises in A" in text and "the error comes when backward unpacks the saved x" in text
    assert "✗ l11_predict: 0/3 points" in text


def test_raise_everywhere_is_not_a_winning_guess():
    text = run(
        solution_with(
            {
                "l11_predict_answer": (
                    'predictions = dict.fromkeys("ABCD", "raise")\nraising_lines = dict.fromkeys("ABCD", 4)'
                )
            }
        )
    )
    assert "no node saved y" in text and "still 1 at backward" in text
    assert "✗ l11_predict: 0/3 points" in text


def test_differentiating_through_the_square_gets_the_detach_hint():
    text = run(
        solution_with(
            {
                "l11_detach_answer": (
                    "def stop_gradient_grad(values):\n    x = torch.tensor(values, requires_grad=True)\n"
                    "    (x * x ** 2).sum().backward()\n    return x.grad.tolist()"
                )
            }
        )
    )
    assert "the gradient also flowed through x²" in text and "✗ l11_detach: 0/2 points" in text


def test_an_update_through_data_is_caught_by_the_version_counter():
    text = run(solution_with({"l11_sgd_step_answer": ("def sgd_step(w, lr):\n    w.data -= lr * w.grad")}))
    assert "✓ new values of [1, -2] with lr 0.25" in text  # the values are right...
    assert "its version counter did not move" in text  # ...but autograd was not told
    assert "✗ l11_sgd_step: 0/2 points" in text


def test_rebinding_w_inside_the_function_changes_nothing_and_says_so():
    text = run(solution_with({"l11_sgd_step_answer": ("def sgd_step(w, lr):\n    w = w - lr * w.grad")}))
    assert "makes a new tensor and leaves the caller's w alone" in text
    assert "✗ l11_sgd_step: 0/2 points" in text


def test_in_place_on_the_leaf_without_no_grad_reports_the_error_and_the_rule():
    text = run(solution_with({"l11_sgd_step_answer": "def sgd_step(w, lr):\n    w -= lr * w.grad"}))
    assert "a leaf Variable that requires grad is being used in an in-place operation." in text
    assert "do it inside `with torch.no_grad():`, as optimizers do" in text
