"""In-place operations: ``add_``, ``x += 1``, ``zero_``, ``copy_``, ... Part of the method table (see
:mod:`minigrad._tensor_ops`). Each computes the out-of-place result with autograd's rules (the
tensor's history moves to the new node), then writes it into the tensor's storage and counts one
more version, so that a backward that saved the old numbers refuses to use them."""

import numpy as np

from . import _dtypes
from ._arguments import _NOT_GIVEN, _wrap_number
from ._grad_state import grad_state
from .ops import elementwise as el
from .tensor import Tensor, _bump_version


# --- in-place operations --------------------------------------------------------------------------
def _inplace(self, compute, *others):
    """Do an operation in place, the way PyTorch does: compute the result out of place (from a copy
    of ``self`` that keeps its place in the graph), write it into ``self``'s storage, bump the version
    counter, and make the new node ``self``'s ``grad_fn``."""
    recording = grad_state["enabled"]
    if recording and self._requires_grad and self._grad_fn is None:
        raise RuntimeError("a leaf Variable that requires grad is being used in an in-place operation.")
    if self._known_zero:  # (sgn's known-zero gradient, as PyTorch's ZeroTensor)
        raise RuntimeError(
            "ZeroTensors are immutable. Please use the materialized zero tensor obtained using .clone() "
            "if you want a mutable tensor."
        )
    if self._is_inference and not grad_state["inference"]:
        raise RuntimeError(
            "Inplace update to inference tensor outside InferenceMode is not allowed."
            "You can make a clone to get a normal tensor before doing inplace update."
            "See https://github.com/pytorch/rfcs/pull/17 for more details."
        )
    track = recording and (self._requires_grad or any(o._requires_grad for o in others))
    if track and self._base is not None and self._base._requires_grad and self._base._grad_fn is None:
        raise RuntimeError(
            "a view of a leaf Variable that requires grad is being used in an in-place operation."
        )
    if track and self._returned_as_is_by is not None:
        raise RuntimeError(
            f"Output {self._output_nr} of {self._returned_as_is_by} is a view and is being modified inplace. "
            "This view was created inside a custom Function (or because an input was returned as-is) and the "
            "autograd logic to handle view+inplace would override the custom backward associated with the "
            "custom Function, leading to incorrect gradients. This behavior is forbidden. You can fix this "
            "by cloning the output of the custom Function."
        )
    if track and self._base is not None:
        raise RuntimeError(
            "minigrad does not support in-place operations on a view that takes part in "
            "autograd (PyTorch rewrites the view's history; minigrad does not). Use an "
            "out-of-place operation instead, e.g. y = y * 2."
        )
    source = self
    if track:
        source = Tensor._make(self._data.copy(), self._dtype)
        source._grad_fn, source._output_nr = self._grad_fn, self._output_nr
        source._requires_grad = self._requires_grad
    result = compute(source)
    if result._dtype is not self._dtype and _dtypes._category(result._dtype) > _dtypes._category(self._dtype):
        raise RuntimeError(
            f"result type {result.dtype.scalar_name} can't be cast to the desired "
            f"output type {self._dtype.scalar_name}"
        )
    if result._data.shape != self._data.shape:
        raise RuntimeError(
            f"output with shape {list(self.shape)} doesn't match the broadcast shape {list(result.shape)}"
        )
    self._data[...] = result._data  # write into the storage itself (views see it too)
    _bump_version(self)
    if track and result._grad_fn is not None:
        self._grad_fn, self._output_nr, self._requires_grad = result._grad_fn, result._output_nr, True
        if self._retains_grad:
            self._retains_grad = False
            self.retain_grad()
    return self


def _others(*values):
    return [v for v in values if isinstance(v, Tensor)]


Tensor.add_ = lambda self, other, alpha=1: _inplace(self, lambda s: s.add(other, alpha), *_others(other))
Tensor.sub_ = lambda self, other, alpha=1: _inplace(self, lambda s: s.sub(other, alpha), *_others(other))
Tensor.mul_ = lambda self, other: _inplace(self, lambda s: s.mul(other), *_others(other))


def div_(self, other, *, rounding_mode=_NOT_GIVEN):
    return _inplace(self, lambda s: s.div(other, rounding_mode=rounding_mode), *_others(other))


Tensor.div_ = div_
Tensor.floor_divide_ = lambda self, other: _inplace(self, lambda s: s.floor_divide(other), *_others(other))
Tensor.remainder_ = lambda self, other: _inplace(self, lambda s: s.remainder(other), *_others(other))
Tensor.fmod_ = lambda self, other: _inplace(self, lambda s: s.fmod(other), *_others(other))
Tensor.clamp_ = lambda self, min=None, max=None: _inplace(self, lambda s: s.clamp(min, max))
Tensor.relu_ = lambda self: _inplace(self, lambda s: el.Relu.apply(s))
Tensor.exp_ = lambda self: _inplace(self, lambda s: el.Exp.apply(s))
Tensor.pow_ = lambda self, exponent: _inplace(self, lambda s: s.pow(exponent), *_others(exponent))
Tensor.masked_fill = lambda self, mask, value: el.masked_fill(self, mask, value)
Tensor.masked_fill_ = lambda self, mask, value: _inplace(
    self, lambda s: el.masked_fill(s, mask, value), *_others(value)
)
Tensor.clamp_min = lambda self, min: el.ClampMin.apply(self, min)
Tensor.clamp_max = lambda self, max: el.ClampMax.apply(self, max)
Tensor.clamp_min_ = lambda self, min: _inplace(self, lambda s: el.ClampMin.apply(s, min))
Tensor.clamp_max_ = lambda self, max: _inplace(self, lambda s: el.ClampMax.apply(s, max))


def _inplace_method(name):
    """``x.tanh_()`` from ``x.tanh()``: the method's result written into x."""
    return lambda self: _inplace(self, lambda s: getattr(s, name)())


for _name in "neg log log1p expm1 sin cos tanh sigmoid sqrt abs sign sgn reciprocal square".split():
    setattr(Tensor, _name + "_", _inplace_method(_name))
del _name
Tensor.__iadd__, Tensor.__isub__ = Tensor.add_, Tensor.sub_
Tensor.__imul__, Tensor.__itruediv__ = Tensor.mul_, Tensor.div_
Tensor.__ifloordiv__, Tensor.__imod__ = Tensor.floor_divide_, Tensor.remainder_


def zero_(self):
    """Fill with zeros, in place (``x.grad.zero_()`` resets an accumulated gradient)."""
    return _inplace(self, lambda s: el.Zero.apply(s, 0))


def fill_(self, value):
    if isinstance(value, Tensor):
        return _inplace(self, lambda s: el.FillWithTensor.apply(s, value), value)
    return _inplace(self, lambda s: el.Fill.apply(s, value))


def copy_(self, src):
    src = _wrap_number(src, self)
    return _inplace(self, lambda s: el.CopyFrom.apply(s, src), src)


Tensor.zero_, Tensor.fill_, Tensor.copy_ = zero_, fill_, copy_


# --- an optimizer's step ------------------------------------------------------------------------
def add_untracked_(param: Tensor, update: Tensor, alpha: float) -> Tensor:
    """``param.add_(update, alpha=alpha)`` for an optimizer step, written straight into the storage.

    A step records nothing, so the bookkeeping of an in-place *operation* (a Function call, a copy
    kept for the graph) has nothing to do; PyTorch's SGD skips it too, with one fused call for all
    parameters (``torch._foreach_add_``). The numbers are ``add_``'s: α·update rounded to the
    parameter's dtype, then added. The version counter moves, so a graph that saved the parameter
    still notices the change. Anything unusual (other dtype or shape, integers, an inference tensor)
    goes through ``add_`` itself, with its checks and errors. Call it with recording off (``no_grad``)
    and, for PyTorch's inf and nan without warnings, inside ``grad_mode.quietly``."""
    data = param._data
    if (
        update._dtype is param._dtype
        and param._dtype.is_floating_point
        and update._data.shape == data.shape
        and not param._is_inference
    ):
        np.add(data, update._data * alpha, out=data)
        _bump_version(param)
        return param
    return param.add_(update, alpha=alpha)
