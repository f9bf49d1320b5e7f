"""Lesson 13 in JupyterLab, in Chromium: the gradient tables render, step with the keyboard and Play.

Also the offline export (page and slides from ``file://``, network blocked): the table steps with Play.
Screenshots go to ``test-artifacts/`` (capstone-table.png, capstone-table-row2.png, capstone-bugs.png,
capstone-trained.png, capstone-exercise.png, capstone-export-page.png, capstone-export-slides-bugs.png).
"""

import nbformat
import pytest

from .harness import REPO, Offline, shows

LESSON = REPO / "notebooks" / "13_capstone.ipynb"
TABLE = ".mg-gradient-table"
#: the cells that display a table: tanh + MSE, the planted bugs, the trained weights
TABLE_CELLS = [
    i for i, c in enumerate(nbformat.read(LESSON, as_version=4).cells) if "viz.GradientTable(" in c.source
]


#: JS: the data-frame of the visible frame of the n-th table on the page.
VISIBLE = (
    "(n) => { const root = document.querySelectorAll('.mg-gradient-table')[n];"
    " const f = [...root.querySelectorAll('.mg-table-frame')].find(el => el.offsetParent !== null);"
    " return f ? Number(f.dataset.frame) : null; }"
)


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
    shows(first, "7 of 7 tensors match autograd")
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
    text = shows(first, "Row 2 of 7: dW2 = h.T @ dz2")
    assert text.count("not checked yet") == 5
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
    shows(
        bugs,
        "1 of 7 tensors match autograd",
        "every entry is 4 × autograd's",
        "transposed, and yours.T is 4 × autograd's",
    )
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
        shows(output, f"… {gid}: not attempted yet")
        if gid == "l13_mlp":
            lab.screenshot("capstone-exercise")


# --------------------------------------------------------------------------- exported pages, offline


@pytest.fixture(scope="module")
def site(exported):
    return exported("13")


def test_exported_page_steps_the_table_offline(site, browser):
    o = Offline(browser, {"width": 1300, "height": 1000})
    try:
        page = o.page
        page.goto((site / "13_capstone.html").as_uri())
        table = page.locator(TABLE).first
        table.wait_for(state="visible")
        assert page.locator(TABLE).count() == 3
        assert visible_frame(page, 0) == 7
        table.locator(".mg-step-slider .noUi-handle").focus()
        page.keyboard.press("Home")
        page.wait_for_function(f"() => document.querySelectorAll('{TABLE}')[0] && ({VISIBLE})(0) === 0")
        table.locator(".mg-play button").first.click()  # Play, with no kernel: it reaches the end alone
        page.wait_for_function(f"() => ({VISIBLE})(0) === 7", timeout=30_000)
        shows(table, "7 of 7 tensors match autograd")
        table.scroll_into_view_if_needed()
        o.screenshot("capstone-export-page")
        o.check_nothing_blocked()
        assert o.errors == [], o.errors
    finally:
        o.close()


def test_exported_slides_show_the_table_offline(site, browser):
    o = Offline(browser, {"width": 1280, "height": 800})
    try:
        page = o.page
        page.goto((site / "13_capstone.slides.html").as_uri())
        page.wait_for_function("() => window.Reveal && window.Reveal.isReady()")
        page.evaluate(
            """(sel) => {
            const section = document.querySelectorAll(sel)[1].closest('section');
            const i = Reveal.getIndices(section);
            Reveal.slide(i.h, i.v, -1);
            Reveal.navigateFragment(Infinity);
        }""",
            TABLE,
        )
        table = page.locator(f"section.present {TABLE}").first
        table.wait_for(state="visible")
        shows(table, "every entry is 4 × autograd's")
        o.screenshot("capstone-export-slides-bugs")
        o.check_nothing_blocked()
        assert o.errors == [], o.errors
    finally:
        o.close()
