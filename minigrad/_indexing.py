"""Indexing a tensor: ``x[key]`` and ``x[key] = value``, with PyTorch's rules for keys (integers,
slices, ``None``, ``...``, bool masks, integer tensors and lists) and its error messages. Part of
the method table (see :mod:`minigrad._tensor_ops`): it adds ``__getitem__`` and ``__setitem__``."""

import builtins

import numpy as np

from ._arguments import _wrap_number
from ._inplace import _inplace
from .ops import shape as shape_ops
from .tensor import Tensor

# --- indexing -------------------------------------------------------------------------------------


def _is_basic(part):
    return part is None or part is Ellipsis or isinstance(part, int | slice) and not isinstance(part, bool)


def _index_array(part):
    """A part of an index key as numpy sees it (None and ... stay as they are)."""
    if isinstance(part, Tensor):
        return part._data
    if isinstance(part, list | bool):
        return np.asarray(part)
    return part


def _dims_used(array):
    """How many dimensions of the tensor one part of a key indexes: a mask as many as it has, None
    and ... none (... is worked out from the others), anything else one."""
    if array is None or array is Ellipsis:
        return 0
    if isinstance(array, np.ndarray) and array.dtype == np.bool_:
        return array.ndim
    return 1


def _check_advanced_key(self, parts):
    """PyTorch's errors for an index made of lists, tensors or masks: the index types it accepts,
    masks that fit the dimensions they index, and positions inside each dimension."""
    for part in parts:
        if isinstance(part, Tensor) and part._dtype.is_floating_point:
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        if not (_is_basic(part) or isinstance(part, Tensor | list | np.ndarray | bool)):
            raise IndexError(
                "only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are "
                f"valid indices (got {type(part).__name__})"
            )
    arrays = [_index_array(p) for p in parts]
    used = [_dims_used(a) for a in arrays]
    shape = self._data.shape
    if builtins.sum(used) > len(shape):
        raise IndexError(f"too many indices for tensor of dimension {len(shape)}")
    _check_index_shapes_broadcast(arrays)
    dim = 0  # the dimension of self that the next part indexes
    advanced = 0  # how many index arrays came before (PyTorch's errors count those, not dimensions)
    for k, array in enumerate(arrays):
        if array is Ellipsis:  # it stands for the dimensions the parts after it leave over
            dim = len(shape) - builtins.sum(used[k + 1 :])  # (sum: Tensor.sum, below)
        elif isinstance(array, np.ndarray) and array.dtype == np.bool_ and array.ndim:
            for j, size in enumerate(array.shape):
                if dim + j >= len(shape) or size != shape[dim + j]:
                    raise IndexError(
                        f"The shape of the mask {list(array.shape)} at index {j} does not match the shape "
                        f"of the indexed tensor {list(shape)} at index {dim + j}"
                    )
        elif isinstance(array, np.ndarray | int) and dim < len(shape):
            # a number is a select of dimension `dim`; an array the `advanced`-th index array
            named = advanced if isinstance(array, np.ndarray) and array.ndim else dim
            for i in np.asarray(array).reshape(-1).tolist():
                if not -shape[dim] <= i < shape[dim]:
                    raise IndexError(
                        f"index {i} is out of bounds for dimension {named} with size {shape[dim]}"
                    )
        if isinstance(array, np.ndarray) and array.ndim:
            advanced += used[k]
        dim += used[k]


def _check_index_shapes_broadcast(arrays):
    """The index arrays of a key (a mask of n dimensions counts as n of them, of its count of Trues)
    are used together, element by element: their shapes must broadcast."""
    shapes = []
    for array in arrays:
        if isinstance(array, np.ndarray) and array.ndim:
            if array.dtype == np.bool_:
                shapes += [(int(np.count_nonzero(array)),)] * array.ndim
            else:
                shapes.append(array.shape)
    try:
        np.broadcast_shapes(*shapes)
    except ValueError:
        listed = ", ".join(str(list(s)) for s in shapes)
        raise IndexError(
            f"shape mismatch: indexing tensors could not be broadcast together with shapes {listed}"
        ) from None


def _numpy_key(key):
    if isinstance(key, Tensor):
        return key._data
    if isinstance(key, tuple):
        return tuple(_numpy_key(k) for k in key)
    if isinstance(key, list):
        return np.asarray([k.item() if isinstance(k, Tensor) else k for k in key])
    return key


def getitem(self, key):
    """Indexing as PyTorch records it: ``x[0, 1:3]`` is a Select then a Slice (two nodes);
    indexing with a list, a tensor or a mask is one Index node (a copy)."""
    parts = key if isinstance(key, tuple) else (key,)
    if not all(_is_basic(p) for p in parts):
        _check_advanced_key(self, parts)
        return shape_ops.Index.apply(self, _numpy_key(key))
    whole_tensor_key = all(p is Ellipsis for p in parts)  # x[...] and x[()]
    n_real = len([p for p in parts if p is not None and p is not Ellipsis])
    if self.ndim == 0 and n_real > 0:  # (PyTorch words it three ways)
        if isinstance(key, tuple):
            raise IndexError("too many indices for tensor of dimension 0")
        if isinstance(key, slice):
            raise IndexError("slice() cannot be applied to a 0-dim tensor.")
        if key != 0:
            raise IndexError(f"index {key} is out of bounds for dimension 0 with size 0")
        raise IndexError(
            "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or "
            "`tensor.item<T>()` in C++ to convert a 0-dim tensor to a number"
        )
    if n_real > self.ndim:
        raise IndexError(f"too many indices for tensor of dimension {self.ndim}")
    positions = list(range(len(parts)))  # where each part stands in the key (PyTorch's error names it)
    if Ellipsis in parts:
        at = parts.index(Ellipsis)
        filler = self.ndim - n_real
        parts = parts[:at] + (slice(None),) * filler + parts[at + 1 :]
        positions = positions[:at] + [at] * filler + positions[at + 1 :]
    result, dim = self, 0
    source_dim = 0  # the dimension of self that the part indexes
    for part, position in zip(parts, positions):
        if part is None:
            result = shape_ops.Unsqueeze.apply(result, dim)
            dim += 1
            continue
        size = self._data.shape[source_dim]
        source_dim += 1
        if isinstance(part, int):
            if not -size <= part < size:
                raise IndexError(f"index {part} is out of bounds for dimension {position} with size {size}")
            result = shape_ops.Select.apply(result, dim, part)
        else:
            if part.step is not None and part.step <= 0:
                raise ValueError("step must be greater than zero")
            if part != slice(None):
                result = shape_ops.Slice.apply(result, dim, part)
            dim += 1
    if result is self:  # x[:] or x[...]: still a new view, as in PyTorch
        if whole_tensor_key:
            return shape_ops.Alias.apply(self)
        result = shape_ops.Slice.apply(self, 0, slice(None))
    return result


def setitem(self, key, value):
    parts = key if isinstance(key, tuple) else (key,)
    if all(_is_basic(p) for p in parts):
        getitem(self.detach(), key)  # (only to check the key, with indexing's errors)
    else:
        _check_advanced_key(self, parts)
    value = _wrap_number(value, self)
    if value.dtype is not self.dtype:
        value = value.to(self.dtype)
    return _inplace(self, lambda src: shape_ops.CopySlices.apply(src, value, _numpy_key(key)), value)


Tensor.__getitem__, Tensor.__setitem__ = getitem, setitem
