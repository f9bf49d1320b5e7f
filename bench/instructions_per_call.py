"""Machine instructions per call of minigrad's building blocks, counted by valgrind.

    PYTHONPATH=. .venv/bin/python bench/instructions_per_call.py            # every case
    PYTHONPATH=. .venv/bin/python bench/instructions_per_call.py mul_0d tanh_recorded

Where `bench/instructions.py` counts whole workloads, this counts one call of a piece: a no-graph
op as it runs inside backward, a recorded op, a tensor's creation, a whole tiny backward. Each
case runs N times inside ``list(map(...))`` and valgrind collects only inside that ``map``
(``--toggle-collect=map_next``), so import and set-up are not counted; a run with N = 0 is
subtracted. The numbers include freeing what the call made (that is part of its cost) and
repeat to within a few instructions. Needs `valgrind`; about 10 s per case.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# Set-up shared by the cases: a few tensors, and "backward modes" (grad mode off, numpy quiet)
# for the cases that run as ops do inside the engine.
SETUP = """
import sys
sys.path.insert(0, {repo!r})
import numpy as np
import minigrad as mg
from minigrad.autograd import grad_mode
from minigrad.ops import elementwise as el
from minigrad.tensor import _new_tensor
rng = np.random.default_rng(0)
a, b = mg.tensor(0.5), mg.tensor(2.0)
A = mg.tensor(rng.standard_normal((100, 16)).astype(np.float32))
B = mg.tensor(rng.standard_normal((100, 16)).astype(np.float32))
W = mg.tensor(rng.standard_normal((16, 16)).astype(np.float32), requires_grad=True)
H = mg.tensor(rng.standard_normal((100, 16)).astype(np.float32), requires_grad=True) * 1.0
Y = mg.tensor(np.tanh(rng.standard_normal((100, 16))).astype(np.float32))
x = mg.tensor(1.0, requires_grad=True)
array = A._data


def in_backward_modes(fn):  # grad mode off and numpy quiet around each call, as the engine's steps run
    return lambda: grad_mode._run_in_modes(False, fn)


def tiny_backward():
    (x * 2).backward()
    x.grad = None


P = mg.tensor(rng.standard_normal((16, 16)).astype(np.float32), requires_grad=True)
P.grad = mg.zeros(16, 16)


def sgd_by_hand():  # one parameter's update as the lessons write it ((e) of make bench)
    with mg.no_grad():
        P.sub_(0.0 * P.grad)  # (times 0: the parameter stays as it is from call to call)
        P.grad.zero_()


CASES = {{
    "empty": lambda: None,  # (what calling a case costs by itself: subtracted from the others)
    "new_tensor": lambda: _new_tensor(array, A._dtype),
    "mul_0d": lambda: a * b,
    "mul_0d_in_backward": in_backward_modes(lambda: a * b),
    "mul_in_backward": in_backward_modes(lambda: A * B),
    "matmul_in_backward": in_backward_modes(lambda: A @ W.t()),
    "transpose_in_backward": in_backward_modes(lambda: A.transpose(0, 1)),
    "tanh_backward_in_backward": in_backward_modes(lambda: el.TanhBackward.apply(A, Y)),
    "mul_recorded": lambda: H * B,
    "t_recorded": lambda: W.t(),
    "tanh_recorded": lambda: H.tanh(),
    "mul_number_recorded": lambda: H * 0.5,
    "mul_0d_number_recorded": lambda: x * 0.5,
    "tiny_backward": tiny_backward,
    "sgd_by_hand": sgd_by_hand,
}}
"""

RUN = """
case = CASES[sys.argv[1]]
case()  # warm up (first calls fill caches and specialise the bytecode)
case()
list(map(lambda _: case(), range(int(sys.argv[2]))))
"""

REPEATS = 2000


def count(name: str, n: int, python: str) -> int:
    env = dict(os.environ, PYTHONHASHSEED="0", OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    env["MKL_NUM_THREADS"] = "1"
    code = SETUP.format(repo=str(REPO)) + RUN
    run = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", "--collect-atstart=no"]
        + ["--toggle-collect=map_next", python, "-c", code, name, str(n)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return int(re.search(r"Collected : (\d+)", run.stderr).group(1))


def main() -> None:
    names = re.findall(r'^    "(\w+)":', SETUP, re.M)
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("cases", nargs="*", help="cases to count (default: all): " + ", ".join(names))
    ap.add_argument("--python", default=sys.executable)
    args = ap.parse_args()
    unknown = [name for name in args.cases if name not in names]
    if unknown:
        ap.error(f"unknown case(s) {', '.join(unknown)}; the cases are: {', '.join(names)}")
    chosen = args.cases or names
    if "empty" not in chosen:
        chosen = ["empty", *chosen]
    with ThreadPoolExecutor(2) as pool:
        runs = {
            name: (pool.submit(count, name, REPEATS, args.python), pool.submit(count, name, 0, args.python))
            for name in chosen
        }
        per_call = {name: (full.result() - none.result()) / REPEATS for name, (full, none) in runs.items()}
    empty = per_call.pop("empty")
    print(f"instructions per call (minus {empty:,.0f} for calling an empty lambda):")
    for name, n in per_call.items():
        print(f"  {name:28s} {n - empty:10,.0f}")


if __name__ == "__main__":
    main()
