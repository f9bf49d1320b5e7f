"""Property tests: random expression graphs — shared subexpressions, broadcasting, repeated backward —
checked against float64 central differences computed from the same program."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import minigrad as mg

SHAPES = [(), (3,), (1, 3), (2, 3), (2, 1)]

# Binary and unary steps a random program can take. Each works on any broadcastable shapes.
BINARY = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / (b * b + 1.0),
    "max": lambda a, b: mg.maximum(a, b + 0.123),
}
UNARY = {
    "tanh": lambda a: a.tanh(),
    "sigmoid": lambda a: a.sigmoid(),
    "sin": lambda a: a.sin(),
    "exp": lambda a: (a * 0.3).exp(),
    "square": lambda a: a**2,
    "scale": lambda a: 2.5 * a - 1.0,
    "softplus": lambda a: (a.exp() + 1).log(),
    "sum_keepdim": lambda a: a.sum(dim=-1, keepdim=True) if a.ndim else a,
    "mean": lambda a: a.mean(),
}


@st.composite
def programs(draw):
    """A list of steps; step i may use any earlier value (so subexpressions are shared)."""
    n_leaves = draw(st.integers(1, 3))
    shapes = [draw(st.sampled_from(SHAPES)) for _ in range(n_leaves)]
    steps = []
    for i in range(draw(st.integers(1, 8))):
        available = n_leaves + i
        if draw(st.booleans()):
            op = draw(st.sampled_from(sorted(BINARY)))
            steps.append((op, draw(st.integers(0, available - 1)), draw(st.integers(0, available - 1))))
        else:
            op = draw(st.sampled_from(sorted(UNARY)))
            steps.append((op, draw(st.integers(0, available - 1)), None))
    seed = draw(st.integers(0, 2**16))
    return shapes, steps, seed


def run(shapes_values, steps):
    values = list(shapes_values)
    for op, i, j in steps:
        values.append(BINARY[op](values[i], values[j]) if j is not None else UNARY[op](values[i]))
    # the loss uses every value, so every leaf and every step matters (and forks abound)
    loss = values[0].sum() * 0.0
    for k, v in enumerate(values):
        loss = loss + (v * (k + 1) * 0.1).sum()
    return loss


def leaves_for(shapes, seed):
    rng = np.random.default_rng(seed)
    return [mg.tensor(rng.uniform(-1.5, 1.5, size=s), dtype=mg.float64, requires_grad=True) for s in shapes]


def numerical_gradient(shapes, steps, leaves, eps=1e-6):
    grads = []
    for leaf in leaves:
        g = np.zeros(leaf.shape)
        flat = leaf.detach()._data.reshape(-1)
        for idx in range(flat.size):
            original = flat[idx]
            flat[idx] = original + eps
            with mg.no_grad():
                plus = run(leaves, steps).item()
            flat[idx] = original - eps
            with mg.no_grad():
                minus = run(leaves, steps).item()
            flat[idx] = original
            g.reshape(-1)[idx] = (plus - minus) / (2 * eps)
        grads.append(g)
    return grads


def max_is_near_a_tie(leaves, steps):
    """maximum() has a kink where its inputs tie: finite differences are meaningless there."""
    values = [leaf.detach() for leaf in leaves]
    for op, i, j in steps:
        if op == "max":
            gap = (values[i] - (values[j] + 0.123)).abs()
            if (gap < 1e-3).any():
                return True
        values.append(BINARY[op](values[i], values[j]) if j is not None else UNARY[op](values[i]))
    return False


@settings(max_examples=60, deadline=None)
@given(programs())
def test_random_graph_gradients_match_central_differences(program):
    shapes, steps, seed = program
    leaves = leaves_for(shapes, seed)
    if max_is_near_a_tie(leaves, steps):
        return
    run(leaves, steps).backward()
    for leaf, expected in zip(leaves, numerical_gradient(shapes, steps, leaves)):
        assert leaf.grad.shape == leaf.shape  # broadcasting summed back to the leaf's shape
        np.testing.assert_allclose(leaf.grad._data, expected, rtol=1e-5, atol=1e-6)


@settings(max_examples=30, deadline=None)
@given(programs())
def test_repeated_backward_accumulates_exactly(program):
    shapes, steps, seed = program
    leaves = leaves_for(shapes, seed)
    loss = run(leaves, steps)
    loss.backward(retain_graph=True)
    once = [leaf.grad._data.copy() for leaf in leaves]
    loss.backward()
    for leaf, g in zip(leaves, once):
        np.testing.assert_allclose(leaf.grad._data, 2 * g, rtol=1e-12, atol=1e-12)


@settings(max_examples=30, deadline=None)
@given(programs())
def test_autograd_grad_equals_backward(program):
    shapes, steps, seed = program
    leaves = leaves_for(shapes, seed)
    loss = run(leaves, steps)
    grads = mg.autograd.grad(loss, leaves, retain_graph=True)
    assert all(leaf.grad is None for leaf in leaves)
    loss.backward()
    for leaf, g in zip(leaves, grads):
        np.testing.assert_allclose(leaf.grad._data, g._data, rtol=0, atol=0)
