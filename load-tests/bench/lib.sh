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

# On exit: the node is killed and its journal folder removed.
trap 'kill -9 ${node:-} 2>/dev/null; wait ${node:-} 2>/dev/null; rm -rf "$data"' EXIT
