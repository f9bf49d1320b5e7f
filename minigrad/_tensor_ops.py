"""The method table of ``Tensor``, the top layer: thin wrappers that pick the ``Function`` from
:mod:`minigrad.ops` and call its ``apply``, and the autograd methods (``backward``, ``register_hook``,
``retain_grad``), which call :mod:`minigrad.autograd`. :mod:`minigrad.tensor` defines the class
with its state; this module adds the methods when ``minigrad`` is imported, as PyTorch's
``torch/_tensor.py`` does on top of its C++ ``TensorBase``. In-place methods (``add_``, ``+=``,
...) are here too."""

import builtins
import operator

import numpy as np

from . import (
    _dtypes,
    _factories,
    _indexing,  # noqa: F401  (x[key], x[key] = value)
    _warnings,
    autograd,
    return_types,
)
from ._arguments import (
    _NOT_GIVEN,
    _as_size,
    _no_sizes_error,
    _normalize_dim,
    _normalize_dim_of_shaped,
    _size_args,
    _wrap_number,
)
from ._inplace import _inplace, _others
from .autograd import hooks
from .autograd.function import gradient_edge
from .ops import arithmetic as ar
from .ops import division as dv
from .ops import elementwise as el
from .ops import linalg, reductions, softmax
from .ops import shape as shape_ops
from .tensor import Size, Tensor


# --- making one: Tensor(data) --------------------------------------------------------------------
def _init(self, data=(), dtype=None, requires_grad=False):
    """``minigrad.Tensor([1, 2])`` is float32, as ``torch.Tensor([1, 2])``; prefer minigrad.tensor()."""
    t = _factories.tensor(data, dtype=dtype or _dtypes.float32, requires_grad=requires_grad)
    self.__dict__.update(t.__dict__)  # take over the new tensor's fields


Tensor.__init__ = _init


def to(self, dtype):
    """A copy converted to ``dtype`` (differentiable: the gradient is converted back)."""
    if isinstance(dtype, str):  # to("cpu"): there is only one device
        return self
    if dtype is self._dtype:
        return self
    return el.ToCopy.apply(self, dtype)


Tensor.to = to


def size(self, dim=None):
    if dim is None:
        return Size(self._data.shape)
    return self._data.shape[_normalize_dim_of_shaped(dim, self._data.ndim)]


Tensor.size = size


# --- conversions: to Python numbers, lists, numpy, other dtypes -----------------------------------
def _item(self):
    if self._data.size != 1:
        raise RuntimeError(f"a Tensor with {self._data.size} elements cannot be converted to Scalar")
    return self._data.reshape(()).item()


def _tolist(self):
    return self._data.tolist()


def _numpy(self):
    if self._requires_grad:
        raise RuntimeError(
            "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead."
        )
    return self._data


def __array__(self, dtype=None, copy=None):
    array = self.numpy()
    return array.astype(dtype) if dtype is not None else array


def __float__(self):
    return float(self._one_number())


def __int__(self):
    return int(self._one_number())


def _one_number(self):
    if self._data.size != 1:
        raise ValueError("only one element tensors can be converted to Python scalars")
    return self.item()


def __index__(self):
    if self._dtype.is_floating_point or self._data.size != 1:
        raise TypeError("only integer tensors of a single element can be converted to an index")
    return int(self.item())


def __bool__(self):
    if self._data.size != 1:
        raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
    return bool(self.item())


def __len__(self):
    if self.ndim == 0:
        raise TypeError("len() of a 0-d tensor")
    return self._data.shape[0]


def __iter__(self):
    if self.ndim == 0:
        raise TypeError("iteration over a 0-d tensor")
    return (self[i] for i in range(self._data.shape[0]))


def __format__(self, spec):
    if self.ndim == 0:  # as PyTorch: f"{torch.tensor(4.0)}" is '4.0'
        return format(self.item(), spec)
    if spec:
        raise TypeError("unsupported format string passed to Tensor.__format__")
    return repr(self)


def _float(self):
    return self.to(_dtypes.float32)


def _double(self):
    return self.to(_dtypes.float64)


def _long(self):
    return self.to(_dtypes.int64)


def _bool(self):
    return self.to(_dtypes.bool)


def _missing_dtype(self, name):
    raise TypeError(
        f"minigrad has no {name} dtype: its dtypes are float32 (the default), float64, int64 and "
        "bool (use .float(), .double(), .long() or .bool())"
    )


def _int(self):
    """PyTorch's int32: not in minigrad (a clear error rather than another dtype)."""
    _missing_dtype(self, "int32")


def _half(self):
    """PyTorch's float16: not in minigrad."""
    _missing_dtype(self, "float16")


def _cpu(self):
    return self


def _type(self, dtype=None):
    if dtype is None:
        return f"minigrad.{self._dtype.legacy_name}"
    return self.to(dtype)


Tensor.item = _item
Tensor.tolist = _tolist
Tensor.numpy = _numpy
Tensor.__array__ = __array__
Tensor.__float__ = __float__
Tensor.__int__ = __int__
Tensor._one_number = _one_number
Tensor.__index__ = __index__
Tensor.__bool__ = __bool__
Tensor.__len__ = __len__
Tensor.__iter__ = __iter__
Tensor.__format__ = __format__
Tensor.float = _float
Tensor.double = _double
Tensor.long = _long
Tensor.bool = _bool
Tensor.int = _int
Tensor.half = _half
Tensor.cpu = _cpu
Tensor.type = _type


# --- autograd: backward and hooks (see minigrad.autograd) ------------------------------------------
def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
    """Compute the gradient of this tensor with respect to the graph's leaves and add it into
    their ``.grad``. See :func:`minigrad.autograd.backward`."""
    autograd.backward(self, gradient, retain_graph, create_graph, inputs=inputs)


Tensor.backward = backward
Tensor.register_hook = hooks.register_hook
Tensor.register_post_accumulate_grad_hook = hooks.register_post_accumulate_grad_hook
Tensor.retain_grad = hooks.retain_grad
Tensor._gradient_edge = gradient_edge

# --- arithmetic -----------------------------------------------------------------------------------


def add(self, other, alpha=1):
    return ar.Add.apply(self, _wrap_number(other, self), alpha)


def sub(self, other, alpha=1):
    return ar.Sub.apply(self, _wrap_number(other, self), alpha)


def mul(self, other):
    return ar.Mul.apply(self, _wrap_number(other, self))


def div(self, other, *, rounding_mode=_NOT_GIVEN):
    """``self / other``; with ``rounding_mode="floor"`` or ``"trunc"`` the quotient rounded down or
    toward zero (see :mod:`minigrad.ops.division`). (Given at all, even as None, the argument selects
    PyTorch's other overload, ``DivBackward2``.)"""
    if rounding_mode is _NOT_GIVEN:
        return ar.Div.apply(self, _wrap_number(other, self))
    return dv.DivMode.apply(self, _wrap_number(other, self), rounding_mode)


def floor_divide(self, other):
    return dv.FloorDivide.apply(self, other)


def remainder(self, other):
    if isinstance(other, Tensor):
        return dv.Remainder.apply(self, other)
    return dv.RemainderScalar.apply(self, other)


def fmod(self, other):
    if isinstance(other, Tensor):
        return dv.Fmod.apply(self, other)
    return dv.FmodScalar.apply(self, other)


def pow(self, exponent):
    if isinstance(exponent, Tensor):
        return ar.PowTensor.apply(self, exponent)
    return ar.Pow.apply(self, exponent)


def _rsub(self, other):
    return ar.RSub.apply(self, other)


def _rtruediv(self, other):
    return ar.Mul.apply(ar.Reciprocal.apply(self), _wrap_number(other, self))


def _rpow(self, other):
    return ar.RPow.apply(other, self)


def matmul(self, other):
    return linalg.matmul(self, other)


Tensor.add, Tensor.sub, Tensor.mul, Tensor.div, Tensor.pow = add, sub, mul, div, pow
Tensor.__add__ = Tensor.__radd__ = add
Tensor.__sub__, Tensor.__rsub__ = sub, _rsub
Tensor.__mul__ = Tensor.__rmul__ = mul
Tensor.__truediv__, Tensor.__rtruediv__ = div, _rtruediv
Tensor.__pow__, Tensor.__rpow__ = pow, _rpow
Tensor.floor_divide, Tensor.remainder, Tensor.fmod = floor_divide, remainder, fmod
Tensor.__floordiv__, Tensor.__mod__ = floor_divide, remainder
Tensor.__rfloordiv__ = lambda self, other: dv.FloorDivide.apply(other, self)
Tensor.__rmod__ = lambda self, other: dv.RRemainder.apply(other, self)
Tensor.__matmul__ = Tensor.matmul = Tensor.mm = matmul
Tensor.__neg__ = Tensor.neg = lambda self: ar.Neg.apply(self)
Tensor.reciprocal = lambda self: ar.Reciprocal.apply(self)
Tensor.square = lambda self: ar.Pow.apply(self, 2)
Tensor.subtract, Tensor.multiply, Tensor.divide = sub, mul, div


def dot(self, other):
    """The dot product of two vectors (1-dim tensors of the same size and dtype)."""
    if self._data.ndim != 1 or other._data.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {self._data.ndim}D and {other._data.ndim}D tensors")
    return linalg.Dot.apply(self, other)


Tensor.dot = dot

# --- elementwise functions ------------------------------------------------------------------------
Tensor.exp = lambda self: el.Exp.apply(self)
Tensor.log = lambda self: el.Log.apply(self)
Tensor.sin = lambda self: el.Sin.apply(self)
Tensor.cos = lambda self: el.Cos.apply(self)
Tensor.tanh = lambda self: el.Tanh.apply(self)
Tensor.sigmoid = lambda self: el.Sigmoid.apply(self)
Tensor.relu = lambda self: el.Relu.apply(self)
Tensor.sqrt = lambda self: el.Sqrt.apply(self)
Tensor.abs = Tensor.__abs__ = lambda self: el.Abs.apply(self)
Tensor.sign = lambda self: el.Sign.apply(self)
Tensor.log1p = lambda self: el.Log1p.apply(self)
Tensor.expm1 = lambda self: el.Expm1.apply(self)
Tensor.sgn = lambda self: el.Sgn.apply(self)
Tensor.clone = lambda self: el.Clone.apply(self)


def clamp(self, min=None, max=None):
    return el.Clamp.apply(self, min, max)


Tensor.clamp = Tensor.clip = clamp


def maximum(self, other):
    return el.Maximum.apply(self, _wrap_number(other, self))


def minimum(self, other):
    return el.Minimum.apply(self, _wrap_number(other, self))


Tensor.maximum, Tensor.minimum = maximum, minimum

# --- comparisons and logic (results are bool tensors, outside the graph) -------------------------


def _comparison(numpy_op):
    def compare(self, other):
        if other is None:
            return numpy_op is operator.ne
        return el.comparison(self, other, numpy_op)

    return compare


Tensor.__lt__, Tensor.__le__ = _comparison(np.less), _comparison(np.less_equal)
Tensor.__gt__, Tensor.__ge__ = _comparison(np.greater), _comparison(np.greater_equal)
Tensor.__eq__, Tensor.__ne__ = _comparison(np.equal), _comparison(np.not_equal)
Tensor.eq, Tensor.ne, Tensor.lt, Tensor.le, Tensor.gt, Tensor.ge = (
    Tensor.__eq__,
    Tensor.__ne__,
    Tensor.__lt__,
    Tensor.__le__,
    Tensor.__gt__,
    Tensor.__ge__,
)


def _logical(numpy_op):
    """``x.logical_and(y)``, ...: True/False of the elements taken as truth values, always bool."""

    def logical(self, other):
        return Tensor._make(numpy_op(self._data, _wrap_number(other, self)._data))

    return logical


def _bitwise(numpy_op, name):
    """``x & y``, ``x | y``, ``x ^ y``: bit by bit, on bool and integer tensors (on two masks, the
    logical and, or, xor). The result has the promoted dtype, as in PyTorch; floats raise."""

    def bitwise(self, other):
        other = _wrap_number(other, self)
        dtype = _dtypes.result_type(self, other)
        if dtype.is_floating_point:
            raise NotImplementedError(f"\"{name}_cpu\" not implemented for '{dtype.scalar_name}'")
        a, b = self._data.astype(dtype.numpy, copy=False), other._data.astype(dtype.numpy, copy=False)
        return Tensor._make(np.asarray(numpy_op(a, b)), dtype)

    return bitwise


def _invert(self):
    if self._dtype.is_floating_point:
        raise TypeError("~ (operator.invert) is only implemented on integer and Boolean-type tensors")
    return Tensor._make(np.invert(self._data), self._dtype)


Tensor.__and__ = Tensor.__rand__ = _bitwise(np.bitwise_and, "bitwise_and")
Tensor.__or__ = Tensor.__ror__ = _bitwise(np.bitwise_or, "bitwise_or")
Tensor.__xor__ = Tensor.__rxor__ = _bitwise(np.bitwise_xor, "bitwise_xor")
Tensor.__invert__ = _invert
Tensor.__pos__ = lambda self: self  # (+x is x, as in PyTorch)
Tensor.logical_and = _logical(np.logical_and)
Tensor.logical_or = _logical(np.logical_or)
Tensor.logical_xor = _logical(np.logical_xor)
Tensor.logical_not = lambda self: Tensor._make(np.logical_not(self._data))
Tensor.isnan = lambda self: Tensor._make(np.isnan(self._data))
Tensor.isfinite = lambda self: Tensor._make(np.isfinite(self._data))
Tensor.any = lambda self: Tensor._make(np.any(self._data))
Tensor.all = lambda self: Tensor._make(np.all(self._data))


def allclose(self, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    return bool(np.allclose(self._data, _wrap_number(other, self)._data, rtol, atol, equal_nan))


def equal(self, other):
    return self.shape == other.shape and bool(np.array_equal(self._data, other._data))


Tensor.allclose, Tensor.equal = allclose, equal


# --- reductions -----------------------------------------------------------------------------------
def _flag(keepdim):
    """keepdim as given, False when it was not."""
    return False if keepdim is _NOT_GIVEN else bool(keepdim)


def _keepdim_without_dim(fn):
    """PyTorch's error for ``x.sum(keepdim=True)``: there is no keepdim without dim (with
    ``dim=None`` written out, it is allowed: all dimensions, kept)."""
    return TypeError(
        f"{fn}() received an invalid combination of arguments - got (keepdim=bool, ), but expected one of:\n"
        " * (*, minigrad.dtype dtype = None)\n"
        " * (tuple of ints dim, bool keepdim = False, *, minigrad.dtype dtype = None)\n"
    )


def sum(self, dim=_NOT_GIVEN, keepdim=_NOT_GIVEN, *, dtype=None):
    """The sum of all elements (``SumBackward0``), or along ``dim`` (``SumBackward1``; ``dim=None``
    or ``[]``: along all of them, which with ``keepdim=True`` keeps them as size-1 dimensions).
    ``dtype``: convert to it first (to add float32 numbers in float64, or to count bools as floats)."""
    if dim is _NOT_GIVEN:
        if keepdim is not _NOT_GIVEN:
            raise _keepdim_without_dim("sum")
        return reductions.Sum.apply(self, None, False, dtype) if dtype else reductions.Sum.apply(self)
    return reductions.SumDim.apply(self, dim, _flag(keepdim), dtype)


def mean(self, dim=_NOT_GIVEN, keepdim=_NOT_GIVEN, *, dtype=None):
    """The mean of all elements, or along ``dim`` (as ``sum``)."""
    if dim is _NOT_GIVEN:
        if keepdim is not _NOT_GIVEN:
            raise _keepdim_without_dim("mean")
        return reductions.Mean.apply(self, None, False, dtype) if dtype else reductions.Mean.apply(self)
    return reductions.MeanDim.apply(self, dim, _flag(keepdim), dtype)


def _no_dim_none(fn, keepdim):
    """max and min have no ``dim=None`` (PyTorch's error)."""
    if keepdim is not _NOT_GIVEN:
        return TypeError(f"{fn}(): argument 'dim' (position 1) must be int, not NoneType")
    return TypeError(
        f"{fn}() received an invalid combination of arguments - got (dim=NoneType, ), but expected one of:\n"
        " * ()\n"
        "      didn't match because some of the keywords were incorrect: dim\n"
        " * (Tensor other)\n"
        "      didn't match because some of the keywords were incorrect: dim\n"
        " * (int dim, bool keepdim = False)\n"
    )


def max(self, dim=_NOT_GIVEN, keepdim=_NOT_GIVEN):
    """The largest element (``MaxBackward1``); along ``dim``, the named pair (values, indices); of
    two tensors, ``maximum``."""
    if isinstance(dim, Tensor):
        return maximum(self, dim)
    if dim is _NOT_GIVEN:
        return reductions.Max.apply(self)
    if dim is None:
        raise _no_dim_none("max", keepdim)
    return return_types.max(*reductions.MaxDim.apply(self, dim, _flag(keepdim)))


def min(self, dim=_NOT_GIVEN, keepdim=_NOT_GIVEN):
    if isinstance(dim, Tensor):
        return minimum(self, dim)
    if dim is _NOT_GIVEN:
        return reductions.Min.apply(self)
    if dim is None:
        raise _no_dim_none("min", keepdim)
    return return_types.min(*reductions.MinDim.apply(self, dim, _flag(keepdim)))


def _no_bool_arg(self, name):
    if self._dtype is _dtypes.bool:
        raise RuntimeError(f"{name}(): does not support bool input")


def argmax(self, dim=None, keepdim=False):
    _no_bool_arg(self, "argmax")
    if dim is None:  # the position in the flattened tensor (kept as 1 × 1 × ... with keepdim)
        index = np.argmax(self._data).astype(np.int64)
        return Tensor._make(index.reshape((1,) * self._data.ndim) if keepdim else index)
    return max(self, dim, keepdim).indices


def argmin(self, dim=None, keepdim=False):
    _no_bool_arg(self, "argmin")
    if dim is None:
        index = np.argmin(self._data).astype(np.int64)
        return Tensor._make(index.reshape((1,) * self._data.ndim) if keepdim else index)
    return min(self, dim, keepdim).indices


Tensor.sum, Tensor.mean, Tensor.max, Tensor.min = sum, mean, max, min
Tensor.argmax, Tensor.argmin = argmax, argmin


def _var_args(dim, unbiased, correction):
    """``var``'s overloads: ``var(unbiased)``, ``var(dim, unbiased, keepdim)`` and
    ``var(dim, correction=..., keepdim=...)``. Returns (dim, correction)."""
    if isinstance(dim, bool):  # x.var(False): the unbiased flag, not a dimension
        dim, unbiased = None, dim
    if correction is None:
        correction = 0 if unbiased is False else 1
    return dim, correction


def var(self, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """The variance over all elements or along ``dim``, dividing by N − correction (1 by default;
    ``unbiased=False`` or ``correction=0`` divide by N)."""
    dim, correction = _var_args(dim, unbiased, correction)
    dims = reductions._dims(dim, self._data.ndim)
    return reductions.Var.apply(self, dims, correction, bool(keepdim), dim is None)


def std(self, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """The standard deviation, the square root of ``var`` (same arguments)."""
    dim, correction = _var_args(dim, unbiased, correction)
    dims = reductions._dims(dim, self._data.ndim)
    return reductions.Std.apply(self, dims, correction, bool(keepdim), dim is None)


def amax(self, dim=(), keepdim=False):
    """The largest value along ``dim`` (all dimensions by default); ties share the gradient."""
    return reductions.Amax.apply(self, reductions._dims(dim, self._data.ndim), bool(keepdim))


def amin(self, dim=(), keepdim=False):
    return reductions.Amin.apply(self, reductions._dims(dim, self._data.ndim), bool(keepdim))


def logsumexp(self, dim=_NOT_GIVEN, keepdim=False):
    """log Σ exp(x) along ``dim`` (an int or a tuple), without overflow: see ops.reductions."""
    if dim is _NOT_GIVEN:
        raise TypeError('logsumexp() missing 1 required positional arguments: "dim"')
    if dim is None:
        raise TypeError("logsumexp(): argument 'dim' (position 2) must be tuple of ints, not NoneType")
    if isinstance(dim, list | tuple) and not dim:  # (sic: PyTorch's own error for dim=[])
        ones = ", ".join(["1"] * self._data.ndim)
        raise RuntimeError(f"output with shape [] doesn't match the broadcast shape [{ones}]")
    return reductions.Logsumexp.apply(self, reductions._dims(dim, self._data.ndim), bool(keepdim))


def cumsum(self, dim, *, dtype=None):
    """Running sums along ``dim``."""
    return reductions.Cumsum.apply(self, _normalize_dim(dim, self._data.ndim), dtype)


Tensor.var, Tensor.std, Tensor.amax, Tensor.amin, Tensor.cumsum = var, std, amax, amin, cumsum
Tensor.logsumexp = logsumexp


def norm(self, p=2, dim=None, keepdim=False):
    """The p-norm of all elements, or along ``dim`` (default: Euclidean), as one node."""
    return reductions.VectorNorm.apply(self, p, reductions._dims(dim, self._data.ndim), keepdim)


Tensor.norm = norm

# --- shapes ---------------------------------------------------------------------------------------


def _check_new_shape(shape, numel):
    """PyTorch's checks on a shape for ``reshape``/``view``: at most one -1 (the size to infer),
    no other negative size, and as many elements as the tensor has."""
    if shape.count(-1) > 1:
        raise RuntimeError("only one dimension can be inferred")
    known = 1
    for i, s in enumerate(shape):
        if s < -1:
            raise RuntimeError(f"invalid shape dimension {s} at index {i} of shape {list(shape)}")
        if s != -1:
            known *= s
    fits = numel % known == 0 if known and -1 in shape else known == numel
    if not fits:
        raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")


def reshape(self, *shape):
    """Same numbers in a new shape: a view when the memory layout allows, else a copy."""
    shape = _size_args(shape, "reshape", "shape", single_sequence_message=True)
    _check_new_shape(shape, self._data.size)
    if shape_ops.can_view(self._data, shape):  # (PyTorch names the view by the input's layout)
        view_op = shape_ops.View if self._data.flags["C_CONTIGUOUS"] else shape_ops.ReshapeAlias
        return view_op.apply(self, shape)
    return shape_ops.UnsafeView.apply(self, shape)


def view(self, *shape):
    """Same numbers in a new shape, always sharing memory; raises when the layout does not allow it
    (e.g. after a transpose: use reshape, or contiguous() first)."""
    if len(shape) == 1 and _as_size(shape[0]) is None and not isinstance(shape[0], tuple | list):
        kind = type(shape[0]).__name__  # (PyTorch's view has a dtype overload too: its message)
        raise TypeError(
            f"view() received an invalid combination of arguments - got ({kind}), but expected one of:\n"
            " * (minigrad.dtype dtype)\n"
            f"      didn't match because some of the arguments have invalid types: (!{kind}!)\n"
            " * (tuple of ints size)\n"
            f"      didn't match because some of the arguments have invalid types: (!{kind}!)\n"
        )
    shape = _size_args(shape, "view")
    _check_new_shape(shape, self._data.size)
    if not shape_ops.can_view(self._data, shape):
        raise RuntimeError(
            "view size is not compatible with input tensor's size and stride (at least "
            "one dimension spans across two contiguous subspaces). Use .reshape(...) "
            "instead."
        )
    return shape_ops.View.apply(self, shape)


def contiguous(self):
    if self._data.flags["C_CONTIGUOUS"]:
        return self
    return el.Clone.apply(self)


Tensor.contiguous = contiguous
Tensor.is_contiguous = lambda self: bool(self._data.flags["C_CONTIGUOUS"])


def stride(self, dim=None):
    """How many elements apart neighbours along each dimension are stored (numpy's strides, which
    count bytes, divided by the element size): ``(3, 1)`` for a contiguous 2×3 tensor, ``(1, 3)``
    for its transpose, which shares the same memory."""
    strides = tuple(s // self._data.itemsize for s in self._data.strides)
    return strides if dim is None else strides[_normalize_dim_of_shaped(dim, self.ndim)]


Tensor.stride = stride


def flatten(self, start_dim=0, end_dim=-1):
    """Dimensions ``start_dim`` to ``end_dim`` merged into one (a 0-dim tensor becomes 1-dim). When
    that is one dimension already, the result is the tensor itself, as in PyTorch (no new node)."""
    start, end = _normalize_dim(start_dim, self.ndim), _normalize_dim(end_dim, self.ndim)
    if self.ndim == 0:
        return self.reshape(1)
    if start > end:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if start == end:
        return self
    new = self.shape[:start] + (int(np.prod(self.shape[start : end + 1])),) + self.shape[end + 1 :]
    return self.reshape(new)


def expand(self, *sizes):
    return shape_ops.Expand.apply(self, _size_args(sizes, "expand"))


def flip(self, *dims):
    """The elements in reverse order along ``dims`` (a copy)."""
    dims = tuple(_normalize_dim(d, self._data.ndim) for d in _size_args(dims, "flip", "dims"))
    for d in dims:
        if dims.count(d) > 1:
            raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
    return shape_ops.Flip.apply(self, dims if self._data.ndim else ())  # (0-dim: nothing to reverse)


def _check_not_0dim(tensor, error):
    """Ops that cut along a dimension: a 0-dim tensor has none (``error`` is PyTorch's for the op)."""
    if not tensor._data.ndim:
        raise error


def split(self, split_size_or_sections, dim=0):
    """Cut along ``dim``: into pieces of ``split_size`` (the last one may be smaller), or of the
    sizes in a list. The pieces are views, all outputs of one node."""
    _check_not_0dim(self, RuntimeError("split expects at least a 1-dimensional tensor"))
    dim = _normalize_dim(dim, self._data.ndim)
    size = self._data.shape[dim]
    if isinstance(split_size_or_sections, list | tuple):
        sizes = [int(s) for s in split_size_or_sections]
        if builtins.sum(sizes) != size or any(s < 0 for s in sizes):
            raise RuntimeError(
                f"split_with_sizes expects split_sizes to sum exactly to {size} (input tensor's size at "
                f"dimension {dim}), but got split_sizes={sizes}"
            )
        return shape_ops.SplitWithSizes.apply(self, sizes, dim)
    step = int(split_size_or_sections)
    if step < 0:
        raise RuntimeError(f"split expects split_size be non-negative, but got split_size={step}")
    if step == 0 and size != 0:
        raise RuntimeError(
            f"split_size can only be 0 if dimension size is 0, but got dimension size of {size}"
        )
    sizes = [builtins.min(step, size - start) for start in range(0, size, step)] if step else [0]
    return shape_ops.Split.apply(self, sizes, dim)


def chunk(self, chunks, dim=0):
    """``chunks`` pieces of equal size along ``dim`` (fewer when the size does not allow; the last
    may be smaller): ``split`` with size ⌈size / chunks⌉."""
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    _check_not_0dim(self, RuntimeError("chunk expects at least a 1-dimensional tensor"))
    size = self._data.shape[_normalize_dim(dim, self._data.ndim)]
    return split(self, builtins.max(-(-size // chunks), 1) if size else 0, dim)


def unbind(self, dim=0):
    """The slices along ``dim``, as a tuple of views without that dimension."""
    return shape_ops.Unbind.apply(self, _normalize_dim_of_shaped(dim, self._data.ndim))


def index_select(self, dim, index):
    """The slices of ``dim`` at the positions in ``index`` (a 1-D int64 tensor), as a copy."""
    if not isinstance(index, Tensor):
        raise TypeError(
            f"index_select(): argument 'index' (position 2) must be Tensor, not {type(index).__name__}"
        )
    if index._dtype is not _dtypes.int64:
        raise RuntimeError("index_select(): Expected dtype int32 or int64 for index")
    if index._data.ndim > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    dim = _normalize_dim(dim, self._data.ndim)
    if not self._data.ndim and index._data.size != 1:
        raise RuntimeError(
            f"index_select(): Index to scalar can have only 1 value, got {index._data.size} value(s)"
        )
    size = self._data.shape[dim] if self._data.ndim else 1
    for i in index._data.reshape(-1).tolist():
        if not 0 <= i < size:  # (PyTorch's kernel for dimension 1 words it its own way)
            if dim == 1:
                raise RuntimeError(f"INDICES element is out of DATA bounds, id={i} axis_dim={size}")
            raise IndexError("index out of range in self")
    return shape_ops.IndexSelect.apply(self, dim, index._data.reshape(-1))


def repeat(self, *sizes):
    """The whole tensor tiled: ``sizes[i]`` copies along dimension i (extra sizes make new
    dimensions in front)."""
    repeats = _size_args(sizes, "repeat", "repeats")
    if len(repeats) < self._data.ndim:
        raise RuntimeError(
            "Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor"
        )
    padded = (1,) * (len(repeats) - self._data.ndim) + self._data.shape
    shape = [s * r for s, r in zip(padded, repeats)]
    for s in shape:
        if s < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {s}: {shape}")
    return shape_ops.Repeat.apply(self, repeats)


def narrow(self, dim, start, length):
    """``length`` elements of ``dim`` from ``start`` (a view, the same as slicing)."""
    _check_not_0dim(self, RuntimeError("narrow() cannot be applied to a 0-dim tensor."))
    dim = _normalize_dim(dim, self._data.ndim)
    size = self._data.shape[dim]
    if length < 0:
        raise RuntimeError("narrow(): length must be non-negative.")
    start = start + size if start < 0 else start
    if start + length > size:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({size}).")
    return shape_ops.Slice.apply(self, dim, slice(start, start + length))


def _triangle(op, name):
    def triangle(self, diagonal=0):
        if self._data.ndim < 2:
            raise RuntimeError(f"{name}: input tensor must have at least 2 dimensions")
        return op.apply(self, diagonal)

    triangle.__name__ = name
    return triangle


Tensor.split, Tensor.chunk, Tensor.unbind, Tensor.narrow = split, chunk, unbind, narrow
Tensor.index_select, Tensor.repeat = index_select, repeat
Tensor.tril, Tensor.triu = _triangle(shape_ops.Tril, "tril"), _triangle(shape_ops.Triu, "triu")


def permute(self, *dims):
    dims = _size_args(dims, "permute", "dims")
    if len(dims) != self._data.ndim:
        raise RuntimeError(
            "permute(sparse_coo): number of dimensions in the tensor input does not match the length of "
            f"the desired ordering of dimensions i.e. input.dim() = {self._data.ndim} is not equal to "
            f"len(dims) = {len(dims)}"
        )  # (sic: PyTorch's message names sparse tensors for dense ones too)
    dims = tuple(_normalize_dim(d, self.ndim) for d in dims)
    if len(set(dims)) != len(dims):
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return shape_ops.Permute.apply(self, dims)


def transpose(self, dim0, dim1):
    ndim = self._data.ndim
    return shape_ops.Transpose.apply(self, _normalize_dim(dim0, ndim), _normalize_dim(dim1, ndim))


def t(self):
    ndim = self._data.ndim
    if ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {ndim}D")
    return shape_ops.T.apply(self, 0, 1 if ndim == 2 else 0)


_warned = set()  # the deprecation warnings already given: PyTorch gives each once per process


def _warn_once(message):
    if message not in _warned:
        _warned.add(message)
        _warnings.warn(message)


def _T(self):
    """``x.T``: the dimensions reversed (for a matrix, its transpose). PyTorch deprecates it for
    tensors that are not matrices, and warns (once) as PyTorch does."""
    ndim = self._data.ndim
    if ndim == 0:
        _warn_once("Tensor.T is deprecated on 0-D tensors. This function is the identity in these cases.")
    elif ndim != 2:
        _warn_once(
            "The use of `x.T` on tensors of dimension other than 2 to reverse their shape is deprecated and "
            "it will throw an error in a future release. Consider `x.mT` to transpose batches of matrices "
            "or `x.permute(*minigrad.arange(x.ndim - 1, -1, -1))` to reverse the dimensions of a tensor."
        )
    return permute(self, tuple(reversed(range(ndim))))


def unsqueeze(self, dim):
    return shape_ops.Unsqueeze.apply(self, _normalize_dim(dim, self.ndim + 1))


def squeeze(self, dim=None):
    if dim is None:
        return shape_ops.Squeeze.apply(self)
    dims = (dim,) if isinstance(dim, int) else tuple(dim)
    return shape_ops.SqueezeDim.apply(self, tuple(_normalize_dim(d, self.ndim) for d in dims))


def select(self, dim, index):
    _check_not_0dim(self, IndexError("select() cannot be applied to a 0-dim tensor."))
    return shape_ops.Select.apply(self, _normalize_dim(dim, self.ndim), index)


Tensor.reshape, Tensor.view = reshape, view
Tensor.flatten, Tensor.expand, Tensor.permute, Tensor.transpose = flatten, expand, permute, transpose
Tensor.flip = flip


def _mT(self):
    if self._data.ndim == 0:  # (PyTorch: the tensor itself, deprecated)
        _warn_once("Tensor.mT is deprecated on 0-D tensors. This function is the identity in these cases.")
        return self
    if self._data.ndim < 2:
        raise RuntimeError(
            f"tensor.mT is only supported on matrices or batches of matrices. Got {self._data.ndim}-D tensor."
        )
    return transpose(self, -2, -1)


Tensor.t, Tensor.T, Tensor.mT = t, property(_T), property(_mT)
Tensor.unsqueeze, Tensor.squeeze, Tensor.select = unsqueeze, squeeze, select
Tensor.expand_as = lambda self, other: expand(self, other.shape)
Tensor.view_as = lambda self, other: view(self, other.shape)
Tensor.reshape_as = lambda self, other: reshape(self, other.shape)


def softmax_method(self, dim, dtype=None):
    """``dtype``: convert to it first (a ``ToCopyBackward0`` node when the dtype changes)."""
    source = self if dtype is None or dtype is self._dtype else self.to(dtype)
    return softmax.Softmax.apply(source, _normalize_dim(dim, self.ndim))


def log_softmax_method(self, dim, dtype=None):
    source = self if dtype is None or dtype is self._dtype else self.to(dtype)
    return softmax.LogSoftmax.apply(source, _normalize_dim(dim, self.ndim))


Tensor.softmax, Tensor.log_softmax = softmax_method, log_softmax_method


# --- new tensors like this one ----------------------------------------------------------------------
def _new_like(self, factory_name, *args, dtype=None, requires_grad=False):
    """``x.new_zeros(2, 3)`` and the like: a new tensor of x's dtype unless told otherwise."""
    if not args:
        raise _no_sizes_error("new_" + factory_name, "size")
    factory = getattr(_factories, factory_name)
    return factory(*args, dtype=dtype or self._dtype, requires_grad=requires_grad)


Tensor.new_zeros = lambda self, *size, **kw: _new_like(self, "zeros", *size, **kw)
Tensor.new_ones = lambda self, *size, **kw: _new_like(self, "ones", *size, **kw)
Tensor.new_full = lambda self, size, fill_value, **kw: _new_like(self, "full", size, fill_value, **kw)
Tensor.new_tensor = lambda self, data, **kw: _new_like(self, "tensor", data, **kw)


# --- gather and scatter -------------------------------------------------------------------------------
def _check_index(self, dim, index, op, src=None):
    """PyTorch's checks for gather/scatter: an int64 index of the same number of dimensions, no
    larger than self apart from ``dim`` (and than src), its positions inside ``dim``."""
    if not isinstance(index, Tensor) or index._dtype is not _dtypes.int64:
        raise RuntimeError(f"{op}(): Expected dtype int32/int64 for index")
    dim = _normalize_dim(dim, self.ndim)
    if index.ndim != self.ndim:
        raise RuntimeError("Index tensor must have the same number of dimensions as input tensor")
    for d, (i, s) in enumerate(zip(index.shape, self.shape)):
        too_large = (d != dim and i > s) or (src is not None and i > src.shape[d])
        if too_large and src is None:
            raise RuntimeError(
                f"Size does not match at dimension {d} expected index {list(index.shape)} to be no larger "
                f"than self {list(self.shape)} apart from dimension {dim}"
            )
        if too_large:
            raise RuntimeError(
                f"Expected index {list(index.shape)} to be no larger than self {list(self.shape)} apart "
                f"from dimension {dim} and to be no larger size than src {list(src.shape)}"
            )
    size = self.shape[dim] if self.ndim else 1
    for value in index.reshape(-1).tolist():
        if not 0 <= value < size:
            raise RuntimeError(f"index {value} is out of bounds for dimension {dim} with size {size}")
    return dim


def gather(self, dim, index):
    dim = _check_index(self, dim, index, "gather")
    return shape_ops.Gather.apply(self, dim, index._data)  # (the index as numbers: no edge)


def scatter(self, dim, index, src):
    if not isinstance(src, Tensor):
        dim = _check_index(self, dim, index, "scatter")
        return shape_ops.ScatterValue.apply(self, dim, index._data, src)
    if src.dtype is not self._dtype:
        raise RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")
    dim = _check_index(self, dim, index, "scatter", src)
    return shape_ops.Scatter.apply(self, dim, index._data, src)


def scatter_add(self, dim, index, src):
    if src.dtype is not self._dtype:
        raise RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")
    dim = _check_index(self, dim, index, "scatter_add", src)
    return shape_ops.ScatterAdd.apply(self, dim, index._data, src)


Tensor.gather, Tensor.scatter, Tensor.scatter_add = gather, scatter, scatter_add
Tensor.scatter_ = lambda self, dim, index, src: _inplace(
    self, lambda s: scatter(s, dim, index, src), *_others(src)
)
Tensor.scatter_add_ = lambda self, dim, index, src: _inplace(
    self, lambda s: scatter_add(s, dim, index, src), *_others(src)
)
