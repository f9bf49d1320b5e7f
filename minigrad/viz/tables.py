"""Plain-text views that lessons print: tensors as a table, the backward graph as an indented list, and
the engine's events as a table.

::

    from minigrad.viz import describe, walk, event_table
    describe(x=x, h=h, loss=loss)      # is_leaf, requires_grad, grad_fn, .grad: one row per tensor
    walk(z.grad_fn, names={"x": x})    # the graph below a node, following next_functions
    event_table(L, names=locals())     # L.backward() run by minigrad's engine, one line per event

``describe``, ``grad_row`` and ``walk`` read only what PyTorch's tensors and nodes also have
(``is_leaf``, ``requires_grad``, ``grad_fn``, ``.grad``, ``next_functions``, ``AccumulateGrad.variable``),
so they print the same for PyTorch tensors. ``event_table`` runs minigrad's engine
(:func:`minigrad.autograd.engine.iter_backward`), which PyTorch does not expose. Tensors are looked up
in ``names`` by identity, never with ``==`` (which is elementwise).

Columns are padded by *display width* (:func:`~minigrad.viz.i18n.pad`): a Chinese character takes two
columns of a monospace font, so the tables stay aligned after ``viz.set_language("zh")``.
"""

import warnings

from .i18n import pad
from .i18n import text as tr


def grad_quietly(t):
    """``t.grad``, without the warning that reading a non-leaf's ``.grad`` gives."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return t.grad


def name_of(t, names, default="?"):
    """The name under which the tensor ``t`` appears in the dict ``names`` (by identity)."""
    return next((n for n, v in names.items() if v is t), default)


def describe(**tensors):
    """Print one row per tensor: ``is_leaf``, ``requires_grad``, the class of ``grad_fn``, ``.grad``."""
    print(f"{'':5} {'is_leaf':8} {'requires_grad':14} {'grad_fn':15} grad")
    for name, t in tensors.items():
        grad_fn = t.grad_fn.name() if t.grad_fn is not None else "None"
        print(f"{pad(name, 5)} {t.is_leaf!s:8} {t.requires_grad!s:14} {pad(grad_fn, 15)} {grad_quietly(t)}")


def grad_row(label, **tensors):
    """Print ``label`` and the ``.grad`` of each tensor on one line (``None`` as a tensor: "(no x yet)")."""
    parts = []
    for name, t in tensors.items():
        value = tr("tables.no_tensor_yet", name=name) if t is None else grad_quietly(t)
        parts.append(f"{name}.grad = {pad(value, 12)}")
    print(f"{pad(label, 26)} " + " ".join(parts).rstrip())


def walk(node, names=None, depth=0):
    """Print the backward graph below ``node``, one node per line, each input indented under it.

    An ``AccumulateGrad`` node says whose ``.grad`` it fills (its ``.variable``, named from ``names``).
    Follows ``next_functions`` with an explicit stack (no recursion limit); a node reached along two
    edges is printed twice, as the edges are.
    """
    names = names or {}
    stack = [(node, depth)]
    while stack:
        current, level = stack.pop()
        label = repr(current)
        if hasattr(current, "variable"):  # an AccumulateGrad node knows its leaf
            label += tr("tables.grad_of", name=name_of(current.variable, names))
        print("    " * level + label)
        children = [child for child, _ in current.next_functions if child is not None]
        stack.extend((child, level + 1) for child in reversed(children))


def node_label(node, names):
    """A backward node's class and the tensor it belongs to: ``MulBackward0(c)``, ``AccumulateGrad(a)``."""
    if hasattr(node, "variable"):  # an AccumulateGrad node
        return f"AccumulateGrad({name_of(node.variable, names)})"
    owner = next((n for n, t in names.items() if getattr(t, "grad_fn", None) is node), "?")
    return f"{node.name()}({owner})"


def _number(g):
    return "None" if g is None else f"{g.item():g}"


def event_table(output, names):
    """Run ``output.backward()`` (``output`` a scalar) with minigrad's engine and print one line per event.

    ``step k`` is the engine's k-th step: it takes one node from the ready queue and runs it. Lines
    under a step are what that step did: ``send`` (a gradient added into the next node's input buffer)
    and ``.grad =`` (an ``AccumulateGrad`` storing a leaf's gradient). Like ``backward()``, it fills
    the leaves' ``.grad`` and frees the graph. ``names``: dict name → tensor, e.g. ``locals()``.
    """
    import minigrad
    from minigrad.autograd.engine import iter_backward

    seed = minigrad.ones_like(output)
    for ev in iter_backward([(output.grad_fn, 0)], [seed], snapshots=True):
        if ev.kind == "start":
            deps = ", ".join(f"{node_label(n, names)} {c}" for n, c in ev.dependencies.items())
            print(tr("tables.start", node=node_label(ev.roots[0][0], names)))
            print(tr("tables.edges_into", deps=deps))
        elif ev.kind == "run":
            queue = ", ".join(node_label(n, names) for n in ev.state.ready_queue) or tr("tables.empty")
            node, value = node_label(ev.node, names), _number(ev.grads_in[0])
            print(tr("tables.step", step=ev.step, node=node, value=value, queue=queue))
        elif ev.kind == "send":
            left = ev.dependencies_left
            status = tr("tables.ready") if left == 0 else tr("tables.waits", n=left)
            node = node_label(ev.next_node, names)
            print(
                tr("tables.send", value=_number(ev.grad), node=node, buffer=_number(ev.buffer), status=status)
            )
        elif ev.kind == "accumulate":
            print(f"        {node_label(ev.node, names)}: .grad = {_number(ev.total)}")
        elif ev.kind == "done":
            print(tr("tables.done", n=ev.steps))


def first_warning(caught):
    """The start of the first warning in ``caught`` (a ``warnings.catch_warnings(record=True)`` list),
    the same in every run (a notebook would prefix it with a temporary file name)."""
    if not caught:
        return tr("tables.no_warning")
    start = str(caught[0].message).split(" floating point")[0]
    return f"{caught[0].category.__name__}: {start} floating point …"
