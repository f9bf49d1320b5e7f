"""Where minigrad's time goes: per-op overhead in µs and cProfile of the benchmark workloads.

    PYTHONPATH=. .venv/bin/python bench/profile_minigrad.py            # minigrad, everything
    PYTHONPATH=. .venv/bin/python bench/profile_minigrad.py --ops      # per-op table only
    PYTHONPATH=. .venv/bin/python bench/profile_minigrad.py --breakdown   # where one op's µs go
    /opt/torchref/bin/python bench/profile_minigrad.py --ops --lib torch   # same table, PyTorch

Not part of `make bench`: a tool for whoever makes minigrad faster. Per-op numbers are medians
of CPU time (`time.process_time`, so that other load on the machine counts less) over many calls,
mostly on 0-dim tensors (pure overhead: the arithmetic itself is negligible).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time

for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import common  # noqa: E402
import impl_torchlike  # noqa: E402
import numpy as np  # noqa: E402


def load(lib):
    if lib == "torch":
        import torch

        torch.set_num_threads(1)
        return torch
    import minigrad
    import minigrad.nn  # noqa: F401
    import minigrad.optim  # noqa: F401

    return minigrad


def per_call_us(fn, number=2000, repeats=7):
    fn()
    samples = []
    for _ in range(repeats):
        t0 = time.process_time()  # CPU time: robust to other load on the machine
        for _ in range(number):
            fn()
        samples.append((time.process_time() - t0) / number * 1e6)
    return statistics.median(samples)


def op_table(T):
    x = T.tensor(1.0, requires_grad=True)
    w = T.tensor(0.5, requires_grad=True)
    c = T.tensor(0.5)
    X = T.tensor(np.ones((100, 16), np.float32), requires_grad=True)
    W = T.tensor(np.ones((16, 16), np.float32), requires_grad=True)
    rows = [
        ("x * w            (0-dim, both require grad)", lambda: x * w),
        ("x + w", lambda: x + w),
        ("x.relu()", lambda: x.relu()),
        ("x * 0.5          (Python scalar)", lambda: x * 0.5),
        ("c * c            (no grad needed)", lambda: c * c),
        ("X @ W            (100x16 @ 16x16)", lambda: X @ W),
        ("X.tanh()         (100x16)", lambda: X.tanh()),
        ("T.tensor(1.0)", lambda: T.tensor(1.0)),
    ]
    out = [(name, per_call_us(fn)) for name, fn in rows]
    with T.no_grad():
        out.append(("x * w            under no_grad()", per_call_us(lambda: x * w)))

    # backward cost per node: a chain of n muls, backward only
    n = 20_000

    def chain():
        y = x
        for _ in range(n):
            y = y * w
        return y

    times = []
    for _ in range(3):
        x.grad = w.grad = None
        y = chain()
        t0 = time.process_time()
        y.backward()
        times.append((time.process_time() - t0) / n * 1e6)
        del y
    out.append(("backward per node (chain of x * w)", statistics.median(times)))
    return out


def breakdown(T):
    """Where the time of one ``a * b`` and of one node's backward goes, layer by layer: each row
    adds one layer to the row above it (for PyTorch, the rows it has)."""
    minigrad = T.__name__ == "minigrad"
    if minigrad:
        from minigrad.autograd import grad_mode

    def in_backward_modes(fn):  # grad mode off and numpy quiet, as the engine's steps run (minigrad)
        return lambda: grad_mode._run_in_modes(False, fn)

    def under_no_grad(fn):
        def run():
            with T.no_grad():
                return fn()

        return run

    rng = np.random.default_rng(0)

    def forward_rows(label, shape, repeat=200):
        a = T.tensor(rng.standard_normal(shape).astype(np.float32), requires_grad=True) * 1.0
        b = T.tensor(rng.standard_normal(shape).astype(np.float32))
        x, y = a.detach().numpy(), b.numpy()
        # (in the engine's modes, 200 ops per switch: the switch itself is left out)
        many = in_backward_modes(lambda: [a * b for _ in range(repeat)])
        in_modes = per_call_us(many, 20) / repeat if minigrad else None
        no_grad = per_call_us(under_no_grad(lambda: a * b))
        return [
            (f"{label}: numpy's multiply alone", per_call_us(lambda: x * y)),
            (f"{label}: a * b in the engine's modes (call, arguments, result)", in_modes),
            (f"{label}: a * b under no_grad() (+ mode switch, + the with)", no_grad),
            (f"{label}: a * b recorded (+ the graph)", per_call_us(lambda: a * b)),
        ]

    rows = forward_rows("0-dim", ()) + forward_rows("100x16", (100, 16))
    # one node's backward: MulBackward0 of a * b on (100, 16), a and b leaves
    a = T.tensor(rng.standard_normal((100, 16)).astype(np.float32), requires_grad=True)
    b = T.tensor(rng.standard_normal((100, 16)).astype(np.float32), requires_grad=True)
    grad = T.ones(100, 16)
    g, x, y = grad.numpy(), a.detach().numpy(), b.detach().numpy()
    node = (a * b).grad_fn
    call = in_backward_modes(lambda: node.call_backward([grad])) if minigrad else None
    rows += [
        ("100x16 backward: numpy's two products alone", per_call_us(lambda: (g * y, g * x))),
        ("100x16 backward: node.call_backward([grad]) (+ saved tensors, two ops, checks)",
         per_call_us(call, 200) if minigrad else None),
        ("100x16 backward: (a * b).backward(grad) (+ forward, engine, 2 AccumulateGrad)",
         per_call_us(lambda: (a * b).backward(grad), 200)),
    ]  # fmt: skip
    return rows


def profile(label, fn, calls, top, warm=True):
    if warm:
        fn()
    pr = cProfile.Profile()
    t0 = time.perf_counter()
    pr.enable()
    for _ in range(calls):
        fn()
    pr.disable()
    wall = time.perf_counter() - t0
    s = io.StringIO()
    st = pstats.Stats(pr, stream=s).strip_dirs().sort_stats("tottime")
    st.print_stats(top)
    print(f"\n=== {label}: {calls} calls, {wall / calls * 1e3:.2f} ms per call under cProfile ===")
    lines = s.getvalue().splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.lstrip().startswith("ncalls"))
    print("\n".join(lines[start:]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lib", default="minigrad", choices=["minigrad", "torch"])
    ap.add_argument("--ops", action="store_true", help="per-op table only")
    ap.add_argument("--breakdown", action="store_true", help="where one op's time goes, layer by layer")
    ap.add_argument("--top", type=int, default=25)
    args = ap.parse_args()
    T = load(args.lib)
    if args.breakdown:
        print("where one op's time goes (µs per call, median of CPU time; each row adds a layer):")
        for name, us in breakdown(T):
            print(f"  {name:78s} {'—' if us is None else f'{us:.2f}':>8}")
        return

    print(f"per-op overhead, {args.lib} (µs per call, median):")
    for name, us in op_table(T):
        print(f"  {name:46s} {us:8.2f}")
    if args.ops or args.lib != "minigrad":
        return

    X, y = common.two_moons()
    profile("(a) moons step", impl_torchlike.moons_step(T, X, y), 200, args.top)
    Xm, Ym = common.mnist_like()
    profile("(c) 784-128-10 step", impl_torchlike.mlp_step(T, Xm, Ym), 50, args.top)
    forward, backward, _ = impl_torchlike.chain(T)
    profile("(b) chain forward, 10,000 links", lambda: forward(10_000), 1, args.top)
    root = forward(10_000)
    profile("(b) chain backward, 10,000 links", lambda: backward(root), 1, args.top, warm=False)


if __name__ == "__main__":
    sys.exit(main())
