"""Exercises 09: the likely wrong answers get the hint that names their mistake (learner mode, no kernel)."""

import pytest
from test_grader_notebooks import load_fixture_builder, run_in_process

NAME = "09_matrix_calculus"


def feedback(answers):
    return run_in_process(load_fixture_builder().submission(NAME, answers))


def linear(dX, dW, db):
    return {"l09_linear_backward_answer": f"def linear_backward(X, W, b, dY):\n    return {dX}, {dW}, {db}"}


@pytest.mark.parametrize(
    "answer, hint",
    [
        (linear("dY @ W.T", "W @ dY", "dY.sum(dim=0)"), "only Xᵀ dY, (3, 4) @ (4, 2), has it"),
        (linear("dY @ W.T", "dY.T @ X", "dY.sum(dim=0)"), "dYᵀ X is the gradient of nn.Linear's weight"),
        (linear("dY @ W.T", "X.T @ dY", "dY.sum(dim=1)"), "db was summed over the wrong axis"),
        (linear("dY @ W.T", "X.T @ dY", "dY"), "db still has the batch axis"),
        (linear("dY @ W.T", "X.T @ dY", "dY.sum(dim=0, keepdim=True)"), "db kept the batch axis as size 1"),
    ],
    ids=["W_dY", "transposed_dW", "db_wrong_axis", "db_not_summed", "db_keepdim"],
)
def test_linear_backward_mistakes_get_their_hint(answer, hint):
    text = feedback(answer)
    assert "✗ l09_linear_backward: 0/4" in text
    assert hint in text


# (4, 3) -> (3,) is checked first, then (2, 4, 3) -> (4, 1); each body gets the first one right or
# wrong as its mistake would
@pytest.mark.parametrize(
    "body, hint",
    [
        (
            "return grad.sum(dim=(0, 2)) if len(shape) == 2 else grad.sum(dim=0)",
            "the size-1 axis must stay, sum it with keepdim=True",
        ),
        (
            "return grad.sum(dim=(0, 2), keepdim=True) if len(shape) == 2 else grad.sum(dim=0)",
            "the axis broadcasting added in front must disappear",
        ),
        ("return grad.mean(dim=0)", "That is the mean"),
        ("return grad.sum(dim=-1)", "You summed each row (dim=1)"),
    ],
    ids=["forgot_keepdim", "kept_added_axis", "mean", "wrong_axis"],
)
def test_unbroadcast_mistakes_get_their_hint(body, hint):
    text = feedback({"l09_unbroadcast_answer": f"def unbroadcast(grad, shape):\n    {body}"})
    assert "✗ l09_unbroadcast: 0/3" in text
    assert hint in text


def test_weight_grad_of_the_untransposed_formula_gets_the_transpose_hint():
    text = feedback({"l09_weight_grad_answer": "def weight_grad(X, dY):\n    return X.T @ dY"})
    assert "✗ l09_weight_grad: 0/2" in text and "(Xᵀ dY)ᵀ = dYᵀ X" in text


def test_the_solutions_earn_every_point():
    text = feedback({})
    for task, points in [("l09_linear_backward", 4), ("l09_unbroadcast", 3), ("l09_weight_grad", 2)]:
        assert f"✓ {task}: {points}/{points} points" in text
