#!/usr/bin/env python3
"""Writes the GGUF fixtures Pare's tests read, with gguf-py (the `gguf` package on PyPI).

    python3 -m venv /work/venvs/gguf && /work/venvs/gguf/bin/pip install gguf numpy
    /work/venvs/gguf/bin/python Fixtures/gguf/make_fixtures.py

Files (all little-endian, seed 13, deterministic):
  types-v3.gguf       one tensor per ggml type Pare decodes (F32 F16 BF16 Q8_0 Q4_0 Q4_1 Q5_0 Q5_1
                      Q2_K Q3_K Q4_K Q5_K Q6_K Q8_K), a 3-D F32 and a 1-D F32 tensor, and metadata of
                      every GGUF value type including an empty and a nested array. Types gguf-py can
                      quantize are quantized from random values; the k-quants (which gguf-py only
                      dequantizes) are random block bytes with finite, moderate f16/f32 scales.
  types-v3.npz        gguf-py's dequantization of every tensor (float32, NumPy shape = GGUF dims reversed);
                      Q8_K, which gguf-py does not dequantize, by ggml's formula d * q.
  types-v2.gguf       the same bytes with version 2 (v3 only added big-endian files; the layout is equal).
  align64.gguf        general.alignment = 64, a few tensors, to check the alignment is honoured.
  done-when.gguf      F32, F16, Q8_0, Q4_0 and Q6_K tensors (issue 13's done-when file).
  bigendian.gguf      a big-endian file gguf-py writes; Pare must refuse it by byte order.
  split-0000N-of-00003.gguf   one model split over three files by gguf-py's own splitter.
"""
import os
import sys

import numpy as np
import gguf
from gguf import GGMLQuantizationType as T, GGUFValueType as V

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(13)


def random_k_blocks(qtype, n_blocks):
    """Random bytes for `n_blocks` blocks of a k-quant, with its scale fields set to finite f16 / f32."""
    _, type_size = gguf.GGML_QUANT_SIZES[qtype]
    blocks = rng.integers(0, 256, size=(n_blocks, type_size), dtype=np.uint8)
    def put_f16(col, lo=0.001, hi=0.05):
        blocks[:, col:col + 2] = rng.uniform(lo, hi, n_blocks).astype(np.float16).view(np.uint8).reshape(n_blocks, 2)
    if qtype in (T.Q4_K, T.Q5_K):
        put_f16(0); put_f16(2)
    elif qtype == T.Q2_K:
        put_f16(80); put_f16(82)
    elif qtype == T.Q3_K:
        put_f16(108)
    elif qtype == T.Q6_K:
        put_f16(208)
    elif qtype == T.Q8_K:
        blocks[:, 0:4] = rng.uniform(0.001, 0.05, n_blocks).astype(np.float32).view(np.uint8).reshape(n_blocks, 4)
    return blocks


def dequantize(raw, qtype):
    if qtype == T.Q8_K:  # ggml's dequantize_row_q8_K: y = d * q (bsums unused)
        blocks = raw.reshape(-1, 292)
        d = blocks[:, 0:4].copy().view(np.float32)
        q = blocks[:, 4:260].view(np.int8).astype(np.float32)
        return (d * q).astype(np.float32)
    if qtype == T.BF16:
        return gguf.quants.dequantize(raw.view(np.uint8), qtype)
    return gguf.quants.dequantize(raw, qtype)


def tensor_data(qtype, shape):
    """(bytes as stored, reference f32 values) for a tensor of NumPy `shape` and ggml type `qtype`."""
    values = rng.standard_normal(shape).astype(np.float32)
    if qtype == T.F32:
        return values, values
    if qtype == T.F16:
        stored = values.astype(np.float16)
        return stored, stored.astype(np.float32)
    if qtype in (T.Q2_K, T.Q3_K, T.Q4_K, T.Q5_K, T.Q6_K, T.Q8_K):
        block, size = gguf.GGML_QUANT_SIZES[qtype]
        n_blocks = int(np.prod(shape)) // block
        stored = random_k_blocks(qtype, n_blocks).reshape(*shape[:-1], shape[-1] // block * size)
    else:
        stored = gguf.quants.quantize(values, qtype)
    reference = dequantize(stored, qtype).reshape(shape).astype(np.float32)
    return stored, reference


def add_metadata(writer):
    writer.add_key_value("test.u8", 200, V.UINT8)
    writer.add_key_value("test.i8", -100, V.INT8)
    writer.add_key_value("test.u16", 60000, V.UINT16)
    writer.add_key_value("test.i16", -30000, V.INT16)
    writer.add_key_value("test.u32", 4000000000, V.UINT32)
    writer.add_key_value("test.i32", -2000000000, V.INT32)
    writer.add_key_value("test.f32", 0.1, V.FLOAT32)
    writer.add_key_value("test.bool", True, V.BOOL)
    writer.add_key_value("test.string", "héllo, GGUF", V.STRING)
    writer.add_key_value("test.u64", 18446744073709551615, V.UINT64)
    writer.add_key_value("test.i64", -9000000000000000000, V.INT64)
    writer.add_key_value("test.f64", 2.718281828459045, V.FLOAT64)
    writer.add_key_value("test.array.u8", [1, 2, 255], V.ARRAY, sub_type=V.UINT8)
    writer.add_key_value("test.array.i32", [-1, 0, 7], V.ARRAY, sub_type=V.INT32)
    writer.add_key_value("test.array.f32", [0.5, -1.25], V.ARRAY, sub_type=V.FLOAT32)
    writer.add_key_value("test.array.bool", [True, False], V.ARRAY, sub_type=V.BOOL)
    writer.add_key_value("test.array.string", ["a", "[CLS]", "##ing"], V.ARRAY, sub_type=V.STRING)
    writer.add_key_value("test.array.u64", [18446744073709551615, 3], V.ARRAY, sub_type=V.UINT64)
    writer.add_key_value("test.array.nested", [[1, 2], [3]], V.ARRAY, sub_type=V.ARRAY)
    writer.add_key_value("test.array.nested_strings", [["x", "y"], ["z"]], V.ARRAY, sub_type=V.ARRAY)


def write(path, tensors, metadata=True, alignment=None, endianess=gguf.GGUFEndian.LITTLE, **kwargs):
    writer = gguf.GGUFWriter(path, "test", endianess=endianess, **kwargs)
    if alignment:
        writer.add_custom_alignment(alignment)
    if metadata:
        add_metadata(writer)
    for name, (stored, qtype) in tensors.items():
        if endianess == gguf.GGUFEndian.BIG and stored.dtype != np.uint8:
            stored = stored.byteswap()
        writer.add_tensor(name, stored, raw_dtype=qtype if stored.dtype == np.uint8 else None)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


def main():
    legacy = (4, 64)
    kquant = (2, 512)
    specs = [
        ("f32", T.F32, (3, 40)), ("f16", T.F16, (3, 40)), ("bf16", T.BF16, (3, 40)),
        ("q8_0", T.Q8_0, legacy), ("q4_0", T.Q4_0, legacy), ("q4_1", T.Q4_1, legacy),
        ("q5_0", T.Q5_0, legacy), ("q5_1", T.Q5_1, legacy),
        ("q2_k", T.Q2_K, kquant), ("q3_k", T.Q3_K, kquant), ("q4_k", T.Q4_K, kquant),
        ("q5_k", T.Q5_K, kquant), ("q6_k", T.Q6_K, kquant), ("q8_k", T.Q8_K, kquant),
        ("f32_3d", T.F32, (2, 3, 5)), ("f32_1d", T.F32, (7,)), ("q8_0_3d", T.Q8_0, (2, 3, 64)),
    ]
    tensors, references = {}, {}
    for name, qtype, shape in specs:
        stored, reference = tensor_data(qtype, shape)
        if qtype == T.BF16:
            stored = gguf.quants.quantize(reference, T.BF16)
            reference = dequantize(stored, T.BF16).reshape(shape)
        tensors[name] = (stored, qtype)
        references[name] = reference
    write(os.path.join(HERE, "types-v3.gguf"), tensors)
    np.savez(os.path.join(HERE, "types-v3.npz"), **references)
    with open(os.path.join(HERE, "types-v3.gguf"), "rb") as f:
        data = bytearray(f.read())
    data[4:8] = (2).to_bytes(4, "little")
    with open(os.path.join(HERE, "types-v2.gguf"), "wb") as f:
        f.write(data)

    write(os.path.join(HERE, "align64.gguf"), {k: tensors[k] for k in ("f32_1d", "q4_0", "f16")}, metadata=False, alignment=64)
    write(os.path.join(HERE, "done-when.gguf"), {k: tensors[k] for k in ("f32", "f16", "q8_0", "q4_0", "q6_k")}, metadata=False)
    write(os.path.join(HERE, "bigendian.gguf"), {k: tensors[k] for k in ("f32_1d",)}, metadata=False, endianess=gguf.GGUFEndian.BIG)
    for old in os.listdir(HERE):
        if old.startswith("split-"):
            os.remove(os.path.join(HERE, old))
    write(os.path.join(HERE, "split.gguf"), {k: tensors[k] for k in ("f32", "q8_0", "q6_k", "f32_1d", "q4_0")},
          metadata=False, split_max_tensors=2)
    print("wrote", sorted(f for f in os.listdir(HERE) if f.endswith((".gguf", ".npz"))))


if __name__ == "__main__":
    sys.exit(main())
