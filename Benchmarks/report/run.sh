#!/usr/bin/env bash
# Page bytes and render time of `pare report` (portable release build, `swift build -c release`, as users
# build it; no PARE_TARGET_CPU): the demo files and a MiniLM-L6-shaped
# model (103 tensors, 22.7 M random parameters, written by minilm_like.py — Python's standard library
# only) converted to q4_0 and to 50 %-sparse int8. Each report is run REPEATS times; wall and CPU
# (user + sys) seconds and peak RSS from /usr/bin/time — on a shared machine CPU time is the fair figure.
#   Benchmarks/report/run.sh [WORKDIR] [REPEATS]
set -euo pipefail
cd "$(dirname "$0")/../.."
work="${1:-/tmp/pare-report-bench}"
repeats="${2:-5}"
mkdir -p "$work"
swift build -c release --product pare
pare=.build/release/pare
[ -f "$work/demo/dense-f32.pare" ] || "$pare" demo --out "$work/demo" > /dev/null
[ -f "$work/minilm.safetensors" ] || python3 Benchmarks/report/minilm_like.py "$work/minilm.safetensors"
"$pare" convert "$work/minilm.safetensors" "$work/minilm-q4_0.pare" --quant q4_0 > /dev/null
"$pare" convert "$work/minilm.safetensors" "$work/minilm-s50-int8.pare" --sparsity 0.5 --quant int8 > /dev/null
median() { sort -n | awk '{ v[NR] = $1 } END { printf "%.2f", v[int((NR + 1) / 2)] }'; }
measure() {  # label, report arguments…
    local label="$1"; shift
    local runs
    runs=$(for _ in $(seq "$repeats"); do
        /usr/bin/time -f "%e %U %S %M" "$pare" report "$@" --out "$work/page.html" 2>&1 >/dev/null | tail -1
    done)
    printf "%-48s %9d bytes  wall median %s s  CPU median %s s  peak RSS %d MB\n" "$label" "$(stat -c %s "$work/page.html")" \
        "$(echo "$runs" | awk '{ print $1 }' | median)" "$(echo "$runs" | awk '{ print $2 + $3 }' | median)" \
        "$(echo "$runs" | awk '{ m = $4 > m ? $4 : m } END { print int(m / 1024) }')"
}
measure "demo sparse95-int4" "$work/demo/sparse95-int4.pare"
measure "demo sparse95-int4 --compare dense-f32" "$work/demo/sparse95-int4.pare" --compare "$work/demo/dense-f32.pare"
measure "demo dense-f32" "$work/demo/dense-f32.pare"
measure "MiniLM-L6-shaped q4_0 (103 tensors)" "$work/minilm-q4_0.pare"
measure "MiniLM-L6-shaped 50% sparse int8 (103 tensors)" "$work/minilm-s50-int8.pare"
