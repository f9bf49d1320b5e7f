"""Broadcasting and its backward: the shape aligner and the unbroadcast stepper.

Broadcasting lines shapes up **from the right**: ``(4, 3) + (3,)`` pairs the 3 with the 3, and the
``(3,)`` has no axis 0, so it is used once per row. In the backward pass every use sends a gradient
back, and the uses add up: the gradient of a broadcast input is the output's gradient **summed back
to the input's shape** — over the axes broadcasting added in front (they disappear), and over the
axes where the input had size 1 (they stay, as size 1: ``keepdim=True``).

- :func:`align` lines shapes up and names what happened to every dimension;
- :func:`summed_axes` says which axes a gradient is summed over to get back to a shape;
- :func:`aligner_html` draws an alignment as an HTML table (colour *and* a text label in each cell);
- :class:`ShapeAligner` is a widget that flips between several alignments in the browser;
- :class:`UnbroadcastStepper` steps through the **real** engine's backward pass
  (:func:`minigrad.autograd.engine.iter_backward`, as a dry run that never writes ``.grad``) and
  shows, at each node, the shape of the gradient that arrived and of each gradient sent on; where
  a node summed a gradient back to a broadcast input's shape, it shows the sum axis by axis, ending
  with the value the engine really sent.

Everything is computed when the widget is made; the frames are switched in the browser through
``jslink`` (no kernel), so they also step in exported pages. Only public names of the core are used:
``grad_fn``, ``output_nr``, ``name()``, ``variable`` and the engine's events.
"""

import html
from dataclasses import dataclass, field

import numpy as np

from . import style
from .i18n import text as tr

#: What happened to one dimension of an operand, with its cell colours and the key of its text label
#: in :mod:`~minigrad.viz.messages`.
ROLES = {
    "same": ("white", style.GREY, "broadcast.same"),
    "stretched": (style.TINT[style.SKY], style.BLUE, "broadcast.stretched"),
    "missing": (style.TINT[style.ORANGE], style.ORANGE, "broadcast.missing"),
    "mismatch": (style.TINT[style.VERMILLION], style.VERMILLION, "broadcast.mismatch"),
}

#: Arrays with more elements than this are shown by their shape only.
MAX_GRID = 60


def _esc(text):
    return html.escape(str(text), quote=False)


def _is_accumulate(node):
    return node.name().endswith("AccumulateGrad")  # (PyTorch: "torch::autograd::AccumulateGrad")


def _shape_text(shape):
    return str(tuple(int(d) for d in shape))


# --- the arithmetic of shapes -------------------------------------------------------------------
@dataclass
class Alignment:
    """Shapes right-aligned. ``rows[i][k]`` is operand i's size at column k (None where it has no
    such axis), ``roles[i][k]`` one of :data:`ROLES`, ``result`` the broadcast shape (None when the
    shapes do not fit), ``error`` PyTorch's message in that case."""

    shapes: list
    ndim: int
    rows: list
    roles: list
    result: tuple | None
    error: str | None = None


def align(*shapes):
    """Line ``shapes`` up from the right and say, for every dimension, what broadcasting does to it.

    >>> a = align((4, 3), (3,))
    >>> a.result, a.roles[1]
    ((4, 3), ['missing', 'same'])

    Whether the shapes fit, and the error when they do not, come from adding zero tensors of those
    shapes with minigrad (PyTorch's rules and message), not from a second copy of the rule."""
    import minigrad

    shapes = [tuple(int(d) for d in s) for s in shapes]
    ndim = max(len(s) for s in shapes)
    rows = [[None] * (ndim - len(s)) + list(s) for s in shapes]
    result, error = None, None
    try:
        total = minigrad.zeros(shapes[0])
        for s in shapes[1:]:
            total = total + minigrad.zeros(s)
        result = tuple(total.shape)
    except RuntimeError as exc:
        error = str(exc)
    roles = []
    for row in rows:
        out = []
        for k, size in enumerate(row):
            sizes = {r[k] for r in rows if r[k] is not None} - {1}
            if size is None:
                out.append("missing")
            elif len(sizes) > 1 and size != 1:  # two different sizes, neither 1: no fit
                out.append("mismatch")
            elif size == 1 and sizes:
                out.append("stretched")
            else:
                out.append("same")
        roles.append(out)
    return Alignment(shapes, ndim, rows, roles, result, error)


def summed_axes(grad_shape, shape):
    """The axes of a gradient of ``grad_shape`` that are summed to get back to ``shape``:
    ``(removed, kept)`` — ``removed`` the leading axes broadcasting added (summed away),
    ``kept`` the axes where ``shape`` has size 1 (summed with ``keepdim=True``), both numbered in the
    gradient's own axes.

    >>> summed_axes((4, 3), (3,))
    ((0,), ())
    >>> summed_axes((2, 4, 3), (4, 1))
    ((0,), (2,))
    """
    grad_shape, shape = tuple(grad_shape), tuple(shape)
    extra = len(grad_shape) - len(shape)
    if extra < 0:
        raise ValueError(f"a gradient of shape {grad_shape} cannot be summed to the larger shape {shape}")
    for k, size in enumerate(shape):
        if size not in (1, grad_shape[extra + k]):
            raise ValueError(f"shape {shape} does not broadcast to {grad_shape}")
    kept = tuple(extra + k for k, size in enumerate(shape) if size == 1 and grad_shape[extra + k] != 1)
    return tuple(range(extra)), kept


def sum_stages(grad, shape):
    """The sum back to ``shape`` in (at most) two visible stages: ``[(code, array), ...]``.

    First the added leading axes are summed away (``g.sum(dim=0)``), then the stretched axes are
    summed keeping their place (``.sum(dim=1, keepdim=True)``, numbered after the first stage)."""
    grad = np.asarray(grad)
    removed, kept = summed_axes(grad.shape, shape)
    stages = []
    if removed:
        dims = removed[0] if len(removed) == 1 else removed
        grad = grad.sum(axis=removed)
        stages.append((f".sum(dim={dims})", grad))
    if kept:
        shifted = tuple(k - len(removed) for k in kept)
        dims = shifted[0] if len(shifted) == 1 else shifted
        grad = grad.sum(axis=shifted, keepdims=True)
        stages.append((f".sum(dim={dims}, keepdim=True)", grad))
    return stages


# --- HTML -------------------------------------------------------------------------------------------
def _cell(role, text, px):
    fill, border, label = ROLES[role]
    dash = "dashed" if role == "missing" else "solid"
    return (
        f'<td class="mg-dim mg-{role}" style="background:{fill};border:2px {dash} {border};'
        f'padding:0.1em 0.5em;text-align:center;min-width:3.6em">'
        f'<div style="font-weight:bold;font-size:{px + 2}px">{_esc(text)}</div>'
        f'<div style="font-size:{px - 3}px;color:#333">{_esc(tr(label))}</div></td>'
    )


def aligner_html(shapes, names=None, presenter=False, grads=True):
    """An HTML table: the shapes right-aligned, one column per axis, every cell coloured *and* labelled
    (``same size``, ``size 1, stretched``, ``missing, added``, ``does not fit``); the result's shape,
    or PyTorch's error; and with ``grads``, how each operand's gradient is summed back to its shape."""
    a = align(*shapes)
    names = list(names or [tr("broadcast.operand", i=i) for i in range(len(shapes))])
    px = style.sizes(presenter)["panel_px"]
    head = "".join(
        f'<th style="font-weight:normal;font-style:italic;padding:0 0.6em;font-size:{px}px">'
        f"{tr('broadcast.axis', k=k)} "
        f'<span style="color:#555">({k - a.ndim})</span></th>'
        for k in range(a.ndim)
    )
    body = []
    for name, shape, row, roles in zip(names, a.shapes, a.rows, a.roles):
        cells = "".join(
            _cell(
                role,
                "—" if size is None else ("1 → " + str(a.result[k]) if role == "stretched" else size),
                px,
            )
            for k, (size, role) in enumerate(zip(row, roles))
        )
        body.append(
            f'<tr><th style="text-align:right;padding-right:0.6em;font-size:{px}px">'
            f"{_esc(name)} {_shape_text(shape)}</th>"
            f"{cells}</tr>"
        )
    if a.result is not None:
        cells = "".join(
            f'<td class="mg-dim mg-result" style="border:2px solid #000;text-align:center;'
            f'font-weight:bold;font-size:{px + 2}px;padding:0.2em 0.6em">{d}</td>'
            for d in a.result
        )
        body.append(
            f'<tr><th style="text-align:right;padding-right:0.6em;font-size:{px}px">'
            f"{tr('broadcast.result', shape=_shape_text(a.result))}</th>"
            f"{cells}</tr>"
        )
    table = '<table class="mg-aligner" style="border-collapse:separate;border-spacing:4px">'
    table += f"<tr><th></th>{head}</tr>{''.join(body)}</table>"
    notes = []
    if a.error is not None:
        notes.append(
            f'<div class="mg-error" style="color:{style.VERMILLION};font-weight:bold">✗ RuntimeError: '
            f"{_esc(a.error)}</div>"
        )
    elif grads:
        for name, shape in zip(names, a.shapes):
            notes.append(f'<div class="mg-grad-note">{_esc(gradient_note(name, a.result, shape))}</div>')
    return (
        f'<div class="mg-shape-aligner" style="font-size:{px}px;line-height:1.4">{table}'
        f"{''.join(notes)}</div>"
    )


def gradient_note(name, grad_shape, shape):
    """One sentence: how the gradient of ``name`` (of ``shape``) is summed from ``grad_shape``."""
    removed, kept = summed_axes(grad_shape, shape)
    if not removed and not kept:
        return tr("broadcast.nothing_to_sum", name=name, shape=_shape_text(grad_shape))
    parts = []
    if removed:
        parts.append(tr("broadcast.sum_removed", axes=", ".join(map(str, removed))))
    if kept:
        parts.append(tr("broadcast.sum_kept", axes=", ".join(map(str, kept))))
    before, after = _shape_text(grad_shape), _shape_text(shape)
    return tr("broadcast.gradient_of", name=name, before=before, after=after) + tr("broadcast.sep").join(
        parts
    )


def _legend_html(px):
    spans = "".join(
        f'<span style="margin-right:1.1em;white-space:nowrap"><span style="display:inline-block;'
        f"width:1.4em;height:0.9em;vertical-align:middle;margin-right:0.3em;background:{fill};"
        f'border:2px {"dashed" if role == "missing" else "solid"} {border}"></span>{_esc(tr(label))}</span>'
        for role, (fill, border, label) in ROLES.items()
    )
    return f'<div class="mg-legend" style="font-size:{px - 2}px">{spans}</div>'


def grid_html(array, summed=(), caption=""):
    """A small array as HTML tables (a 3-D array as blocks side by side, ``[0]``, ``[1]``, …);
    the axes in ``summed`` are named in the caption. Larger arrays: their shape only."""
    array = np.asarray(array)
    digits = 6

    def num(x):
        x = float(x)
        return "0" if x == 0 else f"{x:.{digits}g}"

    cap = f'<div style="font-style:italic;color:#333">{_esc(caption)}</div>' if caption else ""
    if array.size > MAX_GRID or array.ndim > 3:
        return f'<div class="mg-grid">{cap}{tr("format.shape_only", shape=_shape_text(array.shape))}</div>'

    def table(a2):
        rows = "".join(
            "<tr>"
            + "".join(
                f'<td style="border:1px solid {style.GREY};padding:0.1em 0.5em;text-align:right;'
                f'font-family:monospace">{num(x)}</td>'
                for x in row
            )
            + "</tr>"
            for row in a2
        )
        return f'<table style="border-collapse:collapse;display:inline-table;margin:0.2em">{rows}</table>'

    if array.ndim == 0:
        inner = table(array.reshape(1, 1))
    elif array.ndim == 1:
        inner = table(array.reshape(1, -1))
    elif array.ndim == 2:
        inner = table(array)
    else:
        inner = "".join(
            f'<span style="display:inline-block;margin-right:0.8em;vertical-align:top">'
            f'<div style="color:#555">[{i}]</div>{table(block)}</span>'
            for i, block in enumerate(array)
        )
    axes = "".join(f" mg-summed-{k}" for k in summed)
    return f'<div class="mg-grid{axes}" data-shape="{_shape_text(array.shape)}">{cap}<div>{inner}</div></div>'


# --- the widgets --------------------------------------------------------------------------------------
class ShapeAligner:
    """Several shape alignments, one at a time; toggle buttons choose which (in the browser, no kernel).

    ``cases`` is a list of tuples of shapes, e.g. ``[((4, 3), (3,)), ((2, 4, 3), (4, 1))]``;
    ``names`` names the operands (the same for every case). Display it as a cell's last expression.
    """

    def __init__(self, cases, names=None, presenter=None):
        import ipywidgets as widgets

        presenter = style.presenter_mode(presenter)
        px = style.sizes(presenter)["panel_px"]
        self.cases = [tuple(tuple(s) for s in case) for case in cases]
        self.alignments = [align(*case) for case in self.cases]
        labels = [" + ".join(_shape_text(s) for s in case) for case in self.cases]
        self.pages = [aligner_html(case, names, presenter) for case in self.cases]
        self.stack = widgets.Stack([widgets.HTML(p) for p in self.pages], selected_index=0)
        self.buttons = widgets.ToggleButtons(
            options=labels, index=0, description=tr("broadcast.shapes"), style={"button_width": "auto"}
        )
        self.buttons.add_class("mg-aligner-choice")
        self.links = [widgets.jslink((self.buttons, "index"), (self.stack, "selected_index"))]
        self.widget = widgets.VBox([self.buttons, widgets.HTML(_legend_html(px)), self.stack])
        self.widget.add_class("mg-shape-aligner-widget")

    def _repr_mimebundle_(self, **kwargs):
        data = self.widget._repr_mimebundle_(**kwargs)
        data["text/plain"] = repr(self)  # (a short, stable text for the notebook and nbval)
        return data

    def __repr__(self):
        return f"ShapeAligner({len(self.cases)} cases)"


@dataclass
class UnbroadcastFrame:
    """One step of :class:`UnbroadcastStepper`, as plain data (and its HTML)."""

    kind: str  # start | run | send | accumulate | done
    title: str
    node: str = ""  # name of the node (AddBackward0, AccumulateGrad, ...)
    shape_in: tuple = ()  # shape of the gradient that arrived at the node
    shape_out: tuple | None = None  # shape of the gradient sent on (send, accumulate)
    removed: tuple = ()  # axes summed away (send frames of a broadcast input)
    kept: tuple = ()  # axes summed with keepdim=True
    value: np.ndarray | None = None  # the engine's gradient shown (arrived, sent or accumulated)
    arrived: np.ndarray | None = None  # send frames: the gradient that arrived at the node
    stages: list | None = None  # send frames of a broadcast input: [(code, array)] of the sum
    sign: int = 0  # 1: the sum is what the engine sent; -1: minus it; 0: the node did more
    target: str | None = None  # send frames: the name of the tensor the gradient is for
    lines: list = field(default_factory=list)
    html: str = ""


class UnbroadcastStepper:
    """Step through ``output.backward(gradient)`` as the real engine runs it, watching shapes.

    Each frame is one engine event: a node receiving the gradient of its output (its shape and
    values), a node sending a gradient along an edge (shape in → shape out), an ``AccumulateGrad``
    storing a leaf's gradient. Where a gradient was summed back to a broadcast input's shape, the
    frame shows the alignment, the sum axis by axis, and the value the engine sent.

    **.grad**: never changed (a dry run: ``accumulate_grad=False``, ``retain_graph=True``; the
    ``.grad`` of tensors in ``names`` that called ``retain_grad()`` is restored).
    ``names``: dict name → tensor (``locals()`` works) for labels.
    """

    def __init__(self, output, gradient=None, names=None, presenter=None, interval=1500):
        import ipywidgets as widgets

        import minigrad
        from minigrad.autograd.engine import iter_backward

        presenter = style.presenter_mode(presenter)
        self._presenter = presenter
        self._px = style.sizes(presenter)["panel_px"]
        if output.grad_fn is None:
            raise RuntimeError(
                "this tensor has no grad_fn (a leaf, or it does not require grad): "
                "there is no backward pass to step through"
            )
        if gradient is None:
            if output.numel() != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs (pass gradient=)")
            gradient = minigrad.ones_like(output)
        self._names = [
            (k, v)
            for k, v in dict(names or {}).items()
            if isinstance(v, minigrad.Tensor) and not k.startswith("_")
        ]
        retained = [t for _, t in self._names if not t.is_leaf and t.retains_grad]
        saved = [(t, t.grad) for t in retained]
        self.frames = []
        self._arrived = {}
        events = iter_backward(
            [(output.grad_fn, output.output_nr)], [gradient], retain_graph=True, accumulate_grad=False
        )
        try:
            with np.errstate(all="ignore"):
                for event in events:
                    frame = self._frame(event, output)
                    if frame is not None:
                        self.frames.append(frame)
        finally:
            events.close()
            for t, old in saved:
                t.grad = old
        total = len(self.frames)
        for i, frame in enumerate(self.frames):
            frame.html = self._html(frame, i, total)
        n = total - 1
        self.stack = widgets.Stack([widgets.HTML(f.html) for f in self.frames], selected_index=0)
        self.slider = widgets.IntSlider(
            value=0, min=0, max=n, description=tr("controls.step"), layout=widgets.Layout(width="50%")
        )
        self.play = widgets.Play(value=0, min=0, max=n, step=1, interval=interval, show_repeat=False)
        self.slider.add_class("mg-step-slider")
        self.play.add_class("mg-play")
        self.links = [  # (in the browser: stepping needs no kernel)
            widgets.jslink((self.play, "value"), (self.slider, "value")),
            widgets.jslink((self.slider, "value"), (self.stack, "selected_index")),
        ]
        legend = widgets.HTML(_legend_html(self._px))
        self.widget = widgets.VBox([widgets.HBox([self.play, self.slider]), legend, self.stack])
        self.widget.add_class("mg-unbroadcast")

    # --- labels ---------------------------------------------------------------------------------
    def _tensor_name(self, tensor):
        for name, t in self._names:
            if t is tensor:
                return name
        return None

    def _node_label(self, node):
        if _is_accumulate(node):
            name = self._tensor_name(node.variable)
            return f"AccumulateGrad ({name})" if name else "AccumulateGrad"
        for name, t in self._names:
            if t.grad_fn is node:
                return f"{node.name()} ({name})"
        return node.name()

    def _input_label(self, node):
        """The name of the tensor whose gradient goes to ``node``, or None."""
        if _is_accumulate(node):
            return self._tensor_name(node.variable)
        for name, t in self._names:
            if t.grad_fn is node:
                return name
        return None

    # --- frames ---------------------------------------------------------------------------------
    def _frame(self, event, output):
        kind = event.kind
        if kind == "start":
            g = event.roots[0][2]
            name = self._tensor_name(output) or tr("broadcast.the_output")
            return UnbroadcastFrame(
                "start",
                tr("broadcast.start", name=name, shape=_shape_text(g.shape), node=output.grad_fn.name()),
                output.grad_fn.name(),
                tuple(g.shape),
                value=g.detach().numpy().copy(),
            )
        if kind == "run":
            if _is_accumulate(event.node):
                return None  # shown by its accumulate frame
            g = event.grads_in[0]
            self._arrived[event.node] = g
            if g is None:
                return None
            return UnbroadcastFrame(
                "run",
                tr(
                    "broadcast.receives",
                    step=event.step,
                    node=self._node_label(event.node),
                    shape=_shape_text(g.shape),
                ),
                event.node.name(),
                tuple(g.shape),
                value=g.detach().numpy().copy(),
            )
        if kind == "send":
            return self._send(event)
        if kind == "accumulate":
            name = self._tensor_name(event.variable) or tr("broadcast.the_leaf")
            shape = tuple(event.grad.shape)
            return UnbroadcastFrame(
                "accumulate",
                tr("broadcast.accumulate", step=event.step, name=name, shape=_shape_text(shape)),
                "AccumulateGrad",
                shape,
                shape,
                value=event.total.detach().numpy().copy(),
                lines=[tr("broadcast.dry_run")],
            )
        if kind == "done":
            return UnbroadcastFrame("done", tr("trace.done_title", n=event.steps), "")
        return None

    def _send(self, event):
        node, grad = event.node, event.grad
        arrived = self._arrived.get(node)
        if grad is None or arrived is None:
            return None
        shape_in, shape_out = tuple(arrived.shape), tuple(grad.shape)
        name = self._input_label(event.next_node)
        target = name or tr("broadcast.the_input_of", node=event.next_node.name())
        title = tr(
            "broadcast.sends",
            step=event.step,
            node=node.name(),
            what=f"∂L/∂{name}" if name else tr("broadcast.a_gradient"),
            to=self._node_label(event.next_node),
            edge=event.edge,
            before=_shape_text(shape_in),
            after=_shape_text(shape_out),
        )
        frame = UnbroadcastFrame(
            "send", title, node.name(), shape_in, shape_out, value=grad.detach().numpy().copy()
        )
        frame.arrived = arrived.detach().numpy().copy()
        frame.target = name
        if shape_in == shape_out:
            frame.lines.append(
                tr("broadcast.same_shape", target=target)
                if node.name() in ("AddBackward0", "SubBackward0")
                else tr(
                    "broadcast.turned",
                    node=node.name(),
                    before=_shape_text(shape_in),
                    target=target,
                    after=_shape_text(shape_out),
                )
            )
            return frame
        try:
            frame.removed, frame.kept = summed_axes(shape_in, shape_out)
        except ValueError:  # not a broadcast (a matmul, a sum, ...): the node's own formula
            frame.lines.append(
                tr(
                    "broadcast.turned_vjp",
                    node=node.name(),
                    before=_shape_text(shape_in),
                    target=target,
                    after=_shape_text(shape_out),
                )
            )
            return frame
        g_in = arrived.detach().numpy().astype(np.float64)
        sent = frame.value.astype(np.float64)
        stages = sum_stages(g_in, shape_out)
        final = stages[-1][1]
        scale = max(1.0, float(np.max(np.abs(final))) if final.size else 1.0)
        if np.allclose(final, sent, rtol=1e-9, atol=1e-12 * scale):
            frame.lines.append(tr("broadcast.summed_back", target=target))
            frame.stages, frame.sign = stages, 1
        elif np.allclose(-final, sent, rtol=1e-9, atol=1e-12 * scale):
            frame.lines.append(tr("broadcast.summed_back_negated", target=target))
            frame.stages, frame.sign = stages, -1
        else:
            frame.lines.append(tr("broadcast.multiplied", target=target, node=node.name()))
            frame.stages, frame.sign = None, 0
        return frame

    # --- HTML ---------------------------------------------------------------------------------------
    def _html(self, frame, index, total):
        px = self._px
        parts = [
            f'<div style="font-weight:bold;margin-bottom:0.3em">'
            f"[{index}/{total - 1}] {_esc(frame.title)}</div>"
        ]
        parts += [f"<div>{_esc(line)}</div>" for line in frame.lines]
        if frame.kind in ("start", "run"):
            parts.append(
                grid_html(
                    frame.value, caption=tr("broadcast.arrived_caption", shape=_shape_text(frame.shape_in))
                )
            )
        elif frame.kind == "send" and (frame.removed or frame.kept):
            target = frame.target or tr("broadcast.the_input")
            left = (
                aligner_html(
                    [frame.shape_in, frame.shape_out],
                    [tr("broadcast.output"), target],
                    presenter=self._presenter,
                    grads=False,
                )
                + f"<div>{_esc(gradient_note(target, frame.shape_in, frame.shape_out))}</div>"
            )
            right = grid_html(frame.value, caption=tr("broadcast.sent", shape=_shape_text(frame.shape_out)))
            stages = frame.stages
            if stages:
                code = "grad" + "".join(c for c, _ in stages)
                if frame.sign < 0:
                    code = "-" + code
                row = [
                    grid_html(
                        frame.arrived,
                        frame.removed + frame.kept,
                        tr("broadcast.arrived", shape=_shape_text(frame.shape_in)),
                    )
                ]
                for code_part, arr in stages[:-1]:
                    row.append(grid_html(arr, caption=f"{code_part} → {_shape_text(arr.shape)}"))
                last_code = stages[-1][0] + (tr("broadcast.then_negated") if frame.sign < 0 else "")
                row.append(
                    grid_html(
                        frame.value,
                        caption=tr(
                            "broadcast.engine_caption", code=last_code, shape=_shape_text(frame.shape_out)
                        ),
                    )
                )
                arrow = f'<span style="font-size:{px + 8}px;padding:0 0.4em;align-self:center">→</span>'
                right = (
                    f'<div style="font-family:monospace;margin:0.3em 0" title="{tr("broadcast.code_title")}">'
                    f"{_esc(code)}</div>"
                    f'<div style="display:flex;flex-wrap:wrap;align-items:flex-start">{arrow.join(row)}</div>'
                )
            parts.append(
                '<div style="display:flex;flex-wrap:wrap;gap:0.5em 2em;align-items:flex-start">'
                f"<div>{left}</div><div>{right}</div></div>"
            )
        elif frame.kind in ("send", "accumulate"):
            parts.append(
                grid_html(frame.value, caption=tr("broadcast.shape", shape=_shape_text(frame.shape_out)))
            )
        return (
            f'<div class="mg-unbroadcast-frame" data-kind="{frame.kind}" data-node="{_esc(frame.node)}" '
            f'style="font-size:{px}px;line-height:1.45;padding:0.3em 0.6em;'
            f'border-left:4px solid {style.CURRENT};background:#FAFAFA">{"".join(parts)}</div>'
        )

    def _repr_mimebundle_(self, **kwargs):
        data = self.widget._repr_mimebundle_(**kwargs)
        data["text/plain"] = repr(self)  # (a short, stable text for the notebook and nbval)
        return data

    def __repr__(self):
        sums = sum(1 for f in self.frames if f.kind == "send" and (f.removed or f.kept))
        return f"UnbroadcastStepper({len(self.frames)} steps, {sums} sums back to a broadcast input's shape)"
