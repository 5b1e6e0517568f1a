#!/usr/bin/env bash
# Runs cluster mode on loopback: Redis (AOF) + one relay, one worker and one gateway process,
# joined by Hazelcast TCP-IP, the event bus on mutual TLS with certificates made by
# scripts/make-eventbus-certs.sh (needs openssl). Ctrl-C stops everything. Build first:
#   mvn -B -q -DskipTests package
# Knobs: RELAY_HTTP_PORT (8080), CLUSTER_REDIS_PORT (6390), RELAY_JWT_HS256_SECRET (random),
# CLUSTER_REDIS_AOF (yes: the append-only file, fsync every second, rewritten from 512 MB on, as
# k8s/ runs Redis), CLUSTER_REDIS_ARGS (more redis-server options), CLUSTER_JAVA_OPTS (-Xmx512m:
# each role's JVM).
# Every other RELAY_* variable set here reaches all three roles (e.g. RELAY_EVENT_LOOPS=1);
# bench/outside.sh drives this script under load.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=launcher/target/relay.jar
[ -f "$jar" ] || { echo "cluster-local: $jar missing; run: mvn -B -q -DskipTests package" >&2; exit 1; }
command -v redis-server >/dev/null || { echo "cluster-local: redis-server not found (apt-get install redis-server)" >&2; exit 1; }

http_port=${RELAY_HTTP_PORT:-8080}
redis_port=${CLUSTER_REDIS_PORT:-6390}
aof=${CLUSTER_REDIS_AOF:-yes}
java_opts=${CLUSTER_JAVA_OPTS:--Xmx512m}
secret=${RELAY_JWT_HS256_SECRET:-$(head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 40)}
work=$(mktemp -d -t chat-relay-cluster.XXXXXX)
members=127.0.0.1:5701,127.0.0.1:5702,127.0.0.1:5703
pids=()

stop() {
  echo "cluster-local: stopping"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop EXIT INT TERM

bash scripts/make-eventbus-certs.sh "$work/eventbus-tls" > /dev/null

# shellcheck disable=SC2086  # CLUSTER_REDIS_ARGS holds several options
redis-server --port "$redis_port" --bind 127.0.0.1 --appendonly "$aof" --dir "$work" \
  --auto-aof-rewrite-min-size 512mb --save "" --daemonize no ${CLUSTER_REDIS_ARGS:-} \
  > "$work/redis.log" 2>&1 &
pids+=($!)
role_pids="redis=$!"

start_role() { # role cluster-port extra-env...
  local role=$1 port=$2; shift 2
  # shellcheck disable=SC2086  # java_opts holds several options
  env RELAY_ROLE="$role" RELAY_CLUSTER_MEMBERS="$members" RELAY_CLUSTER_HOST=127.0.0.1 \
    RELAY_CLUSTER_PORT="$port" RELAY_JWT_HS256_SECRET="$secret" RELAY_EVENTBUS_TLS=required \
    RELAY_EVENTBUS_TLS_CERT="$work/eventbus-tls/tls.crt" RELAY_EVENTBUS_TLS_KEY="$work/eventbus-tls/tls.key" \
    RELAY_EVENTBUS_TLS_CA="$work/eventbus-tls/ca.crt" \
    "$@" java $java_opts -jar "$jar" > "$work/$role.log" 2>&1 &
  pids+=($!)
  role_pids="$role_pids,$role=$!"
  # Separate JVMs started together take 11-17 s each on 2 cores (bench/HISTORY.md): stagger them.
  for _ in $(seq 120); do grep -q READY "$work/$role.log" && return 0; sleep 0.5; done
  echo "cluster-local: $role not ready, see $work/$role.log" >&2; exit 1
}

# As in k8s/: the relay is the Hazelcast data member and the only role with the journal's URL;
# worker and gateway are lite members (they wait for the relay at start).
start_role relay 5701 RELAY_HEALTH_PORT=8081 RELAY_REDIS_URL="redis://127.0.0.1:$redis_port/0"
start_role worker 5702 RELAY_HEALTH_PORT=8082 RELAY_CLUSTER_LITE_MEMBER=true
start_role gateway 5703 RELAY_HTTP_PORT="$http_port" RELAY_DEV_TOKENS=true RELAY_CLUSTER_LITE_MEMBER=true

cat <<MSG
cluster-local: Redis :$redis_port (appendonly $aof, in $work), relay, worker, gateway running; logs in $work
  processes:  $role_pids
  demo page:  http://localhost:$http_port/
  secret:     $secret
  a token:    curl -s -H 'Content-Type: application/json' -d '{"sub":"alice"}' http://localhost:$http_port/dev/token
  kill -9 a role and start it again with the same command line to watch clients resume.
Ctrl-C stops everything.
MSG
wait
