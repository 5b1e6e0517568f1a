package dev.chatrelay.cluster;

import static org.awaitility.Awaitility.await;

import dev.chatrelay.it.HistoryApi;
import dev.chatrelay.it.Tokens;
import dev.chatrelay.launcher.FreePorts;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The cluster as separate processes on loopback, as {@code scripts/cluster-local.sh} runs it:
 * a private redis-server (AOF, fsync always, its own port and directory) and relays, workers and
 * gateways, each {@code java -jar relay.jar} with {@code RELAY_ROLE}, all listed in
 * {@code RELAY_CLUSTER_MEMBERS}. A role is ready when it logged {@code READY} and its
 * {@code /readyz} answers 200 (the gateway's HTTP port, else {@code RELAY_HEALTH_PORT}).
 */
final class ProcessCluster implements AutoCloseable {

  /** Small heaps and a quick JIT: six JVMs start on two cores. */
  private static final List<String> JVM_OPTIONS = List.of("-Xmx256m", "-Xss512k",
      "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData");
  private static final Duration REDIS_WAIT = Duration.ofSeconds(20);
  /**
   * Gateways and workers join as lite Hazelcast members, as the Kubernetes manifests run them;
   * {@code -Dcluster.liteMembers=false} makes every role a data member.
   */
  private static final boolean LITE_MEMBERS =
      Boolean.parseBoolean(System.getProperty("cluster.liteMembers", "true"));

  private final Path jar;
  private final Path dir;
  private final Vertx vertx;
  private final String clusterName = "chaos-" + UUID.randomUUID();
  private final int redisPort = FreePorts.find();
  private final ClusterNetwork network;
  /** Loopback port reaching Redis from this JVM. */
  private final int redisReach;
  private final ChildProcess redis;
  final List<ChildProcess> relays = new ArrayList<>();
  final List<ChildProcess> workers = new ArrayList<>();
  final List<ChildProcess> gateways = new ArrayList<>();
  /** Port answering {@code /readyz} per role process. */
  private final Map<ChildProcess, Integer> probePorts = new LinkedHashMap<>();
  private final Thread reaper = new Thread(this::destroyAll, "chaos-reaper");

  ProcessCluster(Path jar, Path dir, Vertx vertx, int relayCount, int workerCount,
      int gatewayCount, Map<String, String> overrides) throws IOException {
    this(jar, dir, vertx, relayCount, workerCount, gatewayCount, overrides,
        ClusterNetwork.LOOPBACK);
  }

  ProcessCluster(Path jar, Path dir, Vertx vertx, int relayCount, int workerCount,
      int gatewayCount, Map<String, String> overrides, ClusterNetwork network) throws IOException {
    this.jar = jar;
    this.dir = Files.createDirectories(dir);
    this.vertx = vertx;
    this.network = network;
    Path data = Files.createDirectories(dir.resolve("redis-data"));
    List<String> redisCommand = new ArrayList<>(network.prefix("redis"));
    redisCommand.addAll(List.of("redis-server", "--port", String.valueOf(redisPort),
        "--bind", network.redisBind(), "--dir", data.toAbsolutePath().toString(),
        "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--daemonize", "no",
        "--protected-mode", "no"));
    redis = new ChildProcess("redis", redisCommand, Map.of(), dir);
    redisReach = network.reach("redis", redisPort);
    List<String> names = new ArrayList<>();
    for (int i = 0; i < relayCount; i++) {
      names.add("relay-" + i);
    }
    for (int i = 0; i < workerCount; i++) {
      names.add("worker-" + i);
    }
    for (int i = 0; i < gatewayCount; i++) {
      names.add("gateway-" + i);
    }
    List<Integer> clusterPorts = new ArrayList<>();
    List<String> addresses = new ArrayList<>();
    for (String name : names) {
      int port = FreePorts.find();
      clusterPorts.add(port);
      addresses.add(network.host(name) + ":" + port);
    }
    String members = String.join(",", addresses);
    for (int slot = 0; slot < names.size(); slot++) {
      String name = names.get(slot);
      String kind = name.substring(0, name.indexOf('-'));
      int index = Integer.parseInt(name.substring(name.indexOf('-') + 1));
      ChildProcess process = role(kind, index, clusterPorts.get(slot), members, overrides);
      switch (kind) {
        case "relay" -> relays.add(process);
        case "worker" -> workers.add(process);
        default -> gateways.add(process);
      }
    }
    // A test JVM that dies before @AfterAll must not leave six JVMs and a Redis behind.
    Runtime.getRuntime().addShutdownHook(reaper);
  }

  private ChildProcess role(String role, int index, int clusterPort, String members,
      Map<String, String> overrides) {
    int probePort = FreePorts.find();
    Map<String, String> env = new LinkedHashMap<>();
    env.put("RELAY_ROLE", role);
    env.put("RELAY_JWT_HS256_SECRET", Tokens.SECRET);
    env.put("RELAY_CLUSTER_NAME", clusterName);
    env.put("RELAY_CLUSTER_MEMBERS", members);
    env.put("RELAY_CLUSTER_HOST", network.host(role + "-" + index));
    env.put("RELAY_CLUSTER_PORT", String.valueOf(clusterPort));
    env.put("RELAY_REDIS_URL", redisUrl());
    env.put(role.equals("gateway") ? "RELAY_HTTP_PORT" : "RELAY_HEALTH_PORT",
        String.valueOf(probePort));
    env.put("RELAY_GATEWAY_INSTANCES", "1");
    // Short, so a stopped worker's job moves quickly; -Dchaos.leaseMs=10000 measures the default.
    env.put("RELAY_JOB_LEASE_MS", System.getProperty("chaos.leaseMs", "2000"));
    env.put("RELAY_READY_CHECK_MS", "100");
    env.put("RELAY_SHUTDOWN_TIMEOUT_MS", "5000");
    env.put("RELAY_DRAIN_GRACE_MS", "2000");
    if (!role.equals("relay") && LITE_MEMBERS) {
      env.put("RELAY_CLUSTER_LITE_MEMBER", "true"); // as k8s/app runs them: no partitions move
    }
    env.putAll(overrides);
    List<String> command = new ArrayList<>(network.prefix(role + "-" + index));
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(JVM_OPTIONS);
    command.addAll(extraJvmOptions());
    command.add("-jar");
    command.add(jar.toAbsolutePath().toString());
    ChildProcess process = new ChildProcess(role + "-" + index, command, env, dir);
    probePorts.put(process, network.reach(role + "-" + index, probePort));
    return process;
  }

  /**
   * {@code -Dfaults.jvmOptions="-Da=b -Dc=d"} (experiments), e.g. {@code
   * -Dlogback.configurationFile=src/test/resources/logback-cluster-debug.xml} for Hazelcast's
   * cluster log; a relative path is resolved here, the children run elsewhere.
   */
  private static List<String> extraJvmOptions() {
    List<String> options = new ArrayList<>();
    for (String option : System.getProperty("faults.jvmOptions", "").trim().split("\\s+")) {
      if (option.isEmpty()) {
        continue;
      }
      int eq = option.indexOf('=');
      if (option.startsWith("-Dlogback.configurationFile=")) {
        option = option.substring(0, eq + 1) + Path.of(option.substring(eq + 1)).toAbsolutePath();
      }
      options.add(option);
    }
    return options;
  }

  String redisUrl() {
    return "redis://" + network.redisHost() + ":" + redisPort + "/0";
  }

  int httpPort(ChildProcess gateway) {
    return probePorts.get(gateway);
  }

  List<Integer> gatewayPorts() {
    return gateways.stream().map(this::httpPort).toList();
  }

  List<ChildProcess> roles() {
    return Stream.of(relays, workers, gateways).flatMap(List::stream).toList();
  }

  /**
   * Redis, then every role in the order relays, workers, gateways, at most {@code parallelism}
   * starting at once (separate JVMs started together take 11–17 s each on two cores).
   */
  void startAll(int parallelism, Duration deadline) throws Exception {
    startRedis();
    ExecutorService starters = Executors.newFixedThreadPool(parallelism);
    try {
      List<Future<?>> started = new ArrayList<>();
      for (ChildProcess role : roles()) {
        started.add(starters.submit(() -> {
          role.start();
          awaitReady(role, deadline);
        }));
      }
      for (Future<?> f : started) {
        f.get(deadline.toMillis() * roles().size(), TimeUnit.MILLISECONDS);
      }
    } finally {
      starters.shutdownNow();
    }
  }

  void startRedis() {
    redis.start();
    await().atMost(REDIS_WAIT).pollInterval(Duration.ofMillis(50))
        .failFast("redis-server exited:\n" + redis.tail(20), () -> !redis.alive())
        .until(() -> "+PONG".equals(redisCommand("PING")));
  }

  /** SIGTERM: Redis writes what the AOF still lacks and exits; start again on the same dir. */
  void stopRedis() {
    redis.terminate();
  }

  /** Restart with the same command line (same port and data directory). */
  void restart(ChildProcess role, Duration deadline) {
    role.start();
    awaitReady(role, deadline);
  }

  void awaitReady(ChildProcess role, Duration deadline) {
    try (HistoryApi probe = new HistoryApi(vertx, probePorts.get(role))) {
      await().atMost(deadline).pollInterval(Duration.ofMillis(200))
          .failFast(role + " exited", () -> !role.alive())
          .until(() -> role.said("READY") && readyz(probe) == 200);
    } catch (RuntimeException | AssertionError e) {
      throw new AssertionError(role + " not ready within " + deadline.toSeconds() + " s: " + e
          + "\n" + role.tail(60), e);
    }
  }

  /** True when every role process runs and answers {@code /readyz} 200. */
  boolean allReady() {
    for (ChildProcess role : roles()) {
      if (!role.alive()) {
        return false;
      }
      try (HistoryApi probe = new HistoryApi(vertx, probePorts.get(role))) {
        if (readyz(probe) != 200) {
          return false;
        }
      }
    }
    return true;
  }

  private static int readyz(HistoryApi probe) {
    try {
      return probe.get("/readyz", null).status();
    } catch (RuntimeException e) {
      return -1; // not listening yet
    }
  }

  /** The private redis-server process (to freeze it). */
  ChildProcess redis() {
    return redis;
  }

  /**
   * Role processes whose latest cluster view lacks a member: each logs
   * {@code cluster view ... members=N} on every change, and N must be every role process.
   */
  List<String> splitMembers() {
    List<String> split = new ArrayList<>();
    String expected = "members=" + roles().size() + " ";
    for (ChildProcess role : roles()) {
      String line = role.lastLineWith("event=cluster.view node=");
      if (line == null || !line.contains(expected)) {
        split.add(role.name + ": " + line);
      }
    }
    return split;
  }

  /** One inline command to the private Redis; its first reply line, or null when unreachable. */
  String redisCommand(String command) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", redisReach), 1_000);
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      StringBuilder line = new StringBuilder();
      int c;
      while ((c = in.read()) != -1 && c != '\r') {
        line.append((char) c);
      }
      return line.toString();
    } catch (IOException e) {
      return null;
    }
  }

  /** The last lines of every process's current output, for a failure report. */
  String tails(int lines) {
    StringBuilder out = new StringBuilder();
    out.append(redis.tail(lines)).append('\n');
    for (ChildProcess role : roles()) {
      out.append(role.tail(lines)).append('\n');
    }
    return out.toString();
  }

  /**
   * Appends "epoch-ms what" to {@code marks.log} beside the processes' logs, so
   * {@code scripts/fault-timeline.py} can line them up with the fault; returns the time.
   */
  long mark(String what) {
    long now = System.currentTimeMillis();
    try {
      Files.writeString(dir.resolve("marks.log"), now + " " + what + "\n",
          StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return now;
  }

  Path dir() {
    return dir;
  }

  private void destroyAll() {
    for (ChildProcess role : roles()) {
      role.destroy();
    }
    redis.destroy();
  }

  @Override
  public void close() {
    destroyAll();
    try {
      Runtime.getRuntime().removeShutdownHook(reaper);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook runs anyway
    }
  }
}
