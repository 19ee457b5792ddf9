#!/usr/bin/env bash
# Every scenario of scenarios/xfs/ under each search of issue 5: plain DFS
# (capped), preemption bounding at 1, 2 and 3, dpor, and the stateful
# search. Builds build/fsmc (as bench/run.sh does) and prints one markdown
# table row per scenario and search on stdout as it goes; the machine
# description goes to stderr.
#
# usage: bench/scenarios.sh [--cap S] [FILE...]
#   --cap S   per-run cap, passed to fsmc as --seconds S (default 60)
#   FILE      scenario files (default scenarios/xfs/*.json)
#
# Each run is `fsmc run FILE --json --out TMP --seconds S --max-executions
# 2^62 FLAGS` under /usr/bin/time (whole-command wall seconds, peak RSS).
# A violation scenario stops at its first counterexample; "cap" marks a run
# the time cap stopped (exit 3).
set -euo pipefail
cd "$(dirname "$0")/.."

cap=60
files=()
while [ $# -gt 0 ]; do
  case $1 in
    --cap) cap=${2:?}; shift 2 ;;
    -h|--help) sed -n '7,9p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
    *) files+=("$1"); shift ;;
  esac
done
[ ${#files[@]} -gt 0 ] || files=(scenarios/xfs/*.json)
[ -x /usr/bin/time ] || { echo "scenarios.sh: /usr/bin/time not found (apt-get install time)" >&2; exit 1; }

. bench/fsmc_build.sh
build_fsmc_and_describe

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
searches=("dfs|--strategy dfs --stateless" "bounded 1|--strategy bounded --preemptions 1"
          "bounded 2|--strategy bounded --preemptions 2" "bounded 3|--strategy bounded --preemptions 3"
          "dpor|--strategy dpor" "stateful|--strategy dfs --stateful")
echo "| scenario | search | verdict | executions | states | search s | command s | peak MB |"
echo "|---|---|---|---:|---:|---:|---:|---:|"
for f in "${files[@]}"; do
  name=$(basename "$f" .json)
  for s in "${searches[@]}"; do
    label=${s%%|*}
    read -r -a flags <<<"${s#*|}"
    rc=0
    /usr/bin/time -o "$tmp/time" -f '%e %M' build/fsmc run "$f" --json --out "$tmp/out" --seconds "$cap" \
      --max-executions 4611686018427387903 "${flags[@]}" >"$tmp/json" 2>/dev/null || rc=$?
    read -r wall rss < <(tail -n 1 "$tmp/time")  # time first notes a non-zero exit
    field() { sed -n "s/^  \"$1\": \"\{0,1\}\([^\",]*\).*/\1/p" "$tmp/json"; }
    verdict=$(field verdict) executions=$(field executions) states=$(field states)
    seconds=$(printf '%.3f' "$(field seconds)")
    [ "$rc" -eq 3 ] && verdict="cap ($cap s)"
    printf '| %s | %s | %s | %s | %s | %s | %s | %.1f |\n' "$name" "$label" "$verdict" "$executions" "${states:--}" \
      "$seconds" "$wall" "$(echo "$rss / 1024" | bc -l)"
  done
done
