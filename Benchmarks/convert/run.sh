#!/usr/bin/env bash
# Convert throughput and peak memory: generates a large f32 safetensors file, converts it with each
# encoding (zlib off / on) and prints MB/s of f32 input and peak RSS of `pare convert`. Uses the portable
# release build (`swift build -c release`, as users build it; no PARE_TARGET_CPU).
#   Benchmarks/convert/run.sh [GIB]        (default 2; files go to ${PARE_BENCH_DIR:-/tmp/pare-convert-bench})
# PARE_BENCH_THREADS=N passes --threads N (default: convert's own, 2 on a 2-core machine); the output
# bytes do not depend on it (`cmp` two runs to check).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
gib="${1:-2}"
dir="${PARE_BENCH_DIR:-/tmp/pare-convert-bench}"
venv="${PARE_BENCH_VENV:-$HOME/.cache/pare-bench-venv}"
mkdir -p "$dir"
[ -x "$venv/bin/python" ] || { python3 -m venv "$venv"; "$venv/bin/pip" install -q numpy; }
"$venv/bin/python" -c "import numpy" 2>/dev/null || "$venv/bin/pip" install -q numpy
input="$dir/big-${gib}g.safetensors"
[ -f "$input" ] || "$venv/bin/python" "$root/Benchmarks/convert/make_big_safetensors.py" "$input" --gib "$gib" >&2
(cd "$root" && swift build -c release --product pare >&2)
pare="$root/.build/release/pare"
in_bytes=$(stat -c %s "$input")
printf '%-34s %12s %10s %9s %12s\n' "variant" "out bytes" "MB/s in" "ratio" "peak RSS MB"
run() {
  local name="$1"; shift
  local out="$dir/out.pare"
  local t0=$(date +%s.%N)
  rm -f "$out"  # replacing an existing output would time its unlinking too
  /usr/bin/time -f "%M" -o "$dir/rss" "$pare" convert "$input" "$out" ${PARE_BENCH_THREADS:+--threads "$PARE_BENCH_THREADS"} "$@" > /dev/null
  local t1=$(date +%s.%N)
  local out_bytes=$(stat -c %s "$out")
  awk -v n="$name" -v ib="$in_bytes" -v ob="$out_bytes" -v t="$(echo "$t1 - $t0" | bc)" -v rss="$(cat "$dir/rss")" \
    'BEGIN { printf "%-34s %12.0f %10.0f %8.1fx %12.0f\n", n, ob, ib / 1e6 / t, ib / ob, rss / 1024 }'
  rm -f "$out"
}
run "dense f32 (copy)"            --quant none
run "int8/channel"                --quant int8 --granularity channel
run "int8/channel + zlib 6"       --quant int8 --granularity channel --zlib 6
run "int4/channel"                --quant int4 --granularity channel
run "q8_0"                        --quant q8_0
run "q4_0"                        --quant q4_0
run "q4_0 + zlib 6"               --quant q4_0 --zlib 6
run "codebook 4-bit"              --quant codebook --bits 4
run "90% sparse + int8 (auto idx)" --sparsity 0.9 --quant int8
run "90% sparse + int8 + zlib 6"  --sparsity 0.9 --quant int8 --zlib 6
run "90% global + int4"           --sparsity 0.9 --prune-scope global --quant int4
