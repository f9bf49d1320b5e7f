#!/usr/bin/env bash
# `make bench`: minigrad side by side with PyTorch CPU, micrograd and hand-written numpy.
#
# minigrad, numpy and micrograd run in the project's .venv (minigrad from this checkout via
# PYTHONPATH). PyTorch is never installed here: it is used when some python can import it,
# found in this order:
#   $BENCH_TORCH_PYTHON, .venv-bench/bin/python, /opt/torchref/bin/python, .venv/bin/python.
# Without one, the PyTorch column is left out and the output says how to add it.
# Extra arguments go to bench/driver.py (e.g. `bash bench/run.sh --quick`).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
if [ ! -x "$PY" ]; then
  echo "bench: $PY not found: run 'make setup' first" >&2
  exit 1
fi

# One thread for every BLAS/OpenMP pool, so numpy, minigrad and PyTorch compare like for like.
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1

has_torch() { [ -x "$1" ] && "$1" -c "import torch" >/dev/null 2>&1; }

TORCH_PY=""
if [ -n "${BENCH_TORCH_PYTHON:-}" ]; then
  if has_torch "$BENCH_TORCH_PYTHON"; then
    TORCH_PY=$BENCH_TORCH_PYTHON
  else
    echo "bench: BENCH_TORCH_PYTHON=$BENCH_TORCH_PYTHON cannot import torch" >&2
  fi
else
  for candidate in .venv-bench/bin/python /opt/torchref/bin/python "$PY"; do
    if has_torch "$candidate"; then
      TORCH_PY=$candidate
      break
    fi
  done
fi

# The workers run in bench/: a relative path (.venv-bench/bin/python) must become absolute. (Not
# realpath: resolving the venv's symlink would lose the venv and its torch.)
case "$TORCH_PY" in
  "" | /*) ;;
  *) TORCH_PY="$PWD/$TORCH_PY" ;;
esac

echo "bench: threads: torch.set_num_threads(1), OMP/MKL/OPENBLAS_NUM_THREADS=1" >&2
exec env BENCH_TORCH_PYTHON="$TORCH_PY" "$PY" bench/driver.py "$@"
