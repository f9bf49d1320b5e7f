"""Anomaly detection: find the forward line behind a NaN gradient.

With ``minigrad.autograd.set_detect_anomaly(True)`` (or ``with minigrad.autograd.detect_anomaly():``)
every node remembers where its forward operation was called, and the engine checks each gradient a
node produces: a NaN raises a RuntimeError naming the node. Whenever a node's backward fails (a NaN,
a tensor modified in place, ...) a warning first shows the traceback of that node's forward call,
as PyTorch's does ("Error detected in SqrtBackward0. Traceback of forward call that caused the
error: ..."). It costs time, so it is off by default.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .. import _warnings
from ..tensor import Tensor

if TYPE_CHECKING:  # (for annotations only: function.py imports this module)
    from .function import BackwardNode, Node

_state = {"enabled": False, "check_nan": True}


def is_anomaly_enabled() -> bool:
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


def run_backward(node: BackwardNode, grads: list[Tensor | None]) -> tuple[Tensor | None, ...]:
    """How the engine runs a node in anomaly mode: a NaN in what it computed raises, naming the node,
    and any error in its backward (a NaN, a tensor changed in place, ...) is preceded by a warning
    with the traceback of the node's forward call, as in PyTorch."""
    try:
        results = node.call_backward(grads)
        if _state["check_nan"]:
            check_nan(node, results)
    except Exception:
        warn_forward_call(node)
        raise
    return results


def check_nan(node: BackwardNode, results: tuple[Tensor | None, ...]) -> None:
    """Raise if a gradient ``node`` computed (``results``, one per argument of its forward) contains
    NaN, naming the node in PyTorch's one line (the warning of :func:`warn_forward_call` shows where
    its forward was called)."""
    for i, (_, _, arg_index, _, _) in enumerate(node._edges):
        g = results[arg_index]
        if isinstance(g, Tensor) and g._dtype.is_floating_point and np.isnan(g._data).any():
            raise RuntimeError(f"Function '{node.name()}' returned nan values in its {i}th output.")


def warn_forward_call(node: Node) -> None:
    """Warn with the traceback of the forward call that made ``node`` (recorded while anomaly mode
    was on, see ``Function.apply``), in PyTorch's words."""
    trace = node._forward_trace
    if trace:
        frames = "".join(
            f'  File "{f.filename}", line {f.lineno}, in {f.name}\n    {f.line}\n' for f in trace
        )
        _warnings.warn(
            f"Error detected in {node.name()}. Traceback of forward call that caused the error:\n{frames}"
        )
