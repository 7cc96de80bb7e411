#!/usr/bin/env bash
# Runs one Gatling simulation of load-tests/src/test/java/dev/invoka/load/ and prints where its HTML
# report is.
#
#   load-tests/bench/gatling.sh <SimulationName> [-Dinvoka.rate=500 -Dinvoka.duration=30 ...]
#
# e.g. load-tests/bench/gatling.sh AcceptThroughputSimulation -Dinvoka.rate=2000
# Without INVOKA_ENDPOINT, starts a fresh node (built if needed, embedded H2 in a temporary folder,
# INVOKA_TIME_SCALE=0.01 unless set, JAVA_OPTS default -Xmx1g) on BENCH_PORT (9410) and stops it after
# the run. With INVOKA_ENDPOINT=http://host:9000[,http://host2:9000...] it runs against those endpoints
# (round-robin) and starts nothing. The simulation's assertions decide the exit code.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
simulation="${1:?usage: gatling.sh <SimulationName> [extra -D options]}"
shift

if [ -n "${INVOKA_ENDPOINT:-}" ]; then
  endpoint="$INVOKA_ENDPOINT"
else
  port="${BENCH_PORT:-9410}"
  data="$(mktemp -d)"
  export INVOKA_TIME_SCALE="${INVOKA_TIME_SCALE:-0.01}"
  . "$root/load-tests/bench/lib.sh"
  start_node "${JAVA_OPTS:--Xmx1g}"
  endpoint="http://localhost:$port"
  echo "node on $endpoint (INVOKA_TIME_SCALE=$INVOKA_TIME_SCALE, log and journal in $data, removed on exit)" >&2
fi

status=0
(cd "$root" && mvn -B -ntp -pl load-tests gatling:test \
    -Dgatling.simulationClass="dev.invoka.load.$simulation" -Dinvoka.endpoint="$endpoint" "$@") || status=$?

lower="$(echo "$simulation" | tr '[:upper:]' '[:lower:]')"
report="$(ls -dt "$root/load-tests/target/gatling/$lower"-* 2>/dev/null | head -1 || true)"
if [ -n "$report" ] && [ -f "$report/index.html" ]; then
  echo "HTML report: $report/index.html"
else
  echo "no HTML report was written (see the output above)" >&2
fi
# lib.sh's exit trap kills the node; without set -e its `wait` (137) does not replace our status.
set +e
exit "$status"
