"""Lesson 11 in a real browser: the version timelines render in JupyterLab after "Run All" and step
from the keyboard (no kernel); in the exported page (``file://``, network blocked) Play and the slider
step them too. Screenshots: ``test-artifacts/l11-lab-seed-fix-*.png``, ``l11-lab-sigmoid.png``,
``l11-export-*.png``."""

import pytest

from .harness import REPO, Offline, shows

LESSON = REPO / "notebooks" / "11_gradient_flow.ipynb"
#: The step shown now by the n-th timeline (only the selected Stack child is rendered).
VISIBLE_STEP = """([n]) => {
    const root = document.querySelectorAll('.mg-versions')[n];
    const frames = [...root.querySelectorAll('.mg-frame')].filter(f => f.offsetParent !== null);
    return frames.length ? frames[0].dataset.step : null;
}"""


def _step(page, n):
    return page.evaluate(VISIBLE_STEP, [n])


def _wait_step(page, n, step):
    page.wait_for_function(f"() => ({VISIBLE_STEP})([{n}]) === '{step}'")


#: JupyterLab draws only the cells near the viewport: scroll the code cell containing the needle in.
SCROLL_TO = """async ([needle]) => {
    const panel = window.jupyterapp.shell.currentWidget;
    const i = panel.content.widgets.findIndex(c => c.model.sharedModel.getSource().includes(needle));
    panel.content.activeCellIndex = i;
    await panel.content.scrollToItem(i, 'start');
    return i;
}"""
#: The step shown now by the timeline whose code contains the needle.
STEP_OF = """([needle]) => {
    const root = [...document.querySelectorAll('.mg-versions')].find(r => r.textContent.includes(needle));
    const frames = root ? [...root.querySelectorAll('.mg-frame')].filter(f => f.offsetParent !== null) : [];
    return frames.length ? frames[0].dataset.step : null;
}"""


def _timeline(page, needle, source=None):
    """The timeline whose code contains ``needle``, in the cell whose source contains ``source``."""
    assert page.evaluate(SCROLL_TO, [source or needle]) >= 0
    page.wait_for_function(f"() => ({STEP_OF})([{needle!r}]) !== null")
    return page.locator(".mg-versions", has_text=needle)


def _wait_for(page, needle, step):
    page.wait_for_function(f"() => ({STEP_OF})([{needle!r}]) === '{step}'")


def test_lesson_timelines_render_and_step_from_the_keyboard(lab):
    name = lab.server.add(LESSON)
    lab.open(name)
    lab.run_all()
    page = lab.page

    fix = "x.detach().add_(1)"  # the seed's "fix": shown at its last step, backward's error
    timeline = _timeline(page, fix)
    assert page.evaluate(f"() => ({STEP_OF})([{fix!r}])") == "0"  # it starts before the first line
    timeline.locator(".mg-step-slider .noUi-handle").focus()
    page.keyboard.press("End")
    _wait_for(page, fix, "4")
    shows(timeline.locator(".mg-frame[data-step='4']"), "is at version 1; expected version 0 instead")
    timeline.scroll_into_view_if_needed()
    lab.screenshot("l11-lab-seed-fix-end")
    # Home, then → three times, on the slider's handle: line 3 just ran, x's version moved (+1)
    timeline.locator(".mg-step-slider .noUi-handle").focus()
    page.keyboard.press("Home")
    _wait_for(page, fix, "0")
    for k in (1, 2, 3):
        page.keyboard.press("ArrowRight")
        _wait_for(page, fix, str(k))
    shows(timeline.locator(".mg-frame[data-step='3']"), "1 (+1)", "✗ changed in place: backward will raise")
    lab.screenshot("l11-lab-seed-fix-step3")

    timeline = _timeline(page, "x.add_(1)", source="x.add_(1)\ny.backward()")
    timeline.first.locator(".mg-step-slider .noUi-handle").focus()
    page.keyboard.press("End")
    frame = timeline.first.locator(".mg-frame[data-step='3']")
    frame.wait_for(state="visible")
    shows(frame, "a leaf Variable that requires grad", "not run")
    timeline.first.scroll_into_view_if_needed()
    lab.screenshot("l11-lab-seed-wrong")

    sigmoid = _timeline(page, "s = a.sigmoid()")
    sigmoid.locator(".mg-step-slider .noUi-handle").focus()
    page.keyboard.press("End")
    shows(sigmoid.locator(".mg-frame[data-step='6']"), "which is output 0 of Sigmoid")
    sigmoid.scroll_into_view_if_needed()
    lab.screenshot("l11-lab-sigmoid")
    assert page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count() == 0


@pytest.fixture(scope="module")
def site(exported):
    return exported("11")


def test_exported_page_steps_the_timelines_offline(site, browser):
    o = Offline(browser, {"width": 1300, "height": 1000})
    try:
        page = o.page
        page.goto((site / "11_gradient_flow.html").as_uri())
        page.locator(".mg-versions").first.wait_for(state="visible")
        assert page.locator(".mg-versions").count() == 3
        first = page.locator(".mg-versions").first
        first.scroll_into_view_if_needed()
        assert _step(page, 0) == "0"  # before the first line
        first.locator(".mg-play button").first.click()  # Play: steps on its own, no kernel
        _wait_step(page, 0, "1")
        _wait_step(page, 0, "2")
        o.screenshot("l11-export-wrong-playing")
        _wait_step(page, 0, "3")  # the "wrong" snippet stops at line 3
        shows(first.locator(".mg-frame[data-step='3']"), "a leaf Variable that requires grad")
        o.screenshot("l11-export-wrong-end")
        o.check_nothing_blocked()
        assert o.errors == [], o.errors
    finally:
        o.close()
