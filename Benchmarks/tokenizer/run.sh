#!/usr/bin/env bash
# Tokenizer throughput: PareText (release-equivalent `swiftc -O -wmo` build of Sources/PareText) and, when
# a venv with `tokenizers` and `transformers` is given, the Python tokenizers on the same texts.
#   Benchmarks/tokenizer/run.sh [ROUNDS] [PYTHON]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
rounds="${1:-200}"
python="${2:-}"
out="$(mktemp -d)"
swiftc -O -wmo -module-name TokenizerBench "$root"/Sources/PareText/*.swift "$root/Benchmarks/tokenizer/main.swift" -o "$out/bench"
"$out/bench" "$root/Fixtures/tokenizer" "$rounds"
if [ -n "$python" ]; then "$python" "$root/Benchmarks/tokenizer/peers.py" "$root/Fixtures/tokenizer" 2>&1 | grep -v PyTorch; fi
rm -rf "$out"
