"""The backward engine: one iterative walk over the graph that reports every step it takes.

``loss.backward()`` and ``minigrad.autograd.grad()`` both call :func:`run_backward`, which drains
:func:`iter_backward` with ``report=False``: the same steps, but no event objects are made, since nobody
looks at them (and so buffer sums it owns may be taken in place, as PyTorch's are). The stepping
widgets call ``iter_backward`` themselves and show each event, so what a learner watches is what
really happens. The algorithm is PyTorch's, without the threads:

1. **Count dependencies.** Walk the graph from the root(s) once (with a stack, not recursion) and count,
   for every node, how many edges point into it. A node may run only when all of them have delivered.
2. **Seed the input buffers.** Each node has an *input buffer* with one slot per output of its forward
   op. The root's slot gets the starting gradient (``1`` for a scalar loss).
3. **Run ready nodes.** A *ready queue* holds nodes whose dependencies are all in; the one created last
   runs first, ``AccumulateGrad`` nodes before all others (PyTorch's order). The queue is PyTorch's
   own: a binary heap (C++'s ``std::priority_queue``, see :class:`ReadyQueue`), so ``AccumulateGrad``
   nodes, which all have the same priority, come out in the order that heap gives them. (When a step
   makes just one node ready and the queue is empty, that node would come straight back out: it runs
   next without going in — unless the steps are reported, so that the queue shown is complete.)
   Running a node:
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

import gc

import numpy as np

from . import anomaly_mode, function
from .function import (
    AccumulateGrad,
    _add_in_place,
    _all_none,
    _run_in_modes,
    _validate_grad,
)


def _is_known_zero(grad):
    """``grad`` is marked as known zeros (``ops._util.known_zeros``) and still is all zeros (a hook
    of yours may have changed it in place)."""
    return grad._known_zero and not grad._data.any()


def _only_known_zeros(node, grads):
    """True when all of a node's incoming gradients are known zeros (or missing) and its op is one
    of those whose backward passes PyTorch's ZeroTensor on (``known_zeros_pass`` of its Function:
    multiplications, divisions, sums, views, ...): its formulas would only turn zeros into zeros —
    or into nan, 0 / 0 — so the engine passes zeros on instead, as PyTorch does. Other ops (ReLU,
    indexing, cumsum, your own Functions...) compute with the zeros, as PyTorch's do."""
    if node._forward_cls.known_zeros_pass is False or node._python_function:
        return False  # (a Function of yours always runs, even one built on a built-in op)
    for g in grads:
        if g is not None and not _is_known_zero(g):
            return False
    return True


def _zeros_for_inputs(node):
    """Zeros for each input of ``node`` that needs a gradient, one per forward argument: known zeros
    where PyTorch's ZeroTensor goes on (``known_zeros_pass`` True, or True at that argument), ordinary
    zeros where it does not: at the arguments marked False, and where a broadcast input's gradient
    is summed back to its shape (PyTorch's sum makes real zeros)."""
    from ..ops._util import known_zeros, zeros  # (the ops are loaded after the engine)

    passes, sums_to_shape = node._forward_cls.known_zeros_pass, node._forward_cls.sums_to_shape
    out_size = np.prod(node._output_meta[0][0])
    results = [None] * len(node.needs_input_grad)
    for child, _, arg_index, shape, dtype in node._edges:
        if child is not None:
            summed_back = sums_to_shape and np.prod(shape) < out_size
            known = (passes is True or passes[arg_index]) and not summed_back
            results[arg_index] = (known_zeros if known else zeros)(shape, dtype)
    return tuple(results)


# --- events ---------------------------------------------------------------------------------------
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


# --- graph walks (all iterative) ------------------------------------------------------------------
def _children(node):
    return [n for n, _ in node.next_functions if n is not None]


def count_dependencies(root_nodes):
    """How many edges point into each node reachable from the roots.

    A node is walked the first time an edge reaches it (it then gets its count of 1); the roots are
    on the stack from the start, so reaching one of them again only counts the edge."""
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


# --- the ready queue ------------------------------------------------------------------------------
#: The priority of every ``AccumulateGrad`` node: PyTorch gives them all the largest sequence number
#: (UINT64_MAX), so that a leaf's gradient is stored as soon as it is complete.
ACCUMULATE_GRAD_PRIORITY = 2**64 - 1


def priority(node):
    """A node's place in the ready queue: higher runs first. Its sequence number (nodes created later
    run earlier), or ``ACCUMULATE_GRAD_PRIORITY`` for an ``AccumulateGrad`` node."""
    return ACCUMULATE_GRAD_PRIORITY if type(node) is AccumulateGrad else node._sequence_nr


class ReadyQueue:
    """The nodes ready to run: PyTorch's ``ReadyQueue``, a ``std::priority_queue`` (a binary max-heap)
    ordered by :func:`priority`. Equal priorities (``AccumulateGrad`` nodes) leave in the order the
    heap's own moves give them, neither first-in-first-out nor last-in-first-out; to give the same
    order as PyTorch, ``push`` and ``pop`` make exactly the moves of C++'s ``push_heap`` and
    ``pop_heap`` (libstdc++'s, which PyTorch's Linux builds use). (Python's ``heapq`` moves
    differently, so its ties come out in another order.)"""

    __slots__ = ("heap",)

    def __init__(self):
        self.heap = []  # (priority, node) pairs, in heap order

    def __len__(self):
        return len(self.heap)

    def push(self, node):
        """``push_heap``: the new entry rises while its parent has a lower priority."""
        heap = self.heap
        key = priority(node)
        hole = len(heap)
        heap.append(None)
        while hole:
            parent = (hole - 1) >> 1
            if heap[parent][0] < key:
                heap[hole] = heap[parent]
                hole = parent
            else:
                break
        heap[hole] = (key, node)

    def pop(self):
        """``pop_heap``: take the top; the hole it leaves sinks along the larger children (the right
        one on a tie) to the bottom, and the last entry rises from there to its place."""
        heap = self.heap
        top = heap[0]
        last = heap.pop()
        n = len(heap)
        if n == 0:
            return top[1]
        hole = child = 0
        while child < (n - 1) >> 1:
            child = 2 * (child + 1)
            if heap[child][0] < heap[child - 1][0]:
                child -= 1
            heap[hole] = heap[child]
            hole = child
        if n & 1 == 0 and child == (n - 2) >> 1:
            child = 2 * (child + 1)
            heap[hole] = heap[child - 1]
            hole = child - 1
        key = last[0]
        while hole:
            parent = (hole - 1) >> 1
            if heap[parent][0] < key:
                heap[hole] = heap[parent]
                hole = parent
            else:
                break
        heap[hole] = last
        return top[1]

    def in_order(self):
        """The waiting nodes in the order they will run (a copy is emptied; the queue is unchanged)."""
        copy = ReadyQueue()
        copy.heap = list(self.heap)
        return tuple(copy.pop() for _ in range(len(copy.heap)))


# --- the engine -----------------------------------------------------------------------------------
class GraphTask:
    """The bookkeeping of one backward pass (PyTorch's name for it): input buffers, dependency
    counts, the ready queue, and what ``autograd.grad`` asked for."""

    __slots__ = (
        "dependencies",
        "buffers",
        "ready",
        "captures",
        "captured",
        "needed",
        "accumulate_grad",
        "retain_graph",
        "snapshots",
        "owned_sums",
        "steps",
    )

    def __init__(self, roots, grad_roots, inputs, accumulate_grad, retain_graph, snapshots):
        root_nodes = list(dict.fromkeys(node for node, _ in roots))
        self.dependencies = count_dependencies(root_nodes)
        # PyTorch sends the root gradients along one edge each, in order: a root node is ready once
        # its last edge has delivered, so roots join the queue in the order of their last edge
        push_order = list(reversed(dict.fromkeys(node for node, _ in reversed(roots))))
        # node -> its input buffer: one summed gradient per output of its forward op (``_n_outputs``
        # slots; an AccumulateGrad node has one, for its leaf)
        self.buffers = {}
        self.ready = ReadyQueue()
        self.captures = {}  # node -> [(slot, input index)] for autograd.grad
        self.captured = [None] * (len(inputs) if inputs is not None else 0)
        self.needed = None  # with inputs=: the nodes on a path to them; None means all
        self.accumulate_grad = accumulate_grad
        self.retain_graph = retain_graph
        self.snapshots = snapshots
        self.owned_sums = None  # node -> slots whose sum this engine made (see add_to_buffer)
        self.steps = 0
        if inputs is not None:
            targets = {node for node, _ in inputs}
            if accumulate_grad:  # (the grad_fn of a non-leaf input runs too, as in PyTorch)
                run_targets = targets
            else:
                run_targets = set()
                for i, (node, nr) in enumerate(inputs):
                    self.captures.setdefault(node, []).append((nr, i))
            reach = _reaches(root_nodes, targets)
            self.needed = {n for n in reach if n in run_targets or any(reach[c] for c in _children(n))}
        for (node, nr), g in zip(roots, grad_roots):
            buf = self.buffers.get(node)
            if buf is None:
                buf = self.buffers[node] = [None] * node._n_outputs
            if g is not None:
                self.add_to_buffer(node, buf, nr, g)
        for node in push_order:
            if self.dependencies.get(node, 0) == 0:
                if self.should_run(node):
                    self.push_ready(node)
                else:
                    del self.buffers[node]

    def add_to_buffer(self, node, buf, slot, grad):
        """Sum ``grad`` into slot ``slot`` of ``buf``, ``node``'s input buffer (this is where forks
        add up)."""
        old = buf[slot]
        owned = self.owned_sums
        if old is None:
            buf[slot] = grad
        elif old._known_zero and grad._known_zero and _is_known_zero(old) and _is_known_zero(grad):
            pass  # (known zeros and known zeros: still known zeros; with others they add as 0s)
        elif (
            owned is not None
            and slot in owned.get(node, ())
            and old._dtype is grad._dtype
            and old._data.shape == grad._data.shape
        ):
            # A sum this engine made itself, that nobody else has seen: add in place, as
            # PyTorch's input buffers do (a leaf used 10,000 times gets 10,000 additions).
            _add_in_place(old._data, grad._data)
        else:
            buf[slot] = old + grad
            if owned is not None:
                owned.setdefault(node, set()).add(slot)

    def push_ready(self, node):
        self.ready.push(node)

    def should_run(self, node):
        """With ``inputs``, only the nodes on a path to them and those whose gradient is captured
        join the ready queue (PyTorch's ``should_execute``); the others never run, not even their
        hooks."""
        return self.needed is None or node in self.needed or node in self.captures

    def state(self):
        """A copy of the bookkeeping for an event, or None without ``snapshots``."""
        if not self.snapshots:
            return None
        return EngineState(
            self.ready.in_order(),
            {n: c for n, c in self.dependencies.items() if c > 0 or n in self.buffers},
            {n: tuple(b) for n, b in self.buffers.items()},
        )

    def walk(self, events):
        """Run ready nodes until none is left, one node per step (steps 3–5 above; the numbered
        comments below are the parts of one step).

        A generator. With ``events`` (a list) it appends each step's events to it and yields after
        each step, so that the caller can take the events out. With None it makes no events and
        runs to the end at the first ``next()`` — the same steps — and, as nobody sees the
        buffers, takes the sums it made itself in place."""
        ready, buffers, dependencies = self.ready, self.buffers, self.dependencies
        owned, captures, needed = self.owned_sums, self.captures, self.needed
        retain_graph, anomaly = self.retain_graph, anomaly_mode._state
        pop, push_ready = self.ready.pop, self.ready.push
        Tensor = function.Tensor  # noqa: N806  (minigrad.Tensor: set once minigrad.tensor is loaded)
        report = events.append if events is not None else None
        step = 0
        next_node = None  # a node that became ready alone: it runs next, skipping the queue
        while next_node is not None or ready:
            node = next_node if next_node is not None else pop()
            next_node = None
            step += 1
            grads = buffers.pop(node)
            if owned:  # the buffer leaves the engine's hands: no more in-place sums into it
                owned.pop(node, None)
            if report:
                report(NodeStarted(step, node, tuple(grads), self.state()))

            # 1. hooks on the tensors this node produced (they may replace the gradient), and
            # 2. autograd.grad: take the gradient of a requested input
            runs = needed is None or node in needed  # (else it is here for autograd.grad's capture)
            if node._has_hooks:
                self.run_hooks(node, grads, step, report, runs)
            if captures:
                self.capture(node, grads, step, report)

            if not runs:
                pass
            elif type(node) is AccumulateGrad:
                # 3. a leaf: add into .grad
                if grads[0] is not None:
                    self.accumulate(node, grads[0], step, report)
                if node._has_hooks and node._post_hooks:
                    self.run_post_hooks(node, (), grads, step, report)
            else:
                # 4. the chain rule: gradients of the outputs -> gradients of the inputs (one per
                # argument of the node's forward)
                first = grads[0]
                if first is None and _all_none(grads):  # (grads[0] first: a cheap test)
                    results = (None,) * len(node.needs_input_grad)
                elif first is not None and first._known_zero and _only_known_zeros(node, grads):
                    results = _zeros_for_inputs(node)  # (what the formulas would give, nan-free)
                else:
                    results = node.call_backward(grads)
                    if anomaly["enabled"] and anomaly["check_nan"]:
                        _check_nan(node, results)
                if node._has_hooks and node._post_hooks:
                    results = self.run_post_hooks(node, results, grads, step, report)
                if not retain_graph:
                    if node._saved:
                        node._release_saved()
                    if report:
                        report(SavedTensorsFreed(step, node, self.state()))

                # 5. deliver along each edge (one per tensor argument): check the gradient against
                # the input's shape and dtype, sum it into the next node's buffer, count down that
                # node's dependencies; at zero it is ready
                for edge, (child, nr, arg_index, shape, dtype) in enumerate(node._edges):
                    if child is None:  # (the input needs no gradient)
                        continue
                    g = results[arg_index]
                    # (_validate_grad's first test, made here: usually it is all that is needed)
                    if g is not None and (
                        type(g) is not Tensor or g._data.shape != shape or g._dtype is not dtype
                    ):
                        g = _validate_grad(node, edge, g, shape, dtype)
                    buf = buffers.get(child)
                    if buf is None:  # the first gradient for child: nothing to sum
                        buf = buffers[child] = [None] * child._n_outputs
                        buf[nr] = g
                    elif g is not None:
                        self.add_to_buffer(child, buf, nr, g)
                    left = dependencies[child] = dependencies[child] - 1
                    skip = left == 0 and needed is not None and not self.should_run(child)
                    if left == 0 and not skip:
                        if ready or report:  # (when steps are watched, every node goes in)
                            push_ready(child)
                        elif next_node is None:
                            # the only node ready: it would come straight out of the queue, so it
                            # runs next without going in
                            next_node = child
                        else:  # a second one: both go in, in the order they became ready
                            push_ready(next_node)
                            push_ready(child)
                            next_node = None
                    if report:
                        report(GradSent(step, node, edge, child, nr, g, buf[nr], left, self.state()))
                    if skip:
                        del buffers[child]
                        if report:
                            report(NodeSkipped(step, child, self.state()))
                if report:
                    report(BufferFreed(step, node, self.state()))
            if report:
                self.steps = step
                yield
        self.steps = step

    def run_hooks(self, node, grads, step, report, runs=True):
        """Step 1: the tensor hooks and ``retain_grad`` of the tensors ``node`` produced, then, if the
        node ``runs``, its own pre-hooks (``grad_fn.register_prehook``)."""
        for nr, hooks in node._tensor_pre_hooks.items():
            for _, hook in list(hooks):
                if grads[nr] is None:
                    continue
                before = grads[nr]
                replaced = hook(before)
                if replaced is not None:
                    _check_tensor_hook_result(hook, before, replaced)
                    grads[nr] = replaced
                if report:
                    report(HookFired(step, node, nr, "tensor", before, grads[nr], self.state()))
        dry_run = not self.accumulate_grad and self.needed is None
        for nr, ref in node._retain_grad_refs.items():
            tensor = ref()
            if tensor is not None and grads[nr] is not None:
                if not dry_run:  # a dry run stores nothing
                    tensor._retained_grad_add(grads[nr])
                if report:
                    report(HookFired(step, node, nr, "retain_grad", grads[nr], grads[nr], self.state()))
        for _, hook in list(node._pre_hooks if runs else ()):  # then the node's own (PyTorch's order)
            replaced = hook(tuple(grads))
            if replaced is not None:
                replaced = _check_node_hook_results(hook, replaced, len(grads))
                if report:
                    report(HookFired(step, node, None, "node pre-hook", tuple(grads), replaced, self.state()))
                grads[:] = replaced

    def run_post_hooks(self, node, results, grads, step, report):
        """After step 4: the node's own hooks see the gradients it computed, one per edge (for an
        AccumulateGrad node, none), and may replace them. Returns the results, per argument.
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
            replaced = _check_node_hook_results(hook, replaced, len(grad_inputs))
            if report:
                report(HookFired(step, node, None, "node hook", grad_inputs, replaced, self.state()))
            results = list(results)
            for (child, _, arg, _, _), g in zip(edges, replaced):
                if child is not None:
                    results[arg] = g
        return results

    def capture(self, node, grads, step, report):
        """Step 2: ``autograd.grad`` takes the gradients of the inputs it was asked for."""
        for nr, index in self.captures.get(node, ()):
            self.captured[index] = grads[nr]
            if report:
                report(GradCaptured(step, node, index, grads[nr], self.state()))

    def accumulate(self, node, grad, step, report):
        """Step 3: an ``AccumulateGrad`` node adds ``grad`` into its leaf's ``.grad`` (in a dry run
        it only says what the sum would be)."""
        if self.accumulate_grad:
            total = node.accumulate(grad)
        else:
            old = node.variable._grad
            total = grad.detach() if old is None else old.detach() + grad.detach()
        if report:
            stored = self.accumulate_grad
            report(GradAccumulated(step, node, node.variable, grad, total, stored, self.state()))
        hooks = node.variable._post_accumulate_hooks
        if hooks and self.accumulate_grad:  # the leaf's post-accumulate-grad hooks, told the tensor
            for _, hook in list(hooks):
                if hook(node.variable) is not None:
                    raise RuntimeError("Tensor post accumulate grad hooks should return None.")
                if report:
                    grad_now = node.variable._grad
                    report(HookFired(step, node, 0, "post accumulate grad", grad_now, grad_now, self.state()))


def iter_backward(
    roots,
    grad_roots,
    *,
    retain_graph=False,
    create_graph=False,
    inputs=None,
    accumulate_grad=True,
    snapshots=False,
    report=True,
):
    """Walk the graph backward from ``roots``, yielding one event per step (see the module docstring).

    ``roots`` are ``(node, input_nr)`` edges (a tensor's ``grad_fn`` and ``output_nr``, or its
    ``AccumulateGrad``), ``grad_roots`` the gradients to start with. ``inputs`` are edges too: with
    ``accumulate_grad=True`` only those leaves accumulate (``backward(inputs=...)``); with False their
    gradients are captured and returned in the final event (``autograd.grad``). ``accumulate_grad=False``
    without ``inputs`` is a dry run: the events say what would be added to each ``.grad``.
    With ``report=False`` the walk is the same but only the final event is yielded.
    """
    task = GraphTask(roots, grad_roots, inputs, accumulate_grad, retain_graph, snapshots)
    # Nodes run with grad mode on only with create_graph (so that the backward formulas are
    # recorded when a graph of the backward is wanted) and numpy's inf/nan warnings off.
    if not report:  # nobody watches the steps: switch modes once, and walk to the end
        if not create_graph:  # (with it, each sum is part of the new graph: none is in place)
            task.owned_sums = {}
        _run_in_modes(create_graph, next, task.walk(None), None)
        yield GraphTaskFinished(task.steps, tuple(task.captured), task.state())
        return
    yield GraphTaskStarted(
        tuple((n, nr, g) for (n, nr), g in zip(roots, grad_roots)), dict(task.dependencies), task.state()
    )
    # Each step runs in the engine's modes; its events are reported afterwards, so that code
    # reading them runs in the caller's own grad mode.
    events = []
    walk = task.walk(events)
    while _run_in_modes(create_graph, next, walk, False) is not False:
        yield from events
        events.clear()
    yield GraphTaskFinished(task.steps, tuple(task.captured), task.state())


def _check_node_hook_results(hook, replaced, expected):
    """A node hook's replacement: a tuple (or list) of one gradient per slot, PyTorch's error else."""
    replaced = tuple(replaced) if isinstance(replaced, list | tuple) else (replaced,)
    if len(replaced) != expected:
        name = getattr(hook, "__name__", type(hook).__name__)
        raise RuntimeError(
            f"hook '{name}' has returned an incorrect number of values (got {len(replaced)}, but "
            f"expected {expected})"
        )
    return replaced


def _check_tensor_hook_result(hook, before, replaced):
    """A hook may replace a gradient, but only by a tensor of the same shape and dtype (PyTorch's
    errors): anything else would reach the next node as a wrong gradient."""
    name = getattr(hook, "__name__", type(hook).__name__)
    if not isinstance(replaced, function.Tensor):
        raise TypeError(f"expected Variable, but hook returned '{type(replaced).__name__}'")
    if replaced._dtype is not before._dtype:
        raise RuntimeError(
            f"hook '{name}' has changed the type of value (was minigrad.{before._dtype.legacy_name} "
            f"got minigrad.{replaced._dtype.legacy_name})"
        )
    if replaced._data.shape != before._data.shape:
        raise RuntimeError(f"hook '{name}' has changed the size of value")


def _check_nan(node, results):
    """Anomaly mode: raise if a gradient ``node`` computed (``results``, one per argument of its
    forward) contains NaN, naming the node and the line of its forward call."""
    for i, (_, _, arg_index, _, _) in enumerate(node._edges):
        g = results[arg_index]
        if isinstance(g, function.Tensor) and g.dtype.is_floating_point and np.isnan(g._data).any():
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
    """Run the engine to the end and return the captured gradients (for ``autograd.grad``).

    Python's cycle collector is paused meanwhile: minigrad's graphs contain no reference cycles
    (tests check it), so it would only walk the whole graph again and again for nothing — a large
    cost on big graphs, which PyTorch avoids by keeping its graph in C++."""
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
