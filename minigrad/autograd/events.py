"""The engine's events: one object per step of the backward walk.

:func:`minigrad.autograd.engine.iter_backward` yields them; the stepping widgets of
:mod:`minigrad.viz` show them, so that what a learner watches is what the engine really does.
Every event has ``kind`` (a short name of the step) and the fields listed in its ``fields``,
readable as attributes (``event.node``, ``event.grad``...); ``state`` is an :class:`EngineState`
(a copy of the engine's bookkeeping after the step) when the walk was asked for ``snapshots``.
PyTorch's engine makes no such objects: they are minigrad's window on the same steps.
"""


class Event:
    """One step the engine took. ``kind`` names the step; each kind has the fields listed in its
    ``fields``, readable as attributes (``event.node``, ``event.grad``...); ``state`` is the engine's
    bookkeeping after the step when ``snapshots=True``, else None."""

    __slots__ = ("_values",)
    kind = ""
    fields = ()
    _index = {}

    def __init__(self, *values):
        self._values = values  # one store: the engine makes several events per node

    def __getattr__(self, name):
        index = type(self)._index.get(name)
        if index is None:
            raise AttributeError(f"{type(self).__name__} has no field {name!r}")
        return self._values[index] if index < len(self._values) else None

    def __repr__(self):
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.fields if name != "state")
        return f"{type(self).__name__}({shown})"


def _event(name, kind, fields, doc):
    """Make an Event subclass with the given field names (``state`` is always last)."""
    names = tuple(fields.split()) + ("state",)
    index = {n: i for i, n in enumerate(names)}
    return type(
        name,
        (Event,),
        {
            "__slots__": (),
            "kind": kind,
            "fields": names,
            "_index": index,
            "__doc__": doc,
            "__module__": __name__,
        },
    )


class EngineState:
    """A copy of the engine's bookkeeping after an event (only with ``snapshots=True``):
    ``ready_queue`` (nodes waiting to run, next first), ``dependencies`` (node -> edges still to
    deliver), ``buffers`` (node -> the gradients summed so far, one per output slot)."""

    __slots__ = ("ready_queue", "dependencies", "buffers")

    def __init__(self, ready_queue, dependencies, buffers):
        self.ready_queue, self.dependencies, self.buffers = ready_queue, dependencies, buffers

    @classmethod
    def of(cls, task):
        """The state of ``task`` (an engine's ``GraphTask``) now."""
        return cls(
            task.ready.in_order(),
            {n: c for n, c in task.dependencies.items() if c > 0 or n in task.buffers},
            {n: tuple(b) for n, b in task.buffers.items()},
        )


GraphTaskStarted = _event(
    "GraphTaskStarted",
    "start",
    "roots dependencies",
    "The walk begins: ``roots`` are ``(node, input_nr, gradient)`` triples.",
)
NodeStarted = _event(
    "NodeStarted",
    "run",
    "step node grads_in",
    "A node left the ready queue; ``grads_in`` is its input buffer, one gradient per output.",
)
HookFired = _event(
    "HookFired",
    "hook",
    "step node output_nr hook_kind grad_in grad_out",
    "A hook saw (and maybe replaced) the gradient of output ``output_nr``; "
    "``hook_kind`` is ``'tensor'`` (register_hook), ``'retain_grad'`` or ``'post accumulate grad'`` "
    "(a leaf's register_post_accumulate_grad_hook, after its .grad was stored). A hook of the node "
    "itself that replaced its gradients is ``'node pre-hook'`` (``grad_fn.register_prehook``: "
    "``grad_in``/``grad_out`` are the gradients of all outputs) or ``'node hook'`` "
    "(``grad_fn.register_hook``: the gradients of all inputs), with ``output_nr`` None.",
)
GradCaptured = _event(
    "GradCaptured",
    "capture",
    "step node input_index grad",
    "``autograd.grad`` took the gradient for its input number ``input_index``.",
)
NodeSkipped = _event(
    "NodeSkipped",
    "skip",
    "step node",
    "The node is not on a path to the requested ``inputs``: it would be ready now (reported in the "
    "step of the node that sent it its last gradient), but it never joins the ready queue.",
)
GradSent = _event(
    "GradSent",
    "send",
    "step node edge next_node input_nr grad buffer dependencies_left",
    "``node`` sent ``grad`` along edge number ``edge`` to slot ``input_nr`` of "
    "``next_node``; ``buffer`` is that slot's sum so far, ``dependencies_left`` what "
    "``next_node`` still waits for.",
)
GradAccumulated = _event(
    "GradAccumulated",
    "accumulate",
    "step node variable grad total stored",
    "An ``AccumulateGrad`` node added ``grad`` into ``variable.grad``, which is "
    "now ``total``. ``stored`` is False in a dry run.",
)
SavedTensorsFreed = _event(
    "SavedTensorsFreed",
    "free_saved",
    "step node",
    "``node``'s saved tensors were released (no ``retain_graph``).",
)
BufferFreed = _event(
    "BufferFreed", "free_buffer", "step node", "``node`` has run; its input buffer is dropped."
)
GraphTaskFinished = _event(
    "GraphTaskFinished",
    "done",
    "steps captured",
    "The walk is over; ``captured`` holds ``autograd.grad``'s results.",
)
