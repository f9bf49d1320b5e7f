"""What the grading sandbox lets a notebook see and do, probed from inside a real kernel."""

import json
import os

import nbformat
import pytest

from grader import sandbox
from grader.runner import RunOptions, run_notebook

pytestmark = pytest.mark.slow


def require_bwrap():
    """The hostile notebooks must never run unsandboxed (one tries to vandalise files)."""
    if sandbox.bwrap_works():
        return
    message = "bubblewrap (bwrap) is required: apt-get install bubblewrap"
    if os.environ.get("GRADER_TEST_ALLOW_NO_SANDBOX") == "1":
        pytest.skip(message)
    pytest.fail(message)


PROBE = r"""
import json, os, pathlib, socket
import minigrad, grader
facts = {
    "uid": os.getuid(),
    "cwd": os.getcwd(),
    "sees_solutions": any(pathlib.Path(p).exists() for p in
                          ["/work/main/solutions", str(pathlib.Path(grader.__file__).parents[1] / "solutions")]),
    "minigrad_from": str(pathlib.Path(minigrad.__file__).parent),
}
try:
    (pathlib.Path(minigrad.__file__).parent / "x.py").write_text("pwned")
    facts["can_write_minigrad"] = True
except OSError:
    facts["can_write_minigrad"] = False
try:
    socket.create_connection(("127.0.0.1", 22), timeout=1)
    facts["network"] = True
except OSError:
    facts["network"] = False
try:
    pathlib.Path("big").write_bytes(b"x" * (200 * 2**20))
    facts["big_file"] = True
except OSError:
    facts["big_file"] = False
print(json.dumps(facts))
"""


@pytest.fixture(scope="module")
def facts():
    require_bwrap()
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(PROBE)])
    result = run_notebook(nb, RunOptions(cell_timeout=30, notebook_timeout=60, records=False))
    assert result.cells[0].status == "ok", result.cells[0]
    outputs = result.nb.cells[0].outputs
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    return json.loads(text.strip().splitlines()[-1])


def test_the_kernel_runs_as_an_unprivileged_user(facts):
    assert facts["uid"] == sandbox.NOBODY


def test_the_kernel_works_in_its_own_throwaway_folder(facts):
    assert facts["cwd"] == sandbox.WORK_DIR


def test_the_solutions_are_invisible(facts):
    assert facts["sees_solutions"] is False


def test_the_course_packages_are_read_only(facts):
    assert facts["minigrad_from"] == f"{sandbox.COURSE_DIR}/minigrad"
    assert facts["can_write_minigrad"] is False


def test_there_is_no_network(facts):
    assert facts["network"] is False


def test_files_are_size_limited(facts):
    assert facts["big_file"] is False


def test_an_output_flood_is_cut_at_the_limit():
    require_bwrap()
    flood = 'print("x" * 3_000_000)\nfor i in range(3_000):\n    print("flood", i)'
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(flood)])
    options = RunOptions(cell_timeout=30, notebook_timeout=60, records=False, max_output_chars=10_000)
    result = run_notebook(nb, options)
    outputs = result.nb.cells[0].outputs
    assert len(json.dumps(outputs)) < 20_000
    assert "output limit reached" in outputs[-1]["text"]
