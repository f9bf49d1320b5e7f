"""Lesson 13 in JupyterLab, in Chromium: the gradient tables render, step with the keyboard and Play.

Screenshots go to ``test-artifacts/`` (capstone-table.png, capstone-table-row2.png,
capstone-bugs.png, capstone-exercise.png).
"""

import nbformat

from .harness import REPO

LESSON = REPO / "notebooks" / "13_capstone.ipynb"
TABLE = ".mg-gradient-table"
#: the cells that display a table: tanh + MSE, the planted bugs, the trained weights
TABLE_CELLS = [
    i for i, c in enumerate(nbformat.read(LESSON, as_version=4).cells) if "viz.GradientTable(" in c.source
]


def show_cell(page, index):
    """Scroll JupyterLab's notebook to cell ``index`` (cells far from the view are not rendered)."""
    page.evaluate(
        """async (i) => {
            const nb = window.jupyterapp.shell.currentWidget.content;
            nb.activeCellIndex = i;
            await nb.scrollToItem(i, 'start');
        }""",
        index,
    )
    return page.locator(".jp-Notebook .jp-Cell").nth(index)


def visible_frame(page, n):
    """The ``data-frame`` of the visible frame of the ``n``-th gradient table on the page."""
    return page.evaluate(
        """([sel, n]) => {
            const root = document.querySelectorAll(sel)[n];
            const f = [...root.querySelectorAll('.mg-table-frame')].find(el => el.offsetParent !== null);
            return f ? Number(f.dataset.frame) : null;
        }""",
        [TABLE, n],
    )


def test_gradient_tables_show_verdicts_and_step_without_the_kernel(lab):
    name = lab.server.add(LESSON)
    lab.open(name)
    lab.run_all()
    page = lab.page
    assert len(TABLE_CELLS) == 3
    show_cell(page, TABLE_CELLS[0])
    first = page.locator(TABLE).first
    first.wait_for(state="visible")
    first.scroll_into_view_if_needed()
    assert visible_frame(page, 0) == 7  # opens on the whole table
    assert "7 of 7 tensors match autograd" in first.inner_text()
    lab.screenshot("capstone-table")

    # Home on the slider's handle: no row yet; → → reveals two rows, the second with its formula.
    handle = first.locator(".mg-step-slider .noUi-handle")
    handle.focus()
    for key, frame in (("Home", 0), ("ArrowRight", 1), ("ArrowRight", 2)):
        page.keyboard.press(key)
        page.wait_for_function(
            "([sel, k]) => { const f = [...document.querySelectorAll(sel + ' .mg-table-frame')]"
            ".find(el => el.offsetParent !== null); return f && f.dataset.frame === k; }",
            arg=[TABLE, str(frame)],
        )
    text = first.inner_text()
    assert "Row 2 of 7: dW2 = h.T @ dz2" in text and text.count("not checked yet") == 5
    lab.screenshot("capstone-table-row2")

    # Play runs through the remaining rows on its own.
    first.locator(".mg-play button").first.click()
    page.wait_for_function(
        "([sel]) => { const f = [...document.querySelectorAll(sel + ' .mg-table-frame')]"
        ".find(el => el.offsetParent !== null); return f && f.dataset.frame === '7'; }",
        arg=[TABLE],
        timeout=30_000,
    )

    show_cell(page, TABLE_CELLS[1])
    bugs = page.locator(".jp-Cell", has=page.locator(TABLE)).filter(has_text="1 of 7 tensors").first
    bugs.wait_for(state="visible")
    text = bugs.inner_text()
    assert "1 of 7 tensors match autograd" in text
    assert "every entry is 4 × autograd's" in text and "transposed, and yours.T is 4 × autograd's" in text
    lab.screenshot("capstone-bugs")

    show_cell(page, TABLE_CELLS[2])
    trained = page.locator(".jp-Cell", has=page.locator(TABLE)).filter(has_text="4 of 4 tensors").first
    trained.wait_for(state="visible")
    lab.screenshot("capstone-trained")


def test_untouched_exercise_runs_and_says_not_attempted(lab):
    exercise = REPO / "exercises" / "13_capstone.ipynb"
    cells = nbformat.read(exercise, as_version=4).cells
    checks = {
        c.metadata["nbgrader"]["grade_id"]: i
        for i, c in enumerate(cells)
        if c.metadata.get("nbgrader", {}).get("grade")
    }
    assert list(checks) == ["l13_linear", "l13_activations", "l13_losses", "l13_mlp"]
    name = lab.server.add(exercise)
    lab.open(name)
    lab.run_all()
    for gid, index in checks.items():
        cell = show_cell(lab.page, index)
        output = cell.locator(".jp-OutputArea-output").first
        output.wait_for(state="visible")
        assert f"… {gid}: not attempted yet" in output.inner_text()
        if gid == "l13_mlp":
            lab.screenshot("capstone-exercise")
