#!/usr/bin/env bash
# Regenerates the two README screenshots of `pare report` pages (needs chromium).
#   Docs/report/screenshots.sh [WORKDIR]      (default WORKDIR: /tmp/pare-report-shots)
set -euo pipefail
cd "$(dirname "$0")/../.."
work="${1:-/tmp/pare-report-shots}"
mkdir -p "$work"
swift build -c release --product pare
pare=.build/release/pare
"$pare" demo --out "$work/demo" > "$work/demo.txt"
"$pare" report "$work/demo/sparse95-int4.pare" --compare "$work/demo/dense-f32.pare" --out "$work/sparse95-int4.html"
shot() {  # page, width, height, png
    chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$work/profile" \
        --window-size="$2,$3" --screenshot="$4" "file://$(realpath "$1")" 2>/dev/null
}
shot "$work/sparse95-int4.html" 1400 1760 Docs/report/model-report.png
shot "$work/demo/report.html" 1400 1200 Docs/report/demo-comparison.png
ls -l Docs/report/*.png
