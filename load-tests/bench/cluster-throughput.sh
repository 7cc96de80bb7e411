#!/usr/bin/env bash
# Cluster accept throughput: 3 Invoka nodes on one PostgreSQL against 1 node on the same PostgreSQL,
# measured in the same run; reports the 3÷1 ratio of the median Event throughput per connection count
# and where each phase saturates.
#
#   load-tests/bench/cluster-throughput.sh [rounds=3] ["connection counts"="16 64 192"]
#
# Phase 1: one node in cluster mode (its own seed, Pekko Management on for /ready) on a fresh database.
# Phase 2: three nodes (seed nodes: all three) on another fresh database, all /ready and 3 members Up.
# In each phase: 100 functions `bench-$i` stalled as in accept-throughput.sh (builtin sleep, SLEEP_MS one
# hour, reserved concurrency 1: each function's only slot is held, so Event invokes measure the accept
# path alone: journal the event, answer 202), a warm-up (WARMUP_SECONDS, half Event, half DryRun, at
# WARMUP_CONNECTIONS), then for each connection count `rounds` pairs of RUN_SECONDS wrk runs, DryRun then
# Event. wrk runs THREADS threads (a multiple of 3) in both phases; each thread's connections go to one
# node, the threads round-robin over the phase's nodes as a load balancer would (setup(thread) sets
# thread.addr). wrk opens THREADS × floor(c / THREADS) connections: the count printed is that one.
#
# Throughput is 2xx responses per second (invoke.lua's RESULT counts every response): non-2xx responses
# (wrk counts status ≥ 400) and socket errors (connect/read/write/timeout) are printed on every run line,
# flagged with "!", and listed at the end. The share of requests each node received is printed too.
# During every run the CPU used by the nodes (each), PostgreSQL, wrk and the whole machine is measured
# (from /proc, in % of one core) with the 1-minute load average: other work on the machine shows as
# machine − (nodes + postgres + wrk); the part of the nodes' CPU spent in their JIT compiler threads is shown
# too. The same CPU figures are printed for 5 s without load after the warm-up.
#
# Environment:
#   INVOKA_DB_URL, INVOKA_DB_USER, INVOKA_DB_PASSWORD  an existing PostgreSQL (jdbc:postgresql://host:port/db;
#       the user must be allowed to CREATE DATABASE): each phase gets its own fresh database there, dropped
#       at exit. Unset: a throwaway PostgreSQL 15 cluster (initdb + pg_ctl, default settings, trust auth,
#       127.0.0.1 on a free port) in a temp folder, run as `postgres` when this script runs as root.
#   JAVA_OPTS          JVM options of every node (default -Xmx1g: the same heap for each of the nodes)
#   RUN_SECONDS        length of a measured run (10)
#   WARMUP_SECONDS     warm-up per phase (default 40 s per node: 40 s, then 120 s: the three JVMs compile their
#                      code on the same cores; the JIT figure of each run shows whether the warm-up was long enough)
#   WARMUP_CONNECTIONS connections of the warm-up (64)      THREADS             wrk threads (3)
#   PG_BIN             PostgreSQL binaries (/usr/lib/postgresql/15/bin)
# Ports are picked free. Needs wrk (apt-get install wrk), curl, python3. Everything started (nodes,
# PostgreSQL, temp folders, databases) is removed at exit, also on Ctrl-C or failure.
# Exit code: 0 when all went well, 3 when a measured run saw non-2xx responses or socket errors, 1 on failure.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
rounds="${1:-3}"
conns="${2:-16 64 192}"
run_s="${RUN_SECONDS:-10}"
warm_s="${WARMUP_SECONDS:-}"
warm_c="${WARMUP_CONNECTIONS:-64}"
threads="${THREADS:-3}"
heap="${JAVA_OPTS:--Xmx1g}"
pg_bin="${PG_BIN:-/usr/lib/postgresql/15/bin}"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
[ $((threads % 3)) -eq 0 ] || { echo "THREADS must be a multiple of 3" >&2; exit 1; }

tmp="$(mktemp -d)"
data="$tmp/node"                       # lib.sh's start_node logs to $data/node.log; set per node below
. "$root/load-tests/bench/lib.sh"      # start_node; its exit trap is replaced by cleanup below

nodes=(); node_dirs=(); pg_data=""; pg_created=(); failed=1
cleanup() {
  set +e
  if [ "$failed" = 1 ]; then   # keep what the logs said: the temp folder goes away
    for d in "${node_dirs[@]}"; do echo "--- last lines of $d/node.log" >&2; tail -n 20 "$d/node.log" >&2; done
    [ -n "$pg_data" ] && { echo "--- last lines of postgres.log" >&2; tail -n 10 "$tmp/postgres.log" >&2; }
  fi
  [ ${#nodes[@]} -gt 0 ] && kill -9 "${nodes[@]}" 2>/dev/null
  for p in "${nodes[@]}"; do wait "$p" 2>/dev/null; done
  if [ -n "$pg_data" ]; then
    as_pg "$pg_bin/pg_ctl" -D "$pg_data" -m immediate -w stop >/dev/null 2>&1
  else
    for db in "${pg_created[@]}"; do psql_admin -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1; done
  fi
  rm -rf "$tmp"
}
trap 'rc=$?; trap - EXIT; cleanup; exit $rc' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

free_ports() { # n: n distinct free TCP ports
  python3 - "$1" <<'PY'
import socket, sys
socks = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in socks: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))
PY
}

# ---- PostgreSQL: a throwaway cluster, or fresh databases on INVOKA_DB_URL's server
if [ -n "${INVOKA_DB_URL:-}" ]; then
  pg_url "$INVOKA_DB_URL" \
    || { echo "INVOKA_DB_URL must be jdbc:postgresql://host[:port]/db, was $INVOKA_DB_URL" >&2; exit 1; }
  pg_admin_db="$pg_db"; pg_user="${INVOKA_DB_USER:-postgres}"
  export PGPASSWORD="${INVOKA_DB_PASSWORD:-}"
else
  pg_host=127.0.0.1; read -r pg_port < <(free_ports 1); pg_admin_db=postgres; pg_params=""; pg_user=postgres
  pg_data="$tmp/pgdata"
  [ "$(id -u)" = 0 ] && chown postgres "$tmp"   # postgres writes its data, socket and log in it
  as_pg "$pg_bin/initdb" -D "$pg_data" -U postgres --auth=trust -E UTF8 >"$tmp/initdb.log" 2>&1 \
    || { cat "$tmp/initdb.log" >&2; exit 1; }
  as_pg "$pg_bin/pg_ctl" -D "$pg_data" -l "$tmp/postgres.log" -w -t 60 \
    -o "-p $pg_port -k $tmp -c listen_addresses=127.0.0.1" start >/dev/null
fi
psql_admin() { psql -X -q -h "$pg_host" -p "$pg_port" -U "$pg_user" -d "$pg_admin_db" -v ON_ERROR_STOP=1 "$@"; }
pg_version="$(psql_admin -At -c 'SHOW server_version')"
pg_pids() { # PostgreSQL processes to measure: the throwaway cluster's, or every local postgres
  if [ -n "$pg_data" ]; then
    local pm; pm="$(head -n 1 "$pg_data/postmaster.pid")"
    echo "$pm" $(ps -o pid= --ppid "$pm")
  else
    pgrep -x postgres || true
  fi
}
fresh_db() { # name: creates the database (dropped at exit when on an existing server)
  psql_admin -c "CREATE DATABASE $1" >/dev/null
  pg_created+=("$1")
}

# ---- CPU accounting from /proc (clock ticks)
hz="$(getconf CLK_TCK)"; ncpu="$(nproc)"
ticks() { # pids...: utime + stime summed
  local t=0 p v
  for p in "$@"; do
    v="$(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$p/stat" 2>/dev/null)" || v=0
    t=$((t + ${v:-0}))
  done
  echo "$t"
}
jit_ticks() { # pids...: ticks of their JIT compiler threads now (threads that ended meanwhile are not counted)
  local p tk tasks=()
  for p in "$@"; do
    for tk in /proc/"$p"/task/*; do
      case "$(cat "$tk/comm" 2>/dev/null)" in "C1 CompilerThre"* | "C2 CompilerThre"*) tasks+=("${tk#/proc/}") ;; esac
    done
  done
  ticks "${tasks[@]}"
}
machine_ticks() { awk '/^cpu / { busy = $2 + $3 + $4 + $7 + $8 + $9; print busy, busy + $5 + $6 }' /proc/stat; }

# ---- wrk: invoke.lua's requests, threads assigned round-robin to the nodes, a RESULT line with errors
lua="$tmp/cluster.lua"
cat >"$lua" <<'LUA'
-- invoke.lua's request(), plus: each thread's connections go to one of TARGETS (host:port,...), round
-- robin over the threads; done() separates 2xx throughput from non-2xx and socket errors and prints the
-- requests each node was sent.
dofile(os.getenv("INVOKE_LUA"))
local invoke_setup, invoke_request = setup, request
local addrs, threads = {}, {}
for target in string.gmatch(os.getenv("TARGETS") or "", "[^,]+") do
  local host, port = target:match("^(.+):(%d+)$")
  local found = wrk.lookup(host, port)
  if not found or #found == 0 then error("cannot resolve " .. target) end
  addrs[#addrs + 1] = found[1]
end
function setup(thread)
  invoke_setup(thread)
  thread.addr = addrs[(#threads % #addrs) + 1]
  threads[#threads + 1] = thread
end
sent = 0
request = function() sent = sent + 1; return invoke_request() end
done = function(summary, latency, requests)
  local e, secs = summary.errors, summary.duration / 1e6
  local per, order = {}, {}
  for _, t in ipairs(threads) do
    local a = tostring(t.addr)
    if per[a] == nil then per[a] = 0; order[#order + 1] = a end
    per[a] = per[a] + (t:get("sent") or 0)
  end
  local spread = {}
  for _, a in ipairs(order) do spread[#spread + 1] = a .. "=" .. per[a] end
  io.write(string.format("RESULT requests=%d rps=%.0f ok_rps=%.0f p50_ms=%.2f p99_ms=%.2f non2xx=%d connect=%d read=%d write=%d timeout=%d sent=%s\n",
    summary.requests, summary.requests / secs, (summary.requests - e.status) / secs,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.status, e.connect, e.read, e.write, e.timeout, table.concat(spread, ",")))
end
LUA

results="$tmp/results"; : >"$results"
cat >"$tmp/line.py" <<'PY'
import sys  # one measured run, readable: 2xx/s, latency, errors (flagged "!"), share per node, CPU
r = dict(kv.split("=", 1) for kv in sys.stdin.read().split())
bad = int(r["non2xx"]) + sum(int(r[k]) for k in ("connect", "read", "write", "timeout"))
sent = [int(kv.rsplit("=", 1)[1]) for kv in r["sent"].split(",")]
share = "/".join(f"{100 * s / max(sum(sent), 1):.0f}" for s in sent)
print(f"{r['phase']}-node c={r['c']:>3} {r['kind']:<6} {float(r['ok_rps']):>7.0f} 2xx/s  p50 {r['p50_ms']:>6} ms"
      f"  p99 {r['p99_ms']:>6} ms  {'!' if bad else ' '}non-2xx {r['non2xx']} conn/read/write/timeout"
      f" {r['connect']}/{r['read']}/{r['write']}/{r['timeout']}  sent % per node {share}  |  CPU % of a core:"
      f" nodes {r['cpu_node']} (JIT {r['cpu_jit']}) pg {r['cpu_pg']} wrk {r['cpu_wrk']} machine {r['cpu_machine']}/{100 * int(sys.argv[1])}"
      f" load1 {r['load1']}", flush=True)
PY
run() { # phase kind connections seconds [quiet]: one wrk run against the phase's nodes; prints its line
  local phase=$1 kind=$2 c=$3 secs=$4 quiet=${5:-}
  local pg p0 m0 w0 p1 m1 w1 j0 j1 wt line t0 t1 each=() i
  pg=($(pg_pids))
  for i in "${!nodes[@]}"; do each+=("$(ticks "${nodes[$i]}")"); done
  p0="$(ticks "${pg[@]}")"; j0="$(jit_ticks "${nodes[@]}")"; read -r m0 w0 < <(machine_ticks); t0="$(date +%s%N)"
  wt="$( { TIMEFORMAT='%U %S'; time INVOCATION_TYPE=$kind TARGETS="$targets" INVOKE_LUA="$root/load-tests/bench/invoke.lua" \
      wrk -t"$threads" -c"$c" -d"$secs"s --latency -s "$lua" "http://${targets%%,*}" >"$tmp/wrk.out" 2>&1; } 2>&1 )" \
    || { echo "wrk failed:" >&2; cat "$tmp/wrk.out" >&2; exit 1; }
  t1="$(date +%s%N)"; read -r m1 w1 < <(machine_ticks); p1="$(ticks "${pg[@]}")"; j1="$(jit_ticks "${nodes[@]}")"
  line="$(grep '^RESULT' "$tmp/wrk.out")" || { echo "no RESULT from wrk:" >&2; cat "$tmp/wrk.out" >&2; exit 1; }
  local cpu_nodes="" node_sum=0 d
  for i in "${!nodes[@]}"; do
    d=$(( $(ticks "${nodes[$i]}") - each[i] )); node_sum=$((node_sum + d))
    cpu_nodes+="${cpu_nodes:+/}$(pct "$d" "$t0" "$t1")"
  done
  line="phase=$phase kind=$kind c=$(( threads * (c / threads) )) ${line#RESULT } cpu_node=$cpu_nodes"
  line+=" cpu_nodes=$(pct "$node_sum" "$t0" "$t1") cpu_jit=$(pct $((j1 > j0 ? j1 - j0 : 0)) "$t0" "$t1") cpu_pg=$(pct $((p1 - p0)) "$t0" "$t1")"
  line+=" cpu_wrk=$(awk -v u="${wt% *}" -v s="${wt#* }" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", (u + s) * 1e11 / (b - a) }')"
  line+=" cpu_machine=$(awk -v b=$((m1 - m0)) -v t=$((w1 - w0)) -v n="$ncpu" 'BEGIN { printf "%.0f", t ? 100 * n * b / t : 0 }')"
  line+=" load1=$(cut -d' ' -f1 /proc/loadavg)"
  [ -n "$quiet" ] && return
  echo "$line" >>"$results"
  echo "$line" | python3 "$tmp/line.py" "$ncpu"
}
pct() { awk -v d="$1" -v a="$2" -v b="$3" -v hz="$hz" 'BEGIN { printf "%.0f", 100 * d / hz / ((b - a) / 1e9) }'; }

idle() { # phase seconds: CPU with no load (after the warm-up), the same measures as a run's
  local pg p0 m0 w0 t0 t1 m1 w1 j0 j1 i d sum=0 each=() per=""
  pg=($(pg_pids))
  for i in "${!nodes[@]}"; do each+=("$(ticks "${nodes[$i]}")"); done
  p0="$(ticks "${pg[@]}")"; j0="$(jit_ticks "${nodes[@]}")"; read -r m0 w0 < <(machine_ticks); t0="$(date +%s%N)"
  sleep "$2"
  t1="$(date +%s%N)"; read -r m1 w1 < <(machine_ticks); j1="$(jit_ticks "${nodes[@]}")"
  for i in "${!nodes[@]}"; do
    d=$(( $(ticks "${nodes[$i]}") - each[i] )); sum=$((sum + d)); per+="${per:+/}$(pct "$d" "$t0" "$t1")"
  done
  echo "$1-node idle for $2 s after the warm-up  |  CPU % of a core: nodes $per (sum $(pct "$sum" "$t0" "$t1"), of which JIT $(pct $((j1 > j0 ? j1 - j0 : 0)) "$t0" "$t1")) pg $(pct $(( $(ticks "${pg[@]}") - p0 )) "$t0" "$t1")" \
       "machine $(awk -v b=$((m1 - m0)) -v t=$((w1 - w0)) -v n="$ncpu" 'BEGIN { printf "%.0f", t ? 100 * n * b / t : 0 }')/$((100 * ncpu)) load1 $(cut -d' ' -f1 /proc/loadavg)"
}

stop_nodes() { # SIGTERM (coordinated shutdown), up to 30 s to leave, then -9
  local p alive
  kill "${nodes[@]}" 2>/dev/null || true
  for _ in $(seq 1 150); do
    alive=0; for p in "${nodes[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break; sleep 0.2
  done
  kill -9 "${nodes[@]}" 2>/dev/null || true
  for p in "${nodes[@]}"; do wait "$p" 2>/dev/null || true; done
  nodes=()
}

phase() { # n: start n nodes on a fresh database, create the functions, warm up, measure
  local n=$1 i db url seeds="" ports members warm="${warm_s:-$((40 * $1))}"
  read -r -a ports < <(free_ports $((3 * n)))   # http, remoting, management per node
  db="invoka_bench_${n}node_$$"; fresh_db "$db"
  url="jdbc:postgresql://$pg_host:$pg_port/$db$pg_params"
  for i in $(seq 0 $((n - 1))); do seeds+="${seeds:+,}127.0.0.1:${ports[$((3 * i + 1))]}"; done
  targets=""
  echo "phase $n-node: starting $n node(s) (JAVA_OPTS=$heap) on database $db..." >&2
  for i in $(seq 0 $((n - 1))); do
    port="${ports[$((3 * i))]}"; data="$tmp/$n-node-$i"; mkdir -p "$data"; node_dirs+=("$data")
    INVOKA_DB_URL="$url" INVOKA_DB_USER="$pg_user" INVOKA_DB_PASSWORD="${INVOKA_DB_PASSWORD:-}" \
    INVOKA_CLUSTER_PORT="${ports[$((3 * i + 1))]}" INVOKA_MANAGEMENT_PORT="${ports[$((3 * i + 2))]}" \
    INVOKA_SEED_NODES="$seeds" start_node "$heap"
    nodes+=("$node"); targets+="${targets:+,}127.0.0.1:$port"
  done
  for i in $(seq 0 $((n - 1))); do
    for _ in $(seq 1 300); do curl -sf "127.0.0.1:${ports[$((3 * i + 2))]}/ready" >/dev/null && continue 2; sleep 0.2; done
    echo "node $i is not /ready (see its log)" >&2; exit 1
  done
  for _ in $(seq 1 300); do
    members="$(curl -sf "127.0.0.1:${ports[2]}/cluster/members" | python3 -c '
import json, sys
m = json.load(sys.stdin)
print(sum(1 for x in m["members"] if x["status"] == "Up") if not m.get("unreachable") else -1)' 2>/dev/null)" || members=0
    [ "$members" = "$n" ] && break; sleep 0.2
  done
  [ "$members" = "$n" ] || { echo "cluster has $members Up members, expected $n" >&2; exit 1; }
  echo "phase $n-node: $n member(s) Up, all /ready; creating 100 stalled functions through the first node..." >&2

  local first="${targets%%,*}"
  for i in $(seq 0 99); do
    curl -sf -X POST "$first/2015-03-31/functions" -H 'Content-Type: application/json' \
      -d "{\"FunctionName\":\"bench-$i\",\"Runtime\":\"builtin\",\"Handler\":\"sleep\",\"Timeout\":900,
           \"Role\":\"arn:aws:iam::000000000000:role/bench\",\"Environment\":{\"Variables\":{\"SLEEP_MS\":\"3600000\"}}}" >/dev/null
    curl -sf -X PUT "$first/2017-10-31/functions/bench-$i/concurrency" -d '{"ReservedConcurrentExecutions":1}' >/dev/null
  done
  for t in ${targets//,/ }; do   # every node sees them
    curl -sf "$t/2015-03-31/functions/bench-0" >/dev/null && curl -sf "$t/2015-03-31/functions/bench-99" >/dev/null \
      || { echo "node $t does not see the functions" >&2; exit 1; }
  done
  echo "phase $n-node: warm-up ($warm s at c=$warm_c)..." >&2
  run "$n" Event "$warm_c" $((warm / 2)) quiet
  run "$n" DryRun "$warm_c" $((warm - warm / 2)) quiet
  idle "$n" 5
  for c in $conns; do
    [ "$c" -ge "$threads" ] || { echo "connection count $c is below THREADS=$threads" >&2; exit 1; }
    for _ in $(seq 1 "$rounds"); do
      run "$n" DryRun "$c" "$run_s"
      run "$n" Event "$c" "$run_s"
    done
  done
  stop_nodes
}

echo "PostgreSQL $pg_version at $pg_host:$pg_port${pg_data:+ (throwaway cluster)}; $ncpu cores; rounds=$rounds connections=\"$conns\" run=${run_s}s wrk -t$threads" >&2
phase 1
phase 3

failed=0; rc=0
python3 - "$results" "$ncpu" <<'PY' || rc=$?
import statistics, sys
rows = [dict(kv.split("=", 1) for kv in l.split()) for l in open(sys.argv[1])]
for r in rows:
    r["cpu_other"] = str(int(r["cpu_machine"]) - int(r["cpu_nodes"]) - int(r["cpu_pg"]) - int(r["cpu_wrk"]))
ncpu = int(sys.argv[2])
med = lambda xs: statistics.median(xs) if xs else float("nan")
def sel(phase, kind, c): return [r for r in rows if r["phase"] == phase and r["kind"] == kind and r["c"] == c]
def m(phase, kind, c, key): return med([float(r[key]) for r in sel(phase, kind, c)])
cs = sorted({r["c"] for r in rows}, key=int)
print()
print(f"medians (throughput: 2xx responses/s; CPU: median over the Event runs, in % of one core, the machine has {100 * ncpu};"
      " JIT = the nodes' C1/C2 compiler threads, still high = not warm yet; other = machine - nodes - pg - wrk:"
      " work outside this benchmark)")
print(f"{'phase':<7}{'conns':>6} | {'Event 2xx/s':>11} {'p50 ms':>7} {'p99 ms':>7} | {'DryRun 2xx/s':>12} | "
      f"{'CPU nodes':>9} {'JIT':>4} {'pg':>4} {'wrk':>4} {'other':>5} {'machine':>7} {'load1':>5}")
for phase in ("1", "3"):
    for c in cs:
        ev = sel(phase, "Event", c)
        if not ev: continue
        print(f"{phase + '-node':<7}{c:>6} | {m(phase,'Event',c,'ok_rps'):>11.0f} {m(phase,'Event',c,'p50_ms'):>7.2f} "
              f"{m(phase,'Event',c,'p99_ms'):>7.2f} | {m(phase,'DryRun',c,'ok_rps'):>12.0f} | "
              f"{m(phase,'Event',c,'cpu_nodes'):>9.0f} {m(phase,'Event',c,'cpu_jit'):>4.0f} {m(phase,'Event',c,'cpu_pg'):>4.0f} {m(phase,'Event',c,'cpu_wrk'):>4.0f} "
              f"{max(0, m(phase,'Event',c,'cpu_other')):>5.0f} {m(phase,'Event',c,'cpu_machine'):>7.0f} {m(phase,'Event',c,'load1'):>5.2f}")
print()
for c in cs:
    e1, e3 = m("1", "Event", c, "ok_rps"), m("3", "Event", c, "ok_rps")
    d1, d3 = m("1", "DryRun", c, "ok_rps"), m("3", "DryRun", c, "ok_rps")
    rs = [f"{float(a['ok_rps']) / float(b['ok_rps']):.2f}" for a, b in zip(sel("3", "Event", c), sel("1", "Event", c))
          if float(b["ok_rps"])]
    print(f"c={c:>3}: 3-node ÷ 1-node Event = {e3 / e1 if e1 else float('nan'):.2f} (rounds paired: {', '.join(rs)});"
          f" DryRun = {d3 / d1 if d1 else float('nan'):.2f}")
print()
for phase in ("1", "3"):
    ev = [(c, m(phase, "Event", c, "ok_rps")) for c in cs if sel(phase, "Event", c)]
    if len(ev) < 2:
        print(f"{phase}-node: one connection count only, saturation not measured"); continue
    verdict = None
    for (c0, a), (c1, b) in zip(ev, ev[1:]):
        if b < 1.05 * a or a == 0:
            verdict = f"Event throughput stops growing at c={c0} ({a:.0f}/s; c={c1}: {b:.0f}/s, {100 * (b / a - 1):+.0f}%)"
            break
    if verdict is None:
        (c0, a), (c1, b) = ev[-2], ev[-1]
        verdict = f"Event throughput still growing at c={c1} ({a:.0f} → {b:.0f}/s, {100 * (b / a - 1):+.0f}%): not saturated in this range"
    verdict = verdict.replace("+inf%", "n/a")
    print(f"{phase}-node: {verdict}")
shares = []
for r in rows:
    if r["phase"] != "3": continue
    sent = [int(kv.rsplit("=", 1)[1]) for kv in r["sent"].split(",")]
    shares += [s / max(sum(sent), 1) for s in sent]
if shares:
    print(f"3-node: share of requests per node between {100 * min(shares):.0f}% and {100 * max(shares):.0f}%")
bad = [r for r in rows if int(r["non2xx"]) + sum(int(r[k]) for k in ("connect", "read", "write", "timeout"))]
if bad:
    print(f"WARNING: {len(bad)} measured run(s) had non-2xx responses or socket errors (not counted as throughput):")
    for r in bad:
        print(f"  {r['phase']}-node c={r['c']} {r['kind']}: non-2xx {r['non2xx']}, connect/read/write/timeout "
              f"{r['connect']}/{r['read']}/{r['write']}/{r['timeout']} of {r['requests']} responses")
    sys.exit(3)
print("no non-2xx responses and no socket errors in the measured runs")
PY
exit "$rc"
