"""The solution and exercise notebooks: conventions, generation, and what graders rebuild.

No kernels here: these tests only read notebooks.
"""

import ast
import re
from pathlib import Path

import nbformat
import pytest

from grader.generate import generate, make_exercise, render
from grader.notebook import (
    HIDDEN_BEGIN,
    IMPORT_LINE,
    NBGRADER_KEYS,
    grade_id,
    lint_solution,
    prepare_submission,
    strip_expectations,
    tasks,
)

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "solutions"
EXERCISES = ROOT / "exercises"
NAMES = [
    "00_why_backprop",
    "01_chain_rule",
    "02_graphs",
    "03_path_sums",
    "04_leaf_tensors",
    "05_engine",
    "06_accumulation",
    "07_custom_functions",
    "12_training_loops",
]


def read(path):
    return nbformat.read(path, as_version=4)


def test_exactly_the_eight_lessons_have_solutions_and_exercises():
    assert sorted(p.stem for p in SOLUTIONS.glob("*.ipynb")) == NAMES
    assert sorted(p.stem for p in EXERCISES.glob("*.ipynb")) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_solution_follows_the_conventions(name):
    assert lint_solution(read(SOLUTIONS / f"{name}.ipynb")) == []


@pytest.mark.parametrize("name", NAMES)
def test_each_lesson_has_three_to_five_graded_tasks(name):
    assert 3 <= len(tasks(read(SOLUTIONS / f"{name}.ipynb"))) <= 5


@pytest.mark.parametrize("name", NAMES)
def test_nbgrader_metadata_uses_schema_v3_keys_only(name):
    for cell in read(SOLUTIONS / f"{name}.ipynb").cells:
        meta = cell.metadata.get("nbgrader")
        if meta:
            assert set(meta) <= NBGRADER_KEYS and meta["schema_version"] == 3
            assert ("points" in meta) == bool(meta["grade"])


@pytest.mark.parametrize("folder", [SOLUTIONS, EXERCISES])
def test_every_cell_has_slide_metadata(folder):
    for path in folder.glob("*.ipynb"):
        for cell in read(path).cells:
            assert cell.metadata["slideshow"]["slide_type"] in {"slide", "fragment", "-"}


def test_exercises_are_up_to_date_with_the_solutions():
    assert generate(SOLUTIONS, EXERCISES, check=True) == [], "run `make exercises`"


def test_generation_is_deterministic():
    solution = read(SOLUTIONS / "05_engine.ipynb")
    assert render(make_exercise(solution)) == render(make_exercise(solution))


def _hidden_parts(solution):
    for cell in solution.cells:
        if HIDDEN_BEGIN in cell.source:
            yield cell.source.split(HIDDEN_BEGIN, 1)[1].split("### END HIDDEN TESTS")[0]


@pytest.mark.parametrize("name", NAMES)
def test_hidden_tests_never_appear_in_exercises(name):
    exercise_text = (EXERCISES / f"{name}.ipynb").read_text(encoding="utf-8")
    assert "HIDDEN TESTS" not in exercise_text
    assert "BEGIN SOLUTION" not in exercise_text
    hidden = list(_hidden_parts(read(SOLUTIONS / f"{name}.ipynb")))
    assert hidden, "every lesson has hidden tests"
    for part in hidden:
        for label in re.findall(r'task\.check\(\s*f?"([^"]+)"', part):
            assert label not in exercise_text, f"hidden check label leaked: {label}"


@pytest.mark.parametrize("name", NAMES)
def test_exercises_store_no_outputs(name):
    for cell in read(EXERCISES / f"{name}.ipynb").cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


def test_unsolved_top_level_answers_are_tagged_raises_exception():
    nb = read(EXERCISES / "01_chain_rule.ipynb")
    answer = next(c for c in nb.cells if grade_id(c) == "l01_chain_rule_answer")
    assert "raise NotImplementedError()" in answer.source
    assert "raises-exception" in answer.metadata["tags"]
    inside_def = next(c for c in nb.cells if grade_id(c) == "l01_central_difference_answer")
    assert "raises-exception" not in inside_def.metadata.get("tags", [])


def test_check_cells_are_locked_for_learners():
    nb = read(EXERCISES / "02_graphs.ipynb")
    for info in tasks(nb):
        cell = nb.cells[info.test_index]
        assert cell.metadata["editable"] is False and cell.metadata["deletable"] is False


# --------------------------------------------------------------------------- grading copies


def test_stripping_removes_expected_values_and_hints():
    source = 'task.check("x", lambda: f(3), expected=14.0, hints=[(28, "no")], rtol=0)\n'
    stripped = strip_expectations(source)
    assert "14.0" not in stripped and "hints" not in stripped and "28" not in stripped
    assert ast.parse(stripped)


def test_prepare_restores_hidden_tests_and_undoes_edits():
    solution = read(SOLUTIONS / "01_chain_rule.ipynb")
    submission = read(EXERCISES / "01_chain_rule.ipynb")
    for cell in submission.cells:
        if grade_id(cell) == "l01_central_difference":
            cell.source = 'print("✓ 2/2")'
    prepared = prepare_submission(submission, solution)
    cell = prepared.nb.cells[prepared.check_cells["l01_central_difference"]]
    assert cell.source.startswith(IMPORT_LINE)
    assert "sin at x = 0.5" in cell.source  # a hidden check, restored
    assert "expected" not in cell.source  # but without its answer
    assert "✓ 2/2" not in cell.source


def test_prepare_reinserts_a_deleted_check_cell_after_its_answer():
    solution = read(SOLUTIONS / "01_chain_rule.ipynb")
    submission = read(EXERCISES / "01_chain_rule.ipynb")
    submission.cells = [c for c in submission.cells if grade_id(c) != "l01_best_h"]
    prepared = prepare_submission(submission, solution)
    check = prepared.check_cells["l01_best_h"]
    assert check == prepared.answer_cells["l01_best_h_answer"] + 1
    assert any("l01_best_h" in note for note in prepared.notes)


def test_prepare_does_not_modify_the_submission():
    solution = read(SOLUTIONS / "01_chain_rule.ipynb")
    submission = read(EXERCISES / "01_chain_rule.ipynb")
    before = render(submission)
    prepare_submission(submission, solution)
    assert render(submission) == before


def load_fixture_builder():
    import importlib.util

    path = ROOT / "tests" / "grader_fixtures" / "build.py"
    spec = importlib.util.spec_from_file_location("grader_fixtures_build", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_fixtures_are_up_to_date(tmp_path):
    for path in load_fixture_builder().build(tmp_path):
        committed = ROOT / "tests" / "grader_fixtures" / path.relative_to(tmp_path)
        assert committed.read_text(encoding="utf-8") == path.read_text(encoding="utf-8"), (
            f"{committed} is stale: run python tests/grader_fixtures/build.py"
        )


# --------------------------------------------------------------------------- learner mode


def run_in_process(nb) -> str:
    """Run a notebook's code cells in one namespace, as "Run All" would; return what it printed."""
    import contextlib
    import io

    out = io.StringIO()
    namespace: dict = {}
    with contextlib.redirect_stdout(out):
        for cell in nb.cells:
            if cell.cell_type == "code":
                try:
                    exec(compile(cell.source, "<cell>", "exec"), namespace)
                except NotImplementedError:
                    pass  # an unsolved answer cell (tagged raises-exception)
    return out.getvalue()


@pytest.mark.parametrize("name", NAMES)
def test_exercise_with_correct_answers_earns_every_point_in_the_notebook(name):
    nb = load_fixture_builder().submission(name)
    text = run_in_process(nb)
    for info in tasks(nb):
        points = f"{info.points:g}"
        assert f"✓ {info.grade_id}: {points}/{points} points" in text, text


@pytest.mark.parametrize("name", NAMES)
def test_untouched_exercise_says_not_attempted_for_every_task(name):
    text = run_in_process(read(EXERCISES / f"{name}.ipynb"))
    for info in tasks(read(EXERCISES / f"{name}.ipynb")):
        assert f"… {info.grade_id}: not attempted yet" in text


def test_secret_checks_hide_the_answer_but_still_explain_a_wrong_one():
    nb = load_fixture_builder().submission(
        "04_leaf_tensors",
        {"l04_predict_answer": 'predictions = {k: (True, True) for k in "abcdew"}'},
    )
    check = next(c for c in nb.cells if grade_id(c) == "l04_predict")
    assert "expected" not in check.source and "not a leaf" not in check.source
    text = run_in_process(nb)
    assert "c: [True, True] is not right yet" in text
    assert "so c is not a leaf" in text  # the hint, decoded when it applies


@pytest.mark.parametrize("name", NAMES)
def test_nbgrader_itself_accepts_the_solutions(name):
    """A teacher can drop the solutions into an nbgrader course as they are."""
    from nbgrader.nbgraderformat import MetadataValidator
    from nbgrader.nbgraderformat import read as nbgrader_read
    from nbgrader.preprocessors import CheckCellMetadata, ComputeChecksums

    nb = nbgrader_read(str(SOLUTIONS / f"{name}.ipynb"), as_version=4)
    MetadataValidator().validate_nb(nb)
    resources: dict = {}
    for pre in (CheckCellMetadata(), ComputeChecksums()):
        nb, resources = pre.preprocess(nb, resources)
