#!/usr/bin/env bash
# Runs peers.py in its own venv (created on first use; PyTorch from PyPI is large, ~6 GB with CUDA wheels).
# Builds and runs no Pare binary (Python peers only; side_by_side.sh runs Pare beside it).
# Single-threaded by default, like `pare bench`. OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are unset for this
# run only: they slow a current NumPy (see the machine notes), and the comparison must be fair to NumPy.
set -euo pipefail
venv="${PARE_BENCH_VENV:-$HOME/.cache/pare-bench-venv}"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q torch numpy scipy safetensors threadpoolctl
fi
threads="${THREADS:-1}"
exec env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OMP_NUM_THREADS="$threads" OPENBLAS_NUM_THREADS="$threads" \
  MKL_NUM_THREADS="$threads" "$venv/bin/python" "$(dirname "$0")/peers.py" --threads "$threads" "$@"
