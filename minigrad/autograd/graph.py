"""The graph's own tools: ``Node`` (the base class of every ``grad_fn``) and the hooks that decide
how the tensors saved for backward are kept.

``saved_tensors_hooks(pack_hook, unpack_hook)``: inside the block, every tensor an operation saves
for backward goes through ``pack_hook(tensor)``, and the node keeps what it returns; backward calls
``unpack_hook(packed)`` to get the tensor back. That is how you trade memory for time: pack to a
file, or to a compressed copy, or recompute. ``save_on_cpu()`` is the version PyTorch uses to move
saved tensors off the GPU (minigrad has only the CPU: the tensors stay as they are)::

    with minigrad.autograd.graph.saved_tensors_hooks(pack, unpack):
        y = x.exp()          # pack(y) runs here
    y.sum().backward()       # unpack(...) runs here
"""

from ..tensor import Tensor
from .function import Node, gradient_edge
from .saved_tensors import _saved_tensors_hooks

__all__ = ["Node", "saved_tensors_hooks", "save_on_cpu", "get_gradient_edge", "recorded_gradient_edge"]


def get_gradient_edge(tensor: Tensor) -> tuple[Node | None, int]:
    """Where gradients for ``tensor`` go, as PyTorch's ``torch.autograd.graph.get_gradient_edge``:
    ``(grad_fn, output_nr)``, or ``(AccumulateGrad, 0)`` for a leaf that requires grad (made now if
    the leaf has none yet), or ``(None, 0)``. What ``iter_backward`` takes as roots and inputs."""
    return gradient_edge(tensor)


def recorded_gradient_edge(tensor: Tensor) -> tuple[Node, int] | None:
    """The tensor's place in a graph that exists already: ``(grad_fn, output_nr)``, or its leaf's
    ``AccumulateGrad`` if an operation made one; None otherwise. Unlike :func:`get_gradient_edge`
    it never makes a node (minigrad's, for drawing a graph without changing it)."""
    if tensor._grad_fn is not None:
        return (tensor._grad_fn, tensor._output_nr)
    accumulator = tensor._grad_accumulator() if tensor._grad_accumulator is not None else None
    if tensor._requires_grad and accumulator is not None:
        return (accumulator, 0)
    return None


class saved_tensors_hooks:  # noqa: N801 - PyTorch's name
    """Within the block, saved tensors are packed with ``pack_hook`` and unpacked with
    ``unpack_hook`` (the innermost block's, when they nest)."""

    def __init__(self, pack_hook, unpack_hook):
        self.pack_hook, self.unpack_hook = pack_hook, unpack_hook

    def __enter__(self):
        _saved_tensors_hooks.append((self.pack_hook, self.unpack_hook))
        return self

    def __exit__(self, *exc):
        _saved_tensors_hooks.pop()

    def __repr__(self):
        return "<minigrad.autograd.graph.saved_tensors_hooks object>"


class save_on_cpu(saved_tensors_hooks):  # noqa: N801
    """PyTorch's hooks that move saved tensors to the CPU (and back to their device for backward).
    Everything is on the CPU here, so pack and unpack hand the tensor through."""

    def __init__(self, pin_memory=False, device_type="cuda"):
        super().__init__(lambda tensor: ("cpu", tensor), lambda packed: packed[1])
