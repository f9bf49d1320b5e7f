"""The graph explorer: pick a node of the backward graph, see what it holds.

::

    viz.GraphExplorer(z, names=locals())

Lists every node of ``z``'s backward graph (each ``grad_fn``, and the ``AccumulateGrad`` at every leaf
that requires grad). Picking one highlights it in the drawing (vermillion) with the edges of its
``next_functions`` (purple), and shows the node as code reads it:

- ``next_functions``: one ``(node, input_nr)`` pair per input of the forward operation, where each
  points, and ``(None, 0)`` for an input that needs no gradient (a constant);
- its saved tensors, under PyTorch's names (``_saved_self``, ``_saved_other``, ``_saved_exponent``…: the
  attributes starting with ``_saved_``, found with ``dir(node)`` as torchviz finds them), or "freed" once
  a ``backward()`` without ``retain_graph=True`` has released them;
- for an ``AccumulateGrad``: ``.variable`` (the leaf itself) and the leaf's ``.grad``.

Every panel is computed when the widget is made (so the ``.grad`` shown is the one at that moment: make
the explorer again after ``backward()`` to see the new one). The picker is ``jslink``-ed to a ``Stack``
of panels, so choosing a node needs no kernel: it works in exported pages too. Nothing is changed:
reading the saved tensors and ``.grad`` has no effect on the graph.
"""

import ipywidgets as widgets

from . import style
from .graph import Graph
from .i18n import text as tr
from .tables import grad_quietly, name_of
from .widgets import _esc, _GraphWidget, _instances

#: Prefix of the attributes through which PyTorch (and minigrad) show a node's saved tensors.
SAVED_PREFIX = "_saved_"


def saved_attributes(node):
    """``[(name, value_or_message)]`` for the node's ``_saved_*`` attributes, in ``dir()`` order.

    A value freed by ``backward()`` (reading it raises ``RuntimeError``) is reported as the text
    ``"freed by backward()"``.
    """
    found = []
    for attr in dir(node):
        if not attr.startswith(SAVED_PREFIX):
            continue
        try:
            value = getattr(node, attr)
        except RuntimeError:
            value = tr("explorer.freed")
        if not callable(value):  # attributes only (a helper method may share the prefix)
            found.append((attr, value))
    return found


def _value_text(value):
    if isinstance(value, str):
        return value
    return repr(value)


class GraphExplorer(_GraphWidget):
    """Pick a node of ``output``'s backward graph: see its ``next_functions``, its saved tensors, and
    for an ``AccumulateGrad`` its leaf and the leaf's ``.grad``. ``names``: dict name → tensor (e.g.
    ``locals()``); ``presenter``: large fonts. Works without a kernel (precomputed panels)."""

    def __init__(self, output, names=None, presenter=None):
        presenter = style.presenter_mode(presenter)
        self._prefix = f"mge{next(_instances)}_"
        if output.grad_fn is None:
            raise RuntimeError(
                "the output has no grad_fn: it is a leaf or needs no gradient, so there is no graph"
            )
        graph = Graph(output, names)
        self.graph = graph
        self.names = {t.name: t.tensor for t in graph.tensors if t.name and t.tensor is not None}
        self.nodes = self._breadth_first(graph)
        self.options = [self._option(n) for n in self.nodes]
        self.graph_view = widgets.HTML(
            self._graph_html(graph, presenter), layout=widgets.Layout(width="100%")
        )
        css = self._panel_css(presenter)
        self.panels = [self._panel_html(n, presenter) for n in self.nodes]
        self.stack = widgets.Stack([widgets.HTML(css + p) for p in self.panels], selected_index=0)
        self.select = widgets.Select(
            options=self.options,
            index=0,
            rows=min(len(self.options), 8),
            description="",
            layout=widgets.Layout(width="100%"),
        )
        self.select.add_class("mg-explorer-select")
        self.link = widgets.jslink((self.select, "index"), (self.stack, "selected_index"))
        title = widgets.HTML(
            f'<div style="font-size:{style.sizes(presenter)["panel_px"]}px">'
            f"{tr('explorer.title', L=_esc(graph.output.symbol))}</div>"
        )
        self._summary = f"GraphExplorer({graph.output.symbol}: {len(self.nodes)} nodes)"
        super().__init__([title, self.graph_view, self.select, self.stack])
        self.add_class("mg-explorer")
        if presenter:
            self.add_class("mg-presenter")

    @staticmethod
    def _breadth_first(graph):
        """The root first, then each node's ``next_functions`` in order, level by level."""
        order, seen, i = [graph.root], {graph.root.id}, 0
        while i < len(order):
            for edge in order[i].edges:
                if edge.dst.id not in seen:
                    seen.add(edge.dst.id)
                    order.append(edge.dst)
            i += 1
        return order

    def _symbol(self, node):
        out = node.outputs.get(0)
        return out.symbol if out is not None else "?"

    def _option(self, node):
        if node.is_accumulate:
            return tr("explorer.option_leaf", leaf=self._symbol(node))
        return f"{self._symbol(node)}.grad_fn = {node.name}"

    def _describe_child(self, child):
        if child is None:
            return tr("explorer.no_gradient")
        info = self.graph.node(child)
        if info.is_accumulate:
            return tr("explorer.child_leaf", leaf=self._symbol(info))
        return tr("explorer.child_node", sym=self._symbol(info))

    def _highlight_css(self, node, presenter):
        p = self._prefix
        w = float(style.sizes(presenter)["penwidth"])
        rules = [
            f"#{p}{node.id}>path,#{p}{node.id}>polygon,#{p}{node.id}>ellipse"
            f"{{stroke:{style.CURRENT};stroke-width:{3 * w}px;fill:{style.TINT[style.CURRENT]}}}"
        ]
        for edge in node.edges:
            rules.append(
                f"#{p}{edge.id}>path{{stroke:{style.PATH};stroke-width:{3 * w}px}}"
                f"#{p}{edge.id}>polygon{{fill:{style.PATH};stroke:{style.PATH}}}"
                f"#{p}{edge.dst.id}>path,#{p}{edge.dst.id}>polygon"
                f"{{stroke:{style.PATH};stroke-width:{2 * w}px}}"
            )
        return "<style>" + "".join(rules) + "</style>"

    def _rows(self, pairs):
        return "".join(f"<tr><th>{_esc(k)}</th><td>{_esc(v)}</td></tr>" for k, v in pairs)

    def _panel_html(self, node, presenter):
        fn = node.fn
        sym = self._symbol(node)
        if node.is_accumulate:
            leaf = fn.variable
            leaf_name = name_of(leaf, self.names, sym)
            title = tr("explorer.accumulate_title", leaf=leaf_name)
            body = self._rows(
                [
                    (".variable", tr("explorer.variable", value=_value_text(leaf), leaf=leaf_name)),
                    (f"{leaf_name}.grad", _value_text(grad_quietly(leaf))),
                    (
                        "next_functions",
                        tr("explorer.leaf_ends", next=repr(tuple(fn.next_functions))),
                    ),
                ]
            )
        else:
            title = f"{sym}.grad_fn = {fn!r}"
            nexts = [
                (f"{sym}.grad_fn.next_functions[{i}]", f"({child!r}, {nr}): {self._describe_child(child)}")
                for i, (child, nr) in enumerate(fn.next_functions)
            ]
            saved = [(f"{sym}.grad_fn.{attr}", _value_text(v)) for attr, v in saved_attributes(fn)]
            if not saved:
                saved = [(tr("explorer.saved"), tr("explorer.saved_none"))]
            body = self._rows(nexts + saved)
        return (
            self._highlight_css(node, presenter)
            + f'<div class="{self._prefix}panel mg-panel" data-node="{_esc(node.name)}" '
            f'data-node-id="{node.id}"><div class="mg-title">{_esc(title)}</div><table>{body}</table></div>'
        )
