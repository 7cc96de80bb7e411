#!/usr/bin/env bash
# Backlog memory and recovery: COUNT events of 1 KB queued on one stalled function (its only slot held
# by a one-hour sleep) in a node with HEAP; then the heap in use after a full GC; then kill -9, a
# restart on the same journal, the time until the whole backlog is back in the queue, and the node's own
# log line timing the function's recovery.
#
#   load-tests/bench/backlog-memory.sh [count] [heap]      (default 1000000 512m)
#
# SAVE_JOURNAL=DIR keeps a copy of the killed node's journal, snapshots and queue depth in DIR, for
# backlog-recovery.sh to restart on again.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
count="${1:-1000000}"; heap="${2:-512m}"
port="${BENCH_PORT:-9403}"
data="$(mktemp -d)"
. "$root/load-tests/bench/lib.sh"
start_node "-Xmx$heap -Xms$heap"
curl -sf -X POST "localhost:$port/2015-03-31/functions" -d '{"FunctionName":"stalled","Runtime":"builtin",
  "Handler":"sleep","Timeout":900,"Environment":{"Variables":{"SLEEP_MS":"3600000"}},
  "Role":"arn:aws:iam::000000000000:role/bench"}' >/dev/null
curl -sf -X PUT "localhost:$port/2017-10-31/functions/stalled/concurrency" -d '{"ReservedConcurrentExecutions":1}' >/dev/null
t0=$(date +%s)
# wrk's threads stop sending after COUNT responses, but wrk itself only exits after -d: stop it here.
COUNT=$count FUNCTION=stalled wrk -t2 -c32 -d3600s -s "$root/load-tests/bench/fill.lua" "http://localhost:$port" >/dev/null &
filler=$!
while [ "$(stalled_depth)" -lt "$count" ]; do sleep 1; done
kill $filler 2>/dev/null; wait $filler 2>/dev/null || true
queued=$(stalled_depth)
echo "filled $queued events in $(( $(date +%s) - t0 )) s"
pid=$(pgrep -f "invoka-node.jar.*dev.invoka.node.Main" | head -1)
jcmd "$pid" GC.run >/dev/null; sleep 2; jcmd "$pid" GC.run >/dev/null
used=$(jcmd "$pid" GC.heap_info | grep -oE 'used [0-9]+K' | head -1 | grep -oE '[0-9]+')
echo "RESULT heap=$heap events=$queued heap_used_after_gc_mb=$(( used / 1024 ))"
kill -9 "$node"; wait "$node" 2>/dev/null || true
if [ -n "${SAVE_JOURNAL:-}" ]; then
  mkdir -p "$SAVE_JOURNAL"; cp -r "$data"/*.mv.db "$data"/snapshots "$SAVE_JOURNAL"/; echo "$queued" > "$SAVE_JOURNAL/depth"
fi
t1=$(date +%s.%N)
start_node "-Xmx$heap -Xms$heap" INFO
t2=$(date +%s.%N)
while [ "$(stalled_depth)" != "$queued" ]; do sleep 0.2; done
t3=$(date +%s.%N)
python3 -c "print(f'RESULT node_start_s={$t2-$t1:.1f} recovery_after_start_s={$t3-$t2:.1f} total_s={$t3-$t1:.1f}')"
echo "RESULT $(recovery_line)"
