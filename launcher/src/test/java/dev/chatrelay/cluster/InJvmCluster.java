package dev.chatrelay.cluster;

import dev.chatrelay.it.Tokens;
import dev.chatrelay.launcher.ConfigLoader;
import dev.chatrelay.launcher.FreePorts;
import dev.chatrelay.launcher.LaunchPlan;
import dev.chatrelay.launcher.RunningSystem;
import dev.chatrelay.launcher.SystemLauncher;
import dev.chatrelay.protocol.bus.Addresses;
import dev.chatrelay.protocol.cluster.ShardOwners;
import dev.chatrelay.relay.journal.TestRedis;
import io.vertx.core.Promise;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.spi.cluster.RegistrationInfo;
import io.vertx.redis.client.Redis;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Role processes in miniature: each node is a clustered Vert.x of its own started through
 * {@link SystemLauncher} exactly as {@code Main} starts a process with {@code RELAY_ROLE}, all in
 * this JVM, joined over Hazelcast TCP-IP on loopback, with the Redis journal under a key prefix
 * of their own. A node can leave gracefully ({@link #stop}) or vanish ({@link #crash}).
 */
final class InJvmCluster implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(InJvmCluster.class);
  static final int SHARDS = 64;

  private final String name = "cluster-test-" + UUID.randomUUID();
  private final String prefix = TestRedis.uniquePrefix(InJvmCluster.class);
  private final List<Integer> clusterPorts = new ArrayList<>();
  private final Map<String, String> overrides;
  private final List<RunningSystem> running = new ArrayList<>();

  InJvmCluster(int slots, Map<String, String> overrides) {
    for (int i = 0; i < slots; i++) {
      clusterPorts.add(FreePorts.find());
    }
    this.overrides = Map.copyOf(overrides);
  }

  /** The environment of every node; fast timings where the defaults are production ones. */
  private Map<String, String> environment(String role, int slot) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("RELAY_ROLE", role);
    env.put("RELAY_JWT_HS256_SECRET", Tokens.SECRET);
    env.put("RELAY_CLUSTER_NAME", name);
    env.put("RELAY_CLUSTER_MEMBERS", clusterPorts.stream().map(p -> "127.0.0.1:" + p)
        .collect(Collectors.joining(",")));
    env.put("RELAY_CLUSTER_PORT", String.valueOf(clusterPorts.get(slot)));
    env.put("RELAY_REDIS_URL", TestRedis.url());
    env.put("RELAY_REDIS_KEY_PREFIX", prefix);
    env.put("RELAY_HTTP_PORT", String.valueOf(FreePorts.find()));
    env.put("RELAY_GATEWAY_INSTANCES", "2");
    env.put("RELAY_SCRIPTED_DELAY_MS", "20");
    env.put("RELAY_JOB_LEASE_MS", "2000");
    env.put("RELAY_READY_CHECK_MS", "100");
    env.put("RELAY_SHUTDOWN_TIMEOUT_MS", "5000");
    env.put("RELAY_DRAIN_GRACE_MS", "2000");
    env.putAll(overrides);
    return env;
  }

  RunningSystem start(String role, int slot) {
    return start(role, slot, Map.of());
  }

  /** A node with {@code extra} on top of the cluster's environment (e.g. a lite member). */
  RunningSystem start(String role, int slot, Map<String, String> extra) {
    long started = System.nanoTime();
    Map<String, String> env = environment(role, slot);
    env.putAll(extra);
    RunningSystem node = SystemLauncher.start(LaunchPlan.from(ConfigLoader.load(env))).await();
    running.add(node);
    LOG.info("cluster node started role={} slot={} node={} ms={}", role, slot, nodeId(node),
        (System.nanoTime() - started) / 1_000_000);
    return node;
  }

  /** Graceful leave: what SIGTERM does. */
  void stop(RunningSystem node) {
    running.remove(node);
    node.shutdown().await();
  }

  /**
   * The node vanishes from the cluster without a word, as after kill -9: its Hazelcast member is
   * terminated, so the others drop it by failure detection and clean up its registrations.
   * What is left of it in this JVM can still try to write: the journal's fence stops it.
   */
  void crash(RunningSystem node) {
    LOG.info("cluster node crashed node={}", nodeId(node));
    ((HazelcastClusterManager) clusterManager(node)).getHazelcastInstance().getLifecycleService()
        .terminate();
  }

  static ClusterManager clusterManager(RunningSystem node) {
    return ((VertxInternal) node.vertx()).clusterManager();
  }

  static String nodeId(RunningSystem node) {
    return clusterManager(node).getNodeId();
  }

  /** For each shard, the nodes consuming its address as {@code observer} sees the registrations. */
  static List<List<String>> consumers(RunningSystem observer) {
    List<List<String>> out = new ArrayList<>();
    for (int shard = 0; shard < SHARDS; shard++) {
      Promise<List<RegistrationInfo>> p = Promise.promise();
      clusterManager(observer).getRegistrations(Addresses.shard(shard), p);
      out.add(p.future().await().stream().map(RegistrationInfo::nodeId).distinct().sorted()
          .toList());
    }
    return out;
  }

  /** True when exactly the rendezvous owner among {@code relays} consumes every shard. */
  static boolean ownedExactlyBy(RunningSystem observer, List<RunningSystem> relays) {
    List<String> ids = relays.stream().map(InJvmCluster::nodeId).toList();
    String[] owners = ShardOwners.owners(SHARDS, ids);
    List<List<String>> consumers = consumers(observer);
    for (int shard = 0; shard < SHARDS; shard++) {
      if (!consumers.get(shard).equals(List.of(owners[shard]))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() {
    for (RunningSystem node : new ArrayList<>(running)) {
      try {
        node.shutdown().await();
      } catch (RuntimeException e) {
        LOG.warn("node did not stop cleanly error={}", e.toString());
      }
    }
    running.clear();
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    try {
      Redis admin = TestRedis.admin(vertx);
      TestRedis.deleteKeys(admin, prefix);
      admin.close();
    } finally {
      vertx.close().await();
    }
  }
}
