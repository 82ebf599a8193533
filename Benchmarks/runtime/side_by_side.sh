#!/usr/bin/env bash
# The README's inference and kernel tables in one script: Pare's demo files through `pare eval` at
# batch 1 and 256 in alternating rounds (dense f32 in every round, so ratios are per round), the
# 90 % int8 file again with --row-kernels, the Python peers on the same matrices, then `pare bench`.
#
#   Benchmarks/runtime/side_by_side.sh [DEMO_DIR] [ROUNDS]
#
# DEMO_DIR holds `pare demo --out DIR` files (made here if missing). Builds Pare for this CPU.
# Prints raw lines "round file batch accuracy mean_us median_us resident_bytes arrangement_bytes",
# then a summary (medians over rounds, per-round ratios against dense f32), then the peers and bench.
set -euo pipefail
cd "$(dirname "$0")/../.."
DEMO=${1:-/tmp/pare-demo}
ROUNDS=${2:-5}
PARE_TARGET_CPU=native swift build -c release --scratch-path .build-native >&2
P=.build-native/release/pare
M=Fixtures/datasets/mnist5k
[[ -f $DEMO/sparse90-int8.pare ]] || $P demo --out "$DEMO" >&2
$P export "$DEMO/sparse90-int8.pare" --to npz "$DEMO/w90.npz" >/dev/null
$P export "$DEMO/sparse95-int8.pare" --to npz "$DEMO/w95.npz" >/dev/null
fields='import json,sys; d=json.load(sys.stdin); print(d["accuracy"], d["latency_ms_per_sample"]*1000, d["median_latency_ms_per_sample"]*1000, d["model_resident_bytes"], d["batch1_arrangement_bytes"])'
raw=$(mktemp)
for round in $(seq "$ROUNDS"); do
  for f in dense-f32 sparse90-int8 sparse95-int8 sparse95-int4 sparse90-codebook4 sparse98-int8; do
    for b in 1 256; do
      echo "$round $f b$b $($P eval "$DEMO/$f.pare" --data $M --batch $b --threads 1 --json 2>/dev/null | python3 -c "$fields")"
    done
  done
  echo "$round sparse90-int8-rows b1 $($P eval "$DEMO/sparse90-int8.pare" --data $M --batch 1 --threads 1 --row-kernels --json 2>/dev/null | python3 -c "$fields")"
done | tee "$raw"
python3 - "$raw" <<'PY'
import collections, statistics, sys
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    p = line.split()
    rows[(p[1], p[2])].append([float(x) for x in p[3:]])
dense = rows[("dense-f32", "b1")]
print(f"{'file':22} {'batch':5} {'accuracy':>8} {'µs/sample':>10} {'vs dense (b1)':>14} {'resident':>10} {'arrangement':>12}")
for (name, batch), runs in rows.items():
    ratio = statistics.median(r[1] / d[1] for r, d in zip(runs, dense)) if batch == "b1" else float("nan")
    print(f"{name:22} {batch:5} {runs[0][0]:8.3f} {statistics.median(r[1] for r in runs):10.2f} {ratio:14.3f} "
          f"{int(runs[-1][3]):10d} {int(runs[-1][4]):12d}")
PY
rm -f "$raw"
THREADS=1 Benchmarks/peers/run.sh --weights "$DEMO/w90.npz" --weights "$DEMO/w95.npz" 2>/dev/null
$P bench --repeats 41 2>/dev/null
