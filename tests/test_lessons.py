"""Structural checks for every lesson notebook.

The lessons are found with the glob ``notebooks/[0-9][0-9]_*.ipynb`` when the tests are collected, so a
lesson added later is checked without editing this file. Conventions checked (one test each):

- every cell has ``metadata.slideshow.slide_type`` in {slide, subslide, fragment, notes, skip, -};
- the lesson links to ``../exercises/<its own file name>`` and that exercise notebook exists
  (a missing exercise fails the test on purpose);
- at least one teacher-notes cell (``slide_type == "notes"``);
- **learning goals**: one of the first three markdown cells contains the phrase
  "you will be able to" (case-insensitive), e.g. "After this lesson you will be able to: …";
- **summary**: the last cell that is not a ``notes`` cell is a markdown cell with a heading
  containing "Summary".

How long each lesson takes to run top to bottom (target: 10 s) is measured by ``bench/lessons.py``, not
here: a timed test fails on a busy machine for reasons that have nothing to do with the lesson.
"""

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
EXERCISES = ROOT / "exercises"

# No "-" ("continue the slide"): jupyterlab-slideshow 0.3.4 hides such cells when presenting, so a
# cell that continues a slide is a "fragment" (it appears on the next key press).
SLIDE_TYPES = {"slide", "subslide", "fragment", "notes", "skip"}
GOALS_PHRASE = "you will be able to"

LESSONS = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def lesson_params():
    return [pytest.param(path, id=path.stem) for path in LESSONS]


def read(path):
    return nbformat.read(path, as_version=4)


def slide_type(cell):
    return cell.metadata.get("slideshow", {}).get("slide_type")


def test_lessons_are_found():
    assert LESSONS, f"no lesson notebooks matched {NOTEBOOKS}/[0-9][0-9]_*.ipynb"


@pytest.mark.parametrize("path", lesson_params())
def test_every_cell_has_slide_metadata(path):
    nb = read(path)
    missing = [i for i, cell in enumerate(nb.cells) if slide_type(cell) not in SLIDE_TYPES]
    assert not missing, f"cells without a valid metadata.slideshow.slide_type: {missing}"


@pytest.mark.parametrize("path", lesson_params())
def test_links_to_an_existing_exercise_notebook(path):
    nb = read(path)
    target = f"../exercises/{path.name}"
    markdown = "\n".join(cell.source for cell in nb.cells if cell.cell_type == "markdown")
    assert target in markdown, f"no link to {target} in the lesson's markdown"
    assert (EXERCISES / path.name).exists(), f"the linked exercise notebook exercises/{path.name} is missing"


@pytest.mark.parametrize("path", lesson_params())
def test_has_teacher_notes(path):
    nb = read(path)
    assert any(slide_type(cell) == "notes" for cell in nb.cells), "no cell with slide_type 'notes'"


@pytest.mark.parametrize("path", lesson_params())
def test_opens_with_learning_goals(path):
    nb = read(path)
    first_markdown = [cell.source for cell in nb.cells if cell.cell_type == "markdown"][:3]
    assert any(GOALS_PHRASE in source.lower() for source in first_markdown), (
        f"none of the first three markdown cells says what the learner '{GOALS_PHRASE}' do"
    )


@pytest.mark.parametrize("path", lesson_params())
def test_ends_with_a_summary(path):
    nb = read(path)
    body = [cell for cell in nb.cells if slide_type(cell) != "notes"]
    assert body, "the notebook has no cells besides notes"
    last = body[-1]
    assert last.cell_type == "markdown", "the last (non-notes) cell should be the summary, in markdown"
    assert re.search(r"^#+ .*summary", last.source, re.IGNORECASE | re.MULTILINE), (
        "the last (non-notes) cell has no heading containing 'Summary'"
    )


TOUR = NOTEBOOKS / "tour.ipynb"


def test_every_tour_cell_has_slide_metadata():
    """The tour (notebooks/tour.ipynb) is presented as slides too: every cell needs a slide type."""
    nb = read(TOUR)
    missing = [i for i, cell in enumerate(nb.cells) if slide_type(cell) not in SLIDE_TYPES]
    assert not missing, f"tour cells without a valid metadata.slideshow.slide_type: {missing}"


MARKDOWN_LINK = re.compile(r"\]\(([^)#\s]+)")


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(p, id=str(p.parent.relative_to(ROOT) / p.stem))
        for p in sorted([*ROOT.glob("[ens]*/*.ipynb"), *ROOT.glob("[ens]*/zh/*.ipynb")])
    ],
)
def test_every_relative_link_resolves(path):
    """Links between lessons, exercises, solutions and docs point at files that exist (the Chinese
    edition's too: its links are one folder deeper)."""
    broken = []
    for cell in read(path).cells:
        if cell.cell_type == "markdown":
            for target in MARKDOWN_LINK.findall(cell.source):
                if "://" not in target and not (path.parent / target).exists():
                    broken.append(target)
    assert broken == [], f"links to missing files: {broken}"


@pytest.mark.parametrize("language", ["", "zh"])
@pytest.mark.parametrize("path", lesson_params()[:-1])
def test_links_to_the_next_lesson(path, language):
    number = int(path.name[:2])
    (following,) = NOTEBOOKS.glob(f"{number + 1:02d}_*.ipynb")
    path = path.parent / language / path.name
    markdown = "\n".join(cell.source for cell in read(path).cells if cell.cell_type == "markdown")
    assert f"({following.name})" in markdown, f"no link to the next lesson, {following.name}"
