# Sourced by the benchmark scripts. Needs $root (the checkout), $port and $data (the journal folder).

# start_node JAVA_OPTS [LOG_LEVEL]: starts ./invoka in the background ($node) and waits until it serves.
start_node() {
  INVOKA_HTTP_PORT=$port INVOKA_DATA_DIR="$data" JAVA_OPTS="$1" INVOKA_LOG_LEVEL="${2:-WARN}" \
    "$root/invoka" >>"$data/node.log" 2>&1 &
  node=$!
  for _ in $(seq 1 600); do curl -sf "localhost:$port/_invoka/health" >/dev/null && return; sleep 0.2; done
  echo "node did not start (see $data/node.log)" >&2
  exit 1
}

# stalled_depth: the queue depth of the function "stalled" (the backlog scripts'), -1 while the node is down.
stalled_depth() {
  curl -sf "localhost:$port/_invoka/functions/stalled/queue" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["depth"])' 2>/dev/null || echo -1
}

# recovery_line: the node's own timing of its last long function recovery (logged at INFO, so the node must
# have been started with that level): total, snapshot restore, events replayed.
recovery_line() {
  grep -o 'function [^ ]*: recovered in .*' "$data/node.log" | tail -1 | grep . || echo "no function recovery of 1 s or more logged"
}

# cpu_ticks PID...: CPU time (user + system, in clock ticks) the processes have used so far; 0 for none.
cpu_ticks() {
  local total=0 pid
  for pid in "$@"; do
    [ -r "/proc/$pid/stat" ] && total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}

# machine_ticks: busy and total CPU time of the whole machine so far, in clock ticks ("busy total").
machine_ticks() {
  awk '/^cpu /{busy = $2 + $3 + $4 + $7 + $8 + $9; print busy, busy + $5 + $6}' /proc/stat
}

# bench_functions MODE: the 100 functions bench-0..bench-99 of the accept benchmarks on the node at $port;
# MODE stalled: each holds its only slot with a one-hour sleep; echo: they echo.
bench_functions() {
  local handler=echo env='{}' i
  [ "$1" = stalled ] && { handler=sleep; env='{"SLEEP_MS":"3600000"}'; }
  for i in $(seq 0 99); do
    curl -sf -X POST "localhost:$port/2015-03-31/functions" -H 'Content-Type: application/json' \
      -d "{\"FunctionName\":\"bench-$i\",\"Runtime\":\"builtin\",\"Handler\":\"$handler\",\"Timeout\":900,
           \"Role\":\"arn:aws:iam::000000000000:role/bench\",\"Environment\":{\"Variables\":$env}}" >/dev/null
    if [ "$1" = stalled ]; then
      curl -sf -X PUT "localhost:$port/2017-10-31/functions/bench-$i/concurrency" -d '{"ReservedConcurrentExecutions":1}' >/dev/null
    fi
  done
}

# accept_run TYPE SECONDS: wrk invokes of TYPE on the node at $port ($node), printed as one line with the
# CPU each request cost, so that a run shows whether it was bound by the CPU or by waiting: node_us is the
# node's JVM, db_us PostgreSQL's server processes when INVOKA_DB_URL names one on this machine (0
# otherwise), idle the share of the machine's CPU nobody used during the run.
local_db() { [ -n "${INVOKA_DB_URL:-}" ] && [[ "$INVOKA_DB_URL" =~ //(localhost|127\.0\.0\.1)[:/] ]] && pgrep -x postgres || true; }
accept_run() {
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

# pg_url URL: sets pg_host, pg_port, pg_db and pg_params from a jdbc:postgresql://host[:port]/db[?params] URL;
# fails for any other URL.
pg_url() {
  [[ "$1" =~ ^jdbc:postgresql://([^/:?]+)(:([0-9]+))?/([^?]+)(\?.*)?$ ]] || return 1
  pg_host="${BASH_REMATCH[1]}"; pg_port="${BASH_REMATCH[3]:-5432}"; pg_db="${BASH_REMATCH[4]}"; pg_params="${BASH_REMATCH[5]}"
}

# journal_commits: when INVOKA_DB_URL names PostgreSQL, the events in its journal, the commits of its
# database so far (the node's reads included) and the rows per commit, as one line; nothing otherwise.
journal_commits() {
  local pg_host pg_port pg_db pg_params
  pg_url "${INVOKA_DB_URL:-}" || return 0
  PGPASSWORD="${INVOKA_DB_PASSWORD:-}" psql -X -At -F ' ' -h "$pg_host" -p "$pg_port" -U "${INVOKA_DB_USER:-postgres}" \
    -d "$pg_db" -c "SELECT count(*), (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database())
                    FROM event_journal" \
    | awk '{printf "events=%d commits=%d rows_per_commit=%.1f\n", $1, $2, $1 / ($2 ? $2 : 1)}'
}

# accept_summary FILE LABEL: the medians of the accept_run lines in FILE (DryRun and Event rounds), and the
# ratio, by round and of the medians.
accept_summary() {
  python3 - "$1" "$2" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
label = sys.argv[2]
def runs(kind, key):
    return [float(dict(kv.split("=") for kv in r[1:])[key]) for r in rows if r[0] == kind]
def med(kind, key):
    return statistics.median(runs(kind, key))
dry, ev = med("DryRun", "rps"), med("Event", "rps")
for kind, rps in (("DryRun", dry), ("Event ", ev)):
    k = kind.strip()
    print(f"{label} median {kind} {rps:.0f} req/s (p50 {med(k,'p50_ms'):.2f} ms, p99 {med(k,'p99_ms'):.2f} ms;"
          f" CPU per request: node {med(k,'node_us'):.0f} us, database {med(k,'db_us'):.0f} us; machine idle {med(k,'idle'):.0f}%)")
by_round = ", ".join(f"{e / d:.2f}" for d, e in zip(runs("DryRun", "rps"), runs("Event", "rps")))
print(f"{label} Event/DryRun = {ev/dry:.2f} (rounds {by_round})")
PY
}

# On exit: the node is killed and its journal folder removed; the script's own exit code is kept (under
# set -e a bare `wait` on the killed node, 137, would end the trap early and become the exit code).
trap 'rc=$?; kill -9 ${node:-} 2>/dev/null || true; wait ${node:-} 2>/dev/null || true; rm -rf "$data"; exit $rc' EXIT
