#!/usr/bin/env bash
# A real Slurm check of cohabit's cluster workflow, on this machine alone.
#
# Brings up a single-node Slurm from Debian's packages (munge, slurmctld, slurmd,
# slurm-client; installed with apt-get if missing), writes the job array and merge scripts
# with `cohabit slurm`, submits them, waits for the merge (which Slurm starts only after
# every shard succeeded), and checks that the merged results are byte-identical to the same
# experiment run locally: a `run` (runs, summary, timeseries, map) and a `sweep` (design,
# runs, summary). Then a failed task: one task of a run's array fails (its shard folder is
# blocked by a file), the merge waits for good, the cause is removed, the task is resubmitted
# alone (`sbatch --array=2`), the merge submitted again, and the results compared as before.
# Stops only the daemons it started, by pid, and removes its files.
#
# Usage: scripts/slurm-check.sh        (as root; no systemd needed)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
START=$(date +%s)

say() { echo "slurm-check: $*"; }

if [ "$(id -u)" -ne 0 ]; then
    say "must run as root (it installs packages and starts daemons)" >&2
    exit 1
fi

missing=()
for p in munge slurmctld slurmd slurm-client; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

cargo build --release --quiet
BIN=$ROOT/target/release/cohabit

WORK=$(mktemp -d /tmp/cohabit-slurm.XXXXXX)
chmod 755 "$WORK"
HOST=$(hostname -s)
started=()          # pid files of the daemons this script started
created_key=""

cleanup() {
    local rc=$?
    for pidfile in "${started[@]}"; do
        [ -f "$pidfile" ] || continue
        pid=$(cat "$pidfile")
        if kill "$pid" 2>/dev/null; then
            for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        fi
        rm -f "$pidfile"
    done
    [ -n "$created_key" ] && rm -f /etc/munge/munge.key
    rm -rf "$WORK"
    exit $rc
}
trap cleanup EXIT

# munge: reuse a working one, else start ours.
if munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
    say "using the munge daemon already running"
else
    if [ ! -f /etc/munge/munge.key ]; then
        mungekey --create --keyfile=/etc/munge/munge.key
        created_key=1
    fi
    chown munge:munge /etc/munge/munge.key
    chmod 0400 /etc/munge/munge.key
    mkdir -p /run/munge /var/log/munge /var/lib/munge
    chown munge:munge /run/munge /var/log/munge /var/lib/munge
    runuser -u munge -- /usr/sbin/munged --pid-file=/run/munge/munged.pid
    started+=(/run/munge/munged.pid)
    for _ in $(seq 50); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.1; done
    munge -n | unmunge >/dev/null
fi

# Slurm, on ports of its own (picked at random) so that it cannot meet another Slurm on
# this machine.
PORT=$((20000 + RANDOM % 20000))
MEM=$(slurmd -C | sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p')
MEM=$((MEM * 9 / 10))
mkdir -p "$WORK/state" "$WORK/spool"
export SLURM_CONF=$WORK/slurm.conf
cat > "$SLURM_CONF" <<EOF
ClusterName=cohabit-check
SlurmctldHost=$HOST(127.0.0.1)
SlurmctldPort=$PORT
SlurmdPort=$((PORT + 1))
SlurmUser=root
AuthType=auth/munge
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerParameters=batch_sched_delay=0
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
MailProg=/bin/true
ReturnToService=2
SlurmctldPidFile=$WORK/slurmctld.pid
SlurmdPidFile=$WORK/slurmd.pid
StateSaveLocation=$WORK/state
SlurmdSpoolDir=$WORK/spool
SlurmctldLogFile=$WORK/slurmctld.log
SlurmdLogFile=$WORK/slurmd.log
NodeName=$HOST NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=$MEM State=UNKNOWN
PartitionName=check Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
EOF
slurmctld -f "$SLURM_CONF"
started+=("$WORK/slurmctld.pid")
slurmd -f "$SLURM_CONF" -N "$HOST"
started+=("$WORK/slurmd.pid")
for _ in $(seq 100); do
    state=$(sinfo -h -o %T 2>/dev/null || true)
    [ "$state" = "idle" ] && break
    sleep 0.2
done
say "Slurm is up (node $HOST: ${state:-unknown})"

# The state of job (or array task) $1.
job_state() {
    scontrol show job "$1" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p' | head -1
}

# Wait until job (or array task) $1 is in state $2; fail if it ends otherwise.
wait_state() {
    local job=$1 want=$2 state=""
    for _ in $(seq 600); do
        state=$(job_state "$job")
        [ "$state" = "$want" ] && return 0
        case "$state" in
            COMPLETED|FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY|BOOT_FAIL|DEADLINE) break ;;
        esac
        sleep 0.2
    done
    say "job $job ended as ${state:-unknown}, expected $want" >&2
    return 1
}

# Wait for job $1 to leave the queue; fail unless it COMPLETED.
wait_job() {
    local job=$1 state=""
    for _ in $(seq 600); do
        state=$(scontrol show job "$job" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p' | head -1)
        case "$state" in
            COMPLETED) return 0 ;;
            FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY|BOOT_FAIL|DEADLINE) break ;;
        esac
        sleep 0.2
    done
    say "job $job ended as ${state:-unknown}" >&2
    tail -n 20 "$WORK"/*/slurm/*.log "$WORK/slurmctld.log" >&2 || true
    return 1
}

TINY=tests/fixtures/tiny.toml
DESIGN=tests/fixtures/designs/factorial.toml
check() {   # name, files, batch command args...
    local name=$1 files=$2
    shift 2
    "$BIN" "$@" --out "$WORK/$name-local" --quiet
    "$BIN" slurm --shards 3 -- "$@" --out "$WORK/$name-slurm" >/dev/null
    out=$(bash "$WORK/$name-slurm/slurm/submit.sh")
    merge=$(echo "$out" | sed -n 's/.*merge as job \([0-9]*\).*/\1/p')
    say "$name: $out"
    wait_job "$merge"
    for f in $files; do
        cmp "$WORK/$name-local/$f" "$WORK/$name-slurm/$f"
    done
    say "$name: merged Slurm results are byte-identical to the local run ($files)"
}
check run "runs.csv summary.csv timeseries.csv map.csv" run "$TINY" --no-charts
check sweep "design.csv runs.csv summary.csv" sweep "$TINY" --design "$DESIGN"

# A failed task, resubmitted alone: the script carries the shard count, so task 2 of a
# one-task resubmission is still shard 2 of 3.
files="runs.csv summary.csv timeseries.csv map.csv"
out=$WORK/resubmit-slurm
"$BIN" slurm --shards 3 -- run "$TINY" --no-charts --out "$out" >/dev/null
mkdir -p "$out/shards"
touch "$out/shards/0002-of-0003"          # task 2 cannot make its shard folder: it fails
submitted=$(bash "$out/slurm/submit.sh")
array=$(echo "$submitted" | sed -n 's/.*job array \([0-9]*\).*/\1/p')
merge=$(echo "$submitted" | sed -n 's/.*merge as job \([0-9]*\).*/\1/p')
wait_state "${array}_1" COMPLETED
wait_state "${array}_3" COMPLETED
wait_state "${array}_2" FAILED
say "resubmit: task 2 of array $array failed as planned; merge job $merge cannot start"
scancel "$merge"
rm "$out/shards/0002-of-0003"
again=$(sbatch --parsable --array=2 "$out/slurm/array.sbatch")
again=${again%%;*}
wait_state "${again}_2" COMPLETED
merge=$(sbatch --parsable "$out/slurm/merge.sbatch")
merge=${merge%%;*}
wait_job "$merge"
for f in $files; do
    cmp "$WORK/run-local/$f" "$out/$f"
done
say "resubmit: task 2 resubmitted alone as array $again, merged: byte-identical to the local run ($files)"

say "passed in $(( $(date +%s) - START )) s"
