#!/usr/bin/env bash
# Benchmarks the relay against the raw push baseline with the same driver and scenarios.
# Builds the jars, runs every case against RawPushServer, then against the embedded relay
# (launcher/target/relay.jar, skipped when absent), and prints one table with ratios to raw.
# Knobs (environment): BENCH_DURATION_S (20), BENCH_WARMUP_S (5), BENCH_CASES (all),
# BENCH_SKIP_BUILD=1, BENCH_RAW_PORT (18090), BENCH_RELAY_PORT (18080), BENCH_SECRET,
# BENCH_DRIVER_JAVA_OPTS, BENCH_SERVER_JAVA_OPTS, BENCH_ONLY (raw|relay).
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${BENCH_DURATION_S:-20}
WARMUP=${BENCH_WARMUP_S:-5}
CASES=${BENCH_CASES:-"idle chat-closed chat-steady fanout storm"}  # idle first: its heap delta wants a fresh server
RAW_PORT=${BENCH_RAW_PORT:-18090}
RELAY_PORT=${BENCH_RELAY_PORT:-18080}
SECRET=${BENCH_SECRET:-bench-secret-$RANDOM$RANDOM}
DRIVER_OPTS=${BENCH_DRIVER_JAVA_OPTS:-"-Xms512m -Xmx1g"}
SERVER_OPTS=${BENCH_SERVER_JAVA_OPTS:-"-Xms1g -Xmx1g"}
READY_TIMEOUT_S=90           # longest a server may take to print READY
LOADGEN=loadgen/target/loadgen.jar
RELAY=launcher/target/relay.jar
mkdir -p bench/results
RESULTS=bench/results/bench-$(date +%Y%m%d-%H%M%S).jsonl
LOGDIR=$(mktemp -d /tmp/bench-logs.XXXXXX)
server_pid=""
failed=0

stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid"
    for _ in $(seq 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
  fi
  server_pid=""
}
trap stop_server EXIT

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
    *) echo "unknown case $1" >&2; return 1 ;;
  esac
}

run_cases() { # $1 system label, $2 port
  for c in $CASES; do
    echo "== $1 / $c"
    # shellcheck disable=SC2046,SC2086
    java $DRIVER_OPTS -jar "$LOADGEN" --url "ws://127.0.0.1:$2/ws" --secret "$SECRET" \
      --duration-s "$DURATION" --warmup-s "$WARMUP" $(case_args "$c") \
      --server-pid "$server_pid" --label "$1/$c" --results "$RESULTS" || failed=1
  done
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
    RELAY_HTTP_PORT=$RELAY_PORT RELAY_JWT_HS256_SECRET=$SECRET RELAY_SCRIPTED_DELAY_MS=0 \
      RELAY_SCRIPTED_CHUNKS=8 RELAY_ACK_WINDOW=256 RELAY_RETENTION_FRAMES=1000 \
      java $SERVER_OPTS -jar "$RELAY" >"$LOGDIR/relay.log" 2>&1 &
    server_pid=$!
    wait_ready "$LOGDIR/relay.log"
    run_cases relay "$RELAY_PORT"
    stop_server
  else
    echo "== $RELAY not built: relay cases skipped"
  fi
fi

echo
echo "== results: $RESULTS (server logs: $LOGDIR)"
java -cp "$LOADGEN" dev.chatrelay.loadgen.report.CompareMain "$RESULTS"
exit $failed
