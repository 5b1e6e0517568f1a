# Sourced by bench/run.sh and bench/outside.sh: the settings every relay process of the bench runs
# with, so the embedded, cluster and outside cases measure the same server.
# An instant scripted engine of 8 chunks (the driver measures the relay, not a model), and no
# per-user send quota in the way: the driver paces users up to 40 sends/s, above the default 10/s.
# shellcheck disable=SC2034  # used by the scripts that source this file
BENCH_SERVER_ENV=(RELAY_SCRIPTED_DELAY_MS=0 RELAY_SCRIPTED_CHUNKS=8 RELAY_ACK_WINDOW=256
  RELAY_SEND_RATE_PER_S=100000 RELAY_SEND_BURST=100000 RELAY_RETENTION_FRAMES=1000)
# Each cluster role's JVM: three of them share the box with the driver.
BENCH_ROLE_JAVA_OPTS="-Xms512m -Xmx512m -Xmn64m -XX:+AlwaysPreTouch"
