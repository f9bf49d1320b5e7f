"""The backward engine: PyTorch's algorithm, one iterative walk over the graph, without threads.

``loss.backward()`` and ``autograd.grad()`` (:mod:`~minigrad.autograd.entry_points`) give it the
graph's *roots* — ``(node, input_nr)`` edges — and the gradients to start from. Then:

1. **Count dependencies**: walk the graph once (a stack, not recursion) and count the edges that
   point into each node; a node may run only when all of them have delivered.
2. **Seed the input buffers**: a node's buffer has one slot per output of its forward op; each
   root's slot gets its starting gradient (``1`` for a scalar loss).
3. **Pop the ready queue**: it holds the nodes whose dependencies are all in; the one created
   last runs first, ``AccumulateGrad`` before all others (:mod:`~minigrad.autograd.ready_queue`).
4. **Run the node**: ``call_backward`` turns the gradients of its outputs into gradients of its
   inputs (the chain rule); unless ``retain_graph``, its saved tensors are freed.
5. **Send along each edge**: each gradient is *added* into the next node's buffer — at a fork
   (``x * x``) contributions sum — and that node's count drops by one; at zero it is ready.
6. **Accumulate into leaves**: an ``AccumulateGrad`` node adds what arrives into ``leaf.grad``.

Each step is also an *event* (:mod:`~minigrad.autograd.events`): :func:`iter_backward` yields them
for the stepping widgets; ``backward()`` runs the same walk without making any. What the engine
needs from a node is named in :class:`~minigrad.autograd.function.Node`. PyTorch's other rules
enter as one guarded call each, from modules named for them: ``hooks``, ``validate_outputs``,
``known_zeros``, ``anomaly_mode``, ``exec_info`` (``inputs=``), ``saved_tensors``, ``grad_mode``.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator

from ..tensor import Tensor
from . import anomaly_mode, events, exec_info, hooks, input_buffer, known_zeros
from .events import *  # noqa: F403  (re-exported: engine.GradSent and the other events)
from .function import AccumulateGrad, Node
from .grad_mode import _run_in_modes
from .ready_queue import ReadyQueue
from .validate_outputs import all_none, validate_grad


def count_dependencies(root_nodes: list[Node]) -> dict[Node, int]:
    """Step 1: how many edges point into each node reachable from the roots. A node is walked the
    first time an edge reaches it; reaching it again only counts the edge."""
    dependencies = dict.fromkeys(root_nodes, 0)
    stack = list(dependencies)
    count_of = dependencies.get
    while stack:
        for child, _ in stack.pop().next_functions:
            if child is not None:
                count = count_of(child)
                if count is None:  # reached for the first time: walk it too
                    dependencies[child] = 1
                    stack.append(child)
                else:
                    dependencies[child] = count + 1
    for root in root_nodes:  # (a root no edge reaches has no dependencies)
        if dependencies.get(root) == 0:
            del dependencies[root]
    return dependencies


class GraphTask:
    """The bookkeeping of one backward pass (PyTorch's name for it): dependency counts, input
    buffers, the ready queue, and what ``autograd.grad`` asked for."""

    def __init__(self, roots, grad_roots, inputs, accumulate_grad, retain_graph, snapshots, report):
        root_nodes = list(dict.fromkeys(node for node, _ in roots))
        self.dependencies = count_dependencies(root_nodes)  # step 1
        self.buffers = {}  # node -> [summed gradient per output slot]
        self.ready = ReadyQueue()
        self.accumulate_grad, self.retain_graph, self.snapshots = accumulate_grad, retain_graph, snapshots
        self.report = report  # events.append, or None: nobody watches
        self.owned_sums = None  # node -> slots it may add to in place (see input_buffer)
        self.needed, self.captures = None, {}  # with inputs=: see exec_info
        self.captured = [None] * (len(inputs) if inputs is not None else 0)
        self.steps = 0
        if inputs is not None:
            self.needed, self.captures = exec_info.needed_and_captures(root_nodes, inputs, accumulate_grad)
        for (node, nr), g in zip(roots, grad_roots):  # step 2
            buf = self.buffers.setdefault(node, [None] * node._n_outputs)
            if g is not None:
                input_buffer.add(buf, node, nr, g, self.owned_sums)
        # PyTorch sends the root gradients along one edge each, in order: a root is ready once its
        # last edge has delivered, so roots join the queue in the order of their last edge
        for node in reversed(dict.fromkeys(node for node, _ in reversed(roots))):
            # (a lone root goes in unchecked, as PyTorch's graph root; several are checked each)
            if self.dependencies.get(node, 0) == 0:
                self.ready.push(node) if self.should_run(node) or len(roots) == 1 else self.skip(node)

    def should_run(self, node: Node) -> bool:
        """Only nodes on a path to ``inputs``, or captured, join the ready queue (see exec_info)."""
        return self.needed is None or node in self.needed or node in self.captures

    def skip(self, node: Node) -> None:
        """A node that is ready but must not run: it never joins the queue."""
        del self.buffers[node]
        if self.report:
            self.emit(events.NodeSkipped, node)

    def emit(self, event: type[events.Event], *fields: object) -> None:
        """Report an event of this step (called only when ``report``: someone watches)."""
        self.report(event(self.steps, *fields, self.state()))

    def state(self) -> events.EngineState | None:
        """A copy of the bookkeeping for an event, or None without ``snapshots``."""
        return events.EngineState.of(self) if self.snapshots else None

    def walk(self) -> Iterator[None]:
        """Steps 3–6 until no node is ready, one node per step. A generator: with ``report`` it yields
        after each step (the caller takes the events out); without, it runs to the end at the first
        ``next()``. (A node that became ready alone, the queue empty, would come straight back out:
        unless someone watches the queue, it runs next without going in.)"""
        ready, buffers, dependencies, report = self.ready, self.buffers, self.dependencies, self.report
        needed, captures, owned, retain_graph = self.needed, self.captures, self.owned_sums, self.retain_graph
        anomaly, waiting = anomaly_mode._state, ready.heap  # (a list: its truth is cheap to test)
        pop, push, add_to_buffer = ready.pop, ready.push, input_buffer.add  # (looked up once)
        step, lone, skipped = 0, None, None
        while lone is not None or waiting:
            # 3. pop the ready queue
            node = lone if lone is not None else pop()
            lone = None
            step += 1
            grads = buffers.pop(node)
            if owned:  # the buffer leaves the engine's hands: no more in-place sums into it
                owned.pop(node, None)
            if report:  # (events carry the step number)
                self.steps = step
                self.emit(events.NodeStarted, node, tuple(grads))
            if node._has_hooks:
                hooks.run_pre_hooks(self, node, grads, needed is None or node in needed)
            if captures:
                exec_info.capture(self, node, grads)
            if needed is not None and node not in needed:
                pass  # (here only to be captured, for autograd.grad)
            elif type(node) is AccumulateGrad:
                # 6. accumulate into a leaf
                if grads[0] is not None:
                    self.accumulate(node, grads[0])
                if node._has_hooks and node._post_hooks:
                    hooks.run_post_hooks(self, node, (), grads)
            else:
                # 4. run the node: the chain rule (or known zeros), its hooks, its saved tensors freed
                first = grads[0]
                if first is None and all_none(grads):
                    results = (None,) * len(node.needs_input_grad)
                elif first is not None and first._known_zero and known_zeros.only_known_zeros(node, grads):
                    results = known_zeros.zeros_for_inputs(node)
                elif anomaly["enabled"]:
                    results = anomaly_mode.run_backward(node, grads)  # checks NaN, names the forward line
                else:
                    results = node.call_backward(grads)
                if node._has_hooks and node._post_hooks:
                    results = hooks.run_post_hooks(self, node, results, grads)
                if not retain_graph:
                    if node._saved:
                        node._release_saved()
                    if report:
                        self.emit(events.SavedTensorsFreed, node)
                # 5. send along each edge: checked (validate_outputs), summed into the next node's
                # buffer, its dependency count down by one; at zero it is ready
                for edge, (child, nr, arg_index, shape, dtype) in enumerate(node._edges):
                    if child is None:  # (the input needs no gradient)
                        continue
                    g = results[arg_index]
                    if g is not None and (
                        type(g) is not Tensor or g._data.shape != shape or g._dtype is not dtype
                    ):
                        g = validate_grad(node, edge, g, shape, dtype)
                    buf = buffers.get(child)
                    if buf is None:  # the first gradient for child: nothing to sum
                        buf = buffers[child] = [None] * child._n_outputs
                        buf[nr] = g
                    elif g is not None:
                        add_to_buffer(buf, child, nr, g, owned)
                    left = dependencies[child] = dependencies[child] - 1
                    if left == 0:
                        if needed is not None and not self.should_run(child):
                            skipped = child  # (reported after the send)
                        elif lone is None and not waiting and not report:
                            lone = child
                        else:  # into the queue; one that was waiting alone goes in first
                            if lone is not None:
                                push(lone)
                                lone = None
                            push(child)
                    if report:
                        self.emit(events.GradSent, node, edge, child, nr, g, buf[nr], left)
                    if skipped is not None:
                        self.skip(skipped)
                        skipped = None
                if report:
                    self.emit(events.BufferFreed, node)
            if report:
                yield
        self.steps = step

    def accumulate(self, node: AccumulateGrad, grad: Tensor) -> None:
        """Step 6: add ``grad`` into the leaf's ``.grad`` (a dry run only says what the sum would be)."""
        if self.accumulate_grad:
            total = node.accumulate(grad)
        else:
            old = node.variable._grad
            total = grad.detach() if old is None else old.detach() + grad.detach()
        if self.report:
            stored = self.accumulate_grad
            self.emit(events.GradAccumulated, node, node.variable, grad, total, stored)
        if node.variable._post_accumulate_hooks and self.accumulate_grad:
            hooks.run_post_accumulate_hooks(self, node)


def iter_backward(roots: list[tuple[Node, int]], grad_roots: list, *, retain_graph: bool = False,
                  create_graph: bool = False, inputs: list | None = None, accumulate_grad: bool = True,
                  snapshots: bool = False, report: bool = True) -> Iterator[events.Event]:  # fmt: skip
    """Walk the graph backward from ``roots``, yielding one event per step (see the module docstring).

    ``roots`` are ``(node, input_nr)`` edges, ``grad_roots`` the gradients to start with. ``inputs``
    are edges too: with ``accumulate_grad=True`` only those leaves accumulate (``backward(inputs=)``);
    with False their gradients are captured and returned in the final event (``autograd.grad``);
    without ``inputs`` it is a dry run: the events say what would be added to each ``.grad``.
    ``snapshots=True`` puts a copy of the engine's state on every event; with ``report=False``
    only the final event is yielded. Each step runs in the engine's modes (grad mode on only with
    ``create_graph``), its events are yielded after it, in the caller's modes."""
    pending = []
    report = pending.append if report else None
    task = GraphTask(roots, grad_roots, inputs, accumulate_grad, retain_graph, snapshots, report)
    if not report:  # nobody watches: switch modes once, and walk to the end
        if not create_graph:  # (with it, each sum is part of the new graph: none is in place)
            task.owned_sums = {}
        _run_in_modes(create_graph, next, task.walk(), None)
    else:
        yield events.GraphTaskStarted(tuple((n, nr, g) for (n, nr), g in zip(roots, grad_roots)),
                               dict(task.dependencies), task.state())  # fmt: skip
        yield from pending
        pending.clear()
        walk = task.walk()
        while _run_in_modes(create_graph, next, walk, False) is not False:
            yield from pending
            pending.clear()
    yield events.GraphTaskFinished(task.steps, tuple(task.captured), task.state())


def run_backward(roots: list[tuple[Node, int]], grad_roots: list, **options: object) -> list:
    """Run the engine to the end and return the captured gradients (for ``autograd.grad``). Python's
    cycle collector is paused meanwhile: minigrad's graphs have no reference cycles (tests check
    it), so it would only walk the whole graph again and again (PyTorch's graph is in C++)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        finished = None
        for finished in iter_backward(roots, grad_roots, report=False, **options):  # noqa: B007
            pass
    finally:
        if collecting:
            gc.enable()
    return finished.captured
