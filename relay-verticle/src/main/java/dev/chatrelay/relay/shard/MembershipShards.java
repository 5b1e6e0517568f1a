package dev.chatrelay.relay.shard;

import dev.chatrelay.protocol.cluster.ClusterMembership;
import dev.chatrelay.protocol.cluster.ClusterView;
import dev.chatrelay.relay.journal.ClaimGuard;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster ownership: this relay owns the shards that rendezvous hashing over the live relays
 * gives it ({@link ClusterView#ownsLocally}). On every membership change it acquires the shards
 * it gained and releases those it lost, and drops the subscriptions of gateways whose node left.
 * Every relay computes the same assignment from the same members, so shards move without any
 * coordination; while views differ for a moment, the journal's fencing keeps a stale owner from
 * writing. With a {@link RelayLiveness}, claims spare live relays outside the view, and a view
 * in which a relay left is applied only after the liveness record was read again (a relay that
 * died must not look alive from an old read). Runs on the relay's event loop.
 */
public final class MembershipShards implements ShardOwnership {

  private static final Logger log = LoggerFactory.getLogger(MembershipShards.class);

  private final ClusterMembership membership;
  private final int shards;
  private final RelayLiveness liveness;
  private ShardOwner owner;
  private Context context;
  private ClusterMembership.Listening listening;
  private ClusterView view;
  /** The last view queued, and the queue: views apply one after another, in arrival order. */
  private ClusterView queued;
  private Future<Void> applying = Future.succeededFuture();

  /** Ownership by the view alone (no shared liveness record). */
  public MembershipShards(ClusterMembership membership, int shards) {
    this(membership, shards, null);
  }

  /** @param liveness this relay's liveness record, or null for the view alone */
  public MembershipShards(ClusterMembership membership, int shards, RelayLiveness liveness) {
    this.membership = membership;
    this.shards = shards;
    this.liveness = liveness;
  }

  @Override
  public Future<Void> start(ShardOwner owner) {
    this.owner = owner;
    this.context = Vertx.currentContext();
    if (liveness != null) {
      liveness.start(context.owner(), () -> queued);
    }
    Future<Void> first = enqueue(membership.view(), true);
    listening = membership.listen(next -> context.runOnContext(v -> enqueue(next, false)));
    return first;
  }

  @Override
  public boolean wants(int shard) {
    return view != null && listening != null && view.ownsLocally(shard);
  }

  @Override
  public boolean isMember(String node) {
    return view != null && view.members().contains(node);
  }

  @Override
  public String localNode() {
    return membership.view().localNode();
  }

  @Override
  public long nodeLeftGraceMs() {
    return liveness == null ? 0 : liveness.nodeLeftGraceMs();
  }

  @Override
  public ClaimGuard claimGuard() {
    return liveness == null || view == null ? ClaimGuard.NONE : liveness.guard(view);
  }

  @Override
  public Future<Void> stop() {
    if (listening != null) {
      listening.stop();
      listening = null;
    }
    return liveness == null || view == null ? Future.succeededFuture()
        : liveness.stop(view.localNode());
  }

  /**
   * Applies {@code next} after the views queued before it; first reads the liveness record again
   * when a relay left (or {@code refresh}). Completes when the gained shards are acquired.
   */
  private Future<Void> enqueue(ClusterView next, boolean refresh) {
    boolean relayLeft = queued != null && !next.relays().containsAll(queued.relays());
    queued = next;
    boolean beat = liveness != null && (refresh || relayLeft);
    if (!beat && applying.isComplete()) {
      return apply(next); // nothing in flight: at once, on this loop
    }
    Promise<Void> acquired = Promise.promise();
    applying = applying
        .transform(x -> beat ? liveness.beat(next) : Future.<Void>succeededFuture())
        .transform(x -> {
          Promise<Void> applied = Promise.promise();
          context.runOnContext(v -> {
            apply(next).onComplete(acquired);
            applied.complete();
          });
          return applied.future();
        });
    return acquired.future();
  }

  /** Moves shards to match {@code next}; completes when the gained ones are acquired. */
  private Future<Void> apply(ClusterView next) {
    ClusterView previous = view;
    view = next;
    if (previous != null) {
      for (String gone : previous.members()) {
        if (!next.members().contains(gone)) {
          owner.forgetNode(gone);
        }
      }
      for (String joined : next.members()) {
        if (!previous.members().contains(joined)) {
          owner.nodeJoined(joined);
        }
      }
    }
    if (previous != null && !previous.relays().equals(next.relays())) {
      owner.verifyClaims(); // paused or cut off meanwhile? others may have claimed our shards
    }
    Set<Integer> held = owner.owned();
    List<Integer> gained = new ArrayList<>();
    List<Integer> lost = new ArrayList<>();
    List<Future<Void>> acquired = new ArrayList<>();
    for (int shard = 0; shard < shards; shard++) {
      boolean mine = next.ownsLocally(shard);
      if (mine && !held.contains(shard)) {
        gained.add(shard);
        acquired.add(owner.acquire(shard));
      } else if (!mine && held.contains(shard)) {
        lost.add(shard);
        owner.release(shard);
      }
    }
    if (!gained.isEmpty() || !lost.isEmpty()) {
      log.info("event=shards.rebalanced node={} relays={} owned={} gained={} lost={}", next.localNode(),
          next.relays().size(), held.size() + gained.size() - lost.size(), ranges(gained),
          ranges(lost));
    }
    return Future.all(acquired).mapEmpty();
  }

  /** {@code [0-3,7]} instead of eight numbers: one short log line per change. */
  static String ranges(List<Integer> sorted) {
    StringBuilder out = new StringBuilder("[");
    int i = 0;
    while (i < sorted.size()) {
      int start = sorted.get(i);
      int end = start;
      while (i + 1 < sorted.size() && sorted.get(i + 1) == end + 1) {
        end = sorted.get(++i);
      }
      out.append(out.length() > 1 ? "," : "").append(start);
      if (end > start) {
        out.append('-').append(end);
      }
      i++;
    }
    return out.append(']').toString();
  }

  /** The shards this relay owns in {@code view} (tests, logs). */
  public static Set<Integer> ownedIn(ClusterView view, int shards) {
    Set<Integer> owned = new TreeSet<>();
    for (int shard = 0; shard < shards; shard++) {
      if (view.ownsLocally(shard)) {
        owned.add(shard);
      }
    }
    return owned;
  }
}
