"""The backward graph's building blocks: ``Function``, its nodes, ``AccumulateGrad``, saved tensors.

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

import functools
import inspect
import itertools
import re
import traceback
import weakref
from types import MappingProxyType

import numpy as np

from . import anomaly_mode, grad_mode

_sequence_counter = itertools.count()

# minigrad.tensor and this module need each other; tensor.py and _factories.py fill these in once
# they exist (importing inside each function instead would cost microseconds on every call).
Tensor = None
zeros = None

_FREED_MESSAGE = (
    "Trying to backward through the graph a second time (or directly access saved tensors after they "
    "have already been freed). Saved intermediate values of the graph are freed when you call "
    ".backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the "
    "graph a second time or if you need to access saved tensors after calling backward."
)


class RemovableHandle:
    """Returned by ``register_hook``: call ``.remove()`` to take the hook off again."""

    def __init__(self, hooks, key):
        self._hooks_ref = weakref.ref(hooks) if not isinstance(hooks, list) else None
        self._hooks = hooks if isinstance(hooks, list) else None
        self._key = key

    def __repr__(self):  # (PyTorch's class is torch.utils.hooks.RemovableHandle; no address here)
        return "<minigrad.utils.hooks.RemovableHandle object>"

    def remove(self):
        hooks = self._hooks if self._hooks is not None else self._hooks_ref()
        if hooks is None:
            return
        for i, (key, _) in enumerate(hooks):
            if key == self._key:
                del hooks[i]
                return


_hook_ids = itertools.count()


def _add_hook(hooks, fn, prepend=False):
    """Add ``fn`` to the list ``hooks`` (at the end, or first with ``prepend``) under a new id; the
    handle's ``remove()`` takes it out."""
    key = next(_hook_ids)
    if prepend:
        hooks.insert(0, (key, fn))
    else:
        hooks.append((key, fn))
    return RemovableHandle(hooks, key)


_NO_HOOKS = MappingProxyType({})  # a node's hooks until it gets its own (read-only: shared)


class Node:
    """A node of the backward graph: what a tensor's ``grad_fn`` points to.

    ``next_functions`` is a tuple with one ``(node, input_nr)`` pair per tensor input of the forward
    operation: the node that will receive the gradient for that input, and which of that node's
    outputs the input was (``None`` where the input needs no gradient).
    """

    # Class-level defaults, shared until a node needs its own (graphs have many nodes; most have
    # no hooks, so creating a node sets only its sequence number).
    next_functions = ()
    _tensor_pre_hooks = _NO_HOOKS  # output_nr -> [(hook id, fn)]: tensor hooks
    _retain_grad_refs = _NO_HOOKS  # output_nr -> weakref of a tensor that retains grad
    _pre_hooks = ()  # [(hook id, fn)]: the node's own hooks, fn(grad_outputs), before it runs
    _post_hooks = ()  # [(hook id, fn)]: fn(grad_inputs, grad_outputs), after it has run
    _has_hooks = False  # set once any of the four above is: the engine's one test per node
    _input_meta = ()  # (shape, dtype) of each tensor input: gradients must match them
    _output_meta = ()  # (shape, dtype) of each output
    _n_outputs = 1  # how many outputs: the slots of the node's input buffer in the engine
    _released = False
    _forward_trace = None  # set in anomaly mode: where the forward op was called
    _python_function = False  # True for the nodes of Functions that PyTorch, too, has in Python

    def __init__(self):
        self._sequence_nr = next(_sequence_counter)

    @property
    def metadata(self):
        if "_metadata" not in self.__dict__:
            self._metadata = {}
        return self._metadata

    def name(self):
        """The node's class name, e.g. ``MulBackward0``."""
        return type(self).__name__

    def __repr__(self):
        # PyTorch prints '<MulBackward0 object at 0x7f...>'; minigrad leaves the address out so that
        # notebook outputs are the same in every run. (The class name: name() may add a namespace.)
        return f"<{type(self).__name__} object>"

    def register_prehook(self, fn):
        """Call ``fn(grad_outputs)`` before this node runs (after the hooks of the tensors it made);
        a tuple it returns replaces ``grad_outputs``. Returns a handle with ``.remove()``."""
        if not self._pre_hooks:
            self._pre_hooks = []
        self._has_hooks = True
        return _add_hook(self._pre_hooks, fn)

    def register_hook(self, fn):
        """Call ``fn(grad_inputs, grad_outputs)`` after this node has run: ``grad_inputs`` has one
        gradient per ``next_functions`` edge (None where the input needs none); a tuple it returns
        replaces them. Returns a handle with ``.remove()``."""
        if not self._post_hooks:
            self._post_hooks = []
        self._has_hooks = True
        return _add_hook(self._post_hooks, fn)

    def _register_tensor_hook(self, output_nr, fn):
        if self._tensor_pre_hooks is _NO_HOOKS:
            self._tensor_pre_hooks = {}
        self._has_hooks = True
        return _add_hook(self._tensor_pre_hooks.setdefault(output_nr, []), fn)

    def apply(self, grad_outputs):  # pragma: no cover - every node type defines it
        raise NotImplementedError

    def _add_retain_grad(self, output_nr, tensor):
        if self._retain_grad_refs is _NO_HOOKS:
            self._retain_grad_refs = {}
        self._has_hooks = True
        self._retain_grad_refs[output_nr] = weakref.ref(tensor)


class AccumulateGrad(Node):
    """The node at the end of every path: adds the arriving gradient into ``variable.grad``.

    The first gradient is stored as a copy; later ones are added in place (that is why gradients
    *accumulate* across ``backward()`` calls until you zero them). With ``create_graph=True`` the sum
    is taken out of place, so that ``.grad`` keeps its own ``grad_fn``.
    """

    def __init__(self, variable):
        super().__init__()
        self.variable = variable
        self._input_meta = ((variable._data.shape, variable._dtype),)

    @property
    def _tensor_pre_hooks(self):
        """Hooks registered on the leaf (``x.register_hook``) run here, before accumulation."""
        hooks = self.variable._leaf_hooks
        return {0: hooks} if hooks else _NO_HOOKS

    @_tensor_pre_hooks.setter
    def _tensor_pre_hooks(self, value):
        pass  # the hooks live on the leaf tensor itself

    @property
    def _has_hooks(self):
        var = self.variable
        return bool(var._leaf_hooks or var._post_accumulate_hooks or self._pre_hooks or self._post_hooks)

    @_has_hooks.setter
    def _has_hooks(self, value):
        pass  # (worked out from the leaf's and the node's hooks)

    def name(self):
        return "minigrad::autograd::AccumulateGrad"  # PyTorch: 'torch::autograd::AccumulateGrad'

    def accumulate(self, grad):
        """Add ``grad`` into ``variable.grad``; returns the new ``.grad``."""
        var = self.variable
        create_graph = grad_mode._state["enabled"]  # (the engine turns it on for create_graph)
        if var._grad is None:
            if create_graph:  # a copy that stays in the graph, as PyTorch's CopyBackwards
                var._grad = zeros(var.shape, dtype=var.dtype).copy_(grad)
            else:
                var._grad = Tensor._make(grad._data.copy(), grad._dtype)
        elif create_graph:
            var._grad = var._grad + grad
        else:
            # In place, as PyTorch does: a reference taken earlier with g = x.grad sees the sum too.
            _add_in_place(var._grad._data, grad._data)
            _bump_version(var._grad)
        return var._grad


def _add_in_place(total, array):
    """``total += array`` for two numpy arrays of the same shape and dtype. A 0-d one is added as
    numpy scalars: the same sum, for a third of the cost of numpy's in-place add on 0-d arrays."""
    if total.ndim:
        total += array
    else:
        total[()] = total[()] + array[()]


class _VersionCounter:
    """Counts in-place changes to a tensor's storage; shared by the tensor, its views and detach().
    (It starts at the class's 0; the first ``value += 1`` gives the counter its own value.)"""

    value = 0


def _version_counter_of(tensor):
    """``tensor``'s version counter, made now if it has none yet. Most results of operations are
    never changed in place, viewed or saved as an output, so a tensor starts without one (at
    version 0) and gets it only when something needs to share or move it."""
    counter = tensor._version_counter
    if counter is None:
        counter = tensor._version_counter = _VersionCounter()
    return counter


def _bump_version(tensor):
    """Record one in-place change of ``tensor``'s storage (seen by its views and saved copies)."""
    _version_counter_of(tensor).value += 1


class SavedTensor:
    """A tensor stored by ``ctx.save_for_backward``, with the version it had when saved.

    Unpacking checks two things PyTorch checks: that the graph was not freed by an earlier backward
    (``retain_graph``), and that nobody modified the tensor in place since it was saved (its version
    counter moved on), which would make the gradient silently wrong.
    """

    __slots__ = ("tensor", "saved_version")

    def __init__(self, tensor):
        self.tensor = tensor
        self.saved_version = tensor._version

    def unpack(self, node):
        """The tensor, checked: it must not have been modified in place since it was saved. (Its
        node's ``saved_tensors`` checks first that backward did not free it.)"""
        tensor = self.tensor
        if tensor._version != self.saved_version:
            # PyTorch names the op that produced the tensor *now*
            producer = tensor._grad_fn.name() if tensor._grad_fn is not None else None
            raise _modified_error(tensor._data.shape, tensor._dtype, tensor._output_nr, producer, self)
        return tensor

    @property
    def current_version(self):
        return self.tensor._version


class SavedOutput(SavedTensor):
    """An output of the node itself (``y = exp(x)`` saves ``y``), stored without the tensor object —
    just its numbers, dtype and version counter — so that node and output do not keep each other
    alive. Unpacking rebuilds a tensor whose ``grad_fn`` is the node."""

    __slots__ = ("data", "dtype", "version_counter", "output_nr", "requires_grad")

    def __init__(self, tensor):
        self.tensor = None
        self.data = tensor._data
        self.dtype = tensor._dtype
        self.version_counter = _version_counter_of(tensor)  # shared with the output
        self.saved_version = self.version_counter.value
        self.output_nr = tensor._output_nr
        self.requires_grad = tensor._requires_grad

    def unpack(self, node):
        if self.version_counter.value != self.saved_version:
            raise _modified_error(self.data.shape, self.dtype, self.output_nr, node.name(), self)
        out = Tensor._make(self.data, self.dtype)
        out._version_counter = self.version_counter
        if self.requires_grad:
            out._requires_grad = True
            out._grad_fn = node
            out._output_nr = self.output_nr
        return out

    @property
    def current_version(self):
        return self.version_counter.value


#: The (pack, unpack) pairs of the ``autograd.graph.saved_tensors_hooks`` blocks we are in; the
#: innermost one packs what ops save.
_saved_tensors_hooks = []


class HookedSavedTensor:
    """A tensor saved inside ``saved_tensors_hooks(pack, unpack)``: the node keeps ``pack(tensor)``,
    whatever that is (a copy on disk, a compressed copy, ...), and ``unpack`` turns it back into a
    tensor when backward needs it. The unpacked tensor takes the saved one's place in the graph
    (its grad_fn, or its leaf's AccumulateGrad), so that a second derivative still reaches the
    leaves. (The version check of plain saved tensors is skipped, as in PyTorch: the node holds
    no tensor to compare.)"""

    __slots__ = (
        "packed",
        "unpack_hook",
        "own_output",
        "requires_grad",
        "grad_fn",
        "output_nr",
        "accumulator",
    )

    def __init__(self, tensor, hooks, own_output):
        pack_hook, self.unpack_hook = hooks
        version = tensor._version
        self.packed = pack_hook(tensor)
        if tensor._version != version:
            raise RuntimeError(
                "A saved tensor pack hook is modifying its input in place. Tensors provided as input to "
                "pack hook cannot be modified by in-place operations as this can lead to unexpected "
                "side-effects. Please open an issue if you need to perform in-place operations on the "
                "input to a pack hook."
            )
        self.own_output = own_output
        self.requires_grad = tensor._requires_grad
        self.output_nr = tensor._output_nr
        # (for the node's own output, the node itself: not kept here, or node and output would
        # keep each other alive)
        self.grad_fn = None if own_output else tensor._grad_fn
        is_leaf = tensor._requires_grad and tensor._grad_fn is None
        self.accumulator = tensor._gradient_edge()[0] if is_leaf else None

    def unpack(self, node):
        data = self.unpack_hook(self.packed)
        if not isinstance(data, Tensor):
            raise TypeError(
                "Output of saved tensor unpack_hook expected to be a Tensor but got result of type "
                f"{type(data).__name__}"
            )
        out = Tensor._make(data._data, data._dtype)
        if self.requires_grad:
            out._requires_grad = True
            if self.own_output:
                out._grad_fn, out._output_nr = node, self.output_nr
            elif self.grad_fn is not None:
                out._grad_fn, out._output_nr = self.grad_fn, self.output_nr
            else:  # a leaf: the same AccumulateGrad, so gradients still reach leaf.grad
                out._grad_accumulator = weakref.ref(self.accumulator)
        return out


def _modified_error(shape, dtype, output_nr, producer, saved):
    """PyTorch's error for a saved tensor that was changed in place after it was saved."""
    shape = "[" + ", ".join(str(s) for s in shape) + "]"
    message = (
        "one of the variables needed for gradient computation has been modified by an "
        f"inplace operation: [minigrad.{dtype.legacy_name} {shape}]"
    )
    if producer is not None:
        op = re.sub(r"Backward\d*$", "", producer)  # 'ExpBackward0' -> 'Exp'
        message += f", which is output {output_nr} of {op},"
    message += f" is at version {saved.current_version}; expected version {saved.saved_version} instead."
    if anomaly_mode.is_anomaly_enabled():
        message += (
            " Hint: the backtrace further above shows the operation that failed to "
            "compute its gradient. The variable in question was changed in there or "
            "anywhere later. Good luck!"
        )
    else:
        message += (
            " Hint: enable anomaly detection to find the operation that failed to "
            "compute its gradient, with minigrad.autograd.set_detect_anomaly(True, check_nan=False)."
        )
    return RuntimeError(message)


class BackwardNode(Node):
    """The node (and ``ctx``) of a ``Function`` call. Its class is made per Function:
    ``MyReLU`` gets ``MyReLUBackward``; built-in ops give PyTorch's names, e.g. ``MulBackward0``."""

    _forward_cls = None
    needs_input_grad = ()
    _to_save = ()
    _saved = ()
    _non_differentiable = ()
    _dirty = ()
    _materialize_grads = True
    # per edge (in the order of next_functions): (next node, input_nr, forward argument index,
    # the input's shape, dtype)
    _edges = ()
    _other_arg_positions = ()  # forward argument index of each argument that is not a tensor

    # --- the ctx API used inside forward and backward -------------------------------------------
    def save_for_backward(self, *tensors):
        """Keep tensors for ``backward``. Use this (not ``ctx.x = x``) for tensors: it lets minigrad
        free them after backward and detect in-place changes made to them in between."""
        self._to_save = tensors

    @property
    def saved_tensors(self):
        """The tensors given to ``save_for_backward``, checked and unpacked."""
        if self._released:
            raise RuntimeError(_FREED_MESSAGE)
        unpacked = []
        for saved in self._saved:
            unpacked.append(None if saved is None else saved.unpack(self))
        return tuple(unpacked)

    def mark_non_differentiable(self, *tensors):
        """Declare outputs that have no gradient (e.g. the indices returned by ``max``)."""
        self._non_differentiable = tensors

    def _saved_by_name(self, index):
        """What ``grad_fn._saved_self`` and the like return (the node classes get one property per
        name in their Function's ``saved_names``): the ``index``-th saved tensor. An input comes
        back as the very tensor; the node's own output as a new tensor with the same numbers.
        After backward freed them, reading one raises, as in PyTorch."""
        if self._released:
            raise RuntimeError(_FREED_MESSAGE)
        saved = self._saved[index] if index < len(self._saved) else None
        return None if saved is None else saved.unpack(self)

    def mark_dirty(self, *tensors):
        """Declare inputs that ``forward`` modified in place (and returns): they become outputs of
        this node, with a new version, instead of copies."""
        self._dirty = tensors

    def set_materialize_grads(self, value):
        """With True (the default), ``backward`` receives zeros instead of None for unused outputs."""
        self._materialize_grads = bool(value)

    def _release_saved(self):
        """Free the saved tensors (backward without ``retain_graph`` does, for nodes that saved
        some); ``saved_tensors`` raises from now on. A node that saved nothing is never released:
        its backward may run again, as in PyTorch."""
        self._released = True
        self._saved = ()

    @property
    def _input_meta(self):
        """(shape, dtype) of each tensor input, one per edge."""
        return tuple((shape, dtype) for _, _, _, shape, dtype in self._edges)

    # --- what the engine calls --------------------------------------------------------------
    def call_backward(self, grad_outputs):
        """Run the Function's ``backward`` for the gradients of its outputs (one per output; None
        for an output that got none) and return what it returned: a tuple with one gradient per
        argument of ``forward``, checked for its length and for None at non-tensor arguments.
        Each gradient still has to be checked against its input's shape and dtype: the engine does
        that as it sends it along its edge (PyTorch's ``validate_outputs``); :meth:`apply` too.

        It runs in the caller's modes: the engine calls it with numpy's warnings off and grad mode
        on only with ``create_graph`` (wrap other calls in ``_quietly``)."""
        grads = grad_outputs
        # (grads[0] and len first: cheap tests that usually settle it — one output, with a gradient)
        if (grads[0] is None or len(grads) > 1) and self._materialize_grads and _any_none(grads):
            grads = list(grads)
            for k, (shape, dtype) in enumerate(self._output_meta):
                if grads[k] is None and dtype is not None and dtype.is_floating_point:
                    grads[k] = zeros(shape, dtype=dtype)
        backward = self._forward_cls.backward
        # (one output, the usual case, is passed without a *: such a call costs half as much)
        result = backward(self, grads[0]) if len(grads) == 1 else backward(self, *grads)
        if type(result) is not tuple:
            result = (result,)
        if len(result) != len(self.needs_input_grad):
            result = self._check_gradient_count(result)
        if self._other_arg_positions:  # arguments that were not tensors get no gradient
            for i in self._other_arg_positions:
                if result[i] is not None:
                    raise RuntimeError(
                        f"function {self.name()} returned a gradient different than None "
                        f"at position {i + 1}, but the corresponding forward input was "
                        "not a Variable"
                    )
        return result

    def apply(self, grad_outputs):
        """:meth:`call_backward`, then one gradient per edge in ``next_functions``, checked against
        its input's shape and dtype (None for an input that needs no gradient)."""
        result = self.call_backward(grad_outputs)
        out = []
        for edge, (next_node, _, arg_index, shape, dtype) in enumerate(self._edges):
            g = result[arg_index] if next_node is not None else None
            out.append(None if g is None else _validate_grad(self, edge, g, shape, dtype))
        return out

    def _check_gradient_count(self, result):
        """``backward`` must return one gradient per forward argument; extra Nones are allowed
        (and dropped)."""
        needs = self.needs_input_grad
        if len(result) > len(needs) and _all_none(result[len(needs) :]):
            return result[: len(needs)]
        raise RuntimeError(
            f"function {self.name()} returned an incorrect number of gradients "
            f"(expected {len(needs)}, got {len(result)})"
        )


def _all_none(items):
    """True when every item is None. (By identity: ``==`` on tensors is an elementwise op, so
    ``items.count(None)`` or ``None in items`` would compute one per tensor.)"""
    for item in items:
        if item is not None:
            return False
    return True


def _any_none(items):
    """``None in items``, by identity (see :func:`_all_none`)."""
    for item in items:
        if item is None:
            return True
    return False


def _validate_grad(node, index, grad, shape, dtype):
    """Make the gradient for edge ``index`` of ``node`` fit its input (of ``shape`` and ``dtype``):
    reduce a broadcast shape, cast the dtype; raise PyTorch's errors for anything else.
    (The engine makes the first test itself, inline, for every edge: see ``GraphTask.walk``.)"""
    if type(grad) is Tensor and grad._data.shape == shape and grad._dtype is dtype:
        return grad  # (the usual case)
    if not isinstance(grad, Tensor):
        raise TypeError(
            f"function {node.name()} returned a gradient of type {type(grad).__name__} "
            f"at position {index}; expected a Tensor or None"
        )
    if grad._data.shape != shape:
        if _expandable(shape, grad.shape):
            from ..ops._util import sum_to_shape

            grad = sum_to_shape(grad, shape)
        else:
            raise RuntimeError(
                f"Function {node.name()} returned an invalid gradient at index {index} - "
                f"got {list(grad.shape)} but expected shape compatible with {list(shape)}"
            )
    if grad.dtype is not dtype:
        grad = grad.to(dtype)
    return grad


def _expandable(shape, target):
    """True when a tensor of ``shape`` broadcasts to ``target``."""
    if len(shape) > len(target):
        return False
    return all(s == t or s == 1 for s, t in zip(reversed(shape), reversed(target)))


class _NoGraphContext:
    """The ``ctx`` a forward gets when nothing will be recorded: saving is a no-op."""

    needs_input_grad = ()

    def save_for_backward(self, *tensors):
        pass

    def mark_non_differentiable(self, *tensors):
        pass

    def mark_dirty(self, *tensors):
        pass

    def set_materialize_grads(self, value):
        pass


def _no_graph_context(n_args):
    """A ``_NoGraphContext`` for a call with ``n_args`` arguments (``needs_input_grad``: n × False)."""
    ctx = _NoGraphContext()
    ctx.needs_input_grad = _NO_GRADS[n_args] if n_args < len(_NO_GRADS) else (False,) * n_args
    return ctx


_NO_GRADS = [(False,) * n for n in range(8)]  # made once: one op after another uses them


def _numpy_quiet_switch():
    """How to switch numpy's floating-point warnings off and on again, cheaply.

    ``np.errstate`` costs microseconds, and every operation needs the switch. numpy 2 keeps the
    setting in a context variable, so setting that variable directly does the same in a fraction of
    the time. Returns that variable, the value meaning "ignore all", and the two switches."""
    try:
        from numpy._core._ufunc_config import _extobj_contextvar as var

        with np.errstate(all="ignore"):
            ignore = var.get()
        return var, ignore, functools.partial(var.set, ignore), var.reset
    except (ImportError, AttributeError):  # pragma: no cover - other numpy versions
        import contextvars

        def enter():
            state = np.errstate(all="ignore")
            state.__enter__()
            return state

        # a variable that never holds the marker: every call switches with np.errstate
        return (
            contextvars.ContextVar("never_quiet", default=None),
            object(),
            enter,
            (lambda state: state.__exit__(None, None, None)),
        )


_errstate_var, _IGNORE_ALL, _quiet_on, _quiet_off = _numpy_quiet_switch()
_grad_state = grad_mode._state  # {"enabled": ..., "inference": ...}: changed in place, never replaced


def _run_in_modes(grad_enabled, function, *args, **kwargs):
    """Call ``function(*args, **kwargs)`` with grad mode set to ``grad_enabled`` and numpy's
    floating-point warnings off (inf and nan are results, as in PyTorch, not warnings); restore
    both afterwards. Every op's forward runs this way (with grad mode off: forward only computes
    values), and so does every step of the engine (grad mode on only with ``create_graph``).
    When both modes are already as wanted (ops called inside backward), it just calls."""
    state = grad_mode._state
    previous = state["enabled"]
    if previous == grad_enabled and _errstate_var.get() is _IGNORE_ALL:
        return function(*args, **kwargs)
    state["enabled"] = grad_enabled
    token = _quiet_on()
    try:
        return function(*args, **kwargs)
    finally:
        _quiet_off(token)
        state["enabled"] = previous


def _quietly(function, *args, **kwargs):
    """``function(*args, **kwargs)`` with numpy's floating-point warnings off, grad mode unchanged."""
    return _run_in_modes(grad_mode._state["enabled"], function, *args, **kwargs)


def _contains(items, obj):
    """``obj in items`` by identity (``==`` on tensors is elementwise)."""
    for item in items:
        if item is obj:
            return True
    return False


def _custom_node_repr(node):
    return f"<minigrad.autograd.function.{type(node).__name__} object>"


def _no_setup_context(ctx, inputs, output):
    """Function's default: forward itself receives ``ctx``."""
    raise NotImplementedError("setup_context is not implemented.")


class _FunctionMeta(type):
    """Gives each Function subclass its own node class, named ``<Function>Backward`` (or the
    class attribute ``node_name``, which built-in ops set to PyTorch's names). A Function written
    in PyTorch 2's other style (``setup_context`` defined) gets the ``apply`` for that style."""

    def __init__(cls, name, bases, attrs):
        super().__init__(name, bases, attrs)
        cls._setup_context_style = getattr(cls, "setup_context", _no_setup_context) is not _no_setup_context
        if cls._setup_context_style:
            cls.apply = classmethod(_apply_setup_context_style)
        node_name = attrs.get("node_name") or f"{name}Backward"
        namespace = {"_forward_cls": cls, "__module__": cls.__module__, "__qualname__": node_name}
        if not cls.__module__.startswith("minigrad.") or attrs.get("defined_in_python"):
            # a Function of yours (or one that PyTorch, too, writes in Python): PyTorch prints its
            # node with the module path
            namespace["__repr__"] = _custom_node_repr
            namespace["_python_function"] = True
        if "qualified_node_name" in attrs:  # the few nodes PyTorch names with a C++ namespace
            namespace["name"] = lambda self, _n=attrs["qualified_node_name"]: _n
        # grad_fn._saved_self and the like, as properties (a __getattr__ on nodes would slow down
        # every attribute the engine reads)
        for index, saved_name in enumerate(getattr(cls, "saved_names", ())):
            namespace["_saved_" + saved_name] = property(lambda self, _i=index: self._saved_by_name(_i))
        for saved_name, attribute in getattr(cls, "saved_values", {}).items():
            namespace["_saved_" + saved_name] = property(lambda self, _a=attribute: self.__dict__[_a])
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
    def forward(ctx, *args, **kwargs):
        raise NotImplementedError("You must implement the forward function for custom autograd.Function.")

    setup_context = staticmethod(_no_setup_context)
    saved_names = ()
    saved_values = {}  # PyTorch's name of a number the node keeps -> the ctx attribute holding it
    known_zeros_pass = False  # True, or one bool per argument: see engine._zeros_for_inputs
    sums_to_shape = False  # True when backward sums a broadcast input's gradient back to its shape

    @staticmethod
    def backward(ctx, *grad_outputs):
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
    def apply(cls, *args, **kwargs):
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


def _forward_then_setup_context(cls, ctx, *args):
    """The setup_context style: forward computes, then setup_context fills in ``ctx``."""
    output = cls.forward(*args)
    cls.setup_context(ctx, args, output)
    return output


def _apply_setup_context_style(cls, *args, **kwargs):
    """``apply`` of a Function with ``setup_context``: keyword arguments are bound to their places
    (and defaults filled in), as PyTorch does, then the same two ways as ``Function.apply``."""
    bound = inspect.signature(cls.forward).bind(*args, **kwargs)
    bound.apply_defaults()
    args = tuple(bound.args)
    state = _grad_state
    if state["enabled"] and not state["inference"]:
        for a in args:
            if isinstance(a, Tensor) and a._requires_grad:
                return _apply_with_graph(cls, args, {})
    ctx = _no_graph_context(len(args))
    outputs = _run_in_modes(False, _forward_then_setup_context, cls, ctx, *args)
    return _marked_inference(outputs) if state["inference"] else outputs


def _marked_inference(outputs):
    """Outputs made inside ``inference_mode`` are inference tensors (they can never join a graph)."""
    for o in outputs if isinstance(outputs, tuple) else (outputs,):
        if isinstance(o, Tensor):
            o._is_inference = True
    return outputs


class DelayedError(Function):
    """What ``once_differentiable`` puts on top of a backward's results when a graph of the
    backward is being recorded: the identity, whose own backward raises (PyTorch's ``Error``
    node)."""

    node_name = "Error"
    qualified_node_name = "minigrad::autograd::Error"

    @staticmethod
    def forward(ctx, *tensors):
        return tensors

    @staticmethod
    def backward(ctx, *grads):
        raise RuntimeError(
            "trying to differentiate twice a function that was marked with @once_differentiable"
        )


def once_differentiable(backward):
    """Decorate a Function's ``backward`` that is not itself differentiable (it computes with
    numpy, say): it runs with recording off, and differentiating its result again
    (``create_graph=True`` and then backward) raises instead of giving a wrong second derivative."""

    @functools.wraps(backward)
    def wrapper(ctx, *grads):
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


def _check_dirty(tensor):
    """An input that a Function changed in place (``ctx.mark_dirty``) takes the node as its history:
    not allowed for a leaf that requires grad, as for any in-place operation."""
    if tensor._requires_grad and tensor._grad_fn is None:
        raise RuntimeError("a leaf Variable that requires grad has been used in an in-place operation.")
    if tensor._base is not None and tensor._requires_grad:
        raise RuntimeError(
            "minigrad does not support in-place operations on a view that takes part in autograd "
            "(PyTorch rewrites the view's history; minigrad does not). Use an out-of-place "
            "operation instead."
        )


def _apply_with_graph(cls, args, kwargs):
    """``Function.apply`` when recording: run ``forward``, then link a node into the graph."""
    node = cls._backward_cls()
    # One edge per tensor argument: where its gradient goes (the next node, None if the input needs
    # no gradient, and which of that node's outputs the input was), which argument it is, and the
    # input's shape and dtype (the gradient that backward returns for it must match them).
    edges, others = [], []
    needs = [False] * len(args)  # (arguments that are not tensors need no gradient)
    for i, a in enumerate(args):
        if not isinstance(a, Tensor):
            others.append(i)
        else:
            if a._base is not None:
                a._check_view_is_current()
            needs[i] = a._requires_grad
            # (a._gradient_edge(), without the call for the usual non-leaf input)
            next_node, input_nr = (a._grad_fn, a._output_nr) if a._grad_fn is not None else a._gradient_edge()
            edges.append((next_node, input_nr, i, a._data.shape, a._dtype))
    node.needs_input_grad = tuple(needs)

    if cls._setup_context_style:  # (PyTorch 2's other style: forward without ctx)
        outputs = _run_in_modes(False, _forward_then_setup_context, cls, node, *args)
    else:
        outputs = _run_in_modes(False, cls.forward, node, *args, **kwargs)  # the graph is recorded here

    # (Every node stores these, even where the class default would do: the engine reads them for
    # each node, and Python finds an attribute of the object itself several times faster.)
    node._edges = tuple(edges)
    node._other_arg_positions = tuple(others)
    node._released = False
    node.next_functions = tuple([(next_node, input_nr) for next_node, input_nr, _, _, _ in edges])
    if anomaly_mode._state["enabled"]:
        node._forward_trace = traceback.extract_stack()[:-3]

    # Mark the outputs as produced by this node.
    single = not isinstance(outputs, tuple)
    wrapped, output_meta = [], []
    for nr, o in enumerate((outputs,) if single else outputs):
        if isinstance(o, Tensor):
            non_differentiable = node._non_differentiable and _contains(node._non_differentiable, o)
            if node._dirty and _contains(node._dirty, o):  # modified in place: it is the output
                _check_dirty(o)
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
    if node._dirty and not all(_contains(wrapped, t) for t in node._dirty):
        raise RuntimeError(
            "Some elements marked as dirty during the forward method were not returned as output. "
            "The inputs that are modified inplace must all be outputs of the Function."
        )

    # Keep what forward saved, remembering each tensor's version.
    if not node._to_save:
        node._saved = ()
    else:
        saved = []
        for t in node._to_save:
            if t is None:
                saved.append(None)
            elif t._is_inference:
                raise RuntimeError(
                    "Inference tensors cannot be saved for backward. Please do not use Tensors created "
                    "in inference mode in computation tracked by autograd. To work around this, you can "
                    "make a clone to get a normal tensor and use it in autograd, or use "
                    "`minigrad.no_grad()` instead of `minigrad.inference_mode()`."
                )
            elif _saved_tensors_hooks and not t._wrapped_number:  # in saved_tensors_hooks: pack it
                own_output = t._grad_fn is node and _contains(wrapped, t)
                saved.append(HookedSavedTensor(t, _saved_tensors_hooks[-1], own_output))
            elif t._grad_fn is node and _contains(wrapped, t):  # one of this node's own outputs
                saved.append(SavedOutput(t))
            else:
                saved.append(SavedTensor(t))
        node._saved = tuple(saved)
        node._to_save = ()
    return wrapped[0] if single else tuple(wrapped)
