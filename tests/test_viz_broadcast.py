"""The shape aligner and the unbroadcast stepper (minigrad.viz.broadcast), without a browser."""

import numpy as np
import pytest

import minigrad
from minigrad import viz
from minigrad.viz import broadcast


def linear_layer():
    X = minigrad.tensor([[1.0, 2.0], [0.0, -1.0], [2.0, 1.0], [-1.0, 1.0]], dtype=minigrad.float64)
    W = minigrad.tensor([[1.0, 0.0, -1.0], [2.0, 1.0, 1.0]], dtype=minigrad.float64, requires_grad=True)
    b = minigrad.tensor([0.5, -0.5, 1.0], dtype=minigrad.float64, requires_grad=True)
    dY = minigrad.tensor(
        [[1.0, 0.0, 1.0], [0.0, 1.0, 0.0], [1.0, 1.0, -1.0], [2.0, -1.0, 0.0]], dtype=minigrad.float64
    )
    return X, W, b, X @ W + b, dY


# --- shapes ----------------------------------------------------------------------------------------
def test_align_marks_a_size_1_operand_as_stretched_even_beside_a_mismatch():
    assert broadcast.align((4, 3), (1, 4)).roles == [["same", "mismatch"], ["stretched", "mismatch"]]


def test_align_right_aligns_and_names_missing_and_stretched_dimensions():
    a = broadcast.align((2, 4, 3), (4, 1))
    assert a.rows == [[2, 4, 3], [None, 4, 1]]
    assert a.roles[1] == ["missing", "same", "stretched"]
    assert a.result == (2, 4, 3) and a.error is None


def test_align_reports_pytorchs_error_for_shapes_that_do_not_fit():
    a = broadcast.align((4, 3), (4,))
    assert a.result is None
    assert (
        a.error == "The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1"
    )
    assert a.roles[1] == ["missing", "mismatch"]


@pytest.mark.parametrize(
    "grad_shape, shape, expected",
    [
        ((4, 3), (3,), ((0,), ())),
        ((2, 4, 3), (4, 1), ((0,), (2,))),
        ((4, 3), (4, 3), ((), ())),
        ((2, 3), (), ((0, 1), ())),
    ],
)
def test_summed_axes_are_the_added_ones_and_the_stretched_ones(grad_shape, shape, expected):
    assert broadcast.summed_axes(grad_shape, shape) == expected


def test_summed_axes_refuses_shapes_that_are_not_a_broadcast():
    with pytest.raises(ValueError, match="does not broadcast"):
        broadcast.summed_axes((4, 2), (3, 2))


def test_sum_stages_end_at_the_input_shape_with_the_same_numbers_as_torch_sum():
    g = np.arange(24.0).reshape(2, 4, 3)
    stages = broadcast.sum_stages(g, (4, 1))
    assert [code for code, _ in stages] == [".sum(dim=0)", ".sum(dim=1, keepdim=True)"]
    assert stages[-1][1].shape == (4, 1)
    assert stages[-1][1].ravel().tolist() == [42.0, 60.0, 78.0, 96.0]


def test_aligner_html_labels_every_cell_in_text_not_only_colour():
    page = broadcast.aligner_html([(2, 4, 3), (4, 1)], ["A", "c"])
    assert page.count("missing, added") == 1 and page.count("size 1, stretched") == 1
    assert "1 → 3" in page and "result (2, 4, 3)" in page
    assert (
        "sum over axis 0 (added: it disappears); sum over axis 2 keeping it as size 1 (keepdim=True)" in page
    )


def test_aligner_html_is_deterministic():
    assert broadcast.aligner_html([(4, 3), (3,)]) == broadcast.aligner_html([(4, 3), (3,)])


# --- the widgets ---------------------------------------------------------------------------------
def test_shape_aligner_switches_precomputed_pages_through_a_jslink():
    w = viz.ShapeAligner([((4, 3), (3,)), ((4, 3), (4,))], names=["a", "b"])
    assert repr(w) == "ShapeAligner(2 cases)"
    assert len(w.stack.children) == 2
    assert "RuntimeError" in w.stack.children[1].value and "RuntimeError" not in w.stack.children[0].value
    (link,) = w.links
    assert type(link).__name__ == "Link"  # jslink: runs in the browser, no kernel
    assert link.source == (w.buttons, "index") and link.target == (w.stack, "selected_index")


def test_unbroadcast_stepper_shows_the_engines_sum_for_the_bias():
    X, W, b, Y, dY = linear_layer()
    s = viz.UnbroadcastStepper(Y, dY, names={"X": X, "W": W, "b": b, "Y": Y})
    sums = [f for f in s.frames if f.kind == "send" and (f.removed or f.kept)]
    assert len(sums) == 1
    frame = sums[0]
    assert frame.node == "AddBackward0" and frame.shape_in == (4, 3) and frame.shape_out == (3,)
    assert frame.removed == (0,) and frame.kept == () and frame.sign == 1
    assert frame.value.tolist() == [4.0, 1.0, 0.0]  # the engine's gradient for b: dY summed over rows
    assert "AccumulateGrad (b)" in frame.title
    assert "grad.sum(dim=0)" in frame.html and "the engine's gradient" in frame.html
    assert len(s.stack.children) == len(s.frames) and s.slider.max == len(s.frames) - 1
    assert [(link.source[1], link.target) for link in s.links] == [
        ("value", (s.slider, "value")),
        ("value", (s.stack, "selected_index")),
    ]


def test_unbroadcast_stepper_values_come_from_the_engine_not_from_its_own_sum(monkeypatch):
    """If the engine sent something else, the frame would show that, and not claim a plain sum."""
    X, W, b, Y, dY = linear_layer()
    real = broadcast.sum_stages
    monkeypatch.setattr(broadcast, "sum_stages", lambda g, shape: [(c, a + 1) for c, a in real(g, shape)])
    s = viz.UnbroadcastStepper(Y, dY, names={"b": b})
    frame = next(f for f in s.frames if f.kind == "send" and f.removed)
    assert frame.value.tolist() == [4.0, 1.0, 0.0]
    assert frame.sign == 0 and frame.stages is None


def test_unbroadcast_stepper_keepdim_case_has_two_stages():
    A = minigrad.ones(2, 4, 3)
    c = minigrad.tensor([[1.0], [2.0], [3.0], [4.0]], requires_grad=True)
    G = minigrad.arange(24.0).reshape(2, 4, 3)
    s = viz.UnbroadcastStepper(A + c, G, names={"A": A, "c": c})
    frame = next(f for f in s.frames if f.kind == "send" and f.kept)
    assert frame.removed == (0,) and frame.kept == (2,) and frame.shape_out == (4, 1)
    assert [code for code, _ in frame.stages] == [".sum(dim=0)", ".sum(dim=1, keepdim=True)"]
    assert frame.value.ravel().tolist() == [42.0, 60.0, 78.0, 96.0]
    assert repr(s) == "UnbroadcastStepper(5 steps, 1 sums back to a broadcast input's shape)"


def test_unbroadcast_stepper_says_negated_for_the_subtracted_input():
    a = minigrad.zeros(2, 3, requires_grad=True)
    b = minigrad.zeros(3, requires_grad=True)
    s = viz.UnbroadcastStepper(a - b, minigrad.ones(2, 3), names={"a": a, "b": b})
    frame = next(f for f in s.frames if f.kind == "send" and f.removed)
    assert frame.sign == -1 and frame.value.tolist() == [-2.0, -2.0, -2.0]


def test_unbroadcast_stepper_does_not_call_a_matmul_a_broadcast():
    X, W, b, Y, dY = linear_layer()
    s = viz.UnbroadcastStepper(Y, dY)
    mm = next(f for f in s.frames if f.kind == "send" and f.node == "MmBackward0")
    assert mm.shape_in == (4, 3) and mm.shape_out == (2, 3)
    assert mm.removed == () and mm.kept == () and "not a broadcast" in mm.lines[0]


def test_unbroadcast_stepper_never_touches_grad():
    X, W, b, Y, dY = linear_layer()
    Y.retain_grad()
    viz.UnbroadcastStepper(Y, dY, names={"W": W, "b": b, "Y": Y})
    assert W.grad is None and b.grad is None and Y.grad is None
    Y.backward(dY)  # the graph is still usable: the dry run kept it
    assert b.grad.tolist() == [4.0, 1.0, 0.0]


def test_unbroadcast_stepper_needs_a_gradient_for_a_non_scalar_output():
    X, W, b, Y, dY = linear_layer()
    with pytest.raises(RuntimeError, match="grad can be implicitly created only for scalar outputs"):
        viz.UnbroadcastStepper(Y)


def test_unbroadcast_stepper_refuses_a_leaf():
    with pytest.raises(RuntimeError, match="no grad_fn"):
        viz.UnbroadcastStepper(minigrad.ones(3, requires_grad=True))


def test_stepper_frames_are_deterministic_html():
    X, W, b, Y, dY = linear_layer()
    one = [f.html for f in viz.UnbroadcastStepper(Y, dY, names={"b": b}).frames]
    two = [f.html for f in viz.UnbroadcastStepper(Y, dY, names={"b": b}).frames]
    assert one == two
