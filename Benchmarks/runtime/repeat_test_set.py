#!/usr/bin/env python3
"""Copies an IDX data folder (train/test images and labels, gzip) with its test split repeated N times.

A `pare eval` of the bundled 1,000 test images times 2-20 ms (LeNet-300-100, 1 thread), too short on a
VM whose speed drifts by ±30 % from one 10 ms to the next: the repeated set makes each timed run long
enough to average that out.
Accuracy and loss are those of the 1,000 images (each is repeated the same number of times).

    repeat_test_set.py SRC_DIR DST_DIR [COPIES=20]
"""
import gzip, os, struct, sys

src, dst = sys.argv[1], sys.argv[2]
copies = int(sys.argv[3]) if len(sys.argv) > 3 else 20
os.makedirs(dst, exist_ok=True)
for kind in ("images-idx3", "labels-idx1"):
    for split in ("train", "test"):
        data = gzip.open(f"{src}/{split}-{kind}-ubyte.gz").read()
        dims = data[3]
        shape = list(struct.unpack(f">{dims}I", data[4:4 + 4 * dims]))
        body = data[4 + 4 * dims:]
        n = copies if split == "test" else 1
        shape[0] *= n
        gzip.open(f"{dst}/{split}-{kind}-ubyte.gz", "wb", compresslevel=1).write(
            data[:4] + struct.pack(f">{dims}I", *shape) + body * n)
