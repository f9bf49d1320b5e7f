"""``Tensor``: a numpy array plus what autograd needs to know about it.

A tensor carries its numbers (``.data``), whether gradients should flow to it (``requires_grad``),
where it came from (``grad_fn``: the backward-graph node of the operation that produced it, ``None``
for a *leaf*), and, after ``backward()``, its gradient (``.grad``, kept only for leaves unless you call
``retain_grad()``). Every operator below (``+``, ``*``, ``exp``, ``sum``, ...) calls a ``Function``
from :mod:`minigrad.ops`, which computes the value and records the graph.
"""

import math
import weakref

import numpy as np

from . import _dtypes, _printing, _warnings, autograd
from .autograd import grad_mode
from .autograd.function import AccumulateGrad, _add_hook, _version_counter_of


class Size(tuple):
    """A tensor's shape: a tuple that prints like PyTorch's ``torch.Size([2, 3])``."""

    def __repr__(self):
        return f"minigrad.Size({list(self)})"

    def numel(self):
        n = 1
        for s in self:
            n *= s
        return n


_NON_LEAF_GRAD_WARNING = (
    "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad attribute "
    "won't be populated during autograd.backward(). If you indeed want the .grad field to be populated "
    "for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. If you access the non-leaf "
    "Tensor by mistake, make sure you access the leaf Tensor instead. See "
    "github.com/pytorch/pytorch/pull/30531 for more information."
)


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


_grad_mode_state = grad_mode._state
_new_object = object.__new__


def _new_tensor(array, dtype=None):
    """A new leaf tensor wrapping ``array`` (no copy): what every operation returns its result in
    (``out`` in :mod:`minigrad.ops`). ``dtype`` defaults to the array's; an array of another type
    is converted. Inside ``inference_mode`` it is an inference tensor. (Its version counter is
    made when first needed: see ``_version_counter_of``.)"""
    if type(array) is not np.ndarray:
        array = np.asarray(array)  # numpy gives 0-d results as scalars, not arrays
    if dtype is None:
        dtype = _dtypes.from_numpy_dtype(array.dtype)
    elif array.dtype is not dtype.numpy and array.dtype != dtype.numpy:
        array = array.astype(dtype.numpy)
    t = _new_object(Tensor)
    t._data = array
    t._dtype = dtype
    if _grad_mode_state["inference"]:
        t._is_inference = True
    return t


class Tensor:
    """A multi-dimensional array that can record the operations applied to it."""

    # Defaults shared by all tensors; an instance stores only what differs (cheap to create).
    _requires_grad = False
    _grad = None
    _grad_fn = None
    _output_nr = 0
    _base = None
    _view_version = 0
    _retains_grad = False
    _grad_accumulator = None
    _leaf_hooks = None
    _post_accumulate_hooks = None
    _is_inference = False
    _wrapped_number = False
    _version_counter = None  # made when first needed (see _version_counter_of)
    _returned_as_is_by = None  # the name of a custom Function that returned this input as is
    _known_zero = False  # a gradient known to be all zeros (see ops._util.known_zeros)

    __array_ufunc__ = None  # numpy defers to our operators: np.float64(2) * t is a Tensor
    __hash__ = object.__hash__  # identity: == is elementwise, as in PyTorch

    def __init__(self, data=(), dtype=None, requires_grad=False):
        # ``minigrad.Tensor([1, 2])`` is float32, as ``torch.Tensor([1, 2])``; prefer minigrad.tensor().
        from ._factories import tensor

        t = tensor(data, dtype=dtype or _dtypes.float32, requires_grad=requires_grad)
        self.__dict__.update(t.__dict__)  # take over the new tensor's fields

    _make = staticmethod(_new_tensor)  # Tensor._make(array, dtype): see _new_tensor

    def _make_view(self, array):
        """A tensor that shares storage (and the version counter) with ``self``: ``array`` is a
        numpy view of ``self``'s numbers (same dtype)."""
        t = _new_tensor(array, self._dtype)
        t._base = self._base if self._base is not None else self
        t._version_counter = counter = _version_counter_of(self)
        t._view_version = counter.value
        return t

    def _alias(self):
        t = Tensor._make(self._data, self._dtype)
        t._version_counter = _version_counter_of(self)
        return t

    # --- what a tensor is ------------------------------------------------------------------
    @property
    def data(self):
        """The numbers, as a tensor that shares storage but is cut off from the graph.
        Changes through ``.data`` are invisible to autograd (its version counter is separate):
        prefer ``detach()`` or ``with minigrad.no_grad():``."""
        return Tensor._make(self._data, self._dtype)

    @data.setter
    def data(self, value):
        if not isinstance(value, Tensor):
            raise TypeError(f"Variable data has to be a tensor, but got {type(value).__name__}")
        if self._requires_grad and not value._dtype.is_floating_point:
            raise RuntimeError(
                "data set to a tensor that requires gradients must be floating point or complex dtype"
            )
        self._data = value._data
        self._dtype = value._dtype

    @property
    def dtype(self):
        return self._dtype

    @property
    def shape(self):
        return Size(self._data.shape)

    def size(self, dim=None):
        if dim is None:
            return Size(self._data.shape)
        return self._data.shape[_normalize_dim_of_shaped(dim, self._data.ndim)]

    @property
    def ndim(self):
        return self._data.ndim

    def dim(self):
        return self._data.ndim

    def numel(self):
        return int(self._data.size)

    nelement = numel

    @property
    def device(self):
        return "cpu"

    def _is_zerotensor(self):
        """PyTorch's test for its "ZeroTensor": here, the known zeros of ``ops._util.known_zeros``
        (the zero gradient of ``sgn``, as autograd.grad or a hook may hand it to you)."""
        return self._known_zero

    @property
    def is_leaf(self):
        """True for tensors no operation produced while recording: those you made yourself, and
        every tensor that does not require grad."""
        return self._grad_fn is None

    @property
    def grad_fn(self):
        """The backward-graph node that produced this tensor, or None for a leaf."""
        return self._grad_fn

    @property
    def requires_grad(self):
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value):
        if not self.is_leaf:
            hint = (
                ""
                if value
                else " If you want to use a computed variable in a subgraph that "
                "doesn't require differentiation use var_no_grad = var.detach()."
            )
            raise RuntimeError("you can only change requires_grad flags of leaf variables." + hint)
        if value and not self._dtype.is_floating_point:
            raise RuntimeError("only Tensors of floating point and complex dtype can require gradients")
        self._requires_grad = bool(value)

    def requires_grad_(self, requires_grad=True):
        """Switch gradient tracking on (or off) for this leaf, in place; returns self."""
        if not self.is_leaf and not requires_grad:
            raise RuntimeError(
                "you can only change requires_grad flags of leaf variables. If you want "
                "to use a computed variable in a subgraph that doesn't require "
                "differentiation use var_no_grad = var.detach()."
            )
        if requires_grad and not self._dtype.is_floating_point:
            raise RuntimeError("only Tensors of floating point dtype can require gradients")
        if requires_grad and self._is_inference and not grad_mode._state["inference"]:
            raise RuntimeError(
                "Setting requires_grad=True on inference tensor outside InferenceMode is not allowed."
            )
        if self.is_leaf:
            self._requires_grad = bool(requires_grad)
        return self

    @property
    def grad(self):
        """The gradient accumulated by backward(); None until then, and always None on a non-leaf
        unless you called ``retain_grad()`` on it (reading it then warns, as PyTorch does)."""
        if self._grad_fn is not None and not self._retains_grad and self._grad is None:
            _warnings.warn(_NON_LEAF_GRAD_WARNING)
        return self._grad

    @grad.setter
    def grad(self, value):
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(
                    f"assigned grad expected to be a Tensor or None but got grad of type "
                    f"{type(value).__name__}"
                )
            if value.shape != self.shape:
                raise RuntimeError(
                    f"attempting to assign a gradient of size '{list(value.shape)}' to a "
                    f"tensor of size '{list(self.shape)}'. Please ensure that the gradient "
                    "and the tensor are the same size"
                )
            if value.dtype is not self._dtype:  # (PyTorch's message goes on about its grad_dtype)
                raise RuntimeError(
                    f"attempting to assign a gradient with dtype '{value._dtype.cpp_name}' to a tensor "
                    f"with grad_dtype '{self._dtype.scalar_name}'. The gradient must match the "
                    "tensor's grad_dtype (defaults to the tensor's dtype)."
                )
        self._grad = value

    @property
    def retains_grad(self):
        return self._retains_grad

    @property
    def output_nr(self):
        return self._output_nr

    @property
    def _version(self):
        """How many times this tensor's storage was changed in place. (Inference tensors keep no
        count, as in PyTorch: that is part of what ``inference_mode`` saves.)"""
        if self._is_inference:
            raise RuntimeError("Inference tensors do not track version counter.")
        counter = self._version_counter
        return 0 if counter is None else counter.value

    def is_floating_point(self):
        return self._dtype.is_floating_point

    def is_inference(self):
        return self._is_inference

    # --- graph plumbing ---------------------------------------------------------------------
    def _gradient_edge(self):
        """Where gradients for this tensor go: ``(grad_fn, output_nr)``, or ``(AccumulateGrad, 0)``
        for a leaf that requires grad, or ``(None, 0)``."""
        if self._grad_fn is not None:
            return (self._grad_fn, self._output_nr)
        if not self._requires_grad:
            return (None, 0)
        acc = self._grad_accumulator() if self._grad_accumulator is not None else None
        if acc is None:
            acc = AccumulateGrad(self)
            self._grad_accumulator = weakref.ref(acc)
        return (acc, 0)

    def _check_view_is_current(self):
        if (
            self._base is not None
            and self._requires_grad
            and self._version_counter.value != self._view_version
        ):
            raise RuntimeError(
                "minigrad cannot use this view in autograd: its storage was modified in "
                "place after the view was taken, and minigrad (unlike PyTorch) does not "
                "rebuild a view's history. Take the view again after the in-place "
                "operation."
            )

    def retain_grad(self):
        """Keep this non-leaf's gradient in ``.grad`` during backward (leaves keep theirs anyway)."""
        if not self._requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self.is_leaf or self._retains_grad:
            return None
        self._grad_fn._add_retain_grad(self._output_nr, self)
        self._retains_grad = True
        return None

    def _retained_grad_add(self, grad):
        self._grad = grad.clone() if self._grad is None else self._grad + grad

    def register_hook(self, hook):
        """Call ``hook(grad)`` when this tensor's gradient is computed; if it returns a tensor, that
        replaces the gradient. Returns a handle whose ``remove()`` unregisters it."""
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self._grad_fn is not None:
            return self._grad_fn._register_tensor_hook(self._output_nr, hook)
        if self._leaf_hooks is None:
            self._leaf_hooks = []
        return _add_hook(self._leaf_hooks, hook)

    def register_post_accumulate_grad_hook(self, hook):
        """Call ``hook(tensor)`` each time backward has added into this leaf's ``.grad`` (not in
        ``autograd.grad``, which stores nothing). The hook must return None. Returns a handle."""
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self._grad_fn is not None:
            raise RuntimeError("post accumulate grad hooks cannot be registered on non-leaf tensors")
        if self._post_accumulate_hooks is None:
            self._post_accumulate_hooks = []
        return _add_hook(self._post_accumulate_hooks, hook)

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        """Compute the gradient of this tensor with respect to the graph's leaves and add it into
        their ``.grad``. See :func:`minigrad.autograd.backward`."""
        autograd.backward(self, gradient, retain_graph, create_graph, inputs=inputs)

    def detach(self):
        """The same numbers (shared storage and version counter), cut off from the graph."""
        t = Tensor._make(self._data, self._dtype)
        t._version_counter = _version_counter_of(self)
        return t

    def detach_(self):
        if self._base is not None:
            raise RuntimeError("Can't detach views in-place. Use detach() instead.")
        self._grad_fn = None
        self._requires_grad = False
        return self

    # --- conversion --------------------------------------------------------------------------
    def item(self):
        if self._data.size != 1:
            raise RuntimeError(f"a Tensor with {self._data.size} elements cannot be converted to Scalar")
        return self._data.reshape(()).item()

    def tolist(self):
        return self._data.tolist()

    def numpy(self):
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

    def __repr__(self):
        return _printing.tensor_repr(self)

    def __format__(self, spec):
        if self.ndim == 0:  # as PyTorch: f"{torch.tensor(4.0)}" is '4.0'
            return format(self.item(), spec)
        if spec:
            raise TypeError("unsupported format string passed to Tensor.__format__")
        return repr(self)

    def to(self, dtype):
        """A copy converted to ``dtype`` (differentiable: the gradient is converted back)."""
        if isinstance(dtype, str):  # to("cpu"): there is only one device
            return self
        if dtype is self._dtype:
            return self
        from .ops.elementwise import ToCopy

        return ToCopy.apply(self, dtype)

    def float(self):
        return self.to(_dtypes.float32)

    def double(self):
        return self.to(_dtypes.float64)

    def long(self):
        return self.to(_dtypes.int64)

    def bool(self):
        return self.to(_dtypes.bool)

    def _missing_dtype(self, name):
        raise TypeError(
            f"minigrad has no {name} dtype: its dtypes are float32 (the default), float64, int64 and "
            "bool (use .float(), .double(), .long() or .bool())"
        )

    def int(self):
        """PyTorch's int32: not in minigrad (a clear error rather than another dtype)."""
        self._missing_dtype("int32")

    def half(self):
        """PyTorch's float16: not in minigrad."""
        self._missing_dtype("float16")

    def cpu(self):
        return self

    def type(self, dtype=None):
        if dtype is None:
            return f"minigrad.{self._dtype.legacy_name}"
        return self.to(dtype)


from .autograd import function as _function  # noqa: E402

_function.Tensor = Tensor
from . import _tensor_ops  # noqa: E402,F401  (adds the operators and methods to Tensor)
