#!/usr/bin/env bash
# Benchmarks the relay against the raw push baseline with the same driver and scenarios.
# Builds the jars, runs every case against RawPushServer, then against the embedded relay
# (launcher/target/relay.jar, skipped when absent), then the cluster case (Redis + relay +
# worker + gateway processes on loopback), each of the last two followed by its Socket.IO
# counterpart (bench/socketio/: in memory; Redis streams adapter), and prints one table with
# ratios to raw and the head-to-head ratios relay / socketio and cluster / socketio-redis.
# Knobs (environment): BENCH_DURATION_S (20), BENCH_WARMUP_S (30), BENCH_CASES (all),
# BENCH_SKIP_BUILD=1, BENCH_RAW_PORT (18090), BENCH_RELAY_PORT (18080), BENCH_SECRET,
# BENCH_DRIVER_JAVA_OPTS, BENCH_SERVER_JAVA_OPTS, BENCH_ONLY (raw|relay|cluster|socketio),
# BENCH_CLUSTER_PORT (18070), BENCH_CLUSTER_REDIS_PORT (16390), BENCH_CLUSTER_HZ_BASE (15701),
# BENCH_CLUSTER_JAVA_OPTS (each role process's JVM options; %r in it becomes the role's name),
# BENCH_SOCKETIO_PORT (18060), BENCH_SOCKETIO_REDIS_PORT (16391).
# BENCH_RELAY_JAR (launcher/target/relay.jar): the server jar, e.g. an earlier build for an A/B run.
# BENCH_CLUSTER_IDLE_S (10): seconds the started cluster's idle CPU per role is measured.
# BENCH_EVENT_LOOPS (1): RELAY_EVENT_LOOPS and RELAY_GATEWAY_INSTANCES of each server process.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/server-settings.sh

DURATION=${BENCH_DURATION_S:-20}
WARMUP=${BENCH_WARMUP_S:-30}  # JIT: C2 still took ~40% of the box 12 s into a run (bench/HISTORY.md)
CASES=${BENCH_CASES:-"idle chat-closed chat-steady fanout storm cluster-chat cluster-steady socketio-chat socketio-redis-chat"}  # idle first: its heap delta wants a fresh server
RAW_PORT=${BENCH_RAW_PORT:-18090}
RELAY_PORT=${BENCH_RELAY_PORT:-18080}
# At least 32 bytes: the gateway refuses shorter HS256 secrets.
SECRET=${BENCH_SECRET:-bench-secret-$(od -An -tx1 -N24 /dev/urandom | tr -d " \n")}
DRIVER_OPTS=${BENCH_DRIVER_JAVA_OPTS:-"-Xms512m -Xmx1g"}
# -Xmn64m: the in-memory journal keeps RELAY_RETENTION_FRAMES frames per thread, and each young
# collection copies the ones journaled since the last; a small young generation keeps each of
# those pauses short (default G1 sizing: 40-160 ms pauses on this box, see bench/HISTORY.md).
# AlwaysPreTouch: on this VM a first touch of a heap page costs a fault that made young
# collections promoting into fresh old regions twice as long (31 vs 16 ms median pause).
SERVER_OPTS=${BENCH_SERVER_JAVA_OPTS:-"-Xms1g -Xmx1g -Xmn64m -XX:+AlwaysPreTouch"}
# Event loops (RELAY_EVENT_LOOPS, and as many gateway instances) of each server process: its share
# of a box whose other core runs the driver. Vert.x's default (two per core) made every hop between
# verticles a thread wake-up: 2.6 cores for the same frames (bench/HISTORY.md, "Event loops").
LOOPS=${BENCH_EVENT_LOOPS:-1}
CLUSTER_PORT=${BENCH_CLUSTER_PORT:-18070}
CLUSTER_REDIS_PORT=${BENCH_CLUSTER_REDIS_PORT:-16390}  # a private redis-server, never the shared 6379
CLUSTER_HZ_BASE=${BENCH_CLUSTER_HZ_BASE:-15701}        # Hazelcast ports of relay, worker, gateway
CLUSTER_ROLE_OPTS=${BENCH_CLUSTER_JAVA_OPTS:-$BENCH_ROLE_JAVA_OPTS}
SOCKETIO_PORT=${BENCH_SOCKETIO_PORT:-18060}
SOCKETIO_REDIS_PORT=${BENCH_SOCKETIO_REDIS_PORT:-16391}  # a private redis-server, never the shared 6379
READY_TIMEOUT_S=90           # longest a server may take to print READY
LOADGEN=loadgen/target/loadgen.jar
RELAY=${BENCH_RELAY_JAR:-launcher/target/relay.jar}  # another build of it for A/B runs
mkdir -p bench/results
RESULTS=bench/results/bench-$(date +%Y%m%d-%H%M%S).jsonl
LOGDIR=$(mktemp -d /tmp/bench-logs.XXXXXX)
server_pid=""
cluster_pids=()
failed=0

stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid"
    for _ in $(seq 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
  fi
  server_pid=""
}

stop_cluster() { # gateway, worker, relay, then Redis, each gone before the next is stopped
  local pid
  for pid in "${cluster_pids[@]}"; do
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  done
  cluster_pids=()
}
trap 'stop_server; stop_cluster' EXIT

wait_ready() { # $1 log file
  for _ in $(seq $((READY_TIMEOUT_S * 10))); do
    grep -q READY "$1" && return 0
    kill -0 "$server_pid" 2>/dev/null || { echo "server died, log: $1"; tail -20 "$1"; return 1; }
    sleep 0.1
  done
  echo "no READY within ${READY_TIMEOUT_S}s, log: $1"; return 1
}

case_args() { # the driver arguments of one case
  case "$1" in
    chat-closed) echo "--scenario chat --users 500 --interval-ms 0" ;;
    chat-steady) echo "--scenario chat --users 100 --rate 10000" ;;
    fanout)      echo "--scenario fanout --users 100 --connections-per-user 5" ;;
    storm)       echo "--scenario storm --users 5000" ;;
    idle)        echo "--scenario idle --users 10000 --duration-s 10 --warmup-s 0" ;;
    cluster-chat|socketio-chat|socketio-redis-chat) echo "--scenario chat --users 500 --interval-ms 0" ;;
    # A fixed offered load the cluster keeps up with even on a busy box: its CPU per frame per
    # role is the A/B figure (a saturated run's batching changes with the box's load).
    cluster-steady) echo "--scenario chat --users 500 --rate 2000" ;;
    *) echo "unknown case $1" >&2; return 1 ;;
  esac
}

run_cases() { # $1 system label, $2 port
  for c in $CASES; do
    case "$c" in cluster-*|socketio-*) continue ;; esac  # their own sections below
    echo "== $1 / $c"
    # shellcheck disable=SC2046,SC2086
    java $DRIVER_OPTS -jar "$LOADGEN" --url "ws://127.0.0.1:$2/ws" --secret "$SECRET" \
      --duration-s "$DURATION" --warmup-s "$WARMUP" $(case_args "$c") \
      --server-pid "$server_pid" --label "$1/$c" --results "$RESULTS" || failed=1
  done
}

# The Socket.IO comparison: the same chat scenario served by Socket.IO 4 (bench/socketio/), driven
# by the same driver over Socket.IO events (--protocol socketio: no acks, no history comparison).
# socketio = in memory, run right after relay; socketio-redis = Redis streams adapter +
# connection-state recovery, seqs in Redis, on a private redis-server, run right after cluster:
# each pair measured back to back, as the box's load drifts. server_cpu_cores is node's.
socketio_case() { # $1 label system, then extra server arguments
  local system=$1; shift
  echo "== $system / chat-closed (node bench/socketio, port $SOCKETIO_PORT)"
  node bench/socketio/server.js --port "$SOCKETIO_PORT" --secret "$SECRET" "$@" >"$LOGDIR/$system.log" 2>&1 &
  server_pid=$!
  wait_ready "$LOGDIR/$system.log"
  # shellcheck disable=SC2046,SC2086
  java $DRIVER_OPTS -jar "$LOADGEN" --protocol socketio \
    --url "ws://127.0.0.1:$SOCKETIO_PORT/socket.io/?EIO=4&transport=websocket" --secret "$SECRET" \
    --duration-s "$DURATION" --warmup-s "$WARMUP" $(case_args socketio-chat) \
    --server-pid "$server_pid" --label "$system/chat-closed" --results "$RESULTS" || failed=1
  stop_server
}

socketio_ready() { # $1 case: true when it is to run and node (with the packages) is there
  { [ -z "$ONLY" ] || [ "$ONLY" = socketio ]; } && [[ " $CASES " == *" $1 "* ]] || return 1
  if ! command -v node >/dev/null; then
    echo "== $1 skipped: node is not installed (needs Node.js >= 18 and npm)"; return 1
  fi
  [ -d bench/socketio/node_modules ] || (cd bench/socketio && npm ci --no-audit --no-fund)
}

socketio_memory() {
  socketio_ready socketio-chat && socketio_case socketio
  return 0
}

socketio_redis() {
  socketio_ready socketio-redis-chat || return 0
  if ! command -v redis-server >/dev/null; then
    echo "== socketio-redis-chat skipped: needs redis-server"; return 0
  fi
  redis-server --port "$SOCKETIO_REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no \
    --dir "$LOGDIR" --daemonize no >"$LOGDIR/socketio-redis-server.log" 2>&1 &
  cluster_pids=("$!")
  for _ in $(seq 100); do redis-cli -p "$SOCKETIO_REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
  socketio_case socketio-redis --redis-url "redis://127.0.0.1:$SOCKETIO_REDIS_PORT"
  stop_cluster
}

if [ -z "${BENCH_SKIP_BUILD:-}" ]; then
  mvn -B -q -DskipTests package
fi

ONLY=${BENCH_ONLY:-}
if [ -z "$ONLY" ] || [ "$ONLY" = raw ]; then
  # shellcheck disable=SC2086
  java $SERVER_OPTS -cp "$LOADGEN" dev.chatrelay.loadgen.raw.RawPushServer --port "$RAW_PORT" \
    --secret "$SECRET" >"$LOGDIR/raw.log" 2>&1 &
  server_pid=$!
  wait_ready "$LOGDIR/raw.log"
  run_cases raw "$RAW_PORT"
  stop_server
fi

if [ -z "$ONLY" ] || [ "$ONLY" = relay ]; then
  if [ -f "$RELAY" ]; then
    # shellcheck disable=SC2086
    env RELAY_HTTP_PORT="$RELAY_PORT" RELAY_JWT_HS256_SECRET="$SECRET" "${BENCH_SERVER_ENV[@]}" \
      RELAY_EVENT_LOOPS="$LOOPS" RELAY_GATEWAY_INSTANCES="$LOOPS" java $SERVER_OPTS -jar "$RELAY" >"$LOGDIR/relay.log" 2>&1 &
    server_pid=$!
    wait_ready "$LOGDIR/relay.log"
    run_cases relay "$RELAY_PORT"
    stop_server
  else
    echo "== $RELAY not built: relay cases skipped"
  fi
fi
socketio_memory

# The cluster case: three role processes joined by Hazelcast on loopback, Redis as the journal,
# started one after another as scripts/cluster-local.sh does, once for every cluster-* case.
# Labelled cluster/chat-closed and cluster/chat-steady, so the table sets them against the raw
# cases of the same load. server_cpu_cores is the gateway process's;
# role_cpu_cores and role_cpu_us_per_frame give each role's and Redis's CPU in the window.
start_role() { # $1 role, $2 Hazelcast port, then extra environment
  local role=$1 port=$2; shift 2
  local members="127.0.0.1:$CLUSTER_HZ_BASE,127.0.0.1:$((CLUSTER_HZ_BASE + 1)),127.0.0.1:$((CLUSTER_HZ_BASE + 2))"
  # shellcheck disable=SC2086
  env RELAY_ROLE="$role" RELAY_CLUSTER_MEMBERS="$members" RELAY_CLUSTER_HOST=127.0.0.1 \
    RELAY_CLUSTER_PORT="$port" RELAY_CLUSTER_NAME="bench-$$" \
    RELAY_REDIS_URL="redis://127.0.0.1:$CLUSTER_REDIS_PORT/0" RELAY_JWT_HS256_SECRET="$SECRET" \
    "${BENCH_SERVER_ENV[@]}" RELAY_EVENT_LOOPS="$LOOPS" RELAY_GATEWAY_INSTANCES="$LOOPS" "$@" java ${CLUSTER_ROLE_OPTS//%r/$role} -jar "$RELAY" >"$LOGDIR/cluster-$role.log" 2>&1 &
  cluster_pids=("$!" "${cluster_pids[@]}")
  role_pids="$role_pids,$role=$!"
  server_pid=$!
  wait_ready "$LOGDIR/cluster-$role.log"
}

cpu_ticks() { # utime+stime of pid $1 in clock ticks
  awk '{sub(/.*\) /, ""); print $12 + $13}' "/proc/$1/stat"
}

idle_cpu() { # prints each role's CPU (cores) over $1 idle seconds: what a low rate divides among its frames
  local item before=() i=0 hz out=""
  hz=$(getconf CLK_TCK)
  for item in ${role_pids//,/ }; do before+=("$(cpu_ticks "${item#*=}")"); done
  sleep "$1"
  for item in ${role_pids//,/ }; do
    out="$out ${item%=*}=$(awk -v a="${before[$i]}" -v b="$(cpu_ticks "${item#*=}")" -v s="$1" -v hz="$hz" 'BEGIN {printf "%.3f", (b - a) / hz / s}')"
    i=$((i + 1))
  done
  echo "== cluster idle cpu cores over ${1}s:$out"
}

cluster_label() { # the raw/relay case a cluster case is compared with
  case "$1" in cluster-chat) echo chat-closed ;; cluster-steady) echo chat-steady ;; esac
}
cluster_cases=""
for c in $CASES; do case "$c" in cluster-*) cluster_cases="$cluster_cases $c" ;; esac; done
if { [ -z "$ONLY" ] || [ "$ONLY" = cluster ]; } && [ -n "$cluster_cases" ]; then
  if [ -f "$RELAY" ] && command -v redis-server >/dev/null; then
    echo "== cluster (redis :$CLUSTER_REDIS_PORT, hazelcast :$CLUSTER_HZ_BASE..)"
    redis-server --port "$CLUSTER_REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no \
      --dir "$LOGDIR" --daemonize no >"$LOGDIR/cluster-redis.log" 2>&1 &
    cluster_pids=("$!")
    role_pids="redis=$!"
    start_role relay "$CLUSTER_HZ_BASE" RELAY_HEALTH_PORT=0
    # Worker and gateway are lite members, as k8s/app and scripts/cluster-local.sh run them.
    start_role worker "$((CLUSTER_HZ_BASE + 1))" RELAY_HEALTH_PORT=0 RELAY_CLUSTER_LITE_MEMBER=true
    start_role gateway "$((CLUSTER_HZ_BASE + 2))" RELAY_HTTP_PORT="$CLUSTER_PORT" RELAY_CLUSTER_LITE_MEMBER=true
    idle_cpu "${BENCH_CLUSTER_IDLE_S:-10}"
    for c in $cluster_cases; do
      echo "== cluster / $c ($(uptime))"
      # shellcheck disable=SC2046,SC2086
      java $DRIVER_OPTS -jar "$LOADGEN" --url "ws://127.0.0.1:$CLUSTER_PORT/ws" --secret "$SECRET" \
        --duration-s "$DURATION" --warmup-s "$WARMUP" $(case_args "$c") \
        --server-pid "$server_pid" --role-pids "$role_pids" --label "cluster/$(cluster_label "$c")" \
        --results "$RESULTS" || failed=1
    done
    server_pid=""
    stop_cluster
  else
    echo "== cluster cases skipped: needs $RELAY and redis-server"
  fi
fi
socketio_redis

echo
echo "== results: $RESULTS (server logs: $LOGDIR)"
java -cp "$LOADGEN" dev.chatrelay.loadgen.report.CompareMain "$RESULTS"
exit $failed
