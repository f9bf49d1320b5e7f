"""A code timeline of version counters: :class:`VersionTimeline`.

Every tensor counts the in-place changes made to its storage in ``tensor._version`` (PyTorch's
name). When an operation saves a tensor for backward, the node remembers that count; when backward
unpacks the saved tensor it compares the two, and raises if they differ ("one of the variables
needed for gradient computation has been modified by an inplace operation ... is at version 1;
expected version 0 instead").

``VersionTimeline(code)`` runs ``code`` for real, one top-level statement at a time, and after each
one reads:

- the ``_version`` of every tensor the code has named so far (a tensor made by ``detach()`` shares
  its counter with the original: you see both move together);
- what backward would check now: every tensor saved by a node of the graphs of those tensors
  (``grad_fn._saved_self``, ``_saved_other``, ``_saved_result``, ... as PyTorch names them),
  the version it was saved at, and whether unpacking it would raise;
- the error, if the statement raised (the run stops there, as a cell would).

The frames are precomputed HTML in an ipywidgets ``Stack``, switched by a ``jslink``-ed ``Play`` and
slider: stepping needs no kernel, and works in exported HTML pages. It uses only names that are
public in PyTorch (``_version``, ``grad_fn``, ``next_functions``, ``_saved_*``), so what it shows is
what the library does, not a model of it.
"""

from __future__ import annotations

import ast
import contextlib
import html
import io
import itertools
import textwrap
import warnings
from dataclasses import dataclass, field

import ipywidgets as widgets

from . import _format, style
from .controls import play_and_slider
from .i18n import text as tr

_instances = itertools.count()

#: Frames show the state *after* each statement; frame 0 is "before the first line".
BEFORE = "before the first line"


#: Columns of the table of what backward will check.
_CHECK_COLUMNS = ("node", "saved", "saved_at", "now", "verdict")


@dataclass
class SavedCheck:
    """One tensor saved for backward, as backward would find it now."""

    node: str  # the node that saved it, e.g. "PowBackward0"
    slot: str  # the name PyTorch gives it: "self", "other", "result", ...
    tensor: str  # which of your tensors it is ("x"), or a description
    saved_version: int | None  # the version when it was saved (None: unknown)
    version: int | None  # its version now (None: unknown)
    status: str  # "ok", "modified" or "freed"
    message: str = ""  # the error unpacking gives, for "modified" and "freed"


@dataclass
class Step:
    """The state after one statement (or before the first, for step 0)."""

    index: int
    lines: tuple[int, int] | None  # first and last line of the statement (1-based), None for step 0
    source: str
    versions: dict  # name -> version (int), or a text such as "no counter (inference tensor)"
    values: dict  # name -> the tensor's value, as text
    checks: list = field(default_factory=list)  # SavedCheck, one per saved tensor in the graphs
    error: tuple[str, str] | None = None  # (exception type, message) if the statement raised
    printed: str = ""  # what the statement printed
    warned: list = field(default_factory=list)  # messages of the warnings it emitted


def _esc(text):
    return html.escape(str(text), quote=False)


def _tensor_type():
    import minigrad

    return minigrad.Tensor


def _version_of(t):
    try:
        return t._version
    except RuntimeError:  # inference tensors keep no version counter (PyTorch's error)
        return tr("versions.no_counter")


def _saved_slots(node):
    """The ``_saved_<name>`` properties of a node's class (PyTorch's public-by-convention names)."""
    names = []
    for name in dir(type(node)):
        if name.startswith("_saved_") and isinstance(getattr(type(node), name, None), property):
            names.append(name)
    return names


class _Recorder:
    """Runs the statements and builds the steps."""

    def __init__(self, namespace):
        self.ns = namespace
        self.Tensor = _tensor_type()
        self.order = []  # names of tensors, in order of first appearance
        self.nodes = []  # every node seen (kept alive: ids stay unique)
        self.saved = {}  # (id(node), slot) -> [node name, slot, tensor ref, label, saved version]

    def named_tensors(self):
        found = {}
        for name, value in self.ns.items():
            if not name.startswith("_") and isinstance(value, self.Tensor):
                found[name] = value
        for name in found:
            if name not in self.order:
                self.order.append(name)
        return [(n, found[n]) for n in self.order if n in found]

    def label(self, tensor, node, slot, named):
        for name, t in named:
            if t is tensor:
                return name
        if slot == "result":  # an output of the node itself: the tensor whose grad_fn it is
            for name, t in named:
                if t.grad_fn is node:
                    return name
        return f"{_value_text(tensor)} (unnamed)"

    def graph_nodes(self, named):
        seen, out = set(), []
        stack = [t.grad_fn for _, t in reversed(named) if t.grad_fn is not None]
        while stack:
            node = stack.pop()
            if node is None or id(node) in seen:
                continue
            seen.add(id(node))
            out.append(node)
            stack.extend(fn for fn, _ in reversed(node.next_functions))
        return out

    def checks(self, named):
        result = []
        for node in self.graph_nodes(named):
            if all(n is not node for n in self.nodes):
                self.nodes.append(node)
            for attr in _saved_slots(node):
                slot = attr[len("_saved_") :]
                key = (id(node), attr)
                try:
                    value = getattr(node, attr)
                    error = None
                except RuntimeError as exc:
                    value, error = None, str(exc)
                if error is None and not isinstance(value, self.Tensor):
                    continue  # a saved number (the 2 of x ** 2), not a tensor
                if key not in self.saved:  # first seen: saved now (or, if it raises, unknown)
                    ref = value
                    label = self.label(value, node, slot, named) if value is not None else slot
                    self.saved[key] = [
                        node.name(),
                        slot,
                        ref,
                        label,
                        None if ref is None else _version_of(ref),
                    ]
                name, slot, ref, label, saved_version = self.saved[key]
                now = None if ref is None else _version_of(ref)
                if error is None:
                    status, message = "ok", ""
                elif "modified by an inplace operation" in error:
                    status, message = "modified", error
                else:
                    status, message = "freed", error
                result.append(SavedCheck(name, slot, label, saved_version, now, status, message))
        return result

    def snapshot(self, index, lines, source, error=None, printed="", warned=()):
        named = self.named_tensors()
        versions = {name: _version_of(t) for name, t in named}
        values = {name: _value_text(t) for name, t in named}
        return Step(index, lines, source, versions, values, self.checks(named), error, printed, list(warned))


def _value_text(t):
    try:
        return _format.array(t.detach())
    except Exception:  # noqa: BLE001 - a value we cannot show is not worth an error
        return "?"


def _statements(code):
    code = textwrap.dedent(code).strip("\n")
    lines = code.split("\n")
    tree = ast.parse(code)
    out = []
    for stmt in tree.body:
        first = stmt.lineno
        if getattr(stmt, "decorator_list", None):
            first = min([first] + [d.lineno for d in stmt.decorator_list])
        last = stmt.end_lineno
        out.append((stmt, (first, last), "\n".join(lines[first - 1 : last])))
    return lines, out


def run_timeline(code, namespace=None):
    """Run ``code`` statement by statement in ``namespace`` (default: a new one where ``torch`` is
    minigrad) and return ``(source lines, steps)``: step 0 is before the first statement, step k
    after the k-th; the run stops at the first statement that raises."""
    import minigrad

    ns = {"torch": minigrad, "minigrad": minigrad} if namespace is None else namespace
    lines, statements = _statements(code)
    rec = _Recorder(ns)
    steps = [rec.snapshot(0, None, BEFORE)]
    for k, (stmt, span, source) in enumerate(statements, start=1):
        out = io.StringIO()
        error = None
        with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stdout(out):
            warnings.simplefilter("always")
            try:
                exec(compile(ast.Module([stmt], type_ignores=[]), "<timeline>", "exec"), ns)  # noqa: S102
            except Exception as exc:  # noqa: BLE001 - the error is what the learner came to see
                error = (type(exc).__name__, str(exc))
        warned = [str(w.message) for w in caught]
        steps.append(rec.snapshot(k, span, source, error, out.getvalue(), warned))
        if error is not None:
            break
    return lines, steps


class VersionTimeline(widgets.VBox):
    """Run ``code`` one statement at a time and step through each tensor's ``_version``.

    After each statement: the ``_version`` of every tensor named so far (changes marked ``+1``),
    each tensor's value, every tensor saved for backward in the graphs of those tensors with the
    version it was saved at and its version now (what backward will check), and the error where a
    statement raises. The code runs for real, in ``namespace`` (default: a new namespace in which
    ``torch`` is minigrad, so the code reads as PyTorch code). Stepping (Play, slider) needs no
    kernel: the frames are precomputed.

    ``presenter``: large fonts for a projector (default: on under ``make present``).
    ``interval``: ms per step when playing.
    """

    def __init__(self, code, namespace=None, presenter=None, interval=1500, start=0):
        presenter = style.presenter_mode(presenter)
        self._prefix = f"mgv{next(_instances)}_"
        self.lines, self.steps = run_timeline(code, namespace)
        self.spans = [span for _, span, _ in _statements(code)[1]]  # every statement, run or not
        self.error = self.steps[-1].error
        last = len(self.steps) - 1
        run = last
        if self.error is not None:
            line = self.steps[-1].lines[0]
            self._summary = f"VersionTimeline({run} statements run; line {line} raised {self.error[0]})"
        else:
            self._summary = f"VersionTimeline({run} statements run, no error)"
        first = last if start == "end" else max(0, min(int(start), last))
        css = self._css(presenter)
        self.stack = widgets.Stack(
            [widgets.HTML(css + self._frame_html(s)) for s in self.steps],
            selected_index=first,
            layout=widgets.Layout(width="100%"),
        )
        controls, self.play, self.slider, self.links = play_and_slider(
            self.stack,
            tr("versions.lines_run"),
            value=first,
            interval=interval,
            continuous_update=True,
            style={"description_width": "initial"},
        )
        super().__init__([controls, self.stack])
        self.add_class("mg-versions")
        if presenter:
            self.add_class("mg-presenter")

    def __repr__(self):
        return self._summary

    # --- HTML ----------------------------------------------------------------------------------
    def _css(self, presenter):
        px = style.sizes(presenter)["panel_px"]
        p = self._prefix
        return (
            f"<style>.{p}f{{font-size:{px}px;line-height:1.4}}"
            f".{p}f table{{border-collapse:collapse;margin:0.35em 0}}"
            f".{p}f td,.{p}f th{{padding:0.12em 0.55em;border:1px solid #CCC;text-align:left;"
            f"vertical-align:top;font-size:{px - 1}px}}"
            f".{p}f th{{background:#F2F2F2;font-weight:normal}}"
            f".{p}f code,.{p}f .mono{{font-family:'DejaVu Sans Mono',monospace;white-space:pre}}"
            f".{p}f .now{{background:{style.TINT[style.ORANGE]};font-weight:bold}}"
            f".{p}f .todo{{color:#888}}"
            f".{p}f .bumped{{background:{style.TINT[style.VERMILLION]};font-weight:bold}}"
            f".{p}f .ok{{background:{style.TINT[style.BLUE]}}}"
            f".{p}f .bad{{background:{style.TINT[style.VERMILLION]};font-weight:bold}}"
            f".{p}f .freed{{background:{style.TINT[style.GREY]};color:#555}}"
            f".{p}f .err{{border-left:5px solid {style.VERMILLION};background:{style.TINT[style.VERMILLION]};"
            f"padding:0.3em 0.6em;margin:0.3em 0;white-space:pre-wrap}}"
            f".{p}f .note{{border-left:5px solid {style.BLUE};background:#FAFAFA;padding:0.3em 0.6em;"
            f"margin:0.3em 0;white-space:pre-wrap}}"
            f".{p}f .title{{font-weight:bold}}</style>"
        )

    def _code_table(self, step):
        ran_upto = step.lines[1] if step.lines else 0
        rows = []
        for n, text in enumerate(self.lines, start=1):
            if step.lines and step.lines[0] <= n <= step.lines[1]:
                if step.error is not None:
                    mark, cls = tr("versions.raised"), "bad"
                else:
                    mark, cls = tr("versions.just_ran"), "now"
            elif n <= ran_upto:
                mark, cls = tr("versions.ran"), ""
            elif self.error is not None and step is self.steps[-1] and n > step.lines[1]:
                mark, cls = tr("versions.not_run"), "todo"
            else:
                mark, cls = "", "todo"
            rows.append(
                f'<tr class="{cls}" data-line="{n}"><td>{n}</td><td>{mark}</td>'
                f'<td class="mono">{_esc(text) or " "}</td></tr>'
            )
        head = f"<tr><th>{tr('versions.line')}</th><th></th><th>{tr('versions.code')}</th></tr>"
        return f'<table class="mg-code">{head}{"".join(rows)}</table>'

    def _version_table(self, step):
        names = list(step.versions)  # the tensors named so far, in order of appearance
        header = "".join(
            f"<th>{tr('versions.after_line', a=a)}</th>"
            if a == b
            else f"<th>{tr('versions.after_lines', a=a, b=b)}</th>"
            for a, b in self.spans
        )
        final = step is self.steps[-1]
        rows = []
        for name in names:
            cells = []
            for k in range(1, len(self.spans) + 1):
                if k >= len(self.steps) and final:  # the run stopped before this statement
                    cells.append(f'<td class="todo">{tr("versions.not_run")}</td>')
                    continue
                if k > step.index:
                    cells.append('<td class="todo">·</td>')
                    continue
                s = self.steps[k]
                if name not in s.versions:
                    cells.append('<td class="todo">–</td>')
                    continue
                v = s.versions[name]
                before = self.steps[k - 1].versions.get(name)
                if name not in self.steps[k - 1].versions:
                    cells.append(f"<td>{tr('versions.new', v=_esc(v))}</td>")
                elif isinstance(v, int) and isinstance(before, int) and v != before:
                    cells.append(f'<td class="bumped">{v} (+{v - before})</td>')
                else:
                    cells.append(f"<td>{_esc(v)}</td>")
            value = step.values.get(name, "")
            rows.append(
                f'<tr data-tensor="{_esc(name)}"><td class="mono">{_esc(name)}._version</td>'
                f'{"".join(cells)}<td class="mono">{_esc(value)}</td></tr>'
            )
        if not rows:
            return f'<div class="note">{tr("versions.no_tensors")}</div>'
        return (
            f'<table class="mg-versions-table"><tr><th>{tr("versions.tensor")}</th>{header}'
            f"<th>{tr('versions.value_now')}</th></tr>"
            f"{''.join(rows)}</table>"
        )

    def _checks_html(self, step):
        if not step.checks:
            return f'<div class="note">{tr("versions.checks_nothing")}</div>'
        rows = []
        for c in step.checks:
            if c.status == "ok":
                verdict, cls = tr("versions.unchanged"), "ok"
            elif c.status == "modified":
                verdict, cls = tr("versions.changed"), "bad"
            else:
                verdict, cls = tr("versions.freed"), "freed"
            saved = "?" if c.saved_version is None else c.saved_version
            now = "?" if c.version is None else c.version
            rows.append(
                f'<tr class="{cls}" data-status="{c.status}"><td class="mono">{_esc(c.node)}</td>'
                f'<td class="mono">{_esc(c.slot)} = {_esc(c.tensor)}</td><td>{_esc(saved)}</td>'
                f"<td>{_esc(now)}</td><td>{verdict}</td></tr>"
            )
        return (
            f'<div class="title">{tr("versions.checks_title")}</div><table><tr>'
            + "".join(f"<th>{tr('versions.head.' + c)}</th>" for c in _CHECK_COLUMNS)
            + f"</tr>{''.join(rows)}</table>"
        )

    def _frame_html(self, step):
        p = self._prefix
        if step.lines is None:
            title = f"[0/{len(self.steps) - 1}] {tr('versions.before')}"
        else:
            a, b = step.lines
            where = tr("versions.after_line", a=a) if a == b else tr("versions.after_lines", a=a, b=b)
            title = f"[{step.index}/{len(self.steps) - 1}] {where}: {step.source.splitlines()[0]}"
        parts = [f'<div class="title">{_esc(title)}</div>', self._code_table(step)]
        if step.error is not None:
            kind, message = step.error
            at = tr("versions.at_line", line=step.lines[0])
            parts.append(f'<div class="err mg-error"><b>✗ {kind}</b> {at}: {_esc(message)}</div>')
        if step.printed:
            parts.append(f'<div class="note">{tr("versions.printed")}: {_esc(step.printed.rstrip())}</div>')
        for w in step.warned:
            parts.append(f'<div class="note">{tr("versions.warning")}: {_esc(w.rstrip())}</div>')
        parts.append(self._version_table(step))
        parts.append(self._checks_html(step))
        status = "raised" if step.error else "ok"
        attrs = f'data-step="{step.index}" data-status="{status}"'
        return f'<div class="{p}f mg-frame" {attrs}>{"".join(parts)}</div>'
