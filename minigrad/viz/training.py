"""A live view of a training loop: the loss curve (and an optional panel) redrawn in place.

::

    view = LiveTraining(steps=200, every=25, panel=draw_decision_regions)
    for step in range(200):
        ...
        view.log(loss.item())     # a Python number: the view keeps no graph alive
    view.close()

The figure is shown once and then *updated in place* (an IPython display handle): in JupyterLab
the curve grows while the loop runs, and what stays in the notebook is the last picture. It is a
PNG, so a notebook checked with nbval stays deterministic (nbval skips the pixels and compares
only the picture's text form, ``<IPython.core.display.Image object>``, the same at every update).

It needs only numbers, never tensors, so a loop written for PyTorch can use it unchanged.
matplotlib and IPython are imported when a view is made, not with ``minigrad.viz``.
"""

from __future__ import annotations

from collections.abc import Callable

from .i18n import text as tr
from .style import BLUE, GREY


class LiveTraining:
    """A loss curve that redraws every ``every`` steps (and at the last step) while training.

    ``steps``: how many times ``log`` will be called (the x axis and the progress text use it).
    ``panel``: optional ``panel(ax, step)`` that draws something else on a second axes each
    redraw, e.g. the model's decision regions. ``log_scale``: the loss on a log axis.
    """

    def __init__(
        self,
        steps: int,
        every: int = 25,
        panel: Callable | None = None,
        log_scale: bool = True,
        figsize: tuple[float, float] = (8.5, 3.2),
    ):
        import matplotlib.pyplot as plt

        if steps < 1 or every < 1:
            raise ValueError(f"steps and every must be at least 1, got steps={steps}, every={every}")
        self.steps, self.every, self.panel, self.log_scale = steps, every, panel, log_scale
        self.losses: list[float] = []
        self.redraws = 0
        self.fig, axes = plt.subplots(1, 2 if panel else 1, figsize=figsize)
        # a fixed layout (tight_layout at every redraw would cost a second drawing each time)
        self.fig.subplots_adjust(left=0.08, right=0.98, bottom=0.16, top=0.88, wspace=0.25)
        self.loss_ax = axes[0] if panel else axes
        self.panel_ax = axes[1] if panel else None
        # Off pyplot's list of open figures: the inline backend would show it a second time at
        # the end of the cell. The handle below still renders it.
        plt.close(self.fig)
        self._handle = None
        self._drawn_at = 0

    def log(self, loss: float) -> None:
        """Record one step's loss (a number: ``loss.item()``); redraw when it is time."""
        if not isinstance(loss, (int, float)):
            raise TypeError(
                f"log() takes a Python number (loss.item()), not {type(loss).__name__}: "
                "keeping the tensor would keep its whole graph alive"
            )
        self.losses.append(float(loss))
        done = len(self.losses)
        if done % self.every == 0 or done == self.steps:
            self.redraw()

    def redraw(self) -> None:
        """Draw the curve (and the panel) as they are now, and show it in place of the last."""
        ax, done = self.loss_ax, len(self.losses)
        ax.clear()
        plot = ax.semilogy if self.log_scale else ax.plot
        plot(range(1, done + 1), self.losses, color=BLUE, linewidth=2)
        ax.set_xlim(0, self.steps)
        ax.set_xlabel(tr("training.step"))
        ax.set_ylabel(tr("training.loss_log") if self.log_scale else tr("training.loss"))
        ax.set_title(
            tr("training.title", done=done, steps=self.steps, loss=f"{self.losses[-1]:.3g}"), color=GREY
        )
        if self.panel is not None:
            self.panel_ax.clear()
            self.panel(self.panel_ax, done)
        self.redraws += 1
        self._drawn_at = done
        self._show()

    def _show(self):
        """One PNG per redraw, drawn once (IPython's own figure display draws twice, to trim the
        margins); shown the first time, then replacing itself through the display handle."""
        import io

        from IPython.display import Image, display

        buffer = io.BytesIO()
        self.fig.savefig(buffer, format="png")
        picture = Image(data=buffer.getvalue(), format="png")
        if self._handle is None:
            self._handle = display(picture, display_id=True)
        else:
            self._handle.update(picture)

    def close(self) -> None:
        """Finish: the last picture stays (drawn now if the last step did not redraw)."""
        if self.losses and self._drawn_at != len(self.losses):
            self.redraw()
