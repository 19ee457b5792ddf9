#!/usr/bin/env bash
# The seed race's HTML chart as a person sees it: rendered by headless
# Chromium, the DOM holds the racing pair, the violating step and the switch
# to all steps, and a 1400x1000 screenshot is a real picture.
# Usage: chart_in_chromium.sh FSMC SOURCE_DIR. Exit 77 (skipped) without Chromium.
set -euo pipefail
fsmc=$1
cd "$2"
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  echo "chromium is not installed (scripts/install-deps --test installs it)"
  exit 77
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$fsmc" run scenarios/xfs/seed-race-v6.1.json --out "$dir" --html >/dev/null || [ $? -eq 1 ]
html="$dir/seed-race-v6.1.dirty_backed.html"
run() { "$browser" --headless --no-sandbox --disable-gpu --user-data-dir="$dir/profile" "$@" 2>/dev/null; }

run --dump-dom "file://$html" >"$dir/dom.html"
fail=0
expect() {  # expect COUNT TEXT: TEXT occurs at least COUNT times in the rendered DOM
  local n
  n=$({ grep -o -F -- "$2" "$dir/dom.html" || true; } | wc -l)
  if [ "$n" -lt "$1" ]; then
    echo "rendered DOM: expected \"$2\" at least $1 times, found $n"
    fail=1
  fi
}
expect 2 '<div class="race-label">racing pair</div>'
expect 1 'xfs_bmap_punch_delalloc_range</b> <span class="pt">E6</span>'
expect 1 'xfs_buffered_write_iomap_begin</b> <span class="pt">B2</span>'
expect 1 'id="violation"'
expect 1 'show all 18 steps (the 15 shown are those the violation depends on)'
expect 3 '<tr class="extra"'
expect 1 '<th class="xl" colspan="1">flusher</th>'
expect 1 'from step 2 (E5) to step 17 (E6)'
expect 1 'point of no return: every continuation violates dirty_backed'
expect 1 'extents 1: delalloc → <b>hole</b>'

run --window-size=1400,1000 --screenshot="$dir/chart.png" "file://$html" >/dev/null
if [ ! -s "$dir/chart.png" ]; then
  echo "no screenshot"
  exit 1
fi
size=$(stat -c %s "$dir/chart.png")
dims=$(od -An -tu1 -j16 -N8 "$dir/chart.png" | awk '{ print $1*16777216+$2*65536+$3*256+$4 "x" $5*16777216+$6*65536+$7*256+$8 }')
if [ "$dims" != "1400x1000" ] || [ "$size" -lt 40000 ]; then
  echo "screenshot: expected a 1400x1000 picture of at least 40000 bytes, got $dims, $size bytes"
  fail=1
fi
[ $fail -eq 0 ] && echo "chart rendered: $dims, $size bytes"
exit $fail
