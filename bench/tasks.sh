#!/usr/bin/env bash
# The sizes of the tasks of a grid proof (bench/grid.sh's shapes, on the
# fixed kernel v6.2), each searched alone as a machine of a cluster would
# (`fsmc run --task ID --jobs 1`, its own visited table), two at a time;
# then how they would split over shards of N machines (round-robin, as
# --shard does): per N, the sum of the shards' CPU seconds, the slowest
# shard and the imbalance (slowest over mean), taking a shard's cost as the
# sum of its tasks' (an upper bound: the tasks of one shard share its table),
# and measuring the real shards (--shard I/N --jobs 1), two at a time.
# Prints the per-task rows to $OUT/tasks-SHAPE.tsv and a markdown table on
# stdout; the machine and its load on stderr. Uses build/fsmc as it is.
#
# usage: bench/tasks.sh SHAPE [N...]   (SHAPE is nNtT; default N: 16 64)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/grid_scenario.sh
fsmc=$PWD/build/fsmc
shape=${1:?usage: bench/tasks.sh SHAPE [N...]}
shift
machines=("$@")
[ ${#machines[@]} -gt 0 ] || machines=(16 64)
[[ $shape =~ ^n([0-9]+)t([0-9]+)$ ]] || { echo "tasks.sh: bad shape $shape" >&2; exit 2; }
command -v parallel >/dev/null || { echo "tasks.sh: GNU parallel not found (apt-get install parallel)" >&2; exit 1; }
out=${OUT:-$PWD/bench/out}
mkdir -p "$out"
work=$(mktemp -d -t fsmc-tasks.XXXXXX)
trap 'rm -rf "$work"' EXIT
file=$work/grid-$shape.json
scenario v6.2 "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}" "$file"
{
  echo "date:  $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "cpu:   $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores"
  echo "code:  $(git rev-parse --short HEAD)"
  echo "load:  $(uptime | sed 's/.*load average: //')"
} >&2

# one task: ID, executions, states, CPU seconds (user + system)
task() {
  local json
  json=$(/usr/bin/time -f "%U %S" -o "$work/time-$1" "$fsmc" run "$file" --task "$1" --jobs 1 --json --out "$work/o$1" 2>/dev/null) || true
  printf '%s\t%s\t%s\t%s\n' "$1" "$(jq .executions <<<"$json")" "$(jq .states <<<"$json")" \
    "$(awk '{ printf "%.2f", $1 + $2 }' "$work/time-$1")"
}
export -f task
export fsmc file work
count=$("$fsmc" tasks "$file" | head -n 1 | sed 's/.*: \([0-9]*\) tasks.*/\1/')
serial=$(/usr/bin/time -f "%U %S" -o "$work/time-serial" "$fsmc" run "$file" --jobs 1 --json --out "$work/serial" 2>/dev/null | jq .states)
serial_cpu=$(awk '{ printf "%.2f", $1 + $2 }' "$work/time-serial")
rows=$out/tasks-$shape.tsv
printf 'task\texecutions\tstates\tcpu_s\n' >"$rows"
seq 0 $((count - 1)) | parallel -j2 -k task >>"$rows"

# one shard of N: I, states, CPU seconds
shard() {
  local json
  json=$(/usr/bin/time -f "%U %S" -o "$work/time-$1-$2" "$fsmc" run "$file" --shard "$1/$2" --jobs 1 --json --out "$work/s$2" 2>/dev/null) || true
  printf '%s\t%s\t%s\n' "$1" "$(jq .states <<<"$json")" "$(awk '{ printf "%.2f", $1 + $2 }' "$work/time-$1-$2")"
}
export -f shard

echo "grid $shape v6.2: $count tasks; serial proof $serial states, $serial_cpu CPU s"
echo
echo "| machines | tasks each | shards: states ÷ serial | largest shard's states ÷ serial | sum of CPU s | slowest, CPU s | imbalance | slowest ÷ serial | bound from the tasks: slowest, CPU s |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in "${machines[@]}"; do
  seq 0 $((n - 1)) | parallel -j2 -k shard {} "$n" >"$out/shards-$shape-$n.tsv"
  bound=$(awk -F'\t' -v n="$n" 'NR > 1 { cpu[$1 % n] += $4 } END { for (s in cpu) if (cpu[s] > max) max = cpu[s]; printf "%.2f", max }' "$rows")
  awk -F'\t' -v n="$n" -v serial="$serial" -v serial_cpu="$serial_cpu" -v count="$count" -v bound="$bound" '{
      states += $2; sum += $3; if ($3 > max) max = $3; if ($2 > most) most = $2
    } END {
      printf "| %d | %.1f | %.1f | %.2f | %.1f | %.2f | %.2f | %.2f | %s |\n", n, count / n, states / serial, most / serial, sum, max,
        max / (sum / n), max / serial_cpu, bound
    }' "$out/shards-$shape-$n.tsv"
done
echo
awk -F'\t' -v serial="$serial" -v serial_cpu="$serial_cpu" 'NR > 1 { states += $3; sum += $4; if ($4 > max) max = $4; if ($3 > most) most = $3; ++n }
  END { printf "Tasks alone: states %.1f x serial (the largest task %.2f x), CPU %.1f s in all, the slowest task %.2f s (%.2f x serial, %.1f x the mean)\n",
        states / serial, most / serial, sum, max, max / serial_cpu, max / (sum / n) }' "$rows"
