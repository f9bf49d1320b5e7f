"""Lesson 09 exported (``make export LESSONS=09``) and opened from ``file://`` with the network blocked:
the shape aligner's buttons and the unbroadcast stepper's slider and Play step with no kernel.
Screenshots: ``test-artifacts/export09-aligner.png``, ``export09-unbroadcast.png``.
"""

import pytest

from .harness import Offline

STEM = "09_matrix_calculus"
VISIBLE_FRAME = """(root) => {
    const f = [...root.querySelectorAll('.mg-unbroadcast-frame')].find(f => f.offsetParent !== null);
    return f ? f.firstElementChild.textContent : null;
}"""


@pytest.fixture(scope="module")
def site(exported):
    return exported("09")


def test_exported_lesson_09_widgets_step_offline(site, browser):
    o = Offline(browser, {"width": 1300, "height": 1000})
    try:
        page = o.page
        page.goto((site / f"{STEM}.html").as_uri())
        aligner = page.locator(".mg-shape-aligner-widget").first
        aligner.wait_for(state="visible")
        aligner.locator(".widget-toggle-button", has_text="(2, 4, 3) + (4, 1)").click()
        page.wait_for_function(
            """() => [...document.querySelectorAll('.mg-shape-aligner-widget .mg-shape-aligner')]
                 .filter(p => p.offsetParent !== null)
                 .some(p => p.textContent.includes('sum over axis 2 keeping it as size 1'))"""
        )
        aligner.scroll_into_view_if_needed()
        o.screenshot("export09-aligner")

        stepper = page.locator(".mg-unbroadcast").first
        assert stepper.evaluate(VISIBLE_FRAME).startswith("[0/")
        stepper.locator(".mg-step-slider .noUi-handle").focus()
        for _ in range(3):
            page.keyboard.press("ArrowRight")
        page.wait_for_function(
            f"() => ({VISIBLE_FRAME})(document.querySelector('.mg-unbroadcast')).startsWith('[3/')"
        )
        assert "(4, 3) → (3,)" in stepper.evaluate(VISIBLE_FRAME)
        stepper.scroll_into_view_if_needed()
        o.screenshot("export09-unbroadcast")
        stepper.locator(".mg-play button").first.click()  # Play steps on from here, in the browser
        page.wait_for_function(
            f"() => ({VISIBLE_FRAME})(document.querySelector('.mg-unbroadcast')).startsWith('[4/')",
            timeout=20_000,
        )
        o.check_nothing_blocked()
        assert o.errors == [], o.errors
    finally:
        o.close()
