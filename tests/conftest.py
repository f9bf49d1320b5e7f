"""Shared pytest set-up: every test starts with grad mode on and anomaly detection off."""

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
