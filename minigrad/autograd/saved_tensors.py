"""Saved tensors: what ``ctx.save_for_backward`` keeps, and the two checks PyTorch makes on it.

A node keeps the tensors its backward needs (``x`` for ``x * y``, the output for ``exp``). PyTorch
checks two things when backward unpacks one, and so does minigrad:

- the graph was not freed by an earlier backward: without ``retain_graph=True`` backward releases
  a node's saved tensors as soon as it has run (``FREED_MESSAGE`` otherwise);
- nobody changed the tensor in place since it was saved: its *version counter* (see
  :mod:`minigrad.tensor`) must still show the version it had, or the gradient would be silently
  wrong (:func:`_modified_error`).

A node's own output is kept without the tensor object (:class:`SavedOutput`), so that node and
output do not keep each other alive. Inside ``autograd.graph.saved_tensors_hooks(pack, unpack)``
every saved tensor goes through your ``pack`` and comes back through ``unpack``
(:class:`HookedSavedTensor`).
"""

from __future__ import annotations

import re
import weakref

from ..tensor import Tensor, _version_counter_of
from . import anomaly_mode

FREED_MESSAGE = (
    "Trying to backward through the graph a second time (or directly access saved tensors after they "
    "have already been freed). Saved intermediate values of the graph are freed when you call "
    ".backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the "
    "graph a second time or if you need to access saved tensors after calling backward."
)


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

    def __init__(self, tensor, hooks, own_output, gradient_edge):
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
        self.accumulator = gradient_edge(tensor)[0] if is_leaf else None

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


def _contains(items, obj):
    """``obj in items`` by identity (``==`` on tensors is elementwise)."""
    for item in items:
        if item is obj:
            return True
    return False


def save(node, outputs, gradient_edge) -> None:
    """Turn what forward passed to ``save_for_backward`` (``node._to_save``) into the node's saved
    tensors, remembering each one's version; ``outputs`` are the node's outputs. (``gradient_edge``:
    the function of that name in :mod:`minigrad.autograd.function`, which imports this module.)"""
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
            own_output = t._grad_fn is node and _contains(outputs, t)
            saved.append(HookedSavedTensor(t, _saved_tensors_hooks[-1], own_output, gradient_edge))
        elif t._grad_fn is node and _contains(outputs, t):  # one of this node's own outputs
            saved.append(SavedOutput(t))
        else:
            saved.append(SavedTensor(t))
    node._saved = tuple(saved)
    node._to_save = ()


def saved_values(node) -> list:
    """What ``node`` saved, read without unpacking it (which may raise): one
    ``(tensor, output_nr, numbers)`` per saved tensor that still has the version it was saved at;
    ``tensor`` is None for the node's own output (kept as numbers only). For drawing a graph,
    which must neither change nor break it."""
    values = []
    for saved in getattr(node, "_saved", ()):
        if saved is None or saved.current_version != saved.saved_version:
            continue
        tensor = saved.tensor
        numbers = getattr(saved, "data", None) if tensor is None else tensor._data
        values.append((tensor, getattr(saved, "output_nr", 0), numbers))
    return values


# --- reading them back by name: ``grad_fn._saved_self`` -------------------------------
def saved_by_name(node, index: int):
    """What ``grad_fn._saved_self`` and the like return: the ``index``-th saved tensor. An input
    comes back as the very tensor; the node's own output as a new tensor with the same numbers.
    After backward freed them, reading one raises, as in PyTorch."""
    if node._released:
        raise RuntimeError(FREED_MESSAGE)
    saved = node._saved[index] if index < len(node._saved) else None
    return None if saved is None else saved.unpack(node)


def saved_properties(cls: type) -> dict:
    """The properties ``_saved_<name>`` of the node class of Function ``cls``: one per name in its
    ``saved_names`` (what ``save_for_backward`` keeps, in order, under PyTorch's names) and per
    entry of ``saved_values`` (a number kept on ``ctx``). Properties, as a ``__getattr__`` on nodes
    would slow down every attribute the engine reads."""
    found = {}
    for index, name in enumerate(getattr(cls, "saved_names", ())):
        found["_saved_" + name] = property(lambda self, _i=index: saved_by_name(self, _i))
    for name, attribute in getattr(cls, "saved_values", {}).items():
        found["_saved_" + name] = property(lambda self, _a=attribute: self.__dict__[_a])
    return found


# --- a view used after its storage changed in place --------------------------------------------------
def check_view_is_current(tensor: Tensor) -> None:
    """A view that requires grad may be used only while its base has the version it was taken at."""
    if (
        tensor._base is not None
        and tensor._requires_grad
        and tensor._version_counter.value != tensor._view_version
    ):
        raise RuntimeError(
            "minigrad cannot use this view in autograd: its storage was modified in "
            "place after the view was taken, and minigrad (unlike PyTorch) does not "
            "rebuild a view's history. Take the view again after the in-place "
            "operation."
        )
