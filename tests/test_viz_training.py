"""LiveTraining: the loss curve shown once and updated in place while a loop runs."""

import pytest

pytest.importorskip("matplotlib")
import matplotlib  # noqa: E402

matplotlib.use("Agg")

from minigrad.viz import LiveTraining  # noqa: E402


class FakeHandle:
    def __init__(self, shown):
        self.shown = shown

    def update(self, picture):
        self.shown.append(("update", picture))


@pytest.fixture
def shown(monkeypatch):
    """What the view sends to the notebook: one display, then updates of that same output."""
    import IPython.display

    calls = []

    def display(picture, display_id=False):
        assert display_id is True  # only a display with an id can be updated in place
        calls.append(("display", picture))
        return FakeHandle(calls)

    monkeypatch.setattr(IPython.display, "display", display)
    return calls


def test_shows_once_then_updates_in_place_every_few_steps(shown):
    view = LiveTraining(steps=10, every=4)
    for step in range(10):
        view.log(1.0 / (step + 1))
    view.close()
    assert [kind for kind, _ in shown] == ["display", "update", "update"]  # steps 4, 8, and the last, 10
    assert all(picture.data.startswith(b"\x89PNG") for _, picture in shown)


def test_the_last_picture_shows_the_last_step_and_loss(shown):
    view = LiveTraining(steps=7, every=3)
    for loss in [5.0, 4.0, 3.0, 2.0, 1.5, 1.25, 0.125]:
        view.log(loss)
    view.close()
    assert view.loss_ax.get_title() == "step 7/7 · loss 0.125"
    assert list(view.loss_ax.lines[0].get_ydata()) == [5.0, 4.0, 3.0, 2.0, 1.5, 1.25, 0.125]


def test_close_draws_the_steps_after_the_last_redraw(shown):
    view = LiveTraining(steps=100, every=50)
    for _ in range(3):  # stopped early: no redraw happened yet
        view.log(1.0)
    view.close()
    assert len(shown) == 1 and view.loss_ax.get_title() == "step 3/100 · loss 1"


def test_panel_is_drawn_on_its_own_axes_at_each_redraw(shown):
    seen = []
    view = LiveTraining(steps=4, every=2, panel=lambda ax, step: seen.append((ax, step)))
    for _ in range(4):
        view.log(0.5)
    assert seen == [(view.panel_ax, 2), (view.panel_ax, 4)]


def test_a_tensor_is_refused_because_it_would_keep_its_graph(shown):
    import minigrad

    view = LiveTraining(steps=2)
    loss = (minigrad.ones(1, requires_grad=True) * 2).sum()
    with pytest.raises(TypeError, match=r"loss.item\(\)"):
        view.log(loss)


def test_the_figure_is_not_left_for_pyplot_to_show_again(shown):
    import matplotlib.pyplot as plt

    view = LiveTraining(steps=1)
    assert view.fig.number not in plt.get_fignums()
