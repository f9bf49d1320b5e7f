"""``validate_outputs``: a gradient must fit the input it is sent to.

A node's backward returns one gradient per input of its forward. Before the engine sends one along
its edge, PyTorch's ``validate_outputs`` checks it against what the input was (its shape and dtype,
kept on the edge when the node was recorded) and repairs what is safe to repair:

- a gradient with the input's broadcast shape is summed back to the input's shape
  (:func:`sum_to_shape`: an input that was broadcast was used several times, so its gradient is the
  sum over the copies);
- a gradient of another dtype is converted to the input's;
- anything else — not a tensor, a shape that is not a broadcast of the input's — raises PyTorch's
  error, naming the node: a wrong gradient must never travel on silently.

The engine makes the cheap first test itself (the gradient is a Tensor of the right shape and
dtype: the usual case) and calls :func:`validate_grad` only when it fails.
"""

from __future__ import annotations

from ..tensor import Tensor


def sum_to_shape(grad: Tensor, shape: tuple[int, ...]) -> Tensor:
    """Undo broadcasting: sum ``grad`` over the dimensions that broadcasting added or stretched, so
    that it has ``shape`` again.

    If ``b`` of shape ``(3,)`` was added to ``a`` of shape ``(2, 3)``, then ``b`` was used twice (once
    per row), and its gradient is the sum of the two rows of the output's gradient.
    """
    grad_shape = grad._data.shape
    if grad_shape == shape:  # nothing was broadcast (the usual case)
        return grad
    shape = tuple(shape)
    if not shape:  # to a single number: the sum of all (PyTorch's sum_to does the same)
        return grad.sum()
    extra = len(grad_shape) - len(shape)
    if extra > 0 and grad_shape[extra:] == shape:  # only dimensions added in front (a bias)
        return grad.sum(dim=tuple(range(extra)))
    stretched = tuple(extra + i for i, s in enumerate(shape) if s == 1 and grad_shape[extra + i] != 1)
    if stretched:  # dimensions of size 1 that broadcasting stretched: sum them, keeping them
        grad = grad.sum(dim=stretched, keepdim=True)
    if extra:  # dimensions broadcasting added in front: sum them away
        grad = grad.sum(dim=tuple(range(extra)))
    return grad


def validate_grad(node, index: int, grad, shape: tuple[int, ...], dtype) -> Tensor:
    """Make the gradient for edge ``index`` of ``node`` fit its input (of ``shape`` and ``dtype``):
    reduce a broadcast shape, cast the dtype; raise PyTorch's errors for anything else."""
    if type(grad) is Tensor and grad._data.shape == shape and grad._dtype is dtype:
        return grad  # (the usual case)
    if not isinstance(grad, Tensor):
        raise TypeError(
            f"function {node.name()} returned a gradient of type {type(grad).__name__} "
            f"at position {index}; expected a Tensor or None"
        )
    if grad._data.shape != shape:
        if _expandable(shape, grad.shape):
            grad = sum_to_shape(grad, shape)
        else:
            raise RuntimeError(
                f"Function {node.name()} returned an invalid gradient at index {index} - "
                f"got {list(grad.shape)} but expected shape compatible with {list(shape)}"
            )
    if grad.dtype is not dtype:
        grad = grad.to(dtype)
    return grad


def _expandable(shape: tuple[int, ...], target: tuple[int, ...]) -> bool:
    """True when a tensor of ``shape`` broadcasts to ``target``."""
    if len(shape) > len(target):
        return False
    return all(s == t or s == 1 for s, t in zip(reversed(shape), reversed(target)))


# --- what backward returned: one gradient per argument of forward ----------------------------------
def all_none(items: list | tuple) -> bool:
    """True when every item is None. (By identity: ``==`` on tensors is an elementwise op, so
    ``items.count(None)`` or ``None in items`` would compute one per tensor.)"""
    for item in items:
        if item is not None:
            return False
    return True


def check_gradient_count(node, result: tuple) -> tuple:
    """``backward`` must return one gradient per forward argument; extra Nones are allowed
    (and dropped)."""
    needs = node.needs_input_grad
    if len(result) > len(needs) and all_none(result[len(needs) :]):
        return result[: len(needs)]
    raise RuntimeError(
        f"function {node.name()} returned an incorrect number of gradients "
        f"(expected {len(needs)}, got {len(result)})"
    )


def check_no_gradient_for_non_tensors(node, result: tuple) -> None:
    """An argument of forward that was not a tensor gets None as its gradient."""
    for i in node._other_arg_positions:
        if result[i] is not None:
            raise RuntimeError(
                f"function {node.name()} returned a gradient different than None "
                f"at position {i + 1}, but the corresponding forward input was "
                "not a Variable"
            )
