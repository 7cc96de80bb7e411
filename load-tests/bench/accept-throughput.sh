#!/usr/bin/env bash
# Accept throughput: durable Event invokes against DryRun invokes on the same node, in the same run.
#
#   load-tests/bench/accept-throughput.sh [rounds] [mode]
#
# mode "stalled" (default): every function holds its only slot with a long sleep, so Event invokes
#   measure the accept path alone (journal the event, answer 202); the backlog grows in memory.
# mode "echo": functions echo, so each event is also dispatched, run and its outcome journaled.
# Starts a fresh node (embedded H2, crash-safe) on a free port, 100 functions, wrk -t2 -c64,
# 40 s of warm-up, then `rounds` pairs of 10 s runs (DryRun, then Event). Prints each run and the
# medians. Needs wrk (apt-get install wrk). Set JAVA_OPTS to change the node's heap (default 2g).
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

run() { # type seconds
  INVOCATION_TYPE=$1 wrk -t2 -c64 -d"$2"s --latency -s "$root/load-tests/bench/invoke.lua" "http://localhost:$port" \
    | grep RESULT | sed "s/^RESULT/$1/"
}
echo "warm-up (40 s)..." >&2
run Event 20 >/dev/null
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
print(f"mode={sys.argv[2]} median DryRun {dry:.0f} req/s (p50 {med('DryRun','p50_ms'):.2f} ms, p99 {med('DryRun','p99_ms'):.2f} ms)")
print(f"mode={sys.argv[2]} median Event  {ev:.0f} req/s (p50 {med('Event','p50_ms'):.2f} ms, p99 {med('Event','p99_ms'):.2f} ms)")
print(f"mode={sys.argv[2]} Event/DryRun = {ev/dry:.2f}")
PY
