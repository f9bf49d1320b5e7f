"""Loss functions as single nodes, as PyTorch records them."""

import numpy as np

from .. import _dtypes
from .._factories import ones_like
from ..autograd.function import Function
from ._util import numbers, out, promoted, sum_to_shape
from .selection import where


class MseLoss(Function):
    """L = mean((input − target)²) (or the sum, or elementwise).
    ∂L/∂input = 2·(input − target)/n,  ∂L/∂target = −∂L/∂input."""

    node_name = "MseLossBackward0"
    saved_names = ("self", "target")

    @staticmethod
    def forward(ctx, input, target, reduction):
        ctx.save_for_backward(input, target)
        ctx.reduction = reduction
        ctx.shapes = (input._data.shape, target._data.shape)
        dtype, (a, b) = promoted(input, target)
        if not dtype.is_floating_point:
            raise NotImplementedError(f"\"mse_cpu\" not implemented for '{dtype.scalar_name}'")
        squares = (a - b) ** 2
        if reduction == "mean":  # (np.mean's own arithmetic, without its Python layers: sum, then divide)
            return out(np.add.reduce(squares, axis=None) / squares.size, dtype)
        if reduction == "sum":
            return out(np.sum(squares), dtype)
        return out(squares, dtype)

    @staticmethod
    def backward(ctx, grad):
        input, target = ctx.saved_tensors
        input_shape, target_shape = ctx.shapes
        grad_input = grad_target = None
        if ctx.needs_input_grad[0]:
            grad_input = sum_to_shape(MseLossBackward.apply(grad, input, target, ctx.reduction), input_shape)
        if ctx.needs_input_grad[1]:
            grad_target = sum_to_shape(
                MseLossBackward.apply(grad, target, input, ctx.reduction), target_shape
            )
        return grad_input, grad_target, None


class MseLossBackward(Function):
    """MSE's backward as one operation, as PyTorch has it (``mse_loss_backward``):
    ∂L/∂input = norm · (input − target) · grad, with norm = 2/n for the mean of n elements and 2
    otherwise, multiplied in that order (so the numbers are PyTorch's to the last bit). The target's
    gradient is the same op with input and target swapped.
    Differentiated again (``create_graph=True``), as PyTorch's formulas: the gradient gets
    norm · (input − target) times the incoming gradient (summed when the loss was reduced), input
    gets norm · grad times it, and target minus that."""

    node_name = "MseLossBackwardBackward0"
    saved_names = ("grad_output", "self", "target")

    @staticmethod
    def forward(ctx, grad, input, target, reduction):
        ctx.save_for_backward(grad, input, target)
        ctx.reduction = reduction
        dtype, (a, b) = promoted(input, target)
        diff = a - b
        norm = dtype.numpy.type(2.0 / np.size(diff) if reduction == "mean" else 2.0)
        return out(norm * diff * numbers(grad._data), dtype)

    @staticmethod
    def backward(ctx, grad_grad):
        grad, input, target = ctx.saved_tensors
        reduction = ctx.reduction
        needs = ctx.needs_input_grad
        grad_grad_out = grad_input = grad_target = None
        if needs[0]:
            if reduction == "none":
                grad_grad_out = MseLossBackward.apply(grad_grad, input, target, reduction)
            else:
                per_element = MseLossBackward.apply(ones_like(grad), input, target, reduction)
                grad_grad_out = (per_element * grad_grad).sum()
        if needs[1] or needs[2]:
            scaled = 2 * (grad_grad * grad)
            if reduction == "mean":
                scaled = scaled / grad_grad.numel()
            grad_input = sum_to_shape(scaled, input.shape) if needs[1] else None
            grad_target = sum_to_shape(-scaled, target.shape) if needs[2] else None
        return grad_grad_out, grad_input, grad_target, None


class NllLoss(Function):
    """Negative log-likelihood of class indices: L = −Σᵢ wᵢ·log_probs[i, targetᵢ] / Σᵢ wᵢ for the mean
    (or the sum, or one value per sample), wᵢ the weight of sample i's class (1 without ``weight``)
    and 0 where the target is ``ignore_index``. ``cross_entropy`` is this after ``log_softmax``, as
    in PyTorch. The classes run along dimension 1 (dimension 0 for a single sample of shape (C,)).
    ∂L/∂log_probs is −wᵢ/Σw (−wᵢ for the sum) at each sample's target class and exactly 0 elsewhere.
    (``classes`` and ``weight`` come as numpy arrays: they are not differentiable, and the node has
    no edges for them, as in PyTorch.)"""

    node_name = "NllLossBackward0"

    @staticmethod
    def forward(ctx, log_probs, classes, weight, reduction, ignore_index):
        lp = log_probs._data
        class_dim = 0 if lp.ndim == 1 else 1
        valid = classes != ignore_index
        safe = np.where(valid, classes, 0)  # (ignored samples look at class 0, then count for nothing)
        target = np.expand_dims(safe, class_dim)  # (the class dimension back, of size 1)
        picked = -np.take_along_axis(lp, target, axis=class_dim).squeeze(class_dim)
        # True at each sample's target class (not for ignored samples): where the gradient goes
        ctx.chosen = np.zeros(lp.shape, dtype=bool)
        np.put_along_axis(ctx.chosen, target, np.expand_dims(valid, class_dim), axis=class_dim)
        ctx.class_dim, ctx.reduction = class_dim, reduction
        if weight is None:
            w = valid.astype(lp.dtype)
            losses = np.where(valid, picked, lp.dtype.type(0))
            ctx.weights = None
        else:
            w = np.where(valid, weight[safe], lp.dtype.type(0)).astype(lp.dtype)
            losses = np.where(valid, picked * w, lp.dtype.type(0))
            ctx.weights = np.expand_dims(w, class_dim)
        ctx.total_weight = np.add.reduce(w, axis=None)
        if reduction == "mean":
            return out(np.add.reduce(losses, axis=None) / ctx.total_weight, log_probs.dtype)
        if reduction == "sum":
            return out(np.add.reduce(losses, axis=None), log_probs.dtype)
        return out(losses, log_probs.dtype)

    @staticmethod
    def backward(ctx, grad):

        chosen = out(ctx.chosen, _dtypes.bool)
        per_sample = grad if grad.ndim == 0 else grad.unsqueeze(ctx.class_dim)  # (reduction="none")
        scale = -per_sample / ctx.total_weight.item() if ctx.reduction == "mean" else -per_sample
        if ctx.weights is not None:
            scale = scale * out(ctx.weights, grad.dtype)
        return where(chosen, scale, 0), None, None, None, None


class NllLoss2d(NllLoss):
    """``NllLoss`` for images: log_probs (N, C, H, W), targets (N, H, W); PyTorch's other node.
    (Inputs with 3 or more than 4 dimensions are viewed as (N, C, 1, -1) to get here, as in PyTorch.)"""

    node_name = "NllLoss2DBackward0"
