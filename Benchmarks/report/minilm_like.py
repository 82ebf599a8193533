#!/usr/bin/env python3
# MiniLM-L6-shaped safetensors (random weights, all-MiniLM-L6-v2's tensor names and shapes).
import json, random, struct, array, sys
random.seed(1)
H, I, V, P, L = 384, 1536, 30522, 512, 6
shapes = [("embeddings.word_embeddings.weight", [V, H]), ("embeddings.position_embeddings.weight", [P, H]),
          ("embeddings.token_type_embeddings.weight", [2, H]), ("embeddings.LayerNorm.weight", [H]), ("embeddings.LayerNorm.bias", [H])]
for l in range(L):
    p = f"encoder.layer.{l}."
    for part in ["attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"]:
        shapes += [(p + part + ".weight", [H, H]), (p + part + ".bias", [H])]
    shapes += [(p + "attention.output.LayerNorm.weight", [H]), (p + "attention.output.LayerNorm.bias", [H]),
               (p + "intermediate.dense.weight", [I, H]), (p + "intermediate.dense.bias", [I]),
               (p + "output.dense.weight", [H, I]), (p + "output.dense.bias", [H]),
               (p + "output.LayerNorm.weight", [H]), (p + "output.LayerNorm.bias", [H])]
shapes += [("pooler.dense.weight", [H, H]), ("pooler.dense.bias", [H])]
header, offset, blobs = {}, 0, []
base = array.array("f", (random.gauss(0, 0.04) for _ in range(1 << 20)))
for name, shape in shapes:
    n = 1
    for d in shape: n *= d
    if "LayerNorm.weight" in name: data = array.array("f", [1.0 + 0.01 * random.random() for _ in range(n)])
    else:
        start = random.randrange(0, len(base) - 1)
        reps = (n + len(base)) // len(base) + 1
        data = (base[start:] + base * reps)[:n]
    blobs.append(data.tobytes())
    header[name] = {"dtype": "F32", "shape": shape, "data_offsets": [offset, offset + 4 * n]}
    offset += 4 * n
h = json.dumps(header).encode()
h += b" " * ((8 - len(h) % 8) % 8)
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<Q", len(h))); f.write(h)
    for b in blobs: f.write(b)
print(len(shapes), "tensors", offset, "bytes")
