"""The two entry points of the engine: :func:`backward` and :func:`grad` (``torch.autograd``'s).

Both check their arguments (with PyTorch's error messages), turn the tensors into *edges* of the
backward graph (:func:`~minigrad.autograd.function.gradient_edge`), make the starting gradients,
and hand them to :func:`minigrad.autograd.engine.run_backward`:

- :func:`backward` adds gradients into the ``.grad`` of leaves (what ``loss.backward()`` calls);
- :func:`grad` returns gradients as a tuple and leaves every ``.grad`` untouched.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .. import _warnings
from ..tensor import Tensor
from . import engine, saved_tensors
from .function import gradient_edge

_CREATE_GRAPH_WARNING = (
    "Using backward() with create_graph=True will create a reference cycle between the parameter and "
    "its gradient which can cause a memory leak. We recommend using autograd.grad when creating the "
    "graph to avoid this. If you have to use this function, make sure to reset the .grad fields of your "
    "parameters to None after use to break the cycle and avoid the leak."
)


def _as_tuple(x):
    if x is None:
        return None
    if isinstance(x, Tensor):
        return (x,)
    return tuple(x)


def _make_grads(outputs, grads):
    """The starting gradients: given ones checked against their outputs' shapes, or an implicit
    ``1`` for a single-element output."""
    grads = (None,) * len(outputs) if grads is None else _as_tuple(grads)
    result = []
    for i, (out, g) in enumerate(zip(outputs, grads)):
        if g is None:
            if out._requires_grad and out._data.size != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            g = Tensor._make(np.ones(out._data.shape, out._dtype.numpy), out._dtype)
        elif not isinstance(g, Tensor):
            raise TypeError(f"gradients can be either Tensors or None, but got {type(g).__name__}")
        elif g.shape != out.shape:
            raise RuntimeError(
                f"Mismatch in shape: grad_output[{i}] has a shape of {g.shape!r} and "
                f"output[{i}] has a shape of {out.shape!r}."
            )
        result.append(g)
    if len(grads) != len(outputs):  # (checked after the pairs, as PyTorch does)
        raise RuntimeError(f"got {len(outputs)} tensors and {len(grads)} gradients")
    return result


def _root_edges(outputs):
    edges = []
    for i, out in enumerate(outputs):
        if not out.requires_grad:
            raise RuntimeError(f"element {i} of tensors does not require grad and does not have a grad_fn")
        saved_tensors.check_view_is_current(out)
        edges.append(gradient_edge(out))
    return edges


def backward(
    tensors: Tensor | Sequence[Tensor],
    grad_tensors: Tensor | Sequence[Tensor | None] | None = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    inputs: Tensor | Sequence[Tensor] | None = None,
) -> None:
    """Add the gradients of ``tensors`` (weighted by ``grad_tensors``) into the ``.grad`` of the
    leaves they depend on — or only of ``inputs``, when given.

    ``retain_graph`` (default: ``create_graph``) keeps the saved tensors so that you can call backward
    through the same graph again; ``create_graph=True`` records the backward pass itself, so the
    gradients you get can be differentiated again (second derivatives).
    """
    tensors = _as_tuple(tensors)
    inputs = _as_tuple(inputs)
    if inputs is not None and len(inputs) == 0:
        raise RuntimeError("`inputs` argument to `backward()` cannot be empty.")
    grads = _make_grads(tensors, grad_tensors)
    if retain_graph is None:
        retain_graph = create_graph
    if create_graph and inputs is None:
        _warnings.warn(_CREATE_GRAPH_WARNING)
    roots = _root_edges(tensors)
    input_edges = None
    if inputs is not None:
        input_edges = []
        for t in inputs:
            if not t.requires_grad:
                raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
            if not t.is_leaf:
                t.retain_grad()
            input_edges.append(gradient_edge(t))
    engine.run_backward(
        roots,
        grads,
        retain_graph=retain_graph,
        create_graph=create_graph,
        inputs=input_edges,
        accumulate_grad=True,
    )


def grad(
    outputs: Tensor | Sequence[Tensor],
    inputs: Tensor | Sequence[Tensor],
    grad_outputs: Tensor | Sequence[Tensor | None] | None = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    allow_unused: bool | None = None,
    materialize_grads: bool = False,
    only_inputs: bool = True,
) -> tuple[Tensor | None, ...]:
    """Return the gradients of ``outputs`` with respect to ``inputs`` as a tuple, without touching
    any ``.grad``. An input the outputs do not depend on raises, unless ``allow_unused=True`` (then
    its gradient is None, or zeros with ``materialize_grads=True``)."""
    if not only_inputs:
        _warnings.warn(
            "only_inputs argument is deprecated and is ignored now (defaults to True). To accumulate "
            "gradient for other parts of the graph, please use minigrad.autograd.backward.",
            FutureWarning,
        )
    outputs, inputs = _as_tuple(outputs), _as_tuple(inputs)
    if not inputs:
        raise RuntimeError("`inputs` argument to `grad()` cannot be empty.")
    if allow_unused is None:
        allow_unused = materialize_grads
    if materialize_grads and not allow_unused:
        raise ValueError(
            "Expected allow_unused to be True or not passed when materialize_grads=True, "
            "but got: allow_unused=False."
        )
    grads = _make_grads(outputs, grad_outputs)
    if retain_graph is None:
        retain_graph = create_graph
    roots = _root_edges(outputs)  # (the outputs are checked first, as in PyTorch)
    for t in inputs:
        if not t.requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    captured = engine.run_backward(
        roots,
        grads,
        retain_graph=retain_graph,
        create_graph=create_graph,
        inputs=[gradient_edge(t) for t in inputs],
        accumulate_grad=False,
    )
    result = []
    for i, (t, g) in enumerate(zip(inputs, captured)):
        if g is None:
            if not allow_unused:
                raise RuntimeError(
                    f"The differentiated Tensor at index {i} appears to not have been used "
                    "in the graph. Set allow_unused=True if this is the desired behavior."
                )
            if materialize_grads:
                g = Tensor._make(np.zeros(t._data.shape, t._dtype.numpy), t._dtype)
        result.append(g)
    return tuple(result)
