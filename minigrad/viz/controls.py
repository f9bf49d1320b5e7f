"""Frame controls that work in the browser alone: ⏮ ◀ ▶ ⏭, Play, a frame slider and a frame box.

A widget that shows precomputed frames (an ipywidgets ``Stack``) calls::

    controls = FrameControls(len(frames), interval=1000)
    controls.link(stack)                     # jslink: the slider drives stack.selected_index
    widgets.VBox([drawing, controls, stack])

and every control steps with no kernel: in a live JupyterLab (instantly, no round trip) and in an
exported HTML page (``make export``, opened from ``file://``), where only what runs in the browser works.

**Why no ``widgets.Button``.** An ipywidgets ``Button`` only reports its click to the kernel: in an exported
page nothing answers, and the click does nothing. What the browser can do alone is limited to links
between widget attributes (``jslink``/``jsdlink``, which copy a value, never add 1 to it) and what a
widget does by itself (Play counts, a slider follows the keys, a selection widget sets its ``index`` to
the option clicked). So ⏮ ◀ ▶ ⏭ are the buttons of **one** ``ToggleButtons`` with one option per frame
(option *k* is "go to frame *k*"), its ``index`` ``jslink``-ed to the slider, so the selected option is
always the frame shown. CSS shows only four of its buttons, found by their position relative to the
selected one (``button.mod-active``): the first (⏮), the one just before the selected one (◀), the one
just after it (▶) and the last (⏭), each in a fixed column of a grid (▶ never moves under the mouse),
with its icon drawn by CSS. Clicking ▶ on frame *k* selects option *k + 1*: the index becomes *k + 1*,
the link moves the slider, the slider moves the Stack — all in the browser. A button with nothing to do
(◀ on the first frame) is absent, and its empty grey place reads as a disabled button. This needs
CSS ``:has()`` (Chromium 105, Safari 15.4, Firefox 121 and later).

The state cost is one short label per frame (``"0"``, ``"1"``, …).

Keyboard: click the slider's handle (or Tab to it), then ← → step one frame, Home / End jump to the
first / last, PageUp / PageDown several; in the frame box, ↑ ↓ step. Buttons can be reached with Tab
and pressed with Enter or Space.
"""

import ipywidgets as widgets

from .i18n import text as tr

#: The grid, the four visible buttons and their icons: Font Awesome's fast-backward (f049),
#: step-backward (f048), step-forward (f051) and fast-forward (f050), the icons of ``widgets.Button``.
_CSS = r"""<style>
.mg-nav .widget-toggle-button{display:none}
.mg-nav>div{display:grid;grid-template-columns:repeat(4,3.2em);column-gap:2px;
  background:repeating-linear-gradient(90deg,#F4F4F4 0 3.2em,transparent 3.2em calc(3.2em + 2px))}
.mg-nav .widget-toggle-button{width:100%;margin:0;font-size:0;padding:0}
.mg-nav .widget-toggle-button::before{font-family:"Font Awesome 5 Free",FontAwesome;font-weight:900;
  font-size:var(--jp-widgets-font-size,13px)}
.mg-nav .widget-toggle-button:first-child{display:block;grid-column:1}
.mg-nav .widget-toggle-button:first-child::before{content:"\f049"}
.mg-nav .widget-toggle-button:last-child{display:block;grid-column:4}
.mg-nav .widget-toggle-button:last-child::before{content:"\f050"}
.mg-nav .widget-toggle-button:has(+ .mod-active){display:block;grid-column:2}
.mg-nav .widget-toggle-button:has(+ .mod-active)::before{content:"\f048"}
.mg-nav .mod-active + .widget-toggle-button{display:block;grid-column:3}
.mg-nav .mod-active + .widget-toggle-button::before{content:"\f051"}
.mg-nav .widget-toggle-button.mod-active{display:none}
</style>"""


def nav_css():
    """The ``<style>`` that turns a ``ToggleButtons`` with class ``mg-nav`` into ⏮ ◀ ▶ ⏭."""
    return _CSS


def frame_buttons(count):
    """⏮ ◀ ▶ ⏭ for ``count`` frames: a ``ToggleButtons`` (class ``mg-nav``) with one option per frame.

    Its ``index`` is the frame to show; ``jslink`` it to whatever holds the frame number. Display
    :func:`nav_css` once next to it (:class:`FrameControls` does both).
    """
    if count < 1:
        raise ValueError(f"frame_buttons needs at least one frame, got {count}")
    nav = widgets.ToggleButtons(
        options=[str(k) for k in range(count)],
        index=0,
        tooltips=[tr("controls.frame_k", k=k) for k in range(count)],
        description="",
    )
    nav.add_class("mg-nav")
    return nav


def play_button(last, interval=1000, value=0):
    """Play (class ``mg-play``): counts ``value``…``last``, a frame every ``interval`` ms (in the browser)."""
    play = widgets.Play(
        value=value,
        min=0,
        max=last,
        step=1,
        interval=interval,
        description=tr("controls.play"),
        show_repeat=False,
    )
    play.add_class("mg-play")
    return play


def play_and_slider(stack, label, value=0, interval=1000, width="50%", **slider_options):
    """Play and a frame slider (class ``mg-step-slider``) that step ``stack``, the simple controls of the
    later lessons' widgets: both ``jslink``-ed in the browser, so stepping needs no kernel.

    Returns ``(row, play, slider, links)``: the two side by side in an ``HBox``, each part, and the links.
    """
    last = len(stack.children) - 1
    slider = widgets.IntSlider(
        value=value,
        min=0,
        max=last,
        description=label,
        readout=True,
        layout=widgets.Layout(width=width),
        **slider_options,
    )
    slider.add_class("mg-step-slider")
    play = play_button(last, interval, value)
    links = [
        widgets.jslink((play, "value"), (slider, "value")),
        widgets.jslink((slider, "value"), (stack, "selected_index")),
    ]
    row = widgets.HBox([play, slider], layout=widgets.Layout(align_items="center"))
    return row, play, slider, links


class FrameControls(widgets.HBox):
    """⏮ ◀ ▶ ⏭, Play with a speed slider, a frame slider and a frame box for ``count`` frames.

    All of them are ``jslink``-ed to the slider, in the browser: no control needs the kernel, so they
    work in exported pages too. ``link(stack)`` makes the slider select the ``Stack``'s child. The
    slider's label is ``label`` (default: "frame" in the current language). The
    parts are attributes: ``buttons`` (the ⏮ ◀ ▶ ⏭ ``ToggleButtons``), ``play``, ``slider``,
    ``frame_box``, ``speed``. ``value`` is the frame shown (as the kernel last heard of it).
    """

    def __init__(self, count, interval=1000, label=None):
        if count < 1:
            raise ValueError(f"FrameControls needs at least one frame, got {count}")
        if label is None:
            label = tr("controls.frame")
        last = count - 1
        self.buttons = frame_buttons(count)
        self.slider = widgets.IntSlider(
            value=0, min=0, max=last, description=label, readout=True, layout=widgets.Layout(width="45%")
        )
        self.play = play_button(last, interval)
        self.speed = widgets.IntSlider(
            value=interval,
            min=100,
            max=3000,
            step=100,
            description=tr("controls.ms_per_frame"),
            readout=True,
            layout=widgets.Layout(width="25%"),
        )
        self.frame_box = widgets.BoundedIntText(
            value=0, min=0, max=last, description="", layout=widgets.Layout(width="5em")
        )
        for w, cls in (
            (self.slider, "mg-step-slider"),
            (self.speed, "mg-speed"),
            (self.frame_box, "mg-step-box"),
        ):
            w.add_class(cls)
        self.links = [
            widgets.jslink((self.buttons, "index"), (self.slider, "value")),
            widgets.jslink((self.play, "value"), (self.slider, "value")),
            widgets.jslink((self.frame_box, "value"), (self.slider, "value")),
            widgets.jslink((self.speed, "value"), (self.play, "interval")),
        ]
        css = widgets.HTML(nav_css(), layout=widgets.Layout(width="0", margin="0"))
        super().__init__(
            [css, self.buttons, self.play, self.slider, self.frame_box, self.speed],
            layout=widgets.Layout(flex_flow="row wrap", align_items="center"),
        )
        self.add_class("mg-frame-controls")

    @property
    def value(self):
        return self.slider.value

    def link(self, stack):
        """``jslink`` the slider to ``stack.selected_index`` (and return the link)."""
        link = widgets.jslink((self.slider, "value"), (stack, "selected_index"))
        self.links.append(link)
        return link
