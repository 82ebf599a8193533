"""Step 3 of minilm.sh: gguf-py reads Pare's exports of all-MiniLM-L6-v2 as llama.cpp's BERT."""
import sys

import numpy as np
import gguf

work = sys.argv[1]
llama = gguf.GGUFReader(f"{work}/llama-f32.gguf")
ref = {t.name: t for t in llama.tensors}
bad = 0
for variant in ("f32", "q4_0"):
    r = gguf.GGUFReader(f"{work}/pare-{variant}.gguf")
    arch = r.fields["general.architecture"].contents()
    tensors = {t.name: t for t in r.tensors}
    same_names = set(tensors) == set(ref)
    same_dims = all(list(tensors[n].shape) == list(ref[n].shape) for n in ref if n in tensors)
    types = {}
    equal = 0
    for name, t in tensors.items():
        types[t.tensor_type.name] = types.get(t.tensor_type.name, 0) + 1
        if t.tensor_type.name == "F32":
            equal += t.data.tobytes() == ref[name].data.tobytes()
        elif t.tensor_type.name == "Q4_0":
            expected = gguf.quants.quantize(np.asarray(ref[name].data, dtype=np.float32), gguf.GGMLQuantizationType.Q4_0)
            equal += t.data.tobytes() == expected.tobytes()
    keys = [k for k in llama.fields if k.startswith(("bert.", "tokenizer.ggml.")) and k != "tokenizer.ggml.pre"
            and not k.startswith("tokenizer.ggml.add_")]
    same_keys = [k for k in keys if k in r.fields and r.fields[k].contents() == llama.fields[k].contents()]
    ok = arch == "bert" and same_names and same_dims and equal == len(tensors)
    bad += not ok
    print(f"pare-{variant}.gguf: architecture {arch}, {len(tensors)} tensors, llama.cpp's names {same_names}, dims {same_dims}, "
          f"types {types}, {equal}/{len(tensors)} tensors equal to llama.cpp's F32 / gguf-py's Q4_0 quantizer, "
          f"{len(same_keys)}/{len(keys)} bert/tokenizer keys equal to llama.cpp's" + ("" if ok else "  MISMATCH"))
sys.exit(1 if bad else 0)
