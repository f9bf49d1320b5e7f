"""The stepper's frames (minigrad.viz.trace) against the engine's events and hand-computed numbers.

No browser here: frames are plain data. Each test is one small graph from the course, with the
numbers worked out by hand in its docstring.
"""

import numpy as np
import pytest

import minigrad
from minigrad.autograd import Function, engine
from minigrad.viz import _format
from minigrad.viz.local import local_derivatives
from minigrad.viz.trace import Trace


def leaf(value, dtype=minigrad.float64):
    return minigrad.tensor(value, dtype=dtype, requires_grad=True)


def sends(trace):
    return [f for f in trace.frames if f.kind == "send"]


def arithmetic(trace):
    return [f.lines[0] for f in sends(trace)]


def engine_events(output, gradient=None):
    """The events of a dry run, without snapshots: the reference the frames must follow."""
    gradient = gradient if gradient is not None else minigrad.ones_like(output)
    return list(
        engine.iter_backward([output._gradient_edge()], [gradient], retain_graph=True, accumulate_grad=False)
    )


def test_frames_of_ab_plus_1_squared_follow_the_engine_and_the_hand_computation():
    """L = (a·b + 1)² at a=2, b=3: c=6, d=7, L=49; ∂L/∂d = 2d = 14, ∂L/∂c = 14, ∂L/∂a = 14·b = 42,
    ∂L/∂b = 14·a = 28."""
    a, b = leaf(2.0), leaf(3.0)
    c = a * b
    d = c + 1
    L = d**2
    trace = Trace(L, names=locals())
    kinds = [f.kind for f in trace.frames]
    assert kinds == [
        "start",
        "run",
        "send",
        "run",
        "send",
        "run",
        "send",
        "send",
        "accumulate",
        "accumulate",
        "done",
    ]
    assert arithmetic(trace) == [
        "∂L/∂d += ∂L/∂L · ∂L/∂d = 1 · 14 = 14",
        "∂L/∂c += ∂L/∂d · ∂d/∂c = 14 · 1 = 14",
        "∂L/∂a += ∂L/∂c · ∂c/∂a = 14 · 3 = 42",
        "∂L/∂b += ∂L/∂c · ∂c/∂b = 14 · 2 = 28",
    ]
    assert trace.frames[-1].lines == ["a.grad = 42", "b.grad = 28"]
    assert trace.frames[-1].grads == {"a": "42", "b": "28"}
    # the node highlighted at each run frame is the node the engine ran, in the engine's order
    ran = [e.node for e in engine_events(L) if e.kind == "run"]
    run_frames = [f for f in trace.frames if f.kind in ("run", "accumulate")]
    assert [f.node for f in run_frames] == [trace.graph.node(n).id for n in ran]
    names = [trace.graph.node(n).name for n in ran]
    assert names == ["PowBackward0", "AddBackward0", "MulBackward0", "AccumulateGrad", "AccumulateGrad"]
    # the engine's state is shown: after Mul sent to a, AccumulateGrad(a) is ready with 42 in its buffer
    frame = sends(trace)[2]
    assert frame.ready == ["AccumulateGrad → a"]
    assert frame.buffers == [("AccumulateGrad → a", ["42"])]
    assert ("AccumulateGrad → b", 1) in frame.dependencies
    # edges light up in the order the gradients were sent, each labelled with its gradient
    assert trace.frames[-1].sent == ("e0", "e1", "e2", "e3")
    assert trace.edge_grads == {"e0": "14", "e1": "14", "e2": "42", "e3": "28"}


def test_a_plus_a_sends_twice_and_the_buffer_adds_up():
    """L = a + a: AddBackward0 sends 1 along both edges, both to a's AccumulateGrad: 1 + 1 = 2."""
    a = leaf(5.0)
    L = a + a
    trace = Trace(L, names=locals())
    s = sends(trace)
    assert len(s) == 2 and s[0].edge != s[1].edge
    assert s[0].lines[0] == "∂L/∂a += ∂L/∂L · ∂L/∂a = 1 · 1 = 1"
    assert s[1].lines[0] == "∂L/∂a += ∂L/∂L · ∂L/∂a = 1 · 1 = 1"
    assert s[0].lines[1] == "input buffer of AccumulateGrad → a: 1"
    assert s[1].lines[1] == "input buffer of AccumulateGrad → a: 1 + 1 = 2  (a fork: contributions add up)"
    assert "waits for 1 more gradient" in s[0].lines[2]
    assert trace.frames[-1].grads == {"a": "2"}


def test_x_times_x_uses_the_other_factor_on_each_edge():
    """L = x·x at x=3: ∂L/∂x = x along each of the two edges, 3 + 3 = 6."""
    x = leaf(3.0)
    L = x * x
    trace = Trace(L, names=locals())
    assert arithmetic(trace) == ["∂L/∂x += ∂L/∂L · ∂L/∂x = 1 · 3 = 3"] * 2
    assert sends(trace)[1].lines[1].startswith("input buffer of AccumulateGrad → x: 3 + 3 = 6")
    assert trace.frames[-1].grads == {"x": "6"}
    assert len(trace.graph.edges) == 2


def test_theta_squared_plus_two_theta_sums_two_paths():
    """y = θ² + 2θ at θ=3: paths give 2θ = 6 and 2; the buffer of θ sums them to 8."""
    θ = leaf(3.0)
    y = θ**2 + 2 * θ
    trace = Trace(y, names={"θ": θ, "y": y})
    lines = arithmetic(trace)
    assert "∂y/∂θ += ∂y/∂pow · ∂pow/∂θ = 1 · 6 = 6" in lines
    assert "∂y/∂θ += ∂y/∂mul · ∂mul/∂θ = 1 · 2 = 2" in lines
    assert trace.frames[-1].grads == {"θ": "8"}


class Cube(Function):
    """A custom Function: y = x³, ∂y/∂x = 3x²."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x * x

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * 3 * x * x


def test_a_custom_function_gets_its_local_derivative_from_its_own_backward():
    """L = 2·Cube(x) at x=2: ∂L/∂y = 2, ∂y/∂x = 3·2² = 12, ∂L/∂x = 24."""
    x = leaf(2.0)
    y = Cube.apply(x)
    L = y * 2
    trace = Trace(L, names=locals())
    assert trace.graph.node(y.grad_fn).name == "CubeBackward"
    assert "∂L/∂x += ∂L/∂y · ∂y/∂x = 2 · 12 = 24" in arithmetic(trace)
    assert trace.frames[-1].grads == {"x": "24"}


def test_broadcasting_shows_shapes_elementwise_products_and_the_sum_back():
    """s = (x·W).sum() with x of shape (3,) broadcast over W (2, 3): ∂s/∂W = x on every row,
    ∂s/∂x = column sums of W = [5, 7, 9]."""
    x = leaf([1.0, 2.0, 3.0])
    W = leaf([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    s = (x * W).sum()
    trace = Trace(s, names={"x": x, "W": W, "s": s})
    lines = arithmetic(trace)
    assert lines[0] == (
        "∂s/∂mul += SumBackward0.backward(∂s/∂s)[0] = SumBackward0.backward(1)[0] = "
        "[[1, 1, 1], [1, 1, 1]]  (vector–Jacobian product, shape () → (2, 3))"
    )
    assert (
        "∂s/∂x += sum_to_shape(∂s/∂mul ⊙ ∂mul/∂x, (3,)) = sum_to_shape([[1, 1, 1], [1, 1, 1]] ⊙ "
        "[[1, 2, 3], [4, 5, 6]]) = [5, 7, 9]  (broadcast: (2, 3) → (3,))"
    ) in lines
    assert (
        "∂s/∂W += ∂s/∂mul ⊙ ∂mul/∂W = [[1, 1, 1], [1, 1, 1]] ⊙ [[1, 2, 3], [1, 2, 3]] = [[1, 2, 3], [1, 2, 3]]"
        in lines
    )
    assert trace.frames[-1].grads == {"x": "[5, 7, 9]", "W": "[[1, 2, 3], [1, 2, 3]]"}


def test_a_non_scalar_output_with_an_external_gradient():
    """Q = 3a³ − b² with a=[2,3], b=[6,4] and gradient [1,1]: a.grad = 9a² = [36, 81], b.grad = −2b."""
    a, b = leaf([2.0, 3.0]), leaf([6.0, 4.0])
    Q = 3 * a**3 - b**2
    trace = Trace(Q, gradient=minigrad.tensor([1.0, 1.0], dtype=minigrad.float64), names=locals())
    assert trace.frames[0].lines[0].startswith("∂Q/∂Q = [1, 1]")
    assert trace.frames[-1].grads == {"a": "[36, 81]", "b": "[-12, -8]"}
    with pytest.raises(RuntimeError, match="scalar outputs"):
        Trace(Q)


@pytest.mark.parametrize(
    ("make", "x0"),
    [
        (lambda x: x.exp(), 0.7),
        (lambda x: x.sin(), 0.7),
        (lambda x: x.tanh(), 0.3),
        (lambda x: x.sigmoid(), -0.4),
        (lambda x: x**3, 1.3),
        (lambda x: x.reciprocal(), 1.7),
        (lambda x: x.log(), 2.5),
        (lambda x: x.sqrt(), 2.0),
        (lambda x: 2**x, 0.5),
        (lambda x: x / 3, 1.0),
        (lambda x: 5 - x, 1.0),
        (lambda x: x.relu(), 0.8),
        (lambda x: Cube.apply(x), 1.1),
    ],
)
def test_local_derivatives_are_the_true_derivatives(make, x0):
    """The number shown as ∂u/∂x is the derivative of the op (checked by central differences)."""
    x = leaf(x0)
    y = make(x)
    locs = local_derivatives(y.grad_fn)
    edge = next(i for i, (fn, _) in enumerate(y.grad_fn.next_functions) if fn is not None)
    h = 1e-6
    numeric = (
        make(minigrad.tensor(x0 + h, dtype=minigrad.float64)).item()
        - make(minigrad.tensor(x0 - h, dtype=minigrad.float64)).item()
    ) / (2 * h)
    assert float(locs[edge]) == pytest.approx(numeric, rel=1e-6, abs=1e-8)


@pytest.mark.parametrize(
    "make",
    [
        lambda x: minigrad.autograd.grad(x.tanh().sum(), x, create_graph=True)[0],
        lambda x: minigrad.autograd.grad(x.relu().sum(), x, create_graph=True)[0],
        lambda x: minigrad.autograd.grad(
            minigrad.nn.functional.mse_loss(x, minigrad.tensor([0.25, -1.0], dtype=minigrad.float64)),
            x,
            create_graph=True,
        )[0],
    ],
    ids=["TanhBackwardBackward0", "ThresholdBackwardBackward0", "MseLossBackwardBackward0"],
)
def test_local_derivatives_of_backward_ops_are_true_derivatives(make):
    """The nodes a create_graph gradient is made of are elementwise too: ∂g_j/∂x_j by central
    differences of the gradient itself."""
    x0 = [0.3, 0.9]
    x = minigrad.tensor(x0, dtype=minigrad.float64, requires_grad=True)
    g = make(x)
    locs = local_derivatives(g.grad_fn)
    assert locs is not None
    edges = [i for i, (fn, _) in enumerate(g.grad_fn.next_functions) if fn is not None]
    # the edge to x's side of the graph (y = f(x) for tanh/relu, x itself for mse)
    (edge,) = edges
    chain = 1.0 if g.grad_fn.name() == "MseLossBackwardBackward0" else None
    h = 1e-6
    for j in range(2):
        up, down = list(x0), list(x0)
        up[j] += h
        down[j] -= h
        g_up = make(minigrad.tensor(up, dtype=minigrad.float64, requires_grad=True))[j].item()
        g_down = make(minigrad.tensor(down, dtype=minigrad.float64, requires_grad=True))[j].item()
        numeric = (g_up - g_down) / (2 * h)
        local = float(locs[edge][j])
        if chain is None:  # the edge leads to y = f(x): multiply by dy/dx to compare with d g/dx
            y_node = g.grad_fn.next_functions[edge][0]
            dy_dx = float(local_derivatives(y_node)[0][j])
            local *= dy_dx
        assert local == pytest.approx(numeric, rel=1e-5, abs=1e-8), (j, local, numeric)


def test_shown_arithmetic_is_true_for_scalar_sends():
    """For every scalar send: grad_in · local = grad_out (the engine's number) and local = out/in."""
    x, y = leaf(0.3), leaf(-1.2)
    L = ((x * y).tanh() + x.exp() * y) ** 2 / (1 + x * x)
    trace = Trace(L)
    checked = 0
    for line in arithmetic(trace):
        numbers = line.split(" = ")[1]
        g_in, local = (float(v) for v in numbers.split(" · "))
        g_out = float(line.split(" = ")[-1])
        assert g_in * local == pytest.approx(g_out, rel=1e-5)
        if g_in != 0:
            assert g_out / g_in == pytest.approx(local, rel=1e-5)
        checked += 1
    assert checked >= 8


def test_frames_follow_every_engine_event_on_a_bigger_graph():
    """Sends in the frames are the engine's sends, one to one, in order, with the same gradients."""
    x, w = leaf(0.5), leaf(1.5)
    h = x
    for _ in range(5):
        h = (h * w).tanh() + x
    trace = Trace(h)
    events = [e for e in engine_events(h) if e.kind == "send"]
    frames = sends(trace)
    assert len(frames) == len(events)
    for f, e in zip(frames, events):
        assert f.edge == trace.graph.edge(e.node, e.edge).id
        assert f.lines[0].endswith(" = " + _format.array(e.grad))


def test_a_pass_longer_than_max_frames_is_cut_and_says_so():
    x = leaf(0.5)
    h = x
    for _ in range(30):
        h = h * 1.01 + x
    trace = Trace(h, max_frames=20)
    assert len(trace.frames) == 20 and trace.truncated
    assert "the stepper shows the first 20 steps" in trace.frames[-1].lines[-1]


def test_a_tensor_without_grad_has_nothing_to_step_through():
    with pytest.raises(RuntimeError, match="does not require grad"):
        Trace(minigrad.tensor(1.0) * 2)


def test_hooks_are_shown_and_their_result_used():
    """A hook doubling ∂L/∂c: the hook frame shows 1 → 2, and a gets 2·b."""
    a, b = leaf(2.0), leaf(3.0)
    c = a * b
    c.register_hook(lambda g: g * 2)
    L = c + 0
    trace = Trace(L, names=locals())
    hooks = [f for f in trace.frames if f.kind == "hook"]
    assert hooks[0].lines == ["hook on c: ∂L/∂c 1 → 2"]
    assert "∂L/∂a += ∂L/∂c · ∂c/∂a = 2 · 3 = 6" in arithmetic(trace)


def test_large_tensors_are_shown_by_shape():
    x = leaf(np.ones((4, 5)).tolist())
    s = (x * 2).sum()
    trace = Trace(s, names=locals())
    assert any("⟨shape (4, 5)⟩" in line for line in arithmetic(trace))


def test_the_stepper_explains_the_hooks_of_a_node():
    x = minigrad.tensor([1.0, 2.0], requires_grad=True)
    y = x * minigrad.tensor([3.0, 4.0])
    y.grad_fn.register_prehook(lambda go: (go[0] * 10,))
    y.grad_fn.register_hook(lambda gi, go: (gi[0] + 1, None))
    loss = y.sum()
    frames = Trace(loss, names={"x": x, "y": y, "L": loss}).frames
    hook_lines = [line for f in frames if f.kind == "hook" for line in f.lines]
    assert hook_lines == [
        "node pre-hook of MulBackward0 replaced the gradients of its outputs: ([1, 1]) → ([10, 10])",
        "node hook of MulBackward0 replaced the gradients it sends to its inputs: ([30, 40], None) → ([31, 41], None)",
    ]
    assert frames[-1].lines == ["x.grad = [31, 41]"]


def test_stepping_through_inf_and_nan_gradients_is_quiet():
    """The stepper recomputes each edge's chain-rule product to show it; where gradients are inf
    or nan (log at 0) that must not print numpy's RuntimeWarnings into the learner's notebook."""
    import warnings

    x = minigrad.tensor([0.0, 2.0], requires_grad=True)
    y = (x.log().sgn() * x.log()).sum()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        trace = Trace(y, names={"x": x, "y": y})
    assert trace.frames[-1].grads == {"x": "[-inf, 0.5]"}
