"""viz.GradientTable and viz.compare_gradients: hand-written gradients beside autograd's."""

import numpy as np
import pytest

import minigrad
from minigrad import viz
from minigrad.viz.compare import diagnose, relative_error


def linear_example():
    """A linear layer with a mean-squared loss; returns the leaves, autograd's gradients and dz."""
    rng = np.random.default_rng(0)
    X = minigrad.tensor(rng.standard_normal((4, 3)))
    W = minigrad.tensor(rng.standard_normal((3, 2)), requires_grad=True)
    b = minigrad.tensor(rng.standard_normal(2), requires_grad=True)
    z = X @ W + b
    (z**2).mean().backward()
    dz = 2 * z.detach() / z.numel()
    return X, W, b, dz


def test_correct_formulas_match_and_every_row_says_so_in_words():
    X, W, b, dz = linear_example()
    rows = viz.compare_gradients({"W": X.T @ dz, "b": dz.sum(0)}, {"W": W.grad, "b": b.grad})
    assert [(r.name, r.ok, r.verdict) for r in rows] == [("W", True, "✓ match"), ("b", True, "✓ match")]
    assert all(r.max_abs_diff <= 1e-15 and r.rel_error <= 1e-15 for r in rows)
    assert rows[0].hand_shape == rows[0].auto_shape == (3, 2)


def test_a_missing_one_over_n_is_named_as_a_constant_factor():
    X, W, b, dz = linear_example()
    (row,) = viz.compare_gradients({"W": X.T @ dz * 4}, {"W": W.grad})
    assert not row.ok and row.note == "every entry is 4 × autograd's"


def test_a_transposed_gradient_is_named_as_such():
    X, W, b, dz = linear_example()
    (row,) = viz.compare_gradients({"W": dz.T @ X}, {"W": W.grad})
    assert not row.ok and row.max_abs_diff is None
    assert (row.hand_shape, row.auto_shape, row.note) == (
        (2, 3),
        (3, 2),
        "transposed: yours is autograd's .T",
    )


def test_a_bias_gradient_not_summed_over_the_batch_is_named_as_such():
    X, W, b, dz = linear_example()
    (row,) = viz.compare_gradients({"b": dz}, {"b": b.grad})
    assert not row.ok and "not reduced over the batch" in row.note


def test_a_mean_where_a_sum_belongs_shows_as_one_over_n():
    X, W, b, dz = linear_example()
    (row,) = viz.compare_gradients({"b": dz.mean(0)}, {"b": b.grad})
    assert row.note == "every entry is 0.25 × autograd's"


def test_a_small_difference_above_the_tolerance_fails():
    X, W, b, dz = linear_example()
    (row,) = viz.compare_gradients({"b": dz.sum(0) + 1e-8}, {"b": b.grad})
    assert not row.ok and row.max_abs_diff == pytest.approx(1e-8)


def test_a_missing_gradient_is_a_row_that_differs():
    (row,) = viz.compare_gradients({"W": minigrad.ones(2)}, {"W": None})
    assert not row.ok and row.note == "no gradient (None) from autograd"


def test_a_name_without_an_autograd_gradient_is_an_error():
    with pytest.raises(KeyError, match="no autograd gradient given for W"):
        viz.compare_gradients({"W": minigrad.ones(2)}, {})


def test_relative_error_is_cs231n_elementwise_maximum():
    assert relative_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert relative_error([1.0, 0.0], [3.0, 0.0]) == pytest.approx(0.5)  # |1-3| / (1+3)
    assert relative_error([0.0], [1e-12]) == pytest.approx(1e-4)  # denominator floored at 1e-8


def test_diagnose_says_nothing_about_matching_arrays():
    a = np.arange(6.0).reshape(2, 3)
    assert diagnose(a, a.copy()) == ""


def test_table_has_one_frame_per_row_plus_the_whole_table_and_opens_on_the_whole_table():
    X, W, b, dz = linear_example()
    t = viz.GradientTable(
        {"W": X.T @ dz, "b": dz}, {"W": W.grad, "b": b.grad}, formulas={"W": "dW = X.T @ dz"}
    )
    assert len(t.stack.children) == len(t.frames) == 3
    assert t.stack.selected_index == t.slider.value == t.play.value == 2
    assert not t.all_match
    assert repr(t) == "GradientTable(1 of 2 tensors match autograd within 1e-09)"
    assert t.stack.children[0].value.count("not checked yet") == 2  # frame 0: no row shown yet
    first = t.stack.children[1].value
    assert "Row 1 of 2: <code>dW = X.T @ dz</code>" in first and first.count("not checked yet") == 1
    assert "1 of 2 tensors match" in t.stack.children[2].value


def test_table_steps_in_the_browser_through_jslinks_and_has_no_kernel_buttons():
    import ipywidgets as widgets

    X, W, b, dz = linear_example()
    t = viz.GradientTable({"W": X.T @ dz}, {"W": W.grad})
    pairs = {((ln.source[0], ln.source[1]), (ln.target[0], ln.target[1])) for ln in t.links}
    assert pairs == {
        ((t.play, "value"), (t.slider, "value")),
        ((t.slider, "value"), (t.stack, "selected_index")),
    }
    assert all(type(ln).__name__ == "Link" for ln in t.links)  # jslink, not a kernel-side link

    def walk(w):
        yield w
        for child in getattr(w, "children", ()):
            yield from walk(child)

    assert not [w for w in walk(t) if isinstance(w, widgets.Button)]


def test_every_verdict_is_written_in_text_not_only_in_colour():
    X, W, b, dz = linear_example()
    t = viz.GradientTable({"W": X.T @ dz, "b": dz}, {"W": W.grad, "b": b.grad})
    whole = t.frames[-1]
    assert "✓ match" in whole and "✗ differs" in whole


def test_text_table_shows_verdicts_not_machine_dependent_digits():
    X, W, b, dz = linear_example()
    t = viz.GradientTable({"W": X.T @ dz, "b": dz.sum(0) * 2}, {"W": W.grad, "b": b.grad})
    assert t.text().splitlines() == [
        "tensor  shape         verdict (tolerance 1e-09)",
        "W       (3, 2)        ✓ match",
        "b       (2,)          ✗ differs  (every entry is 2 × autograd's)",
    ]


def test_works_with_numpy_arrays_too():
    (row,) = viz.compare_gradients({"a": np.ones((2, 2))}, {"a": np.ones((2, 2))})
    assert row.ok


def test_a_transposed_gradient_that_is_also_scaled_says_both():
    X, W, b, dz = linear_example()
    (row,) = viz.compare_gradients({"W": (X.T @ dz * 4).T}, {"W": W.grad})
    assert row.note == "transposed, and yours.T is 4 × autograd's"


def test_a_wrong_sign_is_named():
    X, W, b, dz = linear_example()
    (row,) = viz.compare_gradients({"W": -(X.T @ dz)}, {"W": W.grad})
    assert row.note == "every entry is −1 × autograd's (wrong sign)"


def test_an_unrecognised_difference_counts_the_wrong_entries():
    (row,) = viz.compare_gradients({"a": np.array([1.0, 2.0, 3.0])}, {"a": np.array([1.0, 2.0, 4.0])})
    assert row.note == "1 of 3 entries differ"
