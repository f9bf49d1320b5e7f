"""Input buffers: where the gradients sent to a node add up (PyTorch's ``InputBuffer``).

A node's buffer has one slot per output of its forward op. Where a tensor was used more than once
(``x * x``, ``a + a``, a weight in every layer), several gradients arrive for the same slot, and
the chain rule says to add them: that sum is made here, one gradient at a time, as they arrive.

Two of PyTorch's rules live here too. Known zeros (PyTorch's ZeroTensor, see
:mod:`~minigrad.autograd.known_zeros`) summed with known zeros stay known zeros. And a sum that the
engine made itself, and that nobody else has seen yet (no hook, no event), is added to *in place*,
as PyTorch's buffers do: a leaf used 10,000 times gets 10,000 additions, not 10,000 new tensors.
(``owned`` records those sums: node -> slots; it is None when the sums may not be changed, because
someone watches the steps or ``create_graph`` records each sum.)
"""

from __future__ import annotations

from ..tensor import Tensor
from .known_zeros import sum_of_known_zeros


def add_in_place(total, array) -> None:
    """``total += array`` for two numpy arrays of the same shape and dtype. A 0-d one is added as
    numpy scalars: the same sum, for a third of the cost of numpy's in-place add on 0-d arrays."""
    if total.ndim:
        total += array
    else:
        total[()] = total[()] + array[()]


def add(buf: list, node, slot: int, grad: Tensor, owned: dict | None) -> None:
    """Sum ``grad`` into slot ``slot`` of ``buf``, the input buffer of ``node``."""
    old = buf[slot]
    if old is None:
        buf[slot] = grad
    elif old._known_zero and grad._known_zero and sum_of_known_zeros(old, grad):
        pass
    elif (
        owned is not None
        and slot in owned.get(node, ())
        and old._dtype is grad._dtype
        and old._data.shape == grad._data.shape
    ):
        add_in_place(old._data, grad._data)
    else:
        buf[slot] = old + grad
        if owned is not None:
            owned.setdefault(node, set()).add(slot)
