"""Whole derivatives of a function, built from ``autograd.grad``: ``jacobian``, ``hessian``, ``vjp``,
``jvp``, ``vhp`` and ``hvp``, with PyTorch's signatures (``torch.autograd.functional``).

They call the function you give them on inputs that require grad (copies of yours, cut off from their
history), so the inputs you pass need not require grad themselves. Each is a loop you could write
with what the lessons teach: ``jacobian`` runs one backward pass per output element (each gives one
row of the Jacobian), ``hessian`` is the Jacobian of the gradient, and ``jvp`` uses the
*double-backward trick*: the vector–Jacobian product is linear in the vector, so differentiating it
with respect to the vector gives the Jacobian–vector product.

This module is a client of the whole library (it stacks rows with ``minigrad.stack``): it sits above
the ops, and ``import minigrad`` loads it last, as PyTorch's ``torch.autograd.functional`` builds on
``torch``.
"""

from .. import _factories
from ..ops.shape import stack
from ..tensor import Tensor
from . import grad as _grad
from .grad_mode import enable_grad


def _as_tuple(value, what, fn_name):
    """(the tensors as a tuple, whether a tuple was given); PyTorch's error for anything else."""
    if isinstance(value, Tensor):
        return (value,), False
    if isinstance(value, tuple) and all(isinstance(v, Tensor) for v in value):
        return value, True
    raise TypeError(
        f"The {what} given to {fn_name} must be either a Tensor or a tuple of Tensors but the given "
        f"{what} has type {type(value)}."
    )


def _prepare(inputs, create_graph):
    """Inputs that require grad for the function to be differentiated at. With ``create_graph`` an
    input that already requires grad stays connected to its history (so that the result can be
    differentiated again, as ``hessian`` does); otherwise it is a detached copy."""
    prepared = []
    for inp in inputs:
        if create_graph and inp.requires_grad:
            prepared.append(inp.view_as(inp))
        else:
            prepared.append(inp.detach().requires_grad_(inp.dtype.is_floating_point))
    return tuple(prepared)


def _grads_or_zeros(outputs, inputs, grad_outputs, create_graph, strict):
    """``autograd.grad`` with zeros for the inputs an output does not depend on (an error in
    ``strict`` mode, as in PyTorch)."""
    needs = [o for o in outputs if o.requires_grad]
    if strict and len(needs) != len(outputs):
        i = next(k for k, o in enumerate(outputs) if not o.requires_grad)
        raise RuntimeError(
            f"Output {i} of the user-provided function does not require gradients. The outputs must be "
            "computed in a differentiable manner from the input when running in strict mode."
        )
    if not needs:
        return tuple(_factories.zeros_like(i) for i in inputs)
    kept = [g for o, g in zip(outputs, grad_outputs) if o.requires_grad]
    grads = _grad(needs, inputs, kept, retain_graph=True, create_graph=create_graph, allow_unused=True)
    result = []
    for k, (g, inp) in enumerate(zip(grads, inputs)):
        if g is None:
            if strict:
                raise RuntimeError(
                    f"The output of the user-provided function is independent of input {k}. This is not "
                    "allowed in strict mode."
                )
            g = _factories.zeros_like(inp)
        result.append(g)
    return tuple(result)


def _shaped(results, tuple_out, tuple_in):
    """PyTorch's nesting: a tensor for one output and one input, tuples where tuples were given."""
    if not tuple_out:
        results = results[0]
        return results if tuple_in else results[0]
    return tuple(r if tuple_in else r[0] for r in results)


def jacobian(func, inputs, create_graph=False, strict=False, vectorize=False, strategy="reverse-mode"):
    """The Jacobian of ``func`` at ``inputs``: for an output of shape (m...) and an input of shape
    (n...), a tensor of shape (m..., n...). One backward pass per output element, each giving one
    row: the vector–Jacobian product with a one-hot vector. (``vectorize`` and ``strategy`` choose
    PyTorch's faster ways to the same numbers; accepted, not used.)"""
    inputs_t, tuple_in = _as_tuple(inputs, "inputs", "jacobian")
    with enable_grad():
        inputs_t = _prepare(inputs_t, create_graph)
        outputs_t, tuple_out = _as_tuple(func(*inputs_t), "outputs of the user-provided function", "jacobian")
        results = []
        for out in outputs_t:
            rows = [[] for _ in inputs_t]
            flat = out.reshape(-1)
            for j in range(flat.numel()):
                element = flat[j]
                grads = _grads_or_zeros((element,), inputs_t, (None,), create_graph, strict)
                for k, g in enumerate(grads):
                    rows[k].append(g)
            per_input = []
            for k, inp in enumerate(inputs_t):
                stacked = stack(rows[k]) if rows[k] else _factories.zeros(0, *inp.shape)
                per_input.append(stacked.reshape(*out.shape, *inp.shape))
            results.append(tuple(per_input))
    return _shaped(results, tuple_out, tuple_in)


def _single_element_output(func, inputs, fn_name):
    out = func(*inputs)
    if not isinstance(out, Tensor):
        raise RuntimeError(f"The function given to {fn_name} should return a single Tensor")
    if out.numel() != 1:
        raise RuntimeError(
            f"The Tensor returned by the function given to {fn_name} should contain a single element"
        )
    return out


def hessian(
    func, inputs, create_graph=False, strict=False, vectorize=False, outer_jacobian_strategy="reverse-mode"
):
    """The matrix of second derivatives of a function with a single-number output: the Jacobian of
    its gradient, shape (n..., n...) for an input of shape (n...)."""
    inputs_t, tuple_in = _as_tuple(inputs, "inputs", "hessian")

    def gradient(*inp):
        out = _single_element_output(func, inp, "hessian")
        grads = _grads_or_zeros((out.reshape(()),), inp, (None,), True, strict)
        return grads if tuple_in else grads[0]

    return jacobian(gradient, inputs_t if tuple_in else inputs_t[0], create_graph=create_graph, strict=strict)


def _check_v(v, outputs, fn_name):
    """``v`` (None only for a single-number output), checked against the outputs' shapes."""
    if v is None:
        if len(outputs) != 1 or outputs[0].numel() != 1:
            raise RuntimeError(
                "The vector v can only be None if the user-provided function returns a single Tensor "
                "with a single element."
            )
        return (_factories.ones_like(outputs[0]),)
    v_t, _ = _as_tuple(v, "v", fn_name)
    for vi, o in zip(v_t, outputs):
        if vi.shape != o.shape:
            raise RuntimeError(f"v has invalid size: should be {o.shape} but got {vi.shape}.")
    return v_t


def _outputs_for_result(outputs_t, tuple_out, create_graph):
    shown = outputs_t if create_graph else tuple(o.detach() for o in outputs_t)
    return shown if tuple_out else shown[0]


def vjp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), vᵀJ): the vector–Jacobian product, what one backward pass computes."""
    inputs_t, tuple_in = _as_tuple(inputs, "inputs", "vjp")
    with enable_grad():
        inputs_t = _prepare(inputs_t, create_graph)
        outputs_t, tuple_out = _as_tuple(func(*inputs_t), "outputs of the user-provided function", "vjp")
        v_t = _check_v(v, outputs_t, "vjp")
        grads = _grads_or_zeros(outputs_t, inputs_t, v_t, create_graph, strict)
    return _outputs_for_result(outputs_t, tuple_out, create_graph), grads if tuple_in else grads[0]


def jvp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), Jv): the Jacobian–vector product, by the double-backward trick: uᵀJ is linear
    in u, so its gradient with respect to u, weighted by v, is Jv."""
    inputs_t, tuple_in = _as_tuple(inputs, "inputs", "jvp")
    with enable_grad():
        inputs_t = _prepare(inputs_t, create_graph)
        outputs_t, tuple_out = _as_tuple(func(*inputs_t), "outputs of the user-provided function", "jvp")
        if v is None:
            if len(inputs_t) != 1 or inputs_t[0].numel() != 1:
                raise RuntimeError(
                    "The vector v can only be None if the input to the user-provided function is a "
                    "single Tensor with a single element."
                )
            v_t = (_factories.ones_like(inputs_t[0]),)
        else:
            v_t = _check_v(v, inputs_t, "jvp")
        dummies = tuple(_factories.zeros_like(o, requires_grad=True) for o in outputs_t)
        grad_inputs = _grads_or_zeros(outputs_t, inputs_t, dummies, True, strict)
        jvps = _grads_or_zeros(grad_inputs, dummies, v_t, create_graph, strict)
    return _outputs_for_result(outputs_t, tuple_out, create_graph), jvps if tuple_out else jvps[0]


def _hessian_vector(func, inputs, v, create_graph, strict, fn_name):
    """(func(inputs), vᵀH) for a function with a single-number output: the gradient of vᵀ·∇func."""
    inputs_t, tuple_in = _as_tuple(inputs, "inputs", fn_name)
    with enable_grad():
        inputs_t = _prepare(inputs_t, create_graph)
        out = _single_element_output(func, inputs_t, fn_name)
        gradient = _grads_or_zeros((out.reshape(()),), inputs_t, (None,), True, strict)
        v_t = _check_v(v, inputs_t, fn_name)
        products = _grads_or_zeros(gradient, inputs_t, v_t, create_graph, strict)
    shown = out if create_graph else out.detach()
    return shown, products if tuple_in else products[0]


def vhp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), vᵀH) for a function with a single-number output: the gradient of vᵀ·∇func."""
    return _hessian_vector(func, inputs, v, create_graph, strict, "vhp")


def hvp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), Hv). The Hessian of a twice continuously differentiable function is
    symmetric, so Hv = (vᵀH)ᵀ: the same numbers as ``vhp`` (PyTorch computes it another way)."""
    return _hessian_vector(func, inputs, v, create_graph, strict, "hvp")
