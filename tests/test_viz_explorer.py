"""minigrad.viz.GraphExplorer and minigrad.viz.Panels without a browser: the precomputed panels and
the browser-side link that selects them (the browser test is tests/browser/test_viz_browser.py)."""

import re

import pytest

import minigrad
from minigrad import viz
from minigrad.viz.explorer import saved_attributes


def text(html):
    return (
        re.sub(r"<[^>]+>", " ", re.sub(r"<style>.*?</style>", "", html))
        .replace("&lt;", "<")
        .replace("&gt;", ">")
    )


def example():
    a = minigrad.tensor(2.0, requires_grad=True)
    b = minigrad.tensor(3.0, requires_grad=True)
    c = a * b
    L = (c + 1) ** 2
    return a, b, c, L


def test_lists_every_node_root_first_in_the_order_gradients_reach_them():
    a, b, c, L = example()
    g = viz.GraphExplorer(L, names={"a": a, "b": b, "c": c, "L": L})
    assert [n.name for n in g.nodes] == [
        "PowBackward0",
        "AddBackward0",
        "MulBackward0",
        "AccumulateGrad",
        "AccumulateGrad",
    ]
    assert g.options[0] == "L.grad_fn = PowBackward0"
    assert g.options[3:] == ["AccumulateGrad: the leaf a", "AccumulateGrad: the leaf b"]
    assert repr(g) == "GraphExplorer(L: 5 nodes)"


def test_panel_shows_next_functions_with_none_for_a_constant():
    a, b, c, L = example()
    g = viz.GraphExplorer(L, names={"a": a, "b": b, "c": c, "L": L})
    add = text(g.panels[1])
    assert "next_functions[0]  (<MulBackward0 object>, 0): the node of c" in add
    assert "next_functions[1]  (None, 0): this input needs no gradient (a constant)" in add


def test_panel_shows_saved_tensors_under_pytorchs_names():
    a, b, c, L = example()
    g = viz.GraphExplorer(L, names={"a": a, "b": b, "c": c, "L": L})
    mul = text(g.panels[2])
    assert "c.grad_fn._saved_self  tensor(2., requires_grad=True)" in mul
    assert "c.grad_fn._saved_other  tensor(3., requires_grad=True)" in mul
    assert "_saved_by_name" not in mul  # a method, not a saved value


def test_saved_tensors_read_as_freed_after_backward():
    a, b, c, L = example()
    L.backward()
    assert dict(saved_attributes(c.grad_fn))["_saved_self"] == "freed by backward()"
    g = viz.GraphExplorer(L, names={"a": a, "b": b, "c": c, "L": L})
    assert "c.grad_fn._saved_self  freed by backward()" in text(g.panels[2])


def test_accumulate_grad_panel_shows_the_leaf_and_its_grad():
    a, b, c, L = example()
    before = viz.GraphExplorer(L, names={"a": a, "b": b, "c": c, "L": L})
    assert "a.grad  None" in text(before.panels[3])
    L.backward()
    after = viz.GraphExplorer(L, names={"a": a, "b": b, "c": c, "L": L})
    panel = text(after.panels[3])
    assert ".variable  tensor(2., requires_grad=True)  (the leaf a itself)" in panel
    assert "a.grad  tensor(42.)" in panel


def test_picker_selects_panels_in_the_browser():
    a, b, c, L = example()
    g = viz.GraphExplorer(L, names=locals())
    assert len(g.stack.children) == len(g.options) == 5
    assert g.link._model_name == "LinkModel"  # jslink: no kernel needed, works in exported pages
    assert (g.link.source, g.link.target) == ((g.select, "index"), (g.stack, "selected_index"))


def test_selected_node_is_highlighted_with_its_edges():
    a, b, c, L = example()
    g = viz.GraphExplorer(L, names=locals())
    mul = g.nodes[2]
    css = g.panels[2]
    assert f"#{g._prefix}{mul.id}>path" in css
    assert all(f"#{g._prefix}{edge.id}>path" in css for edge in mul.edges)


def test_explorer_never_changes_grad_or_frees_the_graph():
    a, b, c, L = example()
    viz.GraphExplorer(L, names=locals())
    assert a.grad is None
    L.backward()  # saved tensors still there: reading them freed nothing
    assert a.grad.item() == 42.0


def test_a_leaf_has_no_graph_to_explore():
    with pytest.raises(RuntimeError, match="no grad_fn"):
        viz.GraphExplorer(minigrad.tensor(1.0, requires_grad=True))


def test_panels_switch_with_buttons_linked_in_the_browser():
    p = viz.Panels("demo", {"one": "<b>1</b>", "two": "<b>2</b>"})
    assert p.buttons.options == ("one", "two")
    assert [w.value for w in p.stack.children] == ["<b>1</b>", "<b>2</b>"]
    assert p.link._model_name == "LinkModel"
    assert repr(p) == "Panels('demo')"


def test_panels_need_at_least_one_panel():
    with pytest.raises(ValueError, match="at least one panel"):
        viz.Panels("empty", {})
