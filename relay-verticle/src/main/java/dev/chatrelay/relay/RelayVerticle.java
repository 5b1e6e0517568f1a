package dev.chatrelay.relay;

import dev.chatrelay.protocol.Clock;
import dev.chatrelay.protocol.bus.Addresses;
import dev.chatrelay.protocol.bus.BusCodecs;
import dev.chatrelay.relay.journal.Journal;
import dev.chatrelay.relay.shard.FixedShards;
import dev.chatrelay.relay.shard.ShardOwner;
import dev.chatrelay.relay.shard.ShardOwnership;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay role: owns threads of its shards, journals their frames, serves subscriptions with a
 * cursor pump and runs reply jobs on workers. Deploy one instance per process: every instance
 * consumes the shards its {@link ShardOwnership} gives it, and two instances owning the same
 * shard would split its state.
 */
public final class RelayVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(RelayVerticle.class);

  private final RelayConfig config;
  private final Journal journal;
  private final ShardOwnership ownership;
  private final RelayMetrics givenMetrics;
  private final Clock clock;
  private ShardHost host;
  private long sweepTimer = -1;
  private long resendTimer = -1;

  /** Owns every shard; meters on the Vert.x Micrometer registry when there is one. */
  public RelayVerticle(RelayConfig config, Journal journal) {
    this(config, journal, FixedShards.all(config.shards()), null);
  }

  /**
   * @param ownership which shards to serve, possibly changing at run time
   * @param metrics the meters to use, or null for {@link RelayMetrics#create()}
   */
  public RelayVerticle(RelayConfig config, Journal journal, ShardOwnership ownership,
      RelayMetrics metrics) {
    this(config, journal, ownership, metrics, Clock.SYSTEM);
  }

  /** @param clock time for leases, slow consumers and idle threads (tests move it) */
  public RelayVerticle(RelayConfig config, Journal journal, ShardOwnership ownership,
      RelayMetrics metrics, Clock clock) {
    this.config = config;
    this.journal = journal;
    this.ownership = ownership;
    this.givenMetrics = metrics;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    BusCodecs.register(vertx.eventBus());
    RelayMetrics metrics = givenMetrics != null ? givenMetrics : RelayMetrics.create();
    // Fenced writes go to the host, created below; they can only happen once shards are owned.
    RelayRuntime rt = new RelayRuntime(vertx, config,
        new ContextBoundJournal(journal, context, fenced -> host.fenced(fenced)), metrics, clock);
    SubscriptionRegistry registry = new SubscriptionRegistry(rt);
    DeliveryWatch deliveries = new DeliveryWatch(rt);
    FramePump pump = new FramePump(rt, registry, deliveries);
    ThreadAppender appender = new ThreadAppender(rt, registry, pump);
    JobDispatcher dispatcher = new JobDispatcher(rt, appender);
    ShardRouter router = new ShardRouter(rt, new ShardOps(
        new SubscriptionCommands(rt, registry, pump, deliveries),
        new JobCommands(rt, appender, dispatcher), new HistoryQueries(rt)));
    host = new ShardHost(rt, context, router, registry, dispatcher, ownership);
    // One periodic check per verticle rather than a timer per subscription or job.
    sweepTimer = vertx.setPeriodic(config.sweepMs(), id -> {
      registry.closeSlowConsumers();
      dispatcher.expireLeases();
      host.evictIdle();
    });
    resendTimer = vertx.setPeriodic(DeliveryWatch.checkPeriodMs(config),
        id -> deliveries.check(pump, registry));
    Future<Void> inbox = nodeInbox(rt, router); // registered now, on this verticle's context
    // Journal answers then arrive on this loop: no hop per call to the connection's and back.
    return journal.moveTo(context).compose(v -> inbox).compose(v -> ownership.start(host))
        .onSuccess(v -> log.info(
            "event=relay.started shards={} window={} retention={} leaseMs={}", host.owned().size(),
            config.ackWindow(), config.retentionFrames(), config.jobLeaseMs()));
  }

  /** Clustered: the consumer of gateways' record batches, registered before any shard is owned. */
  private Future<Void> nodeInbox(RelayRuntime rt, ShardRouter router) {
    String node = ownership.localNode();
    if (node == null) {
      return Future.succeededFuture();
    }
    RelayNodeInbox inbox = new RelayNodeInbox(rt, host, router);
    return vertx.eventBus().consumer(Addresses.relayNode(node), inbox::onMessage).completion();
  }

  @Override
  public Future<?> stop() {
    if (sweepTimer >= 0) {
      vertx.cancelTimer(sweepTimer);
    }
    if (resendTimer >= 0) {
      vertx.cancelTimer(resendTimer);
    }
    if (host == null) {
      return Future.succeededFuture();
    }
    return ownership.stop().transform(ar -> host.releaseAll());
  }

  /** The shard seam for cluster ownership; valid once started. */
  public ShardOwner shardOwner() {
    return host;
  }
}
