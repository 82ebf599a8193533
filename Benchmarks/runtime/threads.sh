#!/usr/bin/env bash
# Thread scaling of the runtime: `pare eval --threads 1` and `--threads 2` on the same file and batch,
# alternating in every round, so the ratio (1-thread time / 2-thread time, per round, median) survives
# a shared machine's drift; then `pare run --warm-up` of the same 20,000 samples in one call. Portable release build (`swift build -c release`), as users build it.
#
#   [ENCODER=minilm-int8.pare] [PARE=path/to/pare] Benchmarks/runtime/threads.sh [DEMO_DIR] [ROUNDS]
#
# PARE times another binary (e.g. a saved copy of the previous build; default .build/release/pare).
# DEMO_DIR holds `pare demo --out DIR` files (made here if missing); a dense int8 file is converted
# from dense-f32.pare. With ENCODER (a converted sentence encoder, e.g. `pare convert MiniLM-folder
# OUT --quant int8`), `pare embed` of Benchmarks/transformer/texts.txt repeated 16 times (1,024 texts)
# at --batch 64 is timed too (its own "seconds", model load excluded). Prints raw lines
# "round file batch threads µs/sample [median µs/sample]", then the summary: per round the ratio of
# mean latencies, median over rounds; for `eval` also the ratio of its per-batch medians, which a
# host stalling one vCPU for a few ms during a ~20 ms run moves less (whole slow phases move both).
set -euo pipefail
cd "$(dirname "$0")/../.."
DEMO=${1:-/tmp/pare-demo}
ROUNDS=${2:-7}
[[ -n ${SKIP_BUILD:-} || -n ${PARE:-} ]] || swift build -c release >&2
P=${PARE:-.build/release/pare}
# The bundled test set (1,000 images) repeated 20 times: a run of 1,000 samples times ~10 ms, too short
# to tell 1 from 2 threads on a VM whose speed drifts by ±30 % from one 10 ms to the next.
M=$DEMO/mnist-test-x20
[[ -f $M/test-labels-idx1-ubyte.gz ]] || python3 Benchmarks/runtime/repeat_test_set.py Fixtures/datasets/mnist5k "$M" 20
[[ -f $DEMO/sparse90-int8.pare ]] || $P demo --out "$DEMO" >&2
[[ -f $DEMO/dense-int8.pare ]] || $P convert "$DEMO/dense-f32.pare" "$DEMO/dense-int8.pare" --quant int8 --index dense >/dev/null
field='import json,sys; d=json.load(sys.stdin); print(d["latency_ms_per_sample"]*1000, d["median_latency_ms_per_sample"]*1000)'
raw=$(mktemp)
if [[ -n ${ENCODER:-} ]]; then
  TEXTS=$raw.texts
  for _ in $(seq 16); do cat Benchmarks/transformer/texts.txt; done >"$TEXTS"
fi
for round in $(seq "$ROUNDS"); do
  for f in dense-f32 dense-int8 sparse90-int8; do
    for b in 64 256; do
      for t in 1 2; do
        # Parse after pare has exited: a parser started beside it (a pipe) takes a core from its threads.
        out=$($P eval "$DEMO/$f.pare" --data $M --batch $b --threads $t --json 2>/dev/null)
        echo "$round $f $b $t $(python3 -c "$field" <<<"$out")"
      done
    done
  done
  # `pare run` of all 20,000 samples in one call (cut into cache-sized parts), after its untimed warm-up.
  for f in dense-f32 dense-int8 sparse90-int8; do
    for t in 1 2; do
      out=$($P run "$DEMO/$f.pare" --input $M/test-images-idx3-ubyte.gz --threads $t --warm-up --json)
      echo "$round run:$f 20000 $t $(python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["seconds"] / d["samples"] * 1e6)' <<<"$out")"
    done
  done
  if [[ -n ${ENCODER:-} ]]; then
    for t in 1 2; do
      out=$($P embed "$ENCODER" --input "$TEXTS" --output "$raw.npy" --batch 64 --threads $t --json)
      echo "$round embed:$(basename "$ENCODER" .pare) 64 $t $(python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["seconds"] / d["texts"] * 1e6)' <<<"$out")"
    done
  fi
done | tee "$raw"
python3 - "$raw" <<'PY'
import collections, statistics, sys
runs = collections.defaultdict(dict)
for line in open(sys.argv[1]):
    r, f, b, t, us, *median = line.split()
    runs[(f, int(b))].setdefault(int(t), []).append((float(us), float(median[0]) if median else None))
print(f"{'file':16} {'batch':>5} {'1 thread µs':>12} {'2 threads µs':>13} {'speed-up (median of rounds)':>28} {'of per-batch medians':>21}")
for (f, b), t in runs.items():
    ratio = statistics.median(a[0] / c[0] for a, c in zip(t[1], t[2]))
    medians = "" if t[1][0][1] is None else f"{statistics.median(a[1] / c[1] for a, c in zip(t[1], t[2])):21.2f}"
    print(f"{f:16} {b:5d} {statistics.median(a[0] for a in t[1]):12.2f} {statistics.median(c[0] for c in t[2]):13.2f} {ratio:28.2f} {medians}")
PY
rm -f "$raw" "$raw.texts" "$raw.npy"
