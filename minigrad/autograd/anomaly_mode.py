"""Anomaly detection: find the forward line behind a NaN gradient.

With ``minigrad.autograd.set_detect_anomaly(True)`` (or ``with minigrad.autograd.detect_anomaly():``)
every node remembers where its forward operation was called, and the engine checks each gradient a
node produces: a NaN raises a RuntimeError naming the node and showing that forward line.
It costs time, so it is off by default.
"""

import numpy as np

from .. import _warnings
from ..tensor import Tensor

_state = {"enabled": False, "check_nan": True}


def is_anomaly_enabled():
    return _state["enabled"]


class set_detect_anomaly:
    """``set_detect_anomaly(True)`` switches it on at once; as a context manager it restores the
    previous setting on exit. With ``check_nan=False`` nodes still remember their forward line
    (for the error messages of in-place changes), but NaN gradients pass without an error."""

    def __init__(self, mode, check_nan=True):
        self._previous = dict(_state)
        _state["enabled"], _state["check_nan"] = bool(mode), bool(check_nan)

    def __enter__(self):
        return None

    def __exit__(self, *exc):
        _state.update(self._previous)
        return False


class detect_anomaly:
    """Context manager that switches anomaly detection on for its block."""

    def __init__(self, check_nan=True):
        _warnings.warn(
            "Anomaly Detection has been enabled. This mode will increase the runtime and should "
            "only be enabled for debugging."
        )
        self._check_nan = bool(check_nan)
        self._previous = None

    def __enter__(self):
        self._previous = dict(_state)
        _state["enabled"], _state["check_nan"] = True, self._check_nan
        return None

    def __exit__(self, *exc):
        _state.update(self._previous)
        return False


def check_nan(node, results) -> None:
    """The engine's check after a node ran, in anomaly mode: raise if a gradient ``node`` computed
    (``results``, one per argument of its forward) contains NaN, naming the node and the line of
    its forward call (which the node remembered when it was recorded, see ``Function.apply``)."""
    for i, (_, _, arg_index, _, _) in enumerate(node._edges):
        g = results[arg_index]
        if isinstance(g, Tensor) and g._dtype.is_floating_point and np.isnan(g._data).any():
            message = f"Function '{node.name()}' returned nan values in its {i}th output."
            if node._forward_trace:
                frame = node._forward_trace[-1]
                message += (
                    "\nTraceback of forward call that caused the error:\n"
                    f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}\n'
                    f"    {frame.line}"
                )
            raise RuntimeError(message)
