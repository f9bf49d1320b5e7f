"""The widgets without a browser: what they build, and exactly what they do to .grad (nothing)."""

import re
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import minigrad
from minigrad import viz


def leaf(value, dtype=minigrad.float32):
    return minigrad.tensor(value, dtype=dtype, requires_grad=True)


def example():
    a, b = leaf(2.0), leaf(3.0)
    c = a * b
    d = c + 1
    L = d**2
    return a, b, c, d, L


def test_stepper_has_one_precomputed_frame_per_step_linked_in_the_browser():
    a, b, c, d, L = example()
    s = viz.BackwardStepper(L, names=locals())
    assert len(s.stack.children) == len(s.frames) == 11
    assert s.slider.max == s.play.max == 10
    assert repr(s) == "BackwardStepper(L.backward(): 11 frames, 5 nodes)"
    # the graph is drawn once; frames only restyle it (so the layout cannot move)
    assert s.graph_view.value.count("<svg") == 1
    assert all("<svg" not in w.value for w in s.stack.children)
    panel = s.stack.children[6].value
    assert 'data-node="MulBackward0"' in panel and "∂L/∂a += ∂L/∂c · ∂c/∂a = 14 · 3 = 42" in panel
    # every control is linked in the browser (tests/test_viz_controls.py, tests/browser/test_export.py)
    assert s.buttons.options == tuple(str(k) for k in range(11))
    links = {(ln.source[0], ln.source[1], ln.target[0], ln.target[1]) for ln in s.controls.links}
    assert (s.slider, "value", s.stack, "selected_index") in links


def test_stepper_never_touches_grad():
    """Building and stepping: leaves' .grad stay None; a later backward() gives what the stepper showed."""
    a, b, c, d, L = example()
    s = viz.BackwardStepper(L, names=locals())
    for k in range(len(s.frames)):
        s.slider.value = k
    assert a.grad is None and b.grad is None
    L.backward()  # the graph is still usable: the stepper ran with retain_graph=True
    assert (a.grad.item(), b.grad.item()) == (42.0, 28.0)
    assert s.frames[-1].grads == {"a": "42", "b": "28"}


def test_stepper_shows_what_grad_will_become_when_grad_already_holds_something():
    """After one backward, a second stepper shows old + new (42 + 42 = 84) and leaves .grad at 42."""
    a, b, c, d, L = example()
    L.backward(retain_graph=True)
    s = viz.BackwardStepper(L, names=locals())
    acc = [f for f in s.frames if f.kind == "accumulate" and f.leaf == "a"][0]
    assert acc.lines[0] == "a.grad = 42 + 42 = 84"
    assert s.frames[0].grads["a"] == "42" and s.frames[-1].grads["a"] == "84"
    assert a.grad.item() == 42.0 and b.grad.item() == 28.0


def test_stepper_restores_retained_grads():
    a, b, c, d, L = example()
    c.retain_grad()
    viz.BackwardStepper(L, names=locals())
    assert c.grad is None
    L.backward()
    assert c.grad.item() == 14.0


def test_path_explorer_lists_paths_and_agrees_with_the_engine():
    θ = leaf(3.0)
    y = θ**2 + 2 * θ
    p = viz.PathExplorer(y, θ, names={"θ": θ, "y": y})
    assert [pp.formula("y") for pp in p.paths] == [
        "∂y/∂pow · ∂pow/∂θ = 1 · 6 = 6",
        "∂y/∂mul · ∂mul/∂θ = 1 · 2 = 2",
    ]
    assert p.sum_text == p.engine_text == "8"
    assert len(p.select.options) == 3 and len(p.stack.children) == 3
    assert "running sum (paths 1–2): 6 + 2 = 8" in p.stack.children[1].value
    assert "engine: ∂y/∂θ = 8  ✓ equal" in p.stack.children[2].value
    assert θ.grad is None
    assert repr(p) == "PathExplorer(∂y/∂θ: 2 paths)"


def test_path_explorer_olah_example():
    """e = (a + b)(b + 1) at a=2, b=1: ∂e/∂b = 1·2 + 1·3 = 5."""
    a, b = leaf(2.0), leaf(1.0)
    e = (a + b) * (b + 1)
    p = viz.PathExplorer(e, b, names=locals())
    assert sorted(float(pp.contribution) for pp in p.paths) == [2.0, 3.0]
    assert p.engine_text == "5"


def test_presenter_mode_is_larger():
    *_, L = example()
    normal = viz.BackwardStepper(L)
    big = viz.BackwardStepper(L, presenter=True)
    assert (
        "font-size:22px" in big.stack.children[0].value and "font-size:14px" in normal.stack.children[0].value
    )
    assert "mg-presenter" in big._dom_classes


def test_stepper_without_dot_shows_the_hint_and_a_text_graph(monkeypatch):
    *_, L = example()
    monkeypatch.setenv("PATH", "/nonexistent")
    s = viz.BackwardStepper(L)
    assert "<pre" in s.graph_view.value and "sudo apt-get install graphviz" in s.graph_view.value
    assert len(s.frames) == 11


def test_a_graph_too_large_to_draw_still_steps_and_says_so(monkeypatch):
    from minigrad.viz import widgets

    monkeypatch.setattr(widgets, "MAX_DRAWN_NODES", 3)
    *_, L = example()
    s = viz.BackwardStepper(L)
    assert "too many to draw" in s.graph_view.value and len(s.stack.children) == 11


def test_a_stepper_for_a_40_node_graph_steps_to_the_engine_s_gradients():
    """The graph bench/lessons.py times (target: built in ≤ 1 s; timed there, not here)."""
    x, w = leaf(0.5), leaf(1.5)
    h = x
    for _ in range(13):
        h = (h * w).tanh() + x
    s = viz.BackwardStepper(h, names={"x": x, "w": w})
    assert len(s.trace.graph.nodes) >= 40
    assert s.frames[-1].kind == "done" and len(s.stack.children) == len(s.frames)
    h.backward()
    shown = {name: float(text) for name, text in s.frames[-1].grads.items()}
    assert shown == pytest.approx({"x": x.grad.item(), "w": w.grad.item()}, rel=1e-5)


def test_ids_in_one_stepper_do_not_clash_with_another():
    *_, L = example()
    s1, s2 = viz.BackwardStepper(L), viz.BackwardStepper(L)
    ids1 = set(re.findall(r'id="(mgs\d+_n\d+)"', s1.graph_view.value))
    ids2 = set(re.findall(r'id="(mgs\d+_n\d+)"', s2.graph_view.value))
    assert ids1 and ids2 and not ids1 & ids2


def test_vector_stepper_and_explorer():
    x = leaf([1.0, -2.0, 3.0], dtype=minigrad.float64)
    y = (x * x).sum()
    s = viz.BackwardStepper(y, names=locals())
    assert s.frames[-1].grads == {"x": "[2, -4, 6]"}
    p = viz.PathExplorer(y, x, names=locals())
    assert p.sum_text == p.engine_text == "[2, -4, 6]"
    np.testing.assert_allclose(p.engine_grad, [2, -4, 6])


IMPORT_CHECK = textwrap.dedent("""
    import sys
    import minigrad
    heavy = [m for m in ("graphviz", "ipywidgets", "matplotlib", "minigrad.viz") if m in sys.modules]
    from minigrad import viz
    lazy = [m for m in ("graphviz", "ipywidgets") if m in sys.modules]
    print(heavy, lazy)
""")


def test_import_minigrad_stays_light():
    """`import minigrad` imports no graphviz/ipywidgets/matplotlib (nor minigrad.viz), and `from minigrad
    import viz` imports them only when a drawing or widget is made. (How long `import minigrad` takes,
    target ≤ 150 ms beyond numpy's own import, is measured by bench/lessons.py, not timed here.)"""
    out = subprocess.run([sys.executable, "-c", IMPORT_CHECK], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[] []", out.stdout


@pytest.mark.parametrize("view", ["backward", "values"])
def test_draw_in_a_notebook_cell_has_deterministic_text(view):
    *_, L = example()
    bundle = viz.draw(L, view=view)._repr_mimebundle_()
    assert bundle["text/plain"].startswith("<minigrad.viz drawing:") and "0x" not in bundle["text/plain"]


def test_a_huge_graph_degrades_gracefully():
    """5000 nodes: no drawing, the first frames only, and both say so; quick to build."""
    x = leaf(0.5)
    h = x
    for _ in range(2500):
        h = h * 1.0001 + 0.0
    s = viz.BackwardStepper(h, max_frames=50)
    assert len(s.frames) == 50 and s.trace.truncated
    assert "too many to draw" in s.graph_view.value
    assert "the stepper shows the first 50 steps" in s.frames[-1].lines[-1]


def test_widgets_on_a_freed_graph_say_what_to_do():
    a, b, c, d, L = example()
    L.backward()
    with pytest.raises(RuntimeError, match="Make the widget before calling backward"):
        viz.BackwardStepper(L)
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        viz.PathExplorer(L, a)
    assert "PowBackward0" in viz.draw(L).source  # drawing still works


def test_presenter_size_follows_make_present(monkeypatch):
    import minigrad as mg
    from minigrad import viz

    a = mg.tensor(2.0, requires_grad=True)
    loss = a * a
    normal = viz.draw(loss).source
    monkeypatch.setenv("MINIGRAD_PRESENTER", "1")
    presenting = viz.draw(loss).source
    assert normal != presenting and "fontsize=22" in presenting
    assert viz.draw(loss, presenter=False).source == normal
