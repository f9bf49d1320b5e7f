"""Shared pytest set-up: every test starts with grad mode on and anomaly detection off."""

import os

import pytest

from minigrad.autograd import anomaly_mode, grad_mode


@pytest.fixture(autouse=True)
def _fresh_modes():
    grad_mode._state.update(enabled=True, inference=False)
    anomaly_mode._state["enabled"] = False
    yield
    grad_mode._state.update(enabled=True, inference=False)
    anomaly_mode._state["enabled"] = False


# Notebooks used as test inputs (hostile submissions for the grader) are data, not tests: nbval must
# never run them directly.
collect_ignore = ["grader_fixtures"]


@pytest.fixture
def compiled_imports_env(tmp_path):
    """Environment variables for a subprocess whose imports are timed as every import after the
    first is: from compiled bytecode. (Where PYTHONDONTWRITEBYTECODE is set, as on the CI machine,
    Python compiles every module again on each import; here the bytecode goes to a cache of the
    test's own. Run the code once, untimed, to fill it.)"""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(tmp_path)
    return env
