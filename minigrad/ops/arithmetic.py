"""Arithmetic: + - * / ** and negation. Every backward here broadcasts back with ``sum_to_shape``."""

import numpy as np

from .. import _dtypes
from .._arguments import _wrap_number
from ..autograd.function import Function
from ._util import float_result, out, promoted, sum_to_shape, zeros
from .selection import where


class Add(Function):
    """c = a + α·b (α = 1 unless given: ``a.add(b, alpha=2)``).   ∂c/∂a = 1,  ∂c/∂b = α: addition hands
    the gradient unchanged to both inputs (times α for b)."""

    node_name = "AddBackward0"
    known_zeros_pass = True
    sums_to_shape = True  # (a broadcast input's gradient is summed back to its shape)

    @staticmethod
    def forward(ctx, a, b, alpha=1):
        ctx.shapes, ctx.alpha = (a._data.shape, b._data.shape), alpha
        dtype, (x, y) = promoted(a, b)
        return out(x + y if alpha == 1 else x + _scaled(y, alpha, dtype), dtype)

    @staticmethod
    def backward(ctx, grad):
        a_shape, b_shape = ctx.shapes
        # (only for the inputs that need one, as PyTorch's formulas: x + 0.1 or out - target)
        grad_a = sum_to_shape(grad, a_shape) if ctx.needs_input_grad[0] else None
        grad_b = None
        if ctx.needs_input_grad[1]:
            grad_b = sum_to_shape(grad if ctx.alpha == 1 else grad * ctx.alpha, b_shape)
        return grad_a, grad_b, None


def _check_no_bool_subtraction(a, b):
    """PyTorch refuses ``-`` on bools (a tensor, or a Python bool beside a tensor): its errors."""
    a_bool, b_bool = a._dtype is _dtypes.bool, b._dtype is _dtypes.bool
    if a_bool and b_bool:
        raise RuntimeError(
            "Subtraction, the `-` operator, with two bool tensors is not supported. "
            "Use the `^` or `logical_xor()` operator instead."
        )
    if a_bool or b_bool:
        raise RuntimeError(
            "Subtraction, the `-` operator, with a bool tensor is not supported. "
            "If you are trying to invert a mask, use the `~` or `logical_not()` operator instead."
        )


class Sub(Function):
    """c = a − α·b.   ∂c/∂a = 1,  ∂c/∂b = −α."""

    node_name = "SubBackward0"
    known_zeros_pass = (True, False)
    sums_to_shape = True  # (a broadcast input's gradient is summed back to its shape)

    @staticmethod
    def forward(ctx, a, b, alpha=1):
        ctx.shapes, ctx.alpha = (a._data.shape, b._data.shape), alpha
        dtype, (x, y) = promoted(a, b)
        _check_no_bool_subtraction(a, b)
        return out(x - y if alpha == 1 else x - _scaled(y, alpha, dtype), dtype)

    @staticmethod
    def backward(ctx, grad):
        a_shape, b_shape = ctx.shapes
        # (only for the inputs that need one: out - target negates no gradient for the target)
        grad_a = sum_to_shape(grad, a_shape) if ctx.needs_input_grad[0] else None
        grad_b = None
        if ctx.needs_input_grad[1]:
            grad_b = sum_to_shape(-grad if ctx.alpha == 1 else grad * -ctx.alpha, b_shape)
        return grad_a, grad_b, None


def _scaled(array, alpha, dtype):
    """α·b for ``add``/``sub`` with ``alpha=``, in the result's dtype."""
    if isinstance(alpha, float) and not dtype.is_floating_point:
        raise RuntimeError("For integral input tensors, argument alpha must not be a floating point number.")
    return (array * alpha).astype(dtype.numpy, copy=False)


class RSub(Function):
    """c = number − a (``2 - x``).   ∂c/∂a = −1."""

    node_name = "RsubBackward1"

    @staticmethod
    def forward(ctx, a, number):
        b = _wrap_number(number, a)
        _check_no_bool_subtraction(b, a)
        dtype, (x, y) = promoted(a, b)
        return out(y - x, dtype)

    @staticmethod
    def backward(ctx, grad):
        return -grad, None


class Mul(Function):
    """c = a · b.   ∂c/∂a = b,  ∂c/∂b = a: multiplication *swaps* the inputs into the gradients."""

    node_name = "MulBackward0"
    known_zeros_pass = True
    sums_to_shape = True  # (a broadcast input's gradient is summed back to its shape)
    saved_names = ("self", "other")

    @staticmethod
    def forward(ctx, a, b):
        # Save only what backward will need: b for a's gradient, a for b's.
        ctx.save_for_backward(a if ctx.needs_input_grad[1] else None, b if ctx.needs_input_grad[0] else None)
        ctx.shapes = (a._data.shape, b._data.shape)
        dtype, (x, y) = promoted(a, b)
        return out(x * y, dtype)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        a_shape, b_shape = ctx.shapes
        grad_a = sum_to_shape(grad * b, a_shape) if ctx.needs_input_grad[0] else None
        grad_b = sum_to_shape(grad * a, b_shape) if ctx.needs_input_grad[1] else None
        return grad_a, grad_b


class MulScalar(Function):
    """c = a · k for a Python number k, as PyTorch's backward formulas write it (``mul.Scalar``):
    the number is not an input of the graph, so the node has a single edge. (``a * 2`` written
    by you is ``MulBackward0``, the number wrapped as a tensor, in both libraries.)"""

    node_name = "MulBackward1"
    known_zeros_pass = True

    @staticmethod
    def forward(ctx, a, k):
        ctx.k = k
        dtype, (x, y) = promoted(a, _wrap_number(k, a))
        return out(x * y, dtype)

    @staticmethod
    def backward(ctx, grad):
        return MulScalar.apply(grad, ctx.k), None


class AddScalar(Function):
    """c = a + k for a Python number k, as PyTorch's backward formulas write it (``add.Scalar``,
    e.g. log1p's gradient grad / (x + 1)): one edge.   ∂c/∂a = 1."""

    node_name = "AddBackward1"
    known_zeros_pass = True

    @staticmethod
    def forward(ctx, a, k):
        dtype, (x, y) = promoted(a, _wrap_number(k, a))
        return out(x + y, dtype)

    @staticmethod
    def backward(ctx, grad):
        return grad, None


class DivScalar(Function):
    """c = a / k for a Python number k, as PyTorch's backward formulas write it (``div.Scalar``,
    e.g. mean's gradient divided by the count): one edge, as ``MulScalar``."""

    node_name = "DivBackward1"
    known_zeros_pass = True

    @staticmethod
    def forward(ctx, a, k):
        ctx.k = k
        dtype, (x, y) = float_result(a, _wrap_number(k, a))
        return out(x / y, dtype)

    @staticmethod
    def backward(ctx, grad):
        return DivScalar.apply(grad, ctx.k), None


class Div(Function):
    """c = a / b.   ∂c/∂a = 1/b,  ∂c/∂b = −a/b²."""

    node_name = "DivBackward0"
    known_zeros_pass = (True, False)
    sums_to_shape = True  # (a broadcast input's gradient is summed back to its shape)
    saved_names = ("self", "other")

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a if ctx.needs_input_grad[1] else None, b)
        ctx.shapes = (a._data.shape, b._data.shape)
        dtype, (x, y) = float_result(a, b)
        return out(x / y, dtype)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        a_shape, b_shape = ctx.shapes
        grad_a = sum_to_shape(grad / b, a_shape) if ctx.needs_input_grad[0] else None
        # (PyTorch's formula and order: −grad · ((a / b) / b))
        grad_b = sum_to_shape(-grad * ((a / b) / b), b_shape) if ctx.needs_input_grad[1] else None
        return grad_a, grad_b


class Neg(Function):
    """c = −a.   ∂c/∂a = −1."""

    node_name = "NegBackward0"

    @staticmethod
    def forward(ctx, a):
        if a._dtype is _dtypes.bool:
            raise RuntimeError(
                "Negation, the `-` operator, on a bool tensor is not supported. If you are trying "
                "to invert a mask, use the `~` or `logical_not()` operator instead."
            )
        return out(-a._data, a.dtype)

    @staticmethod
    def backward(ctx, grad):
        return -grad


class Reciprocal(Function):
    """c = 1/a.   ∂c/∂a = −1/a² = −c²  (``2 / x`` is computed as ``x.reciprocal() * 2``)."""

    node_name = "ReciprocalBackward0"
    saved_names = ("result",)

    @staticmethod
    def forward(ctx, a):
        dtype, (x,) = float_result(a)
        result = out(1.0 / x, dtype)
        ctx.save_for_backward(result)
        return result

    @staticmethod
    def backward(ctx, grad):
        (c,) = ctx.saved_tensors
        return -grad * (c * c)  # (PyTorch's order: c² first)


def power(x, p):
    """xᵖ for numpy numbers x and a Python number p, the way PyTorch computes it: a few exponents
    as products and quotients (x·x·x for 3, 1/√x for −0.5, ...), to the same last bit, and the
    others with numpy's pow (which may round differently from PyTorch's own)."""
    if p == 2:
        return x * x
    if p == 3:
        return x * x * x
    if p == -1:
        return 1 / x
    if p == -2:
        return 1 / (x * x)
    if p == -0.5:
        return 1 / np.sqrt(x)
    return np.power(x, p)


def integer_power(k, x):
    """kˣ for integers, as PyTorch computes it: a negative exponent gives 0, except for the bases
    1 (always 1) and −1 (±1) — numpy refuses negative integer exponents instead."""
    if not np.any(x < 0):
        return np.power(k, x)
    positive = np.power(k, np.maximum(x, 0))
    negative = np.where(k == 1, 1, np.where(k == -1, np.where(x % 2 == 0, 1, -1), 0))
    return np.where(x < 0, negative, positive)


def _check_pow_dtype(dtype):
    if dtype is _dtypes.bool:
        raise NotImplementedError("\"pow\" not implemented for 'Bool'")


class Pow(Function):
    """c = aᵖ for a number p.   ∂c/∂a = p·aᵖ⁻¹  (and exactly 0 when p = 0)."""

    node_name = "PowBackward0"
    known_zeros_pass = True
    saved_names = ("self",)
    saved_values = {"exponent": "exponent"}

    @staticmethod
    def forward(ctx, a, exponent):
        ctx.save_for_backward(a)
        ctx.exponent = exponent
        dtype, (x, _) = promoted(a, _wrap_number(exponent, a))
        if not dtype.is_floating_point and exponent < 0:
            raise RuntimeError("Integers to negative integer powers are not allowed.")
        return out(power(x, exponent), dtype)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.saved_tensors
        p = ctx.exponent
        if p == 0:  # zeros, not grad · 0 (which is nan where the gradient is inf), as in PyTorch
            return zeros(a.shape, a.dtype), None
        # (PyTorch's formula and order: p·aᵖ⁻¹ first, with p as a number, then times grad)
        return grad * MulScalar.apply(a ** (p - 1), p), None


class PowTensor(Function):
    """c = aᵇ for tensors.   ∂c/∂a = b·aᵇ⁻¹,  ∂c/∂b = aᵇ·ln a."""

    node_name = "PowBackward1"
    known_zeros_pass = (False, True)
    sums_to_shape = True  # (a broadcast input's gradient is summed back to its shape)
    saved_names = ("self", "exponent", "result")

    @staticmethod
    def forward(ctx, a, b):
        ctx.shapes = (a._data.shape, b._data.shape)
        dtype, (x, y) = promoted(a, b)
        _check_pow_dtype(dtype)
        result = out(np.power(x, y) if dtype.is_floating_point else integer_power(x, y), dtype)
        ctx.save_for_backward(a, b, result)
        return result

    @staticmethod
    def backward(ctx, grad):
        a, b, c = ctx.saved_tensors
        a_shape, b_shape = ctx.shapes
        grad_a = grad_b = None
        if ctx.needs_input_grad[0]:
            # where the exponent is 0 the derivative is exactly 0, even at a = 0 (0 · 0⁻¹ would
            # be nan) and for an inf gradient (PyTorch's formula and order)
            grad_a = sum_to_shape(where(b == 0, 0, grad * (b * a ** (b - 1))), a_shape)
        if ctx.needs_input_grad[1]:
            # where a = 0 and b ≥ 0 the derivative is taken as 0 (PyTorch's convention)

            base = a if a.dtype is c.dtype else a.to(c.dtype)  # (ln a in the result's precision)
            safe = where((a == 0) & (b >= 0), 0, grad * (c * base.log()))
            grad_b = sum_to_shape(safe, b_shape)
        return grad_a, grad_b


class RPow(Function):
    """c = kᵃ for a number k (``2 ** x``).   ∂c/∂a = kᵃ·ln k."""

    node_name = "PowBackward2"
    saved_names = ("result", "exponent")
    saved_values = {"self": "base"}

    @staticmethod
    def forward(ctx, base, a):
        dtype, (k, x) = promoted(_wrap_number(base, a), a)  # (2 ** int_tensor is an int tensor)
        _check_pow_dtype(dtype)
        result = out(np.power(k, x) if dtype.is_floating_point else integer_power(k, x), dtype)
        ctx.base = base
        ctx.save_for_backward(result, a)  # (a is read only for a zero base; saved as PyTorch does)
        return result

    @staticmethod
    def backward(ctx, grad):
        c, a = ctx.saved_tensors
        # PyTorch's formula: grad · (kᵃ · ln k), ln k a number; for k = 0, exactly 0 where a ≥ 0
        # (0ᵃ is flat there) instead of 0 · ln 0 = nan
        local = MulScalar.apply(c, float(np.log(ctx.base)))
        if ctx.base == 0:
            local = where(a >= 0, 0, local)
        return None, grad * local
