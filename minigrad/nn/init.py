"""Initialisers that fill a tensor in place (without recording a graph)."""

from .. import _factories
from ..autograd.grad_mode import no_grad


def uniform_(tensor, a=0.0, b=1.0):
    with no_grad():
        return tensor.copy_(_factories.rand(*tensor.shape, dtype=tensor.dtype) * (b - a) + a)


def normal_(tensor, mean=0.0, std=1.0):
    with no_grad():
        return tensor.copy_(_factories.randn(*tensor.shape, dtype=tensor.dtype) * std + mean)


def zeros_(tensor):
    with no_grad():
        return tensor.zero_()


def constant_(tensor, value):
    with no_grad():
        return tensor.fill_(value)
