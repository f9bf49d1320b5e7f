"""``python -m grader`` end to end, on a whole "class" folder graded once (with -j 2).

The class holds: every solution (must score 100%), every untouched exercise (0, "not
attempted"), the wrong-answer set and the hostile set from ``tests/grader_fixtures/``, and a
path that does not exist.  Short time limits keep the hostile cases quick.
"""

import csv
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grader import sandbox

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "grader_fixtures"
CANARIES = [Path("/tmp/grader-hostile-canary"), ROOT / "solutions" / "PWNED.txt"]

pytestmark = pytest.mark.slow


def require_bwrap():
    """The hostile notebooks must never run unsandboxed (one tries to vandalise files)."""
    if sandbox.bwrap_works():
        return
    message = "bubblewrap (bwrap) is required: apt-get install bubblewrap"
    if os.environ.get("GRADER_TEST_ALLOW_NO_SANDBOX") == "1":
        pytest.skip(message)
    pytest.fail(message)


def tree_hashes(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    require_bwrap()
    for canary in CANARIES:
        canary.unlink(missing_ok=True)
    klass = tmp_path_factory.mktemp("class")
    for path in (ROOT / "solutions").glob("*.ipynb"):
        (klass / "solved").mkdir(exist_ok=True)
        shutil.copy(path, klass / "solved" / path.name)
    for path in (ROOT / "exercises").glob("*.ipynb"):
        (klass / "blank").mkdir(exist_ok=True)
        shutil.copy(path, klass / "blank" / path.name)
    for sub in ("wrong", "hostile"):
        shutil.copytree(FIXTURES / sub, klass / sub)
    out = tmp_path_factory.mktemp("out")
    before = tree_hashes(klass)
    solutions_before = tree_hashes(ROOT / "solutions")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "grader",
            str(klass),
            str(klass / "ghost" / "01_chain_rule.ipynb"),
            "-j",
            "2",
            "--cell-timeout",
            "10",
            "--notebook-timeout",
            "90",
            "--memory-mb",
            "1024",
            "--json",
            str(out / "grades.json"),
            "--csv",
            str(out / "grades.csv"),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
    )
    report = json.loads((out / "grades.json").read_text()) if (out / "grades.json").exists() else {}
    by_path = {str(Path(s["path"]).relative_to(klass)): s for s in report.get("submissions", [])}
    return {
        "proc": proc,
        "report": report,
        "by": by_path,
        "klass": klass,
        "before": before,
        "after": tree_hashes(klass),
        "solutions_before": solutions_before,
        "solutions_after": tree_hashes(ROOT / "solutions"),
        "csv": out / "grades.csv",
    }


def task(graded, rel, gid):
    return next(t for t in graded["by"][rel]["tasks"] if t["grade_id"] == gid)


def test_grading_exits_zero_and_uses_the_sandbox(graded):
    assert graded["proc"].returncode == 0, graded["proc"].stderr[-2000:]
    assert graded["report"]["sandbox"] == "bwrap"


def test_a_progress_bar_is_shown_for_many_notebooks(graded):
    assert "grading [" in graded["proc"].stderr


def test_solutions_score_full_marks(graded):
    for path in (ROOT / "solutions").glob("*.ipynb"):
        sub = graded["by"][f"solved/{path.name}"]
        assert sub["status"] == "graded"
        assert sub["score"] == sub["max_score"] > 0, [t["reason"] for t in sub["tasks"]]


def test_untouched_exercises_score_zero_and_say_not_attempted(graded):
    for path in (ROOT / "exercises").glob("*.ipynb"):
        sub = graded["by"][f"blank/{path.name}"]
        assert sub["status"] == "graded" and sub["score"] == 0
        assert {t["status"] for t in sub["tasks"]} == {"not attempted"}


@pytest.mark.parametrize(
    "rel, scores, hints",
    [
        (
            "wrong/ada/01_chain_rule.ipynb",
            {"l01_central_difference": 0, "l01_chain_rule": 0, "l01_error_slopes": 2, "l01_best_h": 0},
            {
                "l01_central_difference": "forward difference",
                "l01_chain_rule": "inner derivative",
                "l01_best_h": "not always better",
            },
        ),
        (
            "wrong/ben/05_engine.ipynb",
            {"l05_topo_sort": 0, "l05_by_hand": 2, "l05_engine_bug": 0},
            {"l05_topo_sort": "stack", "l05_engine_bug": "`=` vs `+=`"},
        ),
        (
            "wrong/cleo/06_accumulation.ipynb",
            {"l06_loop": 1, "l06_timeline": 2, "l06_zeroing": 0, "l06_micro_batches": 0},
            {"l06_zeroing": "pile up", "l06_micro_batches": "divide it by n_micro"},
        ),
        (
            "wrong/dan/04_leaf_tensors.ipynb",
            {"l04_predict": 0, "l04_retain_grad": 0, "l04_fix_weights": 2, "l04_graph": 1},
            {"l04_predict": "not a leaf", "l04_retain_grad": "retain_grad"},
        ),
    ],
)
def test_wrong_answers_score_partially_with_the_expected_hints(graded, rel, scores, hints):
    for gid, points in scores.items():
        assert task(graded, rel, gid)["points"] == points, task(graded, rel, gid)["reason"]
    for gid, words in hints.items():
        assert words in task(graded, rel, gid)["reason"]


def test_hidden_tests_catch_a_solution_that_only_fits_the_visible_ones(graded):
    reason = task(graded, "wrong/ben/05_engine.ipynb", "l05_topo_sort")["reason"]
    assert reason.startswith("passed the visible checks, but not the hidden ones")


# --------------------------------------------------------------------------- hostile


def assert_others_graded(
    graded, rel, bad, full=("l01_central_difference", "l01_chain_rule", "l01_error_slopes", "l01_best_h")
):
    for gid in full:
        t = task(graded, rel, gid)
        if gid == bad:
            assert t["points"] == 0 and t["reason"], t
        else:
            assert t["points"] == t["max_points"], t


def test_infinite_loop_times_out_and_the_rest_is_graded(graded):
    rel = "hostile/loop/01_chain_rule.ipynb"
    assert_others_graded(graded, rel, "l01_chain_rule")
    assert "timed out" in task(graded, rel, "l01_chain_rule")["reason"]


def test_a_loop_that_ignores_interrupts_is_killed_and_the_notebook_replayed(graded):
    rel = "hostile/stubborn/01_chain_rule.ipynb"
    assert_others_graded(graded, rel, "l01_error_slopes")
    assert "timed out" in task(graded, rel, "l01_error_slopes")["reason"]
    assert any("replayed" in n for n in graded["by"][rel]["notes"])


def test_an_exception_in_an_answer_cell_is_reported(graded):
    rel = "hostile/exception/01_chain_rule.ipynb"
    assert_others_graded(graded, rel, "l01_central_difference")
    assert "ValueError: I give up" in task(graded, rel, "l01_central_difference")["reason"]


def test_a_kernel_that_exits_is_replaced(graded):
    rel = "hostile/exit/01_chain_rule.ipynb"
    assert_others_graded(graded, rel, "l01_chain_rule")
    assert "kernel die" in task(graded, rel, "l01_chain_rule")["reason"]


def test_memory_exhaustion_is_contained(graded):
    rel = "hostile/memory/01_chain_rule.ipynb"
    assert_others_graded(graded, rel, "l01_chain_rule")
    reason = task(graded, rel, "l01_chain_rule")["reason"]
    assert "MemoryError" in reason or "kernel die" in reason


def test_an_output_flood_is_capped(graded):
    rel = "hostile/flood/01_chain_rule.ipynb"
    assert graded["by"][rel]["score"] == graded["by"][rel]["max_score"]
    assert len(json.dumps(graded["by"][rel])) < 20_000


def test_a_fake_task_class_forges_no_points(graded):
    sub = graded["by"]["hostile/fake_task/01_chain_rule.ipynb"]
    assert sub["score"] == 0
    assert all(t["reason"] for t in sub["tasks"])


def test_monkeypatching_minigrad_forges_no_points(graded):
    rel = "hostile/monkeypatch/07_custom_functions.ipynb"
    assert task(graded, rel, "l07_softmax")["points"] == 0
    assert task(graded, rel, "l07_sigmoid")["points"] == 2  # the other tasks are still graded


def test_renamed_or_deleted_check_cells_are_restored(graded):
    rel = "hostile/renamed/01_chain_rule.ipynb"
    sub = graded["by"][rel]
    assert task(graded, rel, "l01_central_difference")["points"] == 0  # the fake ✓ is ignored
    assert task(graded, rel, "l01_chain_rule")["points"] == 2  # deleted check cell restored
    assert sum("restored from the solution" in n for n in sub["notes"]) == 2


def test_files_outside_the_sandbox_cannot_be_read_or_written(graded):
    rel = "hostile/files/01_chain_rule.ipynb"
    assert_others_graded(graded, rel, "l01_central_difference")
    assert "could not read the solutions" in task(graded, rel, "l01_central_difference")["reason"]
    assert graded["solutions_before"] == graded["solutions_after"]
    for canary in CANARIES:
        assert not canary.exists(), f"a submission wrote {canary}"


def test_the_grader_never_changes_a_submission(graded):
    assert graded["before"] == graded["after"]


def test_a_malformed_notebook_is_reported_not_fatal(graded):
    for rel in ("hostile/malformed/01_chain_rule.ipynb", "hostile/not_a_notebook/02_graphs.ipynb"):
        sub = graded["by"][rel]
        assert sub["status"] == "error" and sub["error"].startswith("malformed notebook")
        assert sub["tasks"] and all(t["points"] == 0 for t in sub["tasks"])


def test_a_notebook_from_another_exercise_is_not_graded_against_the_wrong_one(graded):
    sub = graded["by"]["hostile/wrong_exercise/01_chain_rule.ipynb"]
    assert sub["score"] == 0 and "02_graphs" in sub["error"]


def test_a_missing_file_is_reported(graded):
    sub = graded["by"]["ghost/01_chain_rule.ipynb"]
    assert sub["status"] == "missing" and sub["error"] == "file not found"


def test_csv_gradebook_has_a_row_per_task_and_a_total(graded):
    with open(graded["csv"], newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    totals = [r for r in rows if r["task"] == "TOTAL"]
    assert len(totals) == len(graded["report"]["submissions"])
    ada = [r for r in rows if r["student"] == "ada"]
    assert {r["task"] for r in ada} >= {"l01_central_difference", "TOTAL"}
