"""See the graph, watch the engine: drawings and widgets for learning backpropagation.

::

    from minigrad import viz
    viz.draw(L, view="backward" | "values", show_grads=False, names=None, presenter=None)
    viz.BackwardStepper(L, gradient=None, names=None, presenter=None)   # step through L.backward()
    viz.PathExplorer(L, a, names=None, presenter=None)                 # ∂L/∂a as a sum over paths
    viz.GraphExplorer(L, names=None, presenter=None)                   # pick a node: next_functions, saved
    viz.describe(x=x, y=y); viz.walk(L.grad_fn); viz.event_table(L, names)   # text tables (tables.py)
    viz.VJPExplorer(y, x); viz.JacobianRows(f, x)                      # lesson 08: vᵀJ, J row by row
    viz.ShapeAligner(pairs); viz.UnbroadcastStepper(Y, dY)             # lesson 09: broadcasting's backward
    viz.SavedTensorsStepper(L, names=None)     # lesson 10: runs L.backward(), saved tensors being freed
    viz.VersionTimeline(code)                                          # lesson 11: versions, line by line
    viz.LiveTraining(steps)                                            # lesson 12: the loss curve, live
    viz.GradientTable(mine, autograd)                                  # lesson 13: by hand vs autograd
    viz.set_language("zh")     # widgets, legends, tables and check cells speak Chinese (i18n.py)

``names`` labels tensors: pass ``locals()`` (or a dict name → tensor). Nothing here but
``SavedTensorsStepper`` (a real backward) changes any ``.grad``: the stepper and the path
explorer run the real engine as a *dry run* (see ``docs/widgets.md``).

Modules: :mod:`~minigrad.viz.graph` (the graph as data), :mod:`~minigrad.viz.trace` (the stepper's
frames from the engine's events), :mod:`~minigrad.viz.paths` (paths and their products),
:mod:`~minigrad.viz.local` (local derivatives), :mod:`~minigrad.viz.render` (Graphviz drawings),
:mod:`~minigrad.viz.widgets` (ipywidgets), :mod:`~minigrad.viz.controls` (frame controls that need no
kernel, for any widget of precomputed frames), :mod:`~minigrad.viz.explorer` (the graph explorer),
:mod:`~minigrad.viz.panels` (buttons switching HTML panels), :mod:`~minigrad.viz.tables` (text
tables), and one module per later lesson's widget (``jacobian``, ``broadcast``, ``lifetime``,
``versions``, ``training``, ``compare``). Every sentence they show is written once, in English and
Chinese, in :mod:`~minigrad.viz.messages`; :mod:`~minigrad.viz.i18n` holds the language switch.
``graphviz`` and ``ipywidgets`` are imported only when a drawing or a widget is made, so
``import minigrad`` stays light.
"""

_LAZY = {
    "draw": "render",
    "Drawing": "render",
    "text_graph": "render",
    "BackwardStepper": "widgets",
    "PathExplorer": "widgets",
    "Graph": "graph",
    "Trace": "trace",
    "build_frames": "trace",
    "find_paths": "paths",
    "ShapeAligner": "broadcast",
    "UnbroadcastStepper": "broadcast",
    "align": "broadcast",
    "SavedTensorsStepper": "lifetime",
    "GradientTable": "compare",
    "compare_gradients": "compare",
    "VJPExplorer": "jacobian",
    "JacobianRows": "jacobian",
    "VersionTimeline": "versions",
    "FrameControls": "controls",
    "GraphExplorer": "explorer",
    "Panels": "panels",
    "describe": "tables",
    "grad_row": "tables",
    "walk": "tables",
    "event_table": "tables",
    "first_warning": "tables",
    "grad_quietly": "tables",
    "LiveTraining": "training",
    "set_language": "i18n",
    "get_language": "i18n",
}

__all__ = sorted(_LAZY)


def __getattr__(name):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'minigrad.viz' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
