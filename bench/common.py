"""Shared by every benchmark worker: data, timing protocol and memory probes.

Nothing here imports torch, minigrad or micrograd, so every interpreter can load it.
"""

from __future__ import annotations

import gc
import os
import resource
import statistics
import time

import numpy as np

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")

# Workload sizes, shared by all libraries.
MOONS_N = 100
MOONS_SIZES = (2, 16, 16, 1)
MOONS_LR = 0.1
MLP_BATCH = 256
MLP_SIZES = (784, 128, 10)
MLP_LR = 0.01
CHAIN_W = 0.5  # every link is x <- relu(x * w + b); with w = b = 0.5 and x0 = 1, x stays 1
CHAIN_B = 0.5  # and d(out)/dw = d(out)/db = sum_k 0.5**k -> 2, an exact check on the gradients
CHAIN_CONST_W = 0.9999  # (f): y <- relu(y * 0.9999 + 0.1), the constants Python numbers
CHAIN_CONST_B = 0.1


def two_moons(n: int = MOONS_N, noise: float = 0.1, seed: int = 0):
    """Two interleaving half circles, like sklearn.datasets.make_moons; labels are -1 / +1.

    Returns X with shape (n, 2) and y with shape (n, 1), both float32.
    """
    rng = np.random.default_rng(seed)
    n_out = n // 2
    n_in = n - n_out
    t_out = np.linspace(0, np.pi, n_out)
    t_in = np.linspace(0, np.pi, n_in)
    X = np.concatenate(
        [
            np.stack([np.cos(t_out), np.sin(t_out)], axis=1),
            np.stack([1 - np.cos(t_in), 0.5 - np.sin(t_in)], axis=1),
        ]
    )
    X += rng.normal(scale=noise, size=X.shape)
    y = np.concatenate([-np.ones(n_out), np.ones(n_in)])[:, None]
    perm = rng.permutation(n)
    return X[perm].astype(np.float32), y[perm].astype(np.float32)


def mnist_like(batch: int = MLP_BATCH, seed: int = 0):
    """A random MNIST-shaped batch: X (batch, 784) float32 and one-hot targets (batch, 10)."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((batch, MLP_SIZES[0])).astype(np.float32)
    labels = rng.integers(0, MLP_SIZES[-1], size=batch)
    Y = np.zeros((batch, MLP_SIZES[-1]), dtype=np.float32)
    Y[np.arange(batch), labels] = 1.0
    return X, Y


def rss_bytes() -> int:
    """Current resident set size of this process, from /proc/self/statm."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE_SIZE


def peak_rss_bytes() -> int:
    """Peak resident set size of this process so far (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def time_it(
    fn,
    *,
    warmup: int = 5,
    min_repeats: int = 5,
    max_repeats: int = 5000,
    budget_s: float = 2.0,
) -> dict:
    """Warm up, then time `fn()` repeatedly with perf_counter; report the median.

    Repeats until both `min_repeats` calls and `budget_s` seconds are done (or `max_repeats`).
    Also records the process's CPU time per call (`time.process_time`): unlike wall time it
    does not count time the process waited for a CPU, so it shows how much of a difference is
    due to other load on the machine.
    The garbage collector stays on: collecting a library's garbage is part of its cost.
    """
    for _ in range(warmup):
        fn()
    times, cpu = [], []
    start = time.perf_counter()
    while len(times) < max_repeats and (len(times) < min_repeats or time.perf_counter() - start < budget_s):
        c0 = time.process_time()
        t0 = time.perf_counter()
        last = fn()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return {
        "last": last,
        "median_s": statistics.median(times),
        "cpu_median_s": statistics.median(cpu),
        "min_s": min(times),
        "max_s": max(times),
        "repeats": len(times),
        "warmup": warmup,
    }


def chain_run(
    forward,
    backward,
    grads,
    n: int,
    repeats: int,
    warmup_links: int = 1000,
    budget_s: float = 30.0,
) -> dict:
    """Time forward and backward of an n-link chain up to `repeats` times, after a short warm-up
    (fewer repeats once `budget_s` seconds are spent; at least one).

    forward(n) -> root; backward(root); grads() -> (dw, db). Teardown (`del root`: freeing the
    graph by reference counting) is timed separately: real work for the library, but not what
    the target is about. A full gc.collect() follows, untimed.
    """
    for _ in range(2):
        backward(forward(warmup_links))
    gc.collect()
    base_rss = rss_bytes()
    fwd, bwd, teardown, bwd_cpu = [], [], [], []
    dw = db = None
    started = time.perf_counter()
    for _ in range(repeats):
        t0 = time.perf_counter()
        root = forward(n)
        t1 = time.perf_counter()
        c1 = time.process_time()
        try:
            backward(root)
        except RecursionError as e:
            # Reported as it is (micrograd's recursive topological sort); no retry with a
            # raised limit.
            del root
            gc.collect()
            return {
                "links": n,
                "error": f"RecursionError at {n:,} links",
                "error_detail": str(e),
                "forward_s": t1 - t0,
                "forward_us_per_link": (t1 - t0) / n * 1e6,
                "baseline_rss": base_rss,
            }
        t2 = time.perf_counter()
        bwd_cpu.append(time.process_time() - c1)
        dw, db = grads()
        t3 = time.perf_counter()
        del root
        t4 = time.perf_counter()
        gc.collect()
        fwd.append(t1 - t0)
        bwd.append(t2 - t1)
        teardown.append(t4 - t3)
        if time.perf_counter() - started > budget_s:
            break
    return {
        "links": n,
        "repeats": len(fwd),
        "forward_s": statistics.median(fwd),
        "backward_s": statistics.median(bwd),
        "backward_cpu_s": statistics.median(bwd_cpu),
        "teardown_s": statistics.median(teardown),
        "forward_us_per_link": statistics.median(fwd) / n * 1e6,
        "backward_us_per_link": statistics.median(bwd) / n * 1e6,
        "grad_w": dw,
        "grad_b": db,
        "baseline_rss": base_rss,
    }


def train_memory(step, loss_value, steps: int, every: int) -> dict:
    """Run `steps` training steps, sampling RSS every `every` steps (first sample after step 1).

    Then a reference-cycle probe: with the collector off, how many objects do 100 steps leave
    in reference cycles (freed only by gc, not by reference counting)? 0 for PyTorch. And a
    saved-tensor probe: the memory a step's graph still holds when its loss is kept after
    backward.
    """
    first_loss = loss_value(step())
    samples = [(1, rss_bytes())]
    t0 = time.perf_counter()
    for i in range(2, steps + 1):
        loss = step()
        if i % every == 0:
            samples.append((i, rss_bytes()))
    elapsed = time.perf_counter() - t0
    last_loss = loss_value(loss)
    del loss
    gc.collect()
    gc.disable()
    try:
        probe_steps = 100
        for _ in range(probe_steps):
            step()
        cyclic = gc.collect()
    finally:
        gc.enable()
    # Saved-tensor probe: keep each step's loss (so its graph's nodes stay alive) for
    # `probe_steps` steps. After backward the saved tensors must be gone all the same, so what
    # each kept graph costs is its nodes only (a few hundred bytes a node in PyTorch), not the
    # activations they saved (100 x 16 floats = 6.4 KB for each tanh here).
    gc.collect()
    kept = []
    rss0 = rss_bytes()
    for _ in range(1000):
        kept.append(step())
    kept_per_step = (rss_bytes() - rss0) / 1000
    del kept
    gc.collect()
    at = {i: r for i, r in samples}
    first = at.get(every, samples[0][1])
    last = samples[-1][1]
    return {
        "steps": steps,
        "seconds": elapsed,
        "us_per_step": elapsed / (steps - 1) * 1e6,
        "rss_samples": samples,
        "rss_first": first,
        "rss_last": last,
        "rss_growth": last - first,
        "loss_first": first_loss,
        "loss_last": last_loss,
        "gc_cyclic_objects_per_step": cyclic / probe_steps,
        "kept_graph_bytes_per_step": kept_per_step,
    }
