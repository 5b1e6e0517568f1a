package dev.chatrelay.relay.shard;

import io.vertx.core.Future;
import java.util.Set;

/** A relay as seen by its {@link ShardOwnership}: it starts and stops serving shards. */
public interface ShardOwner {

  /** Starts serving {@code shard}; completes once its consumer is registered. No-op if owned. */
  Future<Void> acquire(int shard);

  /** Stops serving {@code shard} and drops its in-memory state. No-op if not owned. */
  Future<Void> release(int shard);

  /** The shards served now. */
  Set<Integer> owned();
}
