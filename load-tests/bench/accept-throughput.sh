#!/usr/bin/env bash
# Accept throughput: durable Event invokes against DryRun invokes on the same node, in the same run.
#
#   load-tests/bench/accept-throughput.sh [rounds] [mode]
#
# mode "stalled" (default): every function holds its only slot with a long sleep, so Event invokes
#   measure the accept path alone (journal the event, answer 202); the backlog grows in memory.
# mode "echo": functions echo, so each event is also dispatched, run and its outcome journaled.
# Starts a fresh node (embedded H2, crash-safe) on a free port, 100 functions, wrk -t2 -c64,
# 60 s of warm-up (40 s of Event invokes, 20 s of DryRun), then `rounds` pairs of 10 s runs (DryRun,
# then Event). Prints each run and the medians, with the CPU time each request cost the node and (when
# INVOKA_DB_URL names PostgreSQL on this machine) the database, and how much of the machine stayed idle.
# Needs wrk (apt-get install wrk). Set JAVA_OPTS to change the node's heap (default 2g); INVOKA_DB_URL (and
# _USER, _PASSWORD) for PostgreSQL.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
rounds="${1:-3}"
mode="${2:-stalled}"
port="${BENCH_PORT:-9400}"
data="$(mktemp -d)"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
. "$root/load-tests/bench/lib.sh"
start_node "${JAVA_OPTS:--Xmx2g}"

bench_functions "$mode"

# On embedded H2 the Event path keeps getting cheaper through its first minute or so of load: node CPU per
# Event by round was 371, 335, 256, 261 us after 20 s of Event warm-up, and 348, 286, 266 after 40 s
# (docs/benchmarks.md, "Warm-up"). Hence 40 s, and the median of three rounds or more. DryRun settles
# within its 20 s.
echo "warm-up (60 s: 40 s of Event, 20 s of DryRun)..." >&2
accept_run Event 40 >/dev/null
accept_run DryRun 20 >/dev/null
for r in $(seq 1 "$rounds"); do
  accept_run DryRun 10
  accept_run Event 10
done | tee "$data/results"
accept_summary "$data/results" "mode=$mode"
