"""Gradient clipping, as ``torch.nn.utils``."""

import math

from .._factories import tensor
from ..autograd.grad_mode import no_grad
from ..tensor import Tensor


def _grads(parameters):
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    return [p.grad for p in parameters if p.grad is not None]


def clip_grad_norm_(parameters, max_norm, norm_type=2.0):
    """Scale all gradients together so that their combined norm is at most ``max_norm``; returns the
    norm they had before (a tensor). ``[3, 4]`` clipped to norm 1 becomes ``[0.6, 0.8]``, returns 5."""
    grads = _grads(parameters)
    if not grads:
        return tensor(0.0)
    with no_grad():
        if norm_type == math.inf:
            total = max(g.abs().max() for g in grads)
        else:
            total = sum((g.abs() ** norm_type).sum() for g in grads) ** (1.0 / norm_type)
        coef = max_norm / (total.item() + 1e-6)
        if coef < 1:
            for g in grads:
                g.mul_(coef)
    return total


def clip_grad_value_(parameters, clip_value):
    """Clamp every gradient element into [−clip_value, clip_value], in place."""
    with no_grad():
        for g in _grads(parameters):
            g.clamp_(-clip_value, clip_value)
