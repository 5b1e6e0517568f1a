package dev.chatrelay.protocol.cluster;

import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One node's view of the cluster at a moment: its own node id, every member's node id and the
 * ids of the members that run the relay role. Shard ownership is a function of {@link #relays()}
 * alone ({@link ShardOwners}), so every node with the same view computes the same owners.
 */
public record ClusterView(String localNode, Set<String> members, Set<String> relays) {

  public ClusterView {
    Objects.requireNonNull(localNode, "localNode");
    members = Collections.unmodifiableSet(new TreeSet<>(members));
    relays = Collections.unmodifiableSet(new TreeSet<>(relays));
  }

  /** True when at least one relay is a member: then every shard has an owner. */
  public boolean hasRelay() {
    return !relays.isEmpty();
  }

  /** The relay owning {@code shard} in this view, or null when no relay is a member. */
  public String ownerOf(int shard) {
    return ShardOwners.ownerOf(shard, relays);
  }

  /** True when this node owns {@code shard} in this view. */
  public boolean ownsLocally(int shard) {
    return localNode.equals(ownerOf(shard));
  }
}
