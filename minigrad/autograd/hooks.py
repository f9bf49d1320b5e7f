"""Hooks: your functions, called by the engine as gradients pass (PyTorch's five kinds).

On a tensor (``x.register_hook(fn)``): ``fn(grad)`` sees the gradient of ``x`` when it is complete,
before the node that receives it runs, and may return a replacement (same shape and dtype).
``x.retain_grad()`` is such a hook too: it keeps a copy in ``x.grad``. On a leaf,
``register_post_accumulate_grad_hook(fn)`` calls ``fn(x)`` after ``x.grad`` was stored. On a node
(``y.grad_fn``): ``register_prehook(fn)`` sees the node's incoming gradients before it runs,
``register_hook(fn)`` its incoming and outgoing ones after; both may replace them.

PyTorch's order, which the engine follows: the tensors' hooks, then ``retain_grad``, then the node's
pre-hooks; the node runs; then its hooks. The engine calls this module only for a node whose
``_has_hooks`` is set (one attribute test per node when no hook is registered anywhere).
Every call returns a :class:`RemovableHandle`.
"""

from __future__ import annotations

import itertools
import weakref
from collections.abc import Callable
from types import MappingProxyType

from ..tensor import Tensor
from .events import HookFired

NO_HOOKS = MappingProxyType({})  # a node's hooks until it gets its own (read-only: shared)


class RemovableHandle:
    """Returned by ``register_hook``: call ``.remove()`` to take the hook off again."""

    def __init__(self, hooks: list, key: int):
        self._hooks = hooks
        self._key = key

    @property
    def id(self) -> int:
        """The hook's id, unique among all hooks (PyTorch's ``RemovableHandle.id``)."""
        return self._key

    def __repr__(self) -> str:  # (PyTorch's class is torch.utils.hooks.RemovableHandle; no address)
        return "<minigrad.utils.hooks.RemovableHandle object>"

    def remove(self) -> None:
        for i, (key, _) in enumerate(self._hooks):
            if key == self._key:
                del self._hooks[i]
                return


_hook_ids = itertools.count()


def add_hook(hooks: list, fn: Callable, prepend: bool = False) -> RemovableHandle:
    """Add ``fn`` to the list ``hooks`` (at the end, or first with ``prepend``) under a new id; the
    handle's ``remove()`` takes it out."""
    key = next(_hook_ids)
    if prepend:
        hooks.insert(0, (key, fn))
    else:
        hooks.append((key, fn))
    return RemovableHandle(hooks, key)


# --- registering (Tensor's methods) ---------------------------------------------------------------
def register_hook(tensor: Tensor, hook: Callable) -> RemovableHandle:
    """``tensor.register_hook(hook)``: call ``hook(grad)`` when the tensor's gradient is computed; if
    it returns a tensor, that replaces the gradient. A non-leaf's hooks are kept by its ``grad_fn``
    (they run when that node receives the gradient), a leaf's by the leaf (its AccumulateGrad runs
    them)."""
    if not tensor._requires_grad:
        raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
    if tensor._grad_fn is not None:
        node = tensor._grad_fn
        if node._tensor_pre_hooks is NO_HOOKS:
            node._tensor_pre_hooks = {}
        node._has_hooks = True
        return add_hook(node._tensor_pre_hooks.setdefault(tensor._output_nr, []), hook)
    if tensor._leaf_hooks is None:
        tensor._leaf_hooks = []
    return add_hook(tensor._leaf_hooks, hook)


def register_post_accumulate_grad_hook(tensor: Tensor, hook: Callable) -> RemovableHandle:
    """``leaf.register_post_accumulate_grad_hook(hook)``: call ``hook(leaf)`` each time backward has
    added into its ``.grad`` (not in ``autograd.grad``, which stores nothing). It must return None."""
    if not tensor._requires_grad:
        raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
    if tensor._grad_fn is not None:
        raise RuntimeError("post accumulate grad hooks cannot be registered on non-leaf tensors")
    if tensor._post_accumulate_hooks is None:
        tensor._post_accumulate_hooks = []
    return add_hook(tensor._post_accumulate_hooks, hook)


def retain_grad(tensor: Tensor) -> None:
    """``tensor.retain_grad()``: keep this non-leaf's gradient in ``.grad`` during backward (leaves
    keep theirs anyway). Its ``grad_fn`` keeps a weak reference, so the tensor may still be freed."""
    if not tensor._requires_grad:
        raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
    if tensor._grad_fn is None or tensor._retains_grad:
        return None
    node = tensor._grad_fn
    if node._retain_grad_refs is NO_HOOKS:
        node._retain_grad_refs = {}
    node._has_hooks = True
    node._retain_grad_refs[tensor._output_nr] = weakref.ref(tensor)
    tensor._retains_grad = True
    return None


def add_node_hook(node, table: str, fn: Callable) -> RemovableHandle:
    """``node.register_prehook(fn)`` (``table`` "_pre_hooks") and ``node.register_hook(fn)``
    ("_post_hooks"): the node gets its own list, and the flag the engine tests."""
    if not getattr(node, table):
        setattr(node, table, [])
    node._has_hooks = True
    return add_hook(getattr(node, table), fn)


# An AccumulateGrad has no hooks of its own for its tensor: they live on the leaf.
def leaf_tensor_hooks(node) -> dict:
    """``AccumulateGrad._tensor_pre_hooks``: the leaf's ``register_hook`` hooks, as output 0's."""
    hooks = node.variable._leaf_hooks
    return {0: hooks} if hooks else NO_HOOKS


def leaf_has_hooks(node) -> bool:
    """``AccumulateGrad._has_hooks``: worked out from the leaf's and the node's hooks."""
    var = node.variable
    return bool(var._leaf_hooks or var._post_accumulate_hooks or node._pre_hooks or node._post_hooks)


def kept_by_the_leaf(node, value) -> None:
    """Setting those two on an AccumulateGrad does nothing: they are worked out from the leaf."""


def retained_tensors(node) -> dict:
    """output_nr -> the tensor that called ``retain_grad()`` on that output of ``node`` (if alive)."""
    return {nr: ref() for nr, ref in node._retain_grad_refs.items() if ref() is not None}


# --- running (the engine's calls) ----------------------------------------------------------------
def run_pre_hooks(task, node, grads: list, runs: bool = True) -> None:
    """Before ``node`` runs: the hooks and ``retain_grad`` of the tensors it produced, then, if the
    node ``runs`` (not only captured for ``autograd.grad``), its own pre-hooks. Replaces entries of
    ``grads`` in place."""
    report = task.report
    for nr, hooks in node._tensor_pre_hooks.items():
        for _, hook in list(hooks):
            if grads[nr] is None:
                continue
            before = grads[nr]
            replaced = hook(before)
            if replaced is not None:
                check_tensor_hook_result(hook, before, replaced)
                grads[nr] = replaced
            if report:
                task.emit(HookFired, node, nr, "tensor", before, grads[nr])
    dry_run = not task.accumulate_grad and task.needed is None
    for nr, ref in node._retain_grad_refs.items():
        tensor = ref()
        if tensor is not None and grads[nr] is not None:
            if not dry_run:  # a dry run stores nothing
                g = grads[nr]
                tensor._grad = g.clone() if tensor._grad is None else tensor._grad + g
            if report:
                task.emit(HookFired, node, nr, "retain_grad", grads[nr], grads[nr])
    for _, hook in list(node._pre_hooks if runs else ()):  # then the node's own (PyTorch's order)
        replaced = hook(tuple(grads))
        if replaced is not None:
            replaced = check_node_hook_results(hook, replaced, len(grads))
            if report:
                task.emit(HookFired, node, None, "node pre-hook", tuple(grads), replaced)
            grads[:] = replaced


def run_post_hooks(task, node, results, grads):
    """After ``node`` ran: its own hooks see the gradients it computed, one per edge (for an
    AccumulateGrad node, none), and may replace them. Returns the results, one per argument.
    (Where an input needs no gradient, a built-in node's hook sees None; a custom Function's
    sees what its ``backward`` returned, as in PyTorch.)"""
    edges = node._edges if results else ()
    as_returned = node._python_function
    for _, hook in list(node._post_hooks):
        grad_inputs = tuple(
            results[arg] if child is not None or as_returned else None for child, _, arg, _, _ in edges
        )
        replaced = hook(grad_inputs, tuple(grads))
        if replaced is None:
            continue
        replaced = check_node_hook_results(hook, replaced, len(grad_inputs))
        if task.report:
            task.emit(HookFired, node, None, "node hook", grad_inputs, replaced)
        results = list(results)
        for (child, _, arg, _, _), g in zip(edges, replaced):
            if child is not None:
                results[arg] = g
    return results


def run_post_accumulate_hooks(task, node) -> None:
    """After an AccumulateGrad node stored ``leaf.grad``: the leaf's post-accumulate-grad hooks,
    each told the leaf."""
    variable = node.variable
    for _, hook in list(variable._post_accumulate_hooks):
        if hook(variable) is not None:
            raise RuntimeError("Tensor post accumulate grad hooks should return None.")
        if task.report:
            grad_now = variable._grad
            task.emit(HookFired, node, 0, "post accumulate grad", grad_now, grad_now)


def check_node_hook_results(hook: Callable, replaced, expected: int) -> tuple:
    """A node hook's replacement: a tuple (or list) of one gradient per slot, PyTorch's error else."""
    replaced = tuple(replaced) if isinstance(replaced, list | tuple) else (replaced,)
    if len(replaced) != expected:
        name = getattr(hook, "__name__", type(hook).__name__)
        raise RuntimeError(
            f"hook '{name}' has returned an incorrect number of values (got {len(replaced)}, but "
            f"expected {expected})"
        )
    return replaced


def check_tensor_hook_result(hook: Callable, before: Tensor, replaced) -> None:
    """A hook may replace a gradient, but only by a tensor of the same shape and dtype (PyTorch's
    errors): anything else would reach the next node as a wrong gradient."""
    name = getattr(hook, "__name__", type(hook).__name__)
    if not isinstance(replaced, Tensor):
        raise TypeError(f"expected Variable, but hook returned '{type(replaced).__name__}'")
    if replaced._dtype is not before._dtype:
        raise RuntimeError(
            f"hook '{name}' has changed the type of value (was minigrad.{before._dtype.legacy_name} "
            f"got minigrad.{replaced._dtype.legacy_name})"
        )
    if replaced._data.shape != before._data.shape:
        raise RuntimeError(f"hook '{name}' has changed the size of value")
