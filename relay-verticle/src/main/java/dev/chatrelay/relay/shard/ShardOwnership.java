package dev.chatrelay.relay.shard;

import dev.chatrelay.relay.journal.ClaimGuard;
import dev.chatrelay.relay.journal.Journal;
import io.vertx.core.Future;

/**
 * Decides which shards this relay owns. The embedded relay owns all ({@link FixedShards});
 * cluster mode ({@link MembershipShards}) moves shards between relays at run time by calling
 * {@link ShardOwner#acquire} and {@link ShardOwner#release} whenever membership changes.
 */
public interface ShardOwnership {

  /**
   * Starts reporting to {@code owner}; called on the relay's event loop. Completes once the
   * first owned shards are acquired.
   */
  Future<Void> start(ShardOwner owner);

  /**
   * True when this relay should own {@code shard} now. The relay asks before acquiring a shard
   * again that it let go on its own (a fenced write) or failed to acquire.
   */
  boolean wants(int shard);

  /** Who claims, and whose shards a claim leaves alone ({@link Journal#claimShard(int, ClaimGuard)}). */
  default ClaimGuard claimGuard() {
    return ClaimGuard.NONE;
  }

  /** True when cluster node {@code node} is in the current view. */
  default boolean isMember(String node) {
    return false;
  }

  /**
   * How long after a node left the view its gateways' subscriptions are dropped, if it is still
   * gone then: views passing during a merge drop and re-add nodes within a moment.
   */
  default long nodeLeftGraceMs() {
    return 0;
  }

  /**
   * This relay's cluster node id, or null when not clustered: gateways then send their batched
   * acks to {@code Addresses.relayNode} of it.
   */
  default String localNode() {
    return null;
  }

  /** Stops reporting; the relay then releases whatever it still owns. */
  default Future<Void> stop() {
    return Future.succeededFuture();
  }
}
