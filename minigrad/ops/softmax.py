"""softmax and log_softmax along a dimension, computed stably (subtracting the maximum first)."""

import numpy as np

from ..autograd.function import Function
from ._util import float_result, out


def _check_floating(x, dim, kernel):
    """PyTorch computes softmax only for floating-point tensors; its error names the kernel."""
    if not x._dtype.is_floating_point:
        name = f"{kernel}_lastdim_kernel_impl" if dim == max(x._data.ndim - 1, 0) else f"{kernel}_kernel_impl"
        raise NotImplementedError(f"\"{name}\" not implemented for '{x._dtype.scalar_name}'")


class Softmax(Function):
    """yᵢ = e^xᵢ / Σⱼ e^xⱼ.   Backward: ∂L/∂xᵢ = yᵢ·(gᵢ − Σⱼ gⱼ yⱼ)  (the Jacobian diag(y) − y yᵀ
    applied to the gradient g, without ever building it)."""

    node_name = "SoftmaxBackward0"

    @staticmethod
    def forward(ctx, x, dim):
        _check_floating(x, dim, "softmax")
        dtype, (a,) = float_result(x)
        shifted = np.exp(a - np.max(a, axis=dim, keepdims=True))
        y = out(shifted / np.sum(shifted, axis=dim, keepdims=True), dtype)
        ctx.dim = dim
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return y * (grad - (grad * y).sum(dim=ctx.dim, keepdim=True)), None


class LogSoftmax(Function):
    """yᵢ = xᵢ − log Σⱼ e^xⱼ.   Backward: ∂L/∂xᵢ = gᵢ − softmax(x)ᵢ · Σⱼ gⱼ."""

    node_name = "LogSoftmaxBackward0"

    @staticmethod
    def forward(ctx, x, dim):
        _check_floating(x, dim, "log_softmax")
        dtype, (a,) = float_result(x)
        m = np.max(a, axis=dim, keepdims=True)
        y = out(a - m - np.log(np.sum(np.exp(a - m), axis=dim, keepdims=True)), dtype)
        ctx.dim = dim
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return grad - y.exp() * grad.sum(dim=ctx.dim, keepdim=True), None
