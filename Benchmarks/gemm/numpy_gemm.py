#!/usr/bin/env python3
"""Single-thread NumPy/OpenBLAS f32 GEMM throughput on the LeNet-300-100 shapes.

The baseline that `Gemm.sgemm` (PareKernels) is compared with. Run from anywhere:

    python3 Benchmarks/gemm/numpy_gemm.py [--thread-time]

--thread-time times with the calling thread's CPU clock (time.thread_time) instead of the wall clock:
what `pare bench` uses, so a busy machine does not slow one side only (OpenBLAS runs in the calling
thread with OPENBLAS_NUM_THREADS=1).

The script re-executes itself with OPENBLAS_NUM_THREADS=1 (thread count is read when OpenBLAS
loads, so it must be set before numpy is imported) and with OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE
removed, so OpenBLAS picks its own kernel for this CPU.
"""
import os
import sys

_PINNED = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
_UNSET = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")

if any(os.environ.get(k) != v for k, v in _PINNED.items()) or any(k in os.environ for k in _UNSET):
    env = {k: v for k, v in os.environ.items() if k not in _UNSET}
    env.update(_PINNED)
    os.execve(sys.executable, [sys.executable] + sys.argv, env)

import time  # noqa: E402

CLOCK = time.thread_time if "--thread-time" in sys.argv else time.perf_counter

import numpy as np  # noqa: E402

# (label, m, n, k, transA, transB): C[m×n] = op(A)·op(B), op(A) m×k, op(B) k×n, row-major.
SHAPES = []
for batch in (1, 64, 256):
    SHAPES += [
        (f"fwd1  B={batch}", batch, 300, 784, False, True),   # X·W1ᵀ
        (f"fwd2  B={batch}", batch, 100, 300, False, True),   # H1·W2ᵀ
        (f"fwd3  B={batch}", batch, 10, 100, False, True),    # H2·W3ᵀ
    ]
for batch in (64, 256):
    SHAPES += [
        (f"dW1   B={batch}", 300, 784, batch, True, False),   # dYᵀ·X
        (f"dX2   B={batch}", batch, 300, 100, False, False),  # dY·W2
    ]


def operands(m, n, k, trans_a, trans_b, rng):
    a = rng.standard_normal((k, m) if trans_a else (m, k), dtype=np.float32)
    b = rng.standard_normal((n, k) if trans_b else (k, n), dtype=np.float32)
    return (a.T if trans_a else a), (b.T if trans_b else b)


def measure(m, n, k, trans_a, trans_b, min_seconds=0.2):
    rng = np.random.default_rng(0)
    a, b = operands(m, n, k, trans_a, trans_b, rng)
    out = np.empty((m, n), dtype=np.float32)
    np.matmul(a, b, out=out)  # warm-up
    reps, best = 1, float("inf")
    # Grow the repeat count until one timing lasts long enough, then keep the best of 5.
    while True:
        start = CLOCK()
        for _ in range(reps):
            np.matmul(a, b, out=out)
        elapsed = CLOCK() - start
        if elapsed >= min_seconds / 5:
            break
        reps *= 2
    for _ in range(5):
        start = CLOCK()
        for _ in range(reps):
            np.matmul(a, b, out=out)
        best = min(best, (CLOCK() - start) / reps)
    return best, 2.0 * m * n * k / best / 1e9


def main():
    clock = "thread CPU time" if CLOCK is time.thread_time else "wall time"
    print(f"numpy {np.__version__}, OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}, {clock}")
    print(f"{'shape':12} {'m':>5} {'n':>5} {'k':>5} {'tA':>3} {'tB':>3} {'µs':>10} {'GFLOP/s':>9}")
    for label, m, n, k, ta, tb in SHAPES:
        seconds, gflops = measure(m, n, k, ta, tb)
        print(f"{label:12} {m:5d} {n:5d} {k:5d} {int(ta):3d} {int(tb):3d} {seconds * 1e6:10.2f} {gflops:9.1f}")


if __name__ == "__main__":
    main()
