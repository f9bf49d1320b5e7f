"""The stepper's frames: the real engine's events for ``output.backward()``, one frame per step.

:func:`build_frames` runs :func:`minigrad.autograd.engine.iter_backward` as a **dry run**
(``accumulate_grad=False``, ``retain_graph=True``, ``snapshots=True``): the engine does everything
``backward()`` does — same order, same buffers, same sums — except that ``AccumulateGrad`` reports what
``.grad`` *would* become instead of storing it, and saved tensors are kept. Each interesting event
becomes a :class:`Frame`; nothing here draws, so frames can be tested without a browser.

Frames, in order:

- ``start`` — the seed gradient (1 for a scalar) goes into the root's input buffer;
- ``run`` — a node leaves the ready queue with the gradient in its buffer;
- ``hook`` — a tensor hook or ``retain_grad`` saw the gradient;
- ``send`` — the node's backward sent a gradient along one edge; the panel shows the chain rule
  (``∂L/∂a += ∂L/∂c · ∂c/∂a = 14 · 3 = 42``) and the receiving buffer's sum;
- ``accumulate`` — an ``AccumulateGrad`` node ran and the leaf's gradient is complete;
- ``done`` — every leaf's gradient.

What this does to ``.grad``: nothing. Leaves' ``.grad`` are never written (dry run); the
``.grad`` of tensors that called ``retain_grad()`` (which the engine would fill in even in a dry run)
is restored afterwards. Tensor hooks *do* run once, while the frames are built, as in a real backward.
"""

import heapq
from dataclasses import dataclass, field

import numpy as np

from .. import _factories
from ..autograd import engine
from ..autograd.graph import get_gradient_edge
from . import _format
from .graph import Graph
from .i18n import text as tr
from .local import local_derivatives

#: Graphs whose backward pass has more steps than this are not replayed frame by frame.
MAX_FRAMES = 400

#: At most this many nodes are listed in each part of the engine's state.
MAX_STATE = 12


@dataclass
class Frame:
    """One step of the replay, as plain data (the widget turns it into HTML and CSS)."""

    index: int
    kind: str  # start | run | hook | send | accumulate | skip | done
    step: int  # the engine's step number (how many nodes have started)
    title: str  # one line: what happens
    lines: list  # the arithmetic, as plain text lines
    node: str | None = None  # id of the node being run (highlighted)
    edge: str | None = None  # id of the edge being sent along (highlighted)
    sent: tuple = ()  # ids of edges that carried a gradient so far (including this one)
    finished: tuple = ()  # ids of nodes that have run
    grads: dict = field(default_factory=dict)  # leaf symbol -> text of its gradient so far
    ready: list = field(default_factory=list)  # node labels in the ready queue, next first
    ready_ids: tuple = ()  # their ids
    dependencies: list = field(default_factory=list)  # (node label, edges still to come)
    buffers: list = field(default_factory=list)  # (node label, text of each buffer slot)
    leaf: str | None = None  # symbol of the leaf whose gradient this frame completes


class Trace:
    """Frames for ``output.backward(gradient)``, with the graph they refer to.

    ``frames`` is the list of :class:`Frame`; ``edge_grads`` maps edge id → text of the gradient that
    edge carried; ``leaf_totals`` maps leaf tensor id → what its ``.grad`` would be after backward;
    ``truncated`` is True when the pass had more than ``max_frames`` frames (the rest is summarised).
    """

    def __init__(self, output, gradient=None, names=None, max_frames=MAX_FRAMES, graph=None):
        self.graph = graph or Graph(output, names)
        if self.graph.root is None:
            raise RuntimeError(
                "this tensor does not require grad and has no grad_fn: there is no backward "
                "pass to step through"
            )
        self.graph.check_not_freed("The stepper")
        if gradient is None:
            if output.numel() != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs (pass gradient=)")
            gradient = _factories.ones_like(output)
        self.gradient = gradient
        self.max_frames = max_frames
        self.frames = []
        self.edge_grads = {}
        self.leaf_totals = {}
        self.truncated = False
        self.total_events = 0
        self._locals = {}
        with np.errstate(all="ignore"):  # (inf and nan are values to show, as the engine's are)
            self._build(output)

    # --- helpers --------------------------------------------------------------------------------
    def _sym(self, info):
        return info.symbol

    def _local(self, node):
        if node.fn not in self._locals:
            self._locals[node.fn] = local_derivatives(node.fn)
        return self._locals[node.fn]

    def _label(self, fn):
        return self.graph.node(fn).label()

    def _state(self, state):
        """Labels for the engine's state; on big graphs only the :data:`MAX_STATE` nodes created last
        (nearest the output, where the engine is working) are listed, plus a count of the others."""
        ready = self._cap([self._label(fn) for fn in state.ready_queue[:MAX_STATE]], len(state.ready_queue))
        deps_items = list(state.dependencies.items())
        if len(deps_items) > MAX_STATE:
            deps_items = heapq.nlargest(MAX_STATE, deps_items, key=lambda item: item[0].sequence_nr)
        deps = sorted(((self._label(fn), n) for fn, n in deps_items), key=lambda item: item[0])
        if len(state.dependencies) > MAX_STATE:
            deps.append((tr("trace.more_nodes", n=len(state.dependencies) - MAX_STATE), "…"))
        buffers = [
            (self._label(fn), [("—" if g is None else _format.array(g)) for g in slots])
            for fn, slots in list(state.buffers.items())[:MAX_STATE]
        ]
        return ready, deps, buffers

    @staticmethod
    def _cap(items, total):
        if total > len(items):
            items.append(tr("trace.more", n=total - len(items)))
        return items

    # --- the replay -----------------------------------------------------------------------------
    def _build(self, output):
        g = self.graph
        L = g.output.symbol
        retained = [t for t in g.tensors if t.kind == "retained" and t.tensor is not None]
        saved_grads = [(t.tensor, t.tensor.grad) for t in retained]
        root_edge = get_gradient_edge(output)
        events = engine.iter_backward(
            [root_edge], [self.gradient], retain_graph=True, accumulate_grad=False, snapshots=True
        )
        sent, finished, grads = [], [], {}
        current = {}  # gradients of the running node's outputs (after hooks)
        buffers = {}  # (node, slot) -> last buffer text, to show "+" at forks
        for t in g.tensors:
            if t.kind == "leaf":
                grads[t.symbol] = "None" if t.grad is None else _format.array(t.grad)
        try:
            for event in events:
                self.total_events += 1
                frame = self._frame(event, L, current, buffers)
                if frame is None:
                    continue
                if frame.kind == "send" and frame.edge is not None:
                    sent.append(frame.edge)
                if frame.kind == "accumulate":
                    grads[frame.leaf] = _format.array(event.total)
                    self.leaf_totals[id(event.variable)] = np.array(event.total.detach().numpy())
                    finished.append(frame.node)
                elif frame.kind == "run" and not g.node(event.node).is_accumulate:
                    finished.append(frame.node)
                frame.sent, frame.finished, frame.grads = tuple(sent), tuple(finished), dict(grads)
                frame.ready, frame.dependencies, frame.buffers = self._state(event.state)
                frame.ready_ids = tuple(g.node(fn).id for fn in event.state.ready_queue)
                if (
                    frame.kind == "accumulate"
                    and self.frames
                    and self.frames[-1].kind == "run"
                    and self.frames[-1].node == frame.node
                ):
                    self.frames.pop()  # an AccumulateGrad's run and accumulate are one frame
                frame.index = len(self.frames)
                if len(self.frames) >= self.max_frames:
                    self.truncated = True  # stop here: a huge graph is never replayed in full
                    break
                self.frames.append(frame)
        finally:
            events.close()
            for t, old in saved_grads:
                t.grad = old
        if self.truncated:
            last = self.frames[-1]
            last.lines = last.lines + [tr("trace.truncated", n=len(g.nodes), k=self.max_frames)]

    def _frame(self, event, L, current, buffers):
        g = self.graph
        kind = event.kind
        if kind == "start":
            ((fn, nr, seed),) = event.roots
            node = g.node(fn)
            seed_text = _format.array(seed)
            return Frame(
                0,
                "start",
                0,
                tr("trace.start_title", L=L, seed=seed_text, name=node.name),
                [
                    tr("trace.start_seed", L=L, seed=seed_text),
                    tr("trace.start_buffer", L=L, name=node.name),
                ],
                node=node.id,
            )
        if kind == "run":
            node = g.node(event.node)
            current.clear()
            current.update(enumerate(event.grads_in))
            if node.is_accumulate:
                leaf = node.outputs[0]
                text = "None" if event.grads_in[0] is None else _format.array(event.grads_in[0])
                return Frame(
                    0,
                    "run",
                    event.step,
                    tr("trace.run_accumulate_title", step=event.step, sym=leaf.symbol),
                    [tr("trace.complete", L=L, sym=leaf.symbol, value=text)],
                    node=node.id,
                )
            lines = []
            for nr, grad in enumerate(event.grads_in):
                out = node.outputs.get(nr)
                if out is None:
                    continue
                value = "None" if grad is None else _format.array(grad)
                lines.append(tr("trace.flowed_in", L=L, sym=out.symbol, value=value))
            lines.append(tr("trace.multiplies", name=node.name))
            title = tr("trace.run_title", step=event.step, name=node.name)
            return Frame(0, "run", event.step, title, lines, node=node.id)
        if kind == "hook" and event.output_nr is None:  # a hook of the node itself
            node = g.node(event.node)

            def shown(grads):
                return "(" + ", ".join("None" if x is None else _format.array(x) for x in grads) + ")"

            if event.hook_kind == "node pre-hook":  # it replaced the gradients of the node's outputs
                current.update(enumerate(event.grad_out))
                what = tr("trace.hook_outputs")
            else:
                what = tr("trace.hook_inputs")
            text = tr(
                "trace.node_hook",
                kind=event.hook_kind,
                name=node.name,
                what=what,
                before=shown(event.grad_in),
                after=shown(event.grad_out),
            )
            return Frame(
                0,
                "hook",
                event.step,
                tr("trace.node_hook_title", step=event.step, kind=event.hook_kind, name=node.name),
                [text],
                node=node.id,
            )
        if kind == "hook":
            node = g.node(event.node)
            out = node.outputs.get(event.output_nr)
            sym = out.symbol if out is not None else "?"
            current[event.output_nr] = event.grad_out
            if event.hook_kind == "retain_grad":
                text = f"retain_grad: {sym}.grad = {_format.array(event.grad_out)}"
            else:
                text = tr(
                    "trace.tensor_hook",
                    L=L,
                    sym=sym,
                    before=_format.array(event.grad_in),
                    after=_format.array(event.grad_out),
                )
            title = tr("trace.tensor_hook_title", step=event.step, sym=sym)
            return Frame(0, "hook", event.step, title, [text], node=node.id)
        if kind == "send":
            return self._send_frame(event, L, current, buffers)
        if kind == "accumulate":
            node = g.node(event.node)
            leaf = node.outputs[0]
            old = leaf.grad
            new = _format.array(event.total)
            if old is None:
                line = tr("trace.grad_was_none", sym=leaf.symbol, value=_format.array(event.grad))
            else:
                line = f"{leaf.symbol}.grad = {_format.array(old)} + {_format.array(event.grad)} = {new}"
            frame = Frame(
                0,
                "accumulate",
                event.step,
                tr("trace.accumulate_title", step=event.step, sym=leaf.symbol),
                [line, tr("trace.only_shown")],
                node=node.id,
            )
            frame.leaf = leaf.symbol
            return frame
        if kind == "skip":
            node = g.node(event.node)
            return Frame(
                0,
                "skip",
                event.step,
                tr("trace.skip_title", step=event.step, name=node.name),
                [tr("trace.skip", name=node.name)],
                node=node.id,
            )
        if kind == "done":
            leaves = [t for t in g.tensors if t.kind == "leaf"]
            lines = [f"{t.symbol}.grad = {self._final(t)}" for t in leaves]
            return Frame(0, "done", event.steps, tr("trace.done_title", n=event.steps), lines)
        return None  # free_saved, free_buffer: nothing new to show

    def _final(self, leaf):
        total = self.leaf_totals.get(id(leaf.tensor))
        if total is None:
            return "None" if leaf.grad is None else _format.array(leaf.grad)
        return _format.array(total)

    def _send_frame(self, event, L, current, buffers):
        g = self.graph
        node = g.node(event.node)
        edge = g.edge(event.node, event.edge)
        self.edge_grads[edge.id] = (
            "None" if event.grad is None else _format.array(event.grad, _format.GRAPH_DIGITS)
        )
        dst = edge.tensor.symbol
        title = tr("trace.send_title", step=event.step, name=node.name, L=L, dst=dst, edge=event.edge)
        if event.grad is None:
            return Frame(
                0,
                "send",
                event.step,
                title,
                [tr("trace.no_gradient", dst=dst)],
                node=node.id,
                edge=edge.id,
            )
        lines = [self.arithmetic(node, edge, current, event.grad, L)]
        key = (event.next_node, event.input_nr)
        previous = buffers.get(key)
        total = _format.array(event.buffer)
        target = g.node(event.next_node).label()
        if previous is None:
            lines.append(tr("trace.buffer", target=target, total=total))
        else:
            grad = _format.array(event.grad)
            lines.append(tr("trace.buffer_fork", target=target, previous=previous, grad=grad, total=total))
        buffers[key] = total
        waits = event.dependencies_left
        if waits == 1:
            lines.append(tr("trace.waits_one", target=target))
        elif waits:
            lines.append(tr("trace.waits", target=target, n=waits))
        else:
            lines.append(tr("trace.ready", target=target))
        return Frame(0, "send", event.step, title, lines, node=node.id, edge=edge.id)

    def arithmetic(self, node, edge, current, grad_out, L):
        """The chain rule for one edge, in numbers.

        Elementwise nodes: ``∂L/∂a += ∂L/∂c · ∂c/∂a = 14 · 3 = 42`` (``⊙`` for tensors, and
        ``sum_to_shape`` when the input was broadcast). Others: the vector–Jacobian product.
        """
        out_nr = 0 if len(node.outputs) == 1 else None
        out = node.outputs.get(0) if out_nr == 0 else None
        grad_in = current.get(0) if out is not None else None
        dst = edge.tensor.symbol
        locs = self._local(node)
        if out is not None and grad_in is not None and locs is not None and edge.index in locs:
            local = locs[edge.index]
            g_in = np.asarray(grad_in.detach().numpy(), dtype=np.float64)
            product = np.broadcast_to(g_in * local, local.shape)
            reduced = _sum_to_shape(product, edge.tensor.shape)
            if np.allclose(
                reduced, np.asarray(grad_out.detach().numpy(), dtype=np.float64), rtol=1e-5, atol=1e-7
            ):
                u = out.symbol
                if product.size == 1 and reduced.size == 1:
                    return (
                        f"∂{L}/∂{dst} += ∂{L}/∂{u} · ∂{u}/∂{dst} = {_format.array(g_in)} · "
                        f"{_format.array(local)} = {_format.array(grad_out)}"
                    )
                if tuple(local.shape) == tuple(edge.tensor.shape):
                    return (
                        f"∂{L}/∂{dst} += ∂{L}/∂{u} ⊙ ∂{u}/∂{dst} = {_format.array(g_in)} ⊙ "
                        f"{_format.array(local)} = {_format.array(grad_out)}"
                    )
                shape = _format.shape(edge.tensor.shape)
                return (
                    f"∂{L}/∂{dst} += sum_to_shape(∂{L}/∂{u} ⊙ ∂{u}/∂{dst}, {shape}) = "
                    f"sum_to_shape({_format.array(g_in)} ⊙ {_format.array(local)}) = "
                    f"{_format.array(grad_out)}{tr('trace.broadcast', a=_format.shape(local.shape), b=shape)}"
                )
        ins = ", ".join(f"∂{L}/∂{t.symbol}" for _, t in sorted(node.outputs.items()))
        values = ", ".join(
            "None" if current.get(nr) is None else _format.array(current[nr]) for nr in sorted(node.outputs)
        )
        shape_in = ", ".join(_format.shape(t.shape) for _, t in sorted(node.outputs.items()))
        return (
            f"∂{L}/∂{dst} += {node.name}.backward({ins})[{edge.index}] = "
            f"{node.name}.backward({values})[{edge.index}] = {_format.array(grad_out)}"
            + tr("trace.vjp", a=shape_in, b=_format.shape(edge.tensor.shape))
        )


def _sum_to_shape(array, shape):
    """numpy version of ``minigrad.ops._util.sum_to_shape`` (for checking the displayed arithmetic)."""
    array = np.asarray(array)
    shape = tuple(shape)
    extra = array.ndim - len(shape)
    if extra > 0:
        array = array.sum(axis=tuple(range(extra)))
    dims = tuple(i for i, s in enumerate(shape) if s == 1 and array.shape[i] != 1)
    if dims:
        array = array.sum(axis=dims, keepdims=True)
    return array.reshape(shape)


def build_frames(output, gradient=None, names=None, max_frames=MAX_FRAMES):
    """The :class:`Trace` (graph and frames) for ``output.backward(gradient)``; see the module docstring."""
    return Trace(output, gradient, names, max_frames)
