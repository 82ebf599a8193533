#!/usr/bin/env python3
"""PyTorch `quantize_dynamic` (int8 weights, activations quantized per call; fbgemm) on Pare's own dense
LeNet-300-100, timed like `pare bench`'s runtime rows, for the side-by-side in int8_vs_pytorch.sh.

    python3 quantize_dynamic.py WEIGHTS.npz [--threads N]

WEIGHTS.npz comes from `pare export dense-f32.pare --to npz` (fc1.weight, fc1.bias, …), so both engines
multiply the same matrices. Inputs: 256 rows of uniform [0, 1) values (timing does not depend on them).
Clock: the calling thread's CPU time (time.thread_time), as `pare bench` (PyTorch at 1 thread computes
on the calling thread). Prints one JSON line: µs per sample at batch 1 and batch 256, medians.
"""
import argparse, json, time

import numpy as np
import torch

from peers import median_time  # this folder is on sys.path when run as a script


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("weights")
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    npz = np.load(args.weights)
    names = sorted({k.rsplit(".", 1)[0] for k in npz.files if k.endswith("weight")})
    layers = []
    for i, name in enumerate(names):
        w = torch.from_numpy(npz[f"{name}.weight"].astype(np.float32))
        linear = torch.nn.Linear(w.shape[1], w.shape[0])
        with torch.no_grad():
            linear.weight.copy_(w)
            linear.bias.copy_(torch.from_numpy(npz[f"{name}.bias"].astype(np.float32)))
        layers.append(linear)
        if i + 1 < len(names):
            layers.append(torch.nn.ReLU())
    model = torch.ao.quantization.quantize_dynamic(torch.nn.Sequential(*layers).eval(), {torch.nn.Linear}, dtype=torch.qint8)
    x = torch.from_numpy(np.random.default_rng(0).random((256, layers[0].in_features), dtype=np.float32))
    x1 = x[:1]
    with torch.no_grad():
        for _ in range(20):
            model(x)
        b1 = median_time(lambda: model(x1), 31, 50, clock=time.thread_time)
        b256 = median_time(lambda: model(x), 21, 3, clock=time.thread_time) / 256
    print(json.dumps({"torch": torch.__version__, "threads": args.threads,
                      "batch1_us": b1 * 1e6, "batch256_us_per_sample": b256 * 1e6}))


if __name__ == "__main__":
    main()
