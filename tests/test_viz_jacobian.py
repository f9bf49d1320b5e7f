"""viz.VJPExplorer and viz.JacobianRows without a browser: the numbers they show come from real
backward calls, the controls are linked in the browser, and no .grad is changed."""

import numpy as np
import pytest

import minigrad
from minigrad import viz
from minigrad.viz.jacobian import heat_colour


def mixed(x):
    """y = [x0·x1, x0², 3·x1]: at [2, 3] its Jacobian is [[3, 2], [4, 0], [0, 3]]."""
    return minigrad.stack([x[0] * x[1], x[0] ** 2, 3 * x[1]])


def example():
    x = minigrad.tensor([2.0, 3.0], requires_grad=True)
    return x, mixed(x)


def fresh_backward(v):
    """What a learner gets from y.backward(gradient=v) on a graph of their own."""
    x, y = example()
    y.backward(gradient=minigrad.tensor(v))
    return x.grad.tolist()


def test_vjp_explorer_jacobian_is_the_true_jacobian():
    x, y = example()
    w = viz.VJPExplorer(y, x)
    assert w.jacobian.tolist() == [[3.0, 2.0], [4.0, 0.0], [0.0, 3.0]]


def test_vjp_explorer_default_presets_are_one_hot_vectors_and_ones():
    x, y = example()
    w = viz.VJPExplorer(y, x)
    assert [label for label, _ in w.presets] == ["e0", "e1", "e2", "ones"]
    assert w.choose.options == ("e0", "e1", "e2", "ones")
    assert repr(w) == "VJPExplorer(y.backward(gradient=v) for 4 vectors v, J is 3×2)"


def test_vjp_explorer_engine_values_are_what_backward_gives():
    x, y = example()
    vectors = {"ones": [1.0, 1.0, 1.0], "mixed": [1.0, 0.5, -1.0], "e1": [0.0, 1.0, 0.0]}
    w = viz.VJPExplorer(y, x, vectors=vectors)
    for (label, v), engine in zip(w.presets, w.engine):
        assert engine.tolist() == fresh_backward(v), label
    assert w.engine[1].tolist() == [5.0, -1.0]


def test_vjp_explorer_frame_shows_the_weighted_rows_and_the_engine_result():
    x, y = example()
    w = viz.VJPExplorer(y, x, vectors={"mixed": [1.0, 0.5, -1.0]}, names={"x": x, "y": y})
    frame = w.stack.children[0].value
    assert "vᵀJ = 1·[3, 2] + 0.5·[4, 0] − 1·[0, 3] = [5, -1]" in frame
    assert "engine: x.grad after y.backward(gradient=v) = [5, -1]   ✓ the same" in frame
    assert "x.grad has x&#x27;s shape (2,)" in frame or "x.grad has x's shape (2,)" in frame


def test_vjp_explorer_says_so_when_the_weighted_sum_and_the_engine_differ(monkeypatch):
    import minigrad.viz.jacobian as jac

    real = jac.engine_vjp
    calls = []

    def off_after_the_rows(output, input, v):
        calls.append(1)
        g = real(output, input, v)
        return g if len(calls) <= 3 else g + 1  # the 3 rows of J true, the preset's result off

    monkeypatch.setattr(jac, "engine_vjp", off_after_the_rows)
    x, y = example()
    w = viz.VJPExplorer(y, x, vectors={"ones": [1.0, 1.0, 1.0]})
    assert "≠ (differs!)" in w.stack.children[0].value


def test_vjp_explorer_presets_switch_frames_in_the_browser():
    x, y = example()
    w = viz.VJPExplorer(y, x)
    (link,) = w.links
    assert link.source == (w.choose, "index") and link.target == (w.stack, "selected_index")
    assert len(w.stack.children) == len(w.presets)
    assert [c.value.count('data-preset="') for c in w.stack.children] == [1] * 4


def test_vjp_explorer_leaves_grad_as_it_was():
    x, y = example()
    old = minigrad.tensor([10.0, 20.0])
    x.grad = old
    viz.VJPExplorer(y, x)
    assert x.grad is old and x.grad.tolist() == [10.0, 20.0]
    x.grad = None
    y.backward(gradient=minigrad.ones(3))  # the graph is still usable
    assert x.grad.tolist() == [7.0, 5.0]


def test_vjp_explorer_only_touches_the_input_it_shows():
    a = minigrad.tensor([1.0, 2.0], requires_grad=True)
    b = minigrad.tensor([3.0, 4.0], requires_grad=True)
    y = a * b
    viz.VJPExplorer(y, a)
    assert a.grad is None and b.grad is None


def test_vjp_explorer_refuses_a_vector_of_the_wrong_size():
    x, y = example()
    with pytest.raises(ValueError, match="must have the output's 3 elements"):
        viz.VJPExplorer(y, x, vectors=[[1.0, 2.0]])


def test_vjp_explorer_refuses_a_jacobian_too_large_to_show():
    x = minigrad.tensor(np.arange(20.0), requires_grad=True)
    with pytest.raises(ValueError, match="20 × 20 Jacobian is too large"):
        viz.VJPExplorer(x * 2, x)


def test_jacobian_rows_uses_exactly_m_backward_calls():
    r = viz.JacobianRows(mixed, minigrad.tensor([2.0, 3.0]))
    assert r.backward_calls == 3
    assert repr(r) == "JacobianRows(3×2 Jacobian from 3 backward calls)"


def test_jacobian_rows_equals_functional_jacobian_on_a_non_square_function():
    W = minigrad.tensor([[1.0, -2.0, 0.5], [3.0, 0.25, -1.0]])
    x = minigrad.tensor([0.3, -0.7, 1.1])
    r = viz.JacobianRows(lambda t: W @ t.sin(), x)
    expected = minigrad.autograd.functional.jacobian(lambda t: W @ t.sin(), x)
    assert r.jacobian.shape == (2, 3)
    np.testing.assert_allclose(r.jacobian, np.array(expected.tolist()), rtol=1e-6)
    assert "✓ the same matrix" in r.stack.children[-1].value


def test_jacobian_rows_frame_k_has_k_rows_filled():
    r = viz.JacobianRows(mixed, minigrad.tensor([2.0, 3.0]))
    assert len(r.stack.children) == 4 and r.slider.max == r.play.max == 3
    for k, child in enumerate(r.stack.children):
        assert child.value.count("mg-cell mg-empty") == 2 * (3 - k)  # 2 columns per unfilled row
    assert "y.backward(gradient=[0, 1, 0], retain_graph=True)" in r.stack.children[2].value
    assert "x.grad = [4, 0] = row 1" in r.stack.children[2].value


def test_jacobian_rows_steps_in_the_browser():
    r = viz.JacobianRows(mixed, minigrad.tensor([2.0, 3.0]))
    pairs = {(link.source, link.target) for link in r.links}
    assert ((r.play, "value"), (r.slider, "value")) in pairs
    assert ((r.slider, "value"), (r.stack, "selected_index")) in pairs


def test_jacobian_rows_does_not_touch_the_input():
    x = minigrad.tensor([2.0, 3.0], requires_grad=True)
    viz.JacobianRows(mixed, x)
    assert x.grad is None


def test_heat_colour_is_white_at_zero_and_differs_by_sign():
    assert heat_colour(0.0, 5.0) == "#FFFFFF"
    assert heat_colour(2.0, 5.0) != heat_colour(-2.0, 5.0)


def test_heat_colour_gets_stronger_with_size():
    def darkness(colour):
        return 3 * 255 - sum(int(colour[i : i + 2], 16) for i in (1, 3, 5))

    assert darkness(heat_colour(1.0, 4.0)) < darkness(heat_colour(2.0, 4.0)) < darkness(heat_colour(4.0, 4.0))


def test_presenter_mode_is_larger():
    x, y = example()
    normal, big = viz.VJPExplorer(y, x, presenter=False), viz.VJPExplorer(y, x, presenter=True)
    assert "font-size:14px" in normal.stack.children[0].value
    assert "font-size:22px" in big.stack.children[0].value
    assert "mg-presenter" in big._dom_classes and "mg-presenter" not in normal._dom_classes
