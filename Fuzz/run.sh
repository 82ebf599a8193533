#!/usr/bin/env bash
# Builds a libFuzzer target and runs it for MINUTES minutes.
#
#   Fuzz/run.sh TARGET MINUTES [extra libFuzzer flags…]
#
# TARGET names Fuzz/Targets/TARGET.swift. Its first line lists the package modules it needs, in
# dependency order: `// fuzz-modules: PareFormat PareEncodings`. Each module is compiled from
# Sources/<Module> with coverage and AddressSanitizer (a C module, one with include/module.modulemap,
# by clang); Fuzz/Support/*.swift is compiled with the target.
# Seed corpus: Fixtures/container/*.pare (plus Fuzz/seeds/TARGET/ if present). The growing corpus lives
# in Fuzz/.work/TARGET/corpus, crashes go to Fuzz/.work/TARGET/crashes/ (both untracked): turn every
# crash into a regression test before deleting it.
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET=${1:?usage: Fuzz/run.sh TARGET MINUTES}
MINUTES=${2:?usage: Fuzz/run.sh TARGET MINUTES}
shift 2
SOURCE=Fuzz/Targets/$TARGET.swift
[[ -f $SOURCE ]] || { echo "no fuzz target $SOURCE" >&2; exit 2; }
WORK=Fuzz/.work/$TARGET
BUILD=$WORK/build
mkdir -p "$BUILD" "$WORK/corpus" "$WORK/crashes"
SAN=(-sanitize=fuzzer,address -O -g -parse-as-library -I Sources/CZlib -I "$BUILD")

read -r -a MODULES <<<"$(sed -n '1s/^\/\/ fuzz-modules://p' "$SOURCE")"
OBJECTS=()
for module in "${MODULES[@]}"; do
    echo "building $module…" >&2
    if [[ -f Sources/$module/include/module.modulemap ]]; then
        SAN+=(-I "Sources/$module/include")
        for c in Sources/"$module"/*.c; do
            clang -fsanitize=fuzzer-no-link,address -O1 -g -I "Sources/$module/include" -c "$c" -o "$BUILD/$module-$(basename "$c" .c).o"
            OBJECTS+=("$BUILD/$module-$(basename "$c" .c).o")
        done
        continue
    fi
    mapfile -t files < <(find "Sources/$module" -name '*.swift' | sort)
    swiftc "${SAN[@]}" -wmo -c -module-name "$module" -emit-module -emit-module-path "$BUILD/$module.swiftmodule" \
        "${files[@]}" -o "$BUILD/$module.o"
    OBJECTS+=("$BUILD/$module.o")
done
echo "building $TARGET…" >&2
# ld.gold warns about every ASan helper symbol it cannot export; those lines are noise.
swiftc "${SAN[@]}" -module-name "Fuzz_$TARGET" "$SOURCE" Fuzz/Support/*.swift "${OBJECTS[@]}" -lz -o "$BUILD/fuzz-$TARGET" \
    2> >(grep -v 'Cannot export local symbol' >&2)

# A target may name its own seed folders on its second line: `// fuzz-seeds: Fixtures/interop`.
read -r -a SEED_DIRS <<<"$(sed -n '2s/^\/\/ fuzz-seeds://p' "$SOURCE")"
[[ ${#SEED_DIRS[@]} -gt 0 ]] || SEED_DIRS=(Fixtures/container)
SEEDS=("$WORK/corpus" "${SEED_DIRS[@]}")
[[ -d Fuzz/seeds/$TARGET ]] && SEEDS+=("Fuzz/seeds/$TARGET")
# Targets that need a file rewrite this one scratch file for every input (RAM-backed when possible).
SCRATCH_DIR=/tmp; [[ -w /dev/shm ]] && SCRATCH_DIR=/dev/shm
export PARE_FUZZ_SCRATCH="$SCRATCH_DIR/pare-fuzz-$TARGET-$$.pare"
trap 'rm -f "$PARE_FUZZ_SCRATCH"' EXIT
echo "fuzzing $TARGET for $MINUTES min; crashes → $WORK/crashes/" >&2
"$BUILD/fuzz-$TARGET" -max_total_time=$((MINUTES * 60)) -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
    -print_final_stats=1 -artifact_prefix="$WORK/crashes/" "$@" "${SEEDS[@]}"
