package dev.chatrelay.gateway.cluster;

import dev.chatrelay.protocol.cluster.ClusterMembership;
import dev.chatrelay.protocol.cluster.ClusterView;
import dev.chatrelay.protocol.cluster.ShardOwners;
import io.vertx.core.Context;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Follows relay membership for one gateway instance and reports the shards whose owner changed,
 * on the instance's event loop, so its sessions subscribe again at the new owner. The owners are
 * computed exactly as the relays compute them ({@link ShardOwners}). A shard left with no relay
 * at all is reported once a relay owns it again: subscribing earlier could only time out. The
 * owners also route the instance's acks to their relay node ({@code RelayOutbox}).
 */
public final class ShardWatch {

  private final int shards;
  private final Context context;
  private final Consumer<Set<Integer>> onMoved;
  private String[] owners;
  private ClusterMembership.Listening listening;

  public ShardWatch(int shards, Context context, Consumer<Set<Integer>> onMoved) {
    this.shards = shards;
    this.context = context;
    this.onMoved = onMoved;
  }

  /** Starts from the current view: nothing is reported for it. */
  public void start(ClusterMembership membership) {
    owners = ShardOwners.owners(shards, membership.view().relays());
    listening = membership.listen(view -> context.runOnContext(v -> apply(view)));
  }

  /** The relay node owning {@code shard} in the last view applied, or null (none, or not started). */
  public String ownerOf(int shard) {
    return owners == null ? null : owners[shard];
  }

  public void stop() {
    if (listening != null) {
      listening.stop();
      listening = null;
    }
  }

  private void apply(ClusterView view) {
    if (listening == null) {
      return;
    }
    String[] next = ShardOwners.owners(shards, view.relays());
    Set<Integer> moved = movedShards(owners, next);
    owners = next;
    if (!moved.isEmpty()) {
      onMoved.accept(moved);
    }
  }

  /** Shards that have an owner in {@code next} other than in {@code before}. */
  static Set<Integer> movedShards(String[] before, String[] next) {
    Set<Integer> moved = new TreeSet<>();
    for (int shard = 0; shard < next.length; shard++) {
      if (next[shard] != null && !next[shard].equals(before[shard])) {
        moved.add(shard);
      }
    }
    return moved;
  }
}
