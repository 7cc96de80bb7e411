#!/usr/bin/env bash
# Recovery alone, repeated on one journal: starts a node `restarts` times, each on a fresh copy of a
# journal saved by backlog-memory.sh, and times each start until the queue shows the saved depth again;
# then prints the node's own log line timing the function's recovery (snapshot restore, events replayed).
#
#   SAVE_JOURNAL=/tmp/backlog load-tests/bench/backlog-memory.sh 1000000 512m     # fills, saves the journal
#   load-tests/bench/backlog-recovery.sh /tmp/backlog [heap=512m] [restarts=3]
#
# EXTRA_OPTS adds JVM options to the node (e.g. -Djdbc-journal.replayBatchSize=2000).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
saved="${1:?the folder SAVE_JOURNAL named}"; heap="${2:-512m}"; restarts="${3:-3}"
port="${BENCH_PORT:-9403}"
want="$(cat "$saved/depth")"
data="$(mktemp -d)"
. "$root/load-tests/bench/lib.sh"
for _ in $(seq 1 "$restarts"); do
  rm -rf "$data"; mkdir -p "$data"; cp -r "$saved"/*.mv.db "$saved"/snapshots "$data"/
  t1=$(date +%s.%N)
  start_node "-Xmx$heap -Xms$heap ${EXTRA_OPTS:-}" INFO
  t2=$(date +%s.%N)
  while [ "$(stalled_depth)" != "$want" ]; do
    kill -0 "$node" 2>/dev/null || { echo "node exited (see $data/node.log)" >&2; exit 1; }
    sleep 0.2
  done
  t3=$(date +%s.%N)
  python3 -c "print(f'RESULT heap=$heap events=$want node_start_s={$t2-$t1:.1f} recovery_after_start_s={$t3-$t2:.1f}')"
  echo "RESULT $(recovery_line)"
  kill -9 "$node"; wait "$node" 2>/dev/null || true
done
