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

handler=echo; env='{}'
[ "$mode" = stalled ] && { handler=sleep; env='{"SLEEP_MS":"3600000"}'; }
for i in $(seq 0 99); do
  curl -sf -X POST "localhost:$port/2015-03-31/functions" -H 'Content-Type: application/json' \
    -d "{\"FunctionName\":\"bench-$i\",\"Runtime\":\"builtin\",\"Handler\":\"$handler\",\"Timeout\":900,
         \"Role\":\"arn:aws:iam::000000000000:role/bench\",\"Environment\":{\"Variables\":$env}}" >/dev/null
  if [ "$mode" = stalled ]; then
    curl -sf -X PUT "localhost:$port/2017-10-31/functions/bench-$i/concurrency" -d '{"ReservedConcurrentExecutions":1}' >/dev/null
  fi
done

# The CPU each request cost, so that a run shows whether it was bound by the CPU or by waiting: node_us is
# the node's JVM, db_us PostgreSQL's server processes when they run on this machine (0 otherwise), idle the
# share of the machine's CPU nobody used during the run.
local_db() { [ -n "${INVOKA_DB_URL:-}" ] && [[ "$INVOKA_DB_URL" =~ //(localhost|127\.0\.0\.1)[:/] ]] && pgrep -x postgres || true; }
run() { # type seconds
  local db node0 db0 m0 out node1 db1 m1
  db=$(local_db | tr '\n' ' ')
  node0=$(cpu_ticks "$node"); db0=$(cpu_ticks $db); m0=$(machine_ticks)
  out=$(INVOCATION_TYPE=$1 wrk -t2 -c64 -d"$2"s --latency -s "$root/load-tests/bench/invoke.lua" "http://localhost:$port" \
    | grep RESULT | sed "s/^RESULT/$1/")
  node1=$(cpu_ticks "$node"); db1=$(cpu_ticks $db); m1=$(machine_ticks)
  python3 - "$out" "$2" "$(getconf CLK_TCK)" "$node0" "$node1" "$db0" "$db1" $m0 $m1 <<'PY'
import sys
out, secs, hz = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
n0, n1, d0, d1, b0, t0, b1, t1 = map(float, sys.argv[4:12])
requests = float(dict(kv.split("=") for kv in out.split()[1:])["rps"]) * secs or 1
us = lambda ticks: ticks / hz * 1e6 / requests
print(f"{out} node_us={us(n1 - n0):.0f} db_us={us(d1 - d0):.0f} idle={100 * (1 - (b1 - b0) / max(1, t1 - t0)):.0f}")
PY
}
# On embedded H2 the Event path keeps getting cheaper through its first minute or so of load: node CPU per
# Event by round was 371, 335, 256, 261 us after 20 s of Event warm-up, and 348, 286, 266 after 40 s
# (docs/benchmarks.md, "Warm-up"). Hence 40 s, and the median of three rounds or more. DryRun settles
# within its 20 s.
echo "warm-up (60 s: 40 s of Event, 20 s of DryRun)..." >&2
run Event 40 >/dev/null
run DryRun 20 >/dev/null
for r in $(seq 1 "$rounds"); do
  run DryRun 10
  run Event 10
done | tee "$data/results"
python3 - "$data/results" "$mode" <<'PY'
import re, statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
def med(kind, key):
    return statistics.median(float(dict(kv.split("=") for kv in r[1:])[key]) for r in rows if r[0] == kind)
dry, ev = med("DryRun", "rps"), med("Event", "rps")
for kind, rps in (("DryRun", dry), ("Event ", ev)):
    k = kind.strip()
    print(f"mode={sys.argv[2]} median {kind} {rps:.0f} req/s (p50 {med(k,'p50_ms'):.2f} ms, p99 {med(k,'p99_ms'):.2f} ms;"
          f" CPU per request: node {med(k,'node_us'):.0f} us, database {med(k,'db_us'):.0f} us; machine idle {med(k,'idle'):.0f}%)")
print(f"mode={sys.argv[2]} Event/DryRun = {ev/dry:.2f}")
PY
