"""What a ``Function`` of your own may use beyond ``forward``/``backward``: PyTorch's extras.

- PyTorch 2's second style, ``forward(*args)`` without ``ctx`` plus a static
  ``setup_context(ctx, inputs, output)`` that saves what backward needs;
- ``ctx.mark_dirty(x)``: forward changed ``x`` in place, which is allowed only where an in-place
  operation would be (not on a leaf that requires grad), and ``x`` must be returned;
- ``ctx.mark_non_differentiable(y)``: an output without gradient (the built-in ``max`` uses it for
  its indices);
- ``ctx.set_materialize_grads(False)``: backward receives None, not zeros, for an output that got
  no gradient;
- the node of your Function prints with its module path, as PyTorch prints the nodes of Functions
  written in Python.

(``once_differentiable`` is in :mod:`~minigrad.autograd.function`, where PyTorch has it.)
"""

from __future__ import annotations

import inspect

import numpy as np

from ..tensor import Tensor, _new_tensor
from .grad_mode import _marked_inference, _no_graph_context, _run_in_modes
from .grad_mode import _state as _grad_state
from .saved_tensors import _contains


class ContextExtras:
    """The ``ctx`` methods beyond ``save_for_backward`` (a node of a Function is its ``ctx``)."""

    _non_differentiable = ()
    _dirty = ()
    _materialize_grads = True

    def mark_non_differentiable(self, *tensors: Tensor) -> None:
        """Declare outputs that have no gradient (e.g. the indices returned by ``max``)."""
        self._non_differentiable = tensors

    def mark_dirty(self, *tensors: Tensor) -> None:
        """Declare inputs that ``forward`` modified in place (and returns): they become outputs of
        this node, with a new version, instead of copies."""
        self._dirty = tensors

    def set_materialize_grads(self, value: bool) -> None:
        """With True (the default), ``backward`` receives zeros instead of None for unused outputs."""
        self._materialize_grads = bool(value)


def any_none(items: list | tuple) -> bool:
    """``None in items``, by identity (``==`` on tensors is an elementwise op)."""
    for item in items:
        if item is None:
            return True
    return False


def materialize_grads(node, grads: list) -> list:
    """Zeros of the output's shape and dtype in place of each None (``set_materialize_grads``)."""
    grads = list(grads)
    for k, (shape, dtype) in enumerate(node._output_meta):
        if grads[k] is None and dtype is not None and dtype.is_floating_point:
            grads[k] = _new_tensor(np.zeros(shape, dtype.numpy), dtype)
    return grads


def node_naming(cls: type, attrs: dict) -> dict:
    """What the node class of ``cls`` gets to print as PyTorch prints it: a Function of yours (or
    one that PyTorch, too, writes in Python) with the module path; a few nodes with a C++ name."""
    namespace = {}
    if not cls.__module__.startswith("minigrad.") or attrs.get("defined_in_python"):
        namespace["__repr__"] = _custom_node_repr
        namespace["_python_function"] = True
    if "qualified_node_name" in attrs:
        namespace["name"] = lambda self, _n=attrs["qualified_node_name"]: _n
    return namespace


def _custom_node_repr(node) -> str:
    return f"<minigrad.autograd.function.{type(node).__name__} object>"


def no_setup_context(ctx, inputs: tuple, output) -> None:
    """Function's default: forward itself receives ``ctx``."""
    raise NotImplementedError("setup_context is not implemented.")


def has_setup_context(cls: type) -> bool:
    """Whether a Function is written in the setup_context style."""
    return getattr(cls, "setup_context", no_setup_context) is not no_setup_context


def forward_then_setup_context(cls: type, ctx, *args):
    """The setup_context style: forward computes, then setup_context fills in ``ctx``."""
    output = cls.forward(*args)
    cls.setup_context(ctx, args, output)
    return output


def apply_setup_context_style(cls: type, *args, record, **kwargs):
    """``apply`` of a Function with ``setup_context``: keyword arguments are bound to their places
    (and defaults filled in), as PyTorch does, then the same two ways as ``Function.apply``
    (``record`` is its recording half, ``function._apply_with_graph``)."""
    bound = inspect.signature(cls.forward).bind(*args, **kwargs)
    bound.apply_defaults()
    args = tuple(bound.args)
    state = _grad_state
    if state["enabled"] and not state["inference"]:
        for a in args:
            if isinstance(a, Tensor) and a._requires_grad:
                return record(cls, args, {})
    ctx = _no_graph_context(len(args))
    outputs = _run_in_modes(False, forward_then_setup_context, cls, ctx, *args)
    return _marked_inference(outputs) if state["inference"] else outputs


def check_dirty_returned(node, outputs: list) -> None:
    """Every input marked dirty must be returned as an output."""
    if not all(_contains(outputs, t) for t in node._dirty):
        raise RuntimeError(
            "Some elements marked as dirty during the forward method were not returned as output. "
            "The inputs that are modified inplace must all be outputs of the Function."
        )


def check_dirty(tensor: Tensor) -> None:
    """An input that a Function changed in place (``ctx.mark_dirty``) takes the node as its history:
    not allowed for a leaf that requires grad, as for any in-place operation."""
    if tensor._requires_grad and tensor._grad_fn is None:
        raise RuntimeError("a leaf Variable that requires grad has been used in an in-place operation.")
    if tensor._base is not None and tensor._requires_grad:
        raise RuntimeError(
            "minigrad does not support in-place operations on a view that takes part in autograd "
            "(PyTorch rewrites the view's history; minigrad does not). Use an out-of-place "
            "operation instead."
        )
