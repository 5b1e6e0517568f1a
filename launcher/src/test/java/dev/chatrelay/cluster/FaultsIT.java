package dev.chatrelay.cluster;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.chatrelay.it.Tokens;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Faults that are not crashes, on the cluster as real processes (a private redis-server, two
 * relays, two workers, two gateways from {@code relay.jar}): each role and Redis frozen with
 * SIGSTOP for 8 s, then SIGCONT. Every client asks for one reply per thread, the fault starts
 * once every send was accepted (replies are streaming), and after the heal, with no new
 * traffic, every reply must end within {@code faults.healBoundMs} (10 s), no process may stay
 * split from the cluster, no client may reconnect for a relay, worker or Redis fault, and in
 * the end every client's view must equal the journal: every frame once, in order.
 *
 * <p>The order of faults and their targets come from a seed, printed and replayable with
 * {@code -Dfaults.seed=N}; {@code -Dfaults.long=true} runs several cycles and more clients.
 * Network cuts and a slow link are in {@link NetworkFaultsIT}. Process output:
 * {@code target/faults/<seed>-<time>/}.
 */
@Timeout(value = 20, unit = TimeUnit.MINUTES) // a hang must not hold CI; short form ~3 min
class FaultsIT {

  private static final Logger LOG = LoggerFactory.getLogger(FaultsIT.class);
  private static final Tokens TOKENS = Tokens.standard();
  private static final Vertx CLIENT_VERTX = Vertx.vertx();
  private static final Duration START_DEADLINE = Duration.ofSeconds(90);
  /** How long a frozen process stays frozen (issue #8: "a JVM stops for seconds"). */
  static final Duration FREEZE = Duration.ofSeconds(8);
  /** From the heal to every reply ended (issue #8's bound); -Dfaults.healBoundMs overrides. */
  static final long HEAL_BOUND_MS = Long.getLong("faults.healBoundMs", 10_000);

  private static ProcessCluster cluster;
  private static Chatter chatter;

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
  void frozenRolesAndRedisLoseNothingAndHealWithinTheBound() throws Exception {
    Path jar = Path.of(System.getProperty("relay.jar", "target/relay.jar"));
    assumeTrue(Files.isRegularFile(jar), "built jar not present (run mvn verify): " + jar);
    long seed = Long.getLong("faults.seed", new Random().nextLong());
    boolean longForm = Boolean.getBoolean("faults.long");
    int clients = Integer.getInteger("faults.clients", longForm ? 32 : 16);
    int cycles = Integer.getInteger("faults.cycles", longForm ? 3 : 1);
    LOG.info("faults seed={} long={} clients={} cycles={} (replay: -Dfaults.seed={})", seed,
        longForm, clients, cycles, seed);
    Random random = new Random(seed);
    Path dir = Path.of("target", "faults", seed + "-" + System.currentTimeMillis());
    cluster = new ProcessCluster(jar, dir, CLIENT_VERTX, 2, 2, 2, FaultRun.roleSettings());
    try {
      cluster.startAll(2, START_DEADLINE);
      chatter = FaultRun.chatter(CLIENT_VERTX, cluster, clients, random);
      FaultRun run = new FaultRun(cluster, chatter);
      run.warmUp();
      List<FaultRun.Healed> results = new ArrayList<>();
      for (String fault : schedule(random, cycles)) {
        results.add(run.measure(fault, target(fault, random), this::freeze));
      }
      LOG.info("faults summary seed={}\n{}", seed, FaultRun.table(results));
      run.verifyAgainstJournal(CLIENT_VERTX, TOKENS);
      for (FaultRun.Healed healed : results) {
        healed.assertWithinBound(HEAL_BOUND_MS);
      }
    } catch (Throwable t) {
      LOG.error("faults failed seed={} (replay: -Dfaults.seed={}); process output:\n{}", seed,
          seed, cluster.tails(40));
      throw t;
    }
  }

  private static List<String> schedule(Random random, int cycles) {
    List<String> all = new ArrayList<>();
    for (int c = 0; c < cycles; c++) {
      List<String> cycle = new ArrayList<>(List.of("freeze-gateway", "freeze-relay",
          "freeze-worker", "freeze-redis"));
      Collections.shuffle(cycle, random);
      all.addAll(cycle);
    }
    return FaultRun.selected(all);
  }

  private ChildProcess target(String fault, Random random) {
    int drawn = random.nextInt(2);
    return switch (fault) {
      case "freeze-gateway" -> cluster.gateways.get(FaultRun.busierGateway(chatter, drawn));
      case "freeze-relay" -> cluster.relays.get(drawn);
      case "freeze-worker" -> cluster.workers.get(drawn);
      case "freeze-redis" -> cluster.redis();
      default -> throw new IllegalArgumentException(fault);
    };
  }

  /** SIGSTOP, the freeze, SIGCONT; returns when the process runs again (the heal). */
  private long freeze(ChildProcess process) {
    process.signal("STOP");
    cluster.mark("cut " + process.name);
    try {
      FaultRun.hold(FREEZE);
    } finally {
      process.signal("CONT");
    }
    return cluster.mark("heal " + process.name);
  }
}
