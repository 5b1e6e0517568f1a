#!/usr/bin/env bash
# The cluster-chat case driven from outside bench/run.sh: scripts/cluster-local.sh starts cluster
# mode as a user would (event bus on mutual TLS, Redis with its append-only file unless
# CLUSTER_REDIS_AOF=no), with the bench's server settings, and the same driver runs the same
# closed loop against it OUTSIDE_RUNS times on the one cluster. Build first:
#   mvn -B -q -DskipTests package
# Knobs: OUTSIDE_RUNS (2), OUTSIDE_DURATION_S (20), OUTSIDE_WARMUP_S (30), CLUSTER_REDIS_AOF (yes),
# CLUSTER_REDIS_ARGS (more redis-server options), CLUSTER_JAVA_OPTS (bench/run.sh's role JVMs).
# Ports: HTTP 18075, Redis 16392, and cluster-local.sh's fixed Hazelcast (5701-5703) and health
# (8081-8082) ports, all on loopback.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/server-settings.sh
runs=${OUTSIDE_RUNS:-2}
duration=${OUTSIDE_DURATION_S:-20}
warmup=${OUTSIDE_WARMUP_S:-30}
http_port=18075
secret=outside-$(od -An -tx1 -N24 /dev/urandom | tr -d " \n")
loadgen=loadgen/target/loadgen.jar
[ -f "$loadgen" ] || { echo "outside: $loadgen missing; run: mvn -B -q -DskipTests package" >&2; exit 1; }
mkdir -p bench/results
results=bench/results/outside-$(date +%Y%m%d-%H%M%S).jsonl
log=$(mktemp /tmp/outside-cluster.XXXXXX.log)

# bench/run.sh's cluster case: its server settings, one event loop per process.
env RELAY_HTTP_PORT="$http_port" CLUSTER_REDIS_PORT=16392 RELAY_JWT_HS256_SECRET="$secret" \
  CLUSTER_JAVA_OPTS="${CLUSTER_JAVA_OPTS:-$BENCH_ROLE_JAVA_OPTS}" "${BENCH_SERVER_ENV[@]}" \
  RELAY_EVENT_LOOPS=1 RELAY_GATEWAY_INSTANCES=1 \
  setsid bash scripts/cluster-local.sh >"$log" 2>&1 &
cluster=$!
stop() { # the cluster, then its Redis data (kept by cluster-local.sh for a user to look at)
  kill -- -"$cluster" 2>/dev/null || true
  wait "$cluster" 2>/dev/null || true
  local work
  work=$(sed -n 's/.*logs in \(\/[^ ]*\)$/\1/p' "$log" | head -1)
  case "$work" in /tmp/chat-relay-cluster.*) rm -rf "$work" ;; esac
}
trap stop EXIT
for _ in $(seq 240); do grep -q "Ctrl-C" "$log" && break; kill -0 "$cluster" || break; sleep 0.5; done
grep -q "Ctrl-C" "$log" || { echo "outside: the cluster did not start, see $log" >&2; exit 1; }
role_pids=$(sed -n 's/^ *processes: *//p' "$log")
echo "== outside: cluster up ($role_pids), log $log"

for run in $(seq "$runs"); do
  echo "== outside/cluster-chat run $run of $runs"
  java -Xms512m -Xmx1g -jar "$loadgen" --url "ws://127.0.0.1:$http_port/ws" --secret "$secret" \
    --scenario chat --users 500 --interval-ms 0 --duration-s "$duration" --warmup-s "$warmup" \
    --server-pid "${role_pids##*gateway=}" --role-pids "$role_pids" \
    --label "outside/cluster-chat" --results "$results"
done
echo "== outside: results in $results"
