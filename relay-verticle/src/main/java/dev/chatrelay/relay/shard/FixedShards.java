package dev.chatrelay.relay.shard;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Ownership of a set of shards that never changes: all of them for a single relay. */
public final class FixedShards implements ShardOwnership {

  private final Set<Integer> shards;

  public FixedShards(Set<Integer> shards) {
    this.shards = new TreeSet<>(shards);
  }

  /** Shards {@code 0 .. count-1}. */
  public static FixedShards all(int count) {
    Set<Integer> all = new TreeSet<>();
    for (int i = 0; i < count; i++) {
      all.add(i);
    }
    return new FixedShards(all);
  }

  @Override
  public Future<Void> start(ShardOwner owner) {
    List<Future<Void>> acquired = new ArrayList<>();
    for (int shard : shards) {
      acquired.add(owner.acquire(shard));
    }
    return Future.all(acquired).mapEmpty();
  }

  @Override
  public boolean wants(int shard) {
    return shards.contains(shard);
  }
}
