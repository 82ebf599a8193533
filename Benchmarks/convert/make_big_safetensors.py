#!/usr/bin/env python3
"""Writes a large f32 safetensors file (default ~2 GiB) one tensor at a time (never all in memory).

Usage: make_big_safetensors.py OUT [--gib 2] [--rows 4096] [--cols 4096]   (needs NumPy; see run.sh)
"""
import argparse, json, struct
import numpy as np

def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--gib", type=float, default=2.0)
    p.add_argument("--rows", type=int, default=4096)
    p.add_argument("--cols", type=int, default=4096)
    a = p.parse_args()
    tensor_bytes = a.rows * a.cols * 4
    count = max(1, int(a.gib * (1 << 30)) // tensor_bytes)
    header, offset = {}, 0
    for i in range(count):
        header[f"layers.{i:03d}.weight"] = {"dtype": "F32", "shape": [a.rows, a.cols], "data_offsets": [offset, offset + tensor_bytes]}
        offset += tensor_bytes
    header["__metadata__"] = {"source": "make_big_safetensors.py"}
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    rng = np.random.default_rng(42)
    with open(a.out, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for _ in range(count):
            f.write(rng.standard_normal((a.rows, a.cols), dtype=np.float32).__mul__(np.float32(0.05)).astype("<f4").tobytes())
    print(f"wrote {a.out}: {count} tensors, {offset + 8 + len(text)} bytes")

if __name__ == "__main__":
    main()
