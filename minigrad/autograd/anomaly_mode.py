"""Anomaly detection: find the forward line behind a NaN gradient.

With ``minigrad.autograd.set_detect_anomaly(True)`` (or ``with minigrad.autograd.detect_anomaly():``)
every node remembers where its forward operation was called, and the engine checks each gradient a
node produces: a NaN raises a RuntimeError naming the node and showing that forward line.
It costs time, so it is off by default.
"""

_state = {"enabled": False}


def is_anomaly_enabled():
    return _state["enabled"]


class set_detect_anomaly:
    """``set_detect_anomaly(True)`` switches it on at once; as a context manager it restores the
    previous setting on exit."""

    def __init__(self, mode, check_nan=True):
        self._previous = _state["enabled"]
        _state["enabled"] = bool(mode)

    def __enter__(self):
        return None

    def __exit__(self, *exc):
        _state["enabled"] = self._previous
        return False


class detect_anomaly:
    """Context manager that switches anomaly detection on for its block."""

    def __init__(self, check_nan=True):
        self._previous = None

    def __enter__(self):
        self._previous = _state["enabled"]
        _state["enabled"] = True
        return None

    def __exit__(self, *exc):
        _state["enabled"] = self._previous
        return False
