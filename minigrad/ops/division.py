"""Division that rounds: ``a // b``, ``a % b``, ``fmod`` and ``div(a, b, rounding_mode=...)``.

Two ways to round a quotient, two matching remainders (``a = q·b + r`` in both):

=============  ==============================  ===================================
rounding       quotient                        remainder
=============  ==============================  ===================================
down (floor)   ``a // b``, ``rounding_mode=``  ``a % b``, ``remainder``: the sign
               ``"floor"`` (−7 // 2 = −4)      of b, as in Python (−7 % 2 = 1)
toward zero    ``rounding_mode="trunc"``       ``fmod``: the sign of a, as in C
               (−7 / 2 → −3)                   (fmod(−7, 2) = −1)
=============  ==============================  ===================================

Gradients. A rounded quotient is a step function: flat almost everywhere, so ``div`` with a
rounding mode passes zeros back; ``//`` has no derivative at all in PyTorch (its node is
``NotImplemented``, and backward through it raises). A remainder grows like ``a`` between the
jumps: ∂r/∂a = 1, and since r = a − q·b with q constant there, ∂r/∂b = −q.
"""

import numpy as np

from .. import _dtypes
from .._arguments import _wrap_number
from ..autograd.function import Function
from ..tensor import Tensor
from ._util import float_result, out, promoted, sum_to_shape, zeros

ROUNDING_MODES = (None, "trunc", "floor")


def _operands(a, b, kernel):
    """The dtype and numbers of ``a`` and ``b`` (either may be a Python number), checked as PyTorch
    checks them: no bool result, and no integer division by zero."""
    if not isinstance(a, Tensor):
        a = _wrap_number(a, b)
    if not isinstance(b, Tensor):
        b = _wrap_number(b, a)
    dtype, (x, y) = promoted(a, b)
    if dtype is _dtypes.bool:
        raise NotImplementedError(f"\"{kernel}_cpu\" not implemented for 'Bool'")
    if not dtype.is_floating_point and np.any(y == 0):
        raise RuntimeError("ZeroDivisionError")
    return dtype, x, y


def floor_divide(x, y):
    """⌊x / y⌋ (numpy's floor division is PyTorch's, to the bit and the sign of zero)."""
    return np.floor_divide(x, y)


def trunc_divide(x, y, dtype):
    """x / y rounded toward zero."""
    if dtype.is_floating_point:
        return np.trunc(x / y)
    q = np.abs(x) // np.abs(y)  # (integers: no detour through floats, which would lose digits)
    return np.where((np.asarray(x) < 0) != (np.asarray(y) < 0), -q, q)


def remainder(x, y, dtype):
    """x − y·⌊x/y⌋, with the sign of y. For floats PyTorch's formula, fmod corrected where the signs
    differ (numpy's own remainder gives −0.0 where PyTorch gives 0.0); integers as Python's %."""
    if not dtype.is_floating_point:
        return np.remainder(x, y)
    mod = np.fmod(x, y)
    return np.where((mod != 0) & ((y < 0) != (mod < 0)), mod + y, mod)


def fmod(x, y, dtype):
    """x − y·trunc(x/y), with the sign of x (C's fmod)."""
    return np.fmod(x, y)


def _remainder_forward(ctx, a, b, kernel, compute):
    """Forward of a remainder of two tensors: b's gradient needs both (−quotient·grad)."""
    wanted = ctx.needs_input_grad[1]
    ctx.save_for_backward(a if wanted else None, b if wanted else None)
    ctx.shapes = (a._data.shape, b._data.shape)
    dtype, x, y = _operands(a, b, kernel)
    return out(compute(x, y, dtype), dtype)


def _remainder_backward(ctx, grad, rounding_mode):
    """r = a − q·b with q = a/b rounded (constant between the jumps): ∂r/∂a = 1, ∂r/∂b = −q."""
    a_shape, b_shape = ctx.shapes
    grad_a = sum_to_shape(grad, a_shape) if ctx.needs_input_grad[0] else None
    grad_b = None
    if ctx.needs_input_grad[1]:
        a, b = ctx.saved_tensors
        grad_b = sum_to_shape(-grad * DivMode.apply(a, b, rounding_mode), b_shape)
    return grad_a, grad_b


class FloorDivide(Function):
    """``a // b``: the quotient rounded down. PyTorch defines no derivative for it: its node is a
    ``NotImplemented`` node, and backward through it raises."""

    node_name = "NotImplemented"
    qualified_node_name = "minigrad::autograd::NotImplemented"

    @staticmethod
    def forward(ctx, a, b):
        dtype, x, y = _operands(a, b, "div_floor")
        return out(floor_divide(x, y), dtype)

    @staticmethod
    def backward(ctx, grad):
        raise RuntimeError("derivative for aten::floor_divide is not implemented")


class DivMode(Function):
    """``div(a, b, rounding_mode=...)``, PyTorch's ``div.Tensor_mode``. Rounded (``"floor"``,
    ``"trunc"``): the gradients are zeros. Not rounded (None): a / b, with Div's gradients."""

    node_name = "DivBackward2"
    saved_names = ("self", "other")

    @staticmethod
    def forward(ctx, a, b, rounding_mode):
        if rounding_mode not in ROUNDING_MODES:
            raise RuntimeError(
                "div expected rounding_mode to be one of None, 'trunc', or 'floor' but found "
                f"'{rounding_mode}'"
            )
        ctx.rounding_mode = rounding_mode
        ctx.shapes = (a._data.shape, b._data.shape)
        if rounding_mode is None:
            ctx.save_for_backward(a if ctx.needs_input_grad[1] else None, b)
            dtype, (x, y) = float_result(a, b)
            return out(x / y, dtype)
        kernel = "div_floor" if rounding_mode == "floor" else "div_trunc"
        dtype, x, y = _operands(a, b, kernel)
        if rounding_mode == "floor":
            return out(floor_divide(x, y), dtype)
        return out(trunc_divide(x, y, dtype), dtype)

    @staticmethod
    def backward(ctx, grad):
        a_shape, b_shape = ctx.shapes
        needs = ctx.needs_input_grad
        if ctx.rounding_mode is not None:  # a step function: flat wherever it has a slope
            return (
                (zeros(grad.shape, grad.dtype) if needs[0] else None),
                (zeros(grad.shape, grad.dtype) if needs[1] else None),
                None,
            )
        a, b = ctx.saved_tensors
        grad_a = sum_to_shape(grad / b, a_shape) if needs[0] else None
        grad_b = sum_to_shape(-grad * ((a / b) / b), b_shape) if needs[1] else None
        return grad_a, grad_b, None


class Remainder(Function):
    """``a % b`` of two tensors (sign of b).   ∂r/∂a = 1,  ∂r/∂b = −⌊a/b⌋."""

    node_name = "RemainderBackward1"
    saved_names = ("self", "other")

    @staticmethod
    def forward(ctx, a, b):
        return _remainder_forward(ctx, a, b, "remainder", remainder)

    @staticmethod
    def backward(ctx, grad):
        return _remainder_backward(ctx, grad, "floor")


class RemainderScalar(Function):
    """``a % k`` for a Python number k: one edge (PyTorch's ``remainder.Scalar``).  ∂r/∂a = 1."""

    node_name = "RemainderBackward0"
    known_zeros_pass = True

    @staticmethod
    def forward(ctx, a, k):
        dtype, x, y = _operands(a, k, "remainder")
        return out(remainder(x, y, dtype), dtype)

    @staticmethod
    def backward(ctx, grad):
        return grad, None


class RRemainder(Function):
    """``k % b`` for a Python number k. PyTorch defines no derivative for it (``NotImplemented``)."""

    node_name = "NotImplemented"
    qualified_node_name = "minigrad::autograd::NotImplemented"

    @staticmethod
    def forward(ctx, k, b):
        dtype, x, y = _operands(k, b, "remainder")
        return out(remainder(x, y, dtype), dtype)

    @staticmethod
    def backward(ctx, grad):
        raise RuntimeError("derivative for aten::remainder is not implemented")


class Fmod(Function):
    """``fmod(a, b)`` of two tensors (sign of a, as C's fmod).   ∂r/∂a = 1,  ∂r/∂b = −trunc(a/b)."""

    node_name = "FmodBackward1"
    saved_names = ("self", "other")

    @staticmethod
    def forward(ctx, a, b):
        return _remainder_forward(ctx, a, b, "fmod", fmod)

    @staticmethod
    def backward(ctx, grad):
        return _remainder_backward(ctx, grad, "trunc")


class FmodScalar(Function):
    """``fmod(a, k)`` for a Python number k: one edge.   ∂r/∂a = 1."""

    node_name = "FmodBackward0"
    known_zeros_pass = True

    @staticmethod
    def forward(ctx, a, k):
        dtype, x, y = _operands(a, k, "fmod")
        return out(fmod(x, y, dtype), dtype)

    @staticmethod
    def backward(ctx, grad):
        return grad, None
