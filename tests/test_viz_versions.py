"""The version-counter timeline (minigrad.viz.VersionTimeline): it runs the code for real and
reports, after each statement, what the library says (``_version``, saved tensors, errors)."""

import ipywidgets as widgets
import pytest

import minigrad
from minigrad import viz
from minigrad.viz.versions import run_timeline

SEED_FIX = """
x = torch.tensor([1.0], requires_grad=True)
y = x ** 2
x.detach().add_(1)
y.backward()
"""

SEED_WRONG = """
x = torch.tensor([1.0], requires_grad=True)
y = x ** 2
x.add_(1)
y.backward()
"""


def versions(steps, name):
    return [s.versions.get(name) for s in steps]


def test_detach_shares_the_version_counter_so_x_moves_when_its_detached_copy_changes():
    _, steps = run_timeline(SEED_FIX)
    assert versions(steps, "x") == [None, 0, 0, 1, 1]
    assert steps[3].values["x"] == "[2]"  # and the same storage: x itself became 2


def test_backward_raises_at_its_own_line_with_the_libraries_message():
    _, steps = run_timeline(SEED_FIX)
    last = steps[-1]
    assert last.lines == (4, 4)
    assert last.error[0] == "RuntimeError"
    assert "is at version 1; expected version 0 instead" in last.error[1]


def test_in_place_on_a_leaf_raises_at_that_line_and_the_run_stops_there():
    _, steps = run_timeline(SEED_WRONG)
    assert len(steps) == 4  # before, lines 1-3; line 4 never runs
    assert steps[-1].lines == (3, 3)
    assert steps[-1].error == (
        "RuntimeError",
        "a leaf Variable that requires grad is being used in an in-place operation.",
    )


def test_saved_tensor_check_goes_from_ok_to_modified_after_the_in_place_change():
    _, steps = run_timeline(SEED_FIX)
    (before,) = steps[2].checks
    (after,) = steps[3].checks
    assert (before.node, before.slot, before.tensor, before.status) == ("PowBackward0", "self", "x", "ok")
    assert (after.saved_version, after.version, after.status) == (0, 1, "modified")


def test_a_saved_output_is_named_after_the_tensor_it_is():
    _, steps = run_timeline("x = torch.tensor([1.0], requires_grad=True)\ny = x.exp()\ny.mul_(2)")
    (check,) = [c for c in steps[-1].checks if c.node == "ExpBackward0"]
    assert (check.node, check.slot, check.tensor, check.status) == ("ExpBackward0", "result", "y", "modified")


def test_saved_tensors_show_as_freed_after_backward():
    _, steps = run_timeline("x = torch.tensor([2.0], requires_grad=True)\ny = x ** 2\ny.backward()")
    assert steps[-1].error is None
    assert [c.status for c in steps[-1].checks] == ["freed"]


def test_an_in_place_change_under_no_grad_before_the_forward_pass_is_fine():
    code = "x = torch.tensor([1.0], requires_grad=True)\nwith torch.no_grad():\n    x.mul_(2)\ny = x ** 2\ny.backward()"
    _, steps = run_timeline(code)
    assert [s.lines for s in steps[1:]] == [(1, 1), (2, 3), (4, 4), (5, 5)]  # a with block is one step
    assert versions(steps, "x") == [None, 0, 1, 1, 1]
    assert steps[3].checks[0].saved_version == 1 and steps[-1].error is None


def test_inference_tensors_show_that_they_keep_no_counter():
    _, steps = run_timeline("with torch.inference_mode():\n    z = torch.ones(2) * 2")
    assert steps[-1].versions["z"] == "no counter (inference tensor)"


def test_code_runs_for_real_in_the_given_namespace_and_prints_are_kept():
    ns = {"torch": minigrad}
    _, steps = run_timeline("a = torch.tensor(3.0)\nprint(a.item())", ns)
    assert isinstance(ns["a"], minigrad.Tensor) and steps[-1].printed == "3.0\n"


def test_each_step_is_a_precomputed_frame_stepped_by_jslinked_play_and_slider():
    w = viz.VersionTimeline(SEED_FIX)
    assert len(w.stack.children) == len(w.steps) == 5
    assert w.slider.max == 4 and w.stack.selected_index == 0 == w.slider.value  # before the first line
    assert viz.VersionTimeline(SEED_FIX, start="end").stack.selected_index == 4
    pairs = {(lk.source, lk.target) for lk in w.links}
    assert pairs == {
        ((w.play, "value"), (w.slider, "value")),
        ((w.slider, "value"), (w.stack, "selected_index")),
    }


def test_no_kernel_backed_buttons():
    w = viz.VersionTimeline(SEED_FIX)

    def walk(widget):
        yield widget
        for child in getattr(widget, "children", ()):
            yield from walk(child)

    assert not any(isinstance(x, widgets.Button) for x in walk(w))


def test_frames_mark_the_raising_line_and_the_changed_version_in_text_not_colour_alone():
    w = viz.VersionTimeline(SEED_FIX)
    after_detach = w.stack.children[3].value
    assert "1 (+1)" in after_detach and "✗ changed in place: backward will raise" in after_detach
    last = w.stack.children[-1].value
    assert "✗ raised" in last and "✗ RuntimeError" in last


def test_summary_text_is_deterministic():
    assert (
        repr(viz.VersionTimeline(SEED_FIX)) == "VersionTimeline(4 statements run; line 4 raised RuntimeError)"
    )
    assert repr(viz.VersionTimeline("a = torch.tensor(1.0)")) == "VersionTimeline(1 statements run, no error)"


@pytest.mark.parametrize("code", ["x = (", "x = 1\n  y = 2"])
def test_code_that_does_not_parse_raises_a_syntax_error_before_running_anything(code):
    with pytest.raises(SyntaxError):
        run_timeline(code)


def test_frames_before_the_error_do_not_give_away_where_the_run_stops():
    w = viz.VersionTimeline(SEED_WRONG)  # stops at line 3 of 4
    assert all("not run" not in frame.value for frame in w.stack.children[:-1])
    assert all("after line 4" in frame.value for frame in w.stack.children[1:])  # every column, always
    assert "not run" in w.stack.children[-1].value
