"""Lesson 10's saved-tensors widget in exported HTML, opened from ``file://`` with the network blocked:
it steps with no kernel (slider keys, Play), and the boxes of freed saved tensors really turn grey
in the drawing. Screenshots: ``test-artifacts/lifetime-export-first.png``, ``lifetime-export-middle.png``,
``lifetime-export-done.png``.
"""

import pytest

from .harness import Offline

STEM = "10_graph_lifetime"
VISIBLE = """(root) => {
    const panel = [...root.querySelectorAll('.mg-panel')].find(p => p.offsetParent !== null);
    return panel ? {frame: Number(panel.dataset.frame), kind: panel.dataset.kind,
                    held: Number(panel.dataset.held), text: panel.innerText} : null;
}"""
#: Fill colours of the saved-tensor boxes (the note shapes whose id ends in _s<number>).
BOX_FILLS = """() => [...document.querySelectorAll('.mg-lifetime g.node')]
    .filter(g => /_s\\d+$/.test(g.id))
    .map(g => getComputedStyle(g.querySelector('polygon')).fill)"""
HELD_FILL = "rgb(251, 248, 207)"  # style.TINT[YELLOW]
FREED_FILL = "rgb(242, 242, 242)"  # style.TINT[GREY]


@pytest.fixture(scope="module")
def site(exported):
    return exported("10")


def test_saved_tensors_grey_out_offline(site, browser):
    o = Offline(browser, {"width": 1300, "height": 1100})
    try:
        page = o.page
        page.goto((site / f"{STEM}.html").as_uri())
        widget = page.locator(".mg-lifetime").first
        widget.wait_for(state="visible")
        widget.scroll_into_view_if_needed()
        first = widget.evaluate(VISIBLE)
        assert first["frame"] == 0 and first["held"] == 4
        assert page.evaluate(BOX_FILLS) == [HELD_FILL] * 5
        o.screenshot("lifetime-export-first")

        # Play, clicked: frames advance with no kernel; pause again
        play = widget.locator(".mg-play button").first
        play.click()
        page.wait_for_function(
            f"() => ({VISIBLE})(document.querySelector('.mg-lifetime')).frame >= 2", timeout=20_000
        )
        play.click()

        # the slider from the keyboard: Home, then → to the frame where PowBackward0 frees its tensor
        handle = widget.locator(".mg-step-slider .noUi-handle")
        handle.focus()
        page.keyboard.press("Home")
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        page.wait_for_function(f"() => ({VISIBLE})(document.querySelector('.mg-lifetime')).frame === 2")
        middle = widget.evaluate(VISIBLE)
        assert middle["kind"] == "free" and middle["held"] == 3
        fills = page.evaluate(BOX_FILLS)
        assert fills.count(FREED_FILL) == 1 and fills.count(HELD_FILL) == 4
        o.screenshot("lifetime-export-middle")

        page.keyboard.press("End")
        page.wait_for_function(f"() => ({VISIBLE})(document.querySelector('.mg-lifetime')).kind === 'done'")
        done = widget.evaluate(VISIBLE)
        assert done["held"] == 0
        assert "Trying to backward through the graph a second time" in done["text"]
        fills = page.evaluate(BOX_FILLS)
        assert fills.count(FREED_FILL) == 4 and fills.count(HELD_FILL) == 1  # the exponent is a number
        o.screenshot("lifetime-export-done")
        o.check_nothing_blocked()
        assert o.errors == [], o.errors
    finally:
        o.close()
