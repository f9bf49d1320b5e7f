"""The Chinese edition in JupyterLab, in Chromium: lesson 05's Chinese twin (``notebooks/zh/05_engine.ipynb``,
whose first cell calls ``viz.set_language("zh")``) run as a learner runs it; its BackwardStepper steps with
▶ and its panel and legend speak Chinese.

Screenshot: ``test-artifacts/lesson05-zh-stepper.png`` (look at it: every glyph drawn, no empty boxes).
"""

from .harness import REPO, shows


def test_chinese_lesson_05_stepper_panel_speaks_chinese(lab):
    name = lab.server.add(REPO / "notebooks" / "zh" / "05_engine.ipynb", "05_engine_zh.ipynb")
    lab.open(name)
    lab.run_all()
    page = lab.page
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.error']")
    assert errors.count() == 0, errors.all_inner_texts()
    stepper = page.locator(".mg-stepper").first
    stepper.wait_for(state="attached")
    stepper.scroll_into_view_if_needed()  # JupyterLab renders only the cells in view
    first = stepper.locator(".mg-panel[data-frame='0']")
    first.wait_for(state="visible")
    shows(first, "就绪队列")
    for k in (1, 2, 3):
        stepper.locator(".mg-nav .mod-active + .widget-toggle-button").click()
        stepper.locator(f".mg-panel[data-frame='{k}']").wait_for(state="visible")
    text = shows(
        stepper.locator(".mg-panel[data-frame='3']"),
        "[第 3/10 帧] 第 2 步：运行 AddBackward0",
        "流入这个节点的所有梯度之和",
        "输入缓冲区",
    )
    assert "ready queue" not in text
    legend = shows(stepper.locator(".mg-legend"), "正在运行")
    assert "running now" not in legend
    stepper.scroll_into_view_if_needed()
    lab.screenshot("lesson05-zh-stepper")
