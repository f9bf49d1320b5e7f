"""The Chinese edition as a Chinese learner meets it, in Chromium.

- ``make lab-zh``'s JupyterLab: the interface in Chinese (the language pack from requirements.txt, the
  locale from the settings file that ``scripts/setup.sh`` writes), the Chinese lesson 05 run, its
  stepper stepped with ▶, Chinese in the stepper's panel; printed text tables line up (a Chinese
  character is exactly two columns of the output's monospace font).
- ``make export``'s Chinese page (``site/zh/05_engine.html``, ``<html lang="zh">``) from ``file://``
  with no network: the stepper steps, its panel speaks Chinese, its text tables line up too, and
  ``site/index.html`` lists the Chinese lessons.

Screenshots (look at them: every glyph must render, no tofu boxes): ``test-artifacts/zh-lab-lesson05.png``,
``zh-export-lesson05.png``, ``zh-export-index.png``.
"""

import re
import shutil

import pytest

from .harness import REPO, JupyterServer, Lab, shows

CJK = re.compile(r"[\u4e00-\u9fff]")
LESSON = REPO / "notebooks" / "zh" / "05_engine.ipynb"
ZH_SETTINGS = REPO / ".venv/share/jupyter/lab/user-settings-zh"
LOCALE_SETTINGS = ZH_SETTINGS / "@jupyterlab/translation-extension/plugin.jupyterlab-settings"
#: Widths in a printed output (a ``pre``) of one Chinese character and of two Latin ones.
COLUMNS = """(pre) => {
    const width = (text) => {
        const span = document.createElement('span');
        span.textContent = text;
        pre.appendChild(span);
        const w = span.getBoundingClientRect().width;
        span.remove();
        return w;
    };
    return [width('空'), width('ab')];
}"""


def _chinese_is_two_columns(pre):
    chinese, two = pre.evaluate(COLUMNS)
    assert abs(chinese - two) < 0.5, f"a Chinese character is {chinese:.1f} px wide, two columns {two:.1f} px"


NEXT = ".mg-nav .mod-active + .widget-toggle-button"  # ▶ in viz.FrameControls


@pytest.fixture(scope="module")
def chinese_server(tmp_path_factory, jupyter_server):
    """A JupyterLab of its own, with the settings `make lab-zh` uses (jupyter_server: skips without a browser)."""
    assert LOCALE_SETTINGS.exists(), "scripts/setup.sh writes the Chinese locale settings"
    workdir = tmp_path_factory.mktemp("jupyter-zh")
    shutil.copytree(ZH_SETTINGS, workdir / "settings")
    with JupyterServer(workdir) as server:
        yield server


def test_chinese_lesson_in_a_chinese_jupyterlab_steps_in_chinese(chinese_server, browser):

    context = browser.new_context(viewport={"width": 1400, "height": 1000}, device_scale_factor=1)
    page = context.new_page()
    page.set_default_timeout(30_000)
    lab = Lab(chinese_server, page)
    try:
        lab.open(chinese_server.add(LESSON))
        menus = page.locator("#jp-menu-panel .lm-MenuBar-itemLabel").all_inner_texts()
        assert "文件" in menus and "编辑" in menus, menus  # File, Edit: the interface is Chinese
        lab.run_all()
        assert (
            page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.error']").count() == 0
        )
        stepper = page.locator(".mg-stepper").first
        stepper.wait_for(state="attached")
        stepper.scroll_into_view_if_needed()
        for k in (1, 2, 3):
            stepper.locator(NEXT).click()
            stepper.locator(f".mg-panel[data-frame='{k}']").wait_for(state="visible")
        panel = shows(stepper.locator(".mg-panel[data-frame='3']"), "AddBackward0")  # PyTorch's names stay
        assert CJK.search(panel), panel
        lab.screenshot("zh-lab-lesson05")
        table = page.locator(".jp-OutputArea-output pre", has_text="就绪队列").first  # viz.event_table
        table.scroll_into_view_if_needed()
        _chinese_is_two_columns(table)
        table.screenshot(path=str(REPO / "test-artifacts" / "zh-lab-event-table.png"))
    finally:
        context.close()


def test_exported_chinese_lesson_steps_offline_in_chinese(exported, offline):
    from playwright.sync_api import expect

    site = exported("zh/05")
    o = offline({"width": 1300, "height": 1000})
    page = o.page
    page.goto((site / "zh" / "05_engine.html").as_uri())
    assert page.evaluate("() => document.documentElement.lang") == "zh"
    _chinese_is_two_columns(page.locator(".jp-OutputArea-output pre", has_text="就绪队列").first)
    stepper = page.locator(".mg-stepper").first
    stepper.wait_for(state="visible")
    for k in (1, 2, 3):
        stepper.locator(NEXT).click()
        stepper.locator(f".mg-panel[data-frame='{k}']").wait_for(state="visible")
    expect(stepper.locator(".mg-panel[data-frame='3']")).to_contain_text(CJK)
    page.wait_for_selector(".MathJax_CHTML", state="attached")
    stepper.scroll_into_view_if_needed()
    o.screenshot("zh-export-lesson05")
    o.check_nothing_blocked()
    assert o.errors == [], o.errors

    page.goto((site / "index.html").as_uri())
    chinese = page.locator("section[lang='zh-CN'] a").first
    assert chinese.get_attribute("href") == "zh/05_engine.html"
    expect(chinese).to_contain_text(CJK)
    o.screenshot("zh-export-index")
