"""The stepper and the path explorer in JupyterLab, in Chromium: what a learner clicks and sees.

The demo notebook is (a·b + 1)² at a = 2, b = 3: L = 49, a.grad = 42, b.grad = 28.
Screenshots go to ``test-artifacts/`` (viz-stepper-step6.png, viz-stepper-end.png, viz-paths.png).
"""

import nbformat

from .harness import REPO, shows

DEMO = [
    "import minigrad\nfrom minigrad import viz\n"
    "a = minigrad.tensor(2.0, requires_grad=True)\nb = minigrad.tensor(3.0, requires_grad=True)\n"
    "c = a * b\nd = c + 1\nL = d ** 2",
    "stepper = viz.BackwardStepper(L, names=locals(), interval=150)\nstepper",
    "viz.PathExplorer(L, a, names=locals())",
    "print('a.grad after stepping:', a.grad)",
]


#: Press → on the slider handle and wait (in the page, frame by frame) until frame ``target`` is shown.
STEP_BY_KEY = """async ([selector, target]) => {
    const handle = document.querySelector(selector);
    handle.focus();
    const t0 = performance.now();
    handle.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowRight', code: 'ArrowRight', bubbles: true}));
    const shown = () => {
        const el = document.querySelector(`.mg-stepper .mg-panel[data-frame='${target}']`);
        return el && el.offsetParent !== null;
    };
    while (!shown()) {
        if (performance.now() - t0 > 5000) return Infinity;
        await new Promise(requestAnimationFrame);
    }
    return performance.now() - t0;
}"""


def _demo_notebook():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in DEMO]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nbformat.writes(nb)


def _panel(page, frame):
    return page.wait_for_selector(f".mg-stepper .mg-panel[data-frame='{frame}']", state="visible")


def test_stepper_steps_plays_and_shows_the_chain_rule(lab):
    import json

    name = lab.server.add(json.loads(_demo_notebook()), "stepper_demo.ipynb")
    lab.open(name)
    lab.run_all()
    page = lab.page
    shows(page.locator(".mg-stepper .mg-panel[data-frame='0']"), "seed")
    prefix = page.evaluate(
        "() => [...document.querySelector('.mg-stepper').classList]"
        ".find(c => /^mgs\\d+_root$/.test(c)).replace('root', '')"
    )

    # ▶ (next frame), six times, to MulBackward0 sending ∂L/∂a (minigrad.viz.controls: no kernel needed).
    for k in range(1, 7):
        page.click(".mg-stepper .mg-nav .mod-active + .widget-toggle-button")
        _panel(page, k)
    panel = _panel(page, 6)
    assert panel.get_attribute("data-node") == "MulBackward0"
    shows(page.locator(".mg-stepper .mg-panel[data-frame='6']"), "∂L/∂a += ∂L/∂c · ∂c/∂a = 14 · 3 = 42")
    node_id = panel.get_attribute("data-node-id")
    fill = page.evaluate(f"() => getComputedStyle(document.querySelector('#{prefix}{node_id} > path')).fill")
    assert fill == "rgb(244, 214, 191)"  # the current node's vermillion tint
    label = page.evaluate(f"() => getComputedStyle(document.querySelector('#{prefix}e2 text')).visibility")
    assert label == "visible"  # the edge to a carries its gradient, labelled
    hidden = page.evaluate(f"() => getComputedStyle(document.querySelector('#{prefix}e3 text')).visibility")
    assert hidden == "hidden"  # the edge to b has not been sent yet
    lab.screenshot("viz-stepper-step6", full_page=True)

    # Keyboard, no kernel: on the slider's focused handle, → shows the next frame; timed in the page.
    elapsed = page.evaluate(STEP_BY_KEY, [".mg-stepper .mg-step-slider .noUi-handle", 7])
    _panel(page, 7)
    shows(page.locator(".mg-stepper .mg-panel[data-frame='7']"), "∂L/∂b += ∂L/∂c · ∂c/∂b = 14 · 2 = 28")
    print(f"one step in the browser (keydown → frame shown): {elapsed:.1f} ms")
    assert elapsed < 1000  # the target is 100 ms; this only guards against a kernel round trip sneaking in

    # Play from here: it reaches the last step on its own.
    page.click(".mg-stepper .mg-play button")
    last = page.locator(".mg-stepper .mg-panel[data-kind='done']")
    last.wait_for(state="visible", timeout=20_000)
    shows(last, "a.grad = 42", "b.grad = 28")
    lab.screenshot("viz-stepper-end", full_page=True)

    # Selecting a path in the path explorer; the sum agrees with the engine.
    explorer = page.locator(".mg-paths .mg-panel[data-path='all']")
    explorer.wait_for(state="visible")
    shows(explorer, "engine: ∂L/∂a = 42  ✓ equal")
    page.select_option(".mg-paths select", index=0)
    panel = page.locator(".mg-paths .mg-panel[data-path='0']")
    panel.wait_for(state="visible")
    shows(panel, "14 · 1 · 3 = 42")
    page.locator(".mg-paths").scroll_into_view_if_needed()
    lab.screenshot("viz-paths", full_page=True)

    # The widgets never touched a.grad.
    output = page.locator(".jp-OutputArea-output", has_text="a.grad after stepping:")
    assert shows(output, "a.grad after stepping:").strip() == "a.grad after stepping: None"


def test_tour_notebook_renders_every_widget(lab):
    """notebooks/tour.ipynb, run in JupyterLab: no errors, every widget shows up; keyboard stepping
    (screenshots: viz-tour-broadcast.png, viz-tour-presenter.png)."""
    name = lab.server.add(REPO / "notebooks" / "tour.ipynb")
    lab.open(name)
    lab.run_all()
    page = lab.page
    page.wait_for_selector(".mg-paths .mg-panel[data-path='all']", state="visible")
    assert page.locator(".mg-stepper").count() == 4
    assert page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.error']").count() == 0
    assert page.locator(".mg-stepper .mg-panel[data-frame='0']").count() == 4
    # the broadcasting stepper, stepped to its end with the keyboard (End on the slider handle)
    handle = page.locator(".mg-stepper .mg-step-slider .noUi-handle").nth(2)
    handle.focus()
    page.keyboard.press("End")
    done = page.locator(".mg-stepper").nth(2).locator(".mg-panel[data-kind='done']")
    done.wait_for(state="visible")
    shows(done, "x.grad = [5, 7, 9]")
    done.scroll_into_view_if_needed()
    lab.screenshot("viz-tour-broadcast")
    presenter = page.locator(".mg-stepper.mg-presenter")
    presenter.locator(".mg-step-slider .noUi-handle").focus()
    for _ in range(6):
        page.keyboard.press("ArrowRight")
    presenter.locator(".mg-panel[data-frame='6']").wait_for(state="visible")
    presenter.scroll_into_view_if_needed()
    lab.screenshot("viz-tour-presenter")
