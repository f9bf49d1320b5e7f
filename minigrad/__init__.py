"""minigrad: a small autograd engine that behaves like ``torch.autograd``.

Write ``import minigrad as torch`` and the course's code runs unchanged on PyTorch when you swap the
import back. ``import minigrad`` imports only numpy; drawing and widgets live in :mod:`minigrad.viz`.

**The reading path** (under 1,000 lines; ``docs/reading-minigrad.md`` walks through it with
``(x * w).tanh().sum().backward()``):

1. :mod:`minigrad.tensor` — the Tensor: numbers, ``requires_grad``, ``grad``, ``grad_fn``, leaves;
2. :mod:`minigrad.autograd.function` — ``Function``, the graph's nodes, ``AccumulateGrad``;
3. :mod:`minigrad.autograd.engine` — the backward walk, step by step;

and three ops of :mod:`minigrad.ops`, written as you write your own Function: ``Mul``
(``ops/arithmetic.py``), ``Tanh`` (``ops/elementwise.py``), ``Sum`` (``ops/reductions.py``).

**The layers point one way**: each module imports only from its own layer or the ones below
(``tests/test_layers.py`` checks it), so each can be read knowing only what is under it.

0. basics: ``_dtypes``, ``_warnings``, ``_printing``, ``_grad_state`` (the grad-mode flags);
1. ``tensor``: the data, ``grad``, ``grad_fn``, the version counter — nothing about how
   gradients are computed, as PyTorch's C++ ``TensorBase`` knows nothing of its Python methods;
2. ``_arguments`` (argument parsing, PyTorch's error texts) and ``_factories`` (``zeros``, ...);
3. ``autograd``: ``Function`` and the nodes, the engine, and one module per rule of PyTorch's
   that is not the algorithm (``hooks``, ``saved_tensors``, ``known_zeros``, ``validate_outputs``,
   ``anomaly_mode``, ``exec_info``, ``grad_mode``), each entering the engine as one guarded call;
4. ``ops``: the built-in ``Function`` subclasses; their backward formulas compute with tensors;
5. ``_tensor_ops``: the method table that puts the ops on ``Tensor`` (``x * w`` calls
   ``Mul.apply``) and ``x.backward()``, which calls :func:`minigrad.autograd.backward` as
   ``torch.Tensor.backward`` calls ``torch.autograd.backward``; ``autograd.functional``;
6. ``nn`` and ``optim``; 7. this package and ``viz``.

Why this order: the tensor is what everything else handles, and autograd needs only its fields;
the ops are *clients* of autograd (each is a ``Function``), not parts of it; and what makes
``x * w`` reach an op — the method table — depends on all of them, so it comes last. The one
call that goes up, a backward formula computing ``grad * b`` with tensor operators, is a method
call at run time, not an import: it works because the method table is loaded by ``import
minigrad``, as PyTorch's formulas call its operators.
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
from .ops.selection import where
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
