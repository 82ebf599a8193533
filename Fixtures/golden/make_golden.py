#!/usr/bin/env python3
"""Produces the Q8_0 / Q4_0 golden vectors with gguf-py's reference quantizer (gguf/quants.py).

Run from this directory with a venv that has `gguf` and `numpy`
(e.g. python3 -m venv ~/.cache/pare-venv && ~/.cache/pare-venv/bin/pip install gguf numpy):

    ~/.cache/pare-venv/bin/python make_golden.py

Writes (all little-endian):
  input.f32           the value stream (f32), 212 values: 6 full blocks and a partial block of 20
  q8_0.bin / q4_0.bin the blocks gguf-py produces for the stream zero-padded to a multiple of 32
  q8_0.dequant.f32 /  gguf-py's dequantization of those blocks, first 212 values
  q4_0.dequant.f32
Pare's encoders must reproduce the .bin files byte for byte (Tests/PareCodecsTests/GoldenTests.swift).
"""
import numpy as np
from gguf import quants
from gguf.constants import GGMLQuantizationType as T

rng = np.random.default_rng(20261123)
blocks = [
    rng.standard_normal(32),                                            # ordinary weights
    np.array([127, 0.5, 1.5, -2.5, 126.5, -0.5, 3.5, -3.5] + [k + 0.5 for k in range(-12, 12)]),  # .5 ties, d = 1
    np.zeros(32),                                                       # zero scale
    np.array([3.0, -3.0] + list(rng.uniform(-3, 3, 30))),               # +m and -m tie: the first wins
    -np.abs(rng.standard_normal(32)) * 1e-6,                            # f16-subnormal scales
    rng.standard_normal(32) * 1e4,                                      # large values
]
partial = rng.standard_normal(20) * 0.1                                 # a partial last block
stream = np.concatenate(blocks + [partial]).astype(np.float32)
padded = np.concatenate([stream, np.zeros(32 - len(partial), dtype=np.float32)])

stream.tofile("input.f32")
for name, qtype in [("q8_0", T.Q8_0), ("q4_0", T.Q4_0)]:
    packed = quants.quantize(padded, qtype)
    packed.tofile(f"{name}.bin")
    quants.dequantize(packed, qtype).astype(np.float32)[: len(stream)].tofile(f"{name}.dequant.f32")
    print(name, packed.nbytes, "bytes")
