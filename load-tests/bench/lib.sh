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

# On exit: the node is killed and its journal folder removed; the script's own exit code is kept (under
# set -e a bare `wait` on the killed node, 137, would end the trap early and become the exit code).
trap 'rc=$?; kill -9 ${node:-} 2>/dev/null || true; wait ${node:-} 2>/dev/null || true; rm -rf "$data"; exit $rc' EXIT
