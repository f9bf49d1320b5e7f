"""Helpers shared by the ops."""

import numpy as np

from .. import _dtypes
from ..autograd.known_zeros import known_zeros  # noqa: F401  (the ops' name for it)
from ..autograd.validate_outputs import sum_to_shape  # noqa: F401  (likewise)
from ..tensor import _new_tensor

#: ``out(array, dtype)``: wrap a numpy result as a new tensor of ``dtype`` (no copy).
out = _new_tensor


def zeros(shape, dtype):
    """A tensor of zeros that needs no gradient: where several backward formulas start (the
    gradient is then written or added into it)."""
    return out(np.zeros(shape, dtype=dtype.numpy), dtype)


def zeros_like_grad(grad):
    """The gradient of an input that does not affect the output (sign, fill_, ...): zeros shaped like
    ``grad``, as PyTorch's ``zeros_like(grad)`` — not ``grad * 0``, which is nan where the incoming
    gradient is inf or nan. Made from nothing, it is not part of any graph (``create_graph``)."""
    return zeros(grad._data.shape, grad._dtype)


def promoted(*tensors):
    """The result dtype of an elementwise op and the operands' numbers converted to it.

    The numbers are numpy arrays, except for a 0-d tensor: there they are a numpy *scalar*
    (``np.float32(0.5)``, see :func:`numbers`); ``out`` turns a result back into an array."""
    if len(tensors) == 2:
        a, b = tensors
        x, y = a._data, b._data
        if a._dtype is b._dtype or (
            b._dtype is _dtypes.bool and a._dtype.is_floating_point and not a._wrapped_number
        ):
            pass  # (grad * mask: numpy keeps a's type; a Python number there is promoted below)
        elif b._wrapped_number and _dtypes._category(b._dtype) <= _dtypes._category(a._dtype):
            y = y.astype(a._dtype.numpy)
        else:
            if x.shape != y.shape:
                check_broadcastable(x.shape, y.shape)
            return _promoted_general(tensors)
        # (numbers(x), numbers(y), inlined: this runs for every elementwise op)
        if not x.ndim:  # a single number broadcasts to any shape
            return a._dtype, [x[()], y if y.ndim else y[()]]
        if not y.ndim:
            return a._dtype, [x, y[()]]
        if x.shape != y.shape:
            check_broadcastable(x.shape, y.shape)
        return a._dtype, [x, y]
    if len(tensors) == 1:
        return tensors[0]._dtype, [numbers(tensors[0]._data)]
    return _promoted_general(tensors)


def _promoted_general(tensors):
    """``promoted`` by PyTorch's full promotion rules (any number of tensors, mixed dtypes)."""
    dtype = _dtypes.result_type(*tensors)
    arrays = [t._data if t._dtype is dtype else t._data.astype(dtype.numpy) for t in tensors]
    return dtype, [numbers(x) for x in arrays]


def numbers(array):
    """What an op computes with: the array itself, or for a 0-d array its one number as a numpy
    scalar (numpy's scalar arithmetic is several times cheaper than a call on a 0-d array, and
    gives the same bits)."""
    return array if array.ndim else array[()]


def check_broadcastable(shape_a, shape_b):
    """Raise PyTorch's error when two shapes cannot broadcast: sizes are compared from the right, and
    each pair must be equal or contain a 1."""
    k = min(len(shape_a), len(shape_b))
    if k == 0 or shape_a[-k:] == shape_b[-k:]:  # a scalar, or a bias (16,) to (100, 16): the usual cases
        return
    n = max(len(shape_a), len(shape_b))
    a = (1,) * (n - len(shape_a)) + tuple(shape_a)
    b = (1,) * (n - len(shape_b)) + tuple(shape_b)
    for dim in range(n - 1, -1, -1):
        if a[dim] != b[dim] and a[dim] != 1 and b[dim] != 1:
            raise RuntimeError(
                f"The size of tensor a ({a[dim]}) must match the size of tensor b "
                f"({b[dim]}) at non-singleton dimension {dim}"
            )


def float_result(*tensors):
    """Like :func:`promoted`, but integer inputs give the default float dtype (as in ``exp``, ``/``)."""
    dtype, arrays = promoted(*tensors)
    if not dtype.is_floating_point:
        dtype = _dtypes.float32
        arrays = [a.astype(np.float32) for a in arrays]
    return dtype, arrays


def wide(array):
    """float32 numbers as float64, for transcendental functions (sin, exp, ...): computed in double
    precision and rounded once to float32, the results are correctly rounded, as PyTorch's are
    (numpy's own float32 versions can be one unit in the last place off)."""
    return array.astype(np.float64) if array.dtype == np.float32 else array
