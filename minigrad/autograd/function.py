"""The backward graph's building blocks: ``Function``, its nodes, ``AccumulateGrad``.

Every differentiable operation in minigrad is a ``Function`` subclass with two static methods, exactly as
you write your own in the custom-Function lesson::

    class MyReLU(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x.clamp(min=0)

        @staticmethod
        def backward(ctx, grad_output):
            (x,) = ctx.saved_tensors
            return grad_output * (x > 0)

``MyReLU.apply(x)`` runs ``forward`` with recording switched off, then, if any input requires grad,
links the result into the graph: the result's ``grad_fn`` becomes a *node* (here of class
``MyReLUBackward``) whose ``next_functions`` point to the nodes that produced the inputs. The node is
also the ``ctx`` that ``forward`` filled in, so ``backward`` finds what ``forward`` saved.

Leaves that require grad end in an ``AccumulateGrad`` node, which adds what arrives into ``leaf.grad``.
"""

from __future__ import annotations

import functools
import itertools
import traceback
import weakref
from collections.abc import Callable
from typing import Any

import numpy as np

from ..tensor import Tensor, _bump_version, _new_tensor
from . import anomaly_mode, custom_function, grad_mode, hooks, saved_tensors
from .custom_function import ContextExtras, any_none, check_dirty, materialize_grads
from .grad_mode import _IGNORE_ALL, _errstate_var, _marked_inference, _no_graph_context, _run_in_modes
from .grad_mode import _state as _grad_state
from .hooks import NO_HOOKS, RemovableHandle
from .input_buffer import add_in_place
from .saved_tensors import FREED_MESSAGE, _contains, check_view_is_current, save
from .validate_outputs import check_gradient_count, check_no_gradient_for_non_tensors, validate_grad

_sequence_counter = itertools.count()


class Node:
    """A node of the backward graph: what a tensor's ``grad_fn`` points to.

    ``next_functions`` is a tuple with one ``(node, input_nr)`` pair per tensor input of the forward
    operation: the node that will receive the gradient for that input, and which of that node's
    outputs the input was (``None`` where the input needs no gradient).

    **The engine's contract with a node** — all that :mod:`~minigrad.autograd.engine` reads:

    - ``next_functions``, and ``_edges``: per tensor input ``(next node, input_nr, index of the
      forward argument, shape, dtype)``, what the gradient is sent to and must fit;
    - ``_n_outputs``: the slots of its input buffer; ``sequence_nr``: its place in the ready queue;
    - ``call_backward(grads)``: gradients of the outputs in, one gradient per forward argument out
      (:class:`BackwardNode`); an :class:`AccumulateGrad` has ``accumulate(grad)`` instead;
    - ``needs_input_grad``, ``_saved`` and ``_release_saved()`` (freed after it ran);
    - ``_has_hooks``: one flag that says whether :mod:`~minigrad.autograd.hooks` has work here.

    The rules' modules read a few more fields, each named where it is set below.
    """

    # Class-level defaults, shared until a node needs its own (graphs have many nodes; most have
    # no hooks, so creating a node sets only its sequence number).
    next_functions: tuple[tuple[Node | None, int], ...] = ()
    _tensor_pre_hooks = NO_HOOKS  # output_nr -> [(hook id, fn)]: tensor hooks
    _retain_grad_refs = NO_HOOKS  # output_nr -> weakref of a tensor that retains grad
    _pre_hooks = ()  # [(hook id, fn)]: the node's own hooks, fn(grad_outputs), before it runs
    _post_hooks = ()  # [(hook id, fn)]: fn(grad_inputs, grad_outputs), after it has run
    _has_hooks: bool = False  # set once any of the four above is: the engine's one test per node
    _input_meta = ()  # (shape, dtype) of each tensor input: gradients must match them
    _output_meta = ()  # (shape, dtype) of each output
    _n_outputs: int = 1  # how many outputs: the slots of the node's input buffer in the engine
    _released = False
    _forward_trace = None  # set in anomaly mode: where the forward op was called
    _python_function = False  # True for the nodes of Functions that PyTorch, too, has in Python

    def __init__(self) -> None:
        self._sequence_nr = next(_sequence_counter)

    @property
    def sequence_nr(self) -> int:
        """The order nodes were made in (PyTorch's ``_sequence_nr()``): of two ready nodes, the later
        one runs first."""
        return self._sequence_nr

    @property
    def output_meta(self) -> tuple:
        """``(shape, dtype)`` of each output of the forward op (dtype None for a non-tensor)."""
        return self._output_meta

    @property
    def input_meta(self) -> tuple:
        """``(shape, dtype)`` of each tensor input: the gradients sent to them must fit these."""
        return self._input_meta

    @property
    def released(self) -> bool:
        """True once backward freed the saved tensors (without ``retain_graph``)."""
        return self._released

    @property
    def metadata(self) -> dict:
        if "_metadata" not in self.__dict__:
            self._metadata = {}
        return self._metadata

    def name(self) -> str:
        """The node's class name, e.g. ``MulBackward0``."""
        return type(self).__name__

    def __repr__(self) -> str:
        # PyTorch prints '<MulBackward0 object at 0x7f...>'; minigrad leaves the address out so that
        # notebook outputs are the same in every run. (The class name: name() may add a namespace.)
        return f"<{type(self).__name__} object>"

    def register_prehook(self, fn: Callable) -> RemovableHandle:
        """Call ``fn(grad_outputs)`` before this node runs (after the hooks of the tensors it made);
        a tuple it returns replaces ``grad_outputs``. Returns a handle with ``.remove()``."""
        return hooks.add_node_hook(self, "_pre_hooks", fn)

    def register_hook(self, fn: Callable) -> RemovableHandle:
        """Call ``fn(grad_inputs, grad_outputs)`` after this node has run: ``grad_inputs`` has one
        gradient per ``next_functions`` edge (None where the input needs none); a tuple it returns
        replaces them. Returns a handle with ``.remove()``."""
        return hooks.add_node_hook(self, "_post_hooks", fn)

    def apply(self, grad_outputs: list[Tensor | None]) -> list[Tensor | None]:  # pragma: no cover
        raise NotImplementedError  # (every node type defines it)


class AccumulateGrad(Node):
    """The node at the end of every path: adds the arriving gradient into ``variable.grad``.

    The first gradient is stored as a copy; later ones are added in place (that is why gradients
    *accumulate* across ``backward()`` calls until you zero them). With ``create_graph=True`` the sum
    is taken out of place, so that ``.grad`` keeps its own ``grad_fn``.
    """

    def __init__(self, variable: Tensor) -> None:
        super().__init__()
        self.variable = variable
        self._input_meta = ((variable._data.shape, variable._dtype),)

    # the leaf's hooks (``x.register_hook``) run here, before accumulation: see hooks
    _tensor_pre_hooks = property(hooks.leaf_tensor_hooks, hooks.kept_by_the_leaf)
    _has_hooks = property(hooks.leaf_has_hooks, hooks.kept_by_the_leaf)

    def name(self) -> str:
        return "minigrad::autograd::AccumulateGrad"  # PyTorch: 'torch::autograd::AccumulateGrad'

    def accumulate(self, grad: Tensor) -> Tensor:
        """Add ``grad`` into ``variable.grad``; returns the new ``.grad``."""
        var = self.variable
        create_graph = grad_mode._state["enabled"]  # (the engine turns it on for create_graph)
        if var._grad is None:
            if create_graph:  # a copy that stays in the graph, as PyTorch's CopyBackwards
                var._grad = _new_tensor(np.zeros(var._data.shape, var._dtype.numpy), var._dtype).copy_(grad)
            else:
                var._grad = _new_tensor(grad._data.copy(), grad._dtype)
        elif create_graph:
            var._grad = var._grad + grad
        else:
            # In place, as PyTorch does: a reference taken earlier with g = x.grad sees the sum too.
            add_in_place(var._grad._data, grad._data)
            _bump_version(var._grad)
        return var._grad


def gradient_edge(tensor: Tensor) -> tuple[Node | None, int]:
    """Where gradients for ``tensor`` go (PyTorch's ``torch.autograd.graph.get_gradient_edge``):
    ``(grad_fn, output_nr)``, or ``(AccumulateGrad, 0)`` for a leaf that requires grad (made on
    first use, then kept by a weak reference, so that every use of the leaf shares one), or
    ``(None, 0)``."""
    if tensor._grad_fn is not None:
        return (tensor._grad_fn, tensor._output_nr)
    if not tensor._requires_grad:
        return (None, 0)
    acc = tensor._grad_accumulator() if tensor._grad_accumulator is not None else None
    if acc is None:
        acc = AccumulateGrad(tensor)
        tensor._grad_accumulator = weakref.ref(acc)
    return (acc, 0)


class BackwardNode(ContextExtras, Node):
    """The node (and ``ctx``) of a ``Function`` call. Its class is made per Function:
    ``MyReLU`` gets ``MyReLUBackward``; built-in ops give PyTorch's names, e.g. ``MulBackward0``."""

    _forward_cls = None
    needs_input_grad: tuple[bool, ...] = ()
    _to_save = ()
    _saved: tuple = ()  # a SavedTensor (or None) per tensor saved: see saved_tensors
    # per edge (in the order of next_functions): (next node, input_nr, forward argument index,
    # the input's shape, dtype)
    _edges: tuple[tuple[Node | None, int, int, tuple[int, ...], Any], ...] = ()
    _other_arg_positions = ()  # forward argument index of each argument that is not a tensor

    # --- the ctx API used inside forward and backward -------------------------------------------
    def save_for_backward(self, *tensors: Tensor | None) -> None:
        """Keep tensors for ``backward``. Use this (not ``ctx.x = x``) for tensors: it lets minigrad
        free them after backward and detect in-place changes made to them in between."""
        self._to_save = tensors

    @property
    def saved_tensors(self) -> tuple[Tensor | None, ...]:
        """The tensors given to ``save_for_backward``, checked and unpacked."""
        if self._released:
            raise RuntimeError(FREED_MESSAGE)
        unpacked = []  # (a loop here: a call or a comprehension would cost each backward a call)
        for saved in self._saved:
            unpacked.append(None if saved is None else saved.unpack(self))
        return tuple(unpacked)

    def _release_saved(self) -> None:
        """Free the saved tensors (backward without ``retain_graph`` does, for nodes that saved
        some); ``saved_tensors`` raises from now on. A node that saved nothing is never released:
        its backward may run again, as in PyTorch."""
        self._released = True
        self._saved = ()

    @property
    def _input_meta(self) -> tuple:
        """(shape, dtype) of each tensor input, one per edge."""
        return tuple((shape, dtype) for _, _, _, shape, dtype in self._edges)

    # --- what the engine calls --------------------------------------------------------------
    def call_backward(self, grad_outputs: list[Tensor | None]) -> tuple[Tensor | None, ...]:
        """Run the Function's ``backward`` for the gradients of its outputs (one per output; None
        for an output that got none) and return what it returned: a tuple with one gradient per
        argument of ``forward``, checked for its length and for None at non-tensor arguments.
        Each gradient still has to be checked against its input's shape and dtype: the engine does
        that as it sends it along its edge (PyTorch's ``validate_outputs``); :meth:`apply` too.

        It runs in the caller's modes: the engine calls it with numpy's warnings off and grad mode
        on only with ``create_graph`` (wrap other calls in ``grad_mode.quietly``)."""
        grads = grad_outputs
        # (grads[0] and len first: cheap tests that usually settle it — one output, with a gradient)
        if (grads[0] is None or len(grads) > 1) and self._materialize_grads and any_none(grads):
            grads = materialize_grads(self, grads)  # (see custom_function)
        backward = self._forward_cls.backward
        # (one output, the usual case, is passed without a *: such a call costs half as much)
        result = backward(self, grads[0]) if len(grads) == 1 else backward(self, *grads)
        if type(result) is not tuple:
            result = (result,)
        if len(result) != len(self.needs_input_grad):
            result = check_gradient_count(self, result)  # (see validate_outputs)
        if self._other_arg_positions:  # arguments that were not tensors get no gradient
            check_no_gradient_for_non_tensors(self, result)
        return result

    def apply(self, grad_outputs: list[Tensor | None]) -> list[Tensor | None]:
        """:meth:`call_backward`, then one gradient per edge in ``next_functions``, checked against
        its input's shape and dtype (None for an input that needs no gradient)."""
        result = self.call_backward(grad_outputs)
        out = []
        for edge, (next_node, _, arg_index, shape, dtype) in enumerate(self._edges):
            g = result[arg_index] if next_node is not None else None
            out.append(None if g is None else validate_grad(self, edge, g, shape, dtype))
        return out


class _FunctionMeta(type):
    """Gives each Function subclass its own node class, named ``<Function>Backward`` (or the
    class attribute ``node_name``, which built-in ops set to PyTorch's names). A Function written
    in PyTorch 2's other style (``setup_context`` defined) gets the ``apply`` for that style."""

    def __init__(cls, name, bases, attrs):
        super().__init__(name, bases, attrs)
        cls._setup_context_style = custom_function.has_setup_context(cls)
        if cls._setup_context_style:
            cls.apply = classmethod(
                functools.partial(custom_function.apply_setup_context_style, record=_apply_with_graph)
            )
        node_name = attrs.get("node_name") or f"{name}Backward"
        namespace = {"_forward_cls": cls, "__module__": cls.__module__, "__qualname__": node_name}
        namespace.update(custom_function.node_naming(cls, attrs))  # (how PyTorch prints the node)
        namespace.update(saved_tensors.saved_properties(cls))  # grad_fn._saved_self and the like
        cls._backward_cls = type(node_name, (BackwardNode,), namespace)


class Function(metaclass=_FunctionMeta):
    """Base class of every differentiable operation (see the module docstring).

    ``saved_names`` (built-in ops set it) names what ``save_for_backward`` keeps, in its order, as
    PyTorch names it, so that ``y.grad_fn._saved_self`` works as in PyTorch; ``saved_values``
    does the same for a few numbers kept on ``ctx`` (``_saved_exponent`` of ``x ** 2``).

    PyTorch 2 also accepts a second style, which minigrad accepts too: ``forward(*args)`` without
    ``ctx``, and a static ``setup_context(ctx, inputs, output)`` that saves what backward needs
    (``inputs``: forward's arguments, defaults included; ``output``: what forward returned)."""

    @staticmethod
    def forward(ctx: BackwardNode, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("You must implement the forward function for custom autograd.Function.")

    setup_context = staticmethod(custom_function.no_setup_context)
    saved_names = ()
    saved_values = {}  # PyTorch's name of a number the node keeps -> the ctx attribute holding it
    known_zeros_pass = False  # True, or one bool per argument: see autograd.known_zeros
    sums_to_shape = False  # True when backward sums a broadcast input's gradient back to its shape

    @staticmethod
    def backward(ctx: BackwardNode, *grad_outputs: Tensor | None) -> Any:
        raise NotImplementedError(
            "You must implement either the backward or vjp method for your "
            "custom autograd.Function to use it with backward mode AD."
        )

    def __call__(self, *args, **kwargs):
        raise RuntimeError(
            "Legacy autograd function with non-static forward method is deprecated. Please use "
            "new-style autograd function with static forward method. (Example: "
            "https://pytorch.org/docs/stable/autograd.html#torch.autograd.Function)"
        )

    @classmethod
    def apply(cls, *args: Any, **kwargs: Any) -> Any:  # what forward returns
        """Run ``forward`` and, when any input requires grad, record a node for ``backward``."""
        state = _grad_state
        if state["enabled"]:
            if not state["inference"]:
                for a in args:
                    if isinstance(a, Tensor) and a._requires_grad:
                        return _apply_with_graph(cls, args, kwargs)
        elif _errstate_var.get() is _IGNORE_ALL and not state["inference"]:
            # The modes forward needs are already set (every op inside backward): skip
            # _run_in_modes, which would find the same and just call (one call less per op).
            ctx = _no_graph_context(len(args))
            if len(args) == 2 and not kwargs:  # (the usual call, without a *: it costs half as much)
                return cls.forward(ctx, args[0], args[1])
            return cls.forward(ctx, *args, **kwargs)

        # Nothing to record: just the values.
        outputs = _run_in_modes(False, cls.forward, _no_graph_context(len(args)), *args, **kwargs)
        return _marked_inference(outputs) if state["inference"] else outputs


def _apply_with_graph(cls: type[Function], args: tuple, kwargs: dict):
    """``Function.apply`` when recording: run ``forward``, then link a node into the graph."""
    node = cls._backward_cls()
    # One edge per tensor argument: where its gradient goes (the next node, None if the input needs
    # no gradient, and which of that node's outputs the input was), which argument it is, and the
    # input's shape and dtype (the gradient that backward returns for it must match them).
    edges, next_functions, others = [], [], []
    needs = [False] * len(args)  # (arguments that are not tensors need no gradient)
    for i, a in enumerate(args):
        if not isinstance(a, Tensor):
            others.append(i)
        else:
            if a._base is not None:
                check_view_is_current(a)
            needs[i] = a._requires_grad
            # (a._gradient_edge(), without the call for the usual non-leaf input)
            next_node, input_nr = (a._grad_fn, a._output_nr) if a._grad_fn is not None else gradient_edge(a)
            edges.append((next_node, input_nr, i, a._data.shape, a._dtype))
            next_functions.append((next_node, input_nr))
    node.needs_input_grad = tuple(needs)

    if cls._setup_context_style:  # (PyTorch 2's other style: forward without ctx)
        outputs = _run_in_modes(False, custom_function.forward_then_setup_context, cls, node, *args)
    else:
        outputs = _run_in_modes(False, cls.forward, node, *args, **kwargs)  # the graph is recorded here

    # (Every node stores these, even where the class default would do: the engine reads them for
    # each node, and Python finds an attribute of the object itself several times faster.)
    node._edges = tuple(edges)
    node._other_arg_positions = tuple(others)
    node._released = False
    node.next_functions = tuple(next_functions)
    if anomaly_mode._state["enabled"]:
        node._forward_trace = traceback.extract_stack()[:-3]

    # Mark the outputs as produced by this node.
    single = not isinstance(outputs, tuple)
    wrapped, output_meta = [], []
    for nr, o in enumerate((outputs,) if single else outputs):
        if isinstance(o, Tensor):
            non_differentiable = node._non_differentiable and _contains(node._non_differentiable, o)
            if node._dirty and _contains(node._dirty, o):  # modified in place: it is the output
                check_dirty(o)
            elif _contains(args, o):  # forward returned an input as is: the output is a new tensor
                o = o._alias()
                if node._python_function:  # (an in-place change of it would bypass your backward)
                    o._returned_as_is_by = cls.__name__
            output_meta.append((o._data.shape, o._dtype))
            if o._dtype.is_floating_point and not non_differentiable:
                o._requires_grad = True
                o._grad_fn = node
                o._output_nr = nr
        else:
            output_meta.append(((), None))
        wrapped.append(o)
    node._output_meta = tuple(output_meta)
    node._n_outputs = len(output_meta)
    if node._dirty:
        custom_function.check_dirty_returned(node, wrapped)

    # Keep what forward saved, remembering each tensor's version (see saved_tensors).
    if node._to_save:
        save(node, wrapped, gradient_edge)
    else:
        node._saved = ()  # (on the node itself, as the fields above: the engine reads it)
    return wrapped[0] if single else tuple(wrapped)


# --- once_differentiable: for a Function of yours whose backward is not differentiable ---------
class DelayedError(Function):
    """What ``once_differentiable`` puts on top of a backward's results when a graph of the
    backward is being recorded: the identity, whose own backward raises (PyTorch's ``Error``
    node)."""

    node_name = "Error"
    qualified_node_name = "minigrad::autograd::Error"

    @staticmethod
    def forward(ctx: BackwardNode, *tensors: Tensor | None) -> tuple[Tensor | None, ...]:
        return tensors

    @staticmethod
    def backward(ctx: BackwardNode, *grads: Tensor | None) -> tuple[Tensor | None, ...]:
        raise RuntimeError(
            "trying to differentiate twice a function that was marked with @once_differentiable"
        )


def once_differentiable(backward: Callable) -> Callable:
    """Decorate a Function's ``backward`` that is not itself differentiable (it computes with
    numpy, say): it runs with recording off, and differentiating its result again
    (``create_graph=True`` and then backward) raises instead of giving a wrong second derivative."""

    @functools.wraps(backward)
    def wrapper(ctx: BackwardNode, *grads: Tensor | None) -> Any:
        with grad_mode.no_grad():
            outputs = backward(ctx, *grads)
        if not grad_mode.is_grad_enabled():
            return outputs
        if not any(isinstance(g, Tensor) and g.requires_grad for g in grads):
            return outputs  # (nothing of the graph leads here: nothing can differentiate it)
        single = not isinstance(outputs, tuple)
        stand_ins = [
            None if o is None else o.detach().requires_grad_() for o in ((outputs,) if single else outputs)
        ]
        errors = DelayedError.apply(*stand_ins)
        return errors[0] if single else errors

    return wrapper
