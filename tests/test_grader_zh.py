"""The Chinese edition graded: ``python -m grader CLASS --solutions solutions/zh``.

A teacher of a Chinese class grades against the Chinese solutions (their check labels and hints
are translated; the grade ids and expected values are the English ones). The class here holds
every Chinese solution (must score full marks) and every untouched Chinese exercise (0, "not
attempted").
"""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_grader_cli import require_bwrap

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "solutions" / "zh"
EXERCISES = ROOT / "exercises" / "zh"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    require_bwrap()
    klass = tmp_path_factory.mktemp("zh-class")
    for folder, sub in ((SOLUTIONS, "solved"), (EXERCISES, "blank")):
        (klass / sub).mkdir()
        for path in folder.glob("*.ipynb"):
            shutil.copy(path, klass / sub / path.name)
    out = tmp_path_factory.mktemp("zh-out") / "grades.json"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "grader",
            str(klass),
            "--solutions",
            str(SOLUTIONS),
            "-j",
            "2",
            "--json",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = json.loads(out.read_text())
    return {str(Path(s["path"]).relative_to(klass)): s for s in report["submissions"]}


def test_every_chinese_solution_is_graded(graded):
    names = sorted(p.name for p in (ROOT / "solutions").glob("*.ipynb"))
    assert sorted(k.split("/")[1] for k in graded if k.startswith("solved/")) == names
    assert sorted(k.split("/")[1] for k in graded if k.startswith("blank/")) == names


def test_chinese_solutions_score_full_marks(graded):
    for rel, sub in graded.items():
        if rel.startswith("solved/"):
            assert sub["status"] == "graded", rel
            assert sub["score"] == sub["max_score"] > 0, (rel, [t["reason"] for t in sub["tasks"]])


def test_untouched_chinese_exercises_score_zero_and_say_not_attempted(graded):
    for rel, sub in graded.items():
        if rel.startswith("blank/"):
            assert sub["status"] == "graded" and sub["score"] == 0, rel
            assert {t["status"] for t in sub["tasks"]} == {"not attempted"}, rel
