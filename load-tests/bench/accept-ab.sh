#!/usr/bin/env bash
# A/B of the accept path: two nodes, A and B, differing only in JAVA_OPTS, measured in alternation so
# that both see the same machine (its speed drifts by a third within an hour: a figure from one run
# against one from another is noise here).
#
#   load-tests/bench/accept-ab.sh [rounds] "JAVA_OPTS of A" "JAVA_OPTS of B"
#
# Each node is started as accept-throughput.sh starts its one (100 stalled functions, 60 s of warm-up, each
# node in turn), then every round runs DryRun and Event on A, then on B. Prints each run and both nodes'
# medians. Embedded H2 by default; for PostgreSQL set INVOKA_DB_URL_A and INVOKA_DB_URL_B to two fresh
# databases (and INVOKA_DB_USER, INVOKA_DB_PASSWORD). To compare two builds rather than two settings, set
# INVOKA_ROOT_A and/or INVOKA_ROOT_B to a checkout each (built: its ./invoka starts the node). A node measured
# second tended to come out cheaper in the runs of docs/benchmarks.md: run it again with A and B swapped
# before believing a difference.
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
root="$here"
rounds="${1:-3}"; opts_a="${2:-}"; opts_b="${3:-}"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
base="${BENCH_PORT:-9400}"
. "$here/load-tests/bench/lib.sh"
data_a="$(mktemp -d)"; data_b="$(mktemp -d)"
trap 'rc=$?; kill -9 ${node_a:-} ${node_b:-} 2>/dev/null || true; wait ${node_a:-} ${node_b:-} 2>/dev/null || true
      rm -rf "$data_a" "$data_b"; exit $rc' EXIT

use() { # A | B: the node the lib.sh helpers act on
  if [ "$1" = A ]; then port=$base; data=$data_a; node=${node_a:-}; INVOKA_DB_URL="${INVOKA_DB_URL_A:-}"
    root="${INVOKA_ROOT_A:-$here}"
  else port=$((base + 1)); data=$data_b; node=${node_b:-}; INVOKA_DB_URL="${INVOKA_DB_URL_B:-}"
    root="${INVOKA_ROOT_B:-$here}"; fi
  export INVOKA_DB_URL
}
use A; start_node "-Xmx2g $opts_a"; node_a=$node; bench_functions stalled
use B; start_node "-Xmx2g $opts_b"; node_b=$node; bench_functions stalled
echo "warm-up (60 s per node)..." >&2
for n in A B; do use $n; accept_run Event 40 >/dev/null; accept_run DryRun 20 >/dev/null; done
for r in $(seq 1 "$rounds"); do
  for n in A B; do
    use $n
    accept_run DryRun 10 | tee -a "$data_a/$n"
    accept_run Event 10 | tee -a "$data_a/$n"
  done
done | sed 's/^/  /'
accept_summary "$data_a/A" "A"
accept_summary "$data_a/B" "B"
for n in A B; do use $n; line=$(journal_commits || true); [ -z "$line" ] || echo "$n journal since start: $line"; done
