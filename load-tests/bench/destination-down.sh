#!/usr/bin/env bash
# A failing destination must not slow other functions or the accept path: accept throughput of Event
# invokes with every destination up, against one function's destination down, in one run.
#
#   load-tests/bench/destination-down.sh [rounds=3]
#
# 100 echo functions whose OnSuccess is a Lambda destination (an echo function "sink"); wrk -t2 -c64,
# 40 s warm-up, then rounds of: 10 s with all destinations up, then 10 s with bench-0's OnSuccess
# pointing at a refused http:// endpoint (its records fail and are retried with backoff), then back.
# Needs wrk.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
rounds="${1:-3}"
port="${BENCH_PORT:-9405}"
data="$(mktemp -d)"
. "$root/load-tests/bench/lib.sh"
start_node "${JAVA_OPTS:--Xmx2g}" ERROR
arn=arn:aws:lambda:us-east-1:000000000000:function
create() {
  curl -sf -X POST "localhost:$port/2015-03-31/functions" -d "{\"FunctionName\":\"$1\",\"Runtime\":\"builtin\",
    \"Handler\":\"echo\",\"Role\":\"arn:aws:iam::000000000000:role/bench\"}" >/dev/null
}
destination() {
  curl -sf -X PUT "localhost:$port/2019-09-25/functions/$1/event-invoke-config" \
    -d "{\"DestinationConfig\":{\"OnSuccess\":{\"Destination\":\"$2\"}}}" >/dev/null
}
create sink
for i in $(seq 0 99); do create "bench-$i"; destination "bench-$i" "$arn:sink"; done
run() { INVOCATION_TYPE=Event wrk -t2 -c64 -d"$2"s -s "$root/load-tests/bench/invoke.lua" "http://localhost:$port" \
  | grep RESULT | sed "s/^RESULT/$1/"; }
echo "warm-up (40 s)..." >&2
run warmup 40 >/dev/null
for r in $(seq 1 "$rounds"); do
  destination bench-0 "$arn:sink"
  run all-up 10
  destination bench-0 "http://127.0.0.1:9/down"
  run one-down 10
done | tee "$data/results"
curl -s "localhost:$port/metrics" | grep 'DestinationDeliveryFailures_total{function_name="bench-0"}' || true
python3 - "$data/results" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
def med(kind, key):
    return statistics.median(float(dict(kv.split("=") for kv in r[1:])[key]) for r in rows if r[0] == kind)
up, down = med("all-up", "rps"), med("one-down", "rps")
print(f"median all up   {up:.0f} req/s (p50 {med('all-up','p50_ms'):.2f} ms, p99 {med('all-up','p99_ms'):.2f} ms)")
print(f"median one down {down:.0f} req/s (p50 {med('one-down','p50_ms'):.2f} ms, p99 {med('one-down','p99_ms'):.2f} ms)")
print(f"one down / all up = {down/up:.2f}")
PY
