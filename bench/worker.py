"""Run ONE workload for ONE library in this (fresh) process and write the result as JSON.

    python bench/worker.py LIB WORKLOAD [--links N] [--steps N] --out FILE

LIB is minigrad, torch, numpy or micrograd; WORKLOAD is moons, chain, mlp or train, or one of the
hand-written loops: moons_loop, chain_const, mlp_loop.
The driver (bench/driver.py) starts one of these per cell of the table, with the interpreter
that has the library, so that peak RSS is that workload's alone.
"""

from __future__ import annotations

import argparse
import json
import platform
import time

import common
import numpy as np

CHAIN_REPEATS = {10_000: 5, 100_000: 3, 1_000_000: 1}
# the hand-written loops: workload -> what implements it in impl_torchlike / impl_numpy
LOOPS = {"moons_loop": "moons_loop_step", "mlp_loop": "mlp_loop_step", "chain_const": "chain_const"}


def load(lib: str):
    """Return (implementation module, the library module or None, version string)."""
    if lib == "torch":
        import torch

        torch.set_num_threads(1)
        torch.set_num_interop_threads(1)
        import impl_torchlike

        return impl_torchlike, torch, torch.__version__
    if lib == "minigrad":
        import impl_torchlike

        import minigrad
        import minigrad.nn  # noqa: F401  (as `import torch.nn` would be: valid for both)
        import minigrad.optim  # noqa: F401

        return impl_torchlike, minigrad, getattr(minigrad, "__version__", "?")
    if lib == "numpy":
        import impl_numpy

        return impl_numpy, None, np.__version__
    if lib == "micrograd":
        from importlib.metadata import version

        import impl_micrograd

        return impl_micrograd, None, version("micrograd")
    raise SystemExit(f"unknown library {lib!r}")


def make(impl, T, name, *data):
    fn = getattr(impl, name, None)
    if fn is None:
        return None
    return fn(T, *data) if T is not None else fn(*data)


def timed_steps(step, impl, warmup, budget, skipped):
    """Time one training step (``common.time_it``), with the RSS before and the last loss; or say
    why it was skipped (``step`` is None where a library cannot run the workload)."""
    if step is None:
        return {"skipped": skipped}
    result = {"baseline_rss": common.rss_bytes()}
    timing = common.time_it(step, warmup=warmup, min_repeats=10, budget_s=budget)
    result["loss"] = impl.loss_value(timing.pop("last"))
    result.update(timing)
    return result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("lib")
    ap.add_argument("workload", choices=["moons", "mlp", "chain", "train", *LOOPS])
    ap.add_argument("--links", type=int, default=10_000)
    ap.add_argument("--steps", type=int, default=10_000)
    ap.add_argument("--every", type=int, default=1_000)
    ap.add_argument("--budget", type=float, default=2.0, help="seconds of timed repeats")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()

    t_import = time.perf_counter()
    impl, T, lib_version = load(args.lib)
    result: dict = {
        "lib": args.lib,
        "workload": args.workload,
        "lib_version": lib_version,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "import_s": time.perf_counter() - t_import,
    }
    if args.lib == "torch":
        result["torch_threads"] = T.get_num_threads()
        result["torch_interop_threads"] = T.get_num_interop_threads()

    if args.workload == "moons":
        X, y = common.two_moons()
        step = make(impl, T, "moons_step", X, y)
        slow = args.lib == "micrograd"
        result["baseline_rss"] = common.rss_bytes()
        timing = common.time_it(
            step,
            warmup=1 if slow else 20,
            min_repeats=3 if slow else 20,
            budget_s=args.budget,
        )
        result["loss"] = impl.loss_value(timing.pop("last"))
        result.update(timing)
    elif args.workload == "mlp":
        X, Y = common.mnist_like()
        step = make(impl, T, "mlp_step", X, Y)
        result.update(timed_steps(step, impl, 5, args.budget, "n/a: scalar engine"))
    elif args.workload in ("moons_loop", "mlp_loop"):
        X, y = common.two_moons() if args.workload == "moons_loop" else common.mnist_like()
        step = make(impl, T, LOOPS[args.workload], X, y)
        result.update(timed_steps(step, impl, 10, args.budget, "n/a"))
    elif args.workload in ("chain", "chain_const"):
        forward, backward, grads = make(impl, T, "chain" if args.workload == "chain" else "chain_const")
        repeats = CHAIN_REPEATS.get(args.links, 3)
        warmup_links = 100 if args.lib == "micrograd" else 1000
        result.update(
            common.chain_run(forward, backward, grads, args.links, repeats, warmup_links, budget_s=30.0)
        )
    elif args.workload == "train":
        X, y = common.two_moons()
        step = make(impl, T, "moons_step", X, y)
        result.update(common.train_memory(step, impl.loss_value, args.steps, args.every))

    result["peak_rss"] = common.peak_rss_bytes()
    with open(args.out, "w") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main()  # Python's default recursion limit is left as it is (micrograd's failure is the point)
