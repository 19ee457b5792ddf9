#!/usr/bin/env bash
# The single-scenario figures of the speed issue, each with a plain
# `fsmc run` (the default search, no flags):
#   - the seed fix's 3-thread proof (scenarios/xfs/seed-race-v6.1-198dd8ae.json):
#     fsmc's own search seconds over R runs (min, median, max), executions, states
#   - the 16-thread v6.1 scenario (bench/scenarios/sixteen-threads-v6.1.json):
#     time to the first violation (or the cap), executions, and the phase that
#     ended it: "stateful" when the summary counts cached states (auto's
#     stateful trial, which runs first, or its proof after the
#     preemption-bounded rounds), else the bounded rounds or PCT sampling
# Builds build/fsmc (as bench/scenarios.sh does); prints a markdown table on
# stdout, the machine description on stderr.
#
# usage: bench/targets.sh [--cap S] [--runs R]
#   --cap S    the 16-thread run's cap, passed as --seconds S (default 60)
#   --runs R   runs of the 3-thread proof (default 20)
set -euo pipefail
cd "$(dirname "$0")/.."

cap=60
runs=20
while [ $# -gt 0 ]; do
  case $1 in
    --cap) cap=${2:?}; shift 2 ;;
    --runs) runs=${2:?}; shift 2 ;;
    -h|--help) sed -n '/^# usage/,/^$/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "targets.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
[ -x /usr/bin/time ] || { echo "targets.sh: /usr/bin/time not found (apt-get install time)" >&2; exit 1; }

. bench/fsmc_build.sh
build_fsmc_and_describe

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
field() { sed -n "s/^  \"$1\": \"\{0,1\}\([^\",]*\).*/\1/p" "$2"; }

echo "| scenario | verdict | executions | states | phase | search s | command s | cpu s | peak MB |"
echo "|---|---|---:|---:|---|---:|---:|---:|---:|"

proof=scenarios/xfs/seed-race-v6.1-198dd8ae.json
for ((i = 0; i < runs; i++)); do
  build/fsmc run "$proof" --json --out "$tmp/out" >"$tmp/proof.json" 2>/dev/null || true
  field seconds "$tmp/proof.json" >>"$tmp/proof.seconds"
done
states=$(field states "$tmp/proof.json")
phase="bounded rounds or PCT"; [ -n "$states" ] && phase="stateful (its trial, or after the rounds)"
sort -g "$tmp/proof.seconds" | awk -v n="$runs" -v e="$(field executions "$tmp/proof.json")" -v s="${states:--}" \
  -v v="$(field verdict "$tmp/proof.json")" -v p="$phase" '{ a[NR] = $1 }
  END { printf "| seed-race-v6.1-198dd8ae (%d runs) | %s | %s | %s | %s | min %.4f, median %.4f, max %.4f | | | |\n",
        n, v, e, s, p, a[1], a[int((NR + 1) / 2)], a[NR] }'

wide=bench/scenarios/sixteen-threads-v6.1.json
rc=0
/usr/bin/time -o "$tmp/time" -f '%e %U %S %M' build/fsmc run "$wide" --json --out "$tmp/out" --seconds "$cap" \
  >"$tmp/wide.json" 2>/dev/null || rc=$?
read -r wall user sys rss < <(tail -n 1 "$tmp/time")  # time first notes a non-zero exit
verdict=$(field verdict "$tmp/wide.json")
[ "$rc" -eq 3 ] && verdict="cap ($cap s)"
states=$(field states "$tmp/wide.json")
phase="bounded rounds or PCT"; [ -n "$states" ] && phase="stateful (its trial, or after the rounds)"
printf '| sixteen-threads-v6.1 | %s | %s | %s | %s | %.3f | %s | %.2f | %.1f |\n' "$verdict" \
  "$(field executions "$tmp/wide.json")" "${states:--}" "$phase" "$(field seconds "$tmp/wide.json")" "$wall" \
  "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')"
