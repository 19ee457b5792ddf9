#!/usr/bin/env bash
# The "grid" benchmark of issue 5: the seed race of 198dd8ae in the shapes of
# a SPIN model of the race (xfs_punch_model.pml), N pages x T threads, run by fsmc
# on each kernel variant. Builds fsmc into build-bench/ and prints one
# markdown table row per run on stdout as it goes; build output, the machine
# description and progress go to stderr.
#
# usage: bench/grid.sh [--cap S] [--pages A-B] [--threads A-B] [--rev REV]
#                      [--kernels K1,K2,...] [--keep DIR] [-- FSMC_FLAGS...]
#   --cap S       per-run cap, passed to fsmc as --seconds S (default 300)
#   --pages A-B   pages N (default 2-6; at least 2: faulters hit 1..N-1)
#   --threads A-B threads T (default 3-7): t3 = 1 writer + 1 mmap faulter +
#                 writeback, t4 = 1W+2F+WB, t5 = 2W+2F+WB, t6 = 2W+3F+WB,
#                 t7 = 3W+3F+WB
#   --kernels L   comma-separated (default v6.1+198dd8ae,v6.2,v6.1)
#   --rev REV     build and measure commit REV (exported with git archive into
#                 build-bench/src-SHA, built in build-bench/build-SHA) instead
#                 of the working tree, so edits in progress are not measured
#   --keep DIR    write the scenario files and traces under DIR and keep them
#                 (default: a temporary directory removed at exit)
#   -- FLAGS      extra flags for every `fsmc run` (default none: the default
#                 search), e.g. `-- --strategy dfs`; unless they set
#                 --max-executions, 2^62-1 is added so only the time cap stops
#                 a run
#
# Every writer writes pages [0,N) with copy 1 (its user buffer faults at
# page 1: a short write after page 0); faulter j stores through a mapping at
# page 1 + j % (N-1); the writeback thread makes one pass over the file.
# Checked: dirty_backed. v6.1 is the kernel before the fix (a violation is
# expected: the figure is the time to the first counterexample); the fixed
# kernels are expected to pass.
#
# Each run is `fsmc run FILE --json --out DIR --seconds S FLAGS` under
# /usr/bin/time (whole-command wall seconds, user + system CPU seconds, which
# other processes on a shared machine inflate less than the wall time, and
# peak RSS). fsmc's exit code
# 3 (inconclusive: the cap stopped the search) is reported as "cap", not as
# an error. For each kernel and T, pages grow from the smallest; once a run
# hits the cap, larger N for that T are skipped, and larger T for that N
# (the space only grows with both).
set -euo pipefail
cd "$(dirname "$0")/.."

cap=300
pages=2-6
threads=3-7
kernels=v6.1+198dd8ae,v6.2,v6.1
keep=
rev=
flags=()
usage() {  # usage EXIT: the help text, on stdout for --help and on stderr for a mistake
  if [ "$1" = 0 ]; then sed -n '/^# usage/,/^#$/p' "$0" | sed 's/^# \{0,1\}//'
  else sed -n '/^# usage/,/^#$/p' "$0" | sed 's/^# \{0,1\}//' >&2; fi
  exit "$1"
}
while [ $# -gt 0 ]; do
  case $1 in
    --cap) cap=${2:?}; shift 2 ;;
    --pages) pages=${2:?}; shift 2 ;;
    --threads) threads=${2:?}; shift 2 ;;
    --kernels) kernels=${2:?}; shift 2 ;;
    --keep) keep=${2:?}; shift 2 ;;
    --rev) rev=${2:?}; shift 2 ;;
    --) shift; flags=("$@"); break ;;
    -h|--help) usage 0 ;;
    *) echo "grid.sh: unknown argument '$1'" >&2; usage 2 ;;
  esac
done
range() { [[ $1 =~ ^([0-9]+)(-([0-9]+))?$ ]] || { echo "grid.sh: bad range '$1'" >&2; exit 2; }
          seq "${BASH_REMATCH[1]}" "${BASH_REMATCH[3]:-${BASH_REMATCH[1]}}"; }
mapfile -t page_list < <(range "$pages")
mapfile -t thread_list < <(range "$threads")
IFS=, read -r -a kernel_list <<<"$kernels"
for n in "${page_list[@]}"; do [ "$n" -ge 2 ] || { echo "grid.sh: pages must be at least 2" >&2; exit 2; }; done
for t in "${thread_list[@]}"; do
  if [ "$t" -lt 3 ] || [ "$t" -gt 7 ]; then echo "grid.sh: threads must be 3..7" >&2; exit 2; fi
done
[ -x /usr/bin/time ] || { echo "grid.sh: /usr/bin/time not found (apt-get install time)" >&2; exit 1; }
# the time cap should be what stops a run, not the default execution cap
case " ${flags[*]} " in *" --max-executions "*) ;; *) flags+=(--max-executions 4611686018427387903) ;; esac

if [ -n "$rev" ]; then
  sha=$(git rev-parse --short "$rev^{commit}")
  src=build-bench/src-$sha build=build-bench/build-$sha
  if [ ! -f "$src/CMakeLists.txt" ]; then
    mkdir -p "$src"
    git archive "$sha" | tar -x -C "$src"
  fi
  code="commit $sha (exported with git archive; the working tree is not measured)"
else
  src=. build=build-bench
  code="$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- checker model cli || echo ' plus uncommitted changes in checker/, model/ or cli/')"
fi
cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >&2
cmake --build "$build" -j2 --target fsmc >&2
fsmc=$build/fsmc

if [ -n "$keep" ]; then
  mkdir -p "$keep"; work=$(cd "$keep" && pwd)
else
  work=$(mktemp -d -t fsmc-grid.XXXXXX)
  trap 'rm -rf "$work"' EXIT
fi

compiler=$(sed -n 's/^CMAKE_CXX_COMPILER:[A-Z]*=//p' "$build"/CMakeCache.txt)
{
  echo "date:     $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "cpu:      $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores"
  echo "memory:   $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
  # shellcheck disable=SC1091
  echo "os:       $(. /etc/os-release && echo "$PRETTY_NAME"), kernel $(uname -r)"
  echo "compiler: $("${compiler:-c++}" --version | head -n 1), build type $(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build"/CMakeCache.txt)"
  echo "boost:    $(sed -n 's/^#define BOOST_LIB_VERSION "\(.*\)"/\1/p' /usr/include/boost/version.hpp)"
  echo "code:     $code"
  echo "load:     $(uptime | sed 's/.*load average: //')"
  echo "command:  bench/grid.sh${rev:+ --rev $rev} --cap $cap --pages $pages --threads $threads --kernels $kernels -- ${flags[*]}"
} >&2

# scenario KERNEL N T FILE: writes the scenario file
source bench/grid_scenario.sh  # the working directory is the repository by now

# a JSON field of fsmc's one-object summary (flat keys, scalar values)
field() { local v; v=$(sed -n "s/^  \"$1\": \"\{0,1\}\([^\",]*\)\"\{0,1\},\{0,1\}\$/\1/p" "$2" | head -n 1); echo "${v:--}"; }

echo "| shape | kernel | verdict | executions | states cached | exhaustive | fsmc s | whole s | cpu s | peak RSS MB |"
echo "|---|---|---|---:|---:|---|---:|---:|---:|---:|"
for kernel in "${kernel_list[@]}"; do
  declare -A capped_by=()
  for t in "${thread_list[@]}"; do
    for n in "${page_list[@]}"; do
      shape="n${n}t${t}"
      if [ -n "${capped_by[$n]:-}" ]; then
        echo "| $shape | $kernel | skipped: ${capped_by[$n]} hit the cap | | | | | | | |"
        continue
      fi
      dir="$work/$kernel/$shape"
      mkdir -p "$dir"
      scenario "$kernel" "$n" "$t" "$dir/scenario.json"
      echo "grid.sh: $shape $kernel ..." >&2
      rc=0
      /usr/bin/time -o "$dir/time" -f '%e %U %S %M' "$fsmc" run "$dir/scenario.json" --json --out "$dir/out" \
        --seconds "$cap" "${flags[@]}" >"$dir/summary.json" 2>"$dir/stderr" || rc=$?
      # the last line: GNU time writes "Command exited with non-zero status N" first
      read -r whole user sys rss_kb < <(tail -n 1 "$dir/time")
      verdict=$(field verdict "$dir/summary.json")
      case $rc in
        0|1) ;;
        3) verdict="cap ($verdict)" ;;
        *) verdict="error (exit $rc: $(tail -n 1 "$dir/stderr"))" ;;
      esac
      expected=pass; [ "$kernel" = v6.1 ] && expected=violation
      if [ "$rc" != 3 ] && [ "${verdict}" != "$expected" ]; then
        echo "grid.sh: UNEXPECTED $verdict for $shape $kernel; scenario:" >&2
        cat "$dir/scenario.json" >&2
      fi
      secs=$(field seconds "$dir/summary.json")
      [ "$secs" = - ] || secs=$(printf '%.3f' "$secs")
      printf '| %s | %s | %s | %s | %s | %s | %s | %s | %.2f | %.0f |\n' "$shape" "$kernel" "$verdict" \
        "$(field executions "$dir/summary.json")" "$(field states "$dir/summary.json")" \
        "$(field exhaustive "$dir/summary.json")" "$secs" "$whole" "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" "$(awk -v k="$rss_kb" 'BEGIN { print k / 1024 }')"
      if [ "$rc" = 3 ]; then
        # every larger N at this T, and this N at every larger T, are skipped
        for m in "${page_list[@]}"; do [ "$m" -ge "$n" ] && capped_by[$m]=$shape; done
      fi
    done
  done
  unset capped_by
done
