#!/usr/bin/env bash
# Dispatch latency: time from an Event invoke's accept being journaled (its 202 going out) to its
# attempt calling the runtime, for echo functions with free slots, at about 1,000 events/s.
#
#   load-tests/bench/dispatch-latency.sh [connections] [delay_ms]
#
# wrk -c<connections> with each connection pausing <delay_ms> between requests (default 10 and 9:
# about 1,000/s), 40 s of warm-up, then 30 s measured; the quantiles come from the node's
# invoka_DispatchDelay_seconds metric (last minute). Needs wrk.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
connections="${1:-10}"; pause="${2:-9}"
port="${BENCH_PORT:-9402}"
data="$(mktemp -d)"
. "$root/load-tests/bench/lib.sh"
start_node "${JAVA_OPTS:--Xmx1g}"
for i in $(seq 0 9); do
  curl -sf -X POST "localhost:$port/2015-03-31/functions" -d "{\"FunctionName\":\"bench-$i\",\"Runtime\":\"builtin\",
    \"Handler\":\"echo\",\"Role\":\"arn:aws:iam::000000000000:role/bench\"}" >/dev/null
done
paced() { DELAY_MS=$pause wrk -t1 -c"$connections" -d"$1"s -s "$root/load-tests/bench/paced.lua" "http://localhost:$port" | grep RESULT; }
echo "warm-up (40 s)..." >&2
paced 40 >/dev/null
paced 30
curl -s "localhost:$port/metrics" | grep '^invoka_DispatchDelay_seconds{' | python3 -c '
import sys, collections
q = collections.defaultdict(list)
for line in sys.stdin:
    labels, value = line.rsplit(" ", 1)
    quantile = labels.split("quantile=\"")[1].split("\"")[0]
    q[quantile].append(float(value) * 1000)
for k in sorted(q):
    vals = sorted(q[k])
    print(f"dispatch delay quantile {k}: median over {len(vals)} functions {vals[len(vals)//2]:.3f} ms, worst {vals[-1]:.3f} ms")
'
