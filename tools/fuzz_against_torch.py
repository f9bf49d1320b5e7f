"""Differential fuzzing: random programs of ops run on PyTorch and minigrad side by side.

Run with a Python that has torch (as tools/record_golden.py), from the repository's root:

    .venv-bench/bin/python tools/fuzz_against_torch.py START COUNT     # seeds START .. START+COUNT-1
    NOPS=10 .venv-bench/bin/python tools/fuzz_against_torch.py 0 1000  # longer programs
    SCALARS=1 .venv-bench/bin/python tools/fuzz_against_torch.py 0 1000  # 0-dim leaves only

Each seed makes one program: one to three leaf tensors of random shapes (broadcastable or not,
float64 mostly, float32 sometimes, rounded sometimes to make ties and zeros), then NOPS random ops
(unary, binary with numbers or tensors, reductions with dims, views and indexing, losses, dtype
changes, in-place ops, matmul) on tensors made so far. Both libraries must raise the same error
(type and message, "torch" read as "minigrad") or give the same values, dtypes, shapes, grad_fn
names; then the gradients of a weighted sum of all results, and (sometimes) second derivatives.

It prints the first program for each kind of mismatch. Some are known differences (README.md,
"Where minigrad knowingly differs"): the last bit of sums (a float32 result compared at 1e-4),
the sign of amax/amin of -0.0 and 0.0, batched matmul's graph and errors. Not part of the tests:
a tool for finding what the golden cases do not cover yet (each fix gets a golden case).
"""

import os
import random
import re
import sys
import traceback
import warnings

import numpy as np
import torch

sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent.parent))
import minigrad  # noqa: E402

warnings.simplefilter("ignore")
torch.set_num_threads(1)

LIBS = (torch, minigrad)


def norm_msg(s):
    s = str(s).replace("torch", "minigrad")
    s = re.sub(r"0x[0-9a-f]+", "ADDR", s)
    return s


class Mismatch(Exception):
    pass


def rand_shape(rng, max_dim=3):
    if os.environ.get("SCALARS"):  # (0-dim tensors only: the lessons' scalar graphs)
        return ()
    nd = rng.randint(0, max_dim)
    return tuple(rng.randint(1, 4) for _ in range(nd))


def bcast_shape(rng, shape):
    # a shape broadcastable with `shape`
    s = list(shape)
    for i in range(len(s)):
        if rng.random() < 0.3:
            s[i] = 1
    k = rng.randint(0, len(s))
    return tuple(s[k:])


UNARY = [
    "exp",
    "log",
    "sin",
    "cos",
    "tanh",
    "sigmoid",
    "relu",
    "sqrt",
    "abs",
    "neg",
    "log1p",
    "expm1",
    "square",
    "reciprocal",
    "sign",
    "sgn",
]


def make_op(rng, pool):
    """Return (description, fn(lib, tensors) -> tensor) picking inputs from pool indices."""
    i = rng.randrange(len(pool))
    j = rng.randrange(len(pool))
    shape = pool[i][1].shape
    nd = len(shape)
    kind = rng.random()
    if kind < 0.25:
        name = rng.choice(UNARY)
        return f"x{i}.{name}()", (lambda L, P: getattr(P[i], name)())
    if kind < 0.45:
        op = rng.choice(
            ["+", "-", "*", "/", "**", "maximum", "minimum", "where", "scalar", "rscalar", "clamp"]
        )
        if op == "scalar":
            c = rng.choice([2, 0.5, -1.5, 3])
            o = rng.choice(["+", "-", "*", "/", "**"])
            return f"x{i} {o} {c}", (lambda L, P: eval(f"P[i] {o} c"))
        if op == "rscalar":
            c = rng.choice([2, 0.5, -1.5])
            o = rng.choice(["+", "-", "*", "/", "**"])
            return f"{c} {o} x{i}", (lambda L, P: eval(f"c {o} P[i]"))
        if op == "clamp":
            lo, hi = rng.choice([(-0.5, 0.5), (None, 0.2), (0.0, None), (0.3, 0.3)])
            return f"x{i}.clamp({lo},{hi})", (lambda L, P: P[i].clamp(lo, hi))
        if op in ("maximum", "minimum"):
            return f"L.{op}(x{i}, x{j})", (lambda L, P: getattr(L, op)(P[i], P[j]))
        if op == "where":
            return f"L.where(x{i} > 0, x{i}, x{j})", (lambda L, P: L.where(P[i] > 0, P[i], P[j]))
        return f"x{i} {op} x{j}", (lambda L, P: eval(f"P[i] {op} P[j]"))
    if kind < 0.65:
        red = rng.choice(
            [
                "sum",
                "mean",
                "max",
                "min",
                "amax",
                "amin",
                "var",
                "std",
                "softmax",
                "log_softmax",
                "cumsum",
                "norm",
                "argmaxsel",
                "logsumexp",
            ]
        )
        dim = rng.randint(-nd, nd - 1) if nd else rng.choice([0, -1, None])
        keep = rng.random() < 0.5
        if red in ("softmax", "log_softmax", "cumsum"):
            if dim is None:
                dim = 0
            return f"x{i}.{red}({dim})", (lambda L, P: getattr(P[i], red)(dim))
        if red == "logsumexp":
            return f"L.logsumexp(x{i}, {dim}, {keep})", (lambda L, P: L.logsumexp(P[i], dim, keep))
        if red == "norm":
            p = rng.choice([2, 1])
            return f"x{i}.norm(p={p}, dim={dim})", (lambda L, P: P[i].norm(p=p, dim=dim))
        if red == "argmaxsel":
            return f"x{i}.max() (whole)", (lambda L, P: P[i].max())
        if red in ("max", "min"):
            if dim is None:
                return f"x{i}.{red}()", (lambda L, P: getattr(P[i], red)())
            return f"x{i}.{red}({dim}, keepdim={keep})[0]", (
                lambda L, P: getattr(P[i], red)(dim, keepdim=keep)[0]
            )
        if red in ("var", "std"):
            corr = rng.choice([0, 1])
            return f"x{i}.{red}({dim}, correction={corr}, keepdim={keep})", (
                lambda L, P: getattr(P[i], red)(dim, correction=corr, keepdim=keep)
            )
        if dim is None:
            return f"x{i}.{red}()", (lambda L, P: getattr(P[i], red)())
        return f"x{i}.{red}({dim}, keepdim={keep})", (lambda L, P: getattr(P[i], red)(dim, keepdim=keep))
    if kind < 0.80:
        sh = rng.choice(
            [
                "reshape",
                "t",
                "transpose",
                "permute",
                "unsqueeze",
                "squeeze",
                "expand",
                "flip",
                "cat",
                "stack",
                "index",
                "split",
                "index_select",
                "flatten",
                "repeat",
                "narrow",
                "tril",
                "gather",
                "masked_fill",
                "clone",
                "detach",
                "contiguous",
            ]
        )
        if sh == "reshape":
            return f"x{i}.reshape(-1)", (lambda L, P: P[i].reshape(-1))
        if sh == "flatten":
            return f"x{i}.flatten()", (lambda L, P: P[i].flatten())
        if sh == "t":
            return f"x{i}.t()", (lambda L, P: P[i].t())
        if sh in ("clone", "detach", "contiguous"):
            return f"x{i}.{sh}()", (lambda L, P: getattr(P[i], sh)())
        if sh == "transpose":
            a, b = rng.randint(-3, 2), rng.randint(-3, 2)
            return f"x{i}.transpose({a},{b})", (lambda L, P: P[i].transpose(a, b))
        if sh == "permute":
            perm = list(range(nd))
            rng.shuffle(perm)
            return f"x{i}.permute({perm})", (lambda L, P: P[i].permute(*perm))
        if sh == "unsqueeze":
            d = rng.randint(-nd - 1, nd)
            return f"x{i}.unsqueeze({d})", (lambda L, P: P[i].unsqueeze(d))
        if sh == "squeeze":
            d = rng.randint(-nd, nd - 1) if nd else 0
            if rng.random() < 0.5:
                return f"x{i}.squeeze()", (lambda L, P: P[i].squeeze())
            return f"x{i}.squeeze({d})", (lambda L, P: P[i].squeeze(d))
        if sh == "expand":
            new = tuple(s if s != 1 else rng.choice([1, 3]) for s in shape)
            if rng.random() < 0.3:
                new = (2,) + new
            return f"x{i}.expand({new})", (lambda L, P: P[i].expand(*new))
        if sh == "flip":
            d = rng.randint(-nd, nd - 1) if nd else 0
            return f"x{i}.flip({d})", (lambda L, P: P[i].flip(d))
        if sh in ("cat", "stack"):
            d = rng.randint(-nd, nd - 1) if nd else 0
            return f"L.{sh}([x{i}, x{j}], {d})", (lambda L, P: getattr(L, sh)([P[i], P[j]], d))
        if sh == "split":
            d = rng.randint(-nd, nd - 1) if nd else 0
            return f"x{i}.split(2, {d})[-1]", (lambda L, P: P[i].split(2, d)[-1])
        if sh == "narrow":
            d = rng.randint(-nd, nd - 1) if nd else 0
            return f"x{i}.narrow({d}, 1, 1)", (lambda L, P: P[i].narrow(d, 1, 1))
        if sh == "tril":
            k = rng.randint(-1, 1)
            return f"x{i}.tril({k})", (lambda L, P: P[i].tril(k))
        if sh == "repeat":
            reps = tuple(rng.randint(1, 2) for _ in range(max(nd, 1) + rng.randint(0, 1)))
            return f"x{i}.repeat({reps})", (lambda L, P: P[i].repeat(*reps))
        if sh == "index_select":
            d = rng.randint(-nd, nd - 1) if nd else 0
            idx = [0, 0, rng.randint(0, 2)]
            return f"x{i}.index_select({d}, {idx})", (lambda L, P: P[i].index_select(d, L.tensor(idx)))
        if sh == "gather":
            d = rng.randint(-nd, nd - 1) if nd else 0
            idx = np.random.default_rng(rng.randint(0, 99)).integers(0, 2, size=shape)
            return f"x{i}.gather({d}, idx)", (lambda L, P: P[i].gather(d, L.tensor(idx)))
        if sh == "masked_fill":
            return f"x{i}.masked_fill(x{i} > 0.5, 0.)", (lambda L, P: P[i].masked_fill(P[i] > 0.5, 0.0))
        # indexing
        choice = rng.choice(["int", "slice", "neg", "mask", "list", "ellipsis", "none", "step"])
        key = {
            "int": 0,
            "slice": slice(1, None),
            "neg": -1,
            "mask": None,
            "list": [0, 0, 1],
            "ellipsis": (Ellipsis, 0),
            "none": (None, slice(None)),
            "step": slice(None, None, 2),
        }[choice]
        if choice == "mask":
            return f"x{i}[x{i} > 0]", (lambda L, P: P[i][P[i] > 0])
        return f"x{i}[{key!r}]", (lambda L, P: P[i][key])
    if kind < 0.93:
        what = rng.choice(
            ["mse", "ce", "nll", "l1", "bce", "promote32", "promote64", "int", "bool", "inplace", "smooth"]
        )
        if what == "mse":
            red = rng.choice(["mean", "sum", "none"])
            return f"mse_loss(x{i}, x{j}, {red})", (
                lambda L, P: L.nn.functional.mse_loss(P[i], P[j], reduction=red)
            )
        if what in ("ce", "nll"):
            n_cls = shape[-1] if nd else 1
            tshape = shape[:1] + shape[2:] if nd >= 2 else ()
            tgt = np.random.default_rng(rng.randint(0, 99)).integers(0, max(n_cls, 1), size=tshape)
            ls = rng.choice([0.0, 0.1])
            red = rng.choice(["mean", "sum", "none"])
            if what == "ce":
                return f"cross_entropy(x{i}, tgt{tgt.tolist()}, ls={ls}, {red})", (
                    lambda L, P: L.nn.functional.cross_entropy(
                        P[i], L.tensor(tgt), label_smoothing=ls, reduction=red
                    )
                )
            return f"nll_loss(log_softmax(x{i}), tgt, {red})", (
                lambda L, P: L.nn.functional.nll_loss(
                    P[i].log_softmax(1 if nd >= 2 else 0), L.tensor(tgt), reduction=red
                )
            )
        if what == "promote32":
            return f"x{i}.float() * x{j}", (lambda L, P: P[i].float() * P[j])
        if what == "promote64":
            return f"x{i}.double() + x{j}", (lambda L, P: P[i].double() + P[j])
        if what == "int":
            c = rng.choice([2, 3])
            return f"x{i} * tensor({c}) + (x{i} > 0).long()", (
                lambda L, P: P[i] * L.tensor(c) + (P[i] > 0).long()
            )
        if what == "bool":
            return f"x{i} * (x{j} > 0)", (lambda L, P: P[i] * (P[j] > 0))
        if what == "inplace":
            op = rng.choice(["add_", "mul_", "clamp_", "relu_", "sub_", "div_", "exp_", "tanh_", "sigmoid_"])

            def f(L, P, op=op):
                y = P[i] * 1
                if op in ("add_", "mul_", "sub_", "div_"):
                    getattr(y, op)(P[j])
                elif op == "clamp_":
                    y.clamp_(-0.5, 0.5)
                else:
                    getattr(y, op)()
                return y

            return f"(x{i}*1).{op}(x{j}?)", f
        if what == "smooth":
            return f"x{i}.sigmoid() * x{i}.tanh() - x{j}.exp()", (
                lambda L, P: P[i].sigmoid() * P[i].tanh() - P[j].exp()
            )
        return f"l1-like (x{i} - x{j}).abs().mean()", (lambda L, P: (P[i] - P[j]).abs().mean())
    # matmul family
    mm = rng.choice(["@", "mm", "linear_like"])
    if mm == "linear_like":
        return f"x{i} @ x{j}.t() + x{i}", (lambda L, P: P[i] @ P[j].t() + P[i])
    return f"x{i} @ x{j}", (lambda L, P: P[i] @ P[j])


def to_np(t):
    if getattr(t, "_is_zerotensor", None) and t._is_zerotensor():
        t = t.clone()
    return t.detach().numpy()


def compare_values(a, b, what, dtype):
    if type(a).__name__ != type(b).__name__ and not (hasattr(a, "shape") and hasattr(b, "shape")):
        raise Mismatch(f"{what}: types {type(a)} vs {type(b)}")
    if a is None or b is None:
        if (a is None) != (b is None):
            raise Mismatch(f"{what}: None vs not None: torch {a is None}, minigrad {b is None}")
        return
    if tuple(a.shape) != tuple(b.shape):
        raise Mismatch(f"{what}: shapes {tuple(a.shape)} vs {tuple(b.shape)}")
    if str(a.dtype).split(".")[-1] != str(b.dtype).split(".")[-1]:
        raise Mismatch(f"{what}: dtypes {a.dtype} vs {b.dtype}")
    x, y = to_np(a), to_np(b)
    tol = dict(rtol=1e-9, atol=1e-9) if dtype == "float64" else dict(rtol=1e-4, atol=1e-5)
    if x.dtype.kind == "f":
        if not np.allclose(x, y, equal_nan=True, **tol):
            raise Mismatch(f"{what}: values\ntorch    {x!r}\nminigrad {y!r}")
    elif not np.array_equal(x, y):
        raise Mismatch(f"{what}: values\ntorch    {x!r}\nminigrad {y!r}")


N_OPS = int(os.environ.get("NOPS", "6"))


def precision(dtype, log):
    """float32 where the program went through float32 (``.float()``), though its leaves are float64."""
    return "float32" if any(".float()" in line for line in log) else dtype


def run_program(seed, n_ops=N_OPS):
    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    dtype = rng.choice(["float64", "float64", "float32"])
    n_inputs = rng.randint(1, 3)
    base = rand_shape(rng)
    arrays = []
    for k in range(n_inputs):
        shape = base if k == 0 else (bcast_shape(rng, base) if rng.random() < 0.7 else rand_shape(rng))
        arr = nrng.standard_normal(shape).astype(dtype)
        if rng.random() < 0.2:
            arr = np.round(arr)  # ties and zeros
        arrays.append(arr)
    if os.environ.get("SHOW"):  # (the inputs, to reproduce a mismatch by hand)
        print([a.tolist() for a in arrays])
    log = []
    # pool entries: (torch_tensor, minigrad_tensor)
    leaves = {}
    for L in LIBS:
        leaves[L.__name__] = [L.tensor(a.copy(), requires_grad=True) for a in arrays]
    pool = [(leaves["torch"][k], leaves["minigrad"][k]) for k in range(n_inputs)]
    for k in range(n_inputs):
        log.append(f"x{k} = tensor(shape {arrays[k].shape}, {dtype}, requires_grad=True)")
    for _ in range(n_ops):
        desc, fn = make_op(rng, pool)
        res = []
        for li, L in enumerate(LIBS):
            try:
                res.append(("ok", fn(L, [p[li] for p in pool])))
            except Exception as e:  # noqa: BLE001
                res.append(("err", e))
        log.append(f"x{len(pool)} = {desc}")
        (kt, vt), (km, vm) = res
        if kt != km:
            detail = vt if kt == "err" else vm
            tb = "".join(traceback.format_exception(detail)) if km == "err" else ""
            raise Mismatch("\n".join(log) + f"\n-> torch {kt}, minigrad {km}: {norm_msg(detail)!r}\n{tb}")
        if kt == "err":
            if type(vt).__name__ != type(vm).__name__ or norm_msg(vt) != norm_msg(vm):
                raise Mismatch(
                    "\n".join(log) + f"\n-> errors differ:\n torch    {type(vt).__name__}: "
                    f"{norm_msg(vt)}\n minigrad {type(vm).__name__}: {norm_msg(vm)}"
                )
            log.pop()
            continue
        try:
            compare_values(vt, vm, "forward", dtype)
            if vt.grad_fn is not None and vm.grad_fn is not None:
                if (
                    vt.grad_fn.name().replace("torch::autograd::", "")
                    != vm.grad_fn.name().replace("minigrad::autograd::", "")
                    and vm.grad_fn.name() != "UnsafeViewBackward0"
                ):
                    raise Mismatch(f"grad_fn: {vt.grad_fn.name()} vs {vm.grad_fn.name()}")
            if vt.requires_grad != vm.requires_grad:
                raise Mismatch(f"requires_grad {vt.requires_grad} vs {vm.requires_grad}")
        except Mismatch as e:
            raise Mismatch("\n".join(log) + f"\n-> {e}") from None
        pool.append((vt, vm))
    # backward from a weighted sum of everything that requires grad and is floating
    outs = [(t, m) for t, m in pool[n_inputs:] if t.requires_grad and t.dtype.is_floating_point]
    if not outs:
        return
    wseed = rng.randint(0, 10**6)
    create = rng.random() < 0.3
    losses = []
    for li, L in enumerate(LIBS):
        w_rng = np.random.default_rng(wseed)
        total = None
        for o in outs:
            w = L.tensor(w_rng.standard_normal(tuple(o[li].shape)).astype(dtype))
            term = (o[li] * w).sum()
            total = term if total is None else total + term
        losses.append(total)
    res = []
    for li, L in enumerate(LIBS):
        try:
            g = L.autograd.grad(losses[li], leaves[L.__name__], allow_unused=True, create_graph=create)
            res.append(("ok", g))
        except Exception as e:  # noqa: BLE001
            res.append(("err", e))
    (kt, vt), (km, vm) = res
    log.append(f"grad(create_graph={create})")
    if kt != km or (kt == "err" and norm_msg(vt) != norm_msg(vm)):
        raise Mismatch(
            "\n".join(log) + f"\n-> backward: torch {kt} {norm_msg(vt) if kt == 'err' else ''}, "
            f"minigrad {km} {norm_msg(vm) if km == 'err' else ''}"
        )
    if kt == "err":
        return
    try:
        for k, (a, b) in enumerate(zip(vt, vm)):
            compare_values(a, b, f"grad x{k}", precision(dtype, log))
    except Mismatch as e:
        raise Mismatch("\n".join(log) + f"\n-> {e}") from None
    if create:
        # second order: grad of sum of grads squared
        res = []
        for li, L in enumerate(LIBS):
            gs = [g for g in (vt, vm)[li] if g is not None and g.requires_grad]
            if not gs:
                return
            s = sum((g * g).sum() for g in gs)
            try:
                res.append(("ok", L.autograd.grad(s, leaves[L.__name__], allow_unused=True)))
            except Exception as e:  # noqa: BLE001
                res.append(("err", e))
        (kt, vt2), (km, vm2) = res
        log.append("grad of sum(g*g)")
        if kt != km:
            raise Mismatch(
                "\n".join(log) + f"\n-> double backward: torch {kt} {vt2 if kt == 'err' else ''},"
                f" minigrad {km} {vm2 if km == 'err' else ''}"
            )
        if kt == "ok":
            try:
                for k, (a, b) in enumerate(zip(vt2, vm2)):
                    compare_values(a, b, f"grad2 x{k}", precision(dtype, log))
            except Mismatch as e:
                raise Mismatch("\n".join(log) + f"\n-> {e}") from None


if __name__ == "__main__":
    start, count = int(sys.argv[1]), int(sys.argv[2])
    seen = {}
    for seed in range(start, start + count):
        try:
            run_program(seed)
        except Mismatch as e:
            kind = str(e).split("-> ")[-1].splitlines()[0][:60]  # (one program per kind of mismatch)
            if kind in seen:
                continue
            seen[kind] = seed
            print(f"=== seed {seed}\n{e}\n")
    print(f"{len(seen)} distinct mismatch kinds in {count} programs")
