package dev.chatrelay.launcher;

import dev.chatrelay.protocol.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.spi.cluster.RegistrationInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether some relay consumes every shard address right now, checked every
 * {@code RELAY_READY_CHECK_MS} in the cluster's registration map: a gateway is ready only when
 * every thread has a relay to answer it (membership alone says a relay exists, not that it has
 * finished acquiring its shards). A gap shorter than {@code RELAY_READY_SHARD_GRACE_MS} after the
 * first full coverage keeps it ready ({@link CoverageGrace}).
 */
final class ShardCoverage {

  private static final Logger LOG = LoggerFactory.getLogger(ShardCoverage.class);

  private final Vertx vertx;
  private final ClusterManager clusterManager;
  private final int shards;
  private final CoverageGrace grace;
  /** Told the shards known to have no relay (the lookup answered empty) after every check. */
  private final Consumer<Set<Integer>> onChecked;
  private volatile boolean covered;
  private volatile int missing = -1;
  private long timer = -1;
  private final AtomicBoolean checking = new AtomicBoolean();

  ShardCoverage(Vertx vertx, ClusterManager clusterManager, int shards, long graceMs) {
    this(vertx, clusterManager, shards, graceMs, absent -> { });
  }

  ShardCoverage(Vertx vertx, ClusterManager clusterManager, int shards, long graceMs,
      Consumer<Set<Integer>> onChecked) {
    this.vertx = vertx;
    this.clusterManager = clusterManager;
    this.shards = shards;
    this.grace = new CoverageGrace(graceMs);
    this.onChecked = onChecked;
  }

  void start(long periodMs) {
    check();
    timer = vertx.setPeriodic(periodMs, id -> check());
  }

  void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  boolean covered() {
    return covered;
  }

  private void check() {
    if (!checking.compareAndSet(false, true)) {
      return;
    }
    List<Future<Boolean>> answers = new ArrayList<>(shards);
    for (int shard = 0; shard < shards; shard++) {
      Promise<List<RegistrationInfo>> promise = Promise.promise();
      clusterManager.getRegistrations(Addresses.shard(shard), promise);
      answers.add(promise.future().map(list -> !list.isEmpty()));
    }
    Future.join(answers).onComplete(ar -> {
      checking.set(false);
      int absent = 0;
      Set<Integer> withoutRelay = new TreeSet<>();
      for (int shard = 0; shard < shards; shard++) {
        Future<Boolean> answer = answers.get(shard);
        if (!answer.succeeded() || !answer.result()) {
          absent++;
        }
        if (answer.succeeded() && !answer.result()) {
          // Only a lookup that answered "nobody": a failed one (a partition of the
          // registration map on a paused member) says nothing about the relays.
          withoutRelay.add(shard);
        }
      }
      if (absent != missing) {
        LOG.info("event=readiness.shard_coverage shards={} withoutRelay={}", shards, absent);
        missing = absent;
      }
      covered = grace.record(absent == 0, System.nanoTime() / 1_000_000); // monotonic
      onChecked.accept(withoutRelay);
    });
  }
}
