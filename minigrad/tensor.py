"""``Tensor``: a numpy array plus what autograd needs to know about it — the bottom layer of minigrad.

A tensor carries its numbers (``.data``), whether gradients should flow to it (``requires_grad``),
where it came from (``grad_fn``: the backward-graph node of the operation that produced it, ``None``
for a *leaf*), its gradient after ``backward()`` (``.grad``, kept only for leaves unless you call
``retain_grad()``), and a *version counter* that counts in-place changes (autograd uses it to refuse
a gradient computed from numbers that were changed after they were saved).

This file imports nothing else of minigrad's but dtypes, printing and the grad-mode flags. The
layers above it give the tensor its behaviour, as PyTorch's Python ``torch/_tensor.py`` does on top
of its C++ ``TensorBase``: :mod:`minigrad.autograd` records graphs and runs backward, and the method
table :mod:`minigrad._tensor_ops` adds the operators (``+``, ``*``, ``exp``, ``sum``, ...; each picks
a ``Function`` from :mod:`minigrad.ops`) and the autograd methods (``backward``, ``register_hook``,
``retain_grad``): ``x.backward()`` calls ``minigrad.autograd.backward(x)``, as ``torch.Tensor.backward``
calls ``torch.autograd.backward``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from . import _dtypes, _printing, _warnings
from ._grad_state import grad_state

if TYPE_CHECKING:  # (for annotations only: autograd is the layer above)
    from .autograd.function import Node


class Size(tuple):
    """A tensor's shape: a tuple that prints like PyTorch's ``torch.Size([2, 3])``."""

    def __repr__(self):
        return f"minigrad.Size({list(self)})"

    def numel(self) -> int:
        n = 1
        for s in self:
            n *= s
        return n


class VersionCounter:
    """Counts in-place changes to a tensor's storage; shared by the tensor, its views and detach().
    (It starts at the class's 0; the first ``value += 1`` gives the counter its own value.)"""

    value = 0


def _version_counter_of(tensor: Tensor) -> VersionCounter:
    """``tensor``'s version counter, made now if it has none yet. Most results of operations are
    never changed in place, viewed or saved as an output, so a tensor starts without one (at
    version 0) and gets it only when something needs to share or move it."""
    counter = tensor._version_counter
    if counter is None:
        counter = tensor._version_counter = VersionCounter()
    return counter


def _bump_version(tensor: Tensor) -> None:
    """Record one in-place change of ``tensor``'s storage (seen by its views and saved copies)."""
    _version_counter_of(tensor).value += 1


_new_object = object.__new__


def _new_tensor(array: np.ndarray, dtype: _dtypes.dtype | None = None) -> Tensor:
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
    if grad_state["inference"]:
        t._is_inference = True
    return t


class Tensor:
    """A multi-dimensional array that can record the operations applied to it."""

    # Defaults shared by all tensors; an instance stores only what differs (cheap to create).
    # (_data, the numpy array, and _dtype are set on every tensor by _new_tensor.)
    _requires_grad = False
    _grad = None  # .grad
    _grad_fn = None  # the node that made this tensor (None: a leaf)
    _output_nr = 0  # which output of that node it is
    _grad_accumulator = None  # a leaf's AccumulateGrad node, by weak reference, once made
    _retains_grad = False  # retain_grad() was called
    _leaf_hooks = None  # a leaf's register_hook hooks (a non-leaf's live on its grad_fn)
    _post_accumulate_hooks = None
    _version_counter = None  # in-place changes; made when first needed (see _version_counter_of)
    _base = None  # the tensor this one is a view of
    _view_version = 0  # the base's version when the view was taken
    _is_inference = False  # made inside inference_mode
    _wrapped_number = False  # a Python number made a tensor (it promotes like a number)
    _returned_as_is_by = None  # the name of a custom Function that returned this input as is
    _known_zero = False  # a gradient known to be all zeros (see autograd.known_zeros)

    __array_ufunc__ = None  # numpy defers to our operators: np.float64(2) * t is a Tensor
    __hash__ = object.__hash__  # identity: == is elementwise, as in PyTorch

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
    def data(self) -> Tensor:
        """The numbers, as a tensor that shares storage but is cut off from the graph.
        Changes through ``.data`` are invisible to autograd (its version counter is separate):
        prefer ``detach()`` or ``with minigrad.no_grad():``."""
        return Tensor._make(self._data, self._dtype)

    @data.setter
    def data(self, value: Tensor) -> None:
        if not isinstance(value, Tensor):
            raise TypeError(f"Variable data has to be a tensor, but got {type(value).__name__}")
        if self._requires_grad and not value._dtype.is_floating_point:
            raise RuntimeError(
                "data set to a tensor that requires gradients must be floating point or complex dtype"
            )
        self._data = value._data
        self._dtype = value._dtype

    @property
    def dtype(self) -> _dtypes.dtype:
        return self._dtype

    @property
    def shape(self) -> Size:
        return Size(self._data.shape)

    @property
    def ndim(self) -> int:
        return self._data.ndim

    def dim(self) -> int:
        return self._data.ndim

    def numel(self) -> int:
        return int(self._data.size)

    nelement = numel

    @property
    def device(self) -> str:
        return "cpu"

    def _is_zerotensor(self) -> bool:
        """PyTorch's test for its "ZeroTensor": here, the known zeros of ``autograd.known_zeros``
        (the zero gradient of ``sgn``, as autograd.grad or a hook may hand it to you)."""
        return self._known_zero

    @property
    def is_leaf(self) -> bool:
        """True for tensors no operation produced while recording: those you made yourself, and
        every tensor that does not require grad."""
        return self._grad_fn is None

    @property
    def grad_fn(self) -> Node | None:
        """The backward-graph node that produced this tensor, or None for a leaf."""
        return self._grad_fn

    @property
    def requires_grad(self) -> bool:
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value: bool) -> None:
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

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Switch gradient tracking on (or off) for this leaf, in place; returns self."""
        if not self.is_leaf and not requires_grad:
            raise RuntimeError(
                "you can only change requires_grad flags of leaf variables. If you want "
                "to use a computed variable in a subgraph that doesn't require "
                "differentiation use var_no_grad = var.detach()."
            )
        if requires_grad and not self._dtype.is_floating_point:
            raise RuntimeError("only Tensors of floating point dtype can require gradients")
        if requires_grad and self._is_inference and not grad_state["inference"]:
            raise RuntimeError(
                "Setting requires_grad=True on inference tensor outside InferenceMode is not allowed."
            )
        if self.is_leaf:
            self._requires_grad = bool(requires_grad)
        return self

    @property
    def grad(self) -> Tensor | None:
        """The gradient accumulated by backward(); None until then, and always None on a non-leaf
        unless you called ``retain_grad()`` on it (reading it then warns, as PyTorch does)."""
        if self._grad_fn is not None and not self._retains_grad and self._grad is None:
            _warnings.warn(_warnings.NON_LEAF_GRAD)
        return self._grad

    @grad.setter
    def grad(self, value: Tensor | None) -> None:
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
    def retains_grad(self) -> bool:
        return self._retains_grad

    @property
    def output_nr(self) -> int:
        return self._output_nr

    @property
    def _version(self):
        """How many times this tensor's storage was changed in place. (Inference tensors keep no
        count, as in PyTorch: that is part of what ``inference_mode`` saves.)"""
        if self._is_inference:
            raise RuntimeError("Inference tensors do not track version counter.")
        counter = self._version_counter
        return 0 if counter is None else counter.value

    def is_floating_point(self) -> bool:
        return self._dtype.is_floating_point

    def is_inference(self) -> bool:
        return self._is_inference

    def detach(self) -> Tensor:
        """The same numbers (shared storage and version counter), cut off from the graph."""
        t = Tensor._make(self._data, self._dtype)
        t._version_counter = _version_counter_of(self)
        return t

    def detach_(self) -> Tensor:
        if self._base is not None:
            raise RuntimeError("Can't detach views in-place. Use detach() instead.")
        self._grad_fn = None
        self._requires_grad = False
        return self

    def __repr__(self) -> str:
        return _printing.tensor_repr(self)
