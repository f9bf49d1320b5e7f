"""Argument parsing shared by the tensor's methods, the factories and the ops: Python numbers as
tensors, dimensions, sizes — with PyTorch's error messages for anything else (``ones(2.5)`` must not
quietly become ``ones(2)``). Nothing here computes: it only checks and converts what was passed."""

import math

import numpy as np

from . import _dtypes
from .tensor import Tensor

_wrapped_cache = {}


def _wrap_number(value, like):
    """Turn a Python number into a 0-d tensor flagged as a *wrapped number* (for type promotion).
    Small pools of these are reused: they never require grad and nothing modifies them."""
    if isinstance(value, Tensor):
        return value
    key = (type(value), value)
    if value == 0 and type(value) is float:  # (0.0 == -0.0, one dict key: but not the same number)
        key = (float, value, math.copysign(1.0, value))
    cached = _wrapped_cache.get(key)
    if cached is not None and cached._version_counter is None:  # (never modified in place)
        return cached
    if isinstance(value, bool):
        dtype = _dtypes.bool
    elif isinstance(value, int):
        dtype = _dtypes.int64
    elif isinstance(value, float):
        dtype = _dtypes.float64
    else:
        if isinstance(value, np.ndarray | np.generic):
            return Tensor._make(np.asarray(value), _dtypes.from_numpy_dtype(value.dtype))
        raise TypeError(f"unsupported operand type: '{type(value).__name__}'")
    t = Tensor._make(np.asarray(value, dtype=dtype.numpy), dtype)
    t._wrapped_number = True
    if len(_wrapped_cache) < 1024 and value == value:  # (NaN is not a usable key)
        _wrapped_cache[key] = t
    return t


def _normalize_dim(dim, ndim):
    n = max(ndim, 1)
    if not -n <= dim < n:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})"
        )
    return dim % n


def _normalize_dim_of_shaped(dim, ndim):
    """``_normalize_dim`` for what needs a real dimension (``size(0)``, ``unbind``): a 0-dim tensor
    has none, PyTorch's IndexError says so."""
    if not ndim:
        raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
    return _normalize_dim(dim, ndim)


def _as_size(value):
    """One size as an int, or None when it is not one: Python and numpy integers, and an integer
    tensor of one element (``x.shape[0]`` of another tensor often arrives that way); not bools."""
    if isinstance(value, bool | np.bool_):
        return None
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, Tensor) and not value._dtype.is_floating_point and value._data.size == 1:
        return int(value._data.reshape(()))
    return None


_RANDOM_SIGNATURES = (
    " * (tuple of ints size, *, minigrad.Generator generator, Tensor out = None, minigrad.dtype dtype "
    "= None, minigrad.layout layout = None, minigrad.device device = None, bool pin_memory = False, "
    "bool requires_grad = False)\n"
    " * (tuple of ints size, *, Tensor out = None, minigrad.dtype dtype = None, minigrad.layout layout "
    "= None, minigrad.device device = None, bool pin_memory = False, bool requires_grad = False)\n"
)


def _no_sizes_error(fn, name):
    """PyTorch's TypeError for ``zeros()``, ``x.permute()`` and the like: the sizes are required."""
    if fn in ("randn", "rand"):
        return TypeError(
            f"{fn}() received an invalid combination of arguments - got (), but expected one of:\n"
            + _RANDOM_SIGNATURES
        )
    if fn == "view":
        return TypeError(
            "view() received an invalid combination of arguments - got (), but expected one of:\n"
            " * (minigrad.dtype dtype)\n * (tuple of ints size)\n"
        )
    return TypeError(f'{fn}() missing 1 required positional arguments: "{name}"')


def _size_args(args, fn, name="size", single_sequence_message=False):
    """The sizes of ``fn(2, 3)`` or ``fn((2, 3))`` as a tuple of ints, with PyTorch's TypeErrors for
    anything else (``ones(2.5)`` must not quietly become ``ones(2)``). ``name`` is the argument's
    name in those messages; ``single_sequence_message``: the wording of the few functions (reshape,
    full) whose message for a bad element of one tuple differs."""

    def kind(value):
        return type(value).__name__

    if not args:
        raise _no_sizes_error(fn, name)
    if len(args) == 1 and isinstance(args[0], tuple | list):
        sizes = tuple(args[0])
        for k, v in enumerate(sizes):
            if _as_size(v) is None:
                if single_sequence_message:
                    raise TypeError(
                        f"{fn}(): argument '{name}' (position 1) must be tuple of ints, but found element "
                        f"of type {kind(v)} at pos {k}"
                    )
                raise TypeError(
                    f"{fn}(): argument '{name}' failed to unpack the object at pos {k + 1} with error "
                    f'"type must be tuple of ints,but got {kind(v)}"'
                )
        return tuple(_as_size(v) for v in sizes)
    for k, v in enumerate(args):
        if _as_size(v) is None:
            if len(args) == 1:
                raise TypeError(
                    f"{fn}(): argument '{name}' (position 1) must be tuple of ints, not {kind(v)}"
                )
            if k == 0:
                raise TypeError(f"{fn}() takes 1 positional argument but {len(args)} were given")
            raise TypeError(
                f"{fn}(): argument '{name}' failed to unpack the object at pos {k + 1} with error "
                f'"type must be tuple of ints,but got {kind(v)}"'
            )
    return tuple(_as_size(v) for v in args)


class _NotGiven:
    """The default of an argument whose absence PyTorch tells apart from None (``x.sum(dim=None,
    keepdim=True)`` keeps the dimensions; ``x.sum(keepdim=True)`` is an error)."""

    def __repr__(self):
        return "(not given)"


_NOT_GIVEN = _NotGiven()
