"""The two widgets: :class:`BackwardStepper` and :class:`PathExplorer`.

Both precompute everything in Python when they are made, then step in the browser alone: the graph is
drawn once (so the layout never moves), each frame is a small piece of HTML (a ``<style>`` that
colours the graph, and the panel text) in an ipywidgets ``Stack``, and the controls
(:class:`~.controls.FrameControls`: ⏮ ◀ ▶ ⏭, Play, the frame slider, the frame box) are
``jslink``-ed to the Stack's ``selected_index``.
None of them needs the kernel: they are instant on stage and keep working in exported HTML.

Keyboard: click the slider's handle (or Tab to it), then ← → move one frame, Home/End jump to the
first/last frame; in the frame box, ↑ ↓.

Neither widget changes any ``.grad``: see :mod:`minigrad.viz.trace` and ``docs/widgets.md``.
"""

import html
import itertools

import ipywidgets as widgets
import numpy as np

import minigrad

from . import _format, style
from .controls import FrameControls
from .graph import Graph
from .i18n import text as tr
from .paths import MAX_PATHS, engine_gradient, find_paths
from .render import backward_dot, has_dot, install_hint, text_graph
from .trace import MAX_FRAMES, Trace

#: Graphs with more nodes than this are not drawn (the panels still step).
MAX_DRAWN_NODES = 150

_instances = itertools.count()


def _css_shape(selector, fill=None, stroke=None, width=None):
    parts = []
    if fill:
        parts.append(f"fill:{fill}")
    if stroke:
        parts.append(f"stroke:{stroke}")
    if width:
        parts.append(f"stroke-width:{width}px")
    body = ";".join(parts)
    return f"{selector}>path,{selector}>polygon,{selector}>ellipse{{{body}}}"


def _esc(text):
    return html.escape(str(text), quote=False)


class _GraphWidget(widgets.VBox):
    """What both widgets share: the drawing (once) and a Stack of frames."""

    def _graph_html(self, graph, presenter, edge_labels=None):
        s = style.sizes(presenter)
        box = f"mg-graph {self._prefix}graph"
        if len(graph.nodes) > MAX_DRAWN_NODES:
            note = tr("widget.too_many_nodes", n=len(graph.nodes), limit=MAX_DRAWN_NODES)
            return f'<div class="{box}" style="font-size:{s["panel_px"]}px"><i>{_esc(note)}</i></div>'
        if not has_dot():
            text = install_hint() + "\n\n" + text_graph(graph, "backward")
            return f'<pre class="{box}" style="font-size:{s["panel_px"] - 2}px">{_esc(text)}</pre>'
        drawing = backward_dot(
            graph,
            presenter=presenter,
            prefix=self._prefix,
            edge_labels=edge_labels,
            legend=False,
            edge_numbers=False,
        )
        svg = drawing.svg(inline=True)
        css = (
            f"<style>.{self._prefix}graph svg{{max-width:100%;height:auto}}"
            f".{self._prefix}graph .mggrad text{{visibility:hidden}}</style>"
        )
        return f'{css}<div class="{box}" style="overflow-x:auto">{svg}</div>'

    def _panel_css(self, presenter):
        px = style.sizes(presenter)["panel_px"]
        p = self._prefix
        return (
            f"<style>.{p}panel{{font-size:{px}px;line-height:1.45;padding:0.3em 0.6em;"
            f"border-left:4px solid {style.CURRENT};background:#FAFAFA}}"
            f".{p}panel .mg-title{{font-weight:bold;margin-bottom:0.2em}}"
            f".{p}panel .mg-arith{{font-family:'DejaVu Sans Mono',monospace;white-space:pre-wrap}}"
            f".{p}panel table{{border-collapse:collapse;margin-top:0.3em}}"
            f".{p}panel td,.{p}panel th{{padding:0.1em 0.6em;text-align:left;vertical-align:top;"
            f"font-size:{px - 1}px}}"
            f".{p}panel th{{color:#333;font-weight:normal;font-style:italic}}</style>"
        )

    def __repr__(self):
        return self._summary


class BackwardStepper(_GraphWidget):
    """Step through ``output.backward(gradient)`` as the real engine runs it, one event at a time.

    Shows the backward graph with the node running now (vermillion), the nodes that have run (grey)
    and the edges that have carried their gradient (blue, labelled with it); below, the step's
    chain-rule arithmetic in numbers, each leaf's gradient so far, and the engine's state (ready
    queue, dependency counts, input buffers). One frame per event of the engine; the engine's *steps*
    (one node run each) are numbered in the frames' titles. Controls: ⏮ ◀ ▶ ⏭, Play with a speed
    slider, a frame slider and a frame box, all working without the kernel
    (:class:`~.controls.FrameControls`; keyboard: see :mod:`minigrad.viz.widgets`).

    **.grad**: never changed. The frames come from a dry run of the engine (``accumulate_grad=False``,
    ``retain_graph=True``); ``.grad`` of retained tensors is restored; the last frame shows what
    ``.grad`` *will* be after ``output.backward()`` (the old ``.grad`` plus this pass). Call
    ``output.backward()`` yourself to store it. Tensor hooks run once, when the stepper is made.

    ``names``: dict name → tensor (e.g. ``locals()``) for labels; ``presenter``: large fonts and thick
    lines; ``max_frames``: longer passes are cut (and say so); ``interval``: ms per step when playing.
    """

    def __init__(
        self, output, gradient=None, names=None, presenter=None, max_frames=MAX_FRAMES, interval=1000
    ):
        presenter = style.presenter_mode(presenter)
        self._prefix = f"mgs{next(_instances)}_"
        self.trace = Trace(output, gradient, names, max_frames)
        self.frames = self.trace.frames
        graph = self.trace.graph
        self._nodes_by_id = {node.id: node for node in graph.nodes}
        n = len(self.frames)
        self._summary = (
            f"BackwardStepper({graph.output.symbol}.backward(): {n} frames, {len(graph.nodes)} nodes)"
        )
        self.graph_view = widgets.HTML(
            self._graph_html(graph, presenter, self.trace.edge_grads), layout=widgets.Layout(width="100%")
        )
        css = self._panel_css(presenter)
        self.stack = widgets.Stack(
            [widgets.HTML(css + self._frame_html(f, presenter)) for f in self.frames],
            selected_index=0,
            layout=widgets.Layout(width="100%"),
        )
        self.controls = FrameControls(n, interval=interval)
        self.controls.link(self.stack)
        self.slider, self.play, self.speed = self.controls.slider, self.controls.play, self.controls.speed
        self.step_box, self.buttons = self.controls.frame_box, self.controls.buttons
        controls = self.controls
        legend = widgets.HTML(self._legend(presenter))
        super().__init__([self.graph_view, legend, controls, self.stack])
        self.add_class("mg-stepper")
        self.add_class(self._prefix + "root")
        if presenter:
            self.add_class("mg-presenter")

    def _legend(self, presenter):
        px = style.sizes(presenter)["panel_px"] - 2
        items = [
            (
                f"background:{style.TINT[style.CURRENT]};border:3px solid {style.CURRENT}",
                tr("stepper.legend.running"),
            ),
            (
                f"background:{style.TINT[style.YELLOW]};border:3px dashed {style.ORANGE}",
                tr("stepper.legend.ready"),
            ),
            (f"background:{style.FINISHED};border:3px solid {style.GREY}", tr("stepper.legend.finished")),
            (f"background:{style.CARRIED};height:4px", tr("stepper.legend.carried")),
            (
                f"background:{style.TINT[style.SKY]};border:3px solid {style.BLUE}",
                tr("stepper.legend.accumulate"),
            ),
        ]
        spans = "".join(
            f'<span style="margin-right:1.1em;white-space:nowrap"><span style="display:inline-block;'
            f'width:1.5em;height:0.9em;vertical-align:middle;margin-right:0.3em;{css}"></span>'
            f"{text}</span>"
            for css, text in items
        )
        controls = ""
        if presenter:  # big controls too, for the back of the room
            r = f".{self._prefix}root"
            controls = (
                f"<style>{r} .jupyter-button{{font-size:{px}px;height:2em}}"
                f"{r} .widget-label,{r} .widget-readout,{r} .widget-text input{{font-size:{px}px}}"
                f"{r} .mg-nav .widget-toggle-button{{height:{2 * px}px}}"
                f"{r} .mg-nav .widget-toggle-button::before{{font-size:{px}px}}</style>"
            )
        return f'{controls}<div class="mg-legend" style="font-size:{px}px">{spans}</div>'

    def _frame_css(self, frame, presenter):
        p = self._prefix
        w = float(style.sizes(presenter)["penwidth"])
        rules = []
        for node_id in frame.finished:
            rules.append(_css_shape(f"#{p}{node_id}", fill=style.FINISHED))
        for node_id in frame.ready_ids:
            rules.append(
                _css_shape(f"#{p}{node_id}", fill=style.TINT[style.YELLOW], stroke=style.ORANGE, width=2 * w)
            )
            rules.append(f"#{p}{node_id}>path,#{p}{node_id}>polygon{{stroke-dasharray:6,3}}")
        for edge_id in frame.sent:
            color = style.CURRENT if edge_id == frame.edge else style.CARRIED
            width = 3 * w if edge_id == frame.edge else 2 * w
            rules.append(
                f"#{p}{edge_id}>path{{stroke:{color};stroke-width:{width}px}}"
                f"#{p}{edge_id}>polygon{{fill:{color};stroke:{color}}}"
                f"#{p}{edge_id} text{{visibility:visible;fill:{color};font-weight:bold}}"
            )
        if frame.node is not None:
            rules.append(
                _css_shape(
                    f"#{p}{frame.node}", fill=style.TINT[style.CURRENT], stroke=style.CURRENT, width=3 * w
                )
            )
            rules.append(f"#{p}{frame.node}>path,#{p}{frame.node}>polygon{{stroke-dasharray:none}}")
        return "<style>" + "".join(rules) + "</style>"

    def _frame_html(self, frame, presenter):
        node = self._nodes_by_id.get(frame.node)
        attrs = (
            f'data-frame="{frame.index}" data-kind="{frame.kind}" data-step="{frame.step}" '
            f'data-node="{_esc(node.name) if node else ""}" data-node-id="{frame.node or ""}" '
            f'data-edge-id="{frame.edge or ""}"'
        )
        arith = "".join(f'<div class="mg-arith">{_esc(line)}</div>' for line in frame.lines)
        grads = "".join(
            f"<tr><td>{_esc(sym)}.grad</td><td>{_esc(val)}</td></tr>" for sym, val in frame.grads.items()
        )
        ready = ", ".join(frame.ready) or tr("stepper.empty")
        deps = ", ".join(f"{label}: {count}" for label, count in frame.dependencies) or tr("stepper.none")
        bufs = "; ".join(f"{label}: {', '.join(vals)}" for label, vals in frame.buffers) or tr(
            "stepper.empty"
        )
        state = (
            f"<tr><th>{tr('stepper.ready_queue')}</th><td>{_esc(ready)}</td></tr>"
            f"<tr><th>{tr('stepper.dependencies')}</th><td>{_esc(deps)}</td></tr>"
            f"<tr><th>{tr('stepper.buffers')}</th><td>{_esc(bufs)}</td></tr>"
        )
        total = len(self.frames) - 1
        return (
            self._frame_css(frame, presenter) + f'<div class="{self._prefix}panel mg-panel" {attrs}>'
            f'<div class="mg-title">{tr("stepper.frame", index=frame.index, total=total)} '
            f"{_esc(frame.title)}</div>{arith}"
            f'<table><tr><th colspan="2">{tr("stepper.grads_so_far")}</th></tr>{grads}</table>'
            f"<table>{state}</table></div>"
        )


class PathExplorer(_GraphWidget):
    """∂output/∂leaf as a sum over paths. Lists every path from ``leaf`` up to ``output`` with the product
    of the local derivatives along it; selecting a path highlights it in the graph and shows the
    running sum of the paths so far next to the gradient the engine computes (they agree, to the last
    digit shown, once all paths are in).

    **.grad**: never changed (the engine's gradient comes from a dry run, like ``autograd.grad``).
    ``max_paths``: more paths are counted but not listed (the panel says so).
    """

    def __init__(self, output, leaf, names=None, presenter=None, max_paths=MAX_PATHS, gradient=None):
        presenter = style.presenter_mode(presenter)
        self._prefix = f"mgp{next(_instances)}_"
        graph = Graph(output, names)
        if graph.root is None:
            raise RuntimeError("the output does not require grad: there are no paths to follow")
        graph.check_not_freed("The path explorer")
        self.graph = graph
        target, nr = graph.leaf_node(leaf)
        self.target = target
        self.paths, self.total_paths = find_paths(graph, target, nr, gradient, max_paths)
        self.engine_grad = engine_gradient(output, leaf, gradient)
        L = graph.output.symbol
        sym = target.outputs[nr].symbol if nr in target.outputs else "?"
        self.symbol = sym
        self.sums = []
        running = None
        for path in self.paths:
            if path.contribution is not None:
                running = path.contribution.copy() if running is None else running + path.contribution
            self.sums.append(running)
        self.engine_text = "None" if self.engine_grad is None else _format.array(self.engine_grad)
        self.sum_text = "None" if running is None else _format.array(running)
        if running is not None and self.engine_grad is not None:
            terms = [np.max(np.abs(p.contribution)) for p in self.paths if p.contribution is not None]
            rtol = 1e-9 if leaf.dtype is minigrad.float64 else 1e-5
            self.sum_text, self.engine_text = _format.agreeing(running, self.engine_grad, max(terms), rtol)
        self._summary = f"PathExplorer(∂{L}/∂{sym}: {self.total_paths} paths)"
        labels = (
            self._labels(graph)
            if all(int(t.value.size if t.value is not None else 2) == 1 for t in graph.tensors)
            else None
        )
        self.graph_view = widgets.HTML(
            self._graph_html(graph, presenter, labels), layout=widgets.Layout(width="100%")
        )
        options = [
            tr(
                "paths.option",
                i=i + 1,
                symbols=" → ".join(reversed(p.symbols())),
                value=p.formula(L).split(" = ")[-1],
            )
            for i, p in enumerate(self.paths)
        ]
        options.append(tr("paths.option_all", n=len(self.paths), value=self.sum_text))
        self.select = widgets.Select(
            options=options,
            index=len(options) - 1,
            rows=min(len(options), 8),
            description="",
            layout=widgets.Layout(width="100%"),
        )
        css = self._panel_css(presenter)
        panels = [self._path_html(i, presenter, L) for i in range(len(self.paths))]
        panels.append(self._all_html(presenter, L))
        self.stack = widgets.Stack([widgets.HTML(css + p) for p in panels], selected_index=len(panels) - 1)
        widgets.jslink((self.select, "index"), (self.stack, "selected_index"))
        title = widgets.HTML(
            f'<div style="font-size:{style.sizes(presenter)["panel_px"]}px">'
            f"{tr('paths.title', L=_esc(L), a=_esc(sym))}</div>"
        )
        super().__init__([title, self.graph_view, self.select, self.stack])
        self.add_class("mg-paths")
        if presenter:
            self.add_class("mg-presenter")

    def _labels(self, graph):
        from .local import local_derivatives

        labels = {}
        for node in graph.nodes:
            locs = local_derivatives(node.fn)
            for edge in node.edges:
                if locs is not None and edge.index in locs:
                    labels[edge.id] = _format.array(locs[edge.index], _format.GRAPH_DIGITS)
        return labels

    def _path_css(self, path, presenter):
        p = self._prefix
        w = float(style.sizes(presenter)["penwidth"])
        rules = [f".{p}graph .mggrad text{{visibility:visible}}"]
        for edge in path.edges:
            rules.append(
                f"#{p}{edge.id}>path{{stroke:{style.PATH};stroke-width:{3 * w}px}}"
                f"#{p}{edge.id}>polygon{{fill:{style.PATH};stroke:{style.PATH}}}"
                f"#{p}{edge.id} text{{fill:{style.PATH};font-weight:bold}}"
            )
            for node in (edge.src, edge.dst):
                rules.append(_css_shape(f"#{p}{node.id}", stroke=style.PATH, width=3 * w))
        return "<style>" + "".join(rules) + "</style>"

    def _engine_line(self, L):
        return tr("paths.engine", L=_esc(L), a=_esc(self.symbol), value=_esc(self.engine_text))

    def _agreement(self, running, final=False):
        if running is None or self.engine_grad is None:
            return "?"
        text = self.sum_text if final else _format.array(running)
        if text == self.engine_text:
            return tr("paths.equal")
        return tr("paths.not_all_yet") if not final else "≠"

    def _path_html(self, i, presenter, L):
        path = self.paths[i]
        running = self.sums[i]
        contributions = [q.contribution for q in self.paths[: i + 1] if q.contribution is not None]
        parts = " + ".join(_format.array(c) for c in contributions) or "0"
        final = i == len(self.paths) - 1 and self.total_paths == len(self.paths)
        symbols = _esc(" → ".join(reversed(path.symbols())))
        title = tr("paths.path_title", i=i + 1, n=self.total_paths, symbols=symbols)
        running_text = "None" if running is None else (self.sum_text if final else _format.array(running))
        return (
            self._path_css(path, presenter) + f'<div class="{self._prefix}panel mg-panel" data-path="{i}">'
            f'<div class="mg-title">{title}</div>'
            f'<div class="mg-arith">{_esc(path.formula(L))}</div>'
            f'<div class="mg-arith mg-sum">'
            f"{tr('paths.running_sum', i=i + 1, parts=_esc(parts), value=_esc(running_text))}</div>"
            f'<div class="mg-arith mg-engine">{self._engine_line(L)}  '
            f"{self._agreement(running, final)}</div></div>"
        )

    def _all_html(self, presenter, L):
        rules = []
        p = self._prefix
        w = float(style.sizes(presenter)["penwidth"])
        for path in self.paths:
            for edge in path.edges:
                rules.append(
                    f"#{p}{edge.id}>path{{stroke:{style.PATH};stroke-width:{2 * w}px}}"
                    f"#{p}{edge.id}>polygon{{fill:{style.PATH};stroke:{style.PATH}}}"
                )
        parts = " + ".join(_format.array(q.contribution) for q in self.paths if q.contribution is not None)
        more = ""
        if self.total_paths > len(self.paths):
            more = (
                f'<div class="mg-arith">{tr("paths.only_first", k=len(self.paths), n=self.total_paths)}</div>'
            )
        total = tr("paths.sum", parts=_esc(parts or "0"), value=_esc(self.sum_text))
        return (
            f"<style>.{p}graph .mggrad text{{visibility:visible}}{''.join(rules)}</style>"
            f'<div class="{p}panel mg-panel" data-path="all">'
            f'<div class="mg-title">{tr("paths.all_title", n=self.total_paths)}</div>{more}'
            f'<div class="mg-arith mg-sum">{total}</div>'
            f'<div class="mg-arith mg-engine">{self._engine_line(L)}  '
            f"{self._agreement(self.sums[-1] if self.sums else None, final=True)}</div></div>"
        )
