# Sourced by bench/scenarios.sh and bench/targets.sh from the repository
# root: builds build/fsmc, then describes the machine, the commit and the
# load on stderr.
build_fsmc_and_describe() {
  [ -f build/CMakeCache.txt ] || cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >&2
  cmake --build build -j2 --target fsmc >&2
  {
    echo "date:   $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "cpu:    $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores"
    echo "commit: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- checker model cli || echo ' (uncommitted changes)')"
    echo "load:   $(uptime | sed 's/.*load average: //')"
  } >&2
}
