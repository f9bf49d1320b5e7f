"""Hand-written gradients next to autograd's, tensor by tensor: :class:`GradientTable`.

You derived ``dW1 = X.T @ dz1`` yourself; autograd computed ``W1.grad``. Are they the same? One row
per tensor answers it: the two shapes, the largest absolute difference, the relative error, and a
verdict in words (``✓ match`` / ``✗ differs``), so that nothing is told by colour alone.

Relative error is CS231n's, taken elementwise and maximised:
``max |a − b| / max(1e-8, |a| + |b|)``. In float64 a correct formula lands near 1e-16, a wrong one
near 1 (CS231n's rule of thumb for gradient checks: below 1e-7 is good, above 1e-2 is wrong).

Where a row differs, the table also says what the difference looks like, the usual mistakes of a
hand-written backward pass:

- *transposed*: your shape is autograd's reversed, and your tensor is autograd's ``.T``;
- *a constant factor*: every entry is autograd's times the same number (a missing ``1/N`` of a mean
  is ``× N``), or it is autograd's summed or averaged over a dimension;
- *a shape that is not the parameter's*: ``db`` not summed over the batch.

:func:`compare_gradients` gives the rows as data; :class:`GradientTable` shows them as a widget that
steps through the rows in the order you give them (the backward order: loss first), one row and its
formula at a time. Its frames are precomputed HTML in an ipywidgets ``Stack`` whose ``selected_index``
is ``jslink``-ed to a slider and a Play button: stepping needs no kernel, in JupyterLab and in
exported pages alike. It only reads tensors (``.detach()``, ``.numpy()``, ``.shape``), so it works
with minigrad's and PyTorch's tensors, and with numpy arrays.
"""

from __future__ import annotations

import html
import itertools
from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np

from . import _format, style
from .controls import play_and_slider
from .i18n import pad
from .i18n import text as tr

#: The largest absolute difference that still counts as "the same gradient" (float64 work).
TOLERANCE = 1e-9

_instances = itertools.count()


@dataclass
class Row:
    """One tensor's comparison. ``max_abs_diff`` and ``rel_error`` are ``None`` when the shapes
    differ (or a gradient is missing); ``note`` says what a difference looks like."""

    name: str
    hand_shape: tuple | None
    auto_shape: tuple | None
    max_abs_diff: float | None
    rel_error: float | None
    ok: bool
    note: str = ""
    formula: str = ""

    @property
    def verdict(self) -> str:
        return tr("compare.match") if self.ok else tr("compare.differs")


def as_array(t):
    """A float64 numpy copy of a tensor (minigrad, PyTorch) or array; ``None`` stays ``None``."""
    if t is None:
        return None
    if hasattr(t, "detach"):
        t = t.detach()
    if hasattr(t, "numpy") and not isinstance(t, np.ndarray):
        t = t.numpy()
    return np.array(t, dtype=np.float64)


def relative_error(a, b) -> float:
    """CS231n's relative error, ``max |a − b| / max(1e-8, |a| + |b|)`` (0.0 for empty tensors)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))


def _same(a, b, tolerance):
    return a.shape == b.shape and (a.size == 0 or float(np.max(np.abs(a - b))) <= tolerance)


def constant_factor(hand, auto, tolerance=TOLERANCE):
    """The number ``c`` with ``hand == c * auto`` (to ``tolerance``), or ``None`` when there is none."""
    big = np.abs(auto) > 1e-12
    if hand.shape != auto.shape or not big.any():
        return None
    factor = float(np.median(hand[big] / auto[big]))
    if factor != 0 and np.allclose(hand, factor * auto, rtol=1e-9, atol=tolerance):
        return factor
    return None


def _times(factor):
    if abs(factor + 1) < 1e-9:
        return tr("compare.wrong_sign")
    return tr("compare.times", factor=_format.number(factor, 4))


def diagnose(hand, auto, tolerance=TOLERANCE) -> str:
    """What a mismatch between ``hand`` and ``auto`` (numpy arrays) looks like, in words; ``""`` when
    nothing familiar is recognised (or when they match)."""
    if _same(hand, auto, tolerance):
        return ""
    if hand.ndim == 2 and hand.shape != auto.shape and hand.shape == auto.shape[::-1]:
        if _same(hand.T, auto, tolerance):
            return tr("compare.transposed")
        factor = constant_factor(hand.T, auto, tolerance)
        if factor is not None:
            return tr("compare.transposed_times", times=_times(factor))
    if hand.shape != auto.shape:
        for dim in range(auto.ndim):
            for reduce, word in ((np.sum, tr("compare.summed")), (np.mean, tr("compare.averaged"))):
                reduced = reduce(auto, axis=dim)
                if hand.shape == reduced.shape and _same(hand, reduced, tolerance):
                    return tr("compare.reduced", word=word, dim=dim)
        if hand.ndim == auto.ndim + 1 and hand.shape[1:] == auto.shape:
            for reduce, word in ((np.sum, tr("compare.summing")), (np.mean, tr("compare.averaging"))):
                if _same(reduce(hand, axis=0), auto, tolerance):
                    return tr("compare.not_reduced", word=word)
        return tr("compare.shapes", yours=_format.shape(hand.shape), autograd=_format.shape(auto.shape))
    factor = constant_factor(hand, auto, tolerance)
    if factor is not None:
        return tr("compare.every_entry", times=_times(factor))
    wrong = int(np.sum(np.abs(hand - auto) > tolerance))
    return tr("compare.entries_differ", wrong=wrong, n=auto.size)


def compare_gradients(hand, auto, formulas=None, tolerance=TOLERANCE) -> list[Row]:
    """One :class:`Row` per name in ``hand`` (a dict name → your gradient), in that order.

    ``auto`` maps the same names to autograd's gradients (e.g. ``{"W1": W1.grad, ...}``); a name
    missing from ``auto`` is an error. ``formulas`` (optional) maps names to the formula you used,
    shown by :class:`GradientTable`. A row is ✓ when the shapes are equal and every entry is within
    ``tolerance`` of autograd's.
    """
    missing = [name for name in hand if name not in auto]
    if missing:
        raise KeyError(f"no autograd gradient given for {', '.join(missing)}")
    formulas = formulas or {}
    rows = []
    for name, mine in hand.items():
        a, b = as_array(mine), as_array(auto[name])
        row = Row(
            name=name,
            hand_shape=None if a is None else tuple(a.shape),
            auto_shape=None if b is None else tuple(b.shape),
            max_abs_diff=None,
            rel_error=None,
            ok=False,
            formula=formulas.get(name, ""),
        )
        if a is None or b is None:
            row.note = tr("compare.none_from_you") if a is None else tr("compare.none_from_autograd")
        elif a.shape == b.shape:
            row.max_abs_diff = float(np.max(np.abs(a - b))) if a.size else 0.0
            row.rel_error = relative_error(a, b)
            row.ok = row.max_abs_diff <= tolerance
            row.note = diagnose(a, b, tolerance)
        else:
            row.note = diagnose(a, b, tolerance)
        rows.append(row)
    return rows


def _sci(x):
    if x is None:
        return "—"
    return "0" if x == 0 else f"{x:.1e}"


def _shape_text(s):
    return "None" if s is None else _format.shape(s)


def text_table(rows, tolerance=TOLERANCE) -> str:
    """The rows as plain text, without the numbers that vary with the machine's last bits (the
    differences are shown only as within/over the tolerance): what a notebook stores as text."""
    verdict = tr("compare.text_verdict", tolerance=_format.number(tolerance))
    lines = [f"{pad(tr('compare.tensor'), 8)}{pad(tr('compare.shape'), 14)}{verdict}"]
    for r in rows:
        extra = tr("compare.note", note=r.note) if r.note and not r.ok else ""
        lines.append(f"{pad(r.name, 8)}{pad(_shape_text(r.hand_shape), 14)}{r.verdict}{extra}")
    return "\n".join(lines)


class GradientTable(widgets.VBox):
    """A table comparing your gradients with autograd's, row by row, that steps without a kernel.

    ``GradientTable(hand, auto, formulas=None, tolerance=1e-9, presenter=None)``: ``hand`` and
    ``auto`` map names to gradients (see :func:`compare_gradients`); ``formulas`` maps names to the
    formula you used. Rows appear in the order of ``hand``. Display it as the last expression of a
    cell. It opens on the whole table; slide to 0 and press Play (or step with the slider) to reveal
    one row at a time, each with its formula; the slider's number is the number of rows shown.
    ``.rows`` holds the data, ``.all_match`` the overall verdict, ``.text()`` a plain-text version.
    """

    def __init__(self, hand, auto, formulas=None, tolerance=TOLERANCE, presenter=None, interval=1500):
        self.tolerance = tolerance
        self.rows = compare_gradients(hand, auto, formulas, tolerance)
        self.all_match = all(r.ok for r in self.rows)
        presenter = style.presenter_mode(presenter)
        self._prefix = f"mgt{next(_instances)}_"
        n = len(self.rows)
        css = self._css(presenter)
        self.frames = [self.frame_html(k) for k in range(n + 1)]
        self.stack = widgets.Stack(
            [widgets.HTML(css + f) for f in self.frames],
            selected_index=n,
            layout=widgets.Layout(width="100%"),
        )
        controls, self.play, self.slider, self.links = play_and_slider(
            self.stack, tr("compare.rows"), value=n, interval=interval, width="45%"
        )
        super().__init__([controls, self.stack])
        self.add_class("mg-gradient-table")
        self.add_class(self._prefix + "root")

    def __repr__(self):
        good = sum(r.ok for r in self.rows)
        tol = _format.number(self.tolerance)
        return f"GradientTable({good} of {len(self.rows)} tensors match autograd within {tol})"

    def text(self) -> str:
        """The table as plain text (see :func:`text_table`)."""
        return text_table(self.rows, self.tolerance)

    # -- frames --------------------------------------------------------------------------------

    def _css(self, presenter):
        px = style.sizes(presenter)["panel_px"]
        p = self._prefix
        ok, bad = style.TINT[style.BLUE], style.TINT[style.VERMILLION]
        return (
            f"<style>.{p}t{{border-collapse:collapse;font-size:{px}px;margin:0.2em 0}}"
            f".{p}t th,.{p}t td{{padding:0.2em 0.7em;text-align:left;border-bottom:1px solid #ddd}}"
            f".{p}t th{{font-weight:bold;background:#F5F5F5}}"
            f".{p}t td.num{{font-family:'DejaVu Sans Mono',monospace;text-align:right}}"
            f".{p}t tr.ok td.verdict{{background:{ok};border-left:4px solid {style.BLUE}}}"
            f".{p}t tr.bad td.verdict{{background:{bad};border-left:4px dashed {style.VERMILLION}}}"
            f".{p}t tr.hidden td{{color:#bbb}}"
            f".{p}t tr.current td{{font-weight:bold;border-top:2px solid #333;border-bottom:2px solid #333}}"
            f".{p}panel{{font-size:{px}px;padding:0.3em 0.6em;border-left:4px solid {style.GREY};"
            f"background:#FAFAFA;margin-top:0.3em}}"
            f".{p}panel code{{font-family:'DejaVu Sans Mono',monospace}}</style>"
        )

    def frame_html(self, k):
        """Frame ``k`` shows the first ``k`` rows, row ``k`` (counting from 1) as the current one with
        its formula below; frame 0 shows none yet; the last frame, ``len(rows)``, also gives the
        overall verdict. The slider's number is therefore the number of rows checked."""
        p, n = self._prefix, len(self.rows)
        head = "<tr>" + "".join(f"<th>{tr('compare.head.' + c)}</th>" for c in _COLUMNS) + "</tr>"
        body = []
        for i, r in enumerate(self.rows, start=1):
            if i > k:
                cells = [_esc(r.name), "?", "?", "?", "?", tr("compare.not_checked")]
                body.append("<tr class='hidden'>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
                continue
            cls = ("ok" if r.ok else "bad") + (" current" if i == k and k < n else "")
            verdict = _esc(r.verdict) + (f"<br><small>{_esc(r.note)}</small>" if r.note and not r.ok else "")
            body.append(
                f"<tr class='{cls}' data-row='{_esc(r.name)}'><td>{_esc(r.name)}</td>"
                f"<td>{_shape_text(r.hand_shape)}</td><td>{_shape_text(r.auto_shape)}</td>"
                f"<td class='num'>{_sci(r.max_abs_diff)}</td><td class='num'>{_sci(r.rel_error)}</td>"
                f"<td class='verdict'>{verdict}</td></tr>"
            )
        table = f"<table class='{p}t'>{head}{''.join(body)}</table>"
        tol = _format.number(self.tolerance)
        if k == 0:
            panel = tr("compare.panel_start", n=n)
        elif k < n:
            r = self.rows[k - 1]
            formula = f"<code>{_esc(r.formula)}</code> — " if r.formula else ""
            panel = tr(
                "compare.panel_row", k=k, n=n, formula=formula, name=_esc(r.name), verdict=_esc(r.verdict)
            )
        else:
            good = sum(r.ok for r in self.rows)
            panel = tr("compare.panel_end", good=good, n=n, tol=tol)
        return (
            f"<div class='mg-table-frame' data-frame='{k}'>{table}<div class='{p}panel'>{panel}</div></div>"
        )


_COLUMNS = ("tensor", "your_shape", "autograd_shape", "max_diff", "relative_error", "verdict")


def _esc(text):
    return html.escape(str(text), quote=True)
