package dev.chatrelay.relay.shard;

import io.vertx.core.Future;
import java.util.Set;

/** A relay as seen by its {@link ShardOwnership}: it starts and stops serving shards. */
public interface ShardOwner {

  /**
   * Starts serving {@code shard}: claims it in the journal (fencing any previous owner), queues
   * the jobs a previous owner left pending, then registers its consumer; completes once that is
   * registered. No-op if owned.
   */
  Future<Void> acquire(int shard);

  /**
   * Stops serving {@code shard}: every subscription's gateway is told it moved (so it subscribes
   * again at the new owner), in-memory state is dropped. No-op if not owned.
   */
  Future<Void> release(int shard);

  /** The shards served now, including those being acquired. Call on the relay's event loop. */
  Set<Integer> owned();

  /**
   * Cluster node {@code node} left: drops the subscriptions of its gateways and dispatches the
   * jobs its workers were running again, without waiting for their leases.
   */
  void forgetNode(String node);

  /**
   * Cluster node {@code node} joined (a merge, a new worker): jobs waiting out a dispatch backoff
   * are dispatched now instead of at the end of a pause that grew while no worker answered.
   */
  default void nodeJoined(String node) {}

  /**
   * Checks that the journal's latest claim of each held shard is still this relay's, and lets go
   * (as after a fenced write) of any claimed meanwhile: a relay that was paused or cut off must
   * not serve a shard's stale state until some write of it happens to be fenced.
   */
  default void verifyClaims() {}
}
