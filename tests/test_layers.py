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
