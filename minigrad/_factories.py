"""Ways to make tensors: ``tensor``, ``zeros``, ``ones``, ``full``, ``arange``, ``linspace``, ``eye``,
``randn``, ``rand``, ... with PyTorch's signatures and default dtypes."""

import builtins

import numpy as np

from . import _dtypes
from ._arguments import _size_args
from .tensor import Tensor

# PyTorch's default generator starts from a fixed seed, so unseeded runs repeat too.
_DEFAULT_SEED = 67280421310721
_generator = {"rng": np.random.default_rng(_DEFAULT_SEED)}


def manual_seed(seed):
    """Reset the random number generator, so that ``randn``/``rand`` repeat their numbers."""
    _generator["rng"] = np.random.default_rng(int(seed))
    return None


def _infer_dtype(data):
    """PyTorch's rule: Python floats become float32 (the default), ints int64, bools bool; numpy
    arrays keep their own dtype."""
    if isinstance(data, np.ndarray | np.generic):
        return _dtypes.from_numpy_dtype(data.dtype)
    arr = np.asarray(data)
    if arr.dtype == np.bool_:
        return _dtypes.bool
    if arr.dtype.kind in "iu":
        return _dtypes.int64
    if arr.dtype.kind == "f":
        return _dtypes.float32
    raise _not_a_number_error(data)


def _not_a_number_error(x):
    """PyTorch's error for an element that is not a number."""
    if isinstance(x, str | bytes):
        return TypeError(f"new(): invalid data type '{type(x).__name__}'")
    return RuntimeError(f"Could not infer dtype of {type(x).__name__}")


_NUMBER_TYPES = (bool, int, float, np.number, np.bool_)
_LEAF_TYPES = (*_NUMBER_TYPES, np.ndarray)  # (numpy arrays inside a list are taken as they are)


def _size(size, fn, negative_message=None, single_sequence_message=False):
    """The shape given as ``zeros(2, 3)`` or ``zeros((2, 3))``, checked: integers only, no negative
    size (PyTorch's messages, or the factory's own one)."""
    size = _size_args(size, fn, single_sequence_message=single_sequence_message)
    for s in size:
        if s < 0:
            raise RuntimeError(
                negative_message or f"Trying to create tensor with negative dimension {s}: {list(size)}"
            )
    return size


def _check_requires_grad(dtype, requires_grad):
    if requires_grad and not dtype.is_floating_point:
        raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")


def _new(array, dtype, requires_grad):
    _check_requires_grad(dtype, requires_grad)
    t = Tensor._make(np.asarray(array, dtype=dtype.numpy, order="C"), dtype)
    t._requires_grad = bool(requires_grad)
    return t


def tensor(data, dtype=None, requires_grad=False):
    """Make a new leaf tensor holding a copy of ``data`` (a number, a nested list, a numpy array)."""
    if isinstance(data, Tensor):
        data = data._data
    elif isinstance(data, list | tuple) and any(isinstance(d, Tensor) for d in data):
        data = [
            d.item()
            if isinstance(d, Tensor) and d.ndim == 0
            else (d.tolist() if isinstance(d, Tensor) else d)
            for d in data
        ]
    if isinstance(data, list | tuple):
        _check_nested(data)
    elif not isinstance(data, _NUMBER_TYPES + (np.ndarray, range)):
        raise _not_a_number_error(data)
    dtype = dtype or _infer_dtype(data)
    return _new(np.array(data, dtype=dtype.numpy), dtype, requires_grad)


def _check_nested(data):
    """Nested lists must be rectangular, with numbers at the bottom. As in PyTorch, the first
    element of each level decides what the level holds (lists, or numbers), and the error names
    the first thing that breaks that: a ragged dimension, a number where a list belongs or the
    reverse, or an element that is not a number."""
    first = data
    while isinstance(first, list | tuple) and first:
        first = first[0]
    if isinstance(first, str) and first:  # PyTorch reads a string there as one more dimension
        raise ValueError("too many dimensions 'str'")
    level, dim = [data], 0
    while level and isinstance(level[0], list | tuple):
        for x in level:
            if not isinstance(x, list | tuple):
                raise TypeError("not a sequence")
            if len(x) != len(level[0]):
                raise ValueError(f"expected sequence of length {len(level[0])} at dim {dim} (got {len(x)})")
        level = [y for x in level for y in x]
        dim += 1
    for x in level:
        if isinstance(x, list | tuple):
            raise TypeError(f"'{type(x).__name__}' object cannot be interpreted as an integer")
        if not isinstance(x, _LEAF_TYPES):
            raise _not_a_number_error(x)


def as_tensor(data, dtype=None):
    if isinstance(data, Tensor) and (dtype is None or data.dtype is dtype):
        return data
    return tensor(data, dtype=dtype)


def from_numpy(array):
    """A tensor that shares memory with a numpy array."""
    dtype = _dtypes.from_numpy_dtype(array.dtype)
    if array.dtype != dtype.numpy:
        array = array.astype(dtype.numpy)
    return Tensor._make(array, dtype)


def zeros(*sizes, size=None, dtype=None, requires_grad=False):
    """``zeros(2, 3)``, ``zeros((2, 3))`` or ``zeros(size=(2, 3))`` (as for the other factories)."""
    dtype = dtype or _dtypes.float32
    shape = _size(sizes if size is None else (size,), "zeros", "zeros: Dimension size must be non-negative.")
    return _new(np.zeros(shape, dtype=dtype.numpy), dtype, requires_grad)


def ones(*sizes, size=None, dtype=None, requires_grad=False):
    dtype = dtype or _dtypes.float32
    return _new(
        np.ones(_size(sizes if size is None else (size,), "ones"), dtype=dtype.numpy), dtype, requires_grad
    )


def empty(*sizes, size=None, dtype=None, requires_grad=False):
    """Zeros here (PyTorch leaves the memory as it finds it; minigrad's outputs must not vary)."""
    dtype = dtype or _dtypes.float32
    return _new(
        np.zeros(_size(sizes if size is None else (size,), "empty"), dtype=dtype.numpy), dtype, requires_grad
    )


def full(size, fill_value, dtype=None, requires_grad=False):
    if isinstance(fill_value, Tensor):  # (one number in a tensor is a number)
        fill_value = fill_value.item()
    if not isinstance(fill_value, _NUMBER_TYPES):
        raise TypeError(
            f"full(): argument 'fill_value' (position 2) must be Number, not {type(fill_value).__name__}"
        )
    if dtype is None:
        dtype = _infer_dtype(fill_value)
    return _new(
        np.full(_size((size,), "full", single_sequence_message=True), fill_value, dtype=dtype.numpy),
        dtype,
        requires_grad,
    )


def zeros_like(t, dtype=None, requires_grad=False):
    return zeros(t.shape, dtype=dtype or t.dtype, requires_grad=requires_grad)


def ones_like(t, dtype=None, requires_grad=False):
    return ones(t.shape, dtype=dtype or t.dtype, requires_grad=requires_grad)


def full_like(t, fill_value, dtype=None, requires_grad=False):
    return full(t.shape, fill_value, dtype=dtype or t.dtype, requires_grad=requires_grad)


def arange(start, end=None, step=1, dtype=None, requires_grad=False):
    """Numbers from ``start`` up to (not including) ``end``; int64 unless a bound is a float."""
    if end is None:
        start, end = 0, start
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (end - start) * step < 0:
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    if dtype is None:
        is_float = any(isinstance(v, float) for v in (start, end, step))
        dtype = _dtypes.float32 if is_float else _dtypes.int64
    return _new(np.arange(start, end, step, dtype=np.float64).astype(dtype.numpy), dtype, requires_grad)


def linspace(start, end, steps, dtype=None, requires_grad=False):
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    dtype = dtype or _dtypes.float32
    return _new(np.linspace(start, end, steps), dtype, requires_grad)


def eye(n, m=None, dtype=None, requires_grad=False):
    if n < 0:
        raise RuntimeError(f"n must be greater or equal to 0, got {n}")
    if m is not None and m < 0:
        raise RuntimeError(f"m must be greater or equal to 0, got {m}")
    dtype = dtype or _dtypes.float32
    return _new(np.eye(n, m), dtype, requires_grad)


def randn(*sizes, size=None, dtype=None, requires_grad=False):
    """Samples from the standard normal distribution (minigrad's own generator: the numbers differ
    from PyTorch's for the same seed)."""
    dtype = dtype or _dtypes.float32
    shape = _size(sizes if size is None else (size,), "randn")
    return _new(_generator["rng"].standard_normal(shape), dtype, requires_grad)


def rand(*sizes, size=None, dtype=None, requires_grad=False):
    """Samples uniformly from [0, 1)."""
    dtype = dtype or _dtypes.float32
    return _new(
        _generator["rng"].random(_size(sizes if size is None else (size,), "rand")), dtype, requires_grad
    )


def randint(low, high=None, size=(), dtype=None):
    if high is None:
        low, high = 0, low
    dtype = dtype or _dtypes.int64
    return _new(_generator["rng"].integers(low, high, size=_size((size,), "randint")), dtype, False)


def randperm(n):
    return _new(_generator["rng"].permutation(n), _dtypes.int64, False)


def numel(t):
    return t.numel()


def is_tensor(obj):
    return isinstance(obj, Tensor)


builtins_max = builtins.max
