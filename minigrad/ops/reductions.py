"""Reductions: sum, mean, max. Their backward *expands* the gradient back to the input's shape:
every input element that went into a sum receives the sum's gradient."""

import math

import numpy as np

from .. import _dtypes, _warnings
from .._arguments import _normalize_dim
from ..autograd.function import Function
from ._util import out, wide, zeros
from .arithmetic import DivScalar, MulScalar
from .elementwise import MaskedFillTensor, where
from .shape import Scatter


def _dims(dim, ndim):
    """The dimensions a reduction runs over, normalised and sorted. None, and (as in PyTorch) an
    empty list, mean all of them; a dimension may not be named twice. A 0-dim tensor accepts
    dimension 0 (or -1), as in PyTorch, and has nothing to reduce: no dimensions."""
    if dim is None:
        return tuple(range(ndim))
    if isinstance(dim, int):
        d = _normalize_dim(dim, ndim)
        return (d,) if ndim else ()
    dims = [_normalize_dim(d, ndim) for d in dim]
    if not dims:
        return tuple(range(ndim))
    for d in dims:
        if dims.count(d) > 1:
            raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
    return tuple(sorted(dims)) if ndim else ()


def _expand_back(grad, shape, dims):
    """A sum's gradient (over ``dims``) back in the input's ``shape``, as PyTorch's ``sum_backward``
    builds it: the summed dimensions put back with ``unsqueeze`` (unless keepdim kept them, or the
    gradient is a single number), then every element gets its copy with ``expand``."""
    if grad._data.ndim and grad._data.ndim != len(shape):
        for d in sorted(dims):
            grad = grad.unsqueeze(d)
    return grad.expand(shape)


def _keepdim_shape(shape, dims):
    return tuple(1 if i in dims else s for i, s in enumerate(shape))


class Sum(Function):
    """s = Σ xᵢ.   ∂s/∂xᵢ = 1: the gradient is copied to every element that was summed."""

    node_name = "SumBackward0"
    known_zeros_pass = True

    @staticmethod
    def forward(ctx, x, dim=None, keepdim=False, dtype=None):
        dims = _dims(dim, x._data.ndim)
        ctx.input_shape, ctx.dims = x._data.shape, dims
        data = x._data
        if dtype is None:  # integers and bools add up as int64
            dtype = x._dtype if x._dtype.is_floating_point else _dtypes.int64
        else:  # converted first, then added in that dtype (the gradient comes back in x's dtype)
            _check_differentiable_dtype(x, dtype)
            data = data.astype(dtype.numpy)
        return out(np.add.reduce(data, axis=dims, keepdims=keepdim), dtype)

    @staticmethod
    def backward(ctx, grad):
        return _expand_back(grad, ctx.input_shape, ctx.dims), None, None, None


def _check_differentiable_dtype(x, dtype):
    """A result that would need a gradient cannot be an integer (``sum(dtype=int64)`` of x that
    requires grad)."""
    if x._requires_grad and not dtype.is_floating_point:
        raise RuntimeError(f"Autograd not support dtype: {dtype.scalar_name}")


class SumDim(Sum):
    """``x.sum(dim)``: the same rule, PyTorch's other node name."""

    node_name = "SumBackward1"


class Mean(Function):
    """m = (1/n) Σ xᵢ.   ∂m/∂xᵢ = 1/n."""

    node_name = "MeanBackward0"

    @staticmethod
    def forward(ctx, x, dim=None, keepdim=False, dtype=None):
        if dtype is not None:  # converted first (an integer tensor may have a floating mean)
            if not dtype.is_floating_point:
                raise RuntimeError(
                    "mean(): could not infer output dtype. Optional dtype must be either a "
                    f"floating point or complex dtype. Got: {dtype.legacy_name[:-6]}"
                )
            x = out(x._data.astype(dtype.numpy), dtype)
        if not x.dtype.is_floating_point:
            raise RuntimeError(
                "mean(): could not infer output dtype. Input dtype must be either a "
                f"floating point or complex dtype. Got: {x.dtype.legacy_name[:-6]}"
            )
        dims = _dims(dim, x.ndim)
        ctx.input_shape, ctx.dims = x.shape, dims
        ctx.count = int(np.prod([x.shape[d] for d in dims])) if dims else 1
        if x.numel() == 0:  # the mean of nothing is nan, quietly (numpy would warn)
            shape = np.sum(x._data, axis=dims, keepdims=keepdim).shape
            return out(np.full(shape, np.nan), x.dtype)
        return out(np.mean(x._data, axis=dims, keepdims=keepdim), x.dtype)

    @staticmethod
    def backward(ctx, grad):
        # (PyTorch's formula: the sum's gradient divided by the count, a number: DivBackward1)
        return DivScalar.apply(_expand_back(grad, ctx.input_shape, ctx.dims), ctx.count), None, None, None


class MeanDim(Mean):
    node_name = "MeanBackward1"


class Max(Function):
    """m = max over all elements.   The gradient goes to the maximum; if several elements tie, it is
    split evenly among them (PyTorch's rule for the whole-tensor max)."""

    node_name = "MaxBackward1"
    saved_names = ("self", "result")

    @staticmethod
    def forward(ctx, x):
        if x.numel() == 0:
            raise RuntimeError(
                "max(): Expected reduction dim to be specified for input.numel() == 0. "
                "Specify the reduction dim with the 'dim' argument."
            )
        result = out(np.max(x._data), x.dtype)
        ctx.save_for_backward(x, result)
        return result

    @staticmethod
    def backward(ctx, grad):
        x, result = ctx.saved_tensors
        # the elements equal to the result (all the nan ones if it is nan, as in PyTorch) share
        # the gradient; the others get exactly 0, even for an inf or nan gradient
        winners = x.isnan() if result.isnan().item() else x == result
        # (PyTorch's formula: zeros, with the shared gradient filled in where the winners are)
        return MaskedFillTensor.apply(zeros(x.shape, x.dtype), winners._data, grad / winners.sum())


class Min(Max):
    """m = min over all elements; ties split the gradient evenly."""

    node_name = "MinBackward1"
    saved_names = ("self", "result")

    @staticmethod
    def forward(ctx, x):
        result = out(np.min(x._data), x.dtype)
        ctx.save_for_backward(x, result)
        return result


class MaxDim(Function):
    """``values, indices = x.max(dim)``.   The gradient goes only to the element each index names
    (the first one, if several tie)."""

    node_name = "MaxBackward0"
    saved_names = ("indices",)

    @staticmethod
    def forward(ctx, x, dim, keepdim=False):
        return MaxDim.select(ctx, x, dim, keepdim, np.argmax)

    @staticmethod
    def select(ctx, x, dim, keepdim, pick):
        """The values ``pick`` (np.argmax or np.argmin) chooses along ``dim``, and their indices."""
        d = _normalize_dim(dim, x.ndim)
        if x.ndim == 0:
            indices = np.zeros((), dtype=np.int64)
            values = x._data.copy()
        else:
            idx = pick(x._data, axis=d)
            values = np.take_along_axis(x._data, np.expand_dims(idx, d), axis=d)
            indices = np.expand_dims(idx, d) if keepdim else idx
            values = values if keepdim else np.squeeze(values, axis=d)
        ctx.dim, ctx.keepdim, ctx.input_shape = d, keepdim, x.shape
        values_t = out(values, x.dtype)
        indices_t = out(indices.astype(np.int64), _dtypes.int64)
        ctx.mark_non_differentiable(indices_t)
        ctx.save_for_backward(indices_t)
        return values_t, indices_t

    @staticmethod
    def backward(ctx, grad, _grad_indices):
        (indices,) = ctx.saved_tensors
        if len(ctx.input_shape) == 0:
            return grad, None, None
        d = ctx.dim
        if not ctx.keepdim:
            grad, indices = grad.unsqueeze(d), indices.unsqueeze(d)
        # (PyTorch's formula: zeros with the gradient scattered to the chosen places)

        return Scatter.apply(zeros(ctx.input_shape, grad.dtype), d, indices._data, grad), None, None


class MinDim(MaxDim):
    node_name = "MinBackward0"

    @staticmethod
    def forward(ctx, x, dim, keepdim=False):
        return MaxDim.select(ctx, x, dim, keepdim, np.argmin)


class VectorNorm(Function):
    """‖x‖ₚ = (Σ |xᵢ|ᵖ)^(1/p) over ``dims`` (p = inf: the largest |xᵢ|; p = 0: how many are not 0).
    ∂‖x‖ₚ/∂xᵢ = xᵢ·|xᵢ|ᵖ⁻² / ‖x‖ₚᵖ⁻¹ — for p = 2 that is xᵢ/‖x‖, for p = 1 sign(xᵢ) — and 0 where the
    norm is 0 (PyTorch's choice there, where the formula would divide by zero)."""

    node_name = "LinalgVectorNormBackward0"
    known_zeros_pass = True
    saved_names = ("self", "result")

    @staticmethod
    def forward(ctx, x, p, dims, keepdim):
        if not x._dtype.is_floating_point:
            raise RuntimeError(
                "linalg.vector_norm: Expected a floating point or complex tensor as input. "
                f"Got {x._dtype.scalar_name}"
            )
        a = np.abs(x._data)
        if p == math.inf:
            result = np.max(a, axis=dims, keepdims=keepdim)
        elif p == 2:
            result = np.sqrt(np.add.reduce(a * a, axis=dims, keepdims=keepdim))
        elif p == 1:
            result = np.add.reduce(a, axis=dims, keepdims=keepdim)
        elif p == 0:  # (the count of nonzero elements)
            result = np.add.reduce((a != 0).astype(a.dtype), axis=dims, keepdims=keepdim)
        else:
            result = np.add.reduce(a**p, axis=dims, keepdims=keepdim) ** (1.0 / p)
        norm = out(result, x.dtype)
        ctx.p, ctx.dims, ctx.keepdim = p, dims, keepdim
        ctx.save_for_backward(x, norm)
        return norm

    @staticmethod
    def backward(ctx, grad):
        x, norm = ctx.saved_tensors
        p = ctx.p
        if not ctx.keepdim and x._data.ndim:  # the reduced dimensions back: grad and norm broadcast
            for d in ctx.dims:
                grad, norm = grad.unsqueeze(d), norm.unsqueeze(d)
        # (PyTorch's norm_backward, in its order of operations: the same bits, and the same graph
        # for create_graph, down to its nan for the second derivative of a norm that is 0)
        if p == 0:  # a count of nonzero elements: no gradient (PyTorch's: none, not zeros)
            return None, None, None, None
        if p == 1:
            return x.sgn() * grad, None, None, None
        if p == math.inf:  # shared by the largest |xᵢ| (and the nan ones)
            x_abs = x.abs()
            at_max = (x_abs == norm).logical_or(x_abs.isnan())
            return x.sgn() * ((grad / at_max.sum(dim=ctx.dims, keepdim=True)) * at_max), None, None, None
        if p == 2:  # x / ‖x‖, and 0 where the norm is 0
            return grad * (x / norm).masked_fill(norm == 0, 0), None, None, None
        if p < 1:
            scaled = x.sgn() * x.abs().pow(p - 1).masked_fill(x == 0, 0)
            return scaled * grad * norm.pow(1 - p), None, None, None
        scaled = x.sgn() * x.abs().pow(p - 1) if p < 2 else x * x.abs().pow(p - 2)
        return scaled * (grad / norm.pow(p - 1)).masked_fill(norm == 0, 0), None, None, None


def _count(x, dims):
    """How many elements each result of a reduction over ``dims`` takes in (N)."""
    return math.prod(x._data.shape[d] for d in dims) if x._data.ndim else 1


def _degrees_of_freedom(x, dims, correction, name):
    """N − correction for the N elements each variance averages (0 at the least, with PyTorch's
    warning: then the variance is inf, or nan where all elements are equal)."""
    n = _count(x, dims)
    if n - correction <= 0:
        _warnings.warn(
            f"{name}(): degrees of freedom is <= 0. Correction should be strictly less than the "
            "reduction factor (input numel divided by output numel)."
        )
    return max(0, n - correction)


def _variance(x, dims, correction, keepdim, name):
    """The numbers of ``x.var(...)``: the mean squared deviation from the mean over ``dims``, the sum
    divided by N − correction.

    The deviations d from the computed mean are corrected for its rounding error (the "corrected
    two-pass" sum Σd² − (Σd)²/N): the mean of N equal numbers can be off by a unit in the last
    place, and then their variance would be a tiny positive number instead of 0, and std's
    gradient, which is 0 where std is 0 (PyTorch's choice), a large one. (PyTorch's own variance
    of equal numbers is sometimes such a tiny number: README.md lists the difference.)"""
    if not x._dtype.is_floating_point:
        raise RuntimeError("std and var only support floating point and complex dtypes")
    a = x._data
    axes = dims if a.ndim else None
    deviations = a - np.mean(a, axis=axes, keepdims=True)
    kept = keepdim and a.ndim > 0
    squares = np.add.reduce(deviations * deviations, axis=axes, keepdims=kept)
    total = np.add.reduce(deviations, axis=axes, keepdims=kept)
    squares = np.maximum(squares - total * total / a.dtype.type(_count(x, dims)), 0)
    return squares / a.dtype.type(_degrees_of_freedom(x, dims, correction, name))


def var_backward(grad, x, dims, correction, keepdim, whole):
    """PyTorch's ``var_backward``: 2·(x − mean)/(N − correction) times the gradient (spread back over
    the reduced dimensions)."""
    if x.ndim == 0 or whole:
        dof = x.numel() - correction
        if dof <= 0:  # (PyTorch: ±inf with the gradient's sign, nan at the mean; x not in the graph)
            return grad * where(x == x.mean(), math.nan, math.inf)
        return MulScalar.apply(grad, 2.0 / dof) * (x - x.mean())
    if not keepdim and x.ndim > 1:
        for d in dims:
            grad = grad.unsqueeze(d)
    n = math.prod(x.shape[d] for d in dims)
    scale = 2.0 / (n - correction) if n != correction else math.inf
    return MulScalar.apply(grad, scale) * (x - x.mean(dims, keepdim=True))


class Var(Function):
    """The variance: the mean squared deviation from the mean, dividing the sum of squares by
    N − correction (correction=1, the default, is Bessel's: the unbiased estimate from a sample).
    ∂var/∂xᵢ = 2·(xᵢ − mean)/(N − correction)."""

    node_name = "VarBackward0"
    known_zeros_pass = True
    saved_names = ("self",)

    @staticmethod
    def forward(ctx, x, dims, correction, keepdim, whole):
        ctx.save_for_backward(x)
        ctx.args = (dims, correction, keepdim, whole)
        return out(_variance(x, dims, correction, keepdim, "var"), x._dtype)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return var_backward(grad, x, *ctx.args), None, None, None, None


class Std(Function):
    """The standard deviation, √var.   ∂std/∂x = ∂var/∂x / (2·std) (0 where std is 0)."""

    node_name = "StdBackward0"
    saved_names = ("self", "result")

    @staticmethod
    def forward(ctx, x, dims, correction, keepdim, whole):
        ctx.args = (dims, correction, keepdim, whole)
        y = out(np.sqrt(_variance(x, dims, correction, keepdim, "std")), x._dtype)
        ctx.save_for_backward(x, y)
        return y

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        # (PyTorch's std_backward: the gradient divided by 2·std, zero where std is zero)
        scaled = (grad / MulScalar.apply(y, 2)).masked_fill(y == 0, 0)
        return var_backward(scaled, x, *ctx.args), None, None, None, None


def _restore_reduced_dims(t, dims, keepdim):
    """A reduction's result (or its gradient) with the reduced dimensions back, of size 1."""
    if keepdim:
        return t
    shape = list(t.shape)
    for d in dims:
        shape.insert(d, 1)
    return t.reshape(shape)


def _extreme_forward(ctx, x, dims, keepdim, kind, reduce):
    if x._data.size == 0:
        raise RuntimeError(
            f"{kind}(): Expected reduction dim to be specified for input.numel() == 0. "
            "Specify the reduction dim with the 'dim' argument."
        )
    ctx.dims, ctx.keepdim = dims, keepdim
    result = out(reduce(x._data, axis=dims, keepdims=keepdim), x._dtype)
    ctx.save_for_backward(x, result)
    return result


def _extreme_backward(ctx, grad):
    """PyTorch's ``scale_grad_by_count``: the gradient shared evenly by the elements equal to the
    result, 0 for the others."""
    x, result = ctx.saved_tensors
    grad = _restore_reduced_dims(grad, ctx.dims, ctx.keepdim)
    winners = _restore_reduced_dims(result, ctx.dims, ctx.keepdim) == x
    return (grad / winners.sum(ctx.dims, keepdim=True)) * winners, None, None


class Logsumexp(Function):
    """log Σ exp(xᵢ) over ``dims``, computed as m + log Σ exp(xᵢ − m) with m the largest xᵢ, so that
    no exp overflows (the softmax trick).   ∂/∂xᵢ = exp(xᵢ − result): the softmax of x."""

    node_name = "LogsumexpBackward0"
    known_zeros_pass = True
    saved_names = ("self", "result")

    @staticmethod
    def forward(ctx, x, dims, keepdim):
        a = x._data
        dtype = x._dtype if x._dtype.is_floating_point else _dtypes.float32  # (integers: as floats)
        a = a.astype(dtype.numpy, copy=False)
        kind = dtype.numpy  # (exp and log in double precision, rounded once to it, as elementwise ops do)
        largest = np.max(a, axis=dims, keepdims=True) if a.size else np.zeros((1,) * a.ndim, kind)
        largest = np.where(np.isinf(largest), 0, largest).astype(kind)  # (±inf: the sum gives them)
        terms = np.exp(wide(a - largest)).astype(kind)
        result = np.log(wide(np.add.reduce(terms, axis=dims, keepdims=True))).astype(kind) + largest
        if not keepdim and dims:
            result = np.squeeze(result, axis=dims)
        result = out(result, dtype)
        ctx.dims, ctx.keepdim = dims, keepdim
        ctx.save_for_backward(x, result)
        return result

    @staticmethod
    def backward(ctx, grad):
        x, result = ctx.saved_tensors
        if not ctx.keepdim and x._data.ndim:  # (PyTorch's formula, with the reduced dims put back)
            for d in ctx.dims:
                grad, result = grad.unsqueeze(d), result.unsqueeze(d)
        return grad * (x - result).exp(), None, None


class Amax(Function):
    """The largest element along ``dims``, as a value (no indices). Ties share the gradient evenly
    (``max(dim)`` gives all of it to one of them): grad / (number of maxima) at each maximum."""

    node_name = "AmaxBackward0"
    known_zeros_pass = True
    saved_names = ("self", "result")

    @staticmethod
    def forward(ctx, x, dims, keepdim):
        return _extreme_forward(ctx, x, dims, keepdim, "amax", np.max)

    @staticmethod
    def backward(ctx, grad):
        return _extreme_backward(ctx, grad)


class Amin(Function):
    """The smallest element along ``dims`` (see ``Amax``)."""

    node_name = "AminBackward0"
    known_zeros_pass = True
    saved_names = ("self", "result")

    @staticmethod
    def forward(ctx, x, dims, keepdim):
        return _extreme_forward(ctx, x, dims, keepdim, "amin", np.min)

    @staticmethod
    def backward(ctx, grad):
        return _extreme_backward(ctx, grad)


class Cumsum(Function):
    """Running sums along ``dim``: yᵢ = x₀ + … + xᵢ.   Each xⱼ is in every yᵢ with i ≥ j, so its
    gradient is the sum of the gradients from j to the end: the running sum taken backwards."""

    node_name = "CumsumBackward0"

    @staticmethod
    def forward(ctx, x, dim, dtype):
        ctx.dim = dim
        if dtype is None:
            dtype = x._dtype if x._dtype.is_floating_point else _dtypes.int64
        data = x._data.astype(dtype.numpy, copy=False)
        if not data.ndim:  # a single number is its own running sum (numpy would make it 1-dim)
            return out(data.copy(), dtype)
        sums = np.cumsum(data, axis=dim)
        if dtype.is_floating_point:  # PyTorch's sums start from 0: 0 + (-0.0) is 0.0 (numpy keeps -0.0)
            sums += 0.0
        return out(sums, dtype)

    @staticmethod
    def backward(ctx, grad):
        if grad.numel() <= 1 or grad.shape[ctx.dim] == 1:
            return grad, None, None
        dim = ctx.dim  # (PyTorch's cumsum_backward: the running sum from the end)
        return grad.flip(dim).cumsum(dim).flip(dim), None, None
