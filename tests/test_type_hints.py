"""The core's public functions carry type hints (issue 23): the tensor, ``Function`` and the nodes,
the engine, and what ``minigrad.autograd`` exports (entry points, grad modes, anomaly mode,
gradcheck). Read from the source: every ``def`` whose name does not start with ``_``, at module
level or in a class whose name does not, annotates each parameter (but ``self``/``cls``) and its
return."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "minigrad"
CORE = [
    "tensor.py",
    "autograd/function.py",
    "autograd/engine.py",
    "autograd/entry_points.py",
    "autograd/grad_mode.py",
    "autograd/anomaly_mode.py",
    "autograd/gradcheck.py",
]


def unannotated(function):
    """The parameters (and ``return``) of a ``def`` that have no annotation."""
    args = function.args
    missing = [
        a.arg
        for a in args.posonlyargs + args.args + args.kwonlyargs
        if a.annotation is None and a.arg not in ("self", "cls")
    ]
    missing += ["*" + a.arg for a in (args.vararg, args.kwarg) if a is not None and a.annotation is None]
    return missing + (["return"] if function.returns is None else [])


def public_functions_without_hints(source):
    found = []

    def visit(body, prefix):
        for node in body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                if unannotated(node):
                    found.append(f"{prefix}{node.name}: {', '.join(unannotated(node))}")
            elif isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
                visit(node.body, f"{prefix}{node.name}.")

    visit(ast.parse(source).body, "")
    return found


def test_the_check_finds_a_public_function_without_hints():
    source = (
        "def f(x: int) -> int: ...\n"
        "def g(x, *args: int): ...\n"
        "def _private(x): ...\n"
        "class C:\n"
        "    def m(self, y: int): ...\n"
        "    def n(self) -> None: ...\n"
    )
    assert public_functions_without_hints(source) == ["g: x, return", "C.m: return"]


@pytest.mark.parametrize("name", CORE)
def test_every_public_function_of_the_core_has_type_hints(name):
    assert public_functions_without_hints((ROOT / name).read_text()) == []
