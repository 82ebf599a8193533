#!/usr/bin/env bash
# Dense int8 LeNet-300-100 (784-300-100-10): Pare's int8 × int8 kernels against PyTorch
# `quantize_dynamic` (fbgemm), 1 thread, in alternating rounds: each round runs `pare bench --filter
# "0% dense"` (dense f32 / int8 / int4 rows; medians of its repeats, thread CPU time) and then
# quantize_dynamic.py on a model of the same shapes (same clock: median of repeated calls on one input,
# thread CPU time; weight values do not change the time). Prints each round and the medians; the ratio
# is per round, then median.
#
#   Benchmarks/peers/int8_vs_pytorch.sh [ROUNDS]      (default 7)
#
# Builds the portable release binary (what users run) unless PARE=path/to/pare is given. PyTorch
# comes from PARE_BENCH_VENV (see run.sh, which installs it).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
rounds="${1:-7}"
venv="${PARE_BENCH_VENV:-$HOME/.cache/pare-bench-venv}"
[ -x "$venv/bin/python" ] && "$venv/bin/python" -c "import torch" 2>/dev/null || {
  echo "no PyTorch in $venv: run Benchmarks/peers/run.sh once (it installs it)" >&2; exit 1; }
if [ -z "${PARE:-}" ]; then
  (cd "$root" && swift build -c release --product pare >&2)
  PARE="$root/.build/release/pare"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
echo "$("$PARE" bench --filter none --repeats 1 2>/dev/null | head -1); portable release build"
for round in $(seq "$rounds"); do
  # Outputs kept, parsed after both ran (a parser beside a timed process takes a core from it).
  "$PARE" bench --filter "0% dense" --repeats 21 --json >"$work/pare.$round.json" 2>/dev/null
  "$venv/bin/python" "$root/Benchmarks/peers/quantize_dynamic.py" >"$work/torch.$round.json" 2>/dev/null
done
python3 - "$work" "$rounds" <<'PY'
import json, statistics, sys
work, rounds = sys.argv[1], int(sys.argv[2])
table = []
for r in range(1, rounds + 1):
    pare = {row["variant"]: row for row in json.load(open(f"{work}/pare.{r}.json"))["rows"] if row["kind"] == "runtime"}
    torch = json.load(open(f"{work}/torch.{r}.json"))
    int8, f32 = pare["0% dense int8"], pare["0% dense f32"]
    table.append((int8["batch256_us_per_sample"], torch["batch256_us_per_sample"], int8["batch1_us"], torch["batch1_us"], f32["batch256_us_per_sample"]))
    print(f"round {r}: batch 256 Pare int8 {table[-1][0]:.2f} µs/sample, PyTorch quantize_dynamic {table[-1][1]:.2f}, "
          f"Pare dense f32 {table[-1][4]:.2f}; batch 1 Pare int8 {table[-1][2]:.1f} µs, PyTorch {table[-1][3]:.1f}")
med = lambda i: statistics.median(row[i] for row in table)
ratio = lambda i, j: statistics.median(row[i] / row[j] for row in table)
print(f"medians of {rounds} rounds (torch {torch['torch']}, 1 thread):")
print(f"  batch 256: Pare dense int8 {med(0):.2f} µs/sample, PyTorch quantize_dynamic {med(1):.2f}; Pare / PyTorch {ratio(0, 1):.2f}")
print(f"  batch 1:   Pare dense int8 {med(2):.1f} µs, PyTorch quantize_dynamic {med(3):.1f}; Pare / PyTorch {ratio(2, 3):.2f}")
PY
