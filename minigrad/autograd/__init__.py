"""Automatic differentiation: ``backward``, ``grad``, ``Function``, ``gradcheck`` and the grad modes.

The layer above the tensor: :mod:`~minigrad.autograd.function` (``Function``, the graph's nodes),
:mod:`~minigrad.autograd.engine` (the backward walk) and its entry points
:mod:`~minigrad.autograd.entry_points` (:func:`backward`, :func:`grad`), with one module per rule
of PyTorch's that is not the algorithm (hooks, saved tensors, known zeros, ...).
:mod:`~minigrad.autograd.functional` (``jacobian``, ``hessian``) builds on the ops and is loaded by
``import minigrad`` after them.
"""

from . import engine, forward_ad, graph  # noqa: F401
from .anomaly_mode import detect_anomaly, is_anomaly_enabled, set_detect_anomaly
from .entry_points import backward, grad
from .function import AccumulateGrad, BackwardNode, Function, Node
from .grad_mode import enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled
from .gradcheck import GradcheckError, gradcheck, gradgradcheck

__all__ = [
    "backward",
    "grad",
    "Function",
    "gradcheck",
    "gradgradcheck",
    "GradcheckError",
    "no_grad",
    "enable_grad",
    "set_grad_enabled",
    "inference_mode",
    "is_grad_enabled",
    "set_detect_anomaly",
    "detect_anomaly",
    "is_anomaly_enabled",
    "Node",
    "BackwardNode",
    "AccumulateGrad",
    "engine",
]
