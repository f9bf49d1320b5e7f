"""See the graph, watch the engine: drawings and widgets for learning backpropagation.

::

    from minigrad import viz
    viz.draw(L, view="backward" | "values", show_grads=False, names=None, presenter=None)
    viz.BackwardStepper(L, gradient=None, names=None, presenter=None)   # step through L.backward()
    viz.PathExplorer(L, a, names=None, presenter=None)                 # ∂L/∂a as a sum over paths

``names`` labels tensors: pass ``locals()`` (or a dict name → tensor). Nothing here changes any
``.grad``: the stepper and the path explorer run the real engine as a *dry run* (see
``docs/widgets.md``).

Modules: :mod:`~minigrad.viz.graph` (the graph as data), :mod:`~minigrad.viz.trace` (the stepper's
frames from the engine's events), :mod:`~minigrad.viz.paths` (paths and their products),
:mod:`~minigrad.viz.local` (local derivatives), :mod:`~minigrad.viz.render` (Graphviz drawings),
:mod:`~minigrad.viz.widgets` (ipywidgets). ``graphviz`` and ``ipywidgets`` are imported only when a
drawing or a widget is made, so ``import minigrad`` stays light.
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
    "LiveTraining": "training",
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
