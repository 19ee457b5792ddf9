#!/usr/bin/env bash
# --jobs and shards on the grid's proofs (bench/grid.sh's shapes, on the
# fixed kernel v6.2): wall seconds of --jobs 1 and --jobs 2; of 4 shards run
# two at a time by GNU parallel and merged; and the imbalance of 4 and 16
# shards (the slowest shard's seconds over the mean). Prints one markdown
# row per shape on stdout; the machine and its load on stderr. Uses
# build/fsmc as it is.
#
# usage: bench/jobs.sh [SHAPE...]   (default: n2t4 n3t4 n2t5; SHAPE is nNtT)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/grid_scenario.sh
fsmc=$PWD/build/fsmc
shapes=("$@")
[ ${#shapes[@]} -gt 0 ] || shapes=(n2t4 n3t4 n2t5)
command -v parallel >/dev/null || { echo "jobs.sh: GNU parallel not found (apt-get install parallel)" >&2; exit 1; }
work=$(mktemp -d -t fsmc-jobs.XXXXXX)
trap 'rm -rf "$work"' EXIT
{
  echo "date:  $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "cpu:   $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores"
  echo "code:  $(git rev-parse --short HEAD)"
  echo "load:  $(uptime | sed 's/.*load average: //')"
} >&2

wall() {  # wall COMMAND...: runs it, prints its wall seconds
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null 2>&1 || [ $? -le 1 ]
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}
cpu() {  # cpu COMMAND...: runs it, prints its user + system CPU seconds
  /usr/bin/time -f "%U %S" -o "$work/time" "$@" >/dev/null 2>&1 || true
  awk '{ printf "%.2f", $1 + $2 }' "$work/time"
}
# imbalance DIR NAME N: the slowest shard's seconds over the mean
imbalance() {
  for f in "$1"/"$2".shard-*-of-"$3".json; do jq .result.seconds "$f"; done |
    awk '{ s += $1; if ($1 > m) m = $1 } END { printf "%.2f", m / (s / NR) }'
}

echo "| shape | tasks | states, jobs 1 / jobs 2 / 4 shards | jobs 1 s | jobs 2 s | speed-up | cpu s, jobs 1 / jobs 2 | 4 shards by parallel -j2, merged, s | speed-up | imbalance of 4 | imbalance of 16 |"
echo "|---|---:|---|---:|---:|---:|---|---:|---:|---:|---:|"
for shape in "${shapes[@]}"; do
  [[ $shape =~ ^n([0-9]+)t([0-9]+)$ ]] || { echo "jobs.sh: bad shape $shape" >&2; exit 2; }
  file=$work/grid-$shape.json name=grid-$shape-v6.2
  scenario v6.2 "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}" "$file"
  echo "jobs.sh: $shape ..." >&2
  s1=$(wall "$fsmc" run "$file" --jobs 1 --json --out "$work/o1")
  s2=$(wall "$fsmc" run "$file" --jobs 2 --json --out "$work/o2")
  c1=$(cpu "$fsmc" run "$file" --jobs 1 --out "$work/o1")
  c2=$(cpu "$fsmc" run "$file" --jobs 2 --out "$work/o2")
  st1=$("$fsmc" run "$file" --jobs 1 --json --out "$work/o1" 2>/dev/null | jq .states)
  st2=$("$fsmc" run "$file" --jobs 2 --json --out "$work/o2" 2>/dev/null | jq .states)
  shards() {
    parallel -j2 "$fsmc" run "$file" --jobs 1 --shard {}/4 --out "$work/s4" ::: 0 1 2 3 || true
    "$fsmc" merge "$work"/s4/"$name".shard-*-of-4.json --out "$work/m4"
  }
  s4=$(wall shards)
  st4=$("$fsmc" merge "$work"/s4/"$name".shard-*-of-4.json --json --out "$work/m4" 2>/dev/null | jq .states)
  parallel -j2 "$fsmc" run "$file" --jobs 1 --shard {}/16 --out "$work/s16" ::: $(seq 0 15) >/dev/null 2>&1 || true
  tasks=$("$fsmc" tasks "$file" | head -n 1 | sed 's/.*: \([0-9]*\) tasks.*/\1/')
  printf '| %s | %s | %s / %s / %s | %.2f | %.2f | %.2f | %s / %s | %.2f | %.2f | %s | %s |\n' "$shape" "$tasks" "$st1" "$st2" "$st4" \
    "$s1" "$s2" "$(echo "$s1 / $s2" | bc -l)" "$c1" "$c2" "$s4" "$(echo "$s1 / $s4" | bc -l)" "$(imbalance "$work/s4" "$name" 4)" \
    "$(imbalance "$work/s16" "$name" 16)"
done
