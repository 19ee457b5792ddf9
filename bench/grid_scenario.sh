# Sourced by bench/grid.sh and bench/jobs.sh: the grid's scenario of shape
# N pages x T threads on a kernel.
# scenario KERNEL N T FILE: writes the scenario file
scenario() {
  local kernel=$1 n=$2 t=$3 file=$4 w f i
  case $t in 3) w=1 f=1 ;; 4) w=1 f=2 ;; 5) w=2 f=2 ;; 6) w=2 f=3 ;; 7) w=3 f=3 ;; esac
  {
    printf '{\n  "fsmc": 1,\n  "name": "grid-n%st%s-%s",\n' "$n" "$t" "$kernel"
    printf '  "description": "bench/grid.sh: %s writer(s) of pages [0,%s) short after page 0, %s mmap faulter(s), one writeback pass",\n' "$w" "$n" "$f"
    printf '  "kernel": "%s",\n  "file": { "size": %s, "pages": %s },\n  "threads": [\n' "$kernel" "$n" "$n"
    for ((i = 0; i < w; i++)); do
      printf '    { "name": "writer%s", "ops": [ { "op": "write", "page": 0, "pages": %s, "copy": 1 } ] },\n' "$i" "$n"
    done
    for ((i = 0; i < f; i++)); do
      printf '    { "name": "mapper%s", "ops": [ { "op": "mmap_write", "page": %s } ] },\n' "$i" $((1 + i % (n - 1)))
    done
    printf '    { "name": "flusher", "ops": [ { "op": "writeback" } ] }\n  ],\n'
    printf '  "check": ["dirty_backed"],\n'
    if [ "$kernel" = v6.1 ]; then
      printf '  "expect": { "verdict": "violation", "invariants": ["dirty_backed"] }\n}\n'
    else
      printf '  "expect": { "verdict": "pass" }\n}\n'
    fi
  } >"$file"
}
