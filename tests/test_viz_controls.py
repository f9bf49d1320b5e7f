"""minigrad.viz.controls without a browser: what the frame controls are made of and how they are linked.

That a click on ▶ really advances the frame with no kernel is checked in Chromium against an exported
page (tests/browser/test_export.py) and in JupyterLab (tests/browser/test_viz_browser.py).
"""

import ipywidgets as widgets
import pytest

from minigrad.viz.controls import FrameControls, frame_buttons, nav_css


def linked(controls, a, a_name, b, b_name):
    pairs = {(ln.source[0], ln.source[1], ln.target[0], ln.target[1]) for ln in controls.links}
    return (a, a_name, b, b_name) in pairs or (b, b_name, a, a_name) in pairs


def test_frame_buttons_have_one_option_per_frame_so_the_index_is_the_frame():
    nav = frame_buttons(7)
    assert nav.options == ("0", "1", "2", "3", "4", "5", "6")
    assert nav.index == 0
    assert "mg-nav" in nav._dom_classes


def test_no_control_is_a_kernel_button():
    controls = FrameControls(5)
    assert not any(isinstance(w, widgets.Button) for w in controls.children)


def test_buttons_play_and_frame_box_are_jslinked_to_the_slider():
    c = FrameControls(5)
    assert all(ln._model_name == "LinkModel" for ln in c.links)  # jslink (browser), not link (kernel)
    assert linked(c, c.buttons, "index", c.slider, "value")
    assert linked(c, c.play, "value", c.slider, "value")
    assert linked(c, c.frame_box, "value", c.slider, "value")
    assert linked(c, c.speed, "value", c.play, "interval")


def test_every_control_spans_the_same_frames():
    c = FrameControls(12)
    assert len(c.buttons.options) - 1 == c.slider.max == c.play.max == c.frame_box.max == 11


def test_link_drives_a_stacks_selected_index():
    c = FrameControls(3)
    stack = widgets.Stack([widgets.HTML(str(k)) for k in range(3)], selected_index=0)
    c.link(stack)
    assert linked(c, c.slider, "value", stack, "selected_index")


def test_css_shows_first_back_next_last_relative_to_the_selected_frame():
    css = nav_css()
    # back: the button just before the selected one; next: the one just after; the selected one hidden
    assert ".widget-toggle-button:has(+ .mod-active){display:block;grid-column:2}" in css
    assert ".mod-active + .widget-toggle-button{display:block;grid-column:3}" in css
    assert ".widget-toggle-button:first-child{display:block;grid-column:1}" in css
    assert ".widget-toggle-button:last-child{display:block;grid-column:4}" in css
    assert css.rindex(".widget-toggle-button.mod-active{display:none}") > css.rindex("grid-column:3")


@pytest.mark.parametrize("count", [0, -1])
def test_no_frames_is_an_error(count):
    with pytest.raises(ValueError, match="at least one frame"):
        FrameControls(count)
