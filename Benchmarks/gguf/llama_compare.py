#!/usr/bin/env python3
"""Prints the table of Benchmarks/gguf/llama_compare.sh from its work directory: per GGUF file, the
cosine between Pare's and llama.cpp's embedding of each text (and llama.cpp's of the file's weights
dequantized to F32, which takes llama.cpp's own activation quantization out), each one's cosine to
sentence-transformers,
and how Pare stored the file's tensor types."""
import collections
import json
import sys

import numpy as np
import gguf

work = sys.argv[1]
st = np.load(f"{work}/st.npy")


def cos(a, b):
    return (a * b).sum(1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


print("| GGUF file (llama.cpp) | tensor types | Pare stored them as | cosine Pare ↔ llama.cpp, mean / min | "
      "Pare ↔ llama.cpp on the weights dequantized to F32, mean / min | "
      "Pare ↔ sentence-transformers f32, mean | llama.cpp ↔ sentence-transformers f32, mean |")
print("|---|---|---|---|---|---|---|")
for t in ["f32", "q8_0", "q4_0", "q4_k_m"]:
    llama = np.array(json.load(open(f"{work}/llama-{t}.json")), dtype=np.float64)
    pare = np.load(f"{work}/pare-{t}.npy").astype(np.float64)
    assert llama.shape == pare.shape, (t, llama.shape, pare.shape)
    reader = gguf.GGUFReader(f"{work}/llama-{t}.gguf")
    types = collections.Counter(x.tensor_type.name for x in reader.tensors)
    report = json.load(open(f"{work}/pare-convert-{t}.json"))
    rows = report.get("tensors", [])
    stored = collections.Counter(r.get("encoding", "?") for r in rows)
    c = cos(pare, llama)
    try:
        d = cos(pare, np.array(json.load(open(f"{work}/llama-deq-{t}.json")), dtype=np.float64))
        deq = f"{d.mean():.7f} / {d.min():.7f}"
    except FileNotFoundError:
        deq = "(same file)"
    print(f"| llama-{t}.gguf | {', '.join(f'{n} {k}' for k, n in types.most_common())} | "
          f"{', '.join(f'{n} {k}' for k, n in stored.most_common())} | {c.mean():.7f} / {c.min():.7f} | {deq} | "
          f"{cos(pare, st).mean():.5f} | {cos(llama, st).mean():.5f} |")
