package dev.chatrelay.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.chatrelay.it.HistoryApi;
import dev.chatrelay.it.Tokens;
import io.vertx.core.Vertx;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seeded chaos with real processes: a private redis-server (AOF, fsync always), two relays, two
 * workers and two gateways, each {@code java -jar relay.jar}. Clients chat over both gateways
 * (a closed socket: reconnect to the other one and resume from the last seq) while a schedule
 * drawn from the seed kills a relay, a worker and a gateway with kill -9 and restarts each,
 * SIGTERMs a gateway (drain with 1012) and restarts Redis. Then every client's view of every
 * thread must equal the history API: every frame once, in order, no gap, no reset. Last, Redis
 * is flushed: every thread must answer {@code reset} with a new epoch, never a silent gap.
 *
 * <p>Short form (CI): 50 clients, each event once. {@code -Dchaos.long=true}: more clients and
 * several cycles of events. {@code -Dchaos.seed=N} replays a schedule; {@code chaos.clients} and
 * {@code chaos.cycles} override the sizes, {@code chaos.leaseMs} the job lease (2000). Process output: {@code target/chaos/<seed>-<time>/}.
 */
@Timeout(value = 30, unit = TimeUnit.MINUTES) // a hang must not hold CI; short form: 65-90 s
class ClusterChaosIT {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterChaosIT.class);
  private static final Tokens TOKENS = Tokens.standard();
  private static final int THREADS_PER_CLIENT = 2;
  /** Starting JVMs at once on two cores: more than two in parallel only makes each slower. */
  private static final int START_PARALLELISM = 2;
  private static final Duration START_DEADLINE = Duration.ofSeconds(90);
  /** From an event to every process ready again and every client two rounds further. */
  private static final Duration RECOVERY_DEADLINE = Duration.ofSeconds(90);
  private static final Duration POLL = Duration.ofMillis(100);
  /** Close code of a gateway drain (PROTOCOL.md: server restarting). */
  private static final int DRAIN_CLOSE = 1012;

  private static final Vertx CLIENT_VERTX = Vertx.vertx();
  private static ProcessCluster cluster;
  private static Chatter chatter;

  /** What happened at one scheduled event and how clients fared. */
  private record Outcome(String event, String target, long pauseMs, long recoveredMs,
      int reconnects) {}

  @AfterAll
  static void cleanUp() {
    if (chatter != null) {
      chatter.close();
    }
    if (cluster != null) {
      cluster.close();
    }
    CLIENT_VERTX.close().await();
  }

  @Test
  void seededKillsAndRestartsLoseDuplicateAndReorderNothing() throws Exception {
    long begun = System.currentTimeMillis();
    Path jar = Path.of(System.getProperty("relay.jar", "target/relay.jar"));
    assumeTrue(Files.isRegularFile(jar), "built jar not present (run mvn verify): " + jar);
    assertTrue(onPath("redis-server"), "redis-server not on PATH (apt-get install redis-server;"
        + " ./run-tests.sh installs it)");
    long seed = Long.getLong("chaos.seed", new Random().nextLong());
    boolean longForm = Boolean.getBoolean("chaos.long");
    int clients = Integer.getInteger("chaos.clients", longForm ? 120 : 50);
    int cycles = Integer.getInteger("chaos.cycles", longForm ? 4 : 1);
    LOG.info("chaos seed={} long={} clients={} cycles={} (replay: -Dchaos.seed={})", seed,
        longForm, clients, cycles, seed);
    Random random = new Random(seed);
    Path dir = Path.of("target", "chaos", seed + "-" + System.currentTimeMillis());

    cluster = new ProcessCluster(jar, dir, CLIENT_VERTX, 2, 2, 2, Map.of(
        "RELAY_SCRIPTED_DELAY_MS", "100", // 8 chunks: a reply streams ~1 s, so kills cut into it
        "RELAY_RETENTION_FRAMES", "100000", // the history API must still hold every frame seen
        "RELAY_REDIS_RECONNECT_MAX_MS", "1000"));
    try {
      cluster.startAll(START_PARALLELISM, START_DEADLINE);
      long startedMs = System.currentTimeMillis() - begun;
      LOG.info("chaos cluster started ms={} logs={}", startedMs, dir.toAbsolutePath());

      Pauses pauses = new Pauses();
      chatter = chat(clients, random, pauses);
      chatter.start();
      awaitProgress(chatter.minRounds() + 1, "first round");

      List<Outcome> outcomes = new ArrayList<>();
      for (String event : schedule(random, cycles)) {
        int gap = clients * (1 + random.nextInt(3)); // quiet chat before the event, in rounds
        int target = chatter.rounds() + gap;
        await().atMost(RECOVERY_DEADLINE).pollInterval(POLL).failFast(this::violated)
            .until(() -> chatter.rounds() >= target);
        outcomes.add(run(event, random.nextInt(2), pauses));
      }

      chatter.stopAndSettle();
      int frames;
      try (HistoryApi api = new HistoryApi(CLIENT_VERTX, cluster.gatewayPorts().get(0))) {
        frames = chatter.verify(api, TOKENS::valid);
      }
      assertEquals(0, chatter.resets(), "Redis kept everything (AOF): no thread may be reset");
      LOG.info("chaos verified frames={} rounds={} reconnects={}", frames, chatter.rounds(),
          chatter.reconnects());

      int flushedFrames = flushPhase(pauses);
      LOG.info("chaos summary seed={} clients={} threads={} startMs={} wallMs={}\n{}", seed,
          clients, clients * THREADS_PER_CLIENT, startedMs, System.currentTimeMillis() - begun,
          table(outcomes, frames, flushedFrames));
    } catch (Throwable t) {
      LOG.error("chaos failed seed={} (replay: -Dchaos.seed={}); process output:\n{}", seed,
          seed, cluster.tails(40));
      throw t;
    }
  }

  private static boolean onPath(String command) {
    String path = System.getenv().getOrDefault("PATH", "");
    return Arrays.stream(path.split(File.pathSeparator))
        .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
  }

  /** Each event once per cycle, in an order drawn from the seed. */
  private static List<String> schedule(Random random, int cycles) {
    List<String> all = new ArrayList<>();
    for (int c = 0; c < cycles; c++) {
      List<String> cycle = new ArrayList<>(List.of("kill-relay", "kill-worker", "kill-gateway",
          "term-gateway", "restart-redis"));
      Collections.shuffle(cycle, random);
      all.addAll(cycle);
    }
    return all;
  }

  private Chatter chat(int clients, Random random, Pauses pauses) {
    List<ChatClient> list = new ArrayList<>();
    List<Integer> ports = cluster.gatewayPorts();
    for (int c = 0; c < clients; c++) {
      List<String> threads = new ArrayList<>();
      for (int t = 0; t < THREADS_PER_CLIENT; t++) {
        threads.add("chaos-t" + t);
      }
      String sub = "chaos-user" + c;
      list.add(new ChatClient(CLIENT_VERTX, sub, TOKENS.valid(sub), ports,
          random.nextInt(ports.size()), threads, pauses));
    }
    return new Chatter(list);
  }

  /** Does one event to process {@code index} of its kind, restarts it, waits for recovery. */
  private Outcome run(String event, int drawn, Pauses pauses) {
    int index = drawn;
    if (event.endsWith("-gateway")) {
      // The busier gateway: after a gateway event every client sits on the other one, and an
      // event on an empty gateway tests nothing. The draw only breaks ties.
      int[] perGateway = chatter.clientsPerGateway(cluster.gateways.size());
      if (perGateway[0] != perGateway[1]) {
        index = perGateway[0] > perGateway[1] ? 0 : 1;
      }
    }
    int reconnectsBefore = chatter.reconnects();
    int drainedBefore = chatter.closes().getOrDefault(DRAIN_CLOSE, 0);
    long at = System.currentTimeMillis();
    String target;
    switch (event) {
      case "kill-relay" -> target = killAndRestart(cluster.relays.get(index));
      case "kill-worker" -> target = killAndRestart(cluster.workers.get(index));
      case "kill-gateway" -> target = killAndRestart(cluster.gateways.get(index));
      case "term-gateway" -> {
        ChildProcess gateway = cluster.gateways.get(index);
        gateway.terminate();
        assertTrue(gateway.said("event=shutdown.step step=drain-gateways"), gateway.tail(40));
        cluster.restart(gateway, START_DEADLINE);
        target = gateway.name;
      }
      case "restart-redis" -> {
        cluster.stopRedis();
        cluster.startRedis();
        target = "redis";
      }
      default -> throw new IllegalArgumentException(event);
    }
    // Recovered: every process ready again, then every client two rounds further (its round
    // under way at that moment ends, then a whole one runs after it).
    await().atMost(RECOVERY_DEADLINE).pollInterval(POLL).failFast(this::violated)
        .until(cluster::allReady);
    awaitProgress(chatter.minRounds() + 2, event);
    long recovered = System.currentTimeMillis();
    int reconnects = chatter.reconnects() - reconnectsBefore;
    int drained = chatter.closes().getOrDefault(DRAIN_CLOSE, 0) - drainedBefore;
    if (event.endsWith("-gateway")) {
      assertTrue(reconnects > 0, event + " of " + target + " dropped no client");
    } else {
      assertEquals(0, reconnects, event + " costs a pause, not a reconnect");
    }
    if (event.equals("term-gateway")) {
      assertTrue(drained > 0, "SIGTERM drains with " + DRAIN_CLOSE + ": " + chatter.closes());
    }
    Outcome outcome = new Outcome(event, target, pauses.longestBetween(at, recovered),
        recovered - at, reconnects);
    LOG.info("chaos event={} target={} pauseMs={} recoveredMs={} reconnects={}", event, target,
        outcome.pauseMs(), outcome.recoveredMs(), outcome.reconnects());
    return outcome;
  }

  private String killAndRestart(ChildProcess process) {
    process.kill();
    cluster.restart(process, START_DEADLINE);
    return process.name;
  }

  private void awaitProgress(int minRounds, String what) {
    try {
      await().atMost(RECOVERY_DEADLINE).pollInterval(POLL).failFast(this::violated)
          .until(() -> chatter.minRounds() >= minRounds);
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError("clients stuck after " + what + ": " + chatter.violations(), e);
    }
  }

  private boolean violated() {
    return !chatter.violations().isEmpty();
  }

  /**
   * Redis loses everything between two rounds (no reply under way, so no job is lost with it):
   * every thread must then answer {@code reset} with a new epoch and start again from seq 1.
   */
  private int flushPhase(Pauses pauses) throws Exception {
    Map<String, String> before = new LinkedHashMap<>();
    for (ChatClient client : chatter.clients()) {
      for (String thread : client.threads()) {
        before.put(client.sub + "/" + thread, client.view.epoch(thread));
      }
    }
    int resetsBefore = chatter.resets();
    assertEquals("OK", cluster.redisCommand("FLUSHALL").substring(1));
    long at = System.currentTimeMillis();
    chatter.resume("f");
    awaitProgress(chatter.minRounds() + 2, "FLUSHALL");
    long recovered = System.currentTimeMillis();
    chatter.stopAndSettle();
    for (ChatClient client : chatter.clients()) {
      for (String thread : client.threads()) {
        assertNotEquals(before.get(client.sub + "/" + thread), client.view.epoch(thread),
            client.sub + "/" + thread + " kept its epoch after FLUSHALL");
      }
    }
    assertTrue(chatter.resets() - resetsBefore >= before.size(),
        "a reset per thread: " + (chatter.resets() - resetsBefore) + " for " + before.size());
    try (HistoryApi api = new HistoryApi(CLIENT_VERTX, cluster.gatewayPorts().get(1))) {
      int frames = chatter.verify(api, TOKENS::valid);
      LOG.info("chaos event=flushall pauseMs={} recoveredMs={} resets={} frames={}",
          pauses.longestBetween(at, recovered), recovered - at, chatter.resets() - resetsBefore,
          frames);
      return frames;
    }
  }

  private String table(List<Outcome> outcomes, int frames, int flushedFrames) {
    StringBuilder out = new StringBuilder(String.format("%-14s %-10s %8s %12s %10s%n", "event",
        "target", "pauseMs", "recoveredMs", "reconnects"));
    for (Outcome o : outcomes) {
      out.append(String.format("%-14s %-10s %8d %12d %10d%n", o.event(), o.target(),
          o.pauseMs(), o.recoveredMs(), o.reconnects()));
    }
    out.append(String.format("frames checked: %d before FLUSHALL, %d after; rounds %d; "
        + "reconnects %d (close code -> count %s); resets %d (all after FLUSHALL)", frames,
        flushedFrames, chatter.rounds(), chatter.reconnects(), chatter.closes(),
        chatter.resets()));
    return out.toString();
  }
}
