"""Switching gradient tracking off and on: ``no_grad``, ``enable_grad``, ``set_grad_enabled``,
``inference_mode``.

While grad mode is off, operations still compute their values but record no graph: results have
``requires_grad=False`` and no ``grad_fn``. That is what you want for evaluation and for updating
weights in an optimizer step. Each of these works as a context manager (``with minigrad.no_grad():``)
and as a decorator (``@minigrad.no_grad()``), and they nest: leaving a block restores the mode that
was in force when it was entered.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np

from .._grad_state import grad_state as _state
from ..tensor import Tensor


def is_grad_enabled() -> bool:
    """True when grad mode is on (inside ``inference_mode`` nothing is recorded even then)."""
    return _state["enabled"]


def is_inference_mode_enabled() -> bool:
    return _state["inference"]


class _GradModeContext:
    """Base for the grad-mode switches: enter sets the mode, exit restores the previous one."""

    def _set(self):  # pragma: no cover - overridden
        raise NotImplementedError

    def __enter__(self):
        self._saved = dict(_state)
        self._set()
        return None

    def __exit__(self, *exc):
        _state.update(self._saved)

    def __repr__(self):  # (no memory address: notebook outputs stay the same from run to run)
        return f"<minigrad.autograd.grad_mode.{type(self).__name__} object>"

    def __call__(self, func):
        """Use as a decorator: run ``func`` inside a fresh copy of this context."""

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with self.clone():
                return func(*args, **kwargs)

        return wrapper

    def clone(self) -> _GradModeContext:
        return self.__class__()


class _Switch(_GradModeContext):
    """A switch to one fixed grad mode. Like PyTorch's, it works as ``with no_grad():``, as
    ``@no_grad()`` and as ``@no_grad`` without parentheses."""

    _enabled = True

    def __new__(cls, func=None):
        self = super().__new__(cls)
        if callable(func):  # used as @no_grad: decorate at once
            return self(func)
        return self

    def __init__(self, func=None):
        pass

    def _set(self):
        _state["enabled"] = self._enabled


class no_grad(_Switch):
    """Context manager and decorator that turns gradient recording off.

    >>> x = minigrad.tensor([1.0], requires_grad=True)
    >>> with minigrad.no_grad():
    ...     y = x * 2
    >>> y.requires_grad
    False
    """

    _enabled = False


class enable_grad(_Switch):
    """Context manager and decorator that turns gradient recording on (inside a ``no_grad`` block)."""

    _enabled = True


class set_grad_enabled(_GradModeContext):
    """``set_grad_enabled(False)`` turns recording off at once; as ``with set_grad_enabled(mode):`` it
    sets the mode for the block and restores the previous one after."""

    def __init__(self, mode):
        self.mode = bool(mode)
        self._previous = dict(_state)
        _state["enabled"] = self.mode

    def _set(self):
        _state["enabled"] = self.mode

    def __enter__(self):
        self._saved = self._previous
        return None

    def __repr__(self):
        return f"minigrad.autograd.grad_mode.set_grad_enabled(mode={self.mode})"

    def clone(self) -> set_grad_enabled:
        return set_grad_enabled.__new__(set_grad_enabled)._init_quiet(self.mode)

    def _init_quiet(self, mode):
        self.mode = mode
        self._previous = dict(_state)
        return self

    def __call__(self, func):
        # Decorating must not leave the mode changed: undo what __init__ did.
        _state.update(self._previous)
        mode = self.mode

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with set_grad_enabled(mode):
                return func(*args, **kwargs)

        return wrapper


class inference_mode(_GradModeContext):
    """Like ``no_grad``, and tensors created inside are *inference tensors*: they can never be saved
    for a backward pass later (PyTorch uses that promise to skip version counting)."""

    def __new__(cls, mode=True):
        self = super().__new__(cls)
        if callable(mode):
            return inference_mode()(mode)
        return self

    def __init__(self, mode=True):
        self.mode = bool(mode)

    def clone(self) -> inference_mode:
        return inference_mode(self.mode)

    def _set(self):
        _state["enabled"] = not self.mode
        _state["inference"] = self.mode


# --- the modes every op's forward and every engine step run in ---------------------------------
def _numpy_quiet_switch():
    """How to switch numpy's floating-point warnings off and on again, cheaply.

    ``np.errstate`` costs microseconds, and every operation needs the switch. numpy 2 keeps the
    setting in a context variable, so setting that variable directly does the same in a fraction of
    the time. Returns that variable, the value meaning "ignore all", and the two switches."""
    try:
        from numpy._core._ufunc_config import _extobj_contextvar as var

        with np.errstate(all="ignore"):
            ignore = var.get()
        return var, ignore, functools.partial(var.set, ignore), var.reset
    except (ImportError, AttributeError):  # pragma: no cover - other numpy versions
        import contextvars

        def enter():
            state = np.errstate(all="ignore")
            state.__enter__()
            return state

        # a variable that never holds the marker: every call switches with np.errstate
        return (
            contextvars.ContextVar("never_quiet", default=None),
            object(),
            enter,
            (lambda state: state.__exit__(None, None, None)),
        )


_errstate_var, _IGNORE_ALL, _quiet_on, _quiet_off = _numpy_quiet_switch()


def _run_in_modes(grad_enabled, function, *args, **kwargs):
    """Call ``function(*args, **kwargs)`` with grad mode set to ``grad_enabled`` and numpy's
    floating-point warnings off (inf and nan are results, as in PyTorch, not warnings); restore
    both afterwards. Every op's forward runs this way (with grad mode off: forward only computes
    values), and so does every step of the engine (grad mode on only with ``create_graph``).
    When both modes are already as wanted (ops called inside backward), it just calls."""
    state = _state
    previous = state["enabled"]
    if previous == grad_enabled and _errstate_var.get() is _IGNORE_ALL:
        return function(*args, **kwargs)
    state["enabled"] = grad_enabled
    token = _quiet_on()
    try:
        return function(*args, **kwargs)
    finally:
        _quiet_off(token)
        state["enabled"] = previous


def quietly(function: Callable, *args: Any, **kwargs: Any) -> Any:
    """``function(*args, **kwargs)`` with numpy's floating-point warnings off, grad mode unchanged:
    inf and nan are results, as in PyTorch (an optimizer step runs this way)."""
    return _run_in_modes(_state["enabled"], function, *args, **kwargs)


# --- what forward runs with when nothing is recorded ------------------------------------------
class _NoGraphContext:
    """The ``ctx`` a forward gets when nothing will be recorded: saving is a no-op."""

    needs_input_grad = ()

    def save_for_backward(self, *tensors):
        pass

    def mark_non_differentiable(self, *tensors):
        pass

    def mark_dirty(self, *tensors):
        pass

    def set_materialize_grads(self, value):
        pass


def _no_graph_context(n_args):
    """A ``_NoGraphContext`` for a call with ``n_args`` arguments (``needs_input_grad``: n × False)."""
    ctx = _NoGraphContext()
    ctx.needs_input_grad = _NO_GRADS[n_args] if n_args < len(_NO_GRADS) else (False,) * n_args
    return ctx


_NO_GRADS = [(False,) * n for n in range(8)]  # made once: one op after another uses them


def _marked_inference(outputs):
    """Outputs made inside ``inference_mode`` are inference tensors (they can never join a graph)."""
    for o in outputs if isinstance(outputs, tuple) else (outputs,):
        if isinstance(o, Tensor):
            o._is_inference = True
    return outputs
