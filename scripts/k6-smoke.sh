#!/usr/bin/env bash
# Smoke-runs the three k6 scripts (through k6/shim, no k6 needed) against a relay started here:
# by default the embedded jar (`java -jar launcher/target/relay.jar`, build it first), or any
# command in SMOKE_SERVER_CMD that serves the protocol on RELAY_HTTP_PORT with RELAY_JWT_HS256_SECRET.
# Everything is bounded: start-up by SMOKE_START_TIMEOUT_S, each script by its short duration.
# Exits non-zero when the server does not get ready or any script fails.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
start_timeout_s="${SMOKE_START_TIMEOUT_S:-120}" # the JVM and its verticles must be ready by then
server_cmd="${SMOKE_SERVER_CMD:-java -jar $repo_root/launcher/target/relay.jar}"
log="$(mktemp -t relay-smoke.XXXXXX.log)"

port="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
secret="$(node -e "console.log(require('crypto').randomBytes(24).toString('base64url'))")"

if [[ ! -d "$repo_root/k6/shim/node_modules/ws" ]]; then
  (cd "$repo_root/k6/shim" && npm ci --no-audit --no-fund --loglevel=error)
fi

echo "k6-smoke: starting: $server_cmd (port $port, log $log)"
RELAY_HTTP_PORT="$port" RELAY_JWT_HS256_SECRET="$secret" $server_cmd >"$log" 2>&1 &
server_pid=$!
stop_server() {
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
}
trap stop_server EXIT

ready() {
  node -e "fetch('http://127.0.0.1:$port/readyz').then(r=>process.exit(r.status===200?0:1),()=>process.exit(1))"
}
deadline=$((SECONDS + start_timeout_s))
until ready; do
  if ! kill -0 "$server_pid" 2>/dev/null; then echo "k6-smoke: server exited"; tail -n 40 "$log"; exit 1; fi
  if (( SECONDS >= deadline )); then echo "k6-smoke: not ready after ${start_timeout_s}s"; tail -n 40 "$log"; exit 1; fi
  sleep 0.5
done

run() {
  local script="$1"; shift
  echo "k6-smoke: $script"
  node "$repo_root/k6/shim/run.mjs" "$repo_root/k6/$script" \
    -e RELAY_URL="ws://127.0.0.1:$port" -e RELAY_JWT_HS256_SECRET="$secret" "$@"
}
failed=0
run chat.js -e VUS=4 -e DURATION=6s -e MESSAGES=3 -e SEND_INTERVAL_MS=300 || failed=$((failed + 1))
run reconnect-storm.js -e VUS=8 -e DURATION=6s -e STORM_PERIOD_MS=2000 || failed=$((failed + 1))
run soak.js -e VUS=4 -e DURATION=8s -e SESSION_MS=4000 -e SEND_INTERVAL_MS=400 -e DROP_EVERY_MS=1500 || failed=$((failed + 1))
echo "k6-smoke: $((3 - failed)) of 3 scripts passed"
if (( failed == 0 )); then rm -f "$log"; else echo "k6-smoke: server log kept in $log"; fi
exit $(( failed == 0 ? 0 : 1 ))
