"""∂L/∂a as a sum over paths: every path from the output down to ``a`` contributes the product of
the local derivatives along it, and the contributions add up (Olah's "sum over paths").

The backward pass computes the same sum, only factored: at each fork it adds first and multiplies
once. :func:`find_paths` lists the paths of a :class:`~minigrad.viz.graph.Graph` and what each one
contributes; :func:`engine_gradient` asks the real engine for ∂L/∂a (without touching ``.grad``), so
the two can be compared.

A path's contribution is computed by running the nodes' own ``backward`` along that path only
(starting from the seed gradient, each node gets the gradient from the path and nothing else). For
scalar graphs that is exactly the product of the local derivatives shown; for tensors it is the
chain of vector–Jacobian products.
"""

from dataclasses import dataclass

import numpy as np

from .. import _factories
from ..autograd import engine, grad_mode, hooks
from ..autograd.graph import get_gradient_edge
from . import _format
from .i18n import text as tr
from .local import local_derivatives

#: More paths than this are counted but not listed.
MAX_PATHS = 200


@dataclass
class Path:
    """One path from the output to the target: ``edges`` from the root down."""

    edges: tuple
    contribution: np.ndarray | None  # what this path adds to the gradient (None: backward gave None)
    factors: list | None  # scalar graphs: the local derivative of each edge, in order

    def symbols(self):
        """``['L', 'd', 'c', 'a']``: the tensors along the path, output first."""
        if not self.edges:
            return []
        first = self.edges[0].src
        names = [first.outputs[0].symbol] if 0 in first.outputs else [first.name]
        return names + [e.tensor.symbol for e in self.edges]

    def formula(self, L):
        """``∂L/∂d · ∂d/∂c · ∂c/∂a = 14 · 1 · 3 = 42`` for scalars; the contribution otherwise."""
        syms = self.symbols()
        chain = " · ".join(f"∂{u}/∂{v}" for u, v in zip(syms, syms[1:]))
        value = tr("paths.no_gradient") if self.contribution is None else _format.array(self.contribution)
        if self.factors is not None:
            return f"{chain} = {' · '.join(_format.array(f) for f in self.factors)} = {value}"
        return tr("paths.vjp_chain", chain=chain, value=value)


def topological_order(graph):
    """The graph's nodes, every node before the nodes its edges lead to (Kahn's algorithm)."""
    indegree = {n: 0 for n in graph.nodes}
    for e in graph.edges:
        indegree[e.dst] += 1
    ready = [n for n in graph.nodes if indegree[n] == 0]
    order = []
    while ready:
        node = ready.pop()
        order.append(node)
        for e in node.edges:
            indegree[e.dst] -= 1
            if indegree[e.dst] == 0:
                ready.append(e.dst)
    return order


def count_paths(graph, target, target_nr=0):
    """How many paths lead from the root to output ``target_nr`` of ``target`` (counted, not listed)."""
    counts = {}
    for node in reversed(topological_order(graph)):
        if node is target:
            continue
        counts[node] = sum(
            1 if e.dst is target and e.input_nr == target_nr else counts.get(e.dst, 0) for e in node.edges
        )
    if graph.root is target:
        return 1
    return counts.get(graph.root, 0)


def _contribution(graph, edges, seed, root_nr):
    g, nr = seed, root_nr
    with grad_mode.no_grad(), np.errstate(all="ignore"):
        for edge in edges:
            fn = edge.src.fn
            grads = [None] * len(fn.output_meta)
            grads[nr] = g
            out = fn.apply(grads)
            g = out[edge.index]
            if g is None:
                return None
            nr = edge.input_nr
    return np.array(g.detach().numpy(), dtype=np.float64)


def find_paths(graph, target, target_nr=0, gradient=None, max_paths=MAX_PATHS):
    """All paths from ``graph.root`` to output ``target_nr`` of node ``target`` (at most ``max_paths``),
    each with its contribution. Returns ``(paths, total_count)``."""
    total = count_paths(graph, target, target_nr)
    output = graph.output_tensor
    seed = gradient if gradient is not None else _factories.ones_like(output)
    root_nr = output.output_nr if output.grad_fn is not None else 0
    scalar = all(int(np.prod(t.shape)) == 1 for t in graph.tensors)
    found = []
    stack = [(graph.root, ())]
    while stack and len(found) < max_paths:
        node, path = stack.pop()
        if node is target:
            if not path or path[-1].input_nr == target_nr:
                found.append(path)
            continue
        for edge in reversed(node.edges):
            stack.append((edge.dst, path + (edge,)))
    with np.errstate(all="ignore"):  # (inf and nan are values to show, as the engine's are)
        paths = [_path(graph, edges, seed, root_nr, scalar) for edges in found]
    return paths, total


def _path(graph, edges, seed, root_nr, scalar):
    """One path: its contribution and, when the backward along it is a plain product of local
    derivatives (scalars), those factors."""
    contribution = _contribution(graph, edges, seed, root_nr)
    factors = None
    if scalar:
        factors = []
        for edge in edges:
            locs = local_derivatives(edge.src.fn)
            if locs is None or edge.index not in locs:
                factors = None
                break
            factors.append(locs[edge.index])
        if factors is not None and contribution is not None:
            product = float(np.prod([float(f) for f in factors])) * float(seed.detach().numpy())
            if not np.isclose(product, float(contribution), rtol=1e-6, atol=1e-12):
                factors = None  # a backward that is not a plain product: show the value only
    return Path(edges, contribution, factors)


def engine_gradient(output, tensor, gradient=None):
    """∂output/∂tensor from the real engine, like ``autograd.grad`` (``.grad`` is not touched; the
    ``.grad`` of tensors that called ``retain_grad()`` is restored). None if no gradient flows."""
    if gradient is None:
        gradient = _factories.ones_like(output)
    edge = get_gradient_edge(tensor)
    kept = _retained(output)
    try:
        events = engine.iter_backward(
            [get_gradient_edge(output)], [gradient], retain_graph=True, inputs=[edge], accumulate_grad=False
        )
        *_, done = events
    finally:
        for t, old in kept:
            t.grad = old
    g = done.captured[0]
    return None if g is None else np.array(g.detach().numpy(), dtype=np.float64)


def _retained(output):
    """(tensor, its .grad) for every tensor in the graph that called retain_grad()."""
    fn = output.grad_fn
    if fn is None:
        return []
    seen, stack, kept = {fn}, [fn], []
    while stack:
        node = stack.pop()
        for t in hooks.retained_tensors(node).values():
            kept.append((t, t.grad))
        for child, _ in node.next_functions:
            if child is not None and child not in seen:
                seen.add(child)
                stack.append(child)
    return kept
