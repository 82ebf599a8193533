"""NumPy reference for PareCalibrate's methods on one fixed small layer (tests never run this).

Writes reference.npz beside this script: inputs W [8, 64] f32 and X [96, 64] f32 (columns with
different energies so importance matters), and the expected outputs of the same algorithms
LayerCompressor implements — Wanda, magnitude, SparseGPT (unstructured / 2:4 / joint Q4_0), GPTQ
(Q4_0 with importance-searched block scales, int8 per channel), imatrix RTN — plus H and the
upper Cholesky factor U of the damped H⁻¹.

    /work/venvs/calib/bin/python make_reference.py
"""
import os
import numpy as np

rng = np.random.default_rng(15)
rows, cols, tokens = 8, 64, 96
W = (rng.standard_normal((rows, cols)) * 0.1).astype(np.float32)
X = (rng.standard_normal((tokens, cols)) * np.exp(rng.standard_normal(cols))).astype(np.float32)
X[:, 5] = 0  # a dead column: no calibration input reaches it
H = X.astype(np.float64).T @ X.astype(np.float64)

def f16(x):
    return float(np.float16(np.float32(x)))

def q4_round(x, d):
    if d == 0: return np.zeros_like(x)
    level = np.clip(np.trunc(x / d + 8.5), 0, 15)
    return d * (level - 8)

def i8_round(x, d):
    if d == 0: return np.zeros_like(x)
    r = np.sign(x / d) * np.floor(np.abs(x / d) + 0.5)
    return d * np.clip(r, -127, 127)

GRIDS = {
    "q4_0": dict(width=32, round=q4_round, stored=f16,
                 default=lambda v: f16(np.float32(v[np.argmax(np.abs(v))]) / np.float32(-8)) if len(v) else 0.0),
    "int8": dict(width=None, round=i8_round, stored=lambda d: float(np.float32(d)),
                 default=lambda v: float(np.float32(np.max(np.abs(v))) / np.float32(127))),
    "none": None,
}

def default_scale(grid, v):
    g = GRIDS[grid]
    # the first value of largest magnitude, with its sign
    if grid == "q4_0":
        m = 0.0
        for x in v:
            if abs(x) > abs(m): m = x
        return f16(np.float32(m) / np.float32(-8))
    return g["default"](v)

def searched_scale(grid, v, imp):
    g = GRIDS[grid]
    base = default_scale(grid, v)
    if base == 0: return base
    def err(d):
        r = v - g["round"](v, d)
        return float(np.sum(imp * r * r))
    best, best_e = base, err(base)
    for step in range(-10, 11):
        if step == 0: continue
        c = g["stored"](base * (1 + 0.02 * step))
        e = err(c)
        if e < best_e: best, best_e = c, e
    return best

def prune_rows(scores, mask, lo, hi, pattern):
    kind, a, b = pattern
    for r in range(scores.shape[0]):
        if kind == "u":
            count = int(np.floor(a * (hi - lo)))
            order = np.argsort(scores[r, lo:hi], kind="stable")[:count] + lo
            mask[r, order] = True
        else:
            n, m = a, b
            for s in range(lo, hi, m):
                e = min(s + m, hi)
                order = np.argsort(scores[r, s:e], kind="stable")[:max(e - s - n, 0)] + s
                mask[r, order] = True

def damped_inverse_factor(H, percent=0.01):
    A = H.copy()
    dead = [j for j in range(A.shape[0]) if A[j, j] == 0]
    for j in dead: A[j, j] = 1
    lam = percent * np.mean(np.diag(A))
    A = A + lam * np.eye(A.shape[0])
    U = np.linalg.cholesky(np.linalg.inv(A)).T
    return U, dead

def compress(W, H, prune=None, pattern=("u", 0.0, 0), quant="rtn", grid="none", mask_block=128):
    w = W.astype(np.float64).copy()
    rows, cols = w.shape
    imp = np.diag(H).copy()
    mask = np.zeros(w.shape, bool)
    if prune == "magnitude":
        prune_rows(np.abs(w), mask, 0, cols, pattern)
    elif prune == "wanda":
        prune_rows(np.abs(w) * np.sqrt(imp)[None, :], mask, 0, cols, pattern)
    width = GRIDS[grid]["width"] if grid != "none" else None
    width = width or cols
    per_row = cols // width
    scales = np.zeros((rows, per_row))
    searched = quant != "rtn"
    def choose(b):
        lo, hi = b * width, (b + 1) * width
        for r in range(rows):
            v = np.where(mask[r, lo:hi], 0.0, w[r, lo:hi])
            scales[r, b] = searched_scale(grid, v, imp[lo:hi]) if searched else default_scale(grid, v)
    def rnd(x, d):
        return x if grid == "none" else GRIDS[grid]["round"](x, d)
    if prune == "sparsegpt" or quant == "gptq":
        U, dead = damped_inverse_factor(H)
        w[:, dead] = 0
        step = mask_block if pattern[0] == "u" else pattern[2]
        for j in range(cols):
            if prune == "sparsegpt" and j % step == 0:
                lo, hi = j, min(j + step, cols)
                scores = np.zeros_like(w)
                d = np.diag(U)[lo:hi]
                scores[:, lo:hi] = w[:, lo:hi] ** 2 / d[None, :] ** 2
                prune_rows(scores, mask, lo, hi, pattern)
            if j % width == 0 and grid != "none":
                choose(j // width)
            x = w[:, j].copy()
            q = np.array([0.0 if mask[r, j] else float(rnd(np.array(x[r]), scales[r, j // width])) for r in range(rows)])
            err = (x - q) / U[j, j]
            w[:, j] = q
            w[:, j + 1:] -= np.outer(err, U[j, j + 1:])
    else:
        w[mask] = 0
        if grid != "none":
            for b in range(per_row): choose(b)
            for r in range(rows):
                for c in range(cols):
                    if not mask[r, c]: w[r, c] = rnd(np.array(w[r, c]), scales[r, c // width])
    return w.astype(np.float32), scales.astype(np.float32), mask

U, _ = damped_inverse_factor(H)
cases = {
    "magnitude_50": dict(prune="magnitude", pattern=("u", 0.5, 0)),
    "wanda_50": dict(prune="wanda", pattern=("u", 0.5, 0)),
    "wanda_2of4": dict(prune="wanda", pattern=("n", 2, 4)),
    "sparsegpt_50": dict(prune="sparsegpt", pattern=("u", 0.5, 0), mask_block=32),
    "sparsegpt_2of4": dict(prune="sparsegpt", pattern=("n", 2, 4)),
    "sparsegpt_50_q4_0": dict(prune="sparsegpt", pattern=("u", 0.5, 0), quant="gptq", grid="q4_0", mask_block=32),
    "gptq_q4_0": dict(quant="gptq", grid="q4_0"),
    "gptq_int8": dict(quant="gptq", grid="int8"),
    "imatrix_q4_0": dict(quant="imatrix", grid="q4_0"),
    "rtn_q4_0": dict(quant="rtn", grid="q4_0"),
}
out = dict(W=W, X=X, H=H, U=U)
for name, kw in cases.items():
    w, s, m = compress(W, H, **kw)
    out[name] = w
    out[name + "_scales"] = s
    err = (w.astype(np.float64) - W) @ X.T.astype(np.float64)
    print(f"{name:20s} output error ‖ΔW·Xᵀ‖ = {np.linalg.norm(err):.4f}  pruned {m.sum()}")
np.savez(os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference.npz"), **out)
