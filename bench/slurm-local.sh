#!/usr/bin/env bash
# Shards on a real Slurm: starts a single-node cluster (munged, slurmctld,
# slurmd) on localhost in a temporary folder, submits for each scenario
# README's array job of `fsmc run FILE --shard auto` and its merge job,
# waits for them, checks that the merged verdict and traces are the serial
# run's, and stops what it started. Needs Debian's slurm-wlm and munge and
# jq; run as root (the daemons run as the user who starts them). Uses
# build/fsmc as it is, or $FSMC. A CTest test (tests/CMakeLists.txt) runs it
# with its defaults, in about 20 s.
#
# usage: bench/slurm-local.sh [SHARDS [FILE...]]
#   (default: 4 shards of seed-race-v6.1, a violation, and of
#    seed-race-two-pages-v6.2, a pass). Exit 0: every merge as the serial
#   run; 1: some differ or the cluster did not come up; 77: Slurm, munge
#   or jq is not installed.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
shards=${1:-4}
[ $# -gt 0 ] && shift
files=("$@")
[ ${#files[@]} -gt 0 ] || files=(scenarios/xfs/seed-race-v6.1.json scenarios/xfs/seed-race-two-pages-v6.2.json)
for tool in munged munge slurmctld slurmd sbatch squeue sinfo jq; do
  command -v "$tool" >/dev/null || { echo "slurm-local.sh: $tool not found (apt-get install slurm-wlm munge jq)"; exit 77; }
done
fsmc=$(realpath "${FSMC:-build/fsmc}")
[ -x "$fsmc" ] || { echo "slurm-local.sh: $fsmc not found (scripts/build)"; exit 1; }

work=$(mktemp -d -t fsmc-slurm.XXXXXX)
pids=()
teardown() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap teardown EXIT

# until SECONDS_MAX COMMAND...: retries the command every 0.2 s; false when it never succeeds.
until_ok() {
  local end=$((SECONDS + $1))
  shift
  while ! "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $end ] || return 1
    sleep 0.2
  done
}
fail_with_logs() {
  echo "slurm-local.sh: $1"
  tail -n 20 "$work"/*.log 2>/dev/null || true
  exit 1
}

# munge: a key of our own, a socket in the folder.
dd if=/dev/urandom of="$work/munge.key" bs=1024 count=1 status=none
chmod 600 "$work/munge.key"
munged -F --force --key-file="$work/munge.key" --socket="$work/munge.sock" --pid-file="$work/munged.pid" \
  --log-file="$work/munged.log" --seed-file="$work/munged.seed" >>"$work/munged.log" 2>&1 &
pids+=($!)
munge_works() { munge -n -S "$work/munge.sock" | unmunge -S "$work/munge.sock"; }
until_ok 20 munge_works || fail_with_logs "munged did not start"

# Slurm: one node, this machine's CPUs, consumable CPUs so that array tasks
# share it; two ports nothing listens on (another cluster may run beside).
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port=$((20000 + RANDOM % 20000))
while listening "$port" || listening $((port + 1)); do port=$((20000 + RANDOM % 20000)); done
host=$(hostname -s)
cpus=$(nproc)
mkdir -p "$work/ctld" "$work/slurmd"
export SLURM_CONF=$work/slurm.conf
cat >"$SLURM_CONF" <<EOF
ClusterName=fsmclocal
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$work/munge.sock
SlurmUser=$(id -un)
SlurmdUser=$(id -un)
StateSaveLocation=$work/ctld
SlurmdSpoolDir=$work/slurmd
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=local Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
slurmctld -D -i -f "$SLURM_CONF" >>"$work/slurmctld.log" 2>&1 &
pids+=($!)
slurmd -D -f "$SLURM_CONF" >>"$work/slurmd.log" 2>&1 &
pids+=($!)
node_idle() { [ "$(sinfo -h -N -o %T)" = idle ]; }
until_ok 60 node_idle || fail_with_logs "the node did not come up idle"

mkdir "$work/bin"
ln -s "$fsmc" "$work/bin/fsmc"
export PATH=$work/bin:$PATH  # the jobs run it as `fsmc`, as README's example does
status=0
echo "slurm-local.sh: $(sinfo -V), node $host with $cpus CPUs, $shards shards, fsmc $(git rev-parse --short HEAD 2>/dev/null || echo "(no git)")"
for file in "${files[@]}"; do
  path=$(realpath "$file")
  name=$(jq -r .name "$path")
  dir=$work/$name
  mkdir -p "$dir"
  (
    cd "$dir"
    # README's Slurm example, with this node's sizes.
    cat >shards.sh <<EOF
#!/bin/sh
#SBATCH --array=0-$((shards - 1))
#SBATCH --cpus-per-task=1
fsmc run $path --shard auto --jobs "\$SLURM_CPUS_PER_TASK" --out shards
EOF
    start=$(date +%s.%N)
    jobid=$(sbatch --parsable shards.sh)
    merge=$(sbatch --parsable --dependency=afterany:"$jobid" --wrap "fsmc merge shards/$name.shard-*-of-$shards.json --out fsmc-out")
    jobs_left() { [ -n "$(squeue -h -j "$jobid,$merge" -o %i)" ]; }
    until_ok 600 eval '! jobs_left' || { echo "$name: the jobs did not finish in 600 s"; exit 1; }
    end=$(date +%s.%N)
    rc=0
    fsmc run "$path" --jobs 1 --out serial >serial.txt 2>&1 || rc=$?
    [ $rc -le 1 ] || { echo "$name: the serial run exited $rc"; cat serial.txt; exit 1; }
    merged=$(head -n 1 "slurm-$merge.out" 2>/dev/null || true)
    verdict() { sed -n '1s/^[^:]*: \([a-z]*\).*/\1/p' "$1"; }
    echo "$name: array job $jobid ($shards shards) and merge job $merge in $(printf '%.1f' "$(echo "$end - $start" | bc)") s"
    echo "  serial: $(head -n 1 serial.txt)"
    echo "  merged: $merged"
    if [ -z "$merged" ] || [ "$(verdict serial.txt)" != "$(verdict "slurm-$merge.out")" ]; then
      echo "  DIFFERENT verdicts"
      cat slurm-*.out
      exit 1
    fi
    mkdir -p serial fsmc-out  # a pass writes no trace, and no folder
    if ! diff -r serial fsmc-out >/dev/null 2>&1; then
      echo "  DIFFERENT traces: $(ls serial) / $(ls fsmc-out 2>/dev/null)"
      exit 1
    fi
    echo "  same verdict; traces byte-identical ($(ls serial | wc -l) file(s))"
  ) || status=1
done
exit $status
