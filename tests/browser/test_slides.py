"""Presenting lesson 05 live, as a teacher does it with ``make present LESSON=05`` (``scripts/present.py``).

The script starts JupyterLab on a copy of the lesson with every cell already run in a warm kernel; the
browser opens the lesson, checks that nothing needs running (first cell active, every code cell has
run, the stepper is live and in presenter size), starts the slideshow with the notebook toolbar's deck
button, advances a slide and a fragment with the keyboard, walks to the stepper's slide, and clicks
Play with a real mouse click: the stepper's highlighted node changes. The next-frame button (▶) works
too. The JupyterLab settings are the ones ``scripts/setup.sh`` writes into the virtual
environment (``showCodeCellPrompt``: without it an invisible overlay swallows the click on Play).

The same for ``make present LESSON=zh/05``: the Chinese twin in a JupyterLab whose menus are Chinese,
its stepper stepped on its slide, the panel in Chinese.

Screenshots: ``test-artifacts/slides-title.png`` (first slide), ``slides-fragment.png`` (second slide
with its first fragment shown), ``slides-stepper.png`` (the stepper after Play), ``slides-zh-stepper.png``.
"""

import os
import signal
import subprocess
import sys
import time

import pytest

from .harness import REPO, Lab, free_port, shows

#: Indices of the notebook's cells that the slideshow shows now (fragments still to come are hidden).
ON_SCREEN = """() => window.jupyterapp.shell.currentWidget.content.widgets
    .map((cell, i) => [i, cell.node.classList.contains('jp-deck-mod-visible')])
    .filter(([i, on]) => on).map(([i]) => i)"""
HIGHLIGHTED = """(root) => {
    const panel = [...root.querySelectorAll('.mg-panel')].find(p => p.offsetParent !== null);
    const prefix = [...root.classList].find(c => /^mgs\\d+_root$/.test(c)).replace('root', '');
    const id = panel.dataset.nodeId;
    const shape = id && document.querySelector(`#${prefix}${id} > path, #${prefix}${id} > polygon`);
    return {frame: Number(panel.dataset.frame), node: id, fill: shape ? getComputedStyle(shape).fill : null};
}"""
VERMILLION_TINT = "rgb(244, 214, 191)"  # minigrad.viz.style: the node running now


class Presenting:
    """``scripts/present.py LESSON`` in the background, with its own Jupyter directories."""

    def __init__(self, workdir, lesson="05"):
        self.workdir = workdir
        self.lesson = lesson
        self.port = free_port()
        self.token = os.urandom(16).hex()
        self.url = f"http://127.0.0.1:{self.port}"
        self.ready = workdir / "ready"
        self.output = workdir / "present.out"

    def start(self, timeout=120):
        env = dict(os.environ)
        for name in ("config", "runtime", "settings", "workspaces", "data"):
            (self.workdir / name).mkdir()
        env.update(
            JUPYTER_CONFIG_DIR=str(self.workdir / "config"),
            JUPYTER_RUNTIME_DIR=str(self.workdir / "runtime"),
            JUPYTERLAB_SETTINGS_DIR=str(self.workdir / "settings"),
            JUPYTERLAB_WORKSPACES_DIR=str(self.workdir / "workspaces"),
            JUPYTER_DATA_DIR=str(self.workdir / "data"),
        )
        cmd = [
            sys.executable,
            str(REPO / "scripts" / "present.py"),
            self.lesson,
            "--port",
            str(self.port),
            "--token",
            self.token,
            "--no-browser",
            "--root",
            str(self.workdir / "root"),
            "--ready-file",
            str(self.ready),
        ]
        self._out = open(self.output, "w")
        self.process = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=self._out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while not self.ready.exists():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"present.py did not get ready:\n{self.output.read_text()}")
            time.sleep(0.2)
        return self

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # Ctrl+C: present.py stops its server
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
        self._out.close()


def _present(tmp_path_factory, lesson):
    from .conftest import _skip_or_fail, _skip_reason

    reason = _skip_reason()
    if reason:
        _skip_or_fail(reason)  # a skip, except in CI
    return Presenting(tmp_path_factory.mktemp("present"), lesson).start()


@pytest.fixture(scope="module")
def presenting(tmp_path_factory):
    server = _present(tmp_path_factory, "05")
    yield server
    server.stop()


@pytest.fixture
def page(request, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, device_scale_factor=1)
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    report = getattr(request.node, "rep_call", None)  # set by conftest.py's hook
    if report is not None and report.failed:
        Lab(None, page).screenshot(f"FAILED-{request.node.name}")  # (only its screenshot helper)
    context.close()


#: Where the slideshow is: its active cell (a cell that continues a slide is a step of its own, with
#: nothing new on screen) and the cells shown.
POSITION = f"""() => JSON.stringify([window.jupyterapp.shell.currentWidget.content.activeCellIndex,
                                     ({ON_SCREEN})()])"""


def _advance(page, key="ArrowRight"):
    """Press ``key`` and wait until the slideshow has moved; returns the cells on screen."""
    before = page.evaluate(POSITION)
    page.keyboard.press(key)
    page.wait_for_function(f"(before) => ({POSITION})() !== before", arg=before)
    return page.evaluate(ON_SCREEN)


def _open_presented(lab, path):
    """Open the presented copy and wait until every cell is there (the kernel already ran them)."""
    page = lab.page
    lab.open(path)
    page.evaluate(
        "async () => { const p = window.jupyterapp.shell.currentWidget; await p.context.ready; await p.revealed; }"
    )
    page.wait_for_function("""() => { const nb = window.jupyterapp.shell.currentWidget.content;
        return nb.model.cells.length > 1 && nb.widgets.length === nb.model.cells.length; }""")


def _start_slideshow(lab):
    """The teacher's click on the deck button in the notebook toolbar: the slideshow starts at cell 0.
    (A click that comes while the notebook is still settling can go unanswered; a teacher clicks
    again, and so does this.)"""
    button = lab.page.locator(".jp-NotebookPanel-toolbar [data-jp-item-name='deck']").locator(
        "button, jp-button"
    )
    lab.click_until(button.first, "() => document.body.dataset.jpDeckMode === 'presenting'")
    lab.page.wait_for_function(f"() => ({ON_SCREEN})().includes(0)")


def _to_the_stepper_slide(page):
    """Space until the stepper's cell is on screen (found by its DOM, or by its source); its stepper."""
    stepper_cell = page.evaluate("""() => window.jupyterapp.shell.currentWidget.content.widgets
        .findIndex(c => c.node.querySelector('.mg-stepper'))""")
    if stepper_cell < 0:  # cells off screen may not be rendered yet: find it in the model instead
        stepper_cell = page.evaluate("""() => window.jupyterapp.shell.currentWidget.content.widgets
            .findIndex(c => c.model.type === 'code' && c.model.sharedModel.source.includes('BackwardStepper'))""")
    for _ in range(40):  # Space: next in reading order, through subslides (→ would skip them)
        if stepper_cell in page.evaluate(ON_SCREEN):
            break
        _advance(page, "Space")
    stepper = page.locator(".jp-deck-mod-visible .mg-stepper").first
    stepper.wait_for(state="visible")
    return stepper


def _click_where_it_is(page, button):
    """A real mouse click in the middle of ``button``, once it is on screen and nothing covers it."""
    box = button.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    assert 0 < y < page.viewport_size["height"], "the button is not on screen on this slide"
    hit = page.evaluate("([x, y]) => !!document.elementFromPoint(x, y).closest('.mg-play')", [x, y])
    assert hit, "something covers the Play button on the slide (jupyterlab-slideshow's prompt overlay?)"
    page.mouse.click(x, y)


def _settled_frame(stepper, interval=1.0, timeout=20):
    """The frame shown once Play has stopped: unchanged for longer than one Play interval (a tick
    already under way when Pause was clicked can still move it one frame)."""
    deadline = time.monotonic() + timeout
    shown, since = None, time.monotonic()
    while time.monotonic() < deadline:
        frame = stepper.evaluate(HIGHLIGHTED)["frame"]
        if frame != shown:
            shown, since = frame, time.monotonic()
        elif time.monotonic() - since > 1.5 * interval:
            return frame
        time.sleep(0.1)
    raise AssertionError(f"the stepper was still moving {timeout} s after Pause")


def test_present_lesson_05_with_a_live_stepper(presenting, page):
    text = presenting.output.read_text()
    assert "code cells run (0 errors), presenter size on, first cell active" in text, text
    assert f"{presenting.url}/lab/tree/notebooks/05_engine.ipynb?token={presenting.token}" in text
    assert "Space" in text and "Esc" in text  # the keys are printed

    lab = Lab(presenting, page)
    _open_presented(lab, "notebooks/05_engine.ipynb")
    state = page.evaluate("""() => {
        const nb = window.jupyterapp.shell.currentWidget.content;
        const code = nb.widgets.filter(c => c.model.type === 'code');
        return {active: nb.activeCellIndex, code: code.length,
                run: code.filter(c => c.model.executionCount !== null).length,
                trusted: code.every(c => c.model.trusted)};
    }""")
    assert state["active"] == 0 and state["code"] == state["run"] > 0 and state["trusted"], state

    _start_slideshow(lab)
    assert page.evaluate(ON_SCREEN) == [0]
    lab.screenshot("slides-title")

    # → : the next slide (cell 3, "The example"); → again: its first fragment (cell 4) joins it
    assert _advance(page) == [3]
    assert _advance(page) == [3, 4]
    lab.screenshot("slides-fragment")

    # on to the stepper's slide (found by its DOM, not by its cell index)
    stepper = _to_the_stepper_slide(page)
    assert "mg-presenter" in stepper.get_attribute("class")
    first = stepper.evaluate(HIGHLIGHTED)
    assert first["frame"] == 0 and first["fill"] == VERMILLION_TINT, first

    # a real mouse click on Play, where the teacher clicks
    play = stepper.locator(".mg-play button").first
    _click_where_it_is(page, play)
    page.wait_for_function(
        f"(first) => ({HIGHLIGHTED})(document.querySelector('.jp-deck-mod-visible .mg-stepper')).node !== first",
        arg=first["node"],
        timeout=20_000,
    )
    # the same button pauses, looked for again: the first click on a slide taller than the screen can
    # scroll the notebook back to the slide's top (jupyterlab-deck; the button moved 155 px down here)
    _click_where_it_is(page, play)
    frame = _settled_frame(stepper)
    now = stepper.evaluate(HIGHLIGHTED)
    assert now["frame"] > 0 and now["node"] != first["node"] and now["fill"] == VERMILLION_TINT, now

    # the next-frame button (▶, minigrad.viz.controls: linked in the browser) works on a slide too
    stepper.locator(".mg-nav .mod-active + .widget-toggle-button").click()
    page.wait_for_function(
        f"(f) => ({HIGHLIGHTED})(document.querySelector('.jp-deck-mod-visible .mg-stepper')).frame === f + 1",
        arg=frame,
    )
    assert page.evaluate("() => document.body.dataset.jpDeckMode") == "presenting"
    lab.screenshot("slides-stepper")


@pytest.fixture(scope="module")
def presenting_zh(tmp_path_factory):
    server = _present(tmp_path_factory, "zh/05")
    yield server
    server.stop()


def test_present_chinese_lesson_05_in_a_chinese_jupyterlab(presenting_zh, page):
    """``make present LESSON=zh/05``: the Chinese twin, JupyterLab's menus in Chinese (the settings of
    ``make lab-zh``), and on the stepper's slide ▶ shows the next frame with its panel in Chinese.
    Screenshot: ``test-artifacts/slides-zh-stepper.png``."""
    text = presenting_zh.output.read_text()
    assert f"{presenting_zh.url}/lab/tree/notebooks/zh/05_engine.ipynb?token={presenting_zh.token}" in text
    lab = Lab(presenting_zh, page)
    _open_presented(lab, "notebooks/zh/05_engine.ipynb")
    menus = page.locator("#jp-menu-panel .lm-MenuBar-itemLabel").all_inner_texts()
    assert "文件" in menus and "编辑" in menus, menus  # File, Edit
    _start_slideshow(lab)
    stepper = _to_the_stepper_slide(page)
    assert "mg-presenter" in stepper.get_attribute("class")
    shows(stepper.locator(".mg-panel[data-frame='0']"), "就绪队列")
    stepper.locator(".mg-nav .mod-active + .widget-toggle-button").click()
    shows(stepper.locator(".mg-panel[data-frame='1']"), "[第 1/10 帧]")
    assert page.evaluate("() => document.body.dataset.jpDeckMode") == "presenting"
    lab.screenshot("slides-zh-stepper")
