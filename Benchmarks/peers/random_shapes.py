"""NumPy dense and SciPy CSR timings of LeNet-300-100-shaped random weights (784-300-100-10, relu),
magnitude-pruned per layer to 0 / 90 / 95%: the same shapes RuntimeBenchmark.run measures for Pare.
Batch-1 latency and batch-256 time per sample, median of 21 blocks, thread CPU time and wall time.
Run single-threaded: OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 python random_shapes.py"""
import time, numpy as np, scipy.sparse as sp, sys
rng = np.random.default_rng(42)
sizes = [784, 300, 100, 10]
def med(fn, reps, inner, clock):
    fn(); ts = []
    for _ in range(reps):
        s = clock(); [fn() for _ in range(inner)]; ts.append((clock() - s) / inner)
    ts.sort(); return ts[len(ts) // 2]
for clockname, clock in (("thread-cpu", time.thread_time), ("wall", time.perf_counter)):
  for sparsity in (0.0, 0.9, 0.95):
    Ws = []
    for l in range(3):
        w = (rng.uniform(-1, 1, (sizes[l+1], sizes[l])) / np.sqrt(sizes[l])).astype(np.float32)
        if sparsity: w[np.abs(w) < np.quantile(np.abs(w), sparsity)] = 0
        Ws.append(w)
    bs = [rng.uniform(-.1, .1, s).astype(np.float32) for s in sizes[1:]]
    csr = [sp.csr_matrix(w) for w in Ws]
    x1 = rng.uniform(0, 255, (1, 784)).astype(np.float32); x256 = rng.uniform(0, 255, (256, 784)).astype(np.float32)
    def dense(x):
        h = x / 255
        for i, (w, b) in enumerate(zip(Ws, bs)):
            h = h @ w.T + b
            if i < 2: h = np.maximum(h, 0)
        return h
    def sparse(x):
        h = (x / 255).T
        for i, (w, b) in enumerate(zip(csr, bs)):
            h = (w @ h) + b[:, None]
            if i < 2: h = np.maximum(h, 0)
        return h
    for name, f in (("numpy dense", dense), ("scipy csr", sparse)):
        if name == "scipy csr" and sparsity == 0: continue
        t1 = med(lambda: f(x1), 21, 200, clock); t256 = med(lambda: f(x256), 21, 5, clock) / 256
        print(f"{clockname:10s} {int(sparsity*100):3d}% {name:12s} b1 {t1*1e6:7.2f} us   b256 {t256*1e6:7.3f} us/sample")
