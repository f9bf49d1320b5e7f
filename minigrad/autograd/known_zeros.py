"""Known zeros: PyTorch's "ZeroTensor", the gradient that is known to be all zeros.

Some backward formulas know that their gradient is zero everywhere — ``sgn``'s is, for any input —
and PyTorch returns it as a *ZeroTensor* (``_efficientzerotensor``): a tensor that records that it
is zeros instead of storing them. The engine then passes such zeros on through the ops whose
backward would only turn zeros into zeros, without running their formulas. That is not only
faster: a formula such as ``grad / x`` would turn a zero gradient into nan at ``x = 0``
(``0 / 0``); passing zeros on keeps the gradient 0, as PyTorch's is.

minigrad marks such a tensor with ``_known_zero`` (see :func:`known_zeros`). A ``Function`` says
whether its backward lets known zeros through with ``known_zeros_pass`` (True, or one bool per
argument); ops that compute with the zeros (ReLU, indexing, your own Functions) leave it False.

The engine asks this module two things, each behind one cheap test of ``_known_zero`` on the first
incoming gradient: are all of a node's incoming gradients known zeros
(:func:`only_known_zeros`), and what zeros does it then send to its inputs (:func:`zeros_for_inputs`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..tensor import Tensor, _new_tensor

if TYPE_CHECKING:
    from .function import BackwardNode


def zeros(shape: tuple[int, ...], dtype) -> Tensor:
    """Ordinary zeros that need no gradient."""
    return _new_tensor(np.zeros(shape, dtype=dtype.numpy), dtype)


def known_zeros(shape: tuple[int, ...], dtype) -> Tensor:
    """Zeros marked as *known* zeros (PyTorch's ZeroTensor): the engine passes them on through the
    ops whose backward keeps them zeros, and they refuse in-place changes, as PyTorch's do."""
    zero = zeros(shape, dtype)
    zero._known_zero = True
    return zero


def is_known_zero(grad: Tensor) -> bool:
    """``grad`` is marked as known zeros and still is all zeros (a hook of yours may have changed
    it in place)."""
    return grad._known_zero and not grad._data.any()


def only_known_zeros(node: BackwardNode, grads) -> bool:
    """True when all of a node's incoming gradients are known zeros (or missing) and its op is one
    of those whose backward passes them on (``known_zeros_pass``: multiplications, divisions, sums,
    views, ...). Other ops (ReLU, indexing, cumsum, your own Functions, even one built on a built-in
    op) compute with the zeros, as PyTorch's do."""
    if node._forward_cls.known_zeros_pass is False or node._python_function:
        return False
    for g in grads:
        if g is not None and not is_known_zero(g):
            return False
    return True


def zeros_for_inputs(node: BackwardNode) -> tuple:
    """Zeros for each input of ``node`` that needs a gradient, one per forward argument: known zeros
    where PyTorch's ZeroTensor goes on (``known_zeros_pass`` True, or True at that argument), ordinary
    zeros where it does not: at the arguments marked False, and where a broadcast input's gradient
    is summed back to its shape (PyTorch's sum makes real zeros)."""
    passes, sums_to_shape = node._forward_cls.known_zeros_pass, node._forward_cls.sums_to_shape
    out_size = np.prod(node._output_meta[0][0])
    results = [None] * len(node.needs_input_grad)
    for child, _, arg_index, shape, dtype in node._edges:
        if child is not None:
            summed_back = sums_to_shape and np.prod(shape) < out_size
            known = (passes is True or passes[arg_index]) and not summed_back
            results[arg_index] = (known_zeros if known else zeros)(shape, dtype)
    return tuple(results)


def sum_of_known_zeros(old: Tensor, grad: Tensor) -> bool:
    """Two known zeros summed in an input buffer stay known zeros (the engine keeps ``old``); with
    any other gradient they add as ordinary zeros."""
    return is_known_zero(old) and is_known_zero(grad)
