#!/usr/bin/env bash
# The README's training, inference and kernel tables in one script, for the PORTABLE build (what users
# run: `swift build -c release`, kernels chosen at run time by CPUID) and, beside it, the NATIVE build
# (`PARE_TARGET_CPU=native`, scratch path .build-native) on the same files in the same rounds:
#   1. Pare's demo files through `pare eval` at batch 1 and 256 on the bundled 1,000 test images
#      repeated COPIES times (default 20: one run of 1,000 samples lasts 2-20 ms, shorter than the VM's
#      speed swings; accuracy is the 1,000 images'), the 90 % int8 file again with --row-kernels, and
#      the dense model converted to dense int8 (int8 × int8, the row to read beside PyTorch's
#      quantize_dynamic in 4.);
#   2. `pare train` of the reference recipe (20 epochs; TRAIN_ROUNDS rounds, default 3, 0 skips);
#   3. `pare bench` of each build, then of the portable build with each lower kernel set forced
#      (KERNEL_SETS, default "avx2 generic"; empty skips);
#   4. the Python peers (peers.py: PyTorch training and inference, NumPy, SciPy CSR on Pare's own
#      90 % / 95 % matrices; PEERS=0 skips).
#
#   [NATIVE=0] [PEERS=0] [SKIP_BUILD=1] [COPIES=20] [TRAIN_ROUNDS=3] [BENCH_REPEATS=41] [KERNEL_SETS=…] \
#     Benchmarks/runtime/side_by_side.sh [DEMO_DIR] [ROUNDS]
#
# Which build each figure comes from: every eval row, training figure and the first `pare bench` tables
# are printed for the portable build (.build/release/pare) and the native build
# (.build-native/release/pare); the forced kernel sets and the npz exports for the peers use the
# portable build; NATIVE=0 measures the portable build only. The demo files (DEMO_DIR, made here by the portable build if
# missing) are the same bytes for both. Rounds are interleaved: each round runs every file × batch on
# the portable binary, then on the native one, so the machine's drift hits both columns alike; the
# summary gives medians over rounds and, per build, the median of per-round ratios against that
# build's dense f32 at the same batch. Each run's JSON is kept in a file and parsed after all runs
# (a parser started beside `pare`, e.g. in a pipe, takes a core and distorts its timing).
# SKIP_BUILD=1 uses the binaries as built; the script can run from any directory (paths are absolute).
# The peers run in PARE_BENCH_VENV (see Benchmarks/peers/run.sh; it needs torch, numpy, scipy).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
DEMO=${1:-/tmp/pare-demo}
ROUNDS=${2:-5}
NATIVE=${NATIVE:-1}
if [[ -z ${SKIP_BUILD:-} ]]; then
  (cd "$ROOT" && swift build -c release --product pare >&2)
  [[ $NATIVE == 0 ]] || (cd "$ROOT" && PARE_TARGET_CPU=native swift build -c release --product pare --scratch-path .build-native >&2)
fi
builds=(portable)
declare -A bin=([portable]="$ROOT/.build/release/pare" [native]="$ROOT/.build-native/release/pare")
[[ $NATIVE == 0 ]] || builds+=(native)
P=${bin[portable]}
COPIES=${COPIES:-20}
M=$DEMO/mnist-test-x$COPIES
[[ -f $M/test-labels-idx1-ubyte.gz ]] || python3 "$ROOT/Benchmarks/runtime/repeat_test_set.py" "$ROOT/Fixtures/datasets/mnist5k" "$M" "$COPIES"
[[ -f $DEMO/sparse90-int8.pare ]] || $P demo --out "$DEMO" >&2
[[ -f $DEMO/dense-int8.pare ]] || $P convert "$DEMO/dense-f32.pare" "$DEMO/dense-int8.pare" --quant int8 --index dense >/dev/null
raw=$(mktemp -d)
trap 'rm -rf "$raw"' EXIT
files="dense-f32 dense-int8 sparse90-int8 sparse95-int8 sparse95-int4 sparse90-codebook4 sparse98-int8"
for round in $(seq "$ROUNDS"); do
  echo "round $round of $ROUNDS" >&2
  for f in $files; do
    for b in 1 256; do
      for build in "${builds[@]}"; do
        out=$(${bin[$build]} eval "$DEMO/$f.pare" --data "$M" --batch $b --threads 1 --json 2>/dev/null)
        printf '%s\n' "$out" >"$raw/$round.$build.$f.b$b.json"
      done
    done
  done
  for build in "${builds[@]}"; do
    out=$(${bin[$build]} eval "$DEMO/sparse90-int8.pare" --data "$M" --batch 1 --threads 1 --row-kernels --json 2>/dev/null)
    printf '%s\n' "$out" >"$raw/$round.$build.sparse90-int8-rows.b1.json"
  done
done
python3 - "$raw" "$ROUNDS" "${builds[@]}" <<'PY'
import json, statistics, sys
raw, rounds, builds = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
names = ["dense-f32", "dense-int8", "sparse90-int8", "sparse90-int8-rows", "sparse95-int8", "sparse95-int4",
         "sparse90-codebook4", "sparse98-int8"]
def runs(build, name, batch):
    out = []
    for r in range(1, rounds + 1):
        try:
            out.append(json.load(open(f"{raw}/{r}.{build}.{name}.b{batch}.json")))
        except FileNotFoundError:
            return []
    return out
def us(d): return d["latency_ms_per_sample"] * 1000
print("raw µs/sample per round (round: " + " ".join(f"{b}" for b in builds) + ")")
for name in names:
    for batch in (1, 256):
        cols = [runs(b, name, batch) for b in builds]
        if cols[0]:
            print(f"  {name:20} b{batch:<4}", "  ".join(
                "/".join(f"{us(c[r]):.2f}" for c in cols) for r in range(rounds)))
head = f"{'file':20} {'accuracy':>8}"
for batch in (1, 256):
    for b in builds:
        head += f" {b + ' b' + str(batch) + ' µs':>17} {'vs dense':>8}"
head += f" {'resident':>9} {'b1 arrangement':>15}"
print(f"\nmedians over {rounds} rounds; µs/sample; 'vs dense' = median of per-round ratios to the same build's dense f32")
print(head)
for name in names:
    line, acc, res = "", set(), None
    for batch in (1, 256):
        for b in builds:
            rs, dense = runs(b, name, batch), runs(b, "dense-f32", batch)
            if not rs:
                line += f" {'—':>17} {'':>8}"
                continue
            acc.add(round(rs[0]["accuracy"], 3))
            ratio = statistics.median(us(x) / us(d) for x, d in zip(rs, dense))
            line += f" {statistics.median(us(x) for x in rs):17.2f} {ratio:7.3f}×"
            if b == builds[0] and batch == 1:
                res = (rs[-1]["model_resident_bytes"], rs[-1]["batch1_arrangement_bytes"])
    accuracy = "/".join(f"{a:.3f}" for a in sorted(acc))
    print(f"{name:20} {accuracy:>8}{line} {res[0]:9d} {res[1]:15d}")
PY
train_rounds=${TRAIN_ROUNDS:-3}
if [[ $train_rounds != 0 ]]; then
  for round in $(seq "$train_rounds"); do
    for build in "${builds[@]}"; do
      out=$(${bin[$build]} train --epochs 20 --clip-global-norm 1 --l1 1e-5 --out "$raw/train.pare" --json 2>/dev/null)
      printf '%s\n' "$out" >"$raw/train.$round.$build.json"
    done
  done
  python3 - "$raw" "$train_rounds" "${builds[@]}" <<'PY'
import json, statistics, sys
raw, rounds, builds = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
print(f"\npare train --epochs 20 --clip-global-norm 1 --l1 1e-5: wall s/epoch of the training loop, "
      f"median of {rounds} interleaved rounds")
for b in builds:
    runs = [json.load(open(f"{raw}/train.{r}.{b}.json")) for r in range(1, rounds + 1)]
    each = " ".join(f"{d['seconds_per_epoch']:.3f}" for d in runs)
    print(f"  {b:9} {statistics.median(d['seconds_per_epoch'] for d in runs):.3f} s/epoch (rounds: {each}), "
          f"dense test accuracy {runs[0]['accuracy']:.3f}")
PY
fi
for build in "${builds[@]}"; do
  echo "== pare bench --repeats ${BENCH_REPEATS:-41}, $build build (${bin[$build]})"
  ${bin[$build]} bench --repeats "${BENCH_REPEATS:-41}" 2>/dev/null
done
for kernels in ${KERNEL_SETS-avx2 generic}; do
  echo "== PARE_KERNELS=$kernels pare bench --repeats ${BENCH_REPEATS:-41}, portable build"
  PARE_KERNELS=$kernels $P bench --repeats "${BENCH_REPEATS:-41}" 2>/dev/null
done
if [[ ${PEERS:-1} != 0 ]]; then
  $P export "$DEMO/sparse90-int8.pare" --to npz "$DEMO/w90.npz" >/dev/null
  $P export "$DEMO/sparse95-int8.pare" --to npz "$DEMO/w95.npz" >/dev/null
  echo "== peers (Benchmarks/peers/run.sh, 1 thread; SciPy on Pare's 90 % / 95 % int8 matrices)"
  THREADS=1 "$ROOT/Benchmarks/peers/run.sh" --weights "$DEMO/w90.npz" --weights "$DEMO/w95.npz"
fi
