"""minigrad's layers point one way: each module imports only modules of its own layer or below.

The layers, bottom to top (the package docstring of ``minigrad`` argues for them):

0. basics: dtypes, warnings, printing, the grad-mode flags
1. the tensor: its numbers, ``grad``, ``grad_fn``, version counter
2. argument parsing and the factories (``tensor``, ``zeros``, ...)
3. autograd: ``Function``, the nodes, the engine and the rules it follows
4. the ops: the built-in ``Function`` subclasses
5. the method table of ``Tensor`` (``+``, ``exp``, ``backward``...; indexing and in-place methods in
   modules of their own), ``autograd.functional``
6. ``nn``, ``optim``
7. the package itself and ``viz``

Read from the source (module-level imports only), so that it holds without running anything.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "minigrad"

LAYERS = {
    "minigrad._dtypes": 0,
    "minigrad._warnings": 0,
    "minigrad._printing": 0,
    "minigrad._grad_state": 0,
    "minigrad.return_types": 0,
    "minigrad.tensor": 1,
    "minigrad._arguments": 2,
    "minigrad._factories": 2,
    "minigrad.autograd": 3,
    "minigrad.ops": 4,
    "minigrad._tensor_ops": 5,
    "minigrad._indexing": 5,
    "minigrad._inplace": 5,
    "minigrad.autograd.functional": 5,
    "minigrad.nn": 6,
    "minigrad.optim": 6,
    "minigrad": 7,
    "minigrad.viz": 7,
}


def layer(module):
    """The layer of a module: that of its longest prefix in LAYERS."""
    parts = module.split(".")
    for n in range(len(parts), 0, -1):
        name = ".".join(parts[:n])
        if name in LAYERS:
            return LAYERS[name]
    raise KeyError(module)


def module_name(path):
    rel = path.relative_to(ROOT.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_package(module):
    return (ROOT.parent / module.replace(".", "/") / "__init__.py").exists()


def module_level_imports(path):
    """The minigrad modules a file imports when it is loaded (imports inside functions and under
    ``if TYPE_CHECKING:`` do not run then)."""
    module = module_name(path)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("minigrad"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            if not target.startswith("minigrad"):
                continue
            for alias in node.names:  # from . import engine: the submodule itself
                candidate = f"{target}.{alias.name}"
                if is_package(candidate) or (ROOT.parent / (candidate.replace(".", "/") + ".py")).exists():
                    found.add(candidate)
                else:  # a name defined in the module ``target``
                    found.add(target)
    return module, found


FILES = sorted(ROOT.rglob("*.py"))


def test_every_module_has_a_layer():
    assert all(layer(module_name(p)) is not None for p in FILES)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT.parent)))
def test_module_imports_nothing_from_a_higher_layer(path):
    module, imports = module_level_imports(path)
    upward = sorted(i for i in imports if layer(i) > layer(module))
    assert not upward, f"{module} (layer {layer(module)}) imports {upward}"


def test_no_import_cycle_at_module_level():
    graph = dict(module_level_imports(p) for p in FILES)
    # importing a.b.c from outside the package a.b runs a/b/__init__.py first: a dependency too
    for module, imports in graph.items():
        for target in list(imports):
            parts = target.split(".")
            for n in range(2, len(parts)):
                package = ".".join(parts[:n])
                if not (module + ".").startswith(package + "."):
                    imports.add(package)
    state, path = {}, []

    def visit(module):
        state[module] = "active"
        path.append(module)
        for nxt in sorted(graph.get(module, ())):
            if nxt == module or nxt not in graph or nxt == "minigrad":
                continue
            if state.get(nxt) == "active":
                cycle = path[path.index(nxt) :] + [nxt]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt)
        path.pop()
        state[module] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module)


def test_the_tensor_imports_no_autograd_and_no_ops():
    _, imports = module_level_imports(ROOT / "tensor.py")
    assert not [i for i in imports if i.startswith(("minigrad.autograd", "minigrad.ops"))]


# --- the upper layers use the core's public names only ------------------------------------------
CORE_FILES = [
    ROOT / "tensor.py",
    *sorted((ROOT / "autograd").glob("*.py")),
    *sorted((ROOT / "ops").glob("*.py")),
]
UPPER_FILES = [*sorted((ROOT / "viz").rglob("*.py")), *sorted((ROOT / "nn").rglob("*.py")), ROOT / "optim.py"]
# PyTorch's own names that start with "_": ``x._version``, ``grad_fn._saved_self`` and the like
PYTORCH_NAMES = ("_version", "_saved_")


def is_private(name):
    return name.startswith("_") and not name.startswith("__") and not name.startswith(PYTORCH_NAMES)


def core_private_fields():
    """The private attributes of core objects (tensors, nodes, hook handles): every ``_name`` the
    core stores on an object (``t._data = ...``) or defines on ``Tensor`` and the node classes."""
    from minigrad.autograd.function import AccumulateGrad, BackwardNode, Node
    from minigrad.tensor import Tensor

    names = {n for cls in (Tensor, Node, BackwardNode, AccumulateGrad) for n in dir(cls) if is_private(n)}
    for path in CORE_FILES:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store) and is_private(node.attr):
                names.add(node.attr)
    return names


def private_reads(source, fields):
    """``obj._field`` in ``source`` for a core field, on anything but the class's own ``self``/``cls``."""
    return [
        f"line {node.lineno}: {ast.unparse(node)}"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Attribute)
        and node.attr in fields
        and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))
    ]


def test_the_private_field_check_finds_a_private_read():
    fields = core_private_fields()
    assert {"_data", "_dtype", "_grad_fn", "_edges", "_key"} <= fields
    assert private_reads("def f(p, u):\n    p._data += u._data\n", fields) == [
        "line 2: p._data",
        "line 2: u._data",
    ]
    assert (
        private_reads("class M:\n    def f(self):\n        return self._data, t.grad, t._version\n", fields)
        == []
    )


@pytest.mark.parametrize("path", UPPER_FILES, ids=lambda p: str(p.relative_to(ROOT.parent)))
def test_viz_nn_and_optim_read_no_private_field_of_the_core(path):
    assert private_reads(path.read_text(), core_private_fields()) == []


# --- the reading path: what docs/reading-minigrad.md sends a learner through --------------------------
READING_PATH = [ROOT / "tensor.py", ROOT / "autograd" / "function.py", ROOT / "autograd" / "engine.py"]
DOCS = ROOT.parent / "docs" / "reading-minigrad.md"


def reading_path_lines():
    """Counted as ``wc -l`` counts: newline characters."""
    return [path.read_text().count("\n") for path in READING_PATH]


def test_the_reading_path_is_at_most_1000_lines():
    assert sum(reading_path_lines()) <= 1000


def test_the_docs_state_the_reading_path_length_that_is_measured():
    counts = reading_path_lines()
    stated = f"{sum(counts):,} lines together (`wc -l`: {' + '.join(str(n) for n in counts)};"
    assert stated in DOCS.read_text()
    chinese = f"共 {sum(counts):,} 行（`wc -l`：{' + '.join(str(n) for n in counts)}；"
    assert chinese in DOCS.with_name("reading-minigrad.zh-CN.md").read_text()
