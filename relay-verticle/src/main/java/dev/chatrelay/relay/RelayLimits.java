package dev.chatrelay.relay;

import dev.chatrelay.protocol.config.ConfigSource;

/**
 * The relay's share of PROTOCOL.md "Limits": what one client can make a relay hold or read.
 *
 * @param maxQueuedReplies  RELAY_MAX_QUEUED_REPLIES: reply jobs per thread, running or waiting; a
 *                          send beyond answers rate_limited and journals nothing
 * @param historyPageBytes  RELAY_HISTORY_PAGE_BYTES: frames of one history page, in wire bytes
 */
public record RelayLimits(int maxQueuedReplies, int historyPageBytes) {

  public static final String MAX_QUEUED_REPLIES = "RELAY_MAX_QUEUED_REPLIES";
  public static final String HISTORY_PAGE_BYTES = "RELAY_HISTORY_PAGE_BYTES";

  /** PROTOCOL.md: 16 reply jobs per thread (each may be a paid model call). */
  public static final int DEFAULT_MAX_QUEUED_REPLIES = 16;
  /** PROTOCOL.md: a history page holds at most 1 MiB of frames. */
  public static final int DEFAULT_HISTORY_PAGE_BYTES = 1 << 20;
  /** A page must hold the largest frame (a 16 KiB text, escaped, with its envelope). */
  public static final int MIN_HISTORY_PAGE_BYTES = 128 * 1024;

  public RelayLimits {
    if (maxQueuedReplies < 1) {
      throw new ConfigSource.InvalidConfigException(MAX_QUEUED_REPLIES + " must be at least 1");
    }
    if (historyPageBytes < MIN_HISTORY_PAGE_BYTES) {
      throw new ConfigSource.InvalidConfigException(HISTORY_PAGE_BYTES + " must be at least " + MIN_HISTORY_PAGE_BYTES);
    }
  }

  public static RelayLimits defaults() {
    return new RelayLimits(DEFAULT_MAX_QUEUED_REPLIES, DEFAULT_HISTORY_PAGE_BYTES);
  }

  public static RelayLimits from(ConfigSource source) {
    return new RelayLimits(
        source.intValue(MAX_QUEUED_REPLIES, DEFAULT_MAX_QUEUED_REPLIES, 1, 1_000_000),
        source.intValue(HISTORY_PAGE_BYTES, DEFAULT_HISTORY_PAGE_BYTES, MIN_HISTORY_PAGE_BYTES, 1 << 30));
  }
}
