"""Differential fuzzing of autograd's *rules*: random sessions of API calls on PyTorch and minigrad.

Run with a Python that has torch (as tools/record_golden.py), from the repository's root:

    .venv-bench/bin/python tools/fuzz_autograd_api.py START COUNT      # seeds START .. START+COUNT-1
    NSTEPS=40 .venv-bench/bin/python tools/fuzz_autograd_api.py 0 500  # longer sessions

tools/fuzz_against_torch.py checks what ops compute; this one checks what a learner does around
them, the lessons' subject: ``backward`` with and without ``retain_graph``, ``create_graph`` and
``inputs=``, ``autograd.grad`` with ``allow_unused``, gradients accumulating, ``retain_grad``,
tensor hooks (replacing the gradient, watching it, returning a wrong shape), ``.grad`` set to
None or zeroed in place, ``requires_grad_``, ``detach``, ``no_grad``, and in-place changes of
tensors (saved for backward or not, leaves or not, through a detached alias or not).

Each seed is one session of NSTEPS random steps, run on both libraries. After every step both
must agree: the same error (type and message, "torch" read as "minigrad") or none, the same
warnings, and then, for every tensor made so far, the same ``requires_grad``, ``is_leaf``,
``grad_fn`` name and ``next_functions`` (names and input numbers), ``retains_grad``, ``_version``,
``.grad`` (values, or None), and whatever hooks recorded. The first mismatching session of each
kind is printed with its steps. Not part of the tests: a tool to find what the tests do not
cover yet (each fix gets a test or a golden case).
"""

import os
import random
import re
import sys
import warnings

import numpy as np
import torch

sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent.parent))
import minigrad  # noqa: E402

torch.set_num_threads(1)
LIBS = (torch, minigrad)
N_STEPS = int(os.environ.get("NSTEPS", "20"))


class Mismatch(Exception):
    pass


def norm(text):
    text = str(text).replace("torch", "minigrad")
    text = re.sub(r" \(Triggered internally at [^)]*\.\)", "", text)  # where in C++ PyTorch warned
    text = re.sub(r"0x[0-9a-f]+", "ADDR", text)
    return re.sub(r"\s+", " ", text).strip()


def node_name(node):
    if node is None:
        return None
    return node.name().replace("torch::autograd::", "").replace("minigrad::autograd::", "")


def values(t):
    if t is None:
        return None
    if getattr(t, "_is_zerotensor", None) and t._is_zerotensor():
        t = t.clone()
    return (tuple(t.shape), str(t.dtype).split(".")[-1], t.detach().numpy().copy(), t.requires_grad)


def same_values(a, b):
    if a is None or b is None:
        return a is None and b is None
    if a[0] != b[0] or a[1] != b[1] or a[3] != b[3]:
        return False
    return np.allclose(a[2], b[2], rtol=1e-9, atol=1e-12, equal_nan=True)


# --- the ops a session builds its graph from -------------------------------------------------
UNARY = {
    "sin": lambda L, x: x.sin(),
    "exp": lambda L, x: x.exp(),
    "tanh": lambda L, x: x.tanh(),
    "relu": lambda L, x: x.relu(),
    "square": lambda L, x: x**2,
    "neg": lambda L, x: -x,
    "sum": lambda L, x: x.sum(),
    "mean": lambda L, x: x.mean(),
    "sum0": lambda L, x: x.sum(0) if x.ndim else x.sum(),
    "clone": lambda L, x: x.clone(),
    "view": lambda L, x: x.view(-1),
    "t": lambda L, x: x.t() if x.ndim <= 2 else x,
    "first": lambda L, x: x[0] if x.ndim else x,
    "sigmoid": lambda L, x: L.sigmoid(x),
    "mul3": lambda L, x: x * 3,
    "add1": lambda L, x: 1 + x,
    "detach_mul": lambda L, x: x.detach() * x,
}
BINARY = {
    "add": lambda L, x, y: x + y,
    "mul": lambda L, x, y: x * y,
    "sub": lambda L, x, y: x - y,
    "div": lambda L, x, y: x / (y * y + 1),
}


class Session:
    """One library's side of a session: the tensors made so far and what hooks recorded."""

    def __init__(self, L, arrays, requires):
        self.L = L
        self.tensors = [L.tensor(a.copy(), requires_grad=r) for a, r in zip(arrays, requires)]
        self.hook_log = []

    def observe(self):
        seen = []
        for t in self.tensors:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                grad = values(t.grad)
            node = t.grad_fn
            next_fns = None
            if node is not None:
                next_fns = tuple((node_name(n), nr) for n, nr in node.next_functions)
            seen.append(
                dict(
                    requires_grad=t.requires_grad,
                    is_leaf=t.is_leaf,
                    grad_fn=node_name(node),
                    next_functions=next_fns,
                    retains_grad=t.retains_grad,
                    version=t._version,
                    grad=grad,
                    grad_warnings=tuple(norm(w.message) for w in caught),
                )
            )
        return seen


def describe(kind, args):
    return f"{kind}{args}"


def make_step(rng, n):
    """A random step over n tensors: (kind, arguments), the same for both libraries."""
    kind = rng.choices(
        [
            "unary",
            "binary",
            "no_grad_op",
            "retain_grad",
            "hook",
            "backward",
            "grad",
            "inplace",
            "detach",
            "grad_none",
            "grad_zero",
            "requires_grad_",
            "leaf",
        ],
        weights=[22, 18, 3, 5, 7, 14, 9, 8, 4, 3, 3, 3, 2],
    )[0]
    i, j = rng.randrange(n), rng.randrange(n)
    if kind == "unary":
        return kind, (rng.choice(sorted(UNARY)), i)
    if kind in ("binary", "no_grad_op"):
        return kind, (rng.choice(sorted(BINARY)), i, j)
    if kind == "hook":
        return kind, (i, rng.choice(["double", "record", "wrong_shape", "none", "zero_"]))
    if kind == "backward":
        inputs = None
        if rng.random() < 0.25:
            inputs = tuple(sorted(rng.sample(range(n), rng.randint(1, min(n, 3)))))
        return kind, (
            i,
            rng.choice([None, True, False]),  # retain_graph
            rng.random() < 0.2,  # create_graph
            rng.random() < 0.6,  # pass ones as the gradient of a non-scalar root
            inputs,
        )
    if kind == "grad":
        inputs = tuple(sorted(rng.sample(range(n), rng.randint(1, min(n, 3)))))
        return kind, (i, inputs, rng.random() < 0.5, rng.choice([None, True, False]), rng.random() < 0.2)
    if kind == "inplace":
        return kind, (i, rng.choice(["add_", "mul_", "zero_", "iadd", "clamp_"]), rng.random() < 0.4)
    if kind == "requires_grad_":
        return kind, (i, rng.random() < 0.7)
    if kind == "leaf":
        return kind, (rng.choice([(), (3,), (2, 3)]), rng.random() < 0.8, rng.randrange(10**6))
    return kind, (i,)


def run_step(s, kind, args):
    """Run one step on one library's session; returns what it returned (compared, if numbers)."""
    L, T = s.L, s.tensors
    if kind == "unary":
        name, i = args
        T.append(UNARY[name](L, T[i]))
    elif kind == "binary":
        name, i, j = args
        T.append(BINARY[name](L, T[i], T[j]))
    elif kind == "no_grad_op":
        name, i, j = args
        with L.no_grad():
            T.append(BINARY[name](L, T[i], T[j]))
    elif kind == "retain_grad":
        T[args[0]].retain_grad()
    elif kind == "hook":
        i, how = args
        log = s.hook_log
        hooks = {
            "double": lambda g: g * 2,
            "record": lambda g: log.append(("record", i, values(g))),
            "wrong_shape": lambda g: g.sum().reshape(1, 1, 1, 1),
            "none": lambda g: None,
            "zero_": lambda g: g.zero_(),  # (changing the gradient in place: allowed in a hook)
        }
        T[i].register_hook(hooks[how])
    elif kind == "backward":
        i, retain, create, pass_ones, inputs = args
        root = T[i]
        gradient = L.ones_like(root) if pass_ones and root.ndim else None
        kwargs = {} if inputs is None else {"inputs": [T[k] for k in inputs]}
        root.backward(gradient, retain_graph=retain, create_graph=create, **kwargs)
    elif kind == "grad":
        i, inputs, allow_unused, retain, create = args
        root = T[i]
        grad_outputs = L.ones_like(root) if root.ndim else None
        result = L.autograd.grad(
            root,
            [T[k] for k in inputs],
            grad_outputs=grad_outputs,
            allow_unused=allow_unused,
            retain_graph=retain,
            create_graph=create,
        )
        return tuple(values(g) for g in result)
    elif kind == "inplace":
        i, how, quietly = args
        t = T[i]

        def change():
            if how == "iadd":
                T[i] += 1  # (rebinds T[i] to the result, as `x += 1` rebinds x)
            elif how == "clamp_":
                t.clamp_(min=0)
            elif how == "zero_":
                t.zero_()
            else:
                getattr(t, how)(2)

        if quietly:
            with L.no_grad():
                change()
        else:
            change()
    elif kind == "detach":
        T.append(T[args[0]].detach())
    elif kind == "grad_none":
        T[args[0]].grad = None
    elif kind == "grad_zero":
        g = T[args[0]].grad
        if g is not None:
            g.zero_()
    elif kind == "requires_grad_":
        T[args[0]].requires_grad_(args[1])
    elif kind == "leaf":
        shape, requires, seed = args
        a = np.random.default_rng(seed).standard_normal(shape)
        T.append(L.tensor(a, requires_grad=requires))
    return None


def attempt(s, kind, args):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = ("ok", run_step(s, kind, args))
        except Exception as e:  # noqa: BLE001
            result = ("err", f"{type(e).__name__}: {norm(e)}")
    return result, tuple(norm(w.message) for w in caught)


def compare_observations(a, b):
    for k, (x, y) in enumerate(zip(a, b)):
        for field in x:
            if field == "grad":
                if not same_values(x[field], y[field]):
                    return f"t{k}.grad: torch {x[field]} minigrad {y[field]}"
            elif x[field] != y[field]:
                return f"t{k}.{field}: torch {x[field]!r} minigrad {y[field]!r}"
    if len(a) != len(b):
        return f"{len(a)} tensors vs {len(b)}"
    return None


def compare_results(rt, rm):
    if rt[0] != rm[0]:
        return f"torch {rt} minigrad {rm}"
    if rt[0] == "err":
        return None if rt[1] == rm[1] else f"errors differ:\n torch    {rt[1]}\n minigrad {rm[1]}"
    if rt[1] is None:
        return None if rm[1] is None else f"torch None minigrad {rm[1]}"
    for a, b in zip(rt[1], rm[1]):
        if not same_values(a, b):
            return f"result: torch {a} minigrad {b}"
    return None


def compare_hook_logs(a, b):
    if len(a) != len(b):
        return f"hooks recorded {len(a)} vs {len(b)} calls:\n torch    {a}\n minigrad {b}"
    for x, y in zip(a, b):
        if x[:2] != y[:2] or not same_values(x[2], y[2]):
            return f"hook record: torch {x} minigrad {y}"
    return None


def run_session(seed, n_steps=N_STEPS):
    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    n0 = rng.randint(1, 3)
    shapes = [rng.choice([(), (3,), (2, 3)]) for _ in range(n0)]
    arrays = [nrng.standard_normal(shape) for shape in shapes]
    requires = [rng.random() < 0.85 for _ in range(n0)]
    sessions = [Session(L, arrays, requires) for L in LIBS]
    log = [f"t{k} = tensor(shape {shapes[k]}, requires_grad={requires[k]})" for k in range(n0)]
    for _ in range(n_steps):
        kind, args = make_step(rng, len(sessions[0].tensors))
        (rt, wt), (rm, wm) = (attempt(s, kind, args) for s in sessions)
        before = len(sessions[0].tensors) - (1 if rt[0] == "ok" and kind in ("unary", "binary") else 0)
        log.append(f"{describe(kind, args)} -> {rt[0]}" + (f" t{before}" if kind in ("unary",) else ""))
        problem = compare_results(rt, rm)
        if problem is None and wt != wm:
            problem = f"warnings differ:\n torch    {wt}\n minigrad {wm}"
        if problem is None:
            problem = compare_hook_logs(sessions[0].hook_log, sessions[1].hook_log)
        if problem is None:
            problem = compare_observations(sessions[0].observe(), sessions[1].observe())
        if problem:
            raise Mismatch("\n".join(log) + f"\n-> {problem}")


def kind_of(problem):
    """What kind of mismatch (one printed program per kind): the field, or the error's type and
    first words."""
    last = str(problem).split("-> ")[-1]
    first = last.splitlines()[0]
    field = re.match(r"t\d+\.(\w+)", first)
    if field:
        return field.group(1)
    return re.sub(r"\d+", "N", first)[:70]


if __name__ == "__main__":
    start, count = int(sys.argv[1]), int(sys.argv[2])
    seen = {}
    for seed in range(start, start + count):
        try:
            run_session(seed)
        except Mismatch as e:
            kind = kind_of(e)
            if kind in seen:
                continue
            seen[kind] = seed
            print(f"=== seed {seed}\n{e}\n")
    print(f"{len(seen)} distinct mismatch kinds in {count} sessions")
