"""Watch ``backward()`` free the tensors a graph saved: :class:`SavedTensorsStepper`.

Each ``grad_fn`` keeps what its backward formula will need — ``MulBackward0`` keeps both factors
(``_saved_self``, ``_saved_other``), ``TanhBackward0`` its result (``_saved_result``), ``PowBackward0``
its base and the exponent. A ``backward()`` without ``retain_graph=True`` lets each node drop them as
soon as its own backward has run: after the pass, the numbers are gone and a second ``backward()``
raises.

:func:`lifetime_frames` runs that backward **for real** — ``minigrad.autograd.engine.iter_backward``,
the engine ``backward()`` uses, with the same arguments (``.grad`` is stored, saved tensors are freed
unless ``retain_graph=True``) — and after each event asks every node what it still holds, through
the attributes PyTorch offers for that (``grad_fn._saved_self`` and the like: reading a freed one
raises PyTorch's error). Nothing is simulated: a box turns grey because reading that attribute now
raises. The widget draws the backward graph once, with one box per saved tensor attached to its node,
and each precomputed frame only restyles it; a ``jslink``-ed Play button and slider switch frames in
the browser, so it steps without a kernel in exported pages too.

So the widget *is* the first ``output.backward()``: make it instead of calling ``backward()``.
"""

import html
import itertools
from dataclasses import dataclass, field

import ipywidgets as widgets

from .. import _factories
from ..autograd import engine
from . import _format, style
from .controls import play_and_slider
from .graph import Graph
from .i18n import text as tr
from .render import backward_dot, has_dot, install_hint, text_graph

#: Prefix of the attributes through which a node shows what it saved (PyTorch's convention).
SAVED_PREFIX = "_saved_"

#: Saved tensors are drawn with at most this many significant digits.
DIGITS = _format.GRAPH_DIGITS

HELD, READING, FREED, NUMBER = "held", "reading", "freed", "number"

_instances = itertools.count()


@dataclass
class SavedItem:
    """One thing a node saved: ``node`` (its id), ``attr`` (``'_saved_self'``), ``text`` (what it is:
    ``'w = 0.5'``), ``is_tensor`` (False for numbers such as ``_saved_exponent``, which are never
    freed), ``nbytes`` (the tensor's size in memory), ``id`` (the box's id in the drawing)."""

    id: str
    node: str
    attr: str
    text: str
    is_tensor: bool
    nbytes: int


@dataclass
class LifetimeFrame:
    """One step: ``status`` maps saved-item id → ``held``/``reading``/``freed``/``number``."""

    index: int
    kind: str  # forward | run | free | accumulate | done
    title: str
    lines: list
    status: dict
    node: str | None = None
    finished: tuple = ()
    grads: dict = field(default_factory=dict)

    @property
    def held(self):
        return [k for k, v in self.status.items() if v in (HELD, READING)]


def saved_attributes(grad_fn):
    """The names of what ``grad_fn`` saved, PyTorch's way: its ``_saved_*`` attributes that are not
    methods (``['_saved_other', '_saved_self']`` for ``MulBackward0``). The node of a custom
    ``Function`` has no such names; what it saved is ``grad_fn.saved_tensors``, listed here as
    ``'saved_tensors[0]'``, ``'saved_tensors[1]'``, … Works on PyTorch's nodes too."""
    names = []
    for name in dir(type(grad_fn)):
        if name.startswith(SAVED_PREFIX) and not callable(getattr(type(grad_fn), name, None)):
            names.append(name)
    if not names and hasattr(type(grad_fn), "saved_tensors"):
        ok, saved = probe(grad_fn, "saved_tensors")
        if ok:
            names = [f"saved_tensors[{i}]" for i in range(len(saved))]
    return sorted(names)


def probe(grad_fn, attr):
    """``(True, value)`` while ``grad_fn`` still holds ``attr`` (``'_saved_self'``, or
    ``'saved_tensors[0]'``); ``(False, message)`` once backward freed it (reading it then raises
    PyTorch's RuntimeError, whose message we keep)."""
    name, _, index = attr.partition("[")
    try:
        value = getattr(grad_fn, name)
    except RuntimeError as exc:
        return False, str(exc)
    return True, (value[int(index.rstrip("]"))] if index else value)


class Lifetime:
    """The frames of ``output.backward(gradient, retain_graph=retain_graph)`` as it frees saved tensors.

    ``graph`` is the :class:`~minigrad.viz.graph.Graph` (built before anything is freed), ``items``
    the :class:`SavedItem` list, ``frames`` the :class:`LifetimeFrame` list, ``error`` the message a
    second backward gets (None when ``retain_graph=True`` kept everything).
    """

    def __init__(self, output, gradient=None, names=None, retain_graph=False):
        if output.grad_fn is None:
            raise RuntimeError(
                "this tensor has no grad_fn: no graph was recorded, so nothing was saved for backward"
            )
        self.graph = Graph(output, names)
        self.retain_graph = bool(retain_graph)
        if gradient is None:
            if output.numel() != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs (pass gradient=)")
            gradient = _factories.ones_like(output)
        self._names = [(name, t) for name, t in (names or {}).items() if not name.startswith("_")]
        self._symbol_of = {id(t.tensor): t.symbol for t in self.graph.tensors if t.tensor is not None}
        self.items = []
        self._items_of = {}  # node id -> [SavedItem]
        for node in self.graph.nodes:
            if node.is_accumulate:
                continue
            mine = []
            for attr in saved_attributes(node.fn):
                ok, value = probe(node.fn, attr)
                if not ok:
                    raise RuntimeError(
                        "a backward() already freed the tensors this graph saved: make the widget "
                        "instead of calling backward() (or rebuild the graph by running the forward "
                        "code again)"
                    )
                item = self._item(node, attr, value)
                mine.append(item)
                self.items.append(item)
            self._items_of[node.id] = mine
        self.frames = []
        self.error = None
        self._run(output, gradient)

    # --- what a node saved ----------------------------------------------------------------------
    def _name_of(self, tensor):
        for name, t in self._names:
            if t is tensor:
                return name
        return None

    def _item(self, node, attr, value):
        item_id = f"s{len(self.items)}"
        if _is_tensor(value):
            name = self._name_of(value) or self._symbol_of.get(id(value))
            text = _format.array(value.detach().numpy(), DIGITS)
            if text.startswith("⟨"):  # too many numbers to show: name and shape
                text = f"{name or ''} {_format.shape(value.shape)}".strip()
            elif name is not None:
                text = f"{name} = {text}"
            elif attr == "_saved_result" and 0 in node.outputs:
                text = f"{node.outputs[0].symbol} = {text}"  # the node's own output
            return SavedItem(item_id, node.id, attr, text, True, int(value.detach().numpy().nbytes))
        if value is None:  # a slot left empty (MulBackward0 saves self only if other needs a gradient)
            return SavedItem(item_id, node.id, attr, "None", False, 0)
        return SavedItem(item_id, node.id, attr, _format.number(value, DIGITS), False, 0)

    def _probe_all(self):
        status = {}
        for node in self.graph.nodes:
            for item in self._items_of.get(node.id, ()):
                if not item.is_tensor:
                    status[item.id] = NUMBER
                else:
                    status[item.id] = HELD if probe(node.fn, item.attr)[0] else FREED
        return status

    def held_bytes(self, status):
        """Bytes of the saved tensors still held in ``status`` (each saved slot counted)."""
        return sum(i.nbytes for i in self.items if status.get(i.id) in (HELD, READING))

    def _summary_line(self, status):
        tensors = [i for i in self.items if i.is_tensor]
        held = [i for i in tensors if status[i.id] in (HELD, READING)]
        return tr(
            "lifetime.summary",
            held=len(held),
            n=len(tensors),
            held_bytes=self.held_bytes(status),
            n_bytes=sum(i.nbytes for i in tensors),
        )

    # --- the real backward ------------------------------------------------------------------------
    def _run(self, output, gradient):
        g = self.graph
        grads = {
            t.symbol: ("None" if t.grad is None else _format.array(t.grad))
            for t in g.tensors
            if t.kind == "leaf"
        }
        finished = []
        status = self._probe_all()
        n_tensors = sum(1 for i in self.items if i.is_tensor)
        self._add(
            "forward",
            tr("lifetime.forward_title"),
            [
                tr(
                    "lifetime.forward_one" if n_tensors == 1 else "lifetime.forward",
                    n=n_tensors,
                    nodes=len(self._items_of),
                ),
                self._summary_line(status),
            ],
            status,
            None,
            finished,
            grads,
        )
        retain = self.retain_graph
        events = engine.iter_backward([(output.grad_fn, output.output_nr)], [gradient], retain_graph=retain)
        for event in events:
            if event.kind == "run":
                node = g.node(event.node)
                if node.is_accumulate:
                    continue  # its frame is the accumulate event
                mine = self._items_of.get(node.id, [])
                reading = dict(status)
                for item in mine:
                    if item.is_tensor and reading[item.id] == HELD:
                        reading[item.id] = READING
                if mine:
                    used = ", ".join(f"{i.attr} ({i.text})" for i in mine)
                    lines = [tr("lifetime.reads", name=node.name, used=used)]
                else:
                    lines = [tr("lifetime.saved_nothing", name=node.name)]
                lines.append(self._summary_line(reading))
                self._add(
                    "run",
                    tr("trace.run_title", step=event.step, name=node.name),
                    lines,
                    reading,
                    node.id,
                    finished,
                    grads,
                )
                finished.append(node.id)
            elif event.kind == "free_saved":
                node = g.node(event.node)
                mine = [i for i in self._items_of.get(node.id, []) if i.is_tensor]
                status = self._probe_all()  # what the node holds now, read through _saved_*
                if not mine:
                    continue
                freed = [i for i in mine if status[i.id] == FREED]
                if freed:
                    title = tr("lifetime.frees_title", step=event.step, name=node.name)
                    lines = [tr("lifetime.frees", name=node.name, attrs=", ".join(i.attr for i in freed))]
                else:
                    title = tr("lifetime.keeps_title", step=event.step, name=node.name)
                    lines = [tr("lifetime.keeps", name=node.name, attrs=", ".join(i.attr for i in mine))]
                lines.append(self._summary_line(status))
                self._add("free", title, lines, status, node.id, finished, grads)
            elif event.kind == "accumulate":
                node = g.node(event.node)
                leaf = node.outputs[0]
                grads = dict(grads)
                grads[leaf.symbol] = _format.array(event.total)
                finished.append(node.id)
                self._add(
                    "accumulate",
                    tr("trace.accumulate_title", step=event.step, sym=leaf.symbol),
                    [
                        f"{leaf.symbol}.grad = {_format.array(event.total)}",
                        tr("lifetime.accumulate"),
                        self._summary_line(status),
                    ],
                    status,
                    node.id,
                    finished,
                    grads,
                )
            elif event.kind == "done":
                status = self._probe_all()
                freed_any = any(v == FREED for v in status.values())
                if freed_any:
                    for node in g.nodes:
                        for item in self._items_of.get(node.id, ()):
                            if item.is_tensor:
                                self.error = probe(node.fn, item.attr)[1]
                                break
                        if self.error:
                            break
                    lines = [
                        tr("lifetime.done_freed"),
                        self._summary_line(status),
                        tr("lifetime.second_raises"),
                        f"RuntimeError: {self.error}",
                    ]
                    title = tr("lifetime.done_freed_title")
                else:
                    lines = [
                        tr("lifetime.done_kept"),
                        self._summary_line(status),
                        tr("lifetime.second_runs"),
                    ]
                    title = tr("lifetime.done_kept_title")
                self._add("done", title, lines, status, None, finished, grads)

    def _add(self, kind, title, lines, status, node, finished, grads):
        self.frames.append(
            LifetimeFrame(
                len(self.frames), kind, title, list(lines), dict(status), node, tuple(finished), dict(grads)
            )
        )


def _is_tensor(value):
    return hasattr(value, "detach") and hasattr(value, "numpy")


def lifetime_frames(output, gradient=None, names=None, retain_graph=False):
    """Run ``output.backward(gradient, retain_graph=retain_graph)`` and return the :class:`Lifetime`
    (the graph, what each node saved, one frame per step with what each node still holds)."""
    return Lifetime(output, gradient, names, retain_graph)


def _esc(text):
    return html.escape(str(text), quote=False)


class SavedTensorsStepper(widgets.VBox):
    """Run ``output.backward()`` and step through it, watching each node's saved tensors being freed.

    The backward graph is drawn with one small box per saved tensor (``_saved_self = x = 2``) hanging
    off its node. Frame by frame: the node running now is vermillion and the boxes it reads are
    outlined in vermillion; a freed box turns grey and dashed, its text struck through; numbers such
    as ``_saved_exponent`` are kept (they are not tensors). The panel says what happened, how many
    saved tensors (and bytes) the graph still holds, and, at the end, the error a second backward
    gets.

    **This is a real backward**: ``.grad`` is stored as by ``output.backward(gradient,
    retain_graph=retain_graph)``, and the saved tensors really are freed (unless ``retain_graph``).
    Make the widget *instead of* calling ``backward()``.

    ``names``: dict name → tensor (e.g. ``locals()``) for labels; ``presenter``: large fonts;
    ``interval``: ms per step when playing. Controls (Play, slider) are ``jslink``-ed to a ``Stack``
    of precomputed frames: they work without a kernel, in exported HTML too.
    """

    def __init__(self, output, gradient=None, names=None, retain_graph=False, presenter=None, interval=1200):
        presenter = style.presenter_mode(presenter)
        self._prefix = f"mgl{next(_instances)}_"
        self.lifetime = Lifetime(output, gradient, names, retain_graph)
        self.frames = self.lifetime.frames
        graph = self.lifetime.graph
        n = len(self.frames)
        self._summary = (
            f"SavedTensorsStepper({graph.output.symbol}.backward(retain_graph={bool(retain_graph)}): "
            f"{n} steps, {len(self.lifetime.items)} saved items)"
        )
        s = style.sizes(presenter)
        if has_dot():
            drawing = backward_dot(
                graph, presenter=presenter, prefix=self._prefix, legend=False, edge_numbers=False
            )
            self._add_saved_boxes(drawing, presenter)
            svg = drawing.svg(inline=True)
            graph_html = (
                f"<style>.{self._prefix}graph svg{{max-width:100%;height:auto}}</style>"
                f'<div class="mg-graph {self._prefix}graph" style="overflow-x:auto">{svg}</div>'
            )
        else:
            text = install_hint() + "\n\n" + text_graph(graph, "backward")
            graph_html = f'<pre style="font-size:{s["panel_px"] - 2}px">{_esc(text)}</pre>'
        self.graph_view = widgets.HTML(graph_html, layout=widgets.Layout(width="100%"))
        css = self._panel_css(presenter)
        self.stack = widgets.Stack(
            [widgets.HTML(css + self._frame_html(f, presenter)) for f in self.frames],
            selected_index=0,
            layout=widgets.Layout(width="100%"),
        )
        controls, self.play, self.slider, self.links = play_and_slider(
            self.stack, tr("controls.step"), interval=interval
        )
        legend = widgets.HTML(self._legend(presenter))
        super().__init__([self.graph_view, legend, controls, self.stack])
        self.add_class("mg-lifetime")
        if presenter:
            self.add_class("mg-presenter")

    def __repr__(self):
        return self._summary

    # --- drawing --------------------------------------------------------------------------------
    def _add_saved_boxes(self, drawing, presenter):
        """One box per saved item, tied to its node by a dotted line (same rank, so it sits beside)."""
        p = self._prefix
        s = style.sizes(presenter)
        small = str(max(9, int(s["fontsize"]) - 2))
        by_node = {}
        for item in self.lifetime.items:
            by_node.setdefault(item.node, []).append(item)
        for node_id, items in by_node.items():
            with drawing.subgraph(name=f"{p}rank_{node_id}") as sub:
                sub.attr(rank="same")
                sub.node(p + node_id)
                for item in items:
                    label = f"{item.attr}\n{item.text}"
                    if not item.is_tensor:
                        label += "\n" + tr("lifetime.number_kept")
                    sub.node(
                        p + item.id,
                        label.replace("\\", "\\\\"),
                        id=p + item.id,
                        shape="note",
                        style="filled",
                        fillcolor=style.TINT[style.YELLOW],
                        color=style.ORANGE,
                        fontsize=small,
                    )
            for item in items:
                drawing.edge(
                    p + node_id,
                    p + item.id,
                    id=f"{p}{item.id}_tie",
                    style="dotted",
                    arrowhead="none",
                    color=style.ORANGE,
                    constraint="false",
                )

    def _frame_css(self, frame, presenter):
        p = self._prefix
        w = float(style.sizes(presenter)["penwidth"])
        rules = []
        for node_id in frame.finished:
            rules.append(f"#{p}{node_id}>path,#{p}{node_id}>polygon{{fill:{style.FINISHED}}}")
        if frame.node is not None:
            rules.append(
                f"#{p}{frame.node}>path,#{p}{frame.node}>polygon{{fill:{style.TINT[style.CURRENT]};"
                f"stroke:{style.CURRENT};stroke-width:{3 * w}px}}"
            )
        for item_id, state in frame.status.items():
            sel = f"#{p}{item_id}"
            if state == FREED:
                rules.append(
                    f"{sel}>polygon{{fill:{style.TINT[style.GREY]};stroke:#AAAAAA;stroke-dasharray:4,3}}"
                    f"{sel}>path{{stroke:#AAAAAA}}{sel} text{{fill:#999999;text-decoration:line-through}}"
                    f"#{p}{item_id}_tie>path{{stroke:#BBBBBB}}"
                )
            elif state == READING:
                rules.append(
                    f"{sel}>polygon{{stroke:{style.CURRENT};stroke-width:{3 * w}px}}"
                    f"#{p}{item_id}_tie>path{{stroke:{style.CURRENT};stroke-width:{2 * w}px}}"
                )
        return "<style>" + "".join(rules) + "</style>"

    def _panel_css(self, presenter):
        px = style.sizes(presenter)["panel_px"]
        p = self._prefix
        return (
            f"<style>.{p}panel{{font-size:{px}px;line-height:1.45;padding:0.3em 0.6em;"
            f"border-left:4px solid {style.CURRENT};background:#FAFAFA}}"
            f".{p}panel .mg-title{{font-weight:bold;margin-bottom:0.2em}}"
            f".{p}panel .mg-line{{font-family:'DejaVu Sans Mono',monospace;white-space:pre-wrap}}"
            f".{p}panel td,.{p}panel th{{padding:0.1em 0.6em;text-align:left;font-size:{px - 1}px}}"
            f".{p}panel th{{font-weight:normal;font-style:italic}}</style>"
        )

    def _frame_html(self, frame, presenter):
        lines = "".join(f'<div class="mg-line">{_esc(line)}</div>' for line in frame.lines)
        grads = "".join(f"<tr><td>{_esc(k)}.grad</td><td>{_esc(v)}</td></tr>" for k, v in frame.grads.items())
        total = len(self.frames) - 1
        held = sum(1 for i in self.lifetime.items if i.is_tensor and frame.status[i.id] != FREED)
        return (
            self._frame_css(frame, presenter)
            + f'<div class="{self._prefix}panel mg-panel" data-frame="{frame.index}" '
            f'data-kind="{frame.kind}" data-held="{held}">'
            f'<div class="mg-title">[{frame.index}/{total}] {_esc(frame.title)}</div>{lines}'
            f"<table><tr><th colspan=2>{tr('lifetime.grad_so_far')}</th></tr>{grads}</table></div>"
        )

    def _legend(self, presenter):
        px = style.sizes(presenter)["panel_px"] - 2
        items = [
            (
                f"background:{style.TINT[style.YELLOW]};border:2px solid {style.ORANGE}",
                tr("lifetime.legend.held"),
            ),
            (
                f"background:{style.TINT[style.YELLOW]};border:3px solid {style.CURRENT}",
                tr("lifetime.legend.reading"),
            ),
            (f"background:{style.TINT[style.GREY]};border:2px dashed #AAAAAA", tr("lifetime.legend.freed")),
            (
                f"background:{style.TINT[style.CURRENT]};border:3px solid {style.CURRENT}",
                tr("lifetime.legend.running"),
            ),
            (f"background:{style.FINISHED};border:2px solid {style.GREY}", tr("lifetime.legend.finished")),
        ]
        spans = "".join(
            f'<span style="margin-right:1.1em;white-space:nowrap"><span style="display:inline-block;'
            f'width:1.5em;height:0.9em;vertical-align:middle;margin-right:0.3em;{css}"></span>{text}</span>'
            for css, text in items
        )
        return f'<div class="mg-legend" style="font-size:{px}px">{spans}</div>'
