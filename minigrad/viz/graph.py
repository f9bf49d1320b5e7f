"""The graph behind a tensor, as plain data that the drawings, the stepper and the path explorer share.

Starting from a tensor, :class:`Graph` walks ``grad_fn.next_functions`` (iteratively) and records:

- **nodes** — the backward graph as PyTorch sees it: one :class:`NodeInfo` per ``grad_fn`` node
  (``MulBackward0``, ...) and per ``AccumulateGrad`` (the end of every path to a leaf);
- **edges** — one :class:`EdgeInfo` per entry of ``next_functions``. ``x * x`` has *two* edges from
  ``MulBackward0`` to ``x``'s ``AccumulateGrad``: both are kept, because the engine sends a gradient
  along each and adds them up;
- **tensors** — the value graph: every tensor that flowed through the graph (:class:`TensorInfo`), with
  its kind (leaf, non-leaf, retained, or a constant that needs no gradient), its value where it is
  known, and a short symbol (``a``, ``c``, ``mul``) used in the arithmetic text.

Node ids (``n0``, ``n1``, ...) follow creation order (the nodes' sequence numbers), never ``id()``:
the same code gives the same ids, hence the same DOT and SVG, in every run.

Values: the graph stores the tensors it *saved for backward*, not every intermediate result (neither
does PyTorch). A tensor's value is known when it is the output, a leaf, a tensor you named (see
``names`` below), retained with ``retain_grad()``, or saved by some node; otherwise only its shape is.
"""

import re

import numpy as np

from ..autograd import hooks, saved_tensors
from ..autograd.function import AccumulateGrad
from ..autograd.graph import get_gradient_edge, recorded_gradient_edge
from ..tensor import Tensor
from . import _format
from .i18n import text as tr

#: Kinds of tensors, each drawn differently (see :mod:`minigrad.viz.style`).
LEAF, NONLEAF, RETAINED, CONST = "leaf", "non-leaf", "retained", "no grad"


class TensorInfo:
    """A tensor of the value graph. ``kind`` is one of ``leaf``, ``non-leaf``, ``retained``, ``no grad``."""

    def __init__(self, id, kind, shape, value=None, name=None, tensor=None):
        self.id = id
        self.kind = kind
        self.shape = tuple(shape)
        self.value = value  # numpy array, or None when the graph did not keep it
        self.name = name  # the name given in ``names``, or None
        self.symbol = name  # short name for formulas; filled in by Graph for unnamed tensors
        self.tensor = tensor  # the Tensor object when the graph holds it (leaves, root, named)
        self.producer = None  # NodeInfo whose output this is (None for leaves and constants)
        self.output_nr = 0
        self.consumer = None  # for a constant: the NodeInfo it is an input of
        self.consumer_index = None

    @property
    def grad(self):
        """The tensor's ``.grad`` as a numpy array, or None (read without the non-leaf warning)."""
        t = self.tensor
        grad = None if t is None or not (t.is_leaf or t.retains_grad) else t.grad
        return None if grad is None else grad.detach().numpy()

    def describe(self, digits=_format.GRAPH_DIGITS):
        """``'a = 2'``, ``'x (3,) = [1, 2, 3]'``, ``'W (4, 5)'`` or ``'(2, 3)'``."""
        head = self.name or ""
        shape = "" if self.shape == () else _format.shape(self.shape)
        if head and shape:
            head += " " + shape
        elif shape:
            head = shape
        if self.value is None:
            kept = tr("graph.value_not_kept")
            return f"{head} {kept}" if head else kept
        text = _format.array(self.value, digits)
        if text.startswith("⟨"):
            return head
        return f"{head} = {text}" if head else text

    def __repr__(self):
        return f"<TensorInfo {self.id} {self.kind} {self.symbol}>"


class NodeInfo:
    """A node of the backward graph: a ``grad_fn`` or an ``AccumulateGrad``."""

    def __init__(self, id, fn):
        self.id = id
        self.fn = fn
        self.name = fn.name() if not isinstance(fn, AccumulateGrad) else "AccumulateGrad"
        self.is_accumulate = isinstance(fn, AccumulateGrad)
        self.outputs = {}  # output_nr -> TensorInfo (for AccumulateGrad: 0 -> the leaf)
        self.edges = []  # EdgeInfo per next_functions entry that is not None

    @property
    def op(self):
        """Short op name: ``MulBackward0`` → ``Mul``, ``MyReLUBackward`` → ``MyReLU``."""
        return re.sub(r"Backward\d*$", "", self.name) or self.name

    def label(self):
        """Name for text panels: ``MulBackward0 → c`` or ``AccumulateGrad → a``."""
        out = self.outputs.get(0)
        return f"{self.name} → {out.symbol}" if out is not None and len(self.outputs) == 1 else self.name

    def __repr__(self):
        return f"<NodeInfo {self.id} {self.name}>"


class EdgeInfo:
    """Entry ``index`` of ``src.fn.next_functions``: it points to output ``input_nr`` of ``dst``.
    ``tensor`` is the forward input that the edge stands for."""

    def __init__(self, id, src, index, dst, input_nr, tensor):
        self.id = id
        self.src = src
        self.index = index
        self.dst = dst
        self.input_nr = input_nr
        self.tensor = tensor

    def __repr__(self):
        return f"<EdgeInfo {self.id} {self.src.name}[{self.index}] -> {self.dst.name}>"


def tensor_names(names):
    """Keep the Tensor values of ``names`` (a dict such as ``locals()``), as ``[(name, tensor)]``.

    Names starting with ``_`` (IPython's ``_``, ``_3``, ...) are skipped; when one tensor has several
    names the first one wins. Identity only: tensors are never compared with ``==``.
    """
    if not names:
        return []
    seen = set()
    result = []
    for name, value in dict(names).items():
        if not isinstance(value, Tensor) or not isinstance(name, str) or name.startswith("_"):
            continue
        if id(value) in seen:
            continue
        seen.add(id(value))
        result.append((name, value))
    return result


def _numbers(t):
    """A tensor's numbers as a numpy array (shared, not copied)."""
    return t.detach().numpy()


def _key(t):
    """Where a tensor sits in the graph: ``(grad_fn, output_nr)``, its AccumulateGrad, or itself."""
    edge = recorded_gradient_edge(t)
    return edge if edge is not None else ("tensor", id(t))


def _infer_constant(node, const):
    """The number in ``c + 1`` or ``x - 2`` is not saved by the node, but ``1 = c_out - c_in``: for
    additions and subtractions whose output and other input are known, recover it (exactly the
    inverse operation, on the stored float values)."""
    if node.op not in ("Add", "Sub") or len(node.edges) != 1 or 0 not in node.outputs:
        return
    out, other = node.outputs[0].value, node.edges[0].tensor.value
    if out is None or other is None:
        return
    out, other = np.asarray(out), np.asarray(other)
    if node.op == "Add":
        value = out - other
    else:
        value = other - out if const.consumer_index == 1 else out + other
    flat = value.reshape(-1)
    if const.shape == () and flat.size and np.all(flat == flat[0]):
        const.value = np.asarray(flat[0])
    elif tuple(value.shape) == const.shape:
        const.value = value


def _op_symbol(op):
    return op.lower() if op.isidentifier() else "t"


class Graph:
    """The backward graph and the value graph of ``output`` (see the module docstring).

    Attributes: ``nodes`` (list of NodeInfo in id order), ``edges`` (EdgeInfo in id order), ``tensors``
    (TensorInfo), ``root`` (the NodeInfo the engine starts from, None if ``output`` needs no gradient),
    ``output`` (the TensorInfo of ``output``).
    """

    def __init__(self, output, names=None):
        if not isinstance(output, Tensor):
            raise TypeError(f"expected a minigrad Tensor, got {type(output).__name__}")
        self.output_tensor = output
        named = tensor_names(names)
        self._name_of = {}
        self._keep = []  # keep named tensors alive while we use id() keys
        for name, t in named:
            self._name_of.setdefault(_key(t), name)
            self._keep.append(t)
        self.nodes = []
        self.edges = []
        self.tensors = []
        self._node_of = {}
        root_fn, root_nr = get_gradient_edge(output)
        self.root = None
        if root_fn is None:
            info = self._new_tensor(
                CONST, output.shape, _numbers(output), self._name_of.get(_key(output)), output
            )
            self.output = info
        else:
            self._collect(root_fn)
            self.root = self._node_of[root_fn]
            self.output = self._tensor_for(self.root, root_nr)
            self.output.tensor = output
            self.output.value = _numbers(output)
        self._fill_values()
        self._fill_symbols()

    # --- building -------------------------------------------------------------------------------
    def _collect(self, root_fn):
        seen = {root_fn}
        stack = [root_fn]
        while stack:
            fn = stack.pop()
            for child, _ in fn.next_functions:
                if child is not None and child not in seen:
                    seen.add(child)
                    stack.append(child)
        for i, fn in enumerate(sorted(seen, key=lambda f: f.sequence_nr)):
            info = NodeInfo(f"n{i}", fn)
            self.nodes.append(info)
            self._node_of[fn] = info
        # Leaves first, so that tensors are numbered from the inputs up.
        for node in self.nodes:
            if node.is_accumulate:
                var = node.fn.variable
                t = self._new_tensor(LEAF, var.shape, _numbers(var), self._name_of.get((node.fn, 0)), var)
                node.outputs[0] = t
        for node in reversed(self.nodes):  # from the root down: edge ids in the order gradients flow
            for index, (child, nr) in enumerate(node.fn.next_functions):
                if child is None:
                    shape = node.fn.input_meta[index][0] if index < len(node.fn.input_meta) else ()
                    const = self._new_tensor(CONST, shape)
                    const.consumer, const.consumer_index = node, index
                    continue
                dst = self._node_of[child]
                edge = EdgeInfo(None, node, index, dst, nr, self._tensor_for(dst, nr))
                node.edges.append(edge)
                self.edges.append(edge)
        for i, edge in enumerate(self.edges):
            edge.id = f"e{i}"

    def _new_tensor(self, kind, shape, value=None, name=None, tensor=None):
        info = TensorInfo(f"t{len(self.tensors)}", kind, shape, value, name, tensor)
        self.tensors.append(info)
        return info

    def _tensor_for(self, node, nr):
        if nr in node.outputs:
            return node.outputs[nr]
        fn = node.fn
        kept = hooks.retained_tensors(fn).get(nr)
        meta = fn.output_meta[nr] if nr < len(fn.output_meta) else ((), None)
        kind = RETAINED if kept is not None else NONLEAF
        info = self._new_tensor(kind, meta[0], None, self._name_of.get((fn, nr)), kept)
        info.producer, info.output_nr = node, nr
        if kept is not None:
            info.value = _numbers(kept)
        node.outputs[nr] = info
        return info

    def _fill_values(self):
        """Values of intermediate tensors: from names, then from what nodes saved for backward."""
        by_key = {(n.fn, nr): t for n in self.nodes for nr, t in n.outputs.items()}
        for t in self._keep:
            info = by_key.get(_key(t))
            if info is not None and info.value is None:
                info.value = _numbers(t)
                info.tensor = info.tensor or t
        consts = {}
        for info in self.tensors:
            if info.kind == CONST and info.consumer is not None:
                consts.setdefault(info.consumer, []).append(info)
        for node in self.nodes:
            candidates = []
            for t, output_nr, numbers in saved_tensors.saved_values(node.fn):
                if t is None:  # an output of the node itself
                    info = node.outputs.get(output_nr)
                    if info is not None and info.value is None:
                        info.value = numbers
                    continue
                if t.grad_fn is not None:
                    info = by_key.get((t.grad_fn, t.output_nr))
                    if info is not None and info.value is None:
                        info.value = numbers
                elif not t.requires_grad:
                    candidates.append(t)
            pending = consts.get(node, [])
            if len(pending) == 1 and len(candidates) == 1 and tuple(candidates[0].shape) == pending[0].shape:
                pending[0].value = _numbers(candidates[0])
                pending[0].name = self._name_of.get(_key(candidates[0]))
                pending[0].symbol = pending[0].name
        for node, pending in consts.items():
            if len(pending) == 1 and pending[0].value is None:
                _infer_constant(node, pending[0])

    def _fill_symbols(self):
        used = {t.symbol for t in self.tensors if t.symbol}
        leaves = 0

        next_k = {}

        def fresh(base):
            symbol, k = base, next_k.get(base, 2)
            while symbol in used:
                symbol, k = f"{base}{k}", k + 1
            next_k[base] = k
            used.add(symbol)
            return symbol

        if self.output.symbol is None:
            self.output.symbol = fresh("out")
        for info in self.tensors:
            if info.symbol is not None:
                continue
            if info.kind == LEAF:
                info.symbol = fresh(f"leaf{leaves}")
                leaves += 1
            elif info.producer is not None:
                info.symbol = fresh(_op_symbol(info.producer.op))
            else:
                info.symbol = fresh("const")

    def check_not_freed(self, what):
        """Raise a clear error if a ``backward()`` already freed the saved tensors of this graph."""
        if any(n.fn.released for n in self.nodes):
            raise RuntimeError(
                f"{what} needs the tensors this graph saved for backward, but a backward() already freed "
                "them. Make the widget before calling backward(), or call backward(retain_graph=True) "
                "(or rebuild the graph by running the forward code again)."
            )

    # --- queries --------------------------------------------------------------------------------
    def node(self, fn):
        """The NodeInfo of a graph node object."""
        return self._node_of[fn]

    def edge(self, fn, index):
        """The EdgeInfo for entry ``index`` of ``fn.next_functions``."""
        for edge in self._node_of[fn].edges:
            if edge.index == index:
                return edge
        raise KeyError((fn, index))

    def leaf_node(self, tensor):
        """The node where gradients for ``tensor`` arrive (its AccumulateGrad, or its grad_fn)."""
        key = _key(tensor)
        if key[0] == "tensor" or key[0] not in self._node_of:
            raise ValueError(
                "this tensor is not part of the graph (does it require grad, and was it "
                "used to compute the output?)"
            )
        return self._node_of[key[0]], key[1]
