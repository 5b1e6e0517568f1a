# syntax=docker/dockerfile:1
# One image for every role; RELAY_ROLE (all | gateway | relay | worker) picks what runs.
#   docker build -t chat-relay:latest .
#   docker run --rm -p 8080:8080 chat-relay:latest                      # embedded: all roles, in-memory journal
#   docker run --rm -e RELAY_ROLE=gateway -e RELAY_REDIS_URL=... chat-relay:latest

# ---- build: the fat jar, exactly as the README builds it ----
FROM maven:3-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
# The cache mount keeps ~/.m2 between builds (BuildKit), so only changed sources cost time.
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -DskipTests package \
 && cp launcher/target/relay.jar /relay.jar

# ---- run: JRE only, unprivileged ----
FROM eclipse-temurin:17-jre
# A fixed numeric uid/gid so Kubernetes `runAsNonRoot` can verify it (k8s/ uses 10001).
RUN groupadd --system --gid 10001 relay \
 && useradd --system --uid 10001 --gid relay --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin relay
WORKDIR /app
# Owned by root and read-only for the app user: the process cannot rewrite its own code.
COPY --from=build --chown=root:root --chmod=0444 /relay.jar /app/relay.jar
ENV RELAY_ROLE=all \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
# 8080 gateway HTTP/WebSocket, 9090 admin (RELAY_ADMIN_PORT: probes, /metrics, /admin; k8s/),
# 8081 health of relay/worker (RELAY_HEALTH_PORT), 5701 Hazelcast, 5702 event bus.
EXPOSE 8080 9090 8081 5701 5702
USER 10001:10001
# The --add-opens Hazelcast needs are in the jar manifest; JAVA_TOOL_OPTIONS only sizes memory
# (k8s/ sets it per role: heap and Netty direct memory inside the container limit).
ENTRYPOINT ["java", "-jar", "/app/relay.jar"]
