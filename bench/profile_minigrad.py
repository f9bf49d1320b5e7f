"""Where minigrad's time goes: per-op overhead in µs and cProfile of the benchmark workloads.

    PYTHONPATH=. .venv/bin/python bench/profile_minigrad.py            # minigrad, everything
    PYTHONPATH=. .venv/bin/python bench/profile_minigrad.py --ops      # per-op table only
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
    ap.add_argument("--top", type=int, default=25)
    args = ap.parse_args()
    T = load(args.lib)

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
