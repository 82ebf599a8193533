#!/usr/bin/env python3
"""Writes the interop fixtures in this directory with the real Python libraries.

Run from anywhere (needs numpy and safetensors, in a venv outside the repo):
    python3 -m venv ~/.cache/pare-venv && ~/.cache/pare-venv/bin/pip install numpy safetensors
    ~/.cache/pare-venv/bin/python Fixtures/interop/make_interop.py

Every value is exactly representable in its dtype and in f32, so the Swift tests compare exactly,
against expected.json, without Python.
"""
import json
import os

import numpy as np
from safetensors.numpy import save_file

HERE = os.path.dirname(os.path.abspath(__file__))


def tensors():
    return {
        "fc1.weight": (np.arange(32, dtype=np.float32) * 0.25 - 4).reshape(4, 8),
        "fc1.bias": np.arange(8, dtype=np.float32) / 16,
        "emb": (np.arange(15, dtype=np.float16) / 8).reshape(3, 5),
        "ids": np.array([-2, -1, 0, 1, 2**40], dtype=np.int64),
        "mask": np.array([[True, False, True], [False, False, True]]),
        "bytes": np.arange(7, dtype=np.uint8) * 37,
        "small": np.array([-128, -1, 0, 127], dtype=np.int8),
        "counts": np.array([[-70000, 3], [5, 70000]], dtype=np.int32),
        "halves": np.array([-300, 0, 300], dtype=np.int16),
        "wide": np.array([0.5, -1.25, 1e30], dtype=np.float64),
        "scalar": np.array(3.5, dtype=np.float32),
        "empty": np.zeros((0, 4), dtype=np.float32),
    }


def main():
    arrays = tensors()
    # One metadata key: the reference writer keeps metadata in a hash map (random order), so only
    # a single key gives bytes Pare's writer (sorted keys) can be compared with byte for byte.
    metadata = {"source": "make_interop.py"}
    save_file(arrays, os.path.join(HERE, "model.safetensors"), metadata=metadata)
    np.savez(os.path.join(HERE, "arrays.npz"), **arrays)
    np.savez_compressed(os.path.join(HERE, "arrays_compressed.npz"), **arrays)
    np.save(os.path.join(HERE, "weight.npy"), arrays["fc1.weight"])
    for version in [(2, 0), (3, 0)]:
        with open(os.path.join(HERE, f"weight_v{version[0]}.npy"), "wb") as f:
            np.lib.format.write_array(f, arrays["fc1.weight"], version=version)
    np.save(os.path.join(HERE, "scalar.npy"), arrays["scalar"])
    np.save(os.path.join(HERE, "fortran.npy"), np.asfortranarray(arrays["fc1.weight"]))
    np.save(os.path.join(HERE, "bigendian.npy"), arrays["fc1.weight"].astype(">f4"))
    # Both at once, rank 3: row-major values are arange(24) - 12.
    np.save(os.path.join(HERE, "fortran_bigendian3d.npy"),
            np.asfortranarray((np.arange(24) - 12).reshape(2, 3, 4).astype(">i2")))
    expected = {
        name: {
            "dtype": str(a.dtype),
            "shape": list(a.shape),
            "values": [float(v) for v in a.reshape(-1)],
        }
        for name, a in arrays.items()
    }
    with open(os.path.join(HERE, "expected.json"), "w") as f:
        json.dump({"metadata": metadata, "tensors": expected}, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
