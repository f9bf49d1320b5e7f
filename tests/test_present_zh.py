"""``make present LESSON=zh/05``: the Chinese twin, presented from a copy whose links still resolve."""

import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("present", ROOT / "scripts" / "present.py")
present = importlib.util.module_from_spec(spec)
spec.loader.exec_module(present)


def test_zh_slash_number_finds_the_chinese_twin():
    assert present.find_lesson("zh/05") == ROOT / "notebooks" / "zh" / "05_engine.ipynb"
    assert present.find_lesson("05") == ROOT / "notebooks" / "05_engine.ipynb"


def test_the_presented_copy_of_a_chinese_lesson_keeps_its_links_to_the_chinese_exercises(tmp_path):
    copy = present.prepare_root(present.find_lesson("zh/05"), tmp_path)
    assert copy == tmp_path / "notebooks" / "zh" / "05_engine.ipynb"
    links = re.findall(r"\]\((\.\./\.\./exercises/zh/[^)]+)\)", copy.read_text(encoding="utf-8"))
    assert links, "the Chinese lesson links to its Chinese exercises"
    assert all((copy.parent / link).resolve().exists() for link in links)
