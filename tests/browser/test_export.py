"""The offline export (``make export``): lesson 05 as an HTML page and as reveal.js slides, opened from
``file://`` in Chromium with every request that is not a local file aborted. Nothing may be blocked or
missing, MathJax and the widget icons render from the local copies, and the stepper steps (slider keys,
Play) with no kernel. In the slides, keys typed into a focused widget do not change the slide.

Set-up: ``scripts/setup_export.sh`` (idempotent; installs the pinned npm packages the first time), then
``tools/export/export.py`` for lesson 05 into a temporary folder.
Screenshots: ``test-artifacts/export-page.png``, ``export-slides-stepper.png``.
"""

import pytest

from .harness import shows

LESSON = "05"
STEM = "05_engine"
VISIBLE_FRAME = """(root) => {
    const panels = [...root.querySelectorAll('.mg-panel')].filter(p => p.offsetParent !== null);
    return panels.length ? panels[0].dataset.frame : null;
}"""
#: The node the stepper highlights now (the visible frame's node) and its fill colour in the drawing.
HIGHLIGHTED = """(root) => {
    const panel = [...root.querySelectorAll('.mg-panel')].find(p => p.offsetParent !== null);
    const prefix = [...root.classList].find(c => /^mgs\\d+_root$/.test(c)).replace('root', '');
    const shape = panel.dataset.nodeId && document.querySelector(`#${prefix}${panel.dataset.nodeId} > path, #${prefix}${panel.dataset.nodeId} > polygon`);
    return {frame: Number(panel.dataset.frame), node: panel.dataset.nodeId,
            fill: shape ? getComputedStyle(shape).fill : null};
}"""
VERMILLION_TINT = "rgb(244, 214, 191)"  # minigrad.viz.style: the node running now


@pytest.fixture(scope="module")
def site(exported):
    return exported(LESSON)


def _wait_math(page):
    page.wait_for_selector(".MathJax_CHTML", state="attached")
    assert page.locator(".MathJax_Error, .mjx-merror").count() == 0


def _font_awesome_loaded(page):
    return page.evaluate("""async () => {
        await document.fonts.ready;
        return [...document.fonts].some(f => /Font Awesome/.test(f.family) && f.status === 'loaded');
    }""")


def test_exported_page_steps_offline(site, offline):
    o = offline({"width": 1300, "height": 1000})
    page = o.page
    page.goto((site / f"{STEM}.html").as_uri())
    stepper = page.locator(".mg-stepper").first
    stepper.wait_for(state="visible")
    assert page.locator(".mg-stepper").count() == 2
    assert stepper.evaluate(VISIBLE_FRAME) == "0"

    # the slider, from the keyboard: → shows the next frame (jslink in the browser, no kernel)
    stepper.locator(".mg-step-slider .noUi-handle").focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(f"() => ({VISIBLE_FRAME})(document.querySelector('.mg-stepper')) === '1'")
    # Play, with a real mouse click: it steps on its own (then pause it with the same button)
    play = stepper.locator(".mg-play button").first
    play.click()
    page.wait_for_function(f"() => ({VISIBLE_FRAME})(document.querySelector('.mg-stepper')) === '2'")
    play.click()
    # End on the slider handle: the last frame, with the gradients
    stepper.locator(".mg-step-slider .noUi-handle").focus()
    page.keyboard.press("End")
    done = stepper.locator(".mg-panel[data-kind='done']")
    done.wait_for(state="visible")
    shows(done, "a.grad = 42", "b.grad = 28")

    _wait_math(page)
    assert _font_awesome_loaded(page), "the Play button's Font Awesome icons did not load"
    assert page.locator("pre.mermaid, script[src*='mermaid']").count() == 0
    stepper.scroll_into_view_if_needed()
    o.screenshot("export-page")
    o.check_nothing_blocked()
    assert o.errors == [], o.errors


def test_exported_slides_step_offline(site, offline):
    o = offline({"width": 1280, "height": 800})
    page = o.page
    page.goto((site / f"{STEM}.slides.html").as_uri())
    page.wait_for_function("() => window.Reveal && window.Reveal.isReady()")
    assert page.evaluate("() => Reveal.getIndices().h") == 0
    page.locator(".reveal").click(
        position={"x": 5, "y": 5}
    )  # focus the deck, as a teacher's first click would

    # → advances to the next slide; on slide 1 the next → shows a fragment (same slide, one more visible)
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => Reveal.getIndices().h === 1")
    before = page.evaluate(
        "() => document.querySelectorAll('.reveal .slides section.present .fragment.visible').length"
    )
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "(n) => document.querySelectorAll('.reveal .slides section.present .fragment.visible').length > n",
        arg=before,
    )
    assert page.evaluate("() => Reveal.getIndices().h") == 1

    # go to the first stepper's slide
    page.evaluate("""() => {
        const section = document.querySelector('.mg-stepper').closest('section');
        const i = Reveal.getIndices(section);
        Reveal.slide(i.h, i.v, -1);
        Reveal.navigateFragment(Infinity);
    }""")
    stepper = page.locator("section.present .mg-stepper").first
    stepper.wait_for(state="visible")
    assert stepper.evaluate(VISIBLE_FRAME) == "0"
    indices = page.evaluate("() => JSON.stringify(Reveal.getIndices())")
    first = stepper.evaluate(HIGHLIGHTED)

    # a real mouse click on Play: the highlighted node changes while the deck stays put
    play = stepper.locator(".mg-play button").first
    play.scroll_into_view_if_needed()
    box = play.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_function(
        f"(first) => ({HIGHLIGHTED})(document.querySelector('section.present .mg-stepper')).node !== first",
        arg=first["node"],
        timeout=20_000,
    )
    play.click()  # the same button pauses (its icon turned into ⏸)
    now = stepper.evaluate(HIGHLIGHTED)
    assert now["frame"] > first["frame"] and now["node"] and now["node"] != first["node"]
    assert now["fill"] == VERMILLION_TINT, now

    # keys typed into the focused slider step the widget, not the deck
    frame = int(stepper.evaluate(VISIBLE_FRAME))
    stepper.locator(".mg-step-slider .noUi-handle").focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        f"() => ({VISIBLE_FRAME})(document.querySelector('section.present .mg-stepper')) === '{frame + 1}'"
    )
    assert page.evaluate("() => JSON.stringify(Reveal.getIndices())") == indices
    o.screenshot("export-slides-stepper")

    # Esc gives the keys back to the deck: → moves on
    page.keyboard.press("Escape")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("(old) => JSON.stringify(Reveal.getIndices()) !== old", arg=indices)

    _wait_math(page)
    assert _font_awesome_loaded(page)
    assert page.locator("script[type='module']").count() == 0  # no mermaid import
    o.check_nothing_blocked()
    assert o.errors == [], o.errors


#: The four frame buttons of minigrad.viz.controls, found as a learner sees them (by their place).
NAV = {
    "first": ".mg-nav .widget-toggle-button:first-child:not(.mod-active)",
    "back": ".mg-nav .widget-toggle-button:has(+ .mod-active)",
    "next": ".mg-nav .mod-active + .widget-toggle-button",
    "last": ".mg-nav .widget-toggle-button:last-child:not(.mod-active)",
}


def test_exported_page_frame_buttons_step_offline(site, offline):
    """⏮ ◀ ▶ ⏭ with real mouse clicks and no kernel: three clicks on ▶ show frame 3, and so on."""
    o = offline({"width": 1300, "height": 1000})
    page = o.page
    page.goto((site / f"{STEM}.html").as_uri())
    from playwright.sync_api import expect

    stepper = page.locator(".mg-stepper").first
    stepper.wait_for(state="visible")
    shown = f"() => ({VISIBLE_FRAME})(document.querySelector('.mg-stepper'))"
    assert page.evaluate(shown) == "0"
    # on the first frame there is nothing to go back to: ⏮ and ◀ are absent, ▶ and ⏭ are there
    assert stepper.locator(NAV["back"]).count() == 0
    assert stepper.locator(NAV["first"]).count() == 0

    def next_place():  # relative to the stepper (clicking scrolls the page)
        button, root = stepper.locator(NAV["next"]).bounding_box(), stepper.bounding_box()
        return button["x"] - root["x"], button["y"] - root["y"], button["width"]

    def settled_place():  # the page keeps laying itself out for a while (fonts, MathJax above it)
        place, previous = next_place(), None
        for _ in range(50):
            if place == previous:
                return place
            page.wait_for_timeout(300)
            place, previous = next_place(), place
        return place

    place = settled_place()
    for k in (1, 2, 3):
        stepper.locator(NAV["next"]).click()
        page.wait_for_function(f"() => ({shown})() === '{k}'")
    # ▶ stays where it was, so a teacher can keep clicking the same spot
    assert settled_place() == place
    stepper.locator(NAV["back"]).click()
    page.wait_for_function(f"() => ({shown})() === '2'")
    # the slider and the frame box follow the buttons (they are all linked in the browser)
    expect(stepper.locator(".mg-step-slider .widget-readout")).to_have_text("2")
    expect(stepper.locator(".mg-step-box input")).to_have_value("2")
    stepper.locator(NAV["last"]).click()
    done = stepper.locator(".mg-panel[data-kind='done']")
    done.wait_for(state="visible")
    assert stepper.locator(NAV["next"]).count() == 0 and stepper.locator(NAV["last"]).count() == 0
    stepper.locator(NAV["first"]).click()
    page.wait_for_function(f"() => ({shown})() === '0'")
    stepper.locator(NAV["next"]).click()
    page.wait_for_function(f"() => ({shown})() === '1'")
    stepper.scroll_into_view_if_needed()
    o.screenshot("export-page-buttons")
    o.check_nothing_blocked()
    assert o.errors == [], o.errors
