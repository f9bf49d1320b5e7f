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
    saved_names = ("result",)
    saved_values = {"dim": "dim"}

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
        return SoftmaxBackwardData.apply(grad, y, ctx.dim), None


class SoftmaxBackwardData(Function):
    """Softmax's backward as one operation, as PyTorch has it (``_softmax_backward_data``):
    y · (g − Σ g·y) along ``dim``. Differentiated again (``create_graph=True``): the gradient
    gets this same op; y gets gg·g − gg·Σ g·y − g·Σ gg·y (gg: the incoming gradient)."""

    node_name = "SoftmaxBackwardDataBackward0"
    saved_names = ("grad_output", "output")

    @staticmethod
    def forward(ctx, grad, y, dim):
        ctx.dim = dim
        ctx.save_for_backward(grad, y)
        g, v = grad._data, y._data
        return out(v * (g - np.add.reduce(g * v, axis=dim, keepdims=True)), y.dtype)

    @staticmethod
    def backward(ctx, grad_grad):
        grad, y = ctx.saved_tensors
        dim = ctx.dim
        grad_grad_out = SoftmaxBackwardData.apply(grad_grad, y, dim) if ctx.needs_input_grad[0] else None
        grad_y = None
        if ctx.needs_input_grad[1]:
            grad_y = (
                grad_grad * grad
                - grad_grad * (grad * y).sum(dim=dim, keepdim=True)
                - grad * (grad_grad * y).sum(dim=dim, keepdim=True)
            )
        return grad_grad_out, grad_y, None


class LogSoftmax(Function):
    """yᵢ = xᵢ − log Σⱼ e^xⱼ.   Backward: ∂L/∂xᵢ = gᵢ − softmax(x)ᵢ · Σⱼ gⱼ."""

    node_name = "LogSoftmaxBackward0"
    saved_names = ("result",)
    saved_values = {"dim": "dim"}

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
        return LogSoftmaxBackwardData.apply(grad, y, ctx.dim), None


class LogSoftmaxBackwardData(Function):
    """log_softmax's backward as one operation, as PyTorch has it (``_log_softmax_backward_data``):
    g − e^y · Σ g along ``dim``. Differentiated again: the gradient gets gg − Σ gg·e^y (gg: the
    incoming gradient), y gets −Σ g · e^y · gg."""

    node_name = "LogSoftmaxBackwardDataBackward0"
    saved_names = ("grad_output", "output")

    @staticmethod
    def forward(ctx, grad, y, dim):
        ctx.dim = dim
        ctx.save_for_backward(grad, y)
        g, v = grad._data, y._data
        return out(g - np.exp(v) * np.add.reduce(g, axis=dim, keepdims=True), y.dtype)

    @staticmethod
    def backward(ctx, grad_grad):
        grad, y = ctx.saved_tensors
        dim = ctx.dim
        # (the transpose of the op: gg − Σ gg·e^y, PyTorch's formula)
        grad_grad_out = None
        if ctx.needs_input_grad[0]:
            grad_grad_out = grad_grad - (grad_grad * y.exp()).sum(dim=dim, keepdim=True)
        grad_y = -grad.sum(dim=dim, keepdim=True) * y.exp() * grad_grad if ctx.needs_input_grad[1] else None
        return grad_grad_out, grad_y, None
