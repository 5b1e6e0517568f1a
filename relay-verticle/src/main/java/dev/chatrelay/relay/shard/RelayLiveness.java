package dev.chatrelay.relay.shard;

import dev.chatrelay.protocol.cluster.ClusterView;
import dev.chatrelay.relay.journal.ClaimGuard;
import dev.chatrelay.relay.journal.Journal;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This relay's entry in the journal's liveness record, and the relays alive there. The cluster
 * view cannot tell a relay that died from one on the other side of a partition; the journal,
 * which every relay must reach to write, can: a relay writes that it is alive every interval
 * while it sees another member (a relay alone in its view may be the one cut off, and must let
 * the others take its shards). A claim then spares the live relays outside the claimant's view
 * ({@link #guard}), so the two halves of a split keep their own shards instead of fencing each
 * other in turn, and a relay that thaws alone takes nothing back before it merges.
 */
public final class RelayLiveness {

  private static final Logger log = LoggerFactory.getLogger(RelayLiveness.class);

  private final Journal journal;
  private final LivenessConfig config;
  private volatile Set<String> alive = Set.of();
  private volatile boolean supported = true;
  private Set<String> lastSpared = Set.of();
  private Vertx vertx;
  private long timer = -1;

  public RelayLiveness(Journal journal, LivenessConfig config) {
    this.journal = journal;
    this.config = config;
  }

  /** Writes every interval from now on; {@code view} answers the current view. */
  void start(Vertx vertx, Supplier<ClusterView> view) {
    this.vertx = vertx;
    timer = vertx.setPeriodic(config.intervalMs(), id -> {
      ClusterView now = view.get();
      if (now != null) {
        beat(now);
      }
    });
  }

  /** Writes this relay's entry now (alive while it sees another member); reads the others. */
  Future<Void> beat(ClusterView view) {
    if (!supported) {
      return Future.succeededFuture();
    }
    boolean present = view.members().size() > 1;
    return journal.relayLiveness(view.localNode(), present, config.ttlMs()).transform(ar -> {
      if (ar.succeeded()) {
        alive = ar.result();
        logSpared(view);
      } else if (ar.cause() instanceof UnsupportedOperationException) {
        supported = false; // a journal no other process shares: the view alone decides
        stopTimer();
        alive = Set.of();
      } else {
        alive = Set.of(); // unknown: claims go unguarded, as without a liveness record
        log.debug("event=relay.liveness_failed error={}", ar.cause().toString());
      }
      return Future.succeededFuture();
    });
  }

  long nodeLeftGraceMs() {
    return config.nodeLeftGraceMs();
  }

  /** The guard of a claim by {@code view}'s node: it spares live relays outside the view. */
  ClaimGuard guard(ClusterView view) {
    Set<String> spared = new TreeSet<>(alive);
    spared.removeAll(view.relays());
    spared.remove(view.localNode());
    return new ClaimGuard(view.localNode(), spared);
  }

  /** One line whenever the live relays this one cannot see change (a split begins or ends). */
  private synchronized void logSpared(ClusterView view) {
    Set<String> spared = guard(view).spared();
    if (!spared.equals(lastSpared)) {
      lastSpared = spared;
      log.info("event=relay.liveness node={} sparedRelays={}", view.localNode(),
          new TreeSet<>(spared));
    }
  }

  /** Stops writing and removes this relay's entry, so the others claim its shards at once. */
  Future<Void> stop(String node) {
    stopTimer();
    if (!supported) {
      return Future.succeededFuture();
    }
    return journal.relayLiveness(node, false, config.ttlMs()).<Void>mapEmpty()
        .otherwise(err -> null); // its entry then expires after the TTL
  }

  private void stopTimer() {
    if (timer >= 0 && vertx != null) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }
}
