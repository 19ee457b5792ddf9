#!/usr/bin/env bash
# Shards run by GNU parallel, two at a time, then merged: the verdict and
# the trace bytes are the serial search's, for a proof and for a violation
# the stateful search finds (with --strategy dfs, past the bounded rounds).
# Usage: shards_with_parallel.sh FSMC SOURCE_DIR. Exit 77 (skipped) without parallel.
set -euo pipefail
fsmc=$1
cd "$2"
if ! command -v parallel >/dev/null; then
  echo "GNU parallel is not installed (scripts/install-deps --test installs it)"
  exit 77
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail=0
for case in "scenarios/xfs/seed-race-two-pages-v6.2.json auto 0" "scenarios/xfs/seed-race-v6.1.json dfs 1"; do
  read -r scenario strategy expected <<<"$case"
  name=$(basename "$scenario" .json)
  rc=0; "$fsmc" run "$scenario" --strategy "$strategy" --jobs 1 --out "$dir/serial" >/dev/null || rc=$?
  [ "$rc" -eq "$expected" ] || { echo "$name: serial run exited $rc, expected $expected"; fail=1; }
  parallel --will-cite -j2 "$fsmc" run "$scenario" --strategy "$strategy" --jobs 1 --shard {}/4 --out "$dir/shards" \
    ::: 0 1 2 3 >/dev/null || true
  rc=0; "$fsmc" merge "$dir"/shards/"$name".shard-*-of-4.json --out "$dir/merged" >"$dir/merge.txt" || rc=$?
  [ "$rc" -eq "$expected" ] || { echo "$name: merge exited $rc, expected $expected"; cat "$dir/merge.txt"; fail=1; }
done
if ! diff -r "$dir/serial" "$dir/merged"; then
  echo "merged traces differ from the serial run's"
  fail=1
fi
[ "$(ls "$dir/merged")" = "seed-race-v6.1.dirty_backed.json" ] || { echo "merged: expected one trace, got: $(ls "$dir/merged")"; fail=1; }
exit $fail
