"""The Chinese edition stays in step with the English: ``tools/twin.py`` and the drift test.

The first test is the drift test itself: every English lesson, tour and solution notebook has a
Chinese twin (``notebooks/zh/``, ``solutions/zh/``), every twin's code cells are the English code
through its table, and every translated cell translates the English text as it is now. The others
check that the tool notices each kind of drift, on small notebooks written here.
"""

import importlib.util
import sys
from pathlib import Path

import nbformat
import pytest

from grader.generate import generate

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("twin", ROOT / "tools" / "twin.py")
twin = importlib.util.module_from_spec(spec)
sys.modules["twin"] = twin
spec.loader.exec_module(twin)


def test_every_english_notebook_has_a_chinese_twin_in_step():
    assert twin.check() == []


def test_the_chinese_exercises_are_generated_from_the_chinese_solutions():
    assert generate(ROOT / "solutions" / "zh", ROOT / "exercises" / "zh", check=True) == []


def test_every_lesson_and_its_solution_are_paired_with_a_twin():
    """A lesson added later is caught too: the list comes from the folders, not from this file."""
    english = {p.relative_to(ROOT) for p in twin.english_notebooks()}
    assert Path("notebooks/tour.ipynb") in english and Path("solutions/13_capstone.ipynb") in english
    for path in english:
        assert (ROOT / twin.twin_path(ROOT / path)).exists(), path


# ----------------------------------------------------------------------------- the tool, in small


def english_notebook():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Title\n\nSome prose.", id="m1"),
        nbformat.v4.new_code_cell(
            'import minigrad\n# make a leaf\nx = minigrad.tensor(2.0)\nprint("x is", x)', id="c1"
        ),
        nbformat.v4.new_code_cell("### BEGIN SOLUTION\ny = x * 2  # double it\n### END SOLUTION", id="c2"),
    ]
    for cell in nb.cells:
        cell.metadata["slideshow"] = {"slide_type": "slide"}
    return nb


@pytest.fixture
def pair(tmp_path, monkeypatch):
    """An English notebook in tmp/notebooks and its twin, translated, in tmp/notebooks/zh."""
    monkeypatch.setattr(twin, "ROOT", tmp_path)
    english_file = tmp_path / "notebooks" / "01_demo.ipynb"
    twin.write(english_notebook(), english_file)
    twin_file = twin.new(english_file)
    nb = twin.read(twin_file)
    nb.cells[0].source = "# 标题\n\n一段正文。"
    nb.metadata["twin"]["code"] = {
        "# make a leaf": "# 建一个叶子节点",
        '"x is"': '"x 是"',
        "# double it": "# 翻倍",
    }
    twin.sync_code(nb, twin.read(english_file))
    twin.write(nb, twin_file)
    twin.stamp(twin_file)
    return english_file, twin_file


def test_code_cells_are_the_english_code_with_comments_and_strings_translated(pair):
    _, twin_file = pair
    code = [c.source for c in twin.read(twin_file).cells if c.cell_type == "code"]
    assert code[0].splitlines() == [
        "import minigrad",
        "from minigrad import viz",
        twin.LANGUAGE_CALL,
        "# 建一个叶子节点",
        "x = minigrad.tensor(2.0)",
        'print("x 是", x)',
    ]
    assert code[1] == "### BEGIN SOLUTION\ny = x * 2  # 翻倍\n### END SOLUTION"
    assert twin.problems(twin_file) == []


def test_the_first_code_cell_switches_the_widgets_and_checks_to_chinese_after_its_imports():
    source = twin.with_language_call("import minigrad\nx = minigrad.tensor(1.0)\nx")
    assert source.splitlines() == [
        "import minigrad",
        "from minigrad import viz",
        twin.LANGUAGE_CALL,
        "x = minigrad.tensor(1.0)",
        "x",
    ]
    already = twin.with_language_call("from minigrad import viz\nimport numpy as np\nL")
    assert already.splitlines() == ["from minigrad import viz", twin.LANGUAGE_CALL, "import numpy as np", "L"]


def test_tokens_below_an_ipython_magic_line_are_translated_in_place():
    source = '%matplotlib inline\n"""A docstring."""\nx = 1  # note'
    table = {'"""A docstring."""': '"""文档。"""', "# note": "# 注"}
    assert twin.translate_code(source, table) == '%matplotlib inline\n"""文档。"""\nx = 1  # 注'


def test_the_graders_markers_are_never_translated():
    table = {"### BEGIN SOLUTION": "### 开始", "# note": "# 注"}
    assert (
        twin.translate_code("### BEGIN SOLUTION\nx = 1  # note", table) == "### BEGIN SOLUTION\nx = 1  # 注"
    )


def test_a_changed_english_code_cell_is_drift(pair):
    english_file, twin_file = pair
    nb = twin.read(english_file)
    nb.cells[1].source = nb.cells[1].source.replace("2.0", "3.0")
    twin.write(nb, english_file)
    assert any("cell c1: code is not the English code" in p for p in twin.problems(twin_file))
    fixed = twin.read(twin_file)
    assert twin.sync_code(fixed, nb) == ["c1"]
    twin.write(fixed, twin_file)
    assert twin.problems(twin_file) == []


def test_a_changed_english_text_is_drift_until_the_translation_is_stamped_again(pair):
    english_file, twin_file = pair
    nb = twin.read(english_file)
    nb.cells[0].source += "\n\nA new sentence."
    twin.write(nb, english_file)
    assert any("cell m1: English text changed" in p for p in twin.problems(twin_file))
    assert twin.stamp(twin_file) == []  # not re-stamped silently
    assert twin.stamp(twin_file, ["m1"]) == ["m1"]
    assert twin.problems(twin_file) == []


def test_an_untranslated_cell_is_reported(pair, tmp_path):
    english_file, twin_file = pair
    nb = twin.read(english_file)
    nb.cells.insert(1, nbformat.v4.new_markdown_cell("A new cell.", id="m2", metadata={"slideshow": {}}))
    twin.write(nb, english_file)
    assert any("cells differ" in p for p in twin.problems(twin_file))
    fixed = twin.read(twin_file)
    twin.sync_code(fixed, nb)
    twin.write(fixed, twin_file)
    assert [p for p in twin.problems(twin_file) if "m2" in p] == [
        f"{twin.rel(twin_file)} cell m2: not translated yet"
    ]


def test_a_line_break_inside_a_chinese_sentence_is_reported(pair):
    _, twin_file = pair
    nb = twin.read(twin_file)
    nb.cells[0].source = "# 标题\n\n一段\n正文。\n\n```python\nx = 1  # 代码\n# 里\n```"
    twin.write(nb, twin_file)
    assert [p for p in twin.problems(twin_file) if "line break" in p]
    assert (
        twin.join_chinese_lines(nb.cells[0].source)
        == "# 标题\n\n一段正文。\n\n```python\nx = 1  # 代码\n# 里\n```"
    )


def test_an_english_notebook_without_a_twin_is_reported(pair, tmp_path):
    twin.write(english_notebook(), tmp_path / "notebooks" / "02_later.ipynb")
    assert twin.check() == [
        "notebooks/02_later.ipynb has no Chinese twin notebooks/zh/02_later.ipynb: run `new`"
    ]
