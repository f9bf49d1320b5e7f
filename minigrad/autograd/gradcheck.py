"""Checking a backward against the definition of the derivative.

``gradcheck(fn, inputs)`` builds the full Jacobian of ``fn`` twice — numerically, by nudging each input
element by ±eps (central differences), and analytically, with one backward pass per output element —
and compares them. Do it in float64: in float32 the rounding error of a central difference
(about 1e-7 / eps) swamps the check, which is why gradcheck warns when an input is not float64.
``gradgradcheck`` does the same for the gradient itself (second derivatives).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .. import _factories, _warnings
from ..tensor import Tensor
from .entry_points import grad


class GradcheckError(RuntimeError):
    """Raised by gradcheck when numerical and analytical Jacobians disagree."""


def _flat_outputs(fn, inputs):
    out = fn(*inputs)
    outs = out if isinstance(out, tuple) else (out,)
    return [o for o in outs if isinstance(o, Tensor)]


def _numerical_jacobians(fn, inputs, eps):
    """For each differentiable input: a list (one per output) of Jacobian blocks, shape
    (input numel, output numel), from central differences."""
    # Evaluated with grad mode on: for gradgradcheck, fn itself calls autograd.grad.
    outputs = _flat_outputs(fn, inputs)
    result = []
    for inp in inputs:
        if not getattr(inp, "requires_grad", False):
            result.append(None)
            continue
        blocks = [np.zeros((inp.numel(), o.numel())) for o in outputs]
        flat = inp._data.reshape(-1)  # a view: nudging it nudges the input
        for i in range(flat.size):
            original = flat[i]
            flat[i] = original + eps
            plus = [o._data.astype(np.float64).reshape(-1) for o in _flat_outputs(fn, inputs)]
            flat[i] = original - eps
            minus = [o._data.astype(np.float64).reshape(-1) for o in _flat_outputs(fn, inputs)]
            flat[i] = original
            for block, p, m in zip(blocks, plus, minus):
                block[i] = (p - m) / (2 * eps)
        result.append(blocks)
    return result


def _analytical_jacobians(fn, inputs):
    """The same blocks from backward passes: one ``autograd.grad`` per output element, with a one-hot
    gradient selecting that element (each gives one column of every input's block)."""
    outputs = _flat_outputs(fn, inputs)
    diff_inputs = [i for i in inputs if getattr(i, "requires_grad", False)]
    result = [
        [np.zeros((i.numel(), o.numel())) for o in outputs] if getattr(i, "requires_grad", False) else None
        for i in inputs
    ]
    for k, o in enumerate(outputs):
        if not o.requires_grad:
            continue
        for j in range(o.numel()):
            onehot = _factories.zeros_like(o)
            onehot._data.reshape(-1)[j] = 1
            grads = grad(o, diff_inputs, onehot, retain_graph=True, allow_unused=True)
            it = iter(grads)
            for idx in range(len(inputs)):
                if result[idx] is None:
                    continue
                g = next(it)
                if g is not None:
                    result[idx][k][:, j] = g._data.astype(np.float64).reshape(-1)
    return result


def gradcheck(
    func: Callable,
    inputs: Tensor | tuple,
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
    **_ignored: Any,
) -> bool:
    """True when the analytical gradients of ``func`` at ``inputs`` match central differences:
    ``|analytical − numerical| ≤ atol + rtol·|numerical|`` elementwise. Otherwise raises
    ``GradcheckError`` showing both Jacobians (or returns False with ``raise_exception=False``)."""
    inputs = inputs if isinstance(inputs, tuple) else (inputs,)
    for i in inputs:
        if isinstance(i, Tensor) and i.requires_grad and i.dtype.name != "float64":
            _warnings.warn(
                f"Input #{inputs.index(i)} requires gradient and is not a double precision "
                "floating point or complex. This check will likely fail if all the inputs are not "
                "of double precision floating point or complex. "
            )
    if not any(isinstance(i, Tensor) and i.requires_grad for i in inputs):
        raise ValueError(
            "gradcheck expects at least one input tensor to require gradient, but none "
            "of them have requires_grad=True."
        )
    numerical = _numerical_jacobians(func, inputs, eps)
    analytical = _analytical_jacobians(func, inputs)
    for i, (num_blocks, ana_blocks) in enumerate(zip(numerical, analytical)):
        if num_blocks is None:
            continue
        for k, (n, a) in enumerate(zip(num_blocks, ana_blocks)):
            if not np.allclose(a, n, rtol=rtol, atol=atol):
                if not raise_exception:
                    return False
                with np.printoptions(precision=4, suppress=True):
                    raise GradcheckError(
                        f"Jacobian mismatch for output {k} with respect to input {i},\n"
                        f"numerical:{_fmt(n, inputs[i])}\nanalytical:{_fmt(a, inputs[i])}\n"
                    )
    return True


def _fmt(matrix, input):
    """A Jacobian block for the error message, as PyTorch prints it: in the input's dtype, one row
    per *input* element and one column per output element (the transpose of the Jacobian as it is
    written in maths, ∂outputᵢ/∂inputⱼ in row i)."""
    return repr(Tensor._make(matrix.astype(input.dtype.numpy), input.dtype))


def gradgradcheck(
    func: Callable,
    inputs: Tensor | tuple,
    grad_outputs: Tensor | tuple | None = None,
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
    **_ignored: Any,
) -> bool:
    """gradcheck applied to the gradient of ``func``: checks second derivatives. ``grad_outputs``
    (random if not given) weights ``func``'s outputs."""
    inputs = inputs if isinstance(inputs, tuple) else (inputs,)
    outputs = _flat_outputs(func, inputs)
    if grad_outputs is None:
        rng = np.random.default_rng(0)
        grad_outputs = tuple(
            _factories.tensor(rng.standard_normal(o.shape), dtype=o.dtype, requires_grad=True)
            for o in outputs
        )
    grad_outputs = grad_outputs if isinstance(grad_outputs, tuple) else (grad_outputs,)
    diff_inputs = [i for i in inputs if getattr(i, "requires_grad", False)]

    def first_derivative(*args):
        ins, gos = args[: len(inputs)], args[len(inputs) :]
        outs = _flat_outputs(func, ins)
        d = [i for i in ins if getattr(i, "requires_grad", False)]
        return grad(outs, d, gos, create_graph=True, allow_unused=True, materialize_grads=True)

    del diff_inputs
    return gradcheck(
        first_derivative,
        tuple(inputs) + tuple(grad_outputs),
        eps=eps,
        atol=atol,
        rtol=rtol,
        raise_exception=raise_exception,
    )
