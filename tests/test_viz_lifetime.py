"""``viz.SavedTensorsStepper`` and its frames (``minigrad.viz.lifetime``): the real backward, stepped,
with what each node still holds read through PyTorch's ``grad_fn._saved_*`` attributes."""

import ipywidgets as widgets
import pytest

import minigrad
from minigrad import viz
from minigrad.viz.lifetime import FREED, HELD, NUMBER, READING, lifetime_frames, probe, saved_attributes


def make_graph():
    x = minigrad.tensor(1.0, requires_grad=True)
    w = minigrad.tensor(0.5, requires_grad=True)
    h = x * w
    t = h.tanh()
    L = t**2
    return {"x": x, "w": w, "h": h, "t": t, "L": L}


def items_of(lifetime, node_name):
    ids = {n.id for n in lifetime.graph.nodes if n.name == node_name}
    return [i for i in lifetime.items if i.node in ids]


def test_saved_attributes_lists_what_the_node_saved_and_no_methods():
    g = make_graph()
    assert saved_attributes(g["h"].grad_fn) == ["_saved_other", "_saved_self"]
    assert saved_attributes(g["t"].grad_fn) == ["_saved_result"]
    assert saved_attributes(g["L"].grad_fn) == ["_saved_exponent", "_saved_self"]


def test_first_frame_shows_every_saved_tensor_held():
    g = make_graph()
    life = lifetime_frames(g["L"], names=g)
    first = life.frames[0]
    assert first.kind == "forward"
    tensors = [i for i in life.items if i.is_tensor]
    assert len(tensors) == 4
    assert all(first.status[i.id] == HELD for i in tensors)
    assert [first.status[i.id] for i in life.items if not i.is_tensor] == [NUMBER]


def test_saved_tensors_are_labelled_with_their_names_and_values():
    g = make_graph()
    life = lifetime_frames(g["L"], names=g)
    texts = {(i.attr, i.text) for i in items_of(life, "MulBackward0")}
    assert texts == {("_saved_self", "x = 1"), ("_saved_other", "w = 0.5")}
    assert [i.text for i in items_of(life, "TanhBackward0")] == ["t = 0.4621"]


def test_a_slot_left_empty_reads_none_as_in_pytorch():
    """(a*a) * tensor(1): MulBackward0 saves self only when other needs a gradient; the attribute reads
    None (PyTorch 2.13 too), and the widget shows it as None, never freed (it raised TypeError before)."""
    a = minigrad.tensor(2.0, requires_grad=True)
    y = (a * a) * minigrad.tensor(1.0)
    assert y.grad_fn._saved_self is None
    stepper = viz.SavedTensorsStepper(y)
    empty = [i for i in stepper.lifetime.items if i.attr == "_saved_self" and i.text == "None"]
    assert len(empty) == 1 and not empty[0].is_tensor
    assert all(f.status[empty[0].id] == NUMBER for f in stepper.frames)
    assert a.grad.item() == 4.0


def test_a_node_frees_its_saved_tensors_right_after_it_runs_not_before():
    g = make_graph()
    life = lifetime_frames(g["L"], names=g)
    for name in ("PowBackward0", "TanhBackward0", "MulBackward0"):
        mine = [i for i in items_of(life, name) if i.is_tensor]
        run = next(f for f in life.frames if f.kind == "run" and name in f.title)
        free = next(f for f in life.frames if f.kind == "free" and name in f.title)
        assert run.index < free.index
        before = life.frames[run.index - 1]
        assert all(before.status[i.id] == HELD for i in mine), name
        assert all(run.status[i.id] == READING for i in mine), name
        assert all(free.status[i.id] == FREED for i in mine), name


def test_other_nodes_still_hold_their_tensors_while_one_is_freed():
    g = make_graph()
    life = lifetime_frames(g["L"], names=g)
    free_pow = next(f for f in life.frames if f.kind == "free" and "PowBackward0" in f.title)
    mul = items_of(life, "MulBackward0")
    assert all(free_pow.status[i.id] == HELD for i in mul)


def test_held_bytes_fall_to_zero_by_the_end():
    g = make_graph()
    life = lifetime_frames(g["L"], names=g)
    held = [life.held_bytes(f.status) for f in life.frames]
    assert held[0] == 16  # four float32 numbers
    assert held[-1] == 0
    assert held == sorted(held, reverse=True)


def test_it_is_a_real_backward_grads_are_stored_as_by_backward():
    g = make_graph()
    lifetime_frames(g["L"], names=g)
    h = make_graph()
    h["L"].backward()
    assert g["x"].grad.item() == h["x"].grad.item()
    assert g["w"].grad.item() == h["w"].grad.item()


def test_the_done_frame_quotes_the_error_a_second_backward_raises():
    g = make_graph()
    life = lifetime_frames(g["L"], names=g)
    with pytest.raises(RuntimeError) as second:
        g["L"].backward()
    assert life.error == str(second.value)
    assert life.error.startswith("Trying to backward through the graph a second time")
    assert f"RuntimeError: {life.error}" in life.frames[-1].lines


def test_retain_graph_frees_nothing_and_a_second_backward_works():
    g = make_graph()
    life = lifetime_frames(g["L"], names=g, retain_graph=True)
    assert life.error is None
    assert all(v != FREED for f in life.frames for v in f.status.values())
    g["L"].backward()  # no error
    assert g["x"].grad.item() == pytest.approx(2 * 0.363431, rel=1e-5)


def test_probe_reads_through_the_public_attribute():
    g = make_graph()
    node = g["h"].grad_fn
    assert probe(node, "_saved_self") == (True, g["x"])
    g["L"].backward()
    ok, message = probe(node, "_saved_self")
    assert not ok and message.startswith("Trying to backward through the graph a second time")


def test_a_graph_already_freed_is_refused_with_a_clear_error():
    g = make_graph()
    g["L"].backward()
    with pytest.raises(RuntimeError, match="already freed"):
        lifetime_frames(g["L"], names=g)


def test_a_tensor_without_grad_fn_is_refused():
    with pytest.raises(RuntimeError, match="no grad_fn"):
        lifetime_frames(minigrad.tensor(1.0, requires_grad=True))


def test_the_widget_steps_without_a_kernel(monkeypatch):
    linked = []
    real_jslink = widgets.jslink

    def recording_jslink(source, target):
        linked.append((source[0], source[1], target[0], target[1]))
        return real_jslink(source, target)

    monkeypatch.setattr(widgets, "jslink", recording_jslink)
    g = make_graph()
    stepper = viz.SavedTensorsStepper(g["L"], names=g)
    assert len(stepper.stack.children) == len(stepper.frames)
    # no kernel-backed buttons: Play and the slider are linked in the browser
    assert not [w for w in stepper.children[2].children if isinstance(w, widgets.Button)]
    assert (stepper.play, "value", stepper.slider, "value") in linked
    assert (stepper.slider, "value", stepper.stack, "selected_index") in linked


def test_the_widget_draws_one_box_per_saved_item_with_stable_ids():
    g = make_graph()
    stepper = viz.SavedTensorsStepper(g["L"], names=g)
    svg = stepper.graph_view.value
    prefix = stepper._prefix
    for item in stepper.lifetime.items:
        assert f'id="{prefix}{item.id}"' in svg
    other = make_graph()
    again = viz.SavedTensorsStepper(other["L"], names=other)
    assert again.graph_view.value.replace(again._prefix, "P") == svg.replace(prefix, "P")


def test_the_freed_frames_grey_out_exactly_the_freed_boxes():
    g = make_graph()
    stepper = viz.SavedTensorsStepper(g["L"], names=g)
    p = stepper._prefix
    for frame, child in zip(stepper.frames, stepper.stack.children):
        css = child.value
        for item in stepper.lifetime.items:
            greyed = f"#{p}{item.id} text{{fill:#999999" in css
            assert greyed == (frame.status[item.id] == FREED), (frame.index, item.attr)


def test_widget_repr_is_a_fixed_summary():
    g = make_graph()
    assert repr(viz.SavedTensorsStepper(g["L"], names=g)) == (
        "SavedTensorsStepper(L.backward(retain_graph=False): 10 steps, 5 saved items)"
    )


class Square(minigrad.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return 2 * x * grad


def test_a_custom_function_shows_its_saved_tensors_and_frees_them():
    x = minigrad.tensor(3.0, requires_grad=True)
    y = Square.apply(x)
    assert saved_attributes(y.grad_fn) == ["saved_tensors[0]"]
    life = lifetime_frames(y, names={"x": x, "y": y})
    assert [(i.attr, i.text) for i in life.items] == [("saved_tensors[0]", "x = 3")]
    assert life.frames[0].status == {"s0": HELD}
    assert life.frames[-1].status == {"s0": FREED}
    assert x.grad.item() == 6.0


def test_large_saved_tensors_are_labelled_by_name_and_shape():
    a = minigrad.ones(3, 4, requires_grad=True)
    W = minigrad.ones(4, 2, requires_grad=True)
    life = lifetime_frames((a @ W).sum(), names={"a": a, "W": W})
    assert sorted(i.text for i in life.items) == ["W (4, 2)", "a (3, 4)"]
