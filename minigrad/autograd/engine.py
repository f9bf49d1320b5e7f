"""The backward engine: one iterative walk over the graph that reports every step it takes.

``loss.backward()`` and ``minigrad.autograd.grad()`` both call :func:`run_backward`, which simply drains
:func:`iter_backward`. The stepping widgets call ``iter_backward`` themselves and show each event, so
what a learner watches is what really happens. The algorithm is PyTorch's, without the threads:

1. **Count dependencies.** Walk the graph from the root(s) once (with a stack, not recursion) and count,
   for every node, how many edges point into it. A node may run only when all of them have delivered.
2. **Seed the input buffers.** Each node has an *input buffer* with one slot per output of its forward
   op. The root's slot gets the starting gradient (``1`` for a scalar loss).
3. **Run ready nodes.** A *ready queue* holds nodes whose dependencies are all in; the one created last
   runs first (PyTorch's order; ``AccumulateGrad`` nodes before all others). Running a node:
   tensor hooks may replace its incoming gradient; its ``backward`` turns the gradient of its outputs
   into gradients for its inputs; unless ``retain_graph`` is set, its saved tensors are freed.
4. **Send along each edge.** Each input gradient is *added* into the next node's buffer — at a fork
   (``a + a``, ``x * x``, a tensor used twice) the contributions are summed — and the next node's
   dependency count drops by one; at zero it joins the ready queue.
5. ``AccumulateGrad`` nodes add what arrives into ``leaf.grad``; ``autograd.grad`` instead *captures*
   the gradient arriving for each requested input and leaves ``.grad`` alone.

Every step is an *event* (the classes below) with ``kind`` set to a short name. Pass
``snapshots=True`` to get, on each event, a copy of the engine's state (ready queue, dependency
counts, input buffers) as it is after that step.
"""

import heapq
from dataclasses import dataclass, field

import numpy as np

from . import anomaly_mode, grad_mode
from .function import AccumulateGrad


# --- events ---------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class EngineState:
    """A copy of the engine's bookkeeping after an event (only with ``snapshots=True``)."""

    ready_queue: tuple  # nodes waiting to run, next to run first
    dependencies: dict  # node -> edges still to deliver
    buffers: dict  # node -> tuple of gradients summed so far, one per output slot


@dataclass(frozen=True, slots=True)
class GraphTaskStarted:
    """The walk begins: ``roots`` are ``(node, input_nr, gradient)`` triples."""

    roots: tuple
    dependencies: dict
    state: EngineState | None = None
    kind: str = field(default="start", init=False)


@dataclass(frozen=True, slots=True)
class NodeStarted:
    """A node left the ready queue; ``grads_in`` is its input buffer, one gradient per output."""

    step: int
    node: object
    grads_in: tuple
    state: EngineState | None = None
    kind: str = field(default="run", init=False)


@dataclass(frozen=True, slots=True)
class HookFired:
    """A hook saw (and maybe replaced) the gradient of output ``output_nr`` of ``node``.
    ``hook_kind`` is ``"tensor"`` (``register_hook``) or ``"retain_grad"``."""

    step: int
    node: object
    output_nr: int
    hook_kind: str
    grad_in: object
    grad_out: object
    state: EngineState | None = None
    kind: str = field(default="hook", init=False)


@dataclass(frozen=True, slots=True)
class GradCaptured:
    """``autograd.grad`` took the gradient for its input number ``input_index``."""

    step: int
    node: object
    input_index: int
    grad: object
    state: EngineState | None = None
    kind: str = field(default="capture", init=False)


@dataclass(frozen=True, slots=True)
class NodeSkipped:
    """The node is not on a path to the requested ``inputs``, so it does not run."""

    step: int
    node: object
    state: EngineState | None = None
    kind: str = field(default="skip", init=False)


@dataclass(frozen=True, slots=True)
class GradSent:
    """``node`` sent ``grad`` along edge number ``edge`` to slot ``input_nr`` of ``next_node``;
    ``buffer`` is that slot's sum so far, ``dependencies_left`` what ``next_node`` still waits for."""

    step: int
    node: object
    edge: int
    next_node: object
    input_nr: int
    grad: object
    buffer: object
    dependencies_left: int
    state: EngineState | None = None
    kind: str = field(default="send", init=False)


@dataclass(frozen=True, slots=True)
class GradAccumulated:
    """An ``AccumulateGrad`` node added ``grad`` into ``variable.grad``, which is now ``total``.
    ``stored`` is False in a dry run (``accumulate_grad=False`` without ``inputs``)."""

    step: int
    node: object
    variable: object
    grad: object
    total: object
    stored: bool
    state: EngineState | None = None
    kind: str = field(default="accumulate", init=False)


@dataclass(frozen=True, slots=True)
class SavedTensorsFreed:
    """``node``'s saved tensors were released (no ``retain_graph``)."""

    step: int
    node: object
    state: EngineState | None = None
    kind: str = field(default="free_saved", init=False)


@dataclass(frozen=True, slots=True)
class BufferFreed:
    """``node`` has run; its input buffer is dropped."""

    step: int
    node: object
    state: EngineState | None = None
    kind: str = field(default="free_buffer", init=False)


@dataclass(frozen=True, slots=True)
class GraphTaskFinished:
    """The walk is over; ``captured`` holds ``autograd.grad``'s results (in input order)."""

    steps: int
    captured: tuple
    state: EngineState | None = None
    kind: str = field(default="done", init=False)


# --- graph walks (all iterative) ------------------------------------------------------------------
def _children(node):
    return [n for n, _ in node.next_functions if n is not None]


def count_dependencies(root_nodes):
    """How many edges point into each node reachable from the roots."""
    dependencies = {}
    seen = set(root_nodes)
    stack = list(seen)
    while stack:
        node = stack.pop()
        for child, _ in node.next_functions:
            if child is None:
                continue
            dependencies[child] = dependencies.get(child, 0) + 1
            if child not in seen:
                seen.add(child)
                stack.append(child)
    return dependencies


def _reaches(root_nodes, targets):
    """For every node below the roots: does some path from it lead to one of ``targets``?
    (A post-order walk with an explicit stack.)"""
    reach = {}
    for root in root_nodes:
        if root in reach:
            continue
        reach[root] = False
        stack = [(root, iter(_children(root)))]
        while stack:
            node, pending = stack[-1]
            for child in pending:
                if child not in reach:
                    reach[child] = False
                    stack.append((child, iter(_children(child))))
                    break
            else:
                stack.pop()
                reach[node] = node in targets or any(reach[c] for c in _children(node))
    return reach


def _slots(node):
    return len(node._output_meta) if not isinstance(node, AccumulateGrad) else 1


def _add(a, b):
    return b if a is None else (a if b is None else a + b)


# --- the engine -----------------------------------------------------------------------------------
def iter_backward(
    roots,
    grad_roots,
    *,
    retain_graph=False,
    create_graph=False,
    inputs=None,
    accumulate_grad=True,
    snapshots=False,
):
    """Walk the graph backward from ``roots``, yielding one event per step (see the module docstring).

    ``roots`` are ``(node, input_nr)`` edges (a tensor's ``grad_fn`` and ``output_nr``, or its
    ``AccumulateGrad``), ``grad_roots`` the gradients to start with. ``inputs`` are edges too: with
    ``accumulate_grad=True`` only those leaves accumulate (``backward(inputs=...)``); with False their
    gradients are captured and returned in the final event (``autograd.grad``). ``accumulate_grad=False``
    without ``inputs`` is a dry run: the events say what would be added to each ``.grad``.
    """
    root_nodes = list(dict.fromkeys(node for node, _ in roots))
    dependencies = count_dependencies(root_nodes)
    buffers = {}
    captures = {}
    needed = None
    if inputs is not None:
        targets = {node for node, _ in inputs}
        if accumulate_grad:
            run_targets = {n for n in targets if isinstance(n, AccumulateGrad)}
        else:
            run_targets = set()
            for i, (node, nr) in enumerate(inputs):
                captures.setdefault(node, []).append((nr, i))
        reach = _reaches(root_nodes, targets)
        needed = {n for n in reach if n in run_targets or any(reach[c] for c in _children(n))}
    captured = [None] * (len(inputs) if inputs is not None else 0)

    def state():
        if not snapshots:
            return None
        order = tuple(n for _, _, n in sorted(ready))
        return EngineState(
            order,
            {n: c for n, c in dependencies.items() if c > 0 or n in buffers},
            {n: tuple(b) for n, b in buffers.items()},
        )

    for (node, nr), g in zip(roots, grad_roots):
        buf = buffers.setdefault(node, [None] * _slots(node))
        buf[nr] = _add(buf[nr], g)
    ready = []
    for node in root_nodes:
        if dependencies.get(node, 0) == 0:
            heapq.heappush(ready, (-node._priority, -node._sequence_nr, node))
    yield GraphTaskStarted(
        tuple((n, nr, g) for (n, nr), g in zip(roots, grad_roots)), dict(dependencies), state()
    )

    step = 0
    while ready:
        node = heapq.heappop(ready)[2]
        step += 1
        grads = buffers.pop(node)
        yield NodeStarted(step, node, tuple(grads), state())

        for nr, hooks in node._tensor_pre_hooks.items():
            for _, hook in list(hooks):
                if grads[nr] is None:
                    continue
                replaced = hook(grads[nr])
                before = grads[nr]
                if replaced is not None:
                    grads[nr] = replaced
                yield HookFired(step, node, nr, "tensor", before, grads[nr], state())
        for nr, ref in node._retain_grad_refs.items():
            tensor = ref()
            if tensor is not None and grads[nr] is not None:
                with grad_mode.set_grad_enabled(create_graph):
                    tensor._retained_grad_add(grads[nr])
                yield HookFired(step, node, nr, "retain_grad", grads[nr], grads[nr], state())
        for nr, index in captures.get(node, ()):
            captured[index] = grads[nr]
            yield GradCaptured(step, node, index, grads[nr], state())
        if needed is not None and node not in needed:
            yield NodeSkipped(step, node, state())
            continue

        if isinstance(node, AccumulateGrad):
            if grads[0] is not None:
                if accumulate_grad:
                    with grad_mode.set_grad_enabled(create_graph):
                        total = node.accumulate(grads[0])
                else:
                    old = node.variable._grad
                    total = grads[0] if old is None else old.detach() + grads[0].detach()
                yield GradAccumulated(step, node, node.variable, grads[0], total, accumulate_grad, state())
            continue

        if all(g is None for g in grads):
            outs = [None] * len(node.next_functions)
        else:
            with grad_mode.set_grad_enabled(create_graph):
                outs = node.apply(grads)
            if anomaly_mode.is_anomaly_enabled():
                _check_nan(node, outs)
        if not retain_graph:
            node._release_saved()
            yield SavedTensorsFreed(step, node, state())
        for edge, ((child, nr), g) in enumerate(zip(node.next_functions, outs)):
            if child is None:
                continue
            buf = buffers.get(child)
            if buf is None:
                buf = buffers[child] = [None] * _slots(child)
            if g is not None:
                with grad_mode.set_grad_enabled(create_graph):
                    buf[nr] = _add(buf[nr], g)
            dependencies[child] -= 1
            if dependencies[child] == 0:
                heapq.heappush(ready, (-child._priority, -child._sequence_nr, child))
            yield GradSent(step, node, edge, child, nr, g, buf[nr], dependencies[child], state())
        yield BufferFreed(step, node, state())

    yield GraphTaskFinished(step, tuple(captured), state())


def _check_nan(node, grads):
    for i, g in enumerate(grads):
        if g is not None and g.dtype.is_floating_point and np.isnan(g._data).any():
            message = f"Function '{node.name()}' returned nan values in its {i}th output."
            if node._forward_trace:
                frame = node._forward_trace[-1]
                message += (
                    "\nTraceback of forward call that caused the error:\n"
                    f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}\n'
                    f"    {frame.line}"
                )
            raise RuntimeError(message)


def run_backward(roots, grad_roots, **options):
    """Run the engine to the end and return the captured gradients (for ``autograd.grad``)."""
    events = iter_backward(roots, grad_roots, **options)
    finished = None
    for finished in events:  # noqa: B007 - the last event is the GraphTaskFinished
        pass
    return finished.captured
