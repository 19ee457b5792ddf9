#!/usr/bin/env bash
# The HTML chart as a person sees it, rendered by headless Chromium: for the
# seed race the DOM holds the racing pair, the violating step and the jump
# to it, the preemption and the switch to all steps, and a 1400x1000
# screenshot is a real picture; for no_lost_data the red row is the step
# that lost the data; with five and sixteen threads, all steps shown, the
# page is no wider than the window (the chart scrolls inside itself).
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
expect 1 '<a class="jump" href="#violation">↓ jump to step 17</a>'
expect 1 '<tr class="violation race" id="violation"><td class="n"><span class="mark">✗</span> 17</td>'
expect 1 '<tr class="preempt"><td class="n">3</td>'
expect 1 '<div class="preempt-label">preemption: writer could have gone on</div>'
expect 1 'show all 18 steps (the 15 shown are those the violation depends on)'
expect 3 '<tr class="extra"'
expect 1 '<th class="xl" colspan="1">flusher</th>'
expect 1 'from step 2 (E5) to step 17 (E6)'
expect 1 'point of no return: every continuation violates dirty_backed'
expect 1 'extents 1: delalloc → <b>hole</b>'

# no_lost_data is seen at the last I/O completion; the data was lost at
# step 22, where writeback cleaned page 1 (the racing pair's later step).
"$fsmc" run scenarios/xfs/store-before-cleanup-v6.1.json --out "$dir" --html >/dev/null || [ $? -eq 1 ]
run --dump-dom "file://$dir/store-before-cleanup-v6.1.no_lost_data.html" >"$dir/dom.html"
expect 1 'no_lost_data</b> broken at step 22, seen at step 24'
expect 1 'id="violation"><td class="n"><span class="mark">✗</span> 22</td>'
expect 1 '<div class="seen-label">no_lost_data seen broken here</div>'

# Five and sixteen threads, all steps shown: the window never scrolls
# sideways (sixteen lanes would: the chart scrolls inside itself).
cat >"$dir/five.json" <<'EOF'
{ "fsmc": 1, "name": "five-threads", "kernel": "v6.1", "file": { "size": 2, "pages": 2 },
  "threads": [
    { "name": "writer", "ops": [ { "op": "write", "page": 1, "pages": 1, "copy": 0 } ] },
    { "name": "mapper", "ops": [ { "op": "mmap_write", "page": 1 } ] },
    { "name": "flusher", "ops": [ { "op": "writeback" } ] },
    { "name": "reader", "ops": [ { "op": "read", "page": 0 } ] },
    { "name": "faulter", "ops": [ { "op": "mmap_read", "page": 0 } ] } ],
  "check": [ "dirty_backed" ] }
EOF
"$fsmc" run "$dir/five.json" bench/scenarios/sixteen-threads-v6.1.json --out "$dir" --html >/dev/null || [ $? -eq 1 ]
measure() {  # measure CHART: its columns and whether the page scrolls sideways in a 1400-pixel frame
  cat >"$dir/measure.html" <<EOF
<!DOCTYPE html><html><body style="margin:0">
<iframe id="f" src="$1" style="width:1400px;height:1000px;border:0"></iframe>
<script>
document.getElementById('f').onload = function () {
  var d = this.contentDocument, w = this.contentWindow;
  d.getElementById('all-steps').checked = true;
  var columns = 0;
  d.querySelectorAll('.chart tr:first-child th').forEach(function (th) { if (th.offsetWidth > 0) ++columns; });
  var out = document.createElement('pre');
  out.textContent = 'columns=' + columns + ' page-scrolls-sideways=' + (d.documentElement.scrollWidth > w.innerWidth);
  document.body.appendChild(out);
};
</script></body></html>
EOF
  run --allow-file-access-from-files --virtual-time-budget=5000 --dump-dom "file://$dir/measure.html" >"$dir/dom.html"
}
measure five-threads.dirty_backed.html
expect 1 'columns=7 page-scrolls-sideways=false'
measure sixteen-threads-v6.1.dirty_backed.html  # 16 threads and 2 I/O completion workers took steps
expect 1 'columns=20 page-scrolls-sideways=false'

run --window-size=1400,1000 --screenshot="$dir/chart.png" "file://$html" >/dev/null
if [ -n "${CHART_PNG:-}" ]; then cp "$dir/chart.png" "$CHART_PNG"; fi  # to refresh the README's picture
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
