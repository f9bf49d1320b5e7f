"""Loss functions as single nodes, as PyTorch records them."""

import numpy as np

from ..autograd.function import Function
from ._util import out, promoted, sum_to_shape


class MseLoss(Function):
    """L = mean((input − target)²) (or the sum, or elementwise).
    ∂L/∂input = 2·(input − target)/n,  ∂L/∂target = −∂L/∂input."""

    node_name = "MseLossBackward0"

    @staticmethod
    def forward(ctx, input, target, reduction):
        ctx.save_for_backward(input, target)
        ctx.reduction = reduction
        ctx.shapes = (input._data.shape, target._data.shape)
        dtype, (a, b) = promoted(input, target)
        squares = (a - b) ** 2
        if reduction == "mean":
            return out(np.mean(squares), dtype)
        if reduction == "sum":
            return out(np.sum(squares), dtype)
        return out(squares, dtype)

    @staticmethod
    def backward(ctx, grad):
        input, target = ctx.saved_tensors
        diff = input - target
        scale = 2.0 / diff.numel() if ctx.reduction == "mean" else 2.0
        grad_diff = grad * diff * scale
        input_shape, target_shape = ctx.shapes
        grad_input = sum_to_shape(grad_diff, input_shape) if ctx.needs_input_grad[0] else None
        grad_target = sum_to_shape(-grad_diff, target_shape) if ctx.needs_input_grad[1] else None
        return grad_input, grad_target, None
