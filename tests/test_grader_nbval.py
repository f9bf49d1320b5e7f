"""``pytest --nbval`` on the graded notebooks, as the issue asks.

The folders hold the Chinese edition too (``solutions/zh``, ``exercises/zh``): pytest collects
them with the English ones.  Solutions are stored with their outputs, so every output is compared.  Exercises are stored
without outputs (nbval then only checks that cells run); their unsolved answer cells are tagged
``raises-exception``, so the expected ``NotImplementedError`` passes, and every check cell must
run cleanly and say "not attempted yet".
"""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("folder", ["solutions", "exercises"])
def test_nbval_passes(folder):
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--nbval",
            "--nbval-current-env",
            folder,
            "-q",
            "-p",
            "no:cacheprovider",
            "-o",
            "addopts=",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert proc.returncode == 0, proc.stdout[-4000:]
