package dev.chatrelay.relay.journal;

/**
 * A journal write refused because another journal instance has claimed the shard since this one
 * did (see {@link Journal#claimShard}): this relay is a stale owner and must let the shard go.
 * Nothing was written.
 */
public final class JournalFencedException extends RuntimeException {

  private final int shard;
  private final long heldToken;
  private final long currentToken;

  public JournalFencedException(int shard, long heldToken, long currentToken) {
    super("shard " + shard + " is fenced: this journal holds token " + heldToken
        + ", the latest claim is " + currentToken, null, false, false);
    this.shard = shard;
    this.heldToken = heldToken;
    this.currentToken = currentToken;
  }

  public int shard() {
    return shard;
  }

  /** The token this journal wrote with (0 when it never claimed the shard). */
  public long heldToken() {
    return heldToken;
  }

  /** The shard's latest token in the store. */
  public long currentToken() {
    return currentToken;
  }
}
