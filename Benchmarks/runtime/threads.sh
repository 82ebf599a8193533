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
# Before every 1-/2-thread pair, Benchmarks/runtime/core_probe.c (built here with cc) measures what the
# machine itself gives two threads of register-only arithmetic in those seconds ("probe", 2.0 = two
# whole cores): the summary prints its median per row, and the speed-up over the rounds whose probe
# reached 1.8 (both cores given), beside the speed-up over all rounds. On the 2-core VMs measured the
# probe is bimodal: 1.85-2.0 while the host gives two cores, 1.3-1.5 for seconds at a time while it
# does not (20 probes in a row, 2026-12-02).
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
cc -O2 -march=native -pthread Benchmarks/runtime/core_probe.c -o "$raw.probe"
# The machine's own 2-thread scaling right now: 2 × t(1 thread) / t(2 threads, twice the work).
probe() { python3 -c 'import sys; print(2 * float(sys.argv[1]) / float(sys.argv[2]))' "$("$raw.probe" 1)" "$("$raw.probe" 2)"; }
if [[ -n ${ENCODER:-} ]]; then
  TEXTS=$raw.texts
  for _ in $(seq 16); do cat Benchmarks/transformer/texts.txt; done >"$TEXTS"
fi
for round in $(seq "$ROUNDS"); do
  for f in dense-f32 dense-int8 sparse90-int8; do
    for b in 64 256; do
      echo "$round $f $b probe $(probe)"
      for t in 1 2; do
        # Parse after pare has exited: a parser started beside it (a pipe) takes a core from its threads.
        out=$($P eval "$DEMO/$f.pare" --data $M --batch $b --threads $t --json 2>/dev/null)
        echo "$round $f $b $t $(python3 -c "$field" <<<"$out")"
      done
    done
  done
  # `pare run` of all 20,000 samples in one call (cut into cache-sized parts), after its untimed warm-up.
  for f in dense-f32 dense-int8 sparse90-int8; do
    echo "$round run:$f 20000 probe $(probe)"
    for t in 1 2; do
      out=$($P run "$DEMO/$f.pare" --input $M/test-images-idx3-ubyte.gz --threads $t --warm-up --json)
      echo "$round run:$f 20000 $t $(python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["seconds"] / d["samples"] * 1e6)' <<<"$out")"
    done
  done
  if [[ -n ${ENCODER:-} ]]; then
    echo "$round embed:$(basename "$ENCODER" .pare) 64 probe $(probe)"
    for t in 1 2; do
      out=$($P embed "$ENCODER" --input "$TEXTS" --output "$raw.npy" --batch 64 --threads $t --json)
      echo "$round embed:$(basename "$ENCODER" .pare) 64 $t $(python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["seconds"] / d["texts"] * 1e6)' <<<"$out")"
    done
  fi
done | tee "$raw"
python3 - "$raw" <<'PY'
import collections, statistics, sys
runs = collections.defaultdict(lambda: collections.defaultdict(list))
for line in open(sys.argv[1]):
    r, f, b, t, value, *median = line.split()
    runs[(f, int(b))][t].append(float(value) if t == "probe" else (float(value), float(median[0]) if median else None))
print(f"{'file':16} {'batch':>5} {'1 thread µs':>12} {'2 threads µs':>13} {'speed-up (median of rounds)':>28} {'of per-batch medians':>21}"
      f" {'probe':>6} {'speed-up where probe >= 1.8':>29}")
for (f, b), t in runs.items():
    pairs = list(zip(t["1"], t["2"], t["probe"]))
    ratio = statistics.median(a[0] / c[0] for a, c, _ in pairs)
    medians = "" if pairs[0][0][1] is None else f"{statistics.median(a[1] / c[1] for a, c, _ in pairs):.2f}"
    given = [a[0] / c[0] for a, c, p in pairs if p >= 1.8]
    where = f"{statistics.median(given):.2f} ({len(given)} of {len(pairs)} rounds)" if given else f"- (0 of {len(pairs)} rounds)"
    print(f"{f:16} {b:5d} {statistics.median(a[0] for a, _, _ in pairs):12.2f} {statistics.median(c[0] for _, c, _ in pairs):13.2f} "
          f"{ratio:28.2f} {medians:>21} {statistics.median(p for _, _, p in pairs):6.2f} {where:>29}")
PY
rm -f "$raw" "$raw.texts" "$raw.npy" "$raw.probe"
