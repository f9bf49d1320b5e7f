"""Path sums (minigrad.viz.paths) against the engine, on random graphs (hypothesis)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import minigrad
from minigrad import viz
from minigrad.viz import _format
from minigrad.viz.graph import Graph
from minigrad.viz.paths import count_paths, engine_gradient, find_paths

UNARY = [lambda u: u.tanh(), lambda u: u.sin(), lambda u: u * 0.5, lambda u: u**2, lambda u: (u * 0.3).exp()]
BINARY = [lambda u, v: u + v, lambda u, v: u * v, lambda u, v: u - v, lambda u, v: u / (1 + v * v)]


@st.composite
def random_graphs(draw):
    """A random scalar DAG over 1–3 float64 leaves: each op reads earlier values (so forks abound)."""
    n_leaves = draw(st.integers(1, 3))
    values = [
        minigrad.tensor(draw(st.floats(-2, 2, allow_nan=False)), dtype=minigrad.float64, requires_grad=True)
        for _ in range(n_leaves)
    ]
    leaves = list(values)
    for _ in range(draw(st.integers(1, 7))):
        if draw(st.booleans()):
            f = draw(st.sampled_from(UNARY))
            values.append(f(values[draw(st.integers(0, len(values) - 1))]))
        else:
            f = draw(st.sampled_from(BINARY))
            i, j = draw(st.integers(0, len(values) - 1)), draw(st.integers(0, len(values) - 1))
            values.append(f(values[i], values[j]))
    out = values[-1]
    if out.grad_fn is None:
        out = out * 1.0
    return leaves, out


@settings(max_examples=40, deadline=None)
@given(random_graphs())
def test_sum_over_paths_equals_the_engines_gradient(graph_and_leaves):
    leaves, out = graph_and_leaves
    graph = Graph(out)
    for x in leaves:
        try:
            target, nr = graph.leaf_node(x)
        except ValueError:  # this leaf is not used by the output
            continue
        paths, total = find_paths(graph, target, nr)
        assert len(paths) == total
        contributions = [p.contribution for p in paths if p.contribution is not None]
        path_sum = np.sum(contributions) if contributions else None
        engine = engine_gradient(out, x)
        assert x.grad is None  # nothing was stored
        if engine is None:
            assert path_sum is None or path_sum == 0
            continue
        scale = max(float(np.max(np.abs(c))) for c in contributions)
        # (path products and the engine round in another order; among subnormal numbers each
        # rounding is a whole unit of 5e-324, so the tolerance allows a few of those too)
        subnormal_units = 64 * np.finfo(np.float64).smallest_subnormal
        np.testing.assert_allclose(path_sum, engine, rtol=1e-9, atol=1e-12 * scale + subnormal_units)
        # "they agree to the last digit shown", in the widget itself
        explorer = viz.PathExplorer(out, x)
        assert explorer.sum_text == explorer.engine_text
        assert "✓ equal" in explorer.stack.children[-1].value
        for p in paths:
            if p.factors is not None:  # scalar: the shown product is the contribution
                assert np.isclose(np.prod([float(f) for f in p.factors]), float(p.contribution), rtol=1e-9)


def test_paths_are_counted_without_listing_them_all():
    """A chain of k diamonds has 2^k paths: counted exactly, listed up to max_paths."""
    x = minigrad.tensor(0.5, dtype=minigrad.float64, requires_grad=True)
    h = x
    for _ in range(12):
        h = h.sin() + h.cos()
    graph = Graph(h)
    target, nr = graph.leaf_node(x)
    assert count_paths(graph, target, nr) == 2**12
    paths, total = find_paths(graph, target, nr, max_paths=50)
    assert total == 4096 and len(paths) == 50


def test_engine_gradient_matches_backward():
    a = minigrad.tensor(2.0, requires_grad=True)
    b = minigrad.tensor(3.0, requires_grad=True)
    L = (a * b + 1) ** 2
    g = engine_gradient(L, a)
    assert a.grad is None
    L.backward()
    assert float(g) == a.grad.item() == 42.0


def test_sums_that_differ_only_by_rounding_are_written_alike():
    assert _format.agreeing(0.0, -5.551115123125783e-17, scale=0.5) == ("0", "0")
    shown = _format.agreeing(0.12345650000000001, 0.1234564999999999, scale=1)  # straddles a rounding edge
    assert shown[0] == shown[1]
    assert _format.agreeing(8.0, 8.5, scale=8) == ("8", "8.5")  # a real difference stays visible


def test_path_sums_through_inf_and_nan_are_quiet():
    """Path products at x = 0 of log (inf · 0) are nan, shown as nan, without numpy's
    RuntimeWarnings in the learner's notebook."""
    import warnings

    from minigrad import viz

    z = minigrad.tensor(0.0, requires_grad=True)
    w = z.log() * 0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        explorer = viz.PathExplorer(w, z, names={"z": z, "w": w})
    assert explorer.sum_text == explorer.engine_text == "nan"
