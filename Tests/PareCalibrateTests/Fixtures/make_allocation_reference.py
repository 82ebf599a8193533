"""NumPy reference for SparsityAllocation (tests never run this).

Writes allocation_reference.npz beside this script: 12 damage curves (counts, levels 0.25 / 0.5 / 0.75,
damage per level; one with a dip, one negative) and the sparsities the same algorithm gives for 50 %
overall in steps of 1/64: each curve's lower convex hull through (0, 0), then repeatedly one step
more for the curve adding the least damage per weight removed (ties: the lower index) until half of
all the weights are removed.

    /work/venvs/bert/bin/python make_allocation_reference.py
"""
import os
import numpy as np

rng = np.random.default_rng(50)
levels = np.array([0.25, 0.5, 0.75])
counts = rng.choice([64, 256, 1024], size=12).astype(np.float64)
slope = np.exp(rng.standard_normal(12))
damage = np.stack([slope * (0.02 * s + 0.2 * s ** 3) for s in levels], axis=1)
damage[3, 1] = damage[3, 0] * 0.9  # a dip: the hull bridges it
damage[7, 0] = -1e-4               # noise: counts as 0
overall, step = 0.5, 1 / 64


def hull(curve):
    pts = [(0.0, 0.0)] + sorted((s, max(d, 0.0)) for s, d in zip(levels, curve))
    h = []
    for p in pts:
        while len(h) >= 2:
            a, b = h[-2], h[-1]
            if (b[1] - a[1]) * (p[0] - a[0]) >= (p[1] - a[1]) * (b[0] - a[0]):
                h.pop()
            else:
                break
        h.append(p)
    return np.array(h)


hulls = [hull(c) for c in damage]
def f(t, s):
    h = hulls[t]
    return float(np.interp(s, h[:, 0], h[:, 1]))

steps = np.zeros(12, dtype=np.int64)
removed = 0.0
while removed < overall * counts.sum() - 0.5:
    costs = [(f(t, (steps[t] + 1) * step) - f(t, steps[t] * step)) / counts[t]
             if (steps[t] + 1) * step <= hulls[t][-1, 0] + 1e-9 else np.inf for t in range(12)]
    t = int(np.argmin(costs))  # first of equal minima
    steps[t] += 1
    removed += counts[t] * step
expected = steps * step
np.savez(os.path.join(os.path.dirname(os.path.abspath(__file__)), "allocation_reference.npz"),
         counts=counts, levels=levels, damage=damage, expected=expected, overall=np.array([overall]), step=np.array([step]))
print(expected, (expected * counts).sum() / counts.sum())
