"""``inputs=``: which nodes run when only some gradients are wanted (PyTorch's ``exec_info``).

``autograd.grad(loss, inputs=[a])`` and ``loss.backward(inputs=[a])`` need only the part of the graph
that leads from the roots to those inputs. Before the walk, PyTorch marks each node (its
``GraphTask::init_to_execute``): a node is *needed* when one of its edges leads to an input, and a
node whose gradient is wanted has a *capture*. The engine lets only nodes that are needed or
captured into its ready queue; the others never run, not even their hooks. A captured node that
is not needed (the ``AccumulateGrad`` of a leaf input of ``autograd.grad``) runs its tensor hooks,
gives its gradient to the capture, and stops there: nothing is added into ``.grad``.
With ``backward(inputs=...)`` the inputs' own nodes run too (a leaf's ``AccumulateGrad`` stores its
``.grad``; a non-leaf input's ``grad_fn`` runs, as in PyTorch, and its ``retain_grad`` keeps ``.grad``).
"""

from __future__ import annotations

from . import events
from .function import Node


def _children(node: Node) -> list[Node]:
    return [n for n, _ in node.next_functions if n is not None]


def _reaches(root_nodes: list[Node], targets: set[Node]) -> dict[Node, bool]:
    """For every node below the roots: does some path from it lead to one of ``targets``?
    (A post-order walk with an explicit stack: graphs can be deeper than Python's recursion limit.)"""
    reach = {}
    for root in root_nodes:
        if root in reach:
            continue
        reach[root] = False
        stack = [(root, iter(_children(root)))]
        while stack:
            node, pending = stack[-1]
            for child in pending:
                if child not in reach:
                    reach[child] = False
                    stack.append((child, iter(_children(child))))
                    break
            else:
                stack.pop()
                reach[node] = node in targets or any(reach[c] for c in _children(node))
    return reach


def needed_and_captures(root_nodes, inputs, accumulate_grad: bool):
    """The nodes that must run to reach ``inputs`` (``(node, input_nr)`` edges), and, for
    ``autograd.grad`` (``accumulate_grad=False``), node -> ``[(slot, index of the input)]`` to
    capture."""
    targets = {node for node, _ in inputs}
    captures = {}
    if accumulate_grad:
        run_targets = targets
    else:
        run_targets = set()
        for i, (node, nr) in enumerate(inputs):
            captures.setdefault(node, []).append((nr, i))
    reach = _reaches(root_nodes, targets)
    needed = {n for n in reach if n in run_targets or any(reach[c] for c in _children(n))}
    return needed, captures


def capture(task, node: Node, grads: list) -> None:
    """The engine's call for a node with captures: ``autograd.grad`` takes the gradients of the
    inputs it asked for, as they are once the tensor hooks have run."""
    for nr, index in task.captures.get(node, ()):
        task.captured[index] = grads[nr]
        if task.report:
            task.emit(events.GradCaptured, node, index, grads[nr])
