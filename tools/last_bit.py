"""How often PyTorch's elementwise functions differ from minigrad's in the last bit, on this machine.

    .venv-bench/bin/python tools/last_bit.py      (needs torch; run from the repository root)

minigrad computes float32 sin, cos, exp, log and tanh in float64 and rounds once (correctly
rounded); PyTorch uses its own vectorised code, whose last bit depends on the CPU it runs on. The
README's "Where minigrad knowingly differs" quotes this script's output.
"""

import sys

import numpy as np
import torch

sys.path.insert(0, ".")
import minigrad  # noqa: E402

FUNCTIONS = ("sin", "cos", "exp", "tanh", "sigmoid", "log", "sqrt")


def main(n=200_000):
    rng = np.random.default_rng(0)
    capability = torch.backends.cpu.get_cpu_capability()
    print(f"torch {torch.__version__}, CPU capability {capability}, {n:,} values")
    for np_dtype, mg_dtype in ((np.float32, minigrad.float32), (np.float64, minigrad.float64)):
        anywhere = rng.uniform(-10, 10, n).astype(np_dtype)
        positive = rng.uniform(0, 10, n).astype(np_dtype)
        cells = []
        for name in FUNCTIONS:
            values = positive if name in ("log", "sqrt") else anywhere
            theirs = getattr(torch, name)(torch.tensor(values)).numpy()
            ours = getattr(minigrad.tensor(values, dtype=mg_dtype), name)().numpy()
            cells.append(f"{name} {np.mean(theirs != ours):.2%}")
        print(f"{np.dtype(np_dtype).name}: " + ", ".join(cells))


if __name__ == "__main__":
    main()
