"""minigrad: a small autograd engine that behaves like ``torch.autograd``.

Write ``import minigrad as torch`` and the course's code runs unchanged on PyTorch when you swap the
import back. Where to read next:

- :mod:`minigrad.tensor` — the Tensor: data, ``requires_grad``, ``grad``, ``grad_fn``, leaves;
- :mod:`minigrad.ops` — every operation as a ``Function`` with ``forward`` and ``backward``;
- :mod:`minigrad.autograd.function` — ``Function``, graph nodes, ``AccumulateGrad``, saved tensors;
- :mod:`minigrad.autograd.engine` — the backward engine, step by step;
- :mod:`minigrad.nn`, :mod:`minigrad.optim` — just enough for training loops.

``import minigrad`` imports only numpy; drawing and widgets live in :mod:`minigrad.viz`.
"""

from . import (
    _tensor_ops,  # noqa: F401  (the method table: operators and autograd methods of Tensor)
    autograd,
    nn,
    optim,
    return_types,
)
from ._dtypes import bool, double, dtype, float, float32, float64, int64, long  # noqa: A004
from ._factories import (
    arange,
    as_tensor,
    empty,
    eye,
    from_numpy,
    full,
    full_like,
    is_tensor,
    linspace,
    manual_seed,
    numel,
    ones,
    ones_like,
    rand,
    randint,
    randn,
    randperm,
    tensor,
    zeros,
    zeros_like,
)
from .autograd import functional  # noqa: F401  (jacobian, hessian: built on the ops)
from .autograd.grad_mode import (
    enable_grad,
    inference_mode,
    is_grad_enabled,
    is_inference_mode_enabled,
    no_grad,
    set_grad_enabled,
)
from .ops.elementwise import where
from .ops.shape import cat, stack
from .tensor import Size, Tensor

__version__ = "0.1.0"


def _method(name):
    def function(input, *args, **kwargs):
        return getattr(input, name)(*args, **kwargs)

    function.__name__ = name
    function.__doc__ = f"Functional form of ``Tensor.{name}``."
    return function


# Functional forms: minigrad.exp(x) is x.exp(), as torch.exp(x) is.
for _name in (
    "add sub mul div pow neg exp log sin cos tanh sigmoid relu sqrt abs sign sgn clamp clip "
    "sum mean max min argmax argmin matmul mm reshape transpose unsqueeze squeeze flatten "
    "permute softmax log_softmax maximum minimum square reciprocal clone detach t masked_fill "
    "gather scatter scatter_add floor_divide divide var std amax amin cumsum flip log1p expm1 "
    "split chunk unbind index_select narrow tril triu dot logsumexp "
    "allclose equal isnan isfinite norm"
).split():
    globals()[_name] = _method(_name)
del _name


def remainder(input, other):
    """``input % other``; ``input`` may be a Python number (``remainder(7, x)``), as in PyTorch."""
    if not isinstance(input, Tensor):
        return other.__rmod__(input)
    return input.remainder(other)


def fmod(input, other):
    """The remainder of ``input / other`` rounded toward zero: the sign of ``input``, as C's fmod."""
    if not isinstance(input, Tensor):
        kinds = (
            f"({type(input).__name__}, {type(other).__name__ if not isinstance(other, Tensor) else 'Tensor'})"
        )
        raise TypeError(
            f"fmod() received an invalid combination of arguments - got {kinds}, but expected one of:\n"
            " * (Tensor input, Tensor other, *, Tensor out = None)\n"
            " * (Tensor input, Number other, *, Tensor out = None)\n"
        )
    return input.fmod(other)


def is_floating_point(t):
    return t.is_floating_point()


def get_default_dtype():
    return float32


__all__ = [
    "Tensor",
    "Size",
    "tensor",
    "autograd",
    "no_grad",
    "enable_grad",
    "set_grad_enabled",
    "inference_mode",
    "is_grad_enabled",
    "manual_seed",
    "float32",
    "float64",
    "int64",
    "bool",
]
