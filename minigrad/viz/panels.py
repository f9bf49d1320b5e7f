"""Buttons that switch between ready-made HTML panels, in the browser alone.

::

    viz.Panels("factor toggle", {"nine paths": html_1, "factored": html_2})

One ``ToggleButtons`` (one button per panel, labelled with the dict's keys) ``jslink``-ed to a ``Stack``
of ``HTML`` panels: switching needs no kernel, so it works on stage and in exported pages alike.
"""

import ipywidgets as widgets


class Panels(widgets.VBox):
    """Show one of ``panels`` (dict label → HTML) at a time, picked with buttons; ``title`` is for the
    cell's text output (``Panels('factor toggle')``)."""

    def __init__(self, title, panels):
        if not panels:
            raise ValueError("Panels needs at least one panel")
        self.title = title
        self.buttons = widgets.ToggleButtons(options=list(panels))
        self.stack = widgets.Stack([widgets.HTML(html) for html in panels.values()], selected_index=0)
        self.link = widgets.jslink((self.buttons, "index"), (self.stack, "selected_index"))
        super().__init__([self.buttons, self.stack])
        self.add_class("mg-panels")

    def __repr__(self):
        return f"Panels({self.title!r})"
