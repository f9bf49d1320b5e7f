"""Shape operations: they move numbers around without changing them, so backward moves the gradient
back the same way (reshape back, transpose back, put the picked elements back in place)."""

import numpy as np

from .._arguments import _normalize_dim
from ..autograd.function import Function
from ..tensor import Tensor
from ._util import _promoted_general, out, sum_to_shape, zeros
from .selection import where


class View(Function):
    """``reshape``/``view``: same numbers, new shape.   Backward reshapes the gradient back."""

    node_name = "ViewBackward0"
    known_zeros_pass = True

    @staticmethod
    def forward(ctx, x, shape):
        ctx.input_shape = x.shape
        try:
            return x._make_view(x._data.reshape(shape))
        except ValueError:
            raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {x.numel()}") from None

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx.input_shape), None


class ReshapeAlias(View):
    """``reshape`` of a tensor that is not contiguous but whose layout still allows a view (every
    other column, one column of a matrix): PyTorch's ``_reshape_alias``, the same rule as View."""

    node_name = "ReshapeAliasBackward0"


def can_view(array, shape):
    """True when ``array`` can be given ``shape`` without copying (numpy refuses to set the shape of
    a view in place exactly when a copy would be needed)."""
    view = array.view()
    try:
        view.shape = shape
    except (AttributeError, ValueError):
        return False
    return True


class UnsafeView(Function):
    """``reshape`` when the memory layout needs a copy (e.g. after a transpose): the numbers are
    copied into the new shape.   Backward reshapes the gradient back."""

    node_name = "UnsafeViewBackward0"

    @staticmethod
    def forward(ctx, x, shape):
        ctx.input_shape = x.shape
        try:
            return out(x._data.reshape(shape), x.dtype)
        except ValueError:
            raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {x.numel()}") from None

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx.input_shape), None


def expanded_shape(x, sizes):
    """The shape ``x.expand(*sizes)`` has (-1 keeps a size), checked with PyTorch's errors: sizes are
    matched from the right, and only dimensions of size 1 (or new ones, in front) can grow."""
    shape, new = x._data.shape, len(sizes) - x._data.ndim
    if new < 0:
        raise RuntimeError(
            f"expand(minigrad.{x._dtype.legacy_name}{{{list(shape)}}}, size={list(sizes)}): the number "
            f"of sizes provided ({len(sizes)}) must be greater or equal to the number of dimensions "
            f"in the tensor ({len(shape)})"
        )
    result = [None] * len(sizes)
    for i in reversed(range(len(sizes))):  # (from the right, as PyTorch checks them)
        size = sizes[i]
        if i < new:
            if size == -1:
                raise RuntimeError(
                    "The expanded size of the tensor (-1) isn't allowed in a leading, non-existing "
                    f"dimension {i}"
                )
            result[i] = size
            continue
        existing = shape[i - new]
        if size == -1:
            size = existing
        elif existing != 1 and size != existing:
            raise RuntimeError(
                f"The expanded size of the tensor ({size}) must match the existing size ({existing}) at "
                f"non-singleton dimension {i}.  Target sizes: {list(sizes)}.  Tensor sizes: {list(shape)}"
            )
        result[i] = size
    return tuple(result)


class Alias(Function):
    """``x[...]`` (or ``x[()]``): the whole tensor as a new view.   Backward: the gradient as is."""

    node_name = "AliasBackward0"
    known_zeros_pass = True

    @staticmethod
    def forward(ctx, x):
        return x._make_view(x._data[...])

    @staticmethod
    def backward(ctx, grad):
        return grad


class Expand(Function):
    """Repeat along dimensions of size 1 (broadcasting made explicit).   Backward sums the copies."""

    node_name = "ExpandBackward0"
    known_zeros_pass = True
    sums_to_shape = True  # (the gradient summed back to the input's shape)

    @staticmethod
    def forward(ctx, x, shape):
        ctx.input_shape = x.shape
        shape = expanded_shape(x, shape)
        return x._make_view(np.broadcast_to(x._data, shape))

    @staticmethod
    def backward(ctx, grad):
        return sum_to_shape(grad, ctx.input_shape), None


class Flip(Function):
    """Reverse the order along ``dims`` (a copy, as in PyTorch).   Backward flips the gradient back."""

    node_name = "FlipBackward0"

    @staticmethod
    def forward(ctx, x, dims):
        ctx.dims = dims
        return out(np.flip(x._data, dims).copy(), x._dtype)

    @staticmethod
    def backward(ctx, grad):
        return Flip.apply(grad, ctx.dims), None


class Permute(Function):
    """Reorder the dimensions (``x.T`` reverses them).   Backward applies the inverse order."""

    node_name = "PermuteBackward0"
    known_zeros_pass = True

    @staticmethod
    def forward(ctx, x, dims):
        ctx.dims = dims
        return x._make_view(x._data.transpose(dims))

    @staticmethod
    def backward(ctx, grad):
        return grad.permute(*np.argsort(ctx.dims).tolist()), None


class Transpose(Function):
    """Swap two dimensions.   Backward swaps them back."""

    node_name = "TransposeBackward0"
    known_zeros_pass = True

    @staticmethod
    def forward(ctx, x, dim0, dim1):
        ctx.dim0, ctx.dim1 = dim0, dim1
        a = x._data
        return x._make_view(a.swapaxes(dim0, dim1) if a.ndim else a[...])  # (0-dim: itself)

    @staticmethod
    def backward(ctx, grad):
        return grad.transpose(ctx.dim0, ctx.dim1), None, None


class T(Transpose):
    """``x.t()`` of a matrix.   Backward: ``grad.t()``."""

    node_name = "TBackward0"

    @staticmethod
    def backward(ctx, grad):
        return grad.t(), None, None


class Unsqueeze(Function):
    """Insert a dimension of size 1.   Backward removes it."""

    node_name = "UnsqueezeBackward0"
    known_zeros_pass = True

    @staticmethod
    def forward(ctx, x, dim):
        ctx.dim = dim
        return x._make_view(np.expand_dims(x._data, dim))

    @staticmethod
    def backward(ctx, grad):
        return grad.squeeze(ctx.dim), None


class Squeeze(Function):
    """Remove dimensions of size 1.   Backward puts them back."""

    node_name = "SqueezeBackward0"
    known_zeros_pass = True

    @staticmethod
    def forward(ctx, x, dims=None):
        ctx.input_shape = x.shape
        if dims is None:
            return x._make_view(np.squeeze(x._data))
        dims = tuple(d for d in dims if x._data.ndim and x.shape[d] == 1)
        return x._make_view(np.squeeze(x._data, axis=dims) if dims else x._data[...])

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx.input_shape), None


class SqueezeDim(Squeeze):
    node_name = "SqueezeBackward1"


class SqueezeDims(Squeeze):
    """The squeeze that ``matmul`` of a vector and a matrix ends with."""

    node_name = "SqueezeBackward4"


class Select(Function):
    """``x[i]`` along one dimension (that dimension disappears).   Backward puts the gradient at
    position i of a zero tensor of the input's shape."""

    node_name = "SelectBackward0"

    @staticmethod
    def forward(ctx, x, dim, index):
        size = x.shape[dim]
        if not -size <= index < size:
            raise IndexError(f"index {index} is out of bounds for dimension {dim} with size {size}")
        ctx.input_shape, ctx.key = x.shape, (slice(None),) * dim + (index,)
        # (with ``...`` numpy returns a view even for a single element, not a copy as a scalar)
        return x._make_view(x._data[ctx.key + (Ellipsis,)])

    @staticmethod
    def backward(ctx, grad):
        return SelectBackward.apply(grad, ctx.input_shape, ctx.key), None, None


class Slice(Select):
    """``x[a:b:c]`` along one dimension.   Backward: the gradient goes back into the slice, zeros
    elsewhere."""

    node_name = "SliceBackward0"

    @staticmethod
    def forward(ctx, x, dim, index):
        ctx.input_shape, ctx.key = x.shape, (slice(None),) * dim + (index,)
        # (with ``...`` numpy returns a view even for a single element, not a copy as a scalar)
        return x._make_view(x._data[ctx.key + (Ellipsis,)])

    @staticmethod
    def backward(ctx, grad):
        return SliceBackward.apply(grad, ctx.input_shape, ctx.key), None, None


class Index(Function):
    """Advanced indexing (``x[[0, 2]]``, ``x[mask]``): a copy of the picked elements.   Backward adds
    the gradient back at the picked places — twice for an index picked twice."""

    node_name = "IndexBackward0"

    @staticmethod
    def forward(ctx, x, key):
        ctx.input_shape, ctx.key = x.shape, key
        try:
            return out(x._data[key], x.dtype)
        except IndexError as error:
            raise IndexError(str(error)) from None

    @staticmethod
    def backward(ctx, grad):
        base = zeros(ctx.input_shape, grad.dtype)
        return IndexPutAccumulate.apply(base, grad, ctx.key), None


class IndexPutAccumulate(Function):
    """The backward of advanced indexing, as PyTorch computes it: ``base`` (zeros) with ``values``
    added at ``key`` — twice where an index repeats. Its own backward (for second derivatives):
    base gets the gradient, values the gradient at ``key``."""

    node_name = "IndexPutImplBackward0"

    @staticmethod
    def forward(ctx, base, values, key):
        ctx.key = key
        result = base._data.copy()
        np.add.at(result, key, values._data)
        return out(result, base.dtype)

    @staticmethod
    def backward(ctx, grad):
        return grad if ctx.needs_input_grad[0] else None, grad[ctx.key], None


class SelectBackward(Function):
    """``x[i]``'s backward as one operation, as PyTorch has it (``select_backward``): zeros of the
    input's shape with the gradient written at i. Its own backward is ``x[i]`` again."""

    node_name = "SelectBackwardBackward0"

    @staticmethod
    def forward(ctx, grad, shape, key):
        ctx.key = key
        result = np.zeros(shape, dtype=grad.dtype.numpy)
        result[key] = grad._data  # (each place once: a plain assignment)
        return out(result, grad.dtype)

    @staticmethod
    def backward(ctx, grad):
        return grad[ctx.key], None, None


class SliceBackward(SelectBackward):
    """``x[a:b]``'s backward (``slice_backward``)."""

    node_name = "SliceBackwardBackward0"


# --- gather and scatter: one position per element, along one dimension ------------------------------
def _positions(index, dim):
    """numpy index arrays that address, for each element of ``index``, the place it names along
    ``dim`` (and its own place along the other dimensions)."""
    if not index.ndim:  # (a 0-dim tensor's single element: the key ())
        return ()
    grids = list(np.indices(index.shape, sparse=True))
    grids[dim] = index
    return tuple(grids)


def _leading(shape):
    """The key of the first ``shape`` elements of a larger array (PyTorch lets src be larger than
    index: the rest of src is not used)."""
    return tuple(slice(0, n) for n in shape)


class Gather(Function):
    """``x.gather(dim, index)``: out[i][j] = x[index[i][j]][j] (for dim 0).   Backward: the
    gradient added back at the places that were picked (twice where one was picked twice)."""

    node_name = "GatherBackward0"

    @staticmethod
    def forward(ctx, x, dim, index):
        ctx.input_shape, ctx.dim, ctx.index = x.shape, dim, index
        return out(x._data[_positions(index, dim)], x.dtype)

    @staticmethod
    def backward(ctx, grad):
        base = zeros(ctx.input_shape, grad.dtype)
        return ScatterAdd.apply(base, ctx.dim, ctx.index, grad), None, None


class ScatterAdd(Function):
    """``x.scatter_add(dim, index, src)``: x with src's elements added at the places index names.
    Backward: x gets the gradient; src the gradient at those places."""

    node_name = "ScatterAddBackward0"

    @staticmethod
    def forward(ctx, x, dim, index, src):
        ctx.dim, ctx.index, ctx.src_shape = dim, index, src.shape
        result = x._data.copy()
        np.add.at(result, _positions(index, dim), src._data[_leading(index.shape)])
        return out(result, x.dtype)

    @staticmethod
    def backward(ctx, grad):
        return grad, None, None, _gradient_of_src(ctx, grad)


class Scatter(ScatterAdd):
    """``x.scatter(dim, index, src)``: x with src's elements written at the places index names.
    Backward: x gets the gradient except there (overwritten: exactly 0); src the gradient there."""

    node_name = "ScatterBackward0"

    @staticmethod
    def forward(ctx, x, dim, index, src):
        ctx.dim, ctx.index, ctx.src_shape = dim, index, src.shape
        result = x._data.copy()
        result[_positions(index, dim)] = src._data[_leading(index.shape)]
        return out(result, x.dtype)

    @staticmethod
    def backward(ctx, grad):
        grad_x = ScatterValue.apply(grad, ctx.dim, ctx.index, 0)
        return grad_x, None, None, _gradient_of_src(ctx, grad)


class ScatterValue(Function):
    """``x.scatter(dim, index, value)`` with a number: x with value written at the places index
    names. Backward: the gradient, exactly 0 at those places."""

    node_name = "ScatterBackward1"

    @staticmethod
    def forward(ctx, x, dim, index, value):
        ctx.dim, ctx.index = dim, index
        result = x._data.copy()
        result[_positions(index, dim)] = value
        return out(result, x.dtype)

    @staticmethod
    def backward(ctx, grad):
        return ScatterValue.apply(grad, ctx.dim, ctx.index, 0), None, None, None


def _gradient_of_src(ctx, grad):
    """src's gradient in a scatter: the gradient at the places index names, gathered; zeros for the
    elements of a src larger than index, which were not used."""
    picked = Gather.apply(grad, ctx.dim, ctx.index)
    if tuple(ctx.src_shape) == tuple(ctx.index.shape):
        return picked
    return SelectBackward.apply(picked, ctx.src_shape, _leading(ctx.index.shape))


class CopySlices(Function):
    """``x[key] = value`` as a graph operation: the result is ``x`` with ``value`` written at ``key``.
    Backward: ``x`` gets the gradient except at ``key`` (overwritten there); ``value`` gets the
    gradient at ``key``, summed back to its shape."""

    node_name = "CopySlices"
    qualified_node_name = "minigrad::autograd::CopySlices"

    @staticmethod
    def forward(ctx, x, value, key):
        ctx.key, ctx.value_shape = key, value.shape
        result = x._data.copy()
        result[key] = value._data
        return out(result, x.dtype)

    @staticmethod
    def backward(ctx, grad):

        kept = np.ones(grad.shape, dtype=bool)
        kept[ctx.key] = False
        grad_x = where(out(kept, None), grad, 0)  # (exactly 0 where overwritten, as in PyTorch)
        grad_value = sum_to_shape(grad[ctx.key], ctx.value_shape)
        return grad_x, grad_value, None


class Stack(Function):
    """Join tensors along a new dimension.   Backward hands each input its slice of the gradient."""

    node_name = "StackBackward0"
    known_zeros_pass = True

    @staticmethod
    def forward(ctx, dim, *tensors):
        if not tensors:
            raise RuntimeError("stack expects a non-empty TensorList")
        for i, t in enumerate(tensors):
            if t.shape != tensors[0].shape:
                raise RuntimeError(
                    f"stack expects each tensor to be equal size, but got {list(tensors[0].shape)} at "
                    f"entry 0 and {list(t.shape)} at entry {i}"
                )
        ctx.dim, ctx.count = dim, len(tensors)

        dtype, arrays = _promoted_general(tensors)  # (their dtype; no broadcasting check)
        return out(np.stack(arrays, axis=dim), dtype)

    @staticmethod
    def backward(ctx, grad):
        return (None, *(grad.select(ctx.dim, i) for i in range(ctx.count)))


class Cat(Function):
    """Join tensors along an existing dimension.   Backward cuts the gradient into the pieces."""

    node_name = "CatBackward0"
    known_zeros_pass = True

    @staticmethod
    def forward(ctx, dim, *tensors):
        if not tensors:
            raise ValueError("minigrad.cat(): expected a non-empty list of Tensors")
        first = tensors[0].shape
        for i, t in enumerate(tensors):
            if t.ndim != len(first):
                raise RuntimeError(
                    f"Tensors must have same number of dimensions: got {len(first)} and {t.ndim}"
                )
            for d, (a, b) in enumerate(zip(first, t.shape)):
                if d != dim % len(first) and a != b:
                    raise RuntimeError(
                        f"Sizes of tensors must match except in dimension {dim}. Expected size {a} but got "
                        f"size {b} for tensor number {i} in the list."
                    )
        ctx.dim, ctx.sizes = dim, [t.shape[dim] for t in tensors]

        dtype, arrays = _promoted_general(tensors)  # (their dtype; no broadcasting check)
        return out(np.concatenate(arrays, axis=dim), dtype)

    @staticmethod
    def backward(ctx, grad):
        pieces, start = [], 0
        for size in ctx.sizes:
            key = (slice(None),) * (ctx.dim % grad.ndim) + (slice(start, start + size),)
            pieces.append(grad[key])
            start += size
        return (None, *pieces)


class Split(Function):
    """Cut along ``dim`` into pieces of ``sizes`` (``x.split(2)``, ``x.chunk(3)``): one node with
    one output per piece, each a view. Backward joins the pieces' gradients again (zeros for a
    piece that got none)."""

    node_name = "SplitBackward0"

    @staticmethod
    def forward(ctx, x, sizes, dim):
        ctx.dim = dim
        ends = np.cumsum(sizes)
        key = (slice(None),) * dim
        return tuple(x._make_view(x._data[key + (slice(end - size, end),)]) for size, end in zip(sizes, ends))

    @staticmethod
    def backward(ctx, *grads):
        return Cat.apply(ctx.dim, *grads), None, None


class SplitWithSizes(Split):
    """``x.split([1, 4])``: the same, PyTorch's other node."""

    node_name = "SplitWithSizesBackward0"


class Unbind(Function):
    """The slices along ``dim``, each without that dimension (``a, b = x.unbind(0)``).   Backward
    stacks their gradients."""

    node_name = "UnbindBackward0"

    @staticmethod
    def forward(ctx, x, dim):
        ctx.dim = dim
        key = (slice(None),) * dim
        return tuple(x._make_view(x._data[key + (i, Ellipsis)]) for i in range(x._data.shape[dim]))

    @staticmethod
    def backward(ctx, *grads):
        return Stack.apply(ctx.dim, *grads), None


class IndexSelect(Function):
    """The slices of ``dim`` at ``index`` (a copy; an index may repeat).   Backward adds each
    gradient slice back where it came from (twice for an index given twice). (``index`` comes as
    a numpy array: it is not differentiable, and the node has no edge for it, as in PyTorch.)"""

    node_name = "IndexSelectBackward0"

    @staticmethod
    def forward(ctx, x, dim, index):
        ctx.input_shape, ctx.dim, ctx.index = x.shape, dim, index
        if not x._data.ndim:  # (a 0-dim tensor: its one element, picked by the one index there is)
            return out(x._data.copy(), x._dtype)
        return out(np.take(x._data, index, axis=dim), x._dtype)

    @staticmethod
    def backward(ctx, grad):
        return IndexAdd.apply(zeros(ctx.input_shape, grad.dtype), ctx.dim, ctx.index, grad), None, None


class IndexAdd(Function):
    """``x`` with ``source``'s slices added at ``index`` along ``dim`` (PyTorch's index_add, the
    backward of index_select).   ∂/∂x = grad, ∂/∂source = grad.index_select(dim, index)."""

    node_name = "IndexAddBackward0"

    @staticmethod
    def forward(ctx, x, dim, index, source):
        ctx.dim, ctx.index = dim, index
        result = x._data.copy()
        if not result.ndim:  # (a 0-dim tensor: its one element, at the one index there is)
            return out(result + source._data.reshape(()), x._dtype)
        np.add.at(result, (slice(None),) * dim + (index,), source._data)
        return out(result, x._dtype)

    @staticmethod
    def backward(ctx, grad):
        grad_source = IndexSelect.apply(grad, ctx.dim, ctx.index) if ctx.needs_input_grad[3] else None
        return grad, None, None, grad_source


class Repeat(Function):
    """Tile the whole tensor ``repeats`` times along each dimension (new dimensions in front).
    Backward: PyTorch's repeat_backward, the gradient reshaped so that each copy has its own
    dimension, then summed over those."""

    node_name = "RepeatBackward0"

    @staticmethod
    def forward(ctx, x, repeats):
        ctx.input_shape, ctx.repeats = x.shape, repeats
        return out(np.tile(x._data, repeats), x._dtype)

    @staticmethod
    def backward(ctx, grad):
        shape, repeats = ctx.input_shape, ctx.repeats
        if 0 in repeats:
            return zeros(shape, grad.dtype), None
        for _ in range(grad.ndim - len(shape)):  # the new leading dimensions
            grad = grad.sum(0)
        split_shape, summed = [], []
        for size, repeat in zip(shape, repeats[len(repeats) - len(shape) :]):
            if repeat != 1:
                split_shape.append(repeat)
                summed.append(len(split_shape) - 1)
            split_shape.append(size)
        if not summed:
            return grad, None
        return grad.reshape(split_shape).sum(summed), None


class Tril(Function):
    """The lower triangle (on and below diagonal ``k``), zeros above.   Backward: the same of the
    gradient."""

    node_name = "TrilBackward0"

    @staticmethod
    def forward(ctx, x, k):
        ctx.k = k
        return out(np.tril(x._data, k), x._dtype)

    @staticmethod
    def backward(ctx, grad):
        return Tril.apply(grad, ctx.k), None


class Triu(Function):
    """The upper triangle (on and above diagonal ``k``), zeros below."""

    node_name = "TriuBackward0"

    @staticmethod
    def forward(ctx, x, k):
        ctx.k = k
        return out(np.triu(x._data, k), x._dtype)

    @staticmethod
    def backward(ctx, grad):
        return Triu.apply(grad, ctx.k), None


# --- minigrad.stack and minigrad.cat ---------------------------------------------------------------
def stack(tensors, dim=0):
    if tensors:
        dim = _normalize_dim(dim, tensors[0].ndim + 1)  # (the new dimension can be the last)
    return Stack.apply(dim, *tensors)


def cat(tensors, dim=0):
    for i, t in enumerate(tensors):
        if isinstance(t, Tensor) and not t._data.ndim:
            raise RuntimeError(f"zero-dimensional tensor (at position {i}) cannot be concatenated")
    if tensors:
        dim = _normalize_dim(dim, tensors[0].ndim)
    return Cat.apply(dim, *tensors)
