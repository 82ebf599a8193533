#!/usr/bin/env python3
"""Loads Pare-written files with the reference Python libraries and compares them to the fixtures.

    PARE_INTEROP_OUT=/tmp/pare-out swift test --filter writesFilesForThePythonCheck
    ~/.cache/pare-venv/bin/python Fixtures/interop/check_pare_output.py /tmp/pare-out

Exits 1 if any tensor differs from expected.json.
"""
import json
import os
import sys

import numpy as np
from safetensors import safe_open
from safetensors.numpy import load_file

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    out = sys.argv[1]
    with open(os.path.join(HERE, "expected.json")) as f:
        expected = json.load(f)["tensors"]
    failures = 0
    with np.load(os.path.join(out, "pare.npz"), allow_pickle=False) as archive:
        npz = {name: archive[name] for name in archive.files}
    sources = {"pare.safetensors": load_file(os.path.join(out, "pare.safetensors")), "pare.npz": npz}
    for label, tensors in sources.items():
        for name, want in expected.items():
            got = tensors.get(name)
            ok = got is not None and str(got.dtype) == want["dtype"] and list(got.shape) == want["shape"] \
                and [float(v) for v in got.reshape(-1)] == want["values"]
            failures += 0 if ok else 1
            print(f"{label:18} {name:12} {'ok' if ok else 'FAIL'}")
    with safe_open(os.path.join(out, "pare.safetensors"), framework="np") as f:
        print("metadata:", f.metadata())
    weight = np.load(os.path.join(out, "pare_weight.npy"), allow_pickle=False)
    ok = [float(v) for v in weight.reshape(-1)] == expected["fc1.weight"]["values"]
    failures += 0 if ok else 1
    print(f"{'pare_weight.npy':18} {'fc1.weight':12} {'ok' if ok else 'FAIL'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
