"""Lesson 09's widgets in JupyterLab in Chromium: the shape aligner's buttons switch the page shown, and
the unbroadcast stepper's slider steps to the engine's sum for the bias — in the browser (jslink), with
the kernel stopped. Screenshots: ``test-artifacts/lesson09-aligner-*.png``, ``lesson09-unbroadcast.png``.
"""

from .harness import REPO

LESSON = REPO / "notebooks" / "09_matrix_calculus.ipynb"
VISIBLE_ALIGNER = """() => {
    const pages = [...document.querySelectorAll('.mg-shape-aligner-widget .mg-shape-aligner')]
        .filter(p => p.offsetParent !== null);
    return pages.map(p => p.querySelector('th').parentElement.nextElementSibling.textContent);
}"""
VISIBLE_FRAMES = """() => [...document.querySelectorAll('.mg-unbroadcast-frame')]
    .filter(f => f.offsetParent !== null).map(f => f.firstElementChild.textContent)"""


def _run_lesson_then_stop_the_kernel(lab, jupyter_server):
    name = jupyter_server.add(LESSON, "lesson09.ipynb")
    lab.open(name)
    lab.run_all()
    lab.stop_kernel()  # from here on, only the browser can step the widgets


def test_aligner_buttons_and_stepper_slider_work_without_the_kernel(lab, jupyter_server):
    _run_lesson_then_stop_the_kernel(lab, jupyter_server)
    page = lab.page
    aligner = page.locator(".mg-shape-aligner-widget").first
    aligner.scroll_into_view_if_needed()
    assert page.evaluate(VISIBLE_ALIGNER)[0].startswith("a (4, 3)")
    lab.screenshot("lesson09-aligner-first")
    lab.click_until(
        aligner.locator(".widget-toggle-button", has_text="(2, 4, 3) + (4, 1)"),
        f"() => ({VISIBLE_ALIGNER})()[0].startsWith('a (2, 4, 3)')",
    )
    lab.click_until(
        aligner.locator(".widget-toggle-button", has_text="(4, 3) + (4,)"),
        f"() => ({VISIBLE_ALIGNER})()[0].startsWith('a (4, 3)')",
    )
    assert page.locator(".mg-shape-aligner-widget .mg-error").filter(has_text="must match").count() >= 1
    lab.screenshot("lesson09-aligner-error")

    stepper = page.locator(".mg-unbroadcast").first
    stepper.scroll_into_view_if_needed()
    first = page.evaluate(VISIBLE_FRAMES)
    assert first[0].startswith("[0/")
    handle = stepper.locator(".mg-step-slider .noUi-handle")
    handle.click()
    for _ in range(3):  # to the frame where AddBackward0 sends b's gradient
        handle.press("ArrowRight")
    page.wait_for_function(f"() => ({VISIBLE_FRAMES})()[0].startsWith('[3/')")
    title = page.evaluate(VISIBLE_FRAMES)[0]
    assert "AccumulateGrad (b)" in title and "(4, 3) → (3,)" in title
    stepper.scroll_into_view_if_needed()
    lab.screenshot("lesson09-unbroadcast")
