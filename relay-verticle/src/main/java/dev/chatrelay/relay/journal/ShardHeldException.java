package dev.chatrelay.relay.journal;

/**
 * A claim refused because the shard's holder is a relay the claimant spares ({@link ClaimGuard}):
 * alive, but outside the claimant's view. Nothing was written; claim again later.
 */
public final class ShardHeldException extends RuntimeException {

  private final int shard;
  private final String holder;

  public ShardHeldException(int shard, String holder) {
    super("shard " + shard + " is held by live relay " + holder, null, false, false);
    this.shard = shard;
    this.holder = holder;
  }

  public int shard() {
    return shard;
  }

  /** Node id of the relay that holds the shard. */
  public String holder() {
    return holder;
  }
}
