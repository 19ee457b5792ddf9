#!/usr/bin/env bash
# Builds fsmc-bench into build/ and runs it on this machine. Arguments go to
# fsmc-bench (--json: one JSON object on stdout). Build output and the
# machine description go to stderr, so stdout stays the bench's alone.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f build/CMakeCache.txt ] || cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >&2
cmake --build build -j2 --target fsmc-bench >&2

compiler=$(sed -n 's/^CMAKE_CXX_COMPILER:[A-Z]*=//p' build/CMakeCache.txt)
{
  echo "date:     $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "cpu:      $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores"
  echo "memory:   $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
  echo "os:       $(. /etc/os-release && echo "$PRETTY_NAME"), kernel $(uname -r)"
  echo "compiler: $("${compiler:-c++}" --version | head -n 1), build type $(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' build/CMakeCache.txt)"
  echo "boost:    $(sed -n 's/^#define BOOST_LIB_VERSION "\(.*\)"/\1/p' /usr/include/boost/version.hpp)"
  echo "commit:   $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- checker || echo ' (checker/ has uncommitted changes)')"
  echo "load:     $(uptime | sed 's/.*load average: //')"
} >&2
exec build/bench/fsmc-bench "$@"
