package dev.chatrelay.relay.shard;

import io.vertx.core.Future;

/**
 * Decides which shards this relay owns. The embedded relay owns all ({@link FixedShards});
 * cluster mode moves shards between relays at run time by calling {@link ShardOwner#acquire}
 * and {@link ShardOwner#release} whenever membership changes.
 */
public interface ShardOwnership {

  /** Starts reporting to {@code owner}; completes once the first owned shards are acquired. */
  Future<Void> start(ShardOwner owner);

  /** Stops reporting; the relay then releases whatever it still owns. */
  default Future<Void> stop() {
    return Future.succeededFuture();
  }
}
