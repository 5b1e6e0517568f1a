package dev.chatrelay.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.it.HistoryApi;
import dev.chatrelay.it.Tokens;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One fault measured the way issue #8 defines done: every client asks for one reply per
 * thread, the fault starts once every send was accepted (replies are streaming), heals, and
 * then, with no new traffic, the time from the heal until every reply ended, until no process
 * is split from the cluster, and the reconnects it cost.
 */
final class FaultRun {

  private static final Logger LOG = LoggerFactory.getLogger(FaultRun.class);
  private static final Duration POLL = Duration.ofMillis(100);
  /** Every send of a round accepted within this, before any fault. */
  private static final Duration ACCEPT_DEADLINE = Duration.ofSeconds(30);
  /** Data collection only: a reply later than this counts as never (reported, not waited). */
  private static final Duration ROUND_LIMIT = Duration.ofSeconds(60);
  private static final int THREADS_PER_CLIENT = 2;

  /** Role settings of every fault tier, plus {@code -Dfaults.env=K=V;K=V} (experiments). */
  static Map<String, String> roleSettings() {
    Map<String, String> settings = new java.util.LinkedHashMap<>(ROLE_SETTINGS);
    String extra = System.getProperty("faults.env", "");
    for (String pair : extra.split(";")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        settings.put(pair.substring(0, eq), pair.substring(eq + 1));
      }
    }
    return settings;
  }

  private static final Map<String, String> ROLE_SETTINGS = Map.of(
      "RELAY_SCRIPTED_DELAY_MS", "300", // 8 chunks: a reply streams ~2.4 s, a fault cuts into it
      "RELAY_RETENTION_FRAMES", "100000", // the history API must still hold every frame seen
      "RELAY_REDIS_RECONNECT_MAX_MS", "1000",
      // The production lease unless -Dfaults.leaseMs: the heal times are the real ones.
      "RELAY_JOB_LEASE_MS", System.getProperty("faults.leaseMs", "10000"));

  /** One measured fault. healToDoneMs / rejoinMs: -1 when it never happened in the limit. */
  record Healed(String fault, String target, long healToDoneMs, long rejoinMs, int reconnects,
      boolean reconnectAllowed, String detail) {

    void assertWithinBound(long boundMs) {
      assertTrue(healToDoneMs >= 0 && healToDoneMs <= boundMs, fault + " of " + target
          + ": replies ended " + healToDoneMs + " ms after the heal (bound " + boundMs + "); "
          + detail);
      assertTrue(rejoinMs >= 0, fault + " of " + target + ": a member stayed split; " + detail);
      if (!reconnectAllowed) {
        assertEquals(0, reconnects, fault + " of " + target + " costs no reconnect");
      }
    }
  }

  /** Injects a fault into {@code target} and heals it; returns the heal time (epoch ms). */
  interface Injection {
    long injectAndHeal(ChildProcess target) throws Exception;
  }

  private final ProcessCluster cluster;
  private final Chatter chatter;
  private int round;

  FaultRun(ProcessCluster cluster, Chatter chatter) {
    this.cluster = cluster;
    this.chatter = chatter;
  }

  static Chatter chatter(Vertx vertx, ProcessCluster cluster, int clients, Random random) {
    Tokens tokens = Tokens.standard();
    List<Integer> ports = cluster.gatewayPorts();
    List<ChatClient> list = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      List<String> threads = new ArrayList<>();
      for (int t = 0; t < THREADS_PER_CLIENT; t++) {
        threads.add("fault-t" + t);
      }
      String sub = "fault-user" + c;
      list.add(new ChatClient(vertx, sub, tokens.valid(sub), ports, random.nextInt(ports.size()),
          threads, new Pauses()));
    }
    return new Chatter(list);
  }

  /** Connects every client and runs one round without a fault. */
  void warmUp() throws Exception {
    for (Future<Long> end : chatter.oneRound("warm", true, ROUND_LIMIT)) {
      end.get(ROUND_LIMIT.toMillis() * 2, TimeUnit.MILLISECONDS);
    }
  }

  Healed measure(String fault, ChildProcess target, Injection injection) throws Exception {
    int reconnectsBefore = chatter.reconnects();
    List<Future<Long>> ends = chatter.oneRound(fault + "-" + round++, false, ROUND_LIMIT);
    try {
      await().atMost(ACCEPT_DEADLINE).pollInterval(Duration.ofMillis(20))
          .until(chatter::roundAccepted);
    } catch (RuntimeException e) {
      // Not injected: an earlier fault left the cluster unable to accept; report, go on.
      LOG.info("faults event={} target={} skipped: sends not accepted within {} s", fault,
          target.name, ACCEPT_DEADLINE.toSeconds());
      return new Healed(fault, target.name, -1, -1, chatter.reconnects() - reconnectsBefore,
          true, "not injected: this round's sends were not accepted within "
          + ACCEPT_DEADLINE.toSeconds() + " s");
    }
    long heal = injection.injectAndHeal(target);
    // Both watched from the heal on: every reply ended, and no process split or unready.
    long[] rejoinedAt = {-1};
    try {
      await().atMost(ROUND_LIMIT.plusSeconds(5)).pollInterval(POLL).until(() -> {
        if (rejoinedAt[0] < 0 && cluster.splitMembers().isEmpty() && cluster.allReady()) {
          rejoinedAt[0] = System.currentTimeMillis();
        }
        return rejoinedAt[0] >= 0 && ends.stream().allMatch(Future::isDone);
      });
    } catch (RuntimeException | AssertionError e) {
      // reported below: replies that never ended, or a member still split
    }
    long lastEnd = heal;
    boolean allEnded = true;
    List<String> problems = new ArrayList<>();
    for (Future<Long> end : ends) {
      try {
        lastEnd = Math.max(lastEnd, end.get(ROUND_LIMIT.toMillis() * 2, TimeUnit.MILLISECONDS));
      } catch (ExecutionException | TimeoutException e) {
        problems.add(String.valueOf(e.getCause() == null ? e : e.getCause().getMessage()));
        allEnded = false;
      }
    }
    long healToDone = allEnded ? lastEnd - heal : -1;
    long rejoin = rejoinedAt[0] < 0 ? -1 : Math.max(0, rejoinedAt[0] - heal);
    if (rejoin < 0) {
      problems.add("split or not ready: " + cluster.splitMembers());
    }
    // A client notices a closed socket only while it reads: read what is queued first, so a
    // close during this fault is counted here and not in the next one.
    chatter.settle();
    int reconnects = chatter.reconnects() - reconnectsBefore;
    Healed healed = new Healed(fault, target.name, healToDone, rejoin, reconnects,
        fault.endsWith("gateway"), problems.isEmpty() ? "closes " + chatter.closes()
            : String.join("; ", problems));
    LOG.info("faults event={} target={} healToDoneMs={} rejoinMs={} reconnects={} detail={}",
        fault, target.name, healToDone, rejoin, reconnects, healed.detail());
    return healed;
  }

  /** Every client's view equals the journal: every frame once, in order; no reset. */
  void verifyAgainstJournal(Vertx vertx, Tokens tokens) throws Exception {
    chatter.settle();
    try (HistoryApi api = new HistoryApi(vertx, cluster.gatewayPorts().get(0))) {
      int frames = chatter.verify(api, tokens::valid);
      assertTrue(frames > 0, "no frame was checked");
      LOG.info("faults verified frames={} rounds={} reconnects={} closes={}", frames,
          chatter.rounds(), chatter.reconnects(), chatter.closes());
    }
    assertEquals(0, chatter.resets(), "Redis kept everything: no thread may be reset");
  }

  /** The gateway holding more clients (a fault on an empty gateway tests nothing). */
  static int busierGateway(Chatter chatter, int drawn) {
    int[] perGateway = chatter.clientsPerGateway(2);
    return perGateway[0] == perGateway[1] ? drawn : perGateway[0] > perGateway[1] ? 0 : 1;
  }

  /** Keeps a fault in place this long: the fault's length, not a wait for a condition. */
  static void hold(Duration duration) {
    try {
      TimeUnit.MILLISECONDS.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted");
    }
  }

  static String table(List<Healed> results) {
    StringBuilder out = new StringBuilder(String.format("%-16s %-10s %14s %10s %10s%n", "fault",
        "target", "healToDoneMs", "rejoinMs", "reconnects"));
    for (Healed h : results) {
      out.append(String.format("%-16s %-10s %14d %10d %10d%n", h.fault(), h.target(),
          h.healToDoneMs(), h.rejoinMs(), h.reconnects()));
    }
    return out.toString();
  }

  /**
   * The faults a run injects: {@code -Dfaults.only=a,b} replaces the drawn schedule (a replay),
   * {@code -Dfaults.skip=a,b} leaves faults out (run-tests.sh: the ones known not to heal yet).
   */
  static List<String> selected(List<String> drawn) {
    String only = System.getProperty("faults.only");
    List<String> chosen = new ArrayList<>(only != null ? List.of(only.split(",")) : drawn);
    chosen.removeAll(List.of(System.getProperty("faults.skip", "").split(",")));
    return chosen;
  }
}
