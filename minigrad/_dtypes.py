"""Data types, named as PyTorch names them.

A tensor's dtype decides how its numbers are stored. As in PyTorch, the default for Python floats is
``float32`` (single precision, about 7 significant digits) and for Python ints ``int64``. Gradient checks
need ``float64``: see :mod:`minigrad.autograd.gradcheck`.
"""

import numpy as np


class dtype:
    """A tensor element type: ``minigrad.float32``, ``float64``, ``int64`` or ``bool``."""

    __slots__ = ("name", "numpy", "is_floating_point", "legacy_name")

    def __init__(self, name, numpy_type, is_floating_point, legacy_name):
        self.name = name
        self.numpy = np.dtype(numpy_type)
        self.is_floating_point = is_floating_point
        self.legacy_name = legacy_name  # the old-style type name PyTorch uses in error messages

    def __repr__(self):
        return f"minigrad.{self.name}"

    @property
    def scalar_name(self):
        """PyTorch's scalar type name, as its error messages print it: ``Float``, ``Long``, ..."""
        return self.legacy_name[: -len("Tensor")]

    @property
    def cpp_name(self):
        """The C++ type name some PyTorch messages print: ``float``, ``double``, ``long int``, ``bool``."""
        return _CPP_NAMES[self.name]

    def __reduce__(self):  # pickling returns the same singleton
        return self.name


float32 = dtype("float32", np.float32, True, "FloatTensor")
float64 = dtype("float64", np.float64, True, "DoubleTensor")
int64 = dtype("int64", np.int64, False, "LongTensor")
bool = dtype("bool", np.bool_, False, "BoolTensor")  # noqa: A001 - PyTorch's name

_CPP_NAMES = {"float32": "float", "float64": "double", "int64": "long int", "bool": "bool"}

# PyTorch's aliases
float = float32  # noqa: A001
double = float64
long = int64

_from_numpy = {d.numpy: d for d in (float32, float64, int64, bool)}


def from_numpy_dtype(np_dtype):
    """Map a numpy dtype to the minigrad dtype that stores it (other ints become int64, floats float32)."""
    np_dtype = np.dtype(np_dtype)
    if np_dtype in _from_numpy:
        return _from_numpy[np_dtype]
    if np_dtype.kind in "iu":
        return int64
    if np_dtype.kind == "f":
        return float32
    raise TypeError(
        f"can't convert np.ndarray of type {np_dtype}. The only supported types are: "
        "float64, float32, int64, and bool."
    )


def _category(d):
    """0 for bool, 1 for integers, 2 for floating point: type promotion only ever moves up."""
    return 2 if d.is_floating_point else (0 if d is bool else 1)


_default_for_category = {0: bool, 1: int64, 2: float32}


def _promote_pair(a, b):
    if _category(a) != _category(b):
        return a if _category(a) > _category(b) else b
    if a is float64 or b is float64:
        return float64
    return a


def result_type(*tensors):
    """The dtype of an elementwise op's result, by PyTorch's promotion rules.

    Three classes take part, in priority order: tensors with dimensions, zero-dimensional tensors,
    and Python numbers. A lower class only changes the result when it is of a higher *category*
    (bool < integer < floating); then a Python number brings the default dtype of its category.
    So ``float32_vector * 2.5`` stays float32, ``int_vector * 2.5`` is float32 and
    ``float32_vector * float64_scalar_tensor`` stays float32.
    """
    classes = [[], [], []]
    for t in tensors:
        classes[2 if t._wrapped_number else (1 if t._data.ndim == 0 else 0)].append(t._dtype)
    result = None
    for rank, dtypes in enumerate(classes):
        if not dtypes:
            continue
        promoted = dtypes[0]
        for d in dtypes[1:]:
            promoted = _promote_pair(promoted, d)
        if rank == 2:
            promoted = _default_for_category[_category(promoted)]
        if result is None:
            result = promoted
        elif _category(promoted) > _category(result):
            result = promoted
    return result
