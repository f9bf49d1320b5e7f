"""The Jacobian as a heat map, and what ``backward(gradient=v)`` does with it.

For a vector output ``y`` (m numbers) of a vector input ``x`` (n numbers), the Jacobian ``J`` is the
m × n table of ∂y[i]/∂x[j]: row i is the gradient of the single number y[i]. ``y.backward()`` never
builds that table. Given a vector ``v`` shaped like ``y``, ``y.backward(gradient=v)`` adds to ``x.grad``
one vector shaped like ``x``, the *vector–Jacobian product*

    vᵀJ = v[0]·(row 0 of J) + v[1]·(row 1 of J) + … ,

a weighted sum of J's rows. Two widgets show it:

* :class:`VJPExplorer` — J as a heat map; pick ``v`` among presets (one-hot vectors, all ones, your
  own) and see each row weighted by v[i], their sum, and beside it the ``x.grad`` that the real
  engine produced for ``y.backward(gradient=v)``.
* :class:`JacobianRows` — the whole J, one row per backward call: m calls with the one-hot vectors
  e_0, e_1, … fill it row by row (a hook on ``y`` counts the calls), and the last step compares it
  with :func:`minigrad.autograd.functional.jacobian`.

Every number shown as "the engine" comes from a real ``backward`` call made when the widget is built;
the weighted sums are the explanation, computed beside it and compared. The frames are precomputed;
the preset buttons and the step slider are ``jslink``-ed to an ipywidgets ``Stack``, so they work
without a kernel (on stage and in exported HTML).

**.grad**: left as it was. ``VJPExplorer`` calls ``y.backward(gradient=v, inputs=[x],
retain_graph=True)`` with ``x.grad`` set aside and puts the old ``x.grad`` back afterwards (only ``x``
accumulates, because of ``inputs``); ``JacobianRows`` works on a detached copy of ``x``. Hooks
registered on ``y`` or ``x`` run once per call, as in any backward.
"""

import html
import itertools

import ipywidgets as widgets
import numpy as np

import minigrad

from . import _format, style
from .i18n import text as tr

#: Larger Jacobians are refused: their heat map would not be legible on a slide.
MAX_SIDE = 12

_instances = itertools.count()

# Positive entries blend white into blue, negative ones into vermillion (Okabe-Ito, safe for every
# common colour-vision deficiency); the number is always written in the cell, sign included.
_POSITIVE = (0x00, 0x72, 0xB2)
_NEGATIVE = (0xD5, 0x5E, 0x00)
_STRENGTH = 0.6  # the strongest tint, light enough for black text


def _esc(text):
    return html.escape(str(text), quote=False)


def heat_colour(value, scale):
    """The background colour of a heat-map cell: white for 0, towards blue for positive values and
    vermillion for negative ones, in proportion to ``|value| / scale``."""
    if scale <= 0 or not np.isfinite(value) or value == 0:
        return "#FFFFFF"
    t = _STRENGTH * min(abs(float(value)) / scale, 1.0)
    base = _POSITIVE if value > 0 else _NEGATIVE
    r, g, b = (round(255 + t * (c - 255)) for c in base)
    return f"#{r:02X}{g:02X}{b:02X}"


def _symbol(tensor, names, default):
    for name, value in (names or {}).items():
        if value is tensor and not name.startswith("_"):
            return name
    return default


def _flat(tensor):
    return np.array(tensor.tolist(), dtype=np.float64).reshape(-1)


def _check_sizes(m, n, what):
    if m == 0 or n == 0:
        raise ValueError(f"{what}: the output and the input must have at least one element each")
    if m > MAX_SIDE or n > MAX_SIDE:
        raise ValueError(
            f"{what}: a {m} × {n} Jacobian is too large to show (at most {MAX_SIDE} outputs and "
            f"{MAX_SIDE} inputs)"
        )


def engine_vjp(output, input, v):
    """What ``output.backward(gradient=v)`` adds to ``input.grad``: vᵀJ, from a real backward call.

    The call is ``output.backward(gradient=v, inputs=[input], retain_graph=True)`` (so only
    ``input`` accumulates and the graph stays usable); ``input.grad`` is set aside before and put
    back after, so it is left as it was. Returns a flat float64 array, or None when no gradient
    reached ``input``.
    """
    gradient = minigrad.tensor(np.asarray(v, dtype=np.float64).reshape(output.shape), dtype=output.dtype)
    old = input.grad
    input.grad = None
    try:
        output.backward(gradient=gradient, inputs=[input], retain_graph=True)
        got = input.grad
    finally:
        input.grad = old
    return None if got is None else _flat(got)


def _one_hot(m, i):
    e = np.zeros(m)
    e[i] = 1.0
    return e


def _css(prefix, presenter):
    px = style.sizes(presenter)["panel_px"]
    p = prefix
    return (
        f"<style>.{p}panel{{font-size:{px}px;line-height:1.45;padding:0.3em 0.6em;"
        f"border-left:4px solid {style.BLUE};background:#FAFAFA}}"
        f".{p}panel .mg-title{{font-weight:bold;margin-bottom:0.3em}}"
        f".{p}panel .mg-arith{{font-family:'DejaVu Sans Mono',monospace;white-space:pre-wrap;"
        f"margin-top:0.25em}}"
        f".{p}panel table.mg-heat{{border-collapse:collapse;margin:0.2em 0}}"
        f".{p}panel .mg-heat td,.{p}panel .mg-heat th{{padding:0.15em 0.55em;text-align:right;"
        f"font-size:{px - 1}px;font-family:'DejaVu Sans Mono',monospace}}"
        f".{p}panel .mg-heat td.mg-cell{{border:1px solid #BBBBBB;min-width:3.2em;color:#000}}"
        f".{p}panel .mg-heat th{{color:#333;font-weight:normal;font-style:italic}}"
        f".{p}panel .mg-heat td.mg-v{{font-weight:bold;border:2px solid {style.PURPLE}}}"
        f".{p}panel .mg-heat tr.mg-off td.mg-w{{opacity:0.35}}"
        f".{p}panel .mg-heat tr.mg-current td.mg-cell{{border:2px solid {style.CURRENT}}}"
        f".{p}panel .mg-heat td.mg-empty{{color:#999;background:#F2F2F2}}"
        f".{p}panel .mg-heat tr.mg-total td{{border-top:3px solid #333}}"
        f".{p}panel .mg-gap{{width:1.2em}}</style>"
    )


def _legend(presenter):
    px = style.sizes(presenter)["panel_px"] - 2
    swatch = (
        '<span style="display:inline-block;width:1.5em;height:0.9em;vertical-align:middle;'
        'margin-right:0.3em;border:1px solid #BBB;background:{}"></span>'
    )
    items = [
        (heat_colour(1, 1), tr("jacobian.positive")),
        (heat_colour(-1, 1), tr("jacobian.negative")),
        ("#FFFFFF", tr("jacobian.zero")),
    ]
    spans = "".join(
        f'<span style="margin-right:1.1em;white-space:nowrap">{swatch.format(c)}{t}</span>' for c, t in items
    )
    controls = ""
    if presenter:  # big controls too, for the back of the room
        controls = (
            f"<style>.mg-presenter .jupyter-button{{font-size:{px}px;height:2em}}"
            f".mg-presenter .widget-label,.mg-presenter .widget-readout{{font-size:{px}px}}</style>"
        )
    return (
        f'{controls}<div class="mg-legend" style="font-size:{px}px">{spans}'
        f"<span>{tr('jacobian.legend_note')}</span></div>"
    )


def _cell(value, scale, extra=""):
    return (
        f'<td class="mg-cell {extra}" style="background:{heat_colour(value, scale)}">'
        f"{_esc(_format.number(value, 4))}</td>"
    )


class _JacobianWidget(widgets.VBox):
    def __repr__(self):
        return self._summary


class VJPExplorer(_JacobianWidget):
    """The Jacobian of ``output`` with respect to ``input`` as a heat map, and ``output.backward(gradient=v)``
    as a weighted sum of its rows.

    Pick ``v`` with the preset buttons: each frame shows J with ``v[i]`` beside row i, the rows
    multiplied by ``v[i]``, their sum vᵀJ, and the ``input.grad`` that a real
    ``output.backward(gradient=v)`` produced (run when the widget is built, once per preset).

    ``vectors``: a dict label → v (each shaped like ``output``), or a list of vectors; the default is
    the one-hot vectors e_0, …, e_(m-1) and all ones. ``names``: dict name → tensor (e.g.
    ``locals()``) to label ``output`` and ``input``. J itself comes from m backward calls with the
    one-hot vectors. **.grad**: left as it was (see :func:`engine_vjp`).
    """

    def __init__(self, output, input, vectors=None, names=None, presenter=None):
        presenter = style.presenter_mode(presenter)
        if not output.requires_grad:
            raise RuntimeError("the output does not require grad: it has no Jacobian to show")
        m, n = output.numel(), input.numel()
        _check_sizes(m, n, "VJPExplorer")
        self._prefix = f"mgj{next(_instances)}_"
        self.y_name = _symbol(output, names, "y")
        self.x_name = _symbol(input, names, "x")
        rows = [engine_vjp(output, input, _one_hot(m, i)) for i in range(m)]
        if any(r is None for r in rows):
            raise RuntimeError(
                f"no gradient reaches {self.x_name} from {self.y_name}: its Jacobian is not defined here"
            )
        self.jacobian = np.stack(rows)
        self.x_shape = tuple(input.shape)
        self.presets = self._presets(vectors, m, output.shape)
        self.engine = [engine_vjp(output, input, v) for _, v in self.presets]
        self.weighted_sums = [v @ self.jacobian for _, v in self.presets]
        y, x = self.y_name, self.x_name
        count = len(self.presets)
        self._summary = f"VJPExplorer({y}.backward(gradient=v) for {count} vectors v, J is {m}×{n})"
        css = _css(self._prefix, presenter)
        self.stack = widgets.Stack(
            [widgets.HTML(css + self._frame_html(k)) for k in range(len(self.presets))],
            selected_index=0,
            layout=widgets.Layout(width="100%"),
        )
        self.choose = widgets.ToggleButtons(
            options=[label for label, _ in self.presets],
            index=0,
            description="",
            style={"button_width": "auto"},
        )
        pick = widgets.HBox(
            [
                widgets.HTML(
                    f'<span style="font-size:{style.sizes(presenter)["panel_px"]}px"><b>v =</b></span>'
                ),
                self.choose,
            ],
            layout=widgets.Layout(align_items="center"),
        )
        self.choose.add_class("mg-vjp-presets")
        # in the browser, no kernel needed (kept, so tests can see what is linked to what)
        self.links = [widgets.jslink((self.choose, "index"), (self.stack, "selected_index"))]
        px = style.sizes(presenter)["panel_px"]
        title = widgets.HTML(
            f'<div style="font-size:{px}px">{tr("jacobian.vjp_title", y=_esc(y), x=_esc(x))}</div>'
        )
        super().__init__([title, pick, widgets.HTML(_legend(presenter)), self.stack])
        self.add_class("mg-vjp")
        if presenter:
            self.add_class("mg-presenter")

    @staticmethod
    def _presets(vectors, m, shape):
        if vectors is None:
            items = [(f"e{i}", _one_hot(m, i)) for i in range(m)] + [("ones", np.ones(m))]
        elif isinstance(vectors, dict):
            items = list(vectors.items())
        else:
            items = [(None, v) for v in vectors]
        presets = []
        for label, v in items:
            flat = np.array(v.tolist() if hasattr(v, "tolist") else v, dtype=np.float64).reshape(-1)
            if flat.size != m:
                raise ValueError(
                    f"each vector v must have the output's {m} elements (shape {tuple(shape)}), "
                    f"got {flat.size}"
                )
            presets.append((str(label) if label is not None else _format.array(flat, 4), flat))
        if not presets:
            raise ValueError("give at least one vector v")
        return presets

    def _frame_html(self, k):
        label, v = self.presets[k]
        J = self.jacobian
        m, n = J.shape
        y, x = self.y_name, self.x_name
        weighted = v[:, None] * J
        total = self.weighted_sums[k]
        scale_j = float(np.max(np.abs(J))) if J.size else 0.0
        scale_w = float(max(np.max(np.abs(weighted)), np.max(np.abs(total))))
        head = "".join(f"<th>{_esc(x)}[{j}]</th>" for j in range(n))
        rows = [
            f'<tr><th></th><th>v</th><th colspan="{n}" style="text-align:center">'
            f"{tr('jacobian.row_i', y=_esc(y), x=_esc(x))}"
            f'</th><th class="mg-gap"></th><th colspan="{n}" style="text-align:center">'
            f"{tr('jacobian.weighted_row')}</th></tr>",
            f"<tr><th></th><th></th>{head}<th></th>{head}</tr>",
        ]
        for i in range(m):
            off = " mg-off" if v[i] == 0 else ""
            cells = "".join(_cell(J[i, j], scale_j) for j in range(n))
            wcells = "".join(_cell(weighted[i, j], scale_w, "mg-w") for j in range(n))
            rows.append(
                f'<tr class="mg-row{off}" data-row="{i}"><th>{_esc(y)}[{i}]</th>'
                f'<td class="mg-cell mg-v">{_esc(_format.number(v[i], 4))}</td>{cells}'
                f'<td class="mg-gap">→</td>{wcells}</tr>'
            )
        tcells = "".join(_cell(total[j], scale_w, "mg-sum") for j in range(n))
        rows.append(
            f'<tr class="mg-total"><th colspan="{n + 2}" style="text-align:right">{tr("jacobian.sum_rows")}'
            f'</th><td class="mg-gap"></td>{tcells}</tr>'
        )
        table = f'<table class="mg-heat">{"".join(rows)}</table>'
        engine = self.engine[k]
        sum_text, engine_text = _format.agreeing(total, engine, float(np.max(np.abs(weighted))))
        terms = ""
        for i in range(m):
            if v[i] != 0:
                sign = ("− " if terms else "−") if v[i] < 0 else ("+ " if terms else "")
                term = f"{_format.number(abs(v[i]), 4)}·{_format.array(J[i], 4)}"
                terms += f"{' ' if terms else ''}{sign}{term}"
        arith = f"vᵀJ = {terms or '0'} = {sum_text}" if m <= 6 and n <= 6 else f"vᵀJ = {sum_text}"
        same = tr("jacobian.same") if sum_text == engine_text else tr("jacobian.differs")
        shape_line = tr("jacobian.shape_line", x=x, shape=_format.shape(self.x_shape), n=n, m=m)
        v_text = _format.array(v.reshape(-1), 4)
        return (
            f'<div class="{self._prefix}panel mg-panel" data-preset="{k}" data-label="{_esc(label)}">'
            f'<div class="mg-title">v = {_esc(v_text)}</div>{table}'
            f'<div class="mg-arith mg-sum">{_esc(arith)}</div>'
            f'<div class="mg-arith mg-engine">{tr("jacobian.engine", x=_esc(x), y=_esc(y))}'
            f" = {_esc(engine_text)}   {same}</div>"
            f'<div class="mg-arith">{_esc(shape_line)}</div></div>'
        )


class JacobianRows(_JacobianWidget):
    """The full Jacobian of ``func`` at ``input``, built with exactly m backward calls, one row each.

    ``y = func(x)`` is computed once (on a detached copy of ``input`` that requires grad); call i is
    ``y.backward(gradient=e_i, retain_graph=True)`` with the one-hot vector e_i, after resetting
    ``x.grad`` to None, and the ``x.grad`` it leaves is row i. A hook on ``y`` counts the backward
    passes that really ran. The last step compares the rows with
    ``minigrad.autograd.functional.jacobian(func, input)``. Step with the slider or Play (no kernel
    needed). ``input`` itself, and its ``.grad``, are not touched.
    """

    def __init__(self, func, input, names=None, presenter=None, interval=900):
        presenter = style.presenter_mode(presenter)
        self._prefix = f"mgr{next(_instances)}_"
        self.y_name = "y"
        self.x_name = _symbol(input, names, "x")
        x = input.detach().clone().requires_grad_(True)
        y = func(x)
        if not isinstance(y, minigrad.Tensor) or not y.requires_grad:
            raise RuntimeError("func(x) must return a tensor computed from x (one that requires grad)")
        m, n = y.numel(), x.numel()
        _check_sizes(m, n, "JacobianRows")
        calls = []
        handle = y.register_hook(lambda g: calls.append(1))
        rows = []
        try:
            for i in range(m):
                x.grad = None
                e = minigrad.tensor(_one_hot(m, i).reshape(y.shape), dtype=y.dtype)
                y.backward(gradient=e, retain_graph=True)
                rows.append(np.zeros(n) if x.grad is None else _flat(x.grad))
        finally:
            handle.remove()
        self.backward_calls = len(calls)
        self.jacobian = np.stack(rows)
        reference = minigrad.autograd.functional.jacobian(func, input.detach())
        self.reference = _flat(reference).reshape(m, n)
        self._summary = f"JacobianRows({m}×{n} Jacobian from {self.backward_calls} backward calls)"
        css = _css(self._prefix, presenter)
        frames = [self._frame_html(k) for k in range(m + 1)]
        self.stack = widgets.Stack(
            [widgets.HTML(css + f) for f in frames], selected_index=0, layout=widgets.Layout(width="100%")
        )
        self.slider = widgets.IntSlider(value=0, min=0, max=m, description=tr("jacobian.calls"), readout=True)
        self.play = widgets.Play(value=0, min=0, max=m, step=1, interval=interval, show_repeat=False)
        self.slider.add_class("mg-step-slider")
        self.play.add_class("mg-play")
        self.links = [
            widgets.jslink((self.play, "value"), (self.slider, "value")),
            widgets.jslink((self.slider, "value"), (self.stack, "selected_index")),
        ]
        px = style.sizes(presenter)["panel_px"]
        title = widgets.HTML(
            f'<div style="font-size:{px}px">'
            f"{tr('jacobian.rows_title', y=_esc(self.y_name), x=_esc(self.x_name), m=m)}</div>"
        )
        controls = widgets.HBox([self.play, self.slider], layout=widgets.Layout(align_items="center"))
        super().__init__([title, controls, widgets.HTML(_legend(presenter)), self.stack])
        self.add_class("mg-jacobian-rows")
        if presenter:
            self.add_class("mg-presenter")

    def _frame_html(self, k):
        J = self.jacobian
        m, n = J.shape
        y, x = self.y_name, self.x_name
        scale = float(np.max(np.abs(J)))
        head = "".join(f"<th>{_esc(x)}[{j}]</th>" for j in range(n))
        rows = [f"<tr><th></th><th>e</th>{head}</tr>"]
        for i in range(m):
            current = " mg-current" if i == k - 1 else ""
            e_i = _format.array(_one_hot(m, i), 4) if m <= 6 else f"e{i}"
            if i < k:
                cells = "".join(_cell(J[i, j], scale) for j in range(n))
            else:
                cells = "".join('<td class="mg-cell mg-empty">?</td>' for _ in range(n))
            rows.append(
                f'<tr class="mg-row{current}" data-row="{i}"><th>{_esc(y)}[{i}]</th>'
                f"<th>{_esc(e_i)}</th>{cells}</tr>"
            )
        table = f'<table class="mg-heat">{"".join(rows)}</table>'
        lines = []
        if k == 0:
            title = tr("jacobian.empty_title", m=m, n=n)
            lines.append(tr("jacobian.empty", y=y, x=x, m=m))
        else:
            i = k - 1
            title = tr("jacobian.call_title", k=k, m=m, i=i)
            e_i = _format.array(_one_hot(m, i), 4) if m <= 6 else tr("jacobian.e_i", i=i)
            lines.append(f"{x}.grad = None; {y}.backward(gradient={e_i}, retain_graph=True)")
            lines.append(tr("jacobian.row_back", x=x, y=y, i=i, value=_format.array(J[i], 4)))
        if k == m:
            same = np.allclose(J, self.reference, rtol=1e-6, atol=1e-9)
            reference = _format.array(self.reference, 4)
            verdict = tr("jacobian.same_matrix") if same else tr("jacobian.different", reference=reference)
            lines.append(tr("jacobian.calls_in_all", calls=self.backward_calls, y=y, x=x, verdict=verdict))
        arith = "".join(f'<div class="mg-arith">{_esc(line)}</div>' for line in lines)
        return (
            f'<div class="{self._prefix}panel mg-panel" data-frame="{k}" data-calls="{k}">'
            f'<div class="mg-title">{_esc(title)}</div>{table}{arith}</div>'
        )
