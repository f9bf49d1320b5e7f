"""``where``: each element chosen from one of two tensors by a condition. Its backward sends each
gradient element to the input that was chosen, exactly 0 to the other. Several backward formulas
use it (``pow`` at 0, ``masked_fill``), so it stands apart from the other elementwise ops."""

import numpy as np

from .. import _dtypes
from .._arguments import _wrap_number
from ..autograd.function import Function
from ._util import out, promoted, sum_to_shape


class Where(Function):
    """c = a where condition else b.   The gradient goes to whichever input was chosen."""

    node_name = "WhereBackward0"

    @staticmethod
    def forward(ctx, condition, a, b):
        ctx.condition = condition  # (the mask's numbers, a bool array: see where() below)
        ctx.shapes = (a._data.shape, b._data.shape)
        dtype, (x, y) = promoted(a, b)
        return out(np.where(condition, x, y), dtype)

    @staticmethod
    def backward(ctx, grad):
        cond = out(ctx.condition, _dtypes.bool)
        a_shape, b_shape = ctx.shapes
        # (chosen by where again, not multiplied by the condition: the input that was not chosen
        # gets exactly 0, even for an inf or nan gradient)
        return None, sum_to_shape(where(cond, grad, 0), a_shape), sum_to_shape(where(cond, 0, grad), b_shape)


def where(condition, a, b):
    """``a`` where ``condition`` is True, else ``b`` (either may be a number)."""
    if condition._dtype is not _dtypes.bool:
        raise RuntimeError(
            "where expected condition to be a boolean tensor, but got a tensor with dtype "
            f"{condition._dtype.scalar_name}"
        )
    # The mask goes in as numbers, not as a tensor: it is not differentiable, so (as in PyTorch)
    # the node has edges for a and b only.
    return Where.apply(condition._data, _wrap_number(a, condition), _wrap_number(b, condition))
