#!/usr/bin/env python3
"""Writes q6k-quantizer.gguf: values and ggml's own Q6_K blocks of them, for Pare's Q6_K quantizer test.

    LLAMA=/path/to/llama.cpp   # vendor/llama.cpp of the PyPI sdist llama-cpp-python 0.3.36
    /work/venvs/bert/bin/python Fixtures/gguf/make_q6k_fixture.py $LLAMA

gguf-py (0.19) dequantizes Q6_K but cannot quantize it, so the reference quantizer is ggml's C
`quantize_row_q6_K_ref` (what llama-quantize runs for Q6_K without an importance matrix): the script
compiles `$LLAMA/ggml/src/ggml-quants.c` with `gcc -O2 -ffp-contract=off` (no fused multiply-add, as a
portable x86-64 build computes) and links it into ggml-ref/kquant_ref.c. Tensors (seed 6, deterministic):
  input        F32 [rows, 512]: Gaussian rows at several magnitudes, values on a half-step grid (exact
               rounding ties), an all-zero block, a block with one live sub-block, sub-blocks a thousand
               times apart (their scales round to 0), values below ggml's 1e-15 group epsilon, values so
               small the f16 block scale underflows, large values (1e6), constant blocks and 16 heavy-tailed rows (Student t, 3 degrees of freedom).
  q6_k         Q6_K, ggml's blocks of `input` (same shape).
  dequantized  F32, gguf-py's dequantization of `q6_k`.
"""
import os
import subprocess
import sys
import tempfile

import numpy as np
import gguf
from gguf import GGMLQuantizationType as T

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(6)


def ggml_q6_k(values, llama):
    src = os.path.join(llama, "ggml")
    with tempfile.TemporaryDirectory() as tmp:
        exe = os.path.join(tmp, "kquant_ref")
        subprocess.run(["gcc", "-O2", "-ffp-contract=off", "-std=gnu11", "-I", os.path.join(src, "include"), "-I", os.path.join(src, "src"),
                        os.path.join(HERE, "ggml-ref", "kquant_ref.c"), os.path.join(HERE, "ggml-ref", "stubs.c"),
                        os.path.join(src, "src", "ggml-quants.c"), "-o", exe, "-lm"], check=True)
        out = subprocess.run([exe, "6"], input=values.astype("<f4").tobytes(), capture_output=True, check=True).stdout
    return np.frombuffer(out, dtype=np.uint8)


def blocks():
    rows = []
    for scale in (1.0, 0.02, 3e-4, 50.0):
        rows += [rng.standard_normal(512) * scale for _ in range(4)]
    rows += [np.round(rng.standard_normal(512) * 8) / 2 for _ in range(4)]  # half steps: exact ties
    special = []
    special.append(np.zeros(256))
    one = np.zeros(256); one[32:48] = rng.standard_normal(16); special.append(one)
    apart = rng.standard_normal(256) * 1e-3; apart[0:16] *= 1e6; special.append(apart)
    special.append(rng.standard_normal(256) * 1e-16)  # below GROUP_MAX_EPS
    special.append(rng.standard_normal(256) * 1e-9)   # f16 d underflows to 0 or subnormal
    special.append(rng.standard_normal(256) * 1e-6)   # subnormal f16 d
    special.append(rng.standard_normal(256) * 1e6)
    special.append(np.full(256, 0.75)); special.append(np.full(256, -3.0))
    alt = np.tile([1.0, -1.0], 128) * np.linspace(0.1, 2, 256); special.append(alt)
    mixed = rng.standard_normal(256); mixed[rng.random(256) < 0.5] = 0; special.append(mixed)
    special.append(rng.standard_normal(256) * 1e-5)
    rows += [np.concatenate(special[i:i + 2]) for i in range(0, len(special), 2)]
    rows += [rng.standard_t(3, 512) * 0.05 for _ in range(16)]  # heavy tails, like real weights
    return np.stack(rows).astype(np.float32)


def main():
    llama = os.path.abspath(sys.argv[1])
    values = blocks()
    q6 = ggml_q6_k(values.reshape(-1), llama).reshape(values.shape[0], -1)
    dequantized = gguf.quants.dequantize(q6, T.Q6_K).astype(np.float32).reshape(values.shape)
    writer = gguf.GGUFWriter(os.path.join(HERE, "q6k-quantizer.gguf"), "test")
    writer.add_tensor("input", values)
    writer.add_tensor("q6_k", q6, raw_dtype=T.Q6_K)
    writer.add_tensor("dequantized", dequantized)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


if __name__ == "__main__":
    main()
