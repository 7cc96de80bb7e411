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

# On exit: the node is killed and its journal folder removed; the script's own exit code is kept (under
# set -e a bare `wait` on the killed node, 137, would end the trap early and become the exit code).
trap 'rc=$?; kill -9 ${node:-} 2>/dev/null || true; wait ${node:-} 2>/dev/null || true; rm -rf "$data"; exit $rc' EXIT
