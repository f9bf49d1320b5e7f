"""Lessons 04 and 05 in JupyterLab, in Chromium, as a learner runs them: the graph explorer (04) picks a
node and shows its saved tensors and next_functions; the stepper (05) steps with ▶ (no kernel needed).

Screenshots: ``test-artifacts/lesson04-explorer.png``, ``lesson05-stepper.png``.
"""

from .harness import REPO, shows


def test_lesson_04_graph_explorer_shows_the_picked_node(lab):
    name = lab.server.add(REPO / "notebooks" / "04_leaf_tensors.ipynb")
    lab.open(name)
    lab.run_all()
    page = lab.page
    explorer = page.locator(".mg-explorer").first
    explorer.wait_for(state="attached")
    explorer.scroll_into_view_if_needed()  # JupyterLab renders only the cells in view
    assert page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.error']").count() == 0
    visible = explorer.locator(".mg-panel[data-node='PowBackward0']")
    visible.wait_for(state="visible")
    shows(visible, "L.grad_fn = <PowBackward0 object>")
    # pick c's MulBackward0: its two saved tensors and its next_functions appear (no kernel round trip)
    explorer.locator("select").select_option(label="c.grad_fn = MulBackward0")
    panel = explorer.locator(".mg-panel[data-node='MulBackward0']")
    panel.wait_for(state="visible")
    shows(
        panel,
        "c.grad_fn._saved_self",
        "tensor(2., requires_grad=True)",
        "(<AccumulateGrad object>, 0): the AccumulateGrad of the leaf a",
    )
    explorer.scroll_into_view_if_needed()
    lab.screenshot("lesson04-explorer")
    # the second explorer, after backward(): saved tensors freed, a.grad = 42
    after = page.locator(".mg-explorer").nth(1)
    after.scroll_into_view_if_needed()
    after.locator("select").select_option(label="AccumulateGrad: the leaf a")
    leaf = after.locator(".mg-panel[data-node='AccumulateGrad']").first
    leaf.wait_for(state="visible")
    shows(leaf, "a.grad", "tensor(42.)")


def test_lesson_05_stepper_steps_with_the_next_button(lab):
    name = lab.server.add(REPO / "notebooks" / "05_engine.ipynb")
    lab.open(name)
    lab.run_all()
    page = lab.page
    stepper = page.locator(".mg-stepper").first
    stepper.wait_for(state="attached")
    stepper.scroll_into_view_if_needed()
    for k in (1, 2, 3):
        stepper.locator(".mg-nav .mod-active + .widget-toggle-button").click()
        stepper.locator(f".mg-panel[data-frame='{k}']").wait_for(state="visible")
    shows(stepper.locator(".mg-panel[data-frame='3']"), "[frame 3/10] Step 2: run AddBackward0")
    stepper.scroll_into_view_if_needed()
    lab.screenshot("lesson05-stepper")


def test_exported_lesson_04_explorer_picks_nodes_offline(exported, offline):
    """The graph explorer in the exported page (``file://``, no kernel, no network): picking a node
    shows its panel. Screenshot: ``test-artifacts/export-04-explorer.png``."""
    tmp_path = exported("04")
    o = offline({"width": 1300, "height": 1000})
    page = o.page
    page.goto((tmp_path / "04_leaf_tensors.html").as_uri())
    explorer = page.locator(".mg-explorer").first
    explorer.wait_for(state="visible")
    explorer.locator("select").select_option(label="AccumulateGrad: the leaf b")
    panel = explorer.locator(".mg-panel[data-node='AccumulateGrad']")
    panel.wait_for(state="visible")
    shows(panel, "the leaf b itself")
    explorer.locator("select").select_option(label="d.grad_fn = AddBackward0")
    add = explorer.locator(".mg-panel[data-node='AddBackward0']")
    add.wait_for(state="visible")
    shows(add, "(None, 0): this input needs no gradient (a constant)")
    explorer.scroll_into_view_if_needed()
    o.screenshot("export-04-explorer")
    o.check_nothing_blocked()
    assert o.errors == [], o.errors
