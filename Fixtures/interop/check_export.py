#!/usr/bin/env python3
"""Checks a safetensors file Pare exported with the reference `safetensors` loader.

    check_export.py EXPORTED.safetensors ORIGINAL [--atol A] [--rtol R] [--bounds BOUNDS.json]

ORIGINAL is a .safetensors, .npz or .npy file holding the tensors before compression. Every tensor
of ORIGINAL must be in EXPORTED with the same shape, and |exported - original| must stay within
atol + rtol * |original| element-wise, or within the per-tensor maximum absolute error given in
BOUNDS.json ({"name": bound, ...}), which overrides atol/rtol for the tensors it names. Prints one
line per tensor (max abs error, bound, verdict) and exits 1 if any tensor fails, 2 on a load error.

Needs numpy and safetensors (venv outside the repo, see make_interop.py).
"""
import argparse
import json
import os
import sys

import numpy as np
from safetensors.numpy import load_file


def load_original(path):
    if path.endswith(".safetensors"):
        return load_file(path)
    if path.endswith(".npz"):
        with np.load(path, allow_pickle=False) as archive:
            return {name: archive[name] for name in archive.files}
    if path.endswith(".npy"):
        name = os.path.basename(path)[: -len(".npy")]
        return {name: np.load(path, allow_pickle=False)}
    raise SystemExit(f"unknown original format: {path}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("exported")
    parser.add_argument("original")
    parser.add_argument("--atol", type=float, default=0.0)
    parser.add_argument("--rtol", type=float, default=0.0)
    parser.add_argument("--bounds", help="JSON object: tensor name -> max abs error allowed")
    args = parser.parse_args()
    try:
        exported = load_file(args.exported)  # the reference loader: validates the whole header
        original = load_original(args.original)
    except Exception as error:  # noqa: BLE001 - report any load failure plainly
        print(f"load failed: {error}")
        return 2
    bounds = {}
    if args.bounds:
        with open(args.bounds) as f:
            bounds = json.load(f)
    failures = 0
    print(f"{'tensor':40} {'shape':>16} {'max abs err':>12} {'bound':>12}  verdict")
    for name in sorted(original):
        want = original[name]
        if name not in exported:
            print(f"{name:40} {'':>16} {'':>12} {'':>12}  MISSING")
            failures += 1
            continue
        got = exported[name]
        if tuple(got.shape) != tuple(want.shape):
            print(f"{name:40} {str(tuple(got.shape)):>16} {'':>12} {'':>12}  SHAPE (want {tuple(want.shape)})")
            failures += 1
            continue
        w = want.astype(np.float64)
        g = got.astype(np.float64)
        err = np.abs(g - w)
        worst = float(err.max()) if err.size else 0.0
        if name in bounds:
            bound = float(bounds[name])
            ok = bool(np.all(err <= bound))
            shown = f"{bound:.3g}"
        else:
            allowed = args.atol + args.rtol * np.abs(w)
            ok = bool(np.all(err <= allowed))
            shown = f"{args.atol:.3g}+{args.rtol:.3g}r"
        ok = ok and not (np.isnan(g).any() and not np.isnan(w).any())
        failures += 0 if ok else 1
        print(f"{name:40} {str(tuple(got.shape)):>16} {worst:12.4g} {shown:>12}  {'ok' if ok else 'FAIL'}")
    extra = sorted(set(exported) - set(original))
    if extra:
        print(f"note: {len(extra)} tensors only in the export: {', '.join(extra[:10])}")
    print(f"{len(original) - failures}/{len(original)} tensors within bound")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
