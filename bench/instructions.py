"""Instructions per unit of work, counted by valgrind: a noise-free yardstick for speed work.

Wall and CPU times on a shared machine move by ±20 % from run to run (other jobs, steal time),
which hides the 3 % a single change gains. The number of machine instructions executed does not
move: count them for a workload run N times and 0 times, subtract, divide by N.

    PYTHONPATH=. .venv/bin/python bench/instructions.py                # minigrad
    .venv/bin/python bench/instructions.py --python /opt/torchref/bin/python --lib torch

Units: (a) one SGD step of the two-moons MLP; (b) one link of the mul/add/relu chain's backward
(forward-only runs are subtracted); the loops written by hand: (e) one step of (a)'s network,
(f) one link of the backward of the chain with Python-number constants, (g) one step of the
784-128-10 network with softmax cross-entropy (mostly numpy's arithmetic; `--units abefg` counts
it too). Needs `valgrind` (Debian package `valgrind`); slow (about a
minute per number). Instructions are not time — PyTorch's C++ runs more instructions per
nanosecond than the interpreter — so compare minigrad with minigrad, before and after a change.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

# The child: build the workload, run it `count` times. Kept tiny so that its own cost cancels out.
CHILD = """
import sys
sys.path.insert(0, {here!r})
import common, impl_torchlike as W
lib, unit, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
if lib == "torch":
    import torch as T
    T.set_num_threads(1)
else:
    import minigrad as T, minigrad.nn, minigrad.optim
if unit in ("a", "e", "g"):
    X, y = common.mnist_like() if unit == "g" else common.two_moons()
    make = dict(a=W.moons_step, e=W.moons_loop_step, g=W.mlp_loop_step)[unit]
    step = make(T, X, y)
    for _ in range(5 + count):
        step()
elif unit in ("f", "f_forward"):
    forward, backward, _ = W.chain_const(T)
    root = forward(count)
    if unit == "f":
        backward(root)
else:
    forward, backward, _ = W.chain(T)
    root = forward(count)
    if unit == "b":
        backward(root)
"""


STEPS, LINKS = 40, 3000
#: unit -> (what is subtracted, how many are counted, what one is)
PER_UNIT = {
    "a": ("a", STEPS, "per SGD step"),
    "b": ("forward", LINKS, "per link of backward"),
    "e": ("e", STEPS, "per step by hand"),
    "f": ("f_forward", LINKS, "per link of backward"),
    "g": ("g", 10, "per step by hand"),
}


def instructions(python, lib, unit, count):
    env = dict(os.environ, PYTHONHASHSEED="0", OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    env["MKL_NUM_THREADS"] = "1"  # idle BLAS threads spin, and valgrind would count their spinning
    run = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", python, "-c"]
        + [CHILD.format(here=str(HERE)), lib, unit, str(count)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return int(re.search(r"Collected : (\d+)", run.stderr).group(1))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--python", default=sys.executable)
    ap.add_argument("--lib", default="minigrad", choices=["minigrad", "torch"])
    ap.add_argument("--units", default="abef", help=f"which of {''.join(PER_UNIT)} to count (default abef)")
    args = ap.parse_args()

    def count(unit, n):
        return instructions(args.python, args.lib, unit, n)

    said = []
    for unit in args.units:
        baseline, n, what = PER_UNIT[unit]
        # a step: n steps minus none; a link of backward: n links minus their forward alone
        per = (count(unit, n) - count(baseline, 0 if baseline == unit else n)) / n
        said.append(f"({unit}) {per:,.0f} instructions {what}")
    print(f"{args.lib}: " + "; ".join(said))


if __name__ == "__main__":
    main()
