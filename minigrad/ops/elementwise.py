"""Elementwise functions: each output element depends only on the input element at the same place,
so each backward is ``grad * f′(x)``, elementwise."""

import numpy as np

from .. import _dtypes
from .._arguments import _wrap_number
from ..autograd.function import Function
from ..tensor import Tensor
from ._util import (
    check_broadcastable,
    float_result,
    known_zeros,
    out,
    promoted,
    sum_to_shape,
    wide,
    zeros,
    zeros_like_grad,
)
from .arithmetic import AddScalar, MulScalar
from .selection import Where, where  # noqa: F401  (minigrad.where and the ops' name for it)


class Exp(Function):
    """y = eˣ.   dy/dx = eˣ = y  (so backward reuses the saved output)."""

    node_name = "ExpBackward0"
    known_zeros_pass = True
    saved_names = ("result",)

    @staticmethod
    def forward(ctx, x):
        dtype, (a,) = float_result(x)
        y = out(np.exp(wide(a)), dtype)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return grad * y


class Log(Function):
    """y = ln x.   dy/dx = 1/x."""

    node_name = "LogBackward0"
    known_zeros_pass = True
    saved_names = ("self",)

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        dtype, (a,) = float_result(x)
        return out(np.log(wide(a)), dtype)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad / x


class Log1p(Function):
    """y = ln(1 + x), accurate for small x (where 1 + x would lose x's digits).   dy/dx = 1/(x + 1)."""

    node_name = "Log1PBackward0"
    known_zeros_pass = True
    saved_names = ("self",)

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        dtype, (a,) = float_result(x)
        return out(np.log1p(wide(a)), dtype)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad / AddScalar.apply(x, 1)  # (PyTorch's log1p_backward)


class Expm1(Function):
    """y = eˣ − 1, accurate for small x.   dy/dx = eˣ = y + 1."""

    node_name = "Expm1Backward0"
    known_zeros_pass = True
    saved_names = ("result",)

    @staticmethod
    def forward(ctx, x):
        dtype, (a,) = float_result(x)
        y = out(np.expm1(wide(a)), dtype)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return grad * AddScalar.apply(y, 1)


class Sin(Function):
    """y = sin x.   dy/dx = cos x."""

    node_name = "SinBackward0"
    known_zeros_pass = True
    saved_names = ("self",)

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        dtype, (a,) = float_result(x)
        return out(np.sin(wide(a)), dtype)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * x.cos()


class Cos(Function):
    """y = cos x.   dy/dx = −sin x."""

    node_name = "CosBackward0"
    known_zeros_pass = True
    saved_names = ("self",)

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        dtype, (a,) = float_result(x)
        return out(np.cos(wide(a)), dtype)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * -x.sin()


class Tanh(Function):
    """y = tanh x.   dy/dx = 1 − y²."""

    node_name = "TanhBackward0"
    saved_names = ("result",)

    @staticmethod
    def forward(ctx, x):
        dtype, (a,) = float_result(x)
        y = out(np.tanh(wide(a)), dtype)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return TanhBackward.apply(grad, y)


class TanhBackward(Function):
    """Tanh's backward as one operation, as PyTorch has it (``tanh_backward``): grad · (1 − y²).
    PyTorch rounds 1 − y² only once (a fused multiply-add); computed in higher precision and
    rounded once here too, the gradients are PyTorch's to the last bit for the same y (in float32).
    Differentiated again (``create_graph=True``): the gradient gets this same op, and
    y gets −2·y·grad times the incoming gradient."""

    node_name = "TanhBackwardBackward0"
    saved_names = ("grad_output", "output")

    @staticmethod
    def forward(ctx, grad, y):
        ctx.save_for_backward(grad, y)
        dtype, (g, v) = promoted(grad, y)
        wider = np.longdouble if dtype is _dtypes.float64 else np.float64
        one_minus_y2 = (1.0 - np.square(v.astype(wider))).astype(dtype.numpy)
        return out(g * one_minus_y2, dtype)

    @staticmethod
    def backward(ctx, grad_grad):
        grad, y = ctx.saved_tensors
        grad_grad_out = TanhBackward.apply(grad_grad, y) if ctx.needs_input_grad[0] else None
        grad_y = grad_grad * (-2 * y * grad) if ctx.needs_input_grad[1] else None
        return grad_grad_out, grad_y


class Sigmoid(Function):
    """y = σ(x) = 1 / (1 + e⁻ˣ).   dy/dx = y·(1 − y)."""

    node_name = "SigmoidBackward0"
    saved_names = ("result",)

    @staticmethod
    def forward(ctx, x):
        dtype, (a,) = float_result(x)
        y = out(1.0 / (1.0 + np.exp(-a)), dtype)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return SigmoidBackward.apply(grad, y)


class SigmoidBackward(Function):
    """Sigmoid's backward as one operation, as PyTorch has it (``sigmoid_backward``):
    grad · (1 − y) · y, multiplied in PyTorch's order (for the same y, PyTorch's numbers to the last
    bit).
    Differentiated again (``create_graph=True``): the gradient gets this same op, and y gets
    (1 − 2y)·grad times the incoming gradient."""

    node_name = "SigmoidBackwardBackward0"
    saved_names = ("grad_output", "output")

    @staticmethod
    def forward(ctx, grad, y):
        ctx.save_for_backward(grad, y)
        dtype, (g, v) = promoted(grad, y)
        return out(g * (1 - v) * v, dtype)

    @staticmethod
    def backward(ctx, grad_grad):
        grad, y = ctx.saved_tensors
        grad_grad_out = SigmoidBackward.apply(grad_grad, y) if ctx.needs_input_grad[0] else None
        grad_y = grad_grad * grad * (-2 * y + 1) if ctx.needs_input_grad[1] else None
        return grad_grad_out, grad_y


class Relu(Function):
    """y = max(x, 0).   dy/dx = 1 where x > 0, else 0 — including at x = 0, as in PyTorch."""

    node_name = "ReluBackward0"
    saved_names = ("result",)

    @staticmethod
    def forward(ctx, x):
        if x._dtype is _dtypes.bool:
            raise RuntimeError("Boolean inputs not supported for relu")
        # (0 first: on a tie numpy returns its second argument, so relu(-0.0) is -0.0, as in PyTorch)
        y = out(np.maximum(0, x._data), x.dtype)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return ThresholdBackward.apply(grad, y)


# float dtype -> the unsigned integer of the same size (ThresholdBackward works on the bits)
_SAME_SIZE_UINT = {np.dtype(np.float32): np.uint32, np.dtype(np.float64): np.uint64}


class ThresholdBackward(Function):
    """ReLU's backward as one operation, as PyTorch has it (``threshold_backward``): the gradient
    where y > 0, and exactly 0 where y ≤ 0, even for an inf or nan gradient (the product
    ``grad * (y > 0)`` would give nan there, and -0 for a negative gradient).
    Differentiated again (``create_graph=True``) it masks the same way; y gets zeros, since the
    mask is flat."""

    node_name = "ThresholdBackwardBackward0"

    @staticmethod
    def forward(ctx, grad, y):
        ctx.save_for_backward(y)
        g, values = grad._data, y._data
        if g.ndim == 0:  # one number: choose in Python (np.where costs 15 times more on 0-d arrays)
            return out(np.zeros((), g.dtype) if values[()] <= 0 else g.copy(), grad._dtype)
        bits = _SAME_SIZE_UINT.get(g.dtype)
        if bits is None:
            return out(np.where(values <= 0, 0, g), grad._dtype)
        # Choose without branches: keep the gradient's bits where y > 0 (inf, nan included) and
        # clear them (+0.0) where y <= 0. The same result as np.where, which on a mask that changes
        # from one element to the next is 8 times slower (the CPU mispredicts its branches).
        keep = (values <= 0).astype(bits)
        keep -= 1  # 1 -> 0 (clear), 0 -> all ones (keep)
        return out((g.view(bits) & keep).view(g.dtype), grad._dtype)

    @staticmethod
    def backward(ctx, grad_grad):
        (y,) = ctx.saved_tensors
        grad_y = zeros(y.shape, y.dtype) if ctx.needs_input_grad[1] else None
        return ThresholdBackward.apply(grad_grad, y), grad_y


class Sqrt(Function):
    """y = √x.   dy/dx = 1 / (2√x) = 1 / (2y)."""

    node_name = "SqrtBackward0"
    known_zeros_pass = True
    saved_names = ("result",)

    @staticmethod
    def forward(ctx, x):
        dtype, (a,) = float_result(x)
        y = out(np.sqrt(a), dtype)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return grad / MulScalar.apply(y, 2)  # (PyTorch's formula: 2·y with 2 as a number)


class Abs(Function):
    """y = |x|.   dy/dx = sign(x)  (0 at x = 0)."""

    node_name = "AbsBackward0"
    known_zeros_pass = True
    saved_names = ("self",)

    @staticmethod
    def forward(ctx, x):
        if x._dtype is _dtypes.bool:
            raise NotImplementedError("\"abs_cpu\" not implemented for 'Bool'")
        ctx.save_for_backward(x)
        return out(np.abs(x._data), x.dtype)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * x.sgn()


class Sign(Function):
    """y = sign(x): −1, 0 or 1 (0 for nan, as in PyTorch).   dy/dx = 0 everywhere it exists."""

    node_name = "SignBackward0"

    @staticmethod
    def forward(ctx, x):
        a = x._data
        if x._dtype is _dtypes.bool:  # (the sign of True is True)
            return out(a.copy(), x.dtype)
        if not x.dtype.is_floating_point:
            return out(np.sign(a), x.dtype)
        dtype = a.dtype
        return out((a > 0).astype(dtype) - (a < 0).astype(dtype), x.dtype)  # (np.sign(nan) is nan)

    @staticmethod
    def backward(ctx, grad):
        return zeros_like_grad(grad)


class Sgn(Sign):
    """``x.sgn()``: the sign of a real number, under the name PyTorch's ``abs`` backward uses. Its
    zero gradient is PyTorch's "known zeros" (sign's is ordinary zeros: PyTorch differs there)."""

    node_name = "SgnBackward0"
    known_zeros_pass = True

    @staticmethod
    def backward(ctx, grad):
        return known_zeros(grad._data.shape, grad._dtype)


class ClampMin(Function):
    """``x.clamp_min(lo)``: clamp with only a lower bound, PyTorch's own node for it."""

    node_name = "ClampMinBackward0"

    @staticmethod
    def forward(ctx, x, lo):
        return Clamp.forward(ctx, x, lo, None)

    @staticmethod
    def backward(ctx, grad):
        grad_x, _, _ = Clamp.backward(ctx, grad)
        return grad_x, None


class ClampMax(ClampMin):
    """``x.clamp_max(hi)``: clamp with only an upper bound (the same backward)."""

    node_name = "ClampMaxBackward0"

    @staticmethod
    def forward(ctx, x, hi):
        return Clamp.forward(ctx, x, None, hi)


class Clamp(Function):
    """y = min(max(x, lo), hi).   dy/dx = 1 where lo ≤ x ≤ hi (the bounds included), else 0."""

    node_name = "ClampBackward1"
    saved_names = ("self",)

    @staticmethod
    def forward(ctx, x, min=None, max=None):
        if min is None and max is None:
            raise RuntimeError("minigrad.clamp: At least one of 'min' or 'max' must not be None")
        ctx.save_for_backward(x)
        ctx.bounds = (min, max)
        a = x._data
        # (the bound first: on a tie numpy returns its second argument, x, as PyTorch does)
        if min is not None:
            a = np.maximum(min, a)
        if max is not None:
            a = np.minimum(max, a)
        dtype, _ = promoted(x, *[_wrap_number(b, x) for b in (min, max) if b is not None])
        return out(a, dtype)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        lo, hi = ctx.bounds
        inside = None
        if lo is not None:
            inside = x >= lo
        if hi is not None:
            inside = (x <= hi) if inside is None else inside & (x <= hi)
        # where, not grad * inside: outside the bounds the gradient is exactly 0, even where the
        # incoming one is inf or nan (inf * 0 is nan) or negative (-2 * 0 is -0), as in PyTorch
        return where(inside, grad, 0), None, None


class Maximum(Function):
    """c = max(a, b) elementwise.   The gradient goes to the larger input; on a tie it is split
    half and half (PyTorch's choice)."""

    node_name = "MaximumBackward0"
    saved_names = ("self", "other")

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        ctx.shapes = (a._data.shape, b._data.shape)
        dtype, (x, y) = promoted(a, b)
        return out(np.maximum(x, y), dtype)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        a_shape, b_shape = ctx.shapes
        # PyTorch's formula: half each on a tie, and exactly 0 for the smaller input
        shared = where(a == b, grad / 2, grad)
        return sum_to_shape(where(a < b, 0, shared), a_shape), sum_to_shape(where(a > b, 0, shared), b_shape)


class Minimum(Function):
    """c = min(a, b) elementwise; the gradient goes to the smaller input, split on a tie."""

    node_name = "MinimumBackward0"
    saved_names = ("self", "other")

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        ctx.shapes = (a._data.shape, b._data.shape)
        dtype, (x, y) = promoted(a, b)
        return out(np.minimum(x, y), dtype)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        a_shape, b_shape = ctx.shapes
        shared = where(a == b, grad / 2, grad)
        return sum_to_shape(where(a > b, 0, shared), a_shape), sum_to_shape(where(a < b, 0, shared), b_shape)


class MaskedFill(Function):
    """``x.masked_fill(mask, value)``: x with the number ``value`` where ``mask`` is True.
    Backward: x gets the gradient where the mask is False, exactly 0 where it is True."""

    node_name = "MaskedFillBackward0"

    @staticmethod
    def forward(ctx, x, mask, value):
        ctx.mask = mask  # (the mask's numbers, a bool array: see masked_fill() below)
        return out(np.where(mask, np.asarray(value, dtype=x.dtype.numpy), x._data), x.dtype)

    @staticmethod
    def backward(ctx, grad):
        return where(out(ctx.mask, _dtypes.bool), 0, grad), None, None


class MaskedFillTensor(MaskedFill):
    """``x.masked_fill(mask, value)`` with a one-number tensor ``value``: it gets the sum of the
    gradient where the mask is True."""

    node_name = "MaskedFillBackward1"

    @staticmethod
    def forward(ctx, x, mask, value):
        return MaskedFill.forward(ctx, x, mask, value._data)

    @staticmethod
    def backward(ctx, grad):
        mask = out(ctx.mask, _dtypes.bool)
        grad_value = where(mask, grad, 0).sum() if ctx.needs_input_grad[2] else None
        return where(mask, 0, grad), None, grad_value


def masked_fill(x, mask, value):
    """``value`` where ``mask`` is True, ``x`` elsewhere (PyTorch's checks)."""
    if mask._dtype is not _dtypes.bool:
        raise RuntimeError(
            f"masked_fill_ only supports boolean masks, but got mask with dtype {mask._dtype.cpp_name}"
        )
    check_broadcastable(mask._data.shape, x._data.shape)  # (PyTorch's message when they do not fit)
    if np.broadcast_shapes(x._data.shape, mask._data.shape) != x._data.shape:  # (a larger mask)
        raise RuntimeError(f"the mask of shape {list(mask.shape)} does not broadcast to {list(x.shape)}")
    # (the mask goes in as numbers: it gets no edge, as in PyTorch)
    if not isinstance(value, Tensor):
        return MaskedFill.apply(x, mask._data, value)
    if value._data.ndim:
        raise RuntimeError(
            "masked_fill_ only supports a 0-dimensional value tensor, but got tensor with "
            f"{value._data.ndim} dimension(s)."
        )
    return MaskedFillTensor.apply(x, mask._data, value)


class ToCopy(Function):
    """A copy in another dtype.   The gradient is converted back to the input's dtype."""

    node_name = "ToCopyBackward0"

    @staticmethod
    def forward(ctx, x, dtype):
        ctx.input_dtype = x.dtype
        return out(x._data.astype(dtype.numpy), dtype)

    @staticmethod
    def backward(ctx, grad):
        return grad.to(ctx.input_dtype), None


class Clone(Function):
    """A copy with its own storage.   The gradient passes through unchanged."""

    node_name = "CloneBackward0"
    known_zeros_pass = True

    @staticmethod
    def forward(ctx, x):
        return out(x._data.copy(), x.dtype)

    @staticmethod
    def backward(ctx, grad):
        return grad


def comparison(a, b, numpy_op):
    """Elementwise comparison: a bool tensor, never part of the graph."""
    b = _wrap_number(b, a)
    _, (x, y) = promoted(a, b)
    return out(numpy_op(x, y), _dtypes.bool)


class Fill(Function):
    """Every element set to a number (``zero_``, ``fill_``).   The old values are gone, so their
    gradient is zero."""

    node_name = "FillBackward2"  # (PyTorch's fill_ with a number)

    @staticmethod
    def forward(ctx, x, value):
        return out(np.full(x.shape, value, dtype=x.dtype.numpy), x.dtype)

    @staticmethod
    def backward(ctx, grad):
        return zeros_like_grad(grad), None


class FillWithTensor(Function):
    """``x.fill_(value)`` with a one-element tensor: x's gradient is zero, value gets the sum."""

    node_name = "FillBackward3"

    @staticmethod
    def forward(ctx, x, value):
        if value._data.ndim:
            raise RuntimeError(
                "fill_ only supports 0-dimension value tensor but got tensor with "
                f"{value._data.ndim} dimensions."
            )
        return out(np.full(x.shape, value._data, dtype=x.dtype.numpy), x.dtype)

    @staticmethod
    def backward(ctx, grad):
        return zeros_like_grad(grad), grad.sum()


class Zero(Fill):
    """``x.zero_()``."""

    node_name = "ZeroBackward0"

    @staticmethod
    def forward(ctx, x, value):
        return zeros(x._data.shape, x._dtype)  # (np.zeros: np.full is Python code around it)


class CopyFrom(Function):
    """``x.copy_(src)``: x's values replaced by src's (broadcast).   The gradient goes to src."""

    node_name = "CopyBackwards"
    qualified_node_name = "minigrad::autograd::CopyBackwards"

    @staticmethod
    def forward(ctx, x, src):
        ctx.src_shape = src.shape
        return out(np.broadcast_to(src._data, x.shape).astype(x.dtype.numpy), x.dtype)

    @staticmethod
    def backward(ctx, grad):
        return zeros_like_grad(grad), sum_to_shape(grad, ctx.src_shape)
