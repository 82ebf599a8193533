#!/usr/bin/env python3
"""PyTorch `quantize_dynamic` (int8 weights, activations quantized per call; fbgemm) on a LeNet-300-100
of the shapes `pare bench` times (784-300-100-10, ReLU between), for int8_vs_pytorch.sh.

    python3 quantize_dynamic.py [--threads N]

Weights and inputs are seeded uniform values: the time of a dense int8 product does not depend on
them. Clock: the calling thread's CPU time (time.thread_time), as `pare bench` (PyTorch at 1 thread
computes on the calling thread). Prints one JSON line: µs per sample at batch 1 and batch 256, medians.
"""
import argparse, json, time

import torch

from peers import median_time  # this folder is on sys.path when run as a script


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    sizes = [784, 300, 100, 10]
    layers = []
    for i, (n_in, n_out) in enumerate(zip(sizes, sizes[1:])):
        layers.append(torch.nn.Linear(n_in, n_out))
        if i + 2 < len(sizes):
            layers.append(torch.nn.ReLU())
    model = torch.ao.quantization.quantize_dynamic(torch.nn.Sequential(*layers).eval(), {torch.nn.Linear}, dtype=torch.qint8)
    x = torch.rand(256, sizes[0])
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
